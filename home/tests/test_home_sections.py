"""The home page's sections: links from every section loaded together, the events link."""

import re

from bs4 import BeautifulSoup
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail import blocks
from wagtail.models import PageViewRestriction

from cms.blocks import LinkPageChooserBlock
from events.factories import EventIndexPageFactory
from home.blocks import link_page_ids
from home.factories import PresidentMessagePageFactory, StandardPageFactory, make_site_root

LINKED_PAGES_QUERY = re.compile(r'FROM "wagtailcore_page" WHERE "wagtailcore_page"."id" IN')


def link(page=None, label="", url=""):
    return {"label": label, "page": page.pk if page else None, "url": url}


class HomeSectionLinksTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = home = make_site_root()
        cls.training = StandardPageFactory(parent=home, title="Training")
        cls.about = StandardPageFactory(parent=home, title="About SMOP")
        cls.draft = StandardPageFactory(parent=home, title="Secret draft", live=False)
        pillars = [
            {"title": "Teach", "text": "Courses.", "link": link(cls.training)},
            {"title": "Care", "text": "Patients.", "link": link()},  # an optional link left out
        ]
        links = [
            link(cls.about, label="Who we are"),
            link(cls.draft, label="Coming soon"),
            link(cls.training, label="Courses again"),
            link(label="WHO", url="https://www.who.int/"),
        ]
        # As stored (raw JSON), so that the links hold page ids.
        home.sections = [
            {"type": "pillars", "value": {"heading": "What we do", "pillars": pillars}},
            {"type": "featured_links", "value": {"heading": "Explore", "links": links}},
        ]
        home.save_revision().publish()

    def get_home(self):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        return BeautifulSoup(response.content, "html.parser"), queries

    def test_each_section_links_its_live_pages_and_external_sites(self):
        soup, _queries = self.get_home()
        pillars = soup.find("section", class_="section--pillars")
        [teach_link] = pillars.select("a")
        self.assertEqual((teach_link.get_text(), teach_link["href"]), ("Training", "/training/"))
        featured = soup.find("section", class_="section--links")
        links = [(a.get_text(), a["href"], a.get("class")) for a in featured.select("li a")]
        self.assertEqual(
            links,
            [
                ("Who we are", "/about-smop/", None),
                ("Courses again", "/training/", None),
                ("WHO", "https://www.who.int/", ["external"]),
            ],
        )
        self.assertNotIn("Coming soon", featured.get_text())  # the unpublished page

    def linked_pages_queries(self):
        _soup, queries = self.get_home()
        return [q["sql"] for q in queries if LINKED_PAGES_QUERY.search(q["sql"])]

    def test_every_sections_linked_pages_come_in_one_query(self):
        self.assertEqual(len(self.linked_pages_queries()), 1)

    def test_linked_pages_are_kept_until_content_changes(self):
        self.linked_pages_queries()
        self.assertEqual(self.linked_pages_queries(), [])

    def test_a_linked_pages_new_title_and_unpublish_show_at_once(self):
        self.get_home()  # fill the caches keyed on the content generation
        self.training.title = "Courses and training"
        self.training.save_revision().publish()
        soup, _queries = self.get_home()
        pillars = soup.find("section", class_="section--pillars")
        self.assertEqual([a.get_text() for a in pillars.select("a")], ["Courses and training"])
        self.about.unpublish()
        soup, _queries = self.get_home()
        featured = soup.find("section", class_="section--links")
        self.assertNotIn("Who we are", featured.get_text())

    def test_sections_escape_editors_text(self):
        self.home.sections = [
            {
                "type": "pillars",
                "value": {
                    "heading": "<b>Us</b>",
                    "pillars": [{"title": "A & B", "text": "<i>1</i>\n2", "link": link()}],
                },
            },
            {
                "type": "featured_links",
                "value": {
                    "heading": "<x>",
                    "links": [link(label="<y>", url="https://a.b/?c=1&d=2")],
                },
            },
        ]
        self.home.save_revision().publish()
        html = self.client.get("/").content.decode()
        self.assertIn('<h2 id="section-pillars">&lt;b&gt;Us&lt;/b&gt;</h2>', html)
        self.assertIn('<h3 class="card__title">A &amp; B</h3>', html)
        self.assertIn("<p>&lt;i&gt;1&lt;/i&gt;<br>2</p>", html)
        self.assertIn('<h2 id="section-links">&lt;x&gt;</h2>', html)
        self.assertIn(
            '<li><p class="rich-link"><a href="https://a.b/?c=1&amp;d=2" class="external">'
            "&lt;y&gt;</a></p></li>",
            html,
        )

    def test_the_page_ids_come_from_the_stored_sections(self):
        ids = list(link_page_ids(self.home.sections.raw_data))
        expected = [self.training.pk, None, self.about.pk, self.draft.pk, self.training.pk, None]
        self.assertEqual(ids, expected)

    def test_links_are_stored_as_wagtails_own_page_chooser(self):
        path, _args, kwargs = LinkPageChooserBlock(required=False).deconstruct()
        self.assertEqual(path, "wagtail.blocks.PageChooserBlock")
        self.assertEqual(path, blocks.PageChooserBlock(required=False).deconstruct()[0])
        self.assertEqual(kwargs, {"required": False})

    def test_outside_a_request_links_load_their_own_pages(self):
        section = self.home.specific.sections[1].value
        self.assertEqual([value.href for value in section["links"]][:2], ["/about-smop/", ""])


class EventsIndexLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root(sections__0__upcoming_events__heading="Upcoming events")
        cls.events = EventIndexPageFactory(parent=cls.home, slug="events")

    def events_links(self):
        soup = BeautifulSoup(self.client.get("/").content, "html.parser")
        section = soup.find("section", class_="section--events")
        return [a["href"] for a in section.find_all("a") if a["href"].startswith("/events/")]

    def test_the_events_page_link_follows_an_unpublish_at_once(self):
        self.assertEqual(self.events_links(), ["/events/#past-heading"])
        self.events.unpublish()
        self.assertEqual(self.events_links(), [])
        self.events.save_revision().publish()
        self.assertEqual(self.events_links(), ["/events/#past-heading"])


class PresidentSectionTests(TestCase):
    """The President's page (URL, excerpt, role) is kept until content changes."""

    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.home.sections = [{"type": "president_message", "value": {"heading": "A word"}}]
        cls.home.save_revision().publish()
        cls.page = PresidentMessagePageFactory(
            parent=cls.home, slug="presidents-message", excerpt="Cancer is rising."
        )

    def section(self):
        soup = BeautifulSoup(self.client.get("/").content, "html.parser")
        return soup.find("section", class_="section--president")

    def test_a_new_excerpt_and_slug_show_after_a_publish(self):
        self.assertIn("Cancer is rising.", self.section().get_text())
        self.page.excerpt = "Screening saves lives."
        self.page.slug = "message"
        self.page.save_revision().publish()
        section = self.section()
        self.assertIn("Screening saves lives.", section.get_text())
        self.assertEqual([a["href"] for a in section.find_all("a")], ["/message/"])

    def test_the_section_leaves_with_an_unpublished_or_restricted_page(self):
        self.assertIsNotNone(self.section())
        restriction = PageViewRestriction.objects.create(
            page=self.page, restriction_type=PageViewRestriction.LOGIN
        )
        self.assertIsNone(self.section())
        restriction.delete()
        self.assertIsNotNone(self.section())
        self.page.unpublish()
        self.assertIsNone(self.section())

    def test_no_query_for_the_page_once_kept(self):
        self.client.get("/")
        with CaptureQueriesContext(connection) as queries:
            self.client.get("/")
        table = '"home_presidentmessagepage"'
        self.assertEqual([q["sql"] for q in queries if table in q["sql"]], [])

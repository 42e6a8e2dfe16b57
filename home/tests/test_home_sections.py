"""The home page's sections: links from every section loaded together, the events link."""

import re

from bs4 import BeautifulSoup
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail import blocks

from cms.blocks import LinkPageChooserBlock
from events.factories import EventIndexPageFactory
from home.blocks import link_page_ids
from home.factories import StandardPageFactory, make_site_root

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

    def test_every_sections_linked_pages_come_in_one_query(self):
        self.get_home()  # fill the caches keyed on the content generation
        _soup, queries = self.get_home()
        linked = [q["sql"] for q in queries if LINKED_PAGES_QUERY.search(q["sql"])]
        self.assertEqual(len(linked), 1, linked)

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

"""The society's own pages, created through the admin's forms and then viewed."""

import datetime as dt

from wagtail.models import Page, Site
from wagtail.test.utils.form_data import rich_text, streamfield

from cms.factories import DocumentFactory, SiteImageFactory
from events.factories import EventIndexPageFactory, EventPageFactory
from home.factories import (
    PresidentMessagePageFactory,
    ResourceListPageFactory,
    make_site_root,
)
from home.models import (
    HomePage,
    InitiativePage,
    PresidentMessagePage,
    ResourceListPage,
    StandardPage,
    ValuesPage,
)
from people.factories import OfficerRoleFactory, OfficerTermFactory, PersonFactory
from tests.helpers import (
    AdminPageTestCase,
    block_messages,
    formset_messages,
    list_block,
    page_form,
)


def link(label="", page="", url=""):
    return {"label": label, "page": page, "url": url}


class HomePageFormTests(AdminPageTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.root = Page.get_first_root_node()
        cls.hero = SiteImageFactory(alt_text="Oncologists at a teaching session")

    def home_page_data(self, sections):
        return page_form(
            {
                "title": "Home",
                "slug": "smop-home",
                "hero_heading": "Better cancer care through education",
                "hero_intro": "The society of the oncologists of Pakistan.",
                "hero_image": self.hero.pk,
                "sections": streamfield(sections),
            }
        )

    def test_create_with_hero_and_every_section_then_view(self):
        pillars = list_block(
            [
                {
                    "title": "Advancing Cancer Awareness",
                    "text": "Public awareness, early screening and prevention.",
                    "link": link("Read about screening", url="https://www.who.int/"),
                },
                # The pillar's link is optional: a pillar may have none.
                {
                    "title": "Global Presence",
                    "text": "Working with oncology societies abroad.",
                    "link": link(),
                },
            ]
        )
        data = self.home_page_data(
            [
                ("pillars", {"heading": "What we do", "pillars": pillars}),
                ("president_message", {"heading": "A word from our President"}),
                ("upcoming_events", {"heading": "Coming up", "count": "1"}),
                (
                    "featured_links",
                    {
                        "heading": "Explore",
                        "links": list_block([link("Essential medicines", url="https://who.int/")]),
                    },
                ),
            ]
        )
        self.assertCanCreate(self.root, HomePage, data)

        home = HomePage.objects.get(slug="smop-home")
        self.assertEqual(
            [block.block_type for block in home.sections],
            ["pillars", "president_message", "upcoming_events", "featured_links"],
        )
        self.make_default_site_root(home)
        PresidentMessagePageFactory(parent=home, excerpt="Cancer is rising in Pakistan.")
        events = EventIndexPageFactory(parent=home)
        EventPageFactory(parent=events, title="A future symposium", start_date=dt.date(2099, 3, 1))
        EventPageFactory(parent=events, title="A later congress", start_date=dt.date(2099, 9, 1))
        EventPageFactory(parent=events, title="A past workshop", start_date=dt.date(2021, 3, 1))

        html = self.get_page_html(home)
        for text in (
            "Better cancer care through education",
            "The society of the oncologists of Pakistan.",
            "Oncologists at a teaching session",
            "What we do",
            "Advancing Cancer Awareness",
            "Public awareness, early screening and prevention.",
            "Global Presence",
            "A word from our President",
            "Cancer is rising in Pakistan.",
            "Coming up",
            "A future symposium",
            "Essential medicines",
        ):
            self.assertIn(text, html)
        # The section shows as many upcoming events as the editor chose, soonest first.
        self.assertNotIn("A later congress", html)
        self.assertNotIn("A past workshop", html)

    def test_each_section_at_most_once(self):
        pillar = {"title": "Pillar", "text": "Text", "link": link()}
        section = {"heading": "What we do", "pillars": list_block([pillar])}
        data = self.home_page_data([("pillars", section), ("pillars", section)])
        form = self.rejected_form(self.post_add_form(self.root, HomePage, data))
        self.assertIn("sections", form.errors)
        self.assertFalse(HomePage.objects.exists())

    def make_default_site_root(self, page):
        site = Site.objects.get(is_default_site=True)
        site.root_page = page
        site.save()


class SectionPageFormTests(AdminPageTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_site_root()
        cls.document = DocumentFactory(title="Study protocol")

    def test_standard_page_with_body_blocks(self):
        image = SiteImageFactory(alt_text="The conference hall")
        body = streamfield(
            [
                ("heading", "Our history"),
                ("paragraph", rich_text("<p>Founded in 2018 by leading oncologists.</p>")),
                (
                    "image",
                    {"image": image.pk, "alt_text": "", "caption": "Hall", "credit": "SMOP"},
                ),
                ("quote", {"text": "Education improves care.", "attribution": "A member"}),
                ("document", {"document": self.document.pk, "title": "Annual report"}),
                ("link", link("Our home page", page=self.home.pk)),
            ]
        )
        data = page_form({"title": "What is SMOP", "intro": "Who we are.", "body": body})
        self.assertCanCreate(self.home, StandardPage, data)

        page = StandardPage.objects.get(slug="what-is-smop")
        html = self.get_page_html(page)
        for text in (
            "Who we are.",
            "Our history",
            "Founded in 2018 by leading oncologists.",
            "The conference hall",
            "Education improves care.",
            "Annual report",
            "Our home page",
        ):
            self.assertIn(text, html)

    def test_link_block_takes_a_page_or_a_url_not_both(self):
        for value in (link("Both", page=self.home.pk, url="https://who.int/"), link("None")):
            with self.subTest(value=value):
                data = page_form({"title": "Links", "body": streamfield([("link", value)])})
                form = self.rejected_form(self.post_add_form(self.home, StandardPage, data))
                self.assertIn(
                    "Choose a page or enter a URL, not both.", block_messages(form, "body")
                )

    def test_president_message_page_is_signed_by_the_current_president(self):
        role = OfficerRoleFactory(name="President")
        president = PersonFactory(first_name="Zeba", last_name="Aziz")
        OfficerTermFactory(person=president, role=role, start_date=dt.date(2018, 1, 1))
        data = page_form(
            {
                "title": "Message from the President",
                "excerpt": "Cancer care needs many disciplines.",
                "message": rich_text("<p>Indigenous research matters.</p>"),
                "signatory_role": role.pk,
            }
        )
        self.assertCanCreate(self.home, PresidentMessagePage, data)

        page = PresidentMessagePage.objects.get(slug="message-from-the-president")
        self.assertEqual(page.signatory, president)
        html = self.get_page_html(page)
        self.assertIn("Indigenous research matters.", html)
        self.assertIn("Zeba", html)
        self.assertIn("Aziz", html)

    def test_values_page_with_values(self):
        values = streamfield(
            [
                ("value", {"name": "Integrity", "statement": "Honest research.", "icon": ""}),
                ("value", {"name": "Excellence", "statement": "Never settled.", "icon": "star"}),
            ]
        )
        data = page_form({"title": "Our values", "intro": "What guides us.", "values": values})
        self.assertCanCreate(self.home, ValuesPage, data)

        html = self.get_page_html(ValuesPage.objects.get(slug="our-values"))
        for text in ("What guides us.", "Integrity", "Honest research.", "Excellence"):
            self.assertIn(text, html)

    def test_initiative_page_with_investigators_centres_and_publications(self):
        investigator = PersonFactory()
        data = page_form(
            {
                "title": "DLBCL research initiative",
                "summary": "Research on diffuse large B-cell lymphoma.",
                "status": InitiativePage.Status.ACTIVE,
                "aims": rich_text("<p>Improve treatment outcomes.</p>"),
                "body": streamfield([]),
                "documents": streamfield(
                    [("document", {"document": self.document.pk, "title": ""})]
                ),
                "contact_name": "Initiative office",
                "contact_email": "initiative@example.org",
                "contact_note": "Write to take part.",
            },
            investigators=[{"person": investigator.pk, "role": "Principal investigator"}],
            centres=[{"name": "A teaching hospital", "city": "Karachi"}],
            publications=[
                {
                    "title": "Management of DLBCL: a consensus guideline",
                    "authors": "",
                    "journal": "JCO Global Oncology",
                    "year": "2021",
                    "doi": "10.1200/GO.21.00320",
                    "url": "",
                    "note": "",
                }
            ],
        )
        self.assertCanCreate(self.home, InitiativePage, data)

        page = InitiativePage.objects.get(slug="dlbcl-research-initiative")
        self.assertEqual(page.publications.get().link, "https://doi.org/10.1200/GO.21.00320")
        html = self.get_page_html(page)
        for text in (
            "Research on diffuse large B-cell lymphoma.",
            "Improve treatment outcomes.",
            investigator.first_name,
            investigator.last_name,
            "Principal investigator",
            "A teaching hospital",
            "Management of DLBCL: a consensus guideline",
            "JCO Global Oncology",
            "https://doi.org/10.1200/GO.21.00320",
            "Study protocol",
            "initiative@example.org",
        ):
            self.assertIn(text, html)

    def test_resource_list_page_groups_resources_by_topic(self):
        data = page_form(
            {
                "title": "Physician resources",
                "audience": ResourceListPage.Audience.PHYSICIANS,
                "intro": rich_text("<p>Recommended reading.</p>"),
                "empty_message": "Nothing here yet.",
            },
            resources=[
                resource("WHO Model List of Essential Medicines", url="https://www.who.int/"),
                resource("Treatment protocol", document=self.document.pk, language="ur"),
            ],
        )
        self.assertCanCreate(self.home, ResourceListPage, data)

        page = ResourceListPage.objects.get(slug="physician-resources")
        self.assertEqual(
            [(topic, [r.title for r in items]) for topic, items in page.resources_by_topic()],
            [("Medicines", ["WHO Model List of Essential Medicines", "Treatment protocol"])],
        )
        html = self.get_page_html(page)
        for text in (
            "Recommended reading.",
            "Medicines",
            "WHO Model List of Essential Medicines",
            "https://www.who.int/",
            "Treatment protocol",
            self.document.url,
        ):
            self.assertIn(text, html)
        self.assertNotIn("Nothing here yet.", html)
        # The Urdu resource is marked up as Urdu, right to left, for screen readers.
        self.assertIn('lang="ur" dir="rtl">Treatment protocol</a>', html)
        self.assertIn("In Urdu", html)

    def test_an_empty_resource_list_shows_its_empty_message(self):
        page = ResourceListPageFactory(
            parent=self.home, title="Patient resources", empty_message="Resources coming soon."
        )
        self.assertIn("Resources coming soon.", self.get_page_html(page))

    def test_one_resource_list_per_audience(self):
        ResourceListPageFactory(parent=self.home, audience="patients")
        data = page_form({"title": "More resources", "audience": "patients"})
        form = self.rejected_form(self.post_add_form(self.home, ResourceListPage, data))
        self.assertEqual(
            form.errors["audience"], ["There is already a resource list for this audience."]
        )
        self.assertEqual(ResourceListPage.objects.count(), 1)

    def test_a_resource_needs_a_link_or_a_document_not_both(self):
        for extra in ({}, {"url": "https://who.int/", "document": self.document.pk}):
            with self.subTest(extra=extra):
                data = page_form(
                    {"title": "Resources", "audience": "patients"},
                    resources=[resource("A leaflet", **extra)],
                )
                form = self.rejected_form(self.post_add_form(self.home, ResourceListPage, data))
                self.assertIn(
                    "Give either a link or a document for each resource.",
                    formset_messages(form, "resources"),
                )
        self.assertFalse(ResourceListPage.objects.exists())


def resource(title, url="", document="", language="en"):
    return {
        "title": title,
        "topic": "Medicines",
        "url": url,
        "document": document,
        "publisher": "World Health Organization",
        "language": language,
        "summary": "",
        "last_reviewed": "",
    }

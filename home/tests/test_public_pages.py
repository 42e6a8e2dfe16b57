"""The society's pages as visitors see them: home, resources, menu and error pages."""

import datetime as dt

from bs4 import BeautifulSoup
from django.test import TestCase
from django.utils import timezone

from cms.factories import DocumentFactory, SiteImageFactory
from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import EventPage
from home.factories import (
    ResourceFactory,
    ResourceListPageFactory,
    StandardPageFactory,
    make_site_root,
)


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


class HomePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root(
            hero_image=SiteImageFactory(file__width=1200, file__height=750),
            sections__0__upcoming_events__heading="Upcoming events",
        )
        cls.events = EventIndexPageFactory(parent=cls.home)
        EventPageFactory(parent=cls.events, title="Breast Cancer Symposium")
        EventPageFactory(
            parent=cls.events,
            title="ESMO Congress",
            start_date=dt.date(2022, 9, 9),
            category=EventPage.Category.INTERNATIONAL,
            organiser=EventPage.Organiser.EXTERNAL,
            organiser_name="ESMO",
        )

    def get_home(self):
        response = self.client.get(self.home.url)
        self.assertEqual(response.status_code, 200)
        return soup_of(response)

    def test_with_nothing_upcoming_the_home_page_leads_to_past_events(self):
        section = self.get_home().find("section", class_="section--events")
        empty = section.find(class_="empty-state")
        self.assertIn("No events are scheduled", empty.get_text())
        links = {a.get_text(strip=True): a["href"] for a in empty.find_all("a")}
        # SMOP's own recent events, not the international conferences it lists.
        self.assertIn("Breast Cancer Symposium", links)
        self.assertNotIn("ESMO Congress", links)
        self.assertEqual(links["Browse all our past events"], self.events.url + "#past-heading")

    def test_an_upcoming_event_replaces_the_empty_state(self):
        next_year = timezone.localdate().year + 1
        EventPageFactory(
            parent=self.events, title="Next symposium", start_date=dt.date(next_year, 1, 5)
        )
        section = self.get_home().find("section", class_="section--events")
        self.assertIsNone(section.find(class_="empty-state"))
        self.assertIn("Next symposium", section.get_text())

    def test_the_hero_image_is_responsive_and_not_lazy(self):
        picture = self.get_home().find(class_="hero__image").find("picture")
        self.assertEqual(picture.find("source")["type"], "image/webp")
        img = picture.find("img")
        self.assertEqual(img["fetchpriority"], "high")
        self.assertNotIn("loading", img.attrs)
        for attribute in ("srcset", "sizes", "width", "height", "alt"):
            self.assertTrue(img.get(attribute), attribute)


class FrameTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        StandardPageFactory(parent=cls.home, title="What is SMOP", show_in_menus=True)

    def test_the_menu_button_is_a_disclosure_revealed_by_script(self):
        soup = soup_of(self.client.get(self.home.url))
        toggle = soup.find("button", class_="primary-nav__toggle")
        self.assertEqual(toggle["aria-expanded"], "false")
        self.assertIn("hidden", toggle.attrs)  # without the script, no dead button
        menu = soup.find(id=toggle["aria-controls"])
        self.assertEqual(menu.name, "ul")
        self.assertEqual(menu.a.get_text(strip=True), "What is SMOP")
        self.assertIsNotNone(soup.find("script", src="/static/js/site.js"))

    def test_the_404_page_is_in_the_site_design(self):
        response = self.client.get("/no-such-page/")
        self.assertEqual(response.status_code, 404)
        soup = soup_of(response)
        self.assertEqual(soup.h1.get_text(strip=True), "Page not found")
        self.assertIsNotNone(soup.find("a", class_="skip-link"))
        self.assertIsNotNone(soup.find("nav", class_="primary-nav"))
        self.assertIsNotNone(soup.find("input", id="error-search-q"))
        suggestions = [a.get_text(strip=True) for a in soup.select(".link-list a")]
        self.assertEqual(suggestions, ["The home page", "What is SMOP"])


class ResourceListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        cls.page = ResourceListPageFactory(parent=home)
        ResourceFactory(page=cls.page, topic="Guidelines", url="https://www.who.int/list")
        ResourceFactory(
            page=cls.page,
            topic="Guidelines",
            url="",
            document=DocumentFactory(),
            language="ur",
            title="رہنما",
        )
        ResourceFactory(page=cls.page, topic="Screening", url="https://example.org/a")

    def test_resources_are_grouped_by_topic_with_type_language_and_size(self):
        soup = soup_of(self.client.get(self.page.url))
        topics = [section.h2.get_text(strip=True) for section in soup.select("main .section")]
        self.assertEqual(topics, ["Guidelines", "Screening"])
        web, document = soup.select(".resource")[:2]
        self.assertIn("website: who.int", web.find(class_="file-meta").get_text())
        self.assertIn("In English", web.find(class_="badge").get_text())
        meta = document.find(class_="file-meta").get_text()
        self.assertIn("PDF", meta)
        self.assertIn("bytes", meta)
        self.assertIn("In Urdu", document.find(class_="badge").get_text())
        self.assertEqual(document.find("a")["lang"], "ur")
        self.assertEqual(document.find("a")["dir"], "rtl")

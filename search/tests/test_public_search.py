"""The search page as visitors see it: results labelled by type, and a helpful no-results page."""

import datetime as dt

from bs4 import BeautifulSoup
from django.test import TestCase
from django.urls import reverse

from events.factories import EventIndexPageFactory, EventPageFactory
from gallery.factories import GalleryIndexPageFactory, GalleryPageFactory
from home.factories import StandardPageFactory, make_site_root


class SearchPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        events = EventIndexPageFactory(parent=home, show_in_menus=True)
        EventPageFactory(
            parent=events,
            title="Lymphoma symposium",
            start_date=dt.date(2021, 2, 20),
            venue="Pearl Continental",
        )
        StandardPageFactory(parent=home, title="About lymphoma", show_in_menus=True)
        GalleryPageFactory(
            parent=GalleryIndexPageFactory(parent=home), title="Lymphoma symposium photos"
        )

    def soup(self, query):
        response = self.client.get(reverse("search"), {"q": query})
        self.assertEqual(response.status_code, 200)
        return BeautifulSoup(response.content, "html.parser")

    def test_each_result_is_labelled_with_its_type(self):
        results = self.soup("lymphoma").select(".search-result")
        labels = {
            result.h3.get_text(strip=True): result.select_one(".badge").get_text(strip=True)
            for result in results
        }
        self.assertEqual(
            labels,
            {
                "Lymphoma symposium": "Event",
                "About lymphoma": "Page",
                "Lymphoma symposium photos": "Photo album",
            },
        )

    def test_event_results_show_when_and_where(self):
        results = self.soup("symposium").select(".search-result")
        event = next(r for r in results if r.h3.get_text(strip=True) == "Lymphoma symposium")
        meta = event.select_one(".search-result__meta").get_text(" ", strip=True)
        self.assertIn("20 February 2021", meta)
        self.assertIn("Pearl Continental", meta)

    def test_no_results_page_suggests_what_to_do_next(self):
        soup = self.soup("xylophone")
        empty = soup.find(class_="empty-state")
        self.assertIn("No pages match “xylophone”", empty.get_text())
        self.assertIn("Check the spelling", empty.get_text())
        sections = [a.get_text(strip=True) for a in empty.find_all("a")]
        self.assertEqual(sections, ["Events", "About lymphoma"])
        # The visitor's words stay in the box, ready to be corrected.
        self.assertEqual(soup.find("input", id="search-q")["value"], "xylophone")

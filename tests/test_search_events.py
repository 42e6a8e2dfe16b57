"""Site search finds events by the words of their body, and only public ones."""

import datetime as dt

from django.test import TestCase
from django.urls import reverse
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from events.factories import EventIndexPageFactory, EventPageFactory
from home.factories import make_site_root

WORD = "Zanubrutinibquest"


def body(text):
    return [("paragraph", RichText(f"<p>{text}</p>"))]


class SearchEventsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        index = EventIndexPageFactory(parent=make_site_root())
        cls.event = EventPageFactory(
            parent=index,
            title="Lymphoma workshop",
            body=body(f"A session on {WORD} for lymphoma."),
            start_date=dt.date(2026, 4, 10),
        )
        EventPageFactory(parent=index, title="Draft workshop", body=body(WORD), live=False)
        private = EventPageFactory(parent=index, title="Members-only workshop", body=body(WORD))
        PageViewRestriction.objects.create(
            page=private, restriction_type=PageViewRestriction.LOGIN
        )
        EventPageFactory(parent=index, title="Unrelated meeting", body=body("Nothing to see."))

    def search(self, query):
        response = self.client.get(reverse("search"), {"q": query})
        self.assertEqual(response.status_code, 200)
        return response

    def test_search_finds_an_event_by_a_word_in_its_body(self):
        response = self.search(WORD)
        titles = [page.title for page in response.context["search_results"]]
        self.assertEqual(titles, ["Lymphoma workshop"])
        self.assertContains(response, self.event.url)

    def test_the_word_is_found_whatever_its_case(self):
        titles = [page.title for page in self.search(WORD.lower()).context["search_results"]]
        self.assertEqual(titles, ["Lymphoma workshop"])

"""Site search finds live, public pages only, and never fails on odd input."""

from django.test import TestCase
from django.urls import reverse
from wagtail.models import PageViewRestriction

from home.factories import StandardPageFactory, make_site_root


def titles(response):
    return [page.title for page in response.context["search_results"]]


class SearchViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_site_root()

        def page_about(title, parent=home, **kwargs):
            body = f"<p>A modified Delphi consensus on lymphoma, by {title}.</p>"
            return StandardPageFactory(
                parent=parent, title=title, body__0__paragraph__value=body, **kwargs
            )

        cls.live = page_about("Published guideline")
        for number in range(11):
            StandardPageFactory(
                parent=home,
                title=f"Lymphoma note {number}",
                body__0__paragraph__value="<p>A note on lymphoma.</p>",
            )
        page_about("Draft guideline", live=False)
        cls.private = page_about("Members-only guideline")
        PageViewRestriction.objects.create(
            page=cls.private, restriction_type=PageViewRestriction.LOGIN
        )
        page_about("Child of a private page", parent=cls.private)
        protected = page_about("Password-protected guideline")
        PageViewRestriction.objects.create(
            page=protected, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )

    def search(self, **params):
        response = self.client.get(reverse("search"), params)
        self.assertEqual(response.status_code, 200)
        return response

    def test_finds_a_live_page_by_a_word_in_its_body(self):
        response = self.search(q="Delphi")
        self.assertIn("Published guideline", titles(response))
        self.assertContains(response, self.live.url)

    def test_never_finds_a_draft_or_private_page(self):
        self.assertEqual(titles(self.search(q="Delphi")), ["Published guideline"])
        for title in (
            "Draft guideline",
            "Members-only guideline",
            "Child of a private page",
            "Password-protected guideline",
        ):
            self.assertNotIn(title, titles(self.search(q=title)))

    def test_a_private_page_is_found_once_its_restriction_is_lifted(self):
        # Proves the pages above are indexed: only their privacy kept them out.
        PageViewRestriction.objects.all().delete()
        found = titles(self.search(q="Delphi"))
        self.assertIn("Members-only guideline", found)
        self.assertIn("Child of a private page", found)
        self.assertNotIn("Draft guideline", found)

    def test_results_are_paginated(self):
        first = self.search(q="lymphoma")
        self.assertEqual(len(first.context["search_results"]), 10)
        second = self.search(q="lymphoma", page="2")
        self.assertEqual(len(second.context["search_results"]), 2)
        self.assertEqual(first.context["search_results"].paginator.count, 12)

    def test_no_query_shows_the_form_and_no_results(self):
        for params in ({}, {"q": ""}, {"q": "   "}):
            with self.subTest(params=params):
                response = self.search(**params)
                self.assertEqual(titles(response), [])
                self.assertEqual(response.context["search_query"], "")

    def test_odd_input_gives_a_normal_page(self):
        for params in (
            {"q": "Delphi", "page": "abc"},
            {"q": "Delphi", "page": "-1"},
            {"q": "Delphi", "page": "99999"},
            {"q": "x" * 1000},
            {"q": '"unbalanced (quote AND OR NOT *'},
            {"q": 'a "quoted phrase" and a" stray quote'},
            {"q": "nul\x00byte"},
            {"q": "<script>alert(1)</script>"},
        ):
            with self.subTest(params=params):
                response = self.search(**params)
                self.assertNotContains(response, "<script>alert(1)</script>")
                self.assertLessEqual(len(response.context["search_query"]), 200)

    def test_an_unknown_word_finds_nothing(self):
        self.assertEqual(titles(self.search(q="xylophone")), [])

"""Which page a URL leads to is remembered between requests, yet a publish, an
unpublish, a move or a new view restriction shows on the next request."""

import re

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from cms.route_cache import page_at
from events.factories import EventIndexPageFactory, EventPageFactory
from home.factories import StandardPageFactory, make_site_root
from home.models import StandardPage

# Wagtail's router looks each URL segment up among a page's children by slug.
SLUG_LOOKUP = re.compile(r'WHERE .*"slug" = ')


class RouteCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.about = StandardPageFactory(parent=cls.home, title="About SMOP", slug="about")
        cls.team = StandardPageFactory(parent=cls.about, title="Our team", slug="team")

    def get(self, url):
        return self.client.get(url)

    def slug_lookups(self, url):
        with CaptureQueriesContext(connection) as queries:
            response = self.get(url)
        self.assertEqual(response.status_code, 200)
        return [q["sql"] for q in queries if SLUG_LOOKUP.search(q["sql"])]

    def test_a_second_request_does_not_walk_the_tree(self):
        self.assertEqual(len(self.slug_lookups("/about/team/")), 2)  # about, then team
        self.assertEqual(self.slug_lookups("/about/team/"), [])

    def test_the_page_is_read_afresh(self):
        self.assertContains(self.get("/about/team/"), "Our team")
        self.team.title = "The committee"
        self.team.save_revision().publish()
        self.assertContains(self.get("/about/team/"), "The committee")

    def test_an_unpublished_page_is_gone_on_the_next_request(self):
        self.assertEqual(self.get("/about/team/").status_code, 200)
        self.team.unpublish()
        self.assertEqual(self.get("/about/team/").status_code, 404)

    def test_a_renamed_page_moves_to_its_new_url(self):
        self.assertEqual(self.get("/about/team/").status_code, 200)
        self.team.slug = "committee"
        self.team.save_revision().publish()
        self.assertEqual(self.get("/about/team/").status_code, 404)
        self.assertContains(self.get("/about/committee/"), "Our team")

    def test_a_moved_page_moves_to_its_new_url(self):
        self.assertEqual(self.get("/about/team/").status_code, 200)
        self.team.move(self.home, pos="last-child")
        self.assertRedirects(self.get("/about/team/"), "/team/", status_code=301)  # Wagtail's
        self.assertContains(self.get("/team/"), "Our team")

    def test_a_new_view_restriction_applies_on_the_next_request(self):
        self.assertEqual(self.get("/about/team/").status_code, 200)
        PageViewRestriction.objects.create(
            page=self.about, restriction_type=PageViewRestriction.LOGIN
        )
        response = self.get("/about/team/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])

    def test_an_unknown_url_is_not_found_every_time(self):
        for _ in range(2):
            self.assertEqual(self.get("/about/nobody/").status_code, 404)


class RoutablePageRouteCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.events = EventIndexPageFactory(parent=cls.home, slug="events")
        cls.event = EventPageFactory(parent=cls.events, slug="annual-meeting")

    def test_a_routable_pages_own_views_are_served_from_the_remembered_page(self):
        for _ in range(2):
            self.assertEqual(self.client.get("/events/").status_code, 200)
            feed = self.client.get("/events/feed/")
            self.assertEqual(feed.status_code, 200)
            self.assertIn("xml", feed["Content-Type"])
            calendar = self.client.get("/events/annual-meeting/calendar/")
            self.assertEqual(calendar.status_code, 200)
            self.assertIn("text/calendar", calendar["Content-Type"])


class PageQueryTests(TestCase):
    """The remembered page is read with SQL compiled once per page type: the same page."""

    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.page = StandardPageFactory(
            parent=cls.home,
            slug="about",
            intro="Who we are.",
            body=[("heading", "History"), ("paragraph", RichText("<p>Since 2009.</p>"))],
        )

    def test_the_page_is_the_one_the_orm_gives(self):
        page = page_at(StandardPage, self.page.pk, self.page.url_path, self.page.depth)
        expected = StandardPage.objects.get(pk=self.page.pk)
        self.assertIs(type(page), StandardPage)
        self.assertFalse(page._state.adding)
        for field in StandardPage._meta.concrete_fields:
            self.assertEqual(
                getattr(page, field.attname), getattr(expected, field.attname), field.name
            )
        self.assertEqual(list(page.body.raw_data), list(expected.body.raw_data))
        self.assertEqual(page.body[0].value, "History")

    def test_a_page_no_longer_at_that_path_or_depth_is_not_found(self):
        page = self.page
        self.assertIsNone(page_at(StandardPage, page.pk, "/home/elsewhere/", page.depth))
        self.assertIsNone(page_at(StandardPage, page.pk, page.url_path, page.depth + 1))
        self.assertIsNone(page_at(StandardPage, page.pk + 1000, page.url_path, page.depth))

    def test_it_is_one_query(self):
        with CaptureQueriesContext(connection) as queries:
            page_at(StandardPage, self.page.pk, self.page.url_path, self.page.depth)
        self.assertEqual(len(queries), 1)

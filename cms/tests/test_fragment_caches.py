"""Parts shared by every page (the main menu, the default share image) are cached
between requests, yet a publish shows in them at once."""

import re

from bs4 import BeautifulSoup
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from cms.factories import SiteImageFactory
from home.factories import StandardPageFactory, make_site_root

# A query filtered on "show in menus": the one that lists the menu pages.
MENU_FILTER = re.compile(r'WHERE .*"show_in_menus"')


class MenuCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.about = StandardPageFactory(parent=cls.home, title="About SMOP", show_in_menus=True)

    def menu_titles(self):
        response = self.client.get(self.home.url)
        nav = BeautifulSoup(response.content, "html.parser").find("nav", class_="primary-nav")
        return [a.get_text(strip=True) for a in nav.find_all("a")] if nav else []

    def test_a_published_menu_page_appears_on_the_next_request(self):
        self.assertEqual(self.menu_titles(), ["About SMOP"])  # now cached
        StandardPageFactory(parent=self.home, title="Conferences", show_in_menus=True)
        self.assertEqual(self.menu_titles(), ["About SMOP", "Conferences"])

    def test_a_renamed_or_unpublished_menu_page_changes_on_the_next_request(self):
        self.assertEqual(self.menu_titles(), ["About SMOP"])
        self.about.title = "Who we are"
        self.about.save_revision().publish()
        self.assertEqual(self.menu_titles(), ["Who we are"])
        self.about.unpublish()
        self.assertEqual(self.menu_titles(), [])

    def test_a_second_request_does_not_query_the_menu_pages_again(self):
        def menu_queries():
            with CaptureQueriesContext(connection) as queries:
                self.menu_titles()
            return [q["sql"] for q in queries if MENU_FILTER.search(q["sql"])]

        self.assertEqual(len(menu_queries()), 1)  # the first request lists the menu pages
        self.assertEqual(menu_queries(), [])  # the next one takes them from the cache


class ShareImageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.home.hero_image = SiteImageFactory(title="Conference hall")
        cls.home.save_revision().publish()
        cls.about = StandardPageFactory(parent=cls.home, title="About SMOP")

    def share_image_alt(self):
        response = self.client.get(self.about.url)
        tag = BeautifulSoup(response.content, "html.parser").find("meta", property="og:image:alt")
        return tag["content"] if tag else None

    def test_a_new_home_page_image_is_shared_by_other_pages_at_once(self):
        first = self.share_image_alt()  # the home page's image, now cached
        self.assertIsNotNone(first)
        self.home.hero_image = SiteImageFactory(title="Lahore skyline")
        self.home.save_revision().publish()
        self.assertNotEqual(self.share_image_alt(), first)
        self.home.hero_image = None
        self.home.save_revision().publish()
        self.assertIsNone(self.share_image_alt())

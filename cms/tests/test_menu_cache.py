"""The main menu is cached between requests, yet a publish shows in it at once."""

import re

from bs4 import BeautifulSoup
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

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

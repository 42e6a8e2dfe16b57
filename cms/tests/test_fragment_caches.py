"""Parts shared by every page (the main menu, the site settings, breadcrumbs, share
images) are cached between requests, yet a publish shows in them at once; lookups made
by several parts of a page are made once per request."""

import re

from bs4 import BeautifulSoup
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from cms.factories import SiteImageFactory
from cms.models import SiteSettings, SocialLink
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


class SiteSettingsCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.settings = SiteSettings.objects.create(
            site=Site.objects.get(is_default_site=True), footer_text="First footer"
        )

    def footer(self):
        response = self.client.get(self.home.url)
        return BeautifulSoup(response.content, "html.parser").find("footer").get_text(" ")

    def test_saved_settings_and_social_links_show_on_the_next_request(self):
        self.assertIn("First footer", self.footer())  # now cached
        self.settings.footer_text = "Second footer"
        self.settings.social_links.add(SocialLink(platform="youtube", url="https://yt.example"))
        self.settings.save()
        footer = self.footer()
        self.assertIn("Second footer", footer)
        self.assertIn("SMOP on YouTube", footer)

    def test_a_second_request_does_not_query_the_settings_again(self):
        def settings_queries():
            with CaptureQueriesContext(connection) as queries:
                self.footer()
            return [q["sql"] for q in queries if "cms_sitesettings" in q["sql"]]

        self.assertEqual(len(settings_queries()), 1)
        self.assertEqual(settings_queries(), [])


class BreadcrumbCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.about = StandardPageFactory(parent=cls.home, title="About SMOP")
        cls.history = StandardPageFactory(parent=cls.about, title="Our history")

    def crumbs(self):
        response = self.client.get(self.history.url)
        nav = BeautifulSoup(response.content, "html.parser").find("nav", class_="breadcrumbs")
        return [(li.get_text(strip=True), li.a["href"] if li.a else None) for li in nav("li")]

    def test_a_renamed_ancestor_shows_in_the_breadcrumbs_at_once(self):
        self.assertEqual(
            self.crumbs(),
            [("Home", "/"), ("About SMOP", "/about-smop/"), ("Our history", None)],
        )
        self.about.title = "Who we are"
        self.about.slug = "who-we-are"
        self.about.save_revision().publish()
        self.history.refresh_from_db()
        self.assertEqual(
            self.crumbs(),
            [("Home", "/"), ("Who we are", "/who-we-are/"), ("Our history", None)],
        )


class PageShareImageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.about = StandardPageFactory(
            parent=cls.home, title="About SMOP", listing_image=SiteImageFactory(title="Hall")
        )

    def share_image_alt(self):
        response = self.client.get(self.about.url)
        tag = BeautifulSoup(response.content, "html.parser").find("meta", property="og:image:alt")
        return tag["content"] if tag else None

    def test_a_page_with_a_new_image_is_shared_with_it_at_once(self):
        self.assertEqual(self.share_image_alt(), "Alt text for Hall")  # now cached
        self.about.listing_image = SiteImageFactory(title="Skyline")
        self.about.save_revision().publish()
        self.assertEqual(self.share_image_alt(), "Alt text for Skyline")

    def test_a_changed_image_is_shared_as_changed_at_once(self):
        self.assertEqual(self.share_image_alt(), "Alt text for Hall")
        image = self.about.listing_image
        image.alt_text = "Delegates in the hall"
        image.save()
        self.assertEqual(self.share_image_alt(), "Delegates in the hall")


class RequestMemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.about = StandardPageFactory(parent=cls.home, title="About SMOP", show_in_menus=True)
        cls.history = StandardPageFactory(parent=cls.about, title="Our history")

    def test_the_content_generation_is_read_once_per_request(self):
        self.client.get(self.history.url)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(self.history.url).status_code, 200)
        reads = [q for q in queries if "cms_contentgeneration" in q["sql"]]
        self.assertEqual(len(reads), 1)

    def test_a_page_restricted_since_the_last_request_is_refused_at_once(self):
        self.assertEqual(self.client.get(self.about.url).status_code, 200)
        PageViewRestriction.objects.create(
            page=self.about, restriction_type=PageViewRestriction.LOGIN
        )
        response = self.client.get(self.history.url)  # a child of the restricted page
        self.assertEqual(response.status_code, 302)
        self.assertIn("/_util/login/", response["Location"])
        self.assertNotIn("About SMOP", self.client.get(self.home.url).content.decode())

    def test_a_restricted_child_page_is_left_out_of_the_section_cards(self):
        PageViewRestriction.objects.create(
            page=self.history, restriction_type=PageViewRestriction.LOGIN
        )
        content = self.client.get(self.about.url).content.decode()
        self.assertNotIn("Our history", content)
        PageViewRestriction.objects.all().delete()
        self.assertIn("Our history", self.client.get(self.about.url).content.decode())

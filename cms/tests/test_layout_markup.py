"""The frame every page shares, written in Python: the same markup, escaped, for less."""

from bs4 import BeautifulSoup
from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext

from cms.models import no_view_restrictions
from cms.templatetags.cms_tags import ICON_PATHS, icon
from cms.templatetags.navigation_tags import breadcrumbs_html, primary_nav_html
from cms.templatetags.seo_tags import meta_tags
from home.factories import StandardPageFactory, make_site_root

HOSTILE = '"><script>alert(1)</script> & co'


def soup(html):
    return BeautifulSoup(str(html), "html.parser")


class NavigationMarkupTests(SimpleTestCase):
    def test_the_menu_marks_the_current_page_and_section_and_escapes_titles(self):
        items = [
            {"url": "/a/", "title": HOSTILE, "is_current": True, "in_section": True},
            {"url": "/b/?x=1&y=2", "title": "Events", "is_current": False, "in_section": True},
            {"url": "/c/", "title": "Gallery", "is_current": False, "in_section": False},
        ]
        html = primary_nav_html(items)
        self.assertNotIn("<script>", html)
        links = soup(html).select("ul#primary-nav-list a")
        self.assertEqual([a.get_text() for a in links], [HOSTILE, "Events", "Gallery"])
        self.assertEqual([a.get("aria-current") for a in links], ["page", "true", None])
        self.assertEqual(links[1]["href"], "/b/?x=1&y=2")

    def test_no_menu_pages_means_no_menu(self):
        self.assertEqual(primary_nav_html([]), "")

    def test_breadcrumbs_link_every_crumb_but_the_current_one(self):
        crumbs = [
            {"url": "/", "label": "Home"},
            {"url": "/about/", "label": HOSTILE},
            {"url": None, "label": "Dr <b>Aziz</b>"},
        ]
        html = breadcrumbs_html(crumbs)
        self.assertNotIn("<script>", html)
        self.assertNotIn("<b>", html)
        nav = soup(html).find("nav", class_="breadcrumbs")
        self.assertEqual(nav["aria-label"], "Breadcrumb")
        items = nav.find_all("li")
        self.assertEqual([li.get_text() for li in items], ["Home", HOSTILE, "Dr <b>Aziz</b>"])
        self.assertEqual(items[1].a["href"], "/about/")
        self.assertEqual(items[2].span["aria-current"], "page")
        self.assertIsNone(items[2].a)


class MetaTagsTests(SimpleTestCase):
    def meta(self, **overrides):
        return {
            "site_name": "SMOP",
            "title": HOSTILE,
            "description": "About & more",
            "canonical": "https://smop.example/about/",
            "image": {
                "url": "https://smop.example/m/a.jpg",
                "width": 1200,
                "height": 630,
                "alt": HOSTILE,
            },
            "noindex": False,
            "twitter_site": "@smop_pk",
            "alternates": [],
            "json_ld": [],
            **overrides,
        }

    def content(self, html, key):
        tag = soup(html).find("meta", attrs={"property": key}) or soup(html).find(
            "meta", attrs={"name": key}
        )
        return tag["content"] if tag else None

    def test_values_are_escaped_and_read_back_as_typed(self):
        html = meta_tags(self.meta())
        self.assertNotIn("<script>", html)
        self.assertEqual(self.content(html, "og:title"), HOSTILE)
        self.assertEqual(self.content(html, "twitter:title"), HOSTILE)
        self.assertEqual(self.content(html, "og:image:alt"), HOSTILE)
        self.assertEqual(self.content(html, "description"), "About & more")
        self.assertEqual(self.content(html, "og:image:width"), "1200")
        self.assertEqual(self.content(html, "twitter:card"), "summary_large_image")
        self.assertEqual(
            soup(html).find("link", rel="canonical")["href"], self.meta()["canonical"]
        )
        self.assertIsNone(self.content(html, "robots"))

    def test_missing_values_leave_their_tags_out(self):
        html = meta_tags(self.meta(description="", canonical=None, image=None, twitter_site=""))
        for key in ("description", "og:description", "og:url", "og:image", "twitter:site"):
            self.assertIsNone(self.content(html, key), key)
        self.assertIsNone(soup(html).find("link", rel="canonical"))
        self.assertEqual(self.content(html, "twitter:card"), "summary")

    def test_previews_and_search_are_not_indexed_and_feeds_are_offered(self):
        feed = {"type": "application/rss+xml", "title": "Events & more", "url": "https://x/feed/"}
        html = meta_tags(self.meta(noindex=True, alternates=[feed]))
        self.assertEqual(self.content(html, "robots"), "noindex, follow")
        link = soup(html).find("link", rel="alternate")
        self.assertEqual((link["type"], link["title"], link["href"]), tuple(feed.values()))

    def test_structured_data_cannot_break_out_of_its_script(self):
        html = meta_tags(self.meta(json_ld=[{"name": "</script><script>alert(1)</script>"}]))
        [script] = soup(html).find_all("script")
        self.assertEqual(script["type"], "application/ld+json")
        self.assertNotIn("</script><script>", html)


class IconTests(SimpleTestCase):
    def test_each_icon_is_a_decorative_svg_with_its_outline(self):
        for name, path in ICON_PATHS.items():
            svg = soup(icon(name)).svg
            self.assertEqual(svg["aria-hidden"], "true")
            self.assertEqual(svg["focusable"], "false")
            self.assertEqual(svg.path["d"], path)

    def test_an_unknown_icon_is_an_empty_svg(self):
        self.assertIsNone(soup(icon("<bogus>")).svg.path)


class CheapPathsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.parent = StandardPageFactory(parent=cls.home, title="About")
        cls.child = StandardPageFactory(parent=cls.parent, title="History")
        StandardPageFactory(parent=cls.parent, title="Draft", live=False)

    def test_a_page_without_children_has_no_cards_and_asks_nothing(self):
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(list(self.child.public_children()), [])
        self.assertEqual(len(queries), 0)

    def test_a_page_with_children_lists_its_live_ones(self):
        self.assertEqual([page.title for page in self.parent.public_children()], ["History"])

    def test_no_view_restrictions_iterates_without_a_query(self):
        restrictions = no_view_restrictions()
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(list(restrictions), [])
            self.assertFalse(restrictions.order_by("-page__depth").exists())
        self.assertEqual(len(queries), 0)

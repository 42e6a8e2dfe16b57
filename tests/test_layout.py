"""The frame of every page: menu from the page tree, breadcrumbs, footer from settings."""

from bs4 import BeautifulSoup
from django.test import TestCase
from wagtail.models import Site

from cms.models import SiteSettings, SocialLink
from home.factories import StandardPageFactory, make_site_root


class LayoutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = home = make_site_root()
        cls.about = StandardPageFactory(parent=home, title="About SMOP", show_in_menus=True)
        cls.child = StandardPageFactory(parent=cls.about, title="Our history")
        StandardPageFactory(parent=home, title="Hidden from menu", show_in_menus=False)
        StandardPageFactory(parent=home, title="Draft section", show_in_menus=True, live=False)
        settings = SiteSettings.objects.create(
            site=Site.objects.get(is_default_site=True),
            organisation_name="Society of Medical Oncology Pakistan",
            short_name="SMOP",
            email="info@smop.example",
            phone="+92 42 1234 5678",
            address="Street 1\nLahore",
            footer_text="Better cancer care through education.",
        )
        SocialLink.objects.create(
            settings=settings, platform="facebook", url="https://fb.example/smop"
        )

    def soup(self, page):
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        return BeautifulSoup(response.content, "html.parser")

    def test_the_menu_lists_live_menu_pages_and_marks_the_current_section(self):
        nav = self.soup(self.child).find("nav", class_="primary-nav")
        links = {a.get_text(strip=True): a for a in nav.find_all("a")}
        self.assertEqual(list(links), ["About SMOP"])
        self.assertEqual(links["About SMOP"]["href"], self.about.url)
        self.assertEqual(links["About SMOP"]["aria-current"], "true")
        about_link = self.soup(self.about).find("nav", class_="primary-nav").find("a")
        self.assertEqual(about_link["aria-current"], "page")

    def test_breadcrumbs_lead_from_home_to_the_page(self):
        crumbs = self.soup(self.child).find("nav", class_="breadcrumbs")
        self.assertEqual(
            [item.get_text(strip=True) for item in crumbs.find_all("li")],
            ["Home", "About SMOP", "Our history"],
        )

    def test_the_footer_shows_the_site_settings(self):
        footer = self.soup(self.home).find("footer")
        text = footer.get_text(" ", strip=True)
        for expected in (
            "Society of Medical Oncology Pakistan",
            "info@smop.example",
            "+92 42 1234 5678",
            "Lahore",
            "Better cancer care through education.",
        ):
            self.assertIn(expected, text)
        self.assertIsNotNone(footer.find("a", href="mailto:info@smop.example"))
        self.assertIsNotNone(footer.find("a", href="https://fb.example/smop"))

    def test_the_footer_offers_no_contact_heading_without_contact_details(self):
        # Saved as the settings form does, which shows the change at once.
        settings = SiteSettings.objects.get(site__is_default_site=True)
        settings.email = settings.phone = settings.address = ""
        settings.save()
        footer = self.soup(self.home).find("footer")
        self.assertNotIn("Contact us", footer.get_text())
        self.assertIn("Society of Medical Oncology Pakistan", footer.get_text())

    def test_every_page_has_a_skip_link_to_the_main_content(self):
        soup = self.soup(self.about)
        skip = soup.find("a", class_="skip-link")
        self.assertEqual(skip["href"], "#main")
        self.assertIsNotNone(soup.find("main", id="main"))
        self.assertEqual(len(soup.find_all("h1")), 1)

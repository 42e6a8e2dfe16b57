"""The member directory without JavaScript: a GET form, and pages that keep the filters."""

from bs4 import BeautifulSoup
from django.test import TestCase

from home.factories import make_site_root
from people.factories import MemberDirectoryPageFactory, PersonFactory


class DirectoryWithoutJavaScriptTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        cls.directory = MemberDirectoryPageFactory(parent=home, per_page=2)
        for first_name in ("Amna", "Bilal", "Hina"):
            PersonFactory(first_name=first_name, last_name="Alpha", city="Karachi")
        PersonFactory(first_name="Omar", last_name="Bravo", city="Lahore")

    def soup(self, **params):
        response = self.client.get(self.directory.url, params)
        self.assertEqual(response.status_code, 200)
        return BeautifulSoup(response.content, "html.parser")

    def test_the_search_form_is_a_plain_get_form(self):
        form = self.soup().find("form", class_="filter-form")
        self.assertEqual(form["method"], "get")
        self.assertEqual(form["action"], self.directory.url)
        names = {field["name"] for field in form.select("input[name], select[name]")}
        self.assertEqual(names, {"q", "specialty", "city", "institution"})
        for field in form.select("input[name], select[name]"):
            self.assertIsNotNone(form.find("label", attrs={"for": field["id"]}))

    def test_pages_keep_the_search_and_filters(self):
        soup = self.soup(q="alpha", city="Karachi")
        self.assertEqual(len(soup.select(".person-card")), 2)
        next_link = soup.find("a", rel="next")
        self.assertEqual(next_link["href"], "?q=alpha&city=Karachi&page=2")
        second = self.soup(q="alpha", city="Karachi", page="2")
        self.assertEqual(len(second.select(".person-card")), 1)
        self.assertIsNotNone(second.find("a", rel="prev"))

    def test_each_card_links_to_a_profile_in_the_site_design(self):
        card_link = self.soup(q="omar").select_one(".person-card .card__title a")
        profile = BeautifulSoup(self.client.get(card_link["href"]).content, "html.parser")
        self.assertEqual(profile.h1.get_text(strip=True), "Dr. Omar Bravo")
        crumbs = [li.get_text(strip=True) for li in profile.select(".breadcrumbs li")]
        self.assertEqual(crumbs[-2:], ["Member directory", "Dr. Omar Bravo"])

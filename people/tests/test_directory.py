"""The member directory: search, filters, pagination and who may appear."""

from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from django.db import connection
from django.db.models import Q
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import rich_text

from home.factories import StandardPageFactory, make_site_root
from people.factories import MemberDirectoryPageFactory, PersonFactory, SpecialtyFactory
from people.models import (
    MemberDirectoryPage,
    Person,
    Specialty,
    name_terms,
    public_directory_url,
    search_names,
)
from tests.helpers import AdminPageTestCase, page_form


def names(response):
    return [person.full_name for person in response.context["people"]]


class DirectoryTestCase(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        cls.directory = MemberDirectoryPageFactory(parent=home, per_page=2)
        haematology = SpecialtyFactory(name="Haematology")
        breast = SpecialtyFactory(name="Breast oncology")
        cls.amna = PersonFactory(
            first_name="Amna",
            last_name="Alpha",
            city="Lahore",
            institution="Institute One",
            specialties=[haematology],
        )
        cls.bilal = PersonFactory(
            first_name="Bilal",
            last_name="Bravo",
            city="Karachi",
            institution="Institute Two",
            specialties=[breast],
        )
        cls.hina = PersonFactory(
            first_name="Hina",
            last_name="Alpha",
            city="Karachi",
            institution="Institute One",
            specialties=[haematology, breast],
        )
        cls.omar = PersonFactory(
            first_name="Omar",
            last_name="Charlie",
            city="Karachi",
            institution="Institute Two",
        )
        cls.draft = PersonFactory(first_name="Dina", last_name="Alpha", city="Karachi", draft=True)
        cls.unlisted = PersonFactory(
            first_name="Umar", last_name="Alpha", city="Karachi", unlisted=True
        )

    def get_directory(self, **params):
        response = self.client.get(self.directory.url, params)
        self.assertEqual(response.status_code, 200)
        return response


class DirectoryListingTests(DirectoryTestCase):
    def test_lists_live_listed_people_by_last_name(self):
        response = self.get_directory()
        self.assertEqual(response.context["people"].paginator.count, 4)
        self.assertEqual(names(response), ["Dr. Amna Alpha", "Dr. Hina Alpha"])
        self.assertContains(response, "Amna")

    def test_never_lists_a_draft_or_unlisted_person(self):
        for params in ({}, {"q": "alpha"}, {"city": "Karachi"}, {"page": "3"}):
            with self.subTest(params=params):
                response = self.get_directory(**params)
                every_page = response.context["people"].paginator.object_list
                self.assertNotIn(self.draft, every_page)
                self.assertNotIn(self.unlisted, every_page)
                self.assertNotContains(response, "Dina")
                self.assertNotContains(response, "Umar")

    def test_search_matches_every_word_against_first_or_last_name(self):
        cases = {
            "alpha": ["Dr. Amna Alpha", "Dr. Hina Alpha"],
            "HINA": ["Dr. Hina Alpha"],
            "alpha amna": ["Dr. Amna Alpha"],
            "  amna   alpha ": ["Dr. Amna Alpha"],
            "alpha bilal": [],
            "charl": ["Dr. Omar Charlie"],
        }
        for query, expected in cases.items():
            with self.subTest(query=query):
                self.assertEqual(names(self.get_directory(q=query)), expected)

    def test_filters_by_specialty_city_and_institution(self):
        cases = [
            ({"specialty": "haematology"}, ["Dr. Amna Alpha", "Dr. Hina Alpha"]),
            (
                {"specialty": "breast-oncology", "city": "Karachi"},
                ["Dr. Hina Alpha", "Dr. Bilal Bravo"],
            ),
            ({"city": "Lahore"}, ["Dr. Amna Alpha"]),
            ({"institution": "Institute One", "city": "Karachi"}, ["Dr. Hina Alpha"]),
            ({"institution": "Institute Two"}, ["Dr. Bilal Bravo", "Dr. Omar Charlie"]),
            ({"institution": "Institute Two", "q": "charlie"}, ["Dr. Omar Charlie"]),
        ]
        for params, expected in cases:
            with self.subTest(params=params):
                response = self.get_directory(**params)
                people = response.context["people"].paginator.object_list
                self.assertEqual([person.full_name for person in people], expected)

    def test_filter_choices_come_only_from_listed_people(self):
        form = self.get_directory().context["form"]
        # The draft and unlisted people work at the factory's default institution.
        self.assertEqual(self.draft.institution, "Test Cancer Hospital")
        self.assertEqual(
            [value for value, label in form.fields["institution"].choices],
            ["", "Institute One", "Institute Two"],
        )
        self.assertEqual(
            [value for value, label in form.fields["city"].choices], ["", "Karachi", "Lahore"]
        )

    def test_an_empty_search_shows_the_empty_message(self):
        response = self.get_directory(q="nobody")
        self.assertEqual(names(response), [])
        self.assertContains(response, self.directory.empty_message)


class DirectoryPaginationTests(DirectoryTestCase):
    def test_pages_of_per_page_people(self):
        first = self.get_directory()
        second = self.get_directory(page="2")
        self.assertEqual(len(first.context["people"]), 2)
        self.assertEqual(names(second), ["Dr. Bilal Bravo", "Dr. Omar Charlie"])

    def test_page_links_keep_the_filters(self):
        response = self.get_directory(city="Karachi", q="a")
        self.assertEqual(response.context["people"].paginator.count, 3)
        soup = self.get_soup(response.content)
        link = soup.select_one('.pagination a[rel="next"]')
        self.assertIsNotNone(link, "no link to the next page")
        params = parse_qs(urlsplit(link["href"]).query)
        self.assertEqual(params, {"city": ["Karachi"], "q": ["a"], "page": ["2"]})

        second = self.client.get(self.directory.url + "?" + urlsplit(link["href"]).query)
        self.assertEqual(names(second), ["Dr. Omar Charlie"])
        previous = self.get_soup(second.content).select_one('.pagination a[rel="prev"]')
        self.assertEqual(
            parse_qs(urlsplit(previous["href"]).query),
            {"city": ["Karachi"], "q": ["a"], "page": ["1"]},
        )

    def test_bad_parameters_give_a_normal_page(self):
        bad_params = [
            {"specialty": "no-such-specialty"},
            {"city": "Atlantis"},
            {"institution": "<script>alert(1)</script>"},
            {"page": "abc"},
            {"page": "-1"},
            {"page": "0"},
            {"page": "99999"},
            {"q": "x" * 500},
            {"q": "nul\x00byte", "specialty": ["a", "b"]},
            {"city": "nul\x00byte", "institution": "\x00"},
        ]
        for params in bad_params:
            with self.subTest(params=params):
                response = self.get_directory(**params)
                self.assertContains(response, self.directory.title)
                self.assertNotContains(response, "<script>alert(1)</script>")
                self.assertLessEqual(len(response.context["people"]), 2)

    def test_an_unknown_filter_value_is_ignored(self):
        response = self.get_directory(specialty="no-such-specialty")
        self.assertEqual(response.context["people"].paginator.count, 4)

    def test_bad_page_numbers_give_the_first_or_last_page(self):
        last = ["Dr. Bilal Bravo", "Dr. Omar Charlie"]
        cases = {
            "abc": ["Dr. Amna Alpha", "Dr. Hina Alpha"],
            "0": last,
            "-1": last,
            "99": last,
            # Larger than any OFFSET SQLite can hold: the last page, not a server error.
            "99999999999999999999": last,
        }
        for page, expected in cases.items():
            with self.subTest(page=page):
                response = self.get_directory(page=page)
                self.assertEqual(names(response), expected)
                self.assertEqual(response.context["people"].paginator.count, 4)

    def test_a_search_past_its_last_page_shows_the_last_page(self):
        response = self.get_directory(city="Karachi", page="5")
        self.assertEqual(response.context["people"].number, 2)
        self.assertEqual(names(response), ["Dr. Omar Charlie"])

    def test_the_unfiltered_directory_counts_in_its_page_query(self):
        with CaptureQueriesContext(connection) as queries:
            response = self.get_directory(page="2")
        self.assertEqual(response.context["people"].paginator.count, 4)
        self.assertEqual(names(response), ["Dr. Bilal Bravo", "Dr. Omar Charlie"])
        counts = [q["sql"] for q in queries if q["sql"].startswith('SELECT COUNT(*) AS "__count"')]
        self.assertEqual(counts, [])

    def test_a_search_that_finds_nobody_counts_nobody(self):
        response = self.get_directory(q="nobody", page="3")
        self.assertEqual(response.context["people"].paginator.count, 0)
        self.assertEqual(names(response), [])

    def test_people_with_several_specialties_are_listed_and_counted_once(self):
        for slug, expected in (
            ("breast-oncology", ["Dr. Hina Alpha", "Dr. Bilal Bravo"]),  # Hina has both
            ("haematology", ["Dr. Amna Alpha", "Dr. Hina Alpha"]),
        ):
            with self.subTest(slug=slug):
                response = self.get_directory(specialty=slug)
                self.assertEqual(response.context["people"].paginator.count, 2)
                self.assertEqual(names(response), expected)


class DirectoryChoicesCacheTests(DirectoryTestCase):
    """The filter choices are cached, but follow every change to the listed people."""

    def choices(self, name):
        form = self.get_directory().context["form"]
        return [value for value, label in form.fields[name].choices if value]

    def test_a_newly_listed_city_is_offered_at_once(self):
        self.assertEqual(self.choices("city"), ["Karachi", "Lahore"])
        quetta = PersonFactory(city="Quetta")
        self.assertEqual(self.choices("city"), ["Karachi", "Lahore", "Quetta"])
        quetta.listed_in_directory = False
        quetta.save()
        self.assertEqual(self.choices("city"), ["Karachi", "Lahore"])

    def test_a_new_specialty_is_offered_once_someone_has_it(self):
        self.assertEqual(self.choices("specialty"), ["breast-oncology", "haematology"])
        self.omar.specialties.set([SpecialtyFactory(name="Radiation oncology")])
        self.omar.save()
        self.assertIn("radiation-oncology", self.choices("specialty"))


class ProfileTests(DirectoryTestCase):
    def profile_url(self, person):
        return self.directory.url + self.directory.reverse_subpage("profile", args=[person.slug])

    def test_a_listed_person_has_a_profile(self):
        response = self.client.get(self.profile_url(self.hina))
        self.assertContains(response, "Hina")
        self.assertContains(response, "Institute One")
        self.assertContains(response, "Haematology")
        self.assertEqual(self.hina.get_profile_url(), self.profile_url(self.hina))

    def test_draft_unlisted_and_unknown_people_have_no_profile(self):
        for person in (self.draft, self.unlisted):
            with self.subTest(person=person.first_name):
                self.assertEqual(self.client.get(self.profile_url(person)).status_code, 404)
        response = self.client.get(self.directory.url + "no-such-person/")
        self.assertEqual(response.status_code, 404)

    def test_a_profile_loads_no_private_field(self):
        response = self.client.get(self.profile_url(self.hina))
        deferred = response.context["person"].get_deferred_fields()
        self.assertEqual(deferred, set(Person.PRIVATE_FIELDS))

    def test_the_directory_links_to_profiles(self):
        response = self.get_directory(q="amna")
        self.assertContains(response, f'href="{self.profile_url(self.amna)}"')


class MemberDirectoryFormTests(AdminPageTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_site_root()
        cls.person = PersonFactory(first_name="Listed", last_name="Member")

    def test_create_and_view(self):
        data = page_form(
            {
                "title": "Member directory",
                "intro": rich_text("<p>Find an oncologist.</p>"),
                "empty_message": "Nobody matches.",
                "per_page": "20",
            }
        )
        self.assertCanCreate(self.home, MemberDirectoryPage, data)

        page = MemberDirectoryPage.objects.get(slug="member-directory")
        html = self.get_page_html(page)
        self.assertIn("Find an oncologist.", html)
        self.assertIn("Listed", html)
        self.assertIn("Member", html)


class DirectoryCardTests(DirectoryTestCase):
    """What a card shows comes with the page of results (MemberDirectoryPage.add_card_details)."""

    def test_cards_show_specialties_a_to_z_and_link_to_profiles(self):
        response = self.get_directory(q="hina")
        card = BeautifulSoup(response.content, "html.parser").select_one(".person-card")
        self.assertEqual(
            [li.get_text() for li in card.select(".tag-list li")],
            ["Breast oncology", "Haematology"],
        )
        link = card.select_one(".card__title a")
        self.assertEqual(link.get_text(), "Dr. Hina Alpha")
        expected = self.directory.url + self.directory.reverse_subpage(
            "profile", args=[self.hina.slug]
        )
        self.assertEqual(link["href"], expected)
        self.assertEqual(self.client.get(link["href"]).status_code, 200)

    def test_card_specialties_follow_a_renamed_or_new_specialty(self):
        """The specialties' names and order are cached (specialty_order) until content
        changes: a renamed or added specialty shows at once, in the database's order."""

        def tags():
            card = BeautifulSoup(self.get_directory(q="hina").content, "html.parser")
            return [li.get_text() for li in card.select(".person-card .tag-list li")]

        self.assertEqual(tags(), ["Breast oncology", "Haematology"])
        breast = Specialty.objects.get(name="Breast oncology")
        breast.name = "Surgical oncology"
        breast.save()
        self.assertEqual(tags(), ["Haematology", "Surgical oncology"])
        self.hina.specialties.add(SpecialtyFactory(name="Anaesthesia"))
        self.hina.save()
        self.assertEqual(tags(), ["Anaesthesia", "Haematology", "Surgical oncology"])

    def test_a_person_without_specialties_has_no_specialty_list(self):
        card = BeautifulSoup(self.get_directory(q="omar").content, "html.parser")
        self.assertIsNone(card.select_one(".person-card .tag-list"))

    def test_private_fields_are_never_loaded_for_a_listing(self):
        for person in self.get_directory(q="alpha").context["people"]:
            with self.subTest(person=person.full_name):
                self.assertTrue(set(Person.PRIVATE_FIELDS) <= person.get_deferred_fields())
                self.assertIn("biography", person.get_deferred_fields())


class NameSearchTests(DirectoryTestCase):
    """search_names() keeps exactly the people a chain of per-word icontains keeps, on
    every database (PostgreSQL answers with one LIKE ALL, the others word by word)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for first_name, last_name in (
            ("Xa", "By"),  # "ab" spans the two names: it matches neither
            ("Mary Ann", "O'Neil-Khan"),
            ("Zoë", "Ünal"),
            ("Per%cent", "Under_score"),
            ("Back\\slash", "Member 0042"),
        ):
            PersonFactory(first_name=first_name, last_name=last_name)

    def word_by_word(self, query):
        people = Person.objects.public()
        for word in name_terms(query):
            people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        return people

    def test_the_same_people_as_icontains_word_by_word(self):
        queries = [
            "ab", "xa by", "a b", "ann", "mary khan", "o'neil", "neil-k", "zoë", "ÜNAL",
            "per%cent", "%", "_", "under_score", "r_s", "back\\slash", "\\", "member 42",
            "0042", "alpha", "ALPHA hina", "", "dr",
        ]  # fmt: skip
        ordered = Person.objects.public().order_by("pk")
        for query in queries:
            with self.subTest(query=query):
                self.assertQuerySetEqual(
                    search_names(ordered, query), self.word_by_word(query).order_by("pk")
                )

    def test_no_word_spans_the_two_names(self):
        self.assertFalse(search_names(Person.objects.all(), "ab").exists())
        self.assertTrue(search_names(Person.objects.all(), "xa").exists())

    def test_the_stored_search_name_follows_a_name_change(self):
        person = PersonFactory(first_name="Old", last_name="Name")
        person.first_name, person.last_name = "Saba", "Qureshi"
        person.save()
        person.refresh_from_db()
        self.assertEqual(person.search_name, "SABA QURESHI")
        self.assertTrue(search_names(Person.objects.filter(pk=person.pk), "saba qureshi"))
        self.assertFalse(search_names(Person.objects.filter(pk=person.pk), "old"))
        Person.objects.filter(pk=person.pk).update(last_name="Zaidi")
        person.refresh_from_db()
        self.assertEqual(person.search_name, "SABA ZAIDI")
        self.assertTrue(search_names(Person.objects.filter(pk=person.pk), "zaidi"))


class DirectoryNameSearchTests(DirectoryTestCase):
    def test_titles_and_punctuation_in_a_name_search_are_ignored(self):
        for query in ("Dr. Hina", "dr hina alpha", "Prof. Hina, Alpha", "HINA!"):
            with self.subTest(query=query):
                self.assertEqual(names(self.get_directory(q=query)), ["Dr. Hina Alpha"])

    def test_a_search_of_only_a_title_lists_everyone(self):
        self.assertEqual(self.get_directory(q="Dr.").context["people"].paginator.count, 4)


class DirectoryUrlCacheTests(DirectoryTestCase):
    """Profile links take the directory's URL from the cache (no query), and follow every
    change to the directory page at once."""

    def test_a_profile_link_makes_no_page_query_once_the_url_is_cached(self):
        expected = self.directory.url + f"{self.hina.slug}/"
        self.assertEqual(self.hina.get_profile_url(), expected)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.hina.get_profile_url(), expected)
            self.assertEqual(public_directory_url(), self.directory.url)
        # Outside a request, only the content generation is read.
        self.assertNotIn("wagtailcore_page", " ".join(q["sql"] for q in queries))

    def test_unpublishing_and_republishing_the_directory(self):
        self.assertTrue(self.hina.get_profile_url())
        self.directory.unpublish()
        self.assertEqual(self.hina.get_profile_url(), "")
        self.directory.save_revision().publish()
        self.assertEqual(self.hina.get_profile_url(), f"{self.directory.url}{self.hina.slug}/")

    def test_a_new_slug_or_parent_moves_the_links(self):
        self.assertTrue(self.hina.get_profile_url().startswith(self.directory.url))
        self.directory.slug = "people"
        self.directory.save_revision().publish()
        self.assertEqual(self.hina.get_profile_url(), f"/people/{self.hina.slug}/")
        section = StandardPageFactory(parent=self.directory.get_parent(), slug="about")
        self.directory.move(section, pos="last-child")
        self.assertEqual(self.hina.get_profile_url(), f"/about/people/{self.hina.slug}/")

    def test_a_private_directory_gives_no_links(self):
        self.assertTrue(self.hina.get_profile_url())
        PageViewRestriction.objects.create(
            page=self.directory, restriction_type=PageViewRestriction.LOGIN
        )
        self.assertEqual(self.hina.get_profile_url(), "")

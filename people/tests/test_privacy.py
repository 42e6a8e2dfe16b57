"""Private fields never reach a visitor; public contact details only on opt-in."""

import datetime as dt

from django.test import RequestFactory, TestCase
from wagtail.models import Page

from events.factories import EventIndexPageFactory, EventPageFactory, EventSpeakerFactory
from events.models import EventPage
from gallery.factories import GalleryImageFactory, GalleryIndexPageFactory, GalleryPageFactory
from home.factories import (
    InitiativeInvestigatorFactory,
    InitiativePageFactory,
    PresidentMessagePageFactory,
    make_site_root,
)
from home.models import HomePage, InitiativePage, PresidentMessagePage
from people.factories import (
    MemberDirectoryPageFactory,
    OfficerRoleFactory,
    OfficerTermFactory,
    PersonFactory,
)
from people.models import Person


def private_markers(tag):
    """Unique strings for every private field, so a leak anywhere is found."""
    return {
        "registration_number": f"PMDC-{tag}-7Q3X",
        "private_email": f"{tag.lower()}.hidden@private.example",
        "private_phone": f"+92 300 {tag} 0001",
        "private_notes": f"Private note {tag} about membership fees",
    }


class PrivateFieldsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = home = make_site_root(
            sections__0="president_message", sections__1="upcoming_events", sections__2="pillars"
        )
        role = OfficerRoleFactory(name="President")
        cls.president = PersonFactory(
            first_name="Presiding",
            last_name="Officer",
            show_contact_details=True,
            public_email="president@smop.example",
            **private_markers("PRES"),
        )
        OfficerTermFactory(person=cls.president, role=role, start_date=dt.date(2018, 1, 1))
        # An investigator who is not listed in the directory: named, never exposed.
        cls.investigator = PersonFactory(
            first_name="Quiet", last_name="Investigator", unlisted=True, **private_markers("INV")
        )
        cls.draft = PersonFactory(first_name="Draft", draft=True, **private_markers("DRAFT"))

        PresidentMessagePageFactory(parent=home, signatory_role=role)
        cls.directory = MemberDirectoryPageFactory(parent=home)
        events = EventIndexPageFactory(parent=home)
        event = EventPageFactory(parent=events, start_date=dt.date(2099, 1, 5))
        EventSpeakerFactory(page=event, person=cls.president, name="")
        EventSpeakerFactory(page=event, person=cls.investigator, name="")
        EventSpeakerFactory(page=event, person=cls.draft, name="")
        initiative = InitiativePageFactory(parent=home)
        InitiativeInvestigatorFactory(page=initiative, person=cls.investigator)
        InitiativeInvestigatorFactory(page=initiative, person=cls.president)
        InitiativeInvestigatorFactory(page=initiative, person=cls.draft)
        cls.event, cls.initiative = event, initiative
        album = GalleryPageFactory(parent=GalleryIndexPageFactory(parent=home), event=event)
        GalleryImageFactory(page=album)

    def markers(self):
        return [
            value
            for person in (self.president, self.investigator, self.draft)
            for value in (getattr(person, name) for name in Person.PRIVATE_FIELDS)
        ]

    def profile_url(self, person):
        return self.directory.url + self.directory.reverse_subpage("profile", args=[person.slug])

    def public_urls(self):
        """{url: expected status}: every live page, every profile, and searches."""
        pages = Page.objects.live().descendant_of(self.home, inclusive=True)
        urls = dict.fromkeys((page.url for page in pages), 200)
        urls[self.profile_url(self.president)] = 200
        # Unlisted and draft people have no profile at all.
        urls[self.profile_url(self.investigator)] = 404
        urls[self.profile_url(self.draft)] = 404
        for query in ("?q=presiding", "?q=officer", "?q=quiet", "?q=draft"):
            urls[self.directory.url + query] = 200
        for query in ("Presiding", "Investigator", "PMDC", "hidden"):
            urls[f"/search/?q={query}"] = 200
        return urls

    def test_private_fields_appear_on_no_public_page(self):
        urls = self.public_urls()
        self.assertEqual(list(urls.values()).count(404), 2)
        self.assertGreaterEqual(len(urls), 19)
        for url, status in urls.items():
            with self.subTest(url=url):
                response = self.client.get(url)
                for marker in self.markers():
                    self.assertNotContains(response, marker, status_code=status)

    def test_the_pages_that_name_the_president_do_so_without_private_fields(self):
        pages_naming_people = (HomePage, PresidentMessagePage, EventPage, InitiativePage)
        for page in Page.objects.live().type(*pages_naming_people).specific():
            with self.subTest(page=page.title):
                response = self.client.get(page.url)
                self.assertContains(response, "Presiding")
                for marker in private_markers("PRES").values():
                    self.assertNotContains(response, marker)

    def test_an_unpublished_person_is_not_named_as_speaker_or_investigator(self):
        for page in (self.event, self.initiative):
            with self.subTest(page=page.title):
                response = self.client.get(page.url)
                self.assertContains(response, "Quiet Investigator")
                self.assertNotContains(response, self.draft.full_name)

    def test_the_preview_of_a_person_shows_no_private_fields(self):
        request = RequestFactory().get("/")
        response = self.president.serve_preview(request, "")
        response.render()
        html = response.content.decode()
        self.assertIn("Presiding", html)
        for marker in private_markers("PRES").values():
            self.assertNotIn(marker, html)


class PublicContactTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.directory = MemberDirectoryPageFactory(parent=make_site_root())
        contact = {"public_email": "clinic@example.org", "public_phone": "+92 42 1234 5678"}
        cls.opted_in = PersonFactory(show_contact_details=True, **contact)
        cls.opted_out = PersonFactory(show_contact_details=False, **contact)

    def profile(self, person):
        url = self.directory.url + self.directory.reverse_subpage("profile", args=[person.slug])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return response

    def test_contact_details_shown_when_the_member_opted_in(self):
        self.assertEqual(
            self.opted_in.public_contact,
            {"email": "clinic@example.org", "phone": "+92 42 1234 5678"},
        )
        response = self.profile(self.opted_in)
        self.assertContains(response, "clinic@example.org")
        self.assertContains(response, "+92 42 1234 5678")

    def test_contact_details_hidden_otherwise(self):
        self.assertEqual(self.opted_out.public_contact, {})
        response = self.profile(self.opted_out)
        self.assertContains(response, self.opted_out.first_name)
        self.assertNotContains(response, "clinic@example.org")
        self.assertNotContains(response, "1234 5678")

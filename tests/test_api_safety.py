"""The public API shows anonymous readers live, public content only, and answers junk with 400.

Drafts, unpublished pages, view-restricted pages (and what is below them), draft
changes to live pages, people who are not live or not listed, and private person
fields must never be reachable: not by any endpoint, filter, search or nesting,
and not even for a signed-in editor (the API is the same for everyone, so a shared
cache can keep its answers).
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from cms.factories import DocumentFactory, SiteImageFactory
from events.factories import EventIndexPageFactory, EventPageFactory, EventSpeakerFactory
from gallery.factories import GalleryImageFactory, GalleryIndexPageFactory, GalleryPageFactory
from home.factories import (
    InitiativeInvestigatorFactory,
    InitiativePageFactory,
    PresidentMessagePageFactory,
    ResourceFactory,
    ResourceListPageFactory,
    StandardPageFactory,
    make_site_root,
)
from people.factories import (
    MemberDirectoryPageFactory,
    OfficerRoleFactory,
    OfficerTermFactory,
    PersonFactory,
)
from people.models import Person

SECRETS = {
    "registration_number": "PMDC-SECRET-0001",
    "private_email": "secret.person@example.org",
    "private_phone": "+92 300 0000001",
    "private_notes": "SECRET-NOTE about this member",
}


def private_fields(**extra):
    return {**SECRETS, **extra}


class PrivateContentTests(TestCase):
    """A site with something private of every kind, read through every endpoint."""

    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.public = StandardPageFactory(parent=cls.home, title="Public page")
        cls.draft = StandardPageFactory(parent=cls.home, title="DRAFT-PAGE-TITLE", live=False)
        cls.restricted = StandardPageFactory(parent=cls.home, title="RESTRICTED-PAGE-TITLE")
        cls.below_restricted = StandardPageFactory(
            parent=cls.restricted, title="BELOW-RESTRICTED-TITLE"
        )
        PageViewRestriction.objects.create(
            page=cls.restricted, restriction_type=PageViewRestriction.PASSWORD, password="pw"
        )
        # A live page with an unpublished draft: the API shows what is published.
        cls.public.title = "UNPUBLISHED-DRAFT-TITLE"
        cls.public.save_revision()
        cls.public.refresh_from_db()

        cls.listed = PersonFactory(first_name="Listed", **private_fields())
        cls.unlisted = PersonFactory(first_name="Unlisted", unlisted=True, **private_fields())
        cls.hidden = PersonFactory(first_name="DRAFTPERSON", draft=True, **private_fields())
        MemberDirectoryPageFactory(parent=cls.home)

        events = EventIndexPageFactory(parent=cls.home)
        gallery_index = GalleryIndexPageFactory(parent=cls.home)
        cls.draft_gallery = GalleryPageFactory(
            parent=gallery_index, title="DRAFT-GALLERY-TITLE", live=False
        )
        cls.event = EventPageFactory(
            parent=events, title="Public event", gallery=cls.draft_gallery
        )
        for person in (cls.listed, cls.unlisted, cls.hidden):
            EventSpeakerFactory(page=cls.event, person=person, name="")
        cls.restricted_event = EventPageFactory(parent=events, title="RESTRICTED-EVENT-TITLE")
        PageViewRestriction.objects.create(
            page=cls.restricted_event, restriction_type=PageViewRestriction.LOGIN
        )
        cls.initiative = InitiativePageFactory(parent=cls.home)
        for person in (cls.listed, cls.unlisted, cls.hidden):
            InitiativeInvestigatorFactory(page=cls.initiative, person=person)
        role = OfficerRoleFactory(name="President")
        OfficerTermFactory(person=cls.listed, role=role)
        PresidentMessagePageFactory(parent=cls.home, signatory_role=role)

        private_collection = Collection.get_first_root_node().add_child(name="Private")
        CollectionViewRestriction.objects.create(
            collection=private_collection,
            restriction_type=CollectionViewRestriction.PASSWORD,
            password="pw",
        )
        cls.private_image = SiteImageFactory(
            title="PRIVATE-IMAGE-TITLE", collection=private_collection
        )
        GalleryImageFactory(
            page=GalleryPageFactory(parent=gallery_index), image=SiteImageFactory()
        )

    def get(self, url, status=200):
        response = self.client.get(url, HTTP_HOST="localhost")
        self.assertEqual(response.status_code, status, response.content[:300])
        return response

    def body(self, url, status=200):
        return self.get(url, status).content.decode()

    def assert_nothing_private(self, text):
        forbidden = [
            "DRAFT-PAGE-TITLE",
            "RESTRICTED-PAGE-TITLE",
            "BELOW-RESTRICTED-TITLE",
            "UNPUBLISHED-DRAFT-TITLE",
            "RESTRICTED-EVENT-TITLE",
            "DRAFT-GALLERY-TITLE",
            "DRAFTPERSON",
            "PRIVATE-IMAGE-TITLE",
            *SECRETS.values(),
            *private_field_names(),
        ]
        for secret in forbidden:
            self.assertNotIn(secret, text)

    def every_public_url(self):
        urls = [
            "/api/v2/pages/?limit=100",
            "/api/v2/pages/?limit=100&fields=*",
            "/api/v2/pages/?search=TITLE",
            "/api/v2/pages/?descendant_of=root&limit=100",
            f"/api/v2/pages/?child_of={self.home.pk}&limit=100",
            "/api/v2/events/?fields=*",
            "/api/v2/events/?past=true",
            "/api/v2/galleries/?fields=*",
            f"/api/v2/galleries/?event={self.event.pk}",
            "/api/v2/people/?fields=*",
            "/api/v2/people/?name=draftperson",
            "/api/v2/images/?fields=*",
            "/api/v2/documents/",
            "/api/v2/resources/",
            "/api/v2/navigation/",
            "/api/v2/search/?q=TITLE",
            "/api/v2/search/?q=DRAFTPERSON",
        ]
        page_ids = [item["id"] for item in self.get("/api/v2/pages/?limit=100").json()["items"]]
        urls += [f"/api/v2/pages/{pk}/" for pk in page_ids]
        person_ids = [item["id"] for item in self.get("/api/v2/people/").json()["items"]]
        urls += [f"/api/v2/people/{pk}/" for pk in person_ids]
        return urls

    def test_no_endpoint_shows_anything_private(self):
        for url in self.every_public_url():
            with self.subTest(url=url):
                self.assert_nothing_private(self.body(url))

    def test_a_signed_in_editor_sees_the_same_public_content(self):
        admin = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
        self.client.force_login(admin)
        session = self.client.session
        # As if the editor had typed the page password on the site.
        session[PageViewRestriction.passed_view_restrictions_session_key] = [
            r.pk for r in PageViewRestriction.objects.all()
        ]
        session.save()
        for url in self.every_public_url():
            with self.subTest(url=url):
                self.assert_nothing_private(self.body(url))

    def test_private_pages_have_no_detail_and_cannot_be_found(self):
        for page in (self.draft, self.restricted, self.below_restricted, self.restricted_event):
            with self.subTest(page=page.title):
                self.get(f"/api/v2/pages/{page.pk}/", status=404)
                self.get(f"/api/v2/pages/find/?html_path={site_path(page)}", status=404)
        self.get(f"/api/v2/events/{self.restricted_event.pk}/", status=404)
        self.get(f"/api/v2/galleries/{self.draft_gallery.pk}/", status=404)

    def test_private_pages_cannot_be_used_as_filters(self):
        for name in ("child_of", "descendant_of", "ancestor_of"):
            with self.subTest(name=name):
                response = self.get(f"/api/v2/pages/?{name}={self.restricted.pk}", status=400)
                self.assertIn("message", response.json())

    def test_the_published_title_is_shown_not_the_draft(self):
        detail = self.get(f"/api/v2/pages/{self.public.pk}/").json()
        self.assertEqual(detail["title"], "Public page")

    def test_people_endpoint_lists_listed_live_members_only(self):
        items = self.get("/api/v2/people/").json()["items"]
        self.assertEqual([item["id"] for item in items], [self.listed.pk])
        self.get(f"/api/v2/people/{self.unlisted.pk}/", status=404)
        self.get(f"/api/v2/people/{self.hidden.pk}/", status=404)

    def test_private_person_fields_cannot_be_asked_for_filtered_or_ordered(self):
        for name in private_field_names():
            for url in (
                f"/api/v2/people/?fields={name}",
                f"/api/v2/people/{self.listed.pk}/?fields={name}",
                f"/api/v2/people/?{name}=x",
                f"/api/v2/people/?order={name}",
                f"/api/v2/pages/?type=events.EventPage&fields=speakers({name})",
            ):
                with self.subTest(url=url):
                    self.get(url, status=400)

    def test_speakers_and_investigators_show_unlisted_people_by_name_only(self):
        event = self.get(f"/api/v2/pages/{self.event.pk}/").json()
        people = [speaker["person"] for speaker in event["speakers"]]
        self.assertEqual(
            [(p["full_name"], p["id"]) for p in people],
            [(self.listed.full_name, self.listed.pk), (self.unlisted.full_name, None)],
        )
        self.assertEqual(people[1]["profile_url"], None)
        self.assertEqual(people[1]["photo"], None)
        initiative = self.get(f"/api/v2/pages/{self.initiative.pk}/").json()
        names = [item["person"]["full_name"] for item in initiative["investigators"]]
        self.assertEqual(names, [self.listed.full_name, self.unlisted.full_name])

    def test_a_link_to_an_unpublished_gallery_is_null(self):
        event = self.get(f"/api/v2/pages/{self.event.pk}/").json()
        self.assertIsNone(event["gallery"])
        self.assertEqual(event["galleries"], [])

    def test_images_in_restricted_collections_are_not_served(self):
        self.get(f"/api/v2/images/{self.private_image.pk}/", status=404)


def site_path(page):
    """The page's path on the site ('/events/x/'), from its tree path ('/home/events/x/')."""
    return "/" + page.url_path.split("/", 2)[2]


def private_field_names():
    return Person.PRIVATE_FIELDS


JUNK = [
    "/api/v2/pages/?type=nonsense",
    "/api/v2/pages/?type=people.Person",
    "/api/v2/pages/?type=home.NoSuchPage",
    "/api/v2/pages/?limit=ten",
    "/api/v2/pages/?limit=-1",
    "/api/v2/pages/?limit=100000",
    "/api/v2/pages/?offset=-5",
    "/api/v2/pages/?offset=x",
    "/api/v2/pages/?offset=99999999999999999999999",
    "/api/v2/pages/?fields=no_such_field",
    "/api/v2/pages/?fields=title(",
    "/api/v2/pages/?order=no_such_field",
    "/api/v2/pages/?order=random&offset=2",
    "/api/v2/pages/?no_such_parameter=1",
    "/api/v2/pages/?id=x",
    "/api/v2/pages/?id=99999999999999999999999",
    "/api/v2/pages/?child_of=-1",
    "/api/v2/pages/?child_of=99999999999999999999999",
    "/api/v2/pages/?descendant_of=abc",
    "/api/v2/pages/?show_in_menus=perhaps",
    "/api/v2/pages/?slug=%00",
    "/api/v2/pages/?search=x&search_operator=xor",
    "/api/v2/pages/?rich_text_format=pdf",
    "/api/v2/pages/?format=api",
    "/api/v2/events/?fields=body",
    "/api/v2/events/?upcoming=soon",
    "/api/v2/events/?upcoming=true&past=true",
    "/api/v2/events/?category=party",
    "/api/v2/events/?format=carrier-pigeon",
    "/api/v2/events/?start_after=yesterday",
    "/api/v2/events/?start_before=2021-02-30",
    "/api/v2/events/?start_after=2022-01-01&start_before=2021-01-01",
    "/api/v2/events/?starts_at=not-a-date",
    "/api/v2/events/?cme_credits=lots",
    "/api/v2/events/?type=home.StandardPage",
    "/api/v2/people/?search=x",
    "/api/v2/people/?order=-private_notes",
    "/api/v2/people/?specialties=x",
    "/api/v2/resources/?language=fr",
    "/api/v2/resources/?audience=everyone",
    "/api/v2/galleries/?event=first",
    "/api/v2/images/?width=wide",
    "/api/v2/documents/?order=size",
    "/api/v2/search/",
    "/api/v2/search/?q=x&type=nope",
    "/api/v2/search/?q=x&limit=-2",
    "/api/v2/navigation/?menu=all",
    "/api/v2/pages/find/?id=abc",
    "/api/v2/people/find/?id=99999999999999999999999",
]


@pytest.mark.parametrize("url", JUNK)
def test_junk_parameters_get_a_400_with_a_json_message(client, home_page, url):
    response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["message"]


@pytest.mark.parametrize(
    "url", ["/api/v2/pages/123456/", "/api/v2/pages/find/?html_path=/no/such/page/"]
)
def test_missing_objects_get_a_404_with_a_json_message(client, home_page, url):
    response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 404
    assert json.loads(response.content)["message"]


def test_only_reading_is_allowed(client, home_page):
    response = client.post("/api/v2/pages/", {}, HTTP_HOST="localhost")
    assert response.status_code == 405
    assert json.loads(response.content)["message"]


# Junk of every kind the issue names, sent to every endpoint: listings, details and find.
JUNK_PARAMETERS = [
    "type=nonsense",
    "type=people.Person",
    "limit=ten",
    "limit=-1",
    "limit=1.5",
    "offset=-1",
    "offset=x",
    "fields=no_such_field",
    "fields=-no_such_field",
    "fields=*,no_such_field",
    "fields=title(",
    "order=no_such_field",
    "order=-no_such_field",
    "no_such_parameter=1",
    "search_operator=xor",
    "rich_text_format=db_html",
]


class JunkOnEveryEndpointTests(TestCase):
    """Every junk parameter on every endpoint is a 400 with a JSON message, never a 500."""

    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        event = EventPageFactory(parent=EventIndexPageFactory(parent=home))
        gallery = GalleryPageFactory(parent=GalleryIndexPageFactory(parent=home), event=event)
        GalleryImageFactory(page=gallery)
        MemberDirectoryPageFactory(parent=home)
        person = PersonFactory()
        resource = ResourceFactory(page=ResourceListPageFactory(parent=home))
        image, document = SiteImageFactory(), DocumentFactory()
        cls.endpoints = [
            "/api/v2/pages/",
            f"/api/v2/pages/{home.pk}/",
            "/api/v2/pages/find/?html_path=/",
            "/api/v2/images/",
            f"/api/v2/images/{image.pk}/",
            "/api/v2/documents/",
            f"/api/v2/documents/{document.pk}/",
            "/api/v2/events/",
            f"/api/v2/events/{event.pk}/",
            "/api/v2/people/",
            f"/api/v2/people/{person.pk}/",
            f"/api/v2/people/find/?id={person.pk}",
            "/api/v2/resources/",
            f"/api/v2/resources/{resource.pk}/",
            "/api/v2/galleries/",
            f"/api/v2/galleries/{gallery.pk}/",
            "/api/v2/navigation/",
            "/api/v2/search/?q=oncology",
        ]

    def test_every_endpoint_answers_without_junk(self):
        for endpoint in self.endpoints:
            with self.subTest(endpoint=endpoint):
                response = self.client.get(endpoint, HTTP_HOST="localhost")
                self.assertIn(response.status_code, (200, 302), response.content[:300])

    def test_every_junk_parameter_is_a_400_on_every_endpoint(self):
        for endpoint in self.endpoints:
            for junk in JUNK_PARAMETERS:
                url = f"{endpoint}{'&' if '?' in endpoint else '?'}{junk}"
                with self.subTest(url=url):
                    response = self.client.get(url, HTTP_HOST="localhost")
                    self.assertEqual(response.status_code, 400, response.content[:300])
                    self.assertEqual(response["Content-Type"], "application/json")
                    self.assertTrue(json.loads(response.content)["message"])

"""The JSON a frontend relies on, for every page type and endpoint of /api/v2/.

`shape()` reduces a response to its keys and value types, so each test states the
exact shape (every key, in order, and what it holds) and a change to it is a
deliberate change to this contract. Values a frontend needs to get right (URLs,
rich text, image renditions, links) are checked as values too.
"""

import datetime as dt

from django.test import TestCase
from django.utils import timezone
from wagtail.models import Page

from cms.factories import DocumentFactory, SiteImageFactory
from cms.models import SiteSettings, SocialLink
from events.factories import (
    EventIndexPageFactory,
    EventPageFactory,
    EventSpeakerFactory,
    ProgrammeSessionFactory,
)
from gallery.factories import GalleryImageFactory, GalleryIndexPageFactory, GalleryPageFactory
from home.factories import (
    InitiativeInvestigatorFactory,
    InitiativePageFactory,
    ParticipatingCentreFactory,
    PresidentMessagePageFactory,
    PublicationFactory,
    ResourceFactory,
    ResourceListPageFactory,
    StandardPageFactory,
    ValuesPageFactory,
    make_site_root,
)
from people.factories import (
    MemberDirectoryPageFactory,
    OfficerRoleFactory,
    OfficerTermFactory,
    PersonFactory,
    SpecialtyFactory,
)


def shape(value):
    """Keys and value types: {"a": "str", "b": ["int"], "c": {...}}; lists by their first item."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return "null" if value is None else type(value).__name__


def link(page=None, url="", label="Read more"):
    return {"label": label, "page": page, "url": url}


def pillar(page):
    return {"title": "Education", "text": "For doctors.", "link": link(page)}


IMAGE = {
    "id": "int",
    "title": "str",
    "alt": "str",
    "credit": "str",
    "width": "int",
    "height": "int",
    "url": "str",
    "renditions": [{"width": "int", "height": "int", "url": "str", "webp_url": "str"}],
}
PAGE_LINK = {"id": "int", "type": "str", "title": "str", "html_url": "str", "detail_url": "str"}
PERSON_SUMMARY = {
    "id": "int",
    "full_name": "str",
    "honorific": "str",
    "first_name": "str",
    "last_name": "str",
    "credentials": "str",
    "designation": "str",
    "institution": "str",
    "city": "str",
    "photo": IMAGE,
    "profile_url": "str",
    "detail_url": "str",
}
DOCUMENT = {
    "id": "int",
    "title": "str",
    "url": "str",
    "filename": "str",
    "size": "int",
    "extension": "str",
    "content_type": "str",
}
PAGE_META = {
    "type": "str",
    "detail_url": "str",
    "html_url": "str",
    "slug": "str",
    "show_in_menus": "bool",
    "seo_title": "str",
    "search_description": "str",
    "first_published_at": "str",
    "alias_of": "null",
    "parent": {
        "id": "int",
        "meta": {"type": "str", "detail_url": "str", "html_url": "str"},
        "title": "str",
    },
}
LISTING = {"listing_title": "str", "listing_summary": "str", "listing_image": IMAGE}


class ContractTests(TestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root(hero_image=SiteImageFactory(credit="SMOP"))
        cls.image = SiteImageFactory(title="Delegates", alt_text="Delegates in a hall")
        cls.document = DocumentFactory(title="Guideline")
        cls.about = StandardPageFactory(
            parent=cls.home,
            title="What is SMOP",
            listing_image=cls.image,
            intro="Who we are.",
            body__0__heading__value="Our story",
            body__1__paragraph__value=(
                f'<p>See <a linktype="page" id="{cls.home.pk}">home</a>.</p>'
            ),
            body__2__image__image__image=cls.image,
            body__2__image__caption="A caption",
            body__3__quote__text="Better care.",
            body__4__document__document__document=cls.document,
            body__5__link__label="WHO",
        )
        cls.specialty = SpecialtyFactory(name="Medical oncology")
        cls.person = PersonFactory(
            first_name="Amina",
            last_name="Khan",
            credentials="MBBS, FCPS",
            photo=SiteImageFactory(),
            specialties=[cls.specialty],
            biography="<p>A <b>biography</b>.</p>",
            show_contact_details=True,
            public_email="amina@example.org",
        )
        role = OfficerRoleFactory(name="President")
        OfficerTermFactory(person=cls.person, role=role, start_date=dt.date(2024, 1, 1))
        cls.president = PresidentMessagePageFactory(
            parent=cls.home, signatory_role=role, listing_image=cls.image
        )
        cls.values = ValuesPageFactory(
            parent=cls.home,
            listing_image=cls.image,
            values__0__value__name="Integrity",
            values__0__value__icon="shield",
        )
        cls.initiative = InitiativePageFactory(
            parent=cls.home,
            listing_image=cls.image,
            aims="<ul><li>Aim</li></ul>",
        )
        cls.initiative.documents = [("document", {"document": cls.document, "title": ""})]
        cls.initiative.save()
        InitiativeInvestigatorFactory(page=cls.initiative, person=cls.person, role="Lead")
        ParticipatingCentreFactory(page=cls.initiative)
        PublicationFactory(page=cls.initiative, doi="10.1200/GO.21.00320")
        cls.resources = ResourceListPageFactory(
            parent=cls.home, listing_image=cls.image, intro="<p>Read these.</p>"
        )
        ResourceFactory(page=cls.resources, topic="Guidelines", summary="A summary.")
        ResourceFactory(page=cls.resources, url="", document=cls.document, language="ur")
        cls.events = EventIndexPageFactory(parent=cls.home, listing_image=cls.image)
        cls.gallery_index = GalleryIndexPageFactory(parent=cls.home, listing_image=cls.image)
        cls.event = EventPageFactory(
            parent=cls.events,
            title="Breast Cancer Symposium",
            listing_image=cls.image,
            start_date=timezone.localdate() + dt.timedelta(days=20),
            cme_credits=4,
            registration_url="https://example.org/register",
        )
        EventSpeakerFactory(page=cls.event, person=cls.person, name="", topic="Keynote")
        EventSpeakerFactory(page=cls.event, name="Guest Speaker", affiliation="ASCO")
        ProgrammeSessionFactory(page=cls.event, title="Opening")
        cls.gallery = GalleryPageFactory(
            parent=cls.gallery_index,
            event=cls.event,
            date=dt.date(2024, 3, 1),
            listing_image=cls.image,
        )
        GalleryImageFactory(page=cls.gallery, image=cls.image, caption="Hall")
        cls.directory = MemberDirectoryPageFactory(parent=cls.home, listing_image=cls.image)
        settings = SiteSettings.for_site(cls.home.get_site())
        settings.email, settings.phone = "info@example.org", "+92 42 000 0000"
        settings.address = "1 Example Road\nLahore"
        settings.save()
        SocialLink.objects.create(settings=settings, platform="facebook", url="https://fb.com/x")
        Page.objects.filter(pk__in=[cls.about.pk, cls.events.pk]).update(show_in_menus=True)
        cls.home.sections = [
            ("pillars", {"heading": "What we do", "pillars": [pillar(cls.about)]}),
            ("president_message", {"heading": "From the President"}),
            ("upcoming_events", {"heading": "Upcoming events", "count": 3}),
            ("featured_links", {"heading": "Explore", "links": [link(cls.directory)]}),
        ]
        cls.home.save()
        Page.objects.update(first_published_at=timezone.now())  # as if published

    def get(self, url):
        response = self.client.get(url, HTTP_HOST="localhost")
        self.assertEqual(response.status_code, 200, response.content[:500])
        return response.json()

    def detail(self, page):
        return self.get(f"/api/v2/pages/{page.pk}/")

    def assert_page_shape(self, page, fields):
        data = self.detail(page)
        self.assertEqual(
            shape(data),
            {"id": "int", "meta": PAGE_META, "title": "str", **LISTING, **fields},
        )
        return data

    def test_home_page(self):
        data = self.detail(self.home)
        self.assertEqual(
            shape({key: value for key, value in data.items() if key != "sections"}),
            {
                "id": "int",
                "meta": {**PAGE_META, "parent": "null"},
                "title": "str",
                **LISTING,
                "listing_image": "null",
                "hero_heading": "str",
                "hero_intro": "str",
                "hero_image": IMAGE,
            },
        )
        self.assertEqual(data["hero_image"]["credit"], "SMOP")
        sections = {section["type"]: section["value"] for section in data["sections"]}
        self.assertEqual(
            shape(sections),
            {
                "pillars": {
                    "heading": "str",
                    "pillars": [
                        {
                            "title": "str",
                            "text": "str",
                            "link": {
                                "label": "str",
                                "title": "str",
                                "url": "str",
                                "external": "bool",
                                "page": PAGE_LINK,
                            },
                        }
                    ],
                },
                "president_message": {
                    "heading": "str",
                    "page": PAGE_LINK,
                    "excerpt": "str",
                    "signatory": PERSON_SUMMARY,
                    "signatory_role": "str",
                },
                "upcoming_events": {
                    "heading": "str",
                    "count": "int",
                    "events": [
                        {
                            **PAGE_LINK,
                            "category": "str",
                            "category_label": "str",
                            "date_label": "str",
                            "starts_at": "str",
                            "ends_at": "str",
                            "place_label": "str",
                            "summary": "str",
                            "listing_image": IMAGE,
                        }
                    ],
                },
                "featured_links": {
                    "heading": "str",
                    "links": [
                        {
                            "label": "str",
                            "title": "str",
                            "url": "str",
                            "external": "bool",
                            "page": PAGE_LINK,
                        }
                    ],
                },
            },
        )
        pillar_link = sections["pillars"]["pillars"][0]["link"]
        self.assertEqual(pillar_link["url"], "http://localhost/what-is-smop/")
        self.assertEqual(pillar_link["title"], "What is SMOP")
        self.assertEqual(
            pillar_link["page"]["detail_url"], f"http://localhost/api/v2/pages/{self.about.pk}/"
        )
        self.assertEqual(sections["president_message"]["signatory"]["full_name"], "Dr. Amina Khan")
        self.assertEqual(
            sections["upcoming_events"]["events"][0]["title"], "Breast Cancer Symposium"
        )

    def test_standard_page_body_blocks(self):
        data = self.assert_page_shape(
            self.about,
            {
                "intro": "str",
                "body": [{"type": "str", "value": "str", "id": "str"}],
            },
        )
        blocks = {block["type"]: block["value"] for block in data["body"]}
        self.assertEqual(
            shape(blocks),
            {
                "heading": "str",
                "paragraph": "str",
                "image": {"image": IMAGE, "caption": "str", "credit": "str"},
                "quote": {"text": "str", "attribution": "str"},
                "document": DOCUMENT,
                "link": {
                    "label": "str",
                    "title": "str",
                    "url": "str",
                    "external": "bool",
                    "page": "null",
                },
            },
        )
        # Rich text is display HTML: links resolved, no database markup.
        self.assertEqual(blocks["paragraph"], '<p>See <a href="/">home</a>.</p>')
        image = blocks["image"]["image"]
        self.assertEqual(image["alt"], "Delegates in a hall")
        self.assertEqual(
            [r["url"].split(".")[-2] for r in image["renditions"]],
            ["width-400", "width-800", "width-1200"],
        )
        self.assertTrue(image["renditions"][0]["webp_url"].endswith(".format-webp.webp"))
        self.assertTrue(image["url"].startswith("http://localhost/media/images/"))
        self.assertEqual(
            blocks["document"],
            {
                "id": self.document.pk,
                "title": "Guideline",
                "url": f"http://localhost{self.document.url}",
                "filename": self.document.filename,
                "size": self.document.file.size,
                "extension": "pdf",
                "content_type": "application/pdf",
            },
        )

    def test_president_message_page(self):
        data = self.assert_page_shape(
            self.president,
            {
                "excerpt": "str",
                "message": "str",
                "signatory_role": {
                    "name": "str",
                    "slug": "str",
                    "description": "str",
                    "holder": PERSON_SUMMARY,
                },
            },
        )
        self.assertEqual(data["signatory_role"]["holder"]["id"], self.person.pk)

    def test_values_page(self):
        data = self.assert_page_shape(
            self.values,
            {
                "intro": "str",
                "values": [
                    {
                        "type": "str",
                        "value": {"name": "str", "statement": "str", "icon": "str"},
                        "id": "str",
                    }
                ],
            },
        )
        self.assertEqual(data["values"][0]["value"]["icon"], "shield")

    def test_initiative_page(self):
        data = self.assert_page_shape(
            self.initiative,
            {
                "summary": "str",
                "status": "str",
                "aims": "str",
                "body": [],
                "status_label": "str",
                "investigators": [{"role": "str", "person": PERSON_SUMMARY}],
                "centres": [{"id": "int", "meta": {"type": "str"}, "name": "str", "city": "str"}],
                "publications": [
                    {
                        "id": "int",
                        "meta": {"type": "str"},
                        "title": "str",
                        "authors": "str",
                        "journal": "str",
                        "year": "int",
                        "doi": "str",
                        "url": "str",
                        "note": "str",
                        "link": "str",
                    }
                ],
                "documents": [{"type": "str", "value": DOCUMENT, "id": "str"}],
                "contact_name": "str",
                "contact_email": "str",
                "contact_note": "str",
            },
        )
        self.assertEqual(data["publications"][0]["link"], "https://doi.org/10.1200/GO.21.00320")
        self.assertEqual(data["status_label"], "Active")

    def test_resource_list_page(self):
        data = self.assert_page_shape(
            self.resources,
            {
                "audience": "str",
                "audience_label": "str",
                "intro": "str",
                "empty_message": "str",
                "resources": [{**RESOURCE, "document": "null"}],
            },
        )
        self.assertEqual(shape(data["resources"][1]["document"]), DOCUMENT)
        self.assertEqual(data["resources"][1]["text_direction"], "rtl")
        self.assertEqual([data["audience"], data["audience_label"]], ["physicians", "Physicians"])
        resource = data["resources"][0]
        self.assertEqual(
            [resource["audience"], resource["audience_label"]], ["physicians", "Physicians"]
        )

    def test_event_index_page(self):
        self.assert_page_shape(self.events, {"intro": "str", "no_upcoming_message": "str"})

    def test_event_page(self):
        data = self.assert_page_shape(self.event, EVENT)
        self.assertEqual(data["speakers"][0]["person"]["id"], self.person.pk)
        self.assertEqual(data["speakers"][1]["person"], None)
        self.assertEqual(data["speakers"][1]["name"], "Guest Speaker")
        self.assertEqual(data["galleries"][0]["id"], self.gallery.pk)
        self.assertEqual(data["cme_credits"], 4)

    def test_gallery_index_page(self):
        self.assert_page_shape(self.gallery_index, {"intro": "str"})

    def test_gallery_page(self):
        data = self.assert_page_shape(
            self.gallery,
            {
                "date": "str",
                "event": PAGE_LINK,
                "intro": "str",
                "cover_image": IMAGE,
                "image_count": "int",
                "images": [
                    {
                        "id": "int",
                        "meta": {"type": "str"},
                        "image": IMAGE,
                        "caption": "str",
                        "credit_label": "str",
                    }
                ],
            },
        )
        self.assertEqual(data["event"]["id"], self.event.pk)

    def test_member_directory_page(self):
        self.assert_page_shape(self.directory, {"intro": "str", "per_page": "int"})

    def test_events_listing(self):
        data = self.get("/api/v2/events/")
        self.assertEqual(shape(data), {"meta": {"total_count": "int"}, "items": [EVENT_CARD]})

    def test_galleries_listing(self):
        data = self.get("/api/v2/galleries/")
        self.assertEqual(
            shape(data),
            {
                "meta": {"total_count": "int"},
                "items": [
                    {
                        "id": "int",
                        "meta": LISTING_META,
                        "title": "str",
                        "listing_title": "str",
                        "listing_summary": "str",
                        "date": "str",
                        "event": PAGE_LINK,
                        "cover_image": IMAGE,
                        "image_count": "int",
                    }
                ],
            },
        )

    def test_people_listing_and_detail(self):
        card = {
            "id": "int",
            "meta": {"type": "str", "detail_url": "str"},
            "slug": "str",
            "full_name": "str",
            "honorific": "str",
            "first_name": "str",
            "last_name": "str",
            "credentials": "str",
            "designation": "str",
            "specialties": [{"name": "str", "slug": "str"}],
            "institution": "str",
            "city": "str",
            "photo": IMAGE,
            "current_roles": [{"name": "str", "slug": "str"}],
            "profile_url": "str",
        }
        self.assertEqual(
            shape(self.get("/api/v2/people/")), {"meta": {"total_count": "int"}, "items": [card]}
        )
        detail = self.get(f"/api/v2/people/{self.person.pk}/")
        self.assertEqual(
            shape(detail),
            {
                **{
                    key: value
                    for key, value in card.items()
                    if key not in ("current_roles", "profile_url", "photo")
                },
                "province": "str",
                "province_label": "str",
                "photo": IMAGE,
                "biography": "str",
                "contact": {"email": "str"},
                "current_roles": [{"name": "str", "slug": "str"}],
                "officer_terms": [
                    {
                        "role": {"name": "str", "slug": "str"},
                        "start_date": "str",
                        "end_date": "null",
                    }
                ],
                "profile_url": "str",
            },
        )
        self.assertEqual(detail["biography"], "<p>A <b>biography</b>.</p>")
        self.assertEqual(detail["profile_url"], "http://localhost/member-directory/amina-khan/")

    def test_resources_listing(self):
        data = self.get("/api/v2/resources/")
        self.assertEqual(
            shape(data["items"][0]),
            {
                "id": "int",
                "meta": {"type": "str", "detail_url": "str"},
                "audience": "str",
                "list_page": PAGE_LINK,
                "title": "str",
                "topic": "str",
                "publisher": "str",
                "language": "str",
                "summary": "str",
                "last_reviewed": "null",
                "language_label": "str",
                "document": "null",
                "link": "str",
            },
        )
        self.assertEqual(data["items"][0]["audience"], "physicians")

    def test_navigation(self):
        data = self.get("/api/v2/navigation/")
        self.assertEqual(
            shape(data),
            {
                "site": {"name": "str", "root_url": "str"},
                "home": PAGE_LINK,
                "menu": [{**PAGE_LINK, "slug": "str"}],
                "organisation": {"name": "str", "short_name": "str"},
                "contact": {"email": "str", "phone": "str", "address": ["str"]},
                "social_links": [{"platform": "str", "label": "str", "url": "str"}],
                "footer": {"text": "str"},
            },
        )
        self.assertEqual([item["title"] for item in data["menu"]], ["What is SMOP", "Events"])
        self.assertEqual(data["contact"]["address"], ["1 Example Road", "Lahore"])

    def test_search(self):
        data = self.get("/api/v2/search/?q=symposium")
        self.assertEqual(
            shape(data),
            {
                "meta": {"total_count": "int"},
                "items": [
                    {**PAGE_LINK, "type_label": "str", "summary": "str", "listing_image": IMAGE}
                ],
            },
        )
        self.assertEqual(data["items"][0]["type"], "events.EventPage")

    def test_images_and_documents(self):
        media_meta = {"type": "str", "detail_url": "str", "tags": [], "download_url": "str"}
        image = self.get(f"/api/v2/images/{self.image.pk}/")
        self.assertEqual(
            shape(image),
            {
                "id": "int",
                "meta": media_meta,
                "title": "str",
                "width": "int",
                "height": "int",
                "alt_text": "str",
                "credit": "str",
                "renditions": IMAGE["renditions"],
            },
        )
        document = self.get(f"/api/v2/documents/{self.document.pk}/")
        self.assertEqual(shape(document), {"id": "int", "meta": media_meta, "title": "str"})

    def test_find_by_html_path(self):
        for page in (self.home, self.event, self.gallery):
            response = self.client.get(
                f"/api/v2/pages/find/?html_path={page.url}", HTTP_HOST="localhost"
            )
            self.assertEqual(response.status_code, 302)
            self.assertEqual(response["Location"], f"http://localhost/api/v2/pages/{page.pk}/?")


LISTING_META = {
    "type": "str",
    "detail_url": "str",
    "html_url": "str",
    "slug": "str",
    "first_published_at": "str",
}
RESOURCE = {
    "id": "int",
    "meta": {"type": "str", "detail_url": "str"},
    "audience": "str",
    "audience_label": "str",
    "list_page": PAGE_LINK,
    "title": "str",
    "topic": "str",
    "url": "str",
    "publisher": "str",
    "language": "str",
    "summary": "str",
    "last_reviewed": "null",
    "text_direction": "str",
    "language_label": "str",
    "document": DOCUMENT,
    "link": "str",
}
EVENT_CARD = {
    "id": "int",
    "meta": LISTING_META,
    "title": "str",
    **LISTING,
    "category": "str",
    "summary": "str",
    "starts_at": "str",
    "ends_at": "str",
    "format": "str",
    "city": "str",
    "country": "str",
    "date_label": "str",
    "is_upcoming": "bool",
    "organiser_label": "str",
    "category_label": "str",
}
EVENT = {
    "category": "str",
    "organiser": "str",
    "organiser_name": "str",
    "summary": "str",
    "body": [],
    "date_precision": "str",
    "start_date": "str",
    "start_time": "null",
    "end_date": "null",
    "end_time": "null",
    "timezone": "str",
    "starts_at": "str",
    "ends_at": "str",
    "format": "str",
    "venue": "str",
    "city": "str",
    "country": "str",
    "registration_url": "str",
    "registration_deadline": "null",
    "website_url": "str",
    "cme_credits": "float",
    "materials": [],
    "sessions": [
        {
            "id": "int",
            "meta": {"type": "str"},
            "date": "null",
            "start_time": "null",
            "end_time": "null",
            "title": "str",
            "speakers": "str",
            "description": "str",
        }
    ],
    "date_label": "str",
    "has_times": "bool",
    "is_upcoming": "bool",
    "registration_open": "bool",
    "timezone_city": "str",
    "organiser_label": "str",
    "place_label": "str",
    "category_label": "str",
    "format_label": "str",
    "gallery": "null",
    "galleries": [
        {
            **PAGE_LINK,
            "date": "str",
            "cover_image": IMAGE,
            "image_count": "int",
        }
    ],
    "speakers": [{"name": "str", "affiliation": "str", "topic": "str", "person": PERSON_SUMMARY}],
}

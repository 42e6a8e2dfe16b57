"""The read API's cold path: what it reads, and that reading less changes no answer.

A listing's queryset is built once; a page's detail is read in one query with its
foreign keys joined; an event's albums come with their covers and counts without
every photo; serializer classes and fields are built once per process; the indented
JSON is byte for byte Python's `json`.
"""

import datetime as dt
import decimal
import json

from django.db import connection
from django.db.models import Prefetch
from django.test import RequestFactory, SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_lazy
from rest_framework.fields import DateTimeField
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder
from wagtail.models import Page, PageViewRestriction

from cms.api import SitePagesAPIViewSet, api_router
from cms.api_base import (
    RequestZoneDateTimeField,
    fields_config,
    frozen_fields_config,
    serializer_class_for,
)
from cms.api_json import IndentedJSONRenderer, indented_json
from cms.api_loading import plan_lookups
from cms.factories import SiteImageFactory
from cms.serializers import ChoiceLabelField, page_full_url
from events.api import EventsAPIViewSet
from events.factories import (
    EventIndexPageFactory,
    EventPageFactory,
    EventSpeakerFactory,
    ProgrammeSessionFactory,
)
from events.models import EventPage
from gallery.factories import GalleryImageFactory, GalleryIndexPageFactory, GalleryPageFactory
from home.factories import HomePageFactory, make_site_root
from people.factories import MemberDirectoryPageFactory, PersonFactory


class CountingEventsAPIViewSet(EventsAPIViewSet):
    """The events endpoint, counting how often its queryset is built."""

    builds = 0

    def get_queryset(self):
        type(self).builds += 1
        return super().get_queryset()


class ListingQuerysetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        events = EventIndexPageFactory(parent=home)
        for days in (10, 20, 30):
            EventPageFactory(parent=events, start_date=timezone.localdate() + dt.timedelta(days))

    def list_events(self, query=""):
        request = RequestFactory().get(f"/api/v2/events/{query}", HTTP_HOST="localhost")
        request.wagtailapi_router = api_router
        CountingEventsAPIViewSet.builds = 0
        view = CountingEventsAPIViewSet.as_view({"get": "listing_view"})
        response = view(request)
        response.render()
        return response

    def test_the_listing_queryset_is_built_once_per_request(self):
        # Wagtail asks for it again to learn the serializer's model.
        response = self.list_events()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(json.loads(response.content)["meta"]["total_count"], 3)
        self.assertEqual(CountingEventsAPIViewSet.builds, 1)

    def test_and_once_with_fields_and_filters(self):
        response = self.list_events("?fields=speakers,sessions&upcoming=true&limit=2")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(CountingEventsAPIViewSet.builds, 1)

    def test_the_total_comes_with_the_page_and_an_empty_page_still_counts(self):
        for query, items in (("?limit=2", 2), ("?offset=2", 1), ("?offset=5", 0), ("?limit=0", 0)):
            with self.subTest(query):
                data = json.loads(self.list_events(query).content)
                self.assertEqual(data["meta"]["total_count"], 3)
                self.assertEqual(len(data["items"]), items)


class AllColumnsEventsAPIViewSet(EventsAPIViewSet):
    """The events endpoint reading every column, to compare with the default."""

    listing_columns = ()


class ListingColumnsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        events = EventIndexPageFactory(parent=home)
        EventPageFactory(
            parent=events,
            listing_image=SiteImageFactory(),
            listing_title="Card title",
            start_date=timezone.localdate() + dt.timedelta(days=10),
        )
        EventPageFactory(
            parent=events,
            organiser=EventPage.Organiser.EXTERNAL,
            organiser_name="ASCO",
            start_date=timezone.localdate() - dt.timedelta(days=10),
        )

    def list_events(self, viewset, query=""):
        request = RequestFactory().get(f"/api/v2/events/{query}", HTTP_HOST="localhost")
        request.wagtailapi_router = api_router
        with CaptureQueriesContext(connection) as queries:
            response = viewset.as_view({"get": "listing_view"})(request)
            response.render()
        return response.content, queries

    def test_the_default_listing_reads_only_its_columns_and_shows_the_same(self):
        self.list_events(EventsAPIViewSet)  # renditions are made by the first request
        content, queries = self.list_events(EventsAPIViewSet)
        expected, all_queries = self.list_events(AllColumnsEventsAPIViewSet)
        self.assertEqual(content, expected)
        self.assertEqual(len(queries), len(all_queries))  # no deferred column read later
        self.assertNotIn('"events_eventpage"."venue"', self.listing_sql(queries))
        self.assertIn('"events_eventpage"."venue"', self.listing_sql(all_queries))

    @staticmethod
    def listing_sql(queries):
        return next(q["sql"] for q in queries if ' FROM "events_eventpage"' in q["sql"])

    def test_asked_fields_read_every_column(self):
        content, _ = self.list_events(EventsAPIViewSet, "?fields=venue,place_label")
        expected, _ = self.list_events(AllColumnsEventsAPIViewSet, "?fields=venue,place_label")
        self.assertEqual(content, expected)


class EventDetailTests(TestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        MemberDirectoryPageFactory(parent=cls.home)
        cls.events = EventIndexPageFactory(parent=cls.home)
        albums = GalleryIndexPageFactory(parent=cls.home)
        cls.event = EventPageFactory(
            parent=cls.events,
            listing_image=SiteImageFactory(),
            start_date=timezone.localdate() + dt.timedelta(days=20),
        )
        ProgrammeSessionFactory(page=cls.event, title="Opening")
        EventSpeakerFactory(page=cls.event, person=PersonFactory(photo=SiteImageFactory()))
        EventSpeakerFactory(page=cls.event, name="Guest")
        # The album the event links: no listing image, so its first photo is the cover.
        cls.linked = GalleryPageFactory(parent=albums, date=dt.date(2020, 1, 1))
        cls.photos = [
            GalleryImageFactory(page=cls.linked, sort_order=order) for order in (5, 3, 0)
        ]
        # An album naming the event, with a listing image; and one that is a draft.
        cls.naming = GalleryPageFactory(
            parent=albums,
            event=cls.event,
            date=dt.date(2024, 1, 1),
            listing_image=SiteImageFactory(),
        )
        GalleryImageFactory(page=cls.naming)
        draft = GalleryPageFactory(parent=albums, event=cls.event, live=False)
        GalleryImageFactory(page=draft)
        cls.empty = GalleryPageFactory(parent=albums, event=cls.event, date=dt.date(2023, 1, 1))
        cls.event.gallery = cls.linked
        cls.event.save()

    def get(self, url, status=200):
        response = self.client.get(url, HTTP_HOST="localhost")
        self.assertEqual(response.status_code, status, response.content[:300])
        return response.json()

    def test_albums_come_with_their_cover_and_number_of_photos(self):
        albums = self.get(f"/api/v2/pages/{self.event.pk}/")["galleries"]
        self.assertEqual(
            [(a["id"], a["image_count"], (a["cover_image"] or {}).get("id")) for a in albums],
            [
                (self.linked.pk, 3, self.photos[2].image_id),  # linked first; lowest sort_order
                (self.naming.pk, 1, self.naming.listing_image_id),
                (self.empty.pk, 0, None),
            ],
        )
        self.assertEqual(len(albums[0]["cover_image"]["renditions"]), 3)

    def test_the_detail_reads_the_page_once_with_its_foreign_keys_joined(self):
        url = f"/api/v2/pages/{self.event.pk}/"
        self.get(url)  # renditions are made by the first request
        with CaptureQueriesContext(connection) as queries:
            self.get(url)
        tables = [query["sql"].split(" FROM ", 1)[1].split()[0] for query in queries]
        # 1. the content generation (the key of the cached site, restrictions, page
        # type and directory URL); 2. the event, its listing image and linked album
        # joined; 3. the renditions of its listing image; 4. its sessions; 5. its
        # speakers with their people and photos joined; 6. the photos' renditions;
        # 7. its parent, if public; 8. its public albums, with each one's first photo
        # and number of photos; 9. the covers' renditions, the first photos joined.
        self.assertEqual(len(tables), 9, "\n".join(query["sql"] for query in queries))
        self.assertEqual(tables[1], '"events_eventpage"')

    def test_covers_are_the_same_before_and_after_their_renditions_exist(self):
        # The first request makes the covers' renditions; the second reads them.
        first = self.get(f"/api/v2/pages/{self.event.pk}/")["galleries"]
        self.assertEqual(self.get(f"/api/v2/pages/{self.event.pk}/")["galleries"], first)

    def test_the_events_endpoint_shows_the_same_detail(self):
        page = self.get(f"/api/v2/pages/{self.event.pk}/")
        event = self.get(f"/api/v2/events/{self.event.pk}/")
        self.assertEqual(page, event)

    def test_the_parent_is_shown_only_when_public(self):
        meta = self.get(f"/api/v2/pages/{self.event.pk}/")["meta"]
        self.assertEqual(
            meta["parent"],
            {
                "id": self.events.pk,
                "meta": {
                    "type": "events.EventIndexPage",
                    "detail_url": f"http://localhost/api/v2/pages/{self.events.pk}/",
                    "html_url": self.events.full_url,
                },
                "title": self.events.title,
            },
        )
        self.assertIsNone(self.get(f"/api/v2/pages/{self.home.pk}/")["meta"]["parent"])

    def test_a_draft_or_private_page_is_not_found_whatever_its_type(self):
        draft = EventPageFactory(parent=self.events, live=False)
        private = EventPageFactory(parent=self.events)
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        for page in (draft, private, Page(pk=987654)):
            with self.subTest(page.pk):
                data = self.get(f"/api/v2/pages/{page.pk}/", status=404)
                self.assertEqual(data, {"message": "No Page matches the given query."})
        data = self.get(f"/api/v2/events/{draft.pk}/", status=404)
        self.assertEqual(data, {"message": "No EventPage matches the given query."})

    def test_restrictions_made_after_the_sql_is_compiled_still_apply(self):
        # The detail and the albums queries are compiled once; restrictions are
        # checked in Python, so one made later hides the album, then the event.
        url = f"/api/v2/pages/{self.event.pk}/"
        self.assertIn(self.naming.pk, [album["id"] for album in self.get(url)["galleries"]])
        PageViewRestriction.objects.create(page=self.naming, restriction_type="login")
        self.assertEqual(
            [album["id"] for album in self.get(url)["galleries"]],
            [self.linked.pk, self.empty.pk],
        )
        PageViewRestriction.objects.create(page=self.events, restriction_type="login")
        data = self.get(url, status=404)
        self.assertEqual(data, {"message": "No Page matches the given query."})

    def test_a_page_of_another_site_is_not_found(self):
        other = HomePageFactory(parent=Page.get_first_root_node(), slug="other")
        event = EventPageFactory(parent=EventIndexPageFactory(parent=other))
        self.get(f"/api/v2/pages/{self.event.pk}/")
        self.get(f"/api/v2/pages/{event.pk}/", status=404)

    def test_an_unknown_field_is_a_400_before_the_page_is_read(self):
        data = self.get(f"/api/v2/pages/{self.event.pk}/?fields=bogus", status=400)
        self.assertEqual(data, {"message": "unknown fields: bogus"})


class PlanLookupsTests(SimpleTestCase):
    def test_foreign_keys_are_joined_and_lists_prefetched_with_theirs_joined(self):
        renditions = Prefetch("speakers__person__photo__renditions", queryset=None)
        joins, prefetches = plan_lookups(
            EventPage,
            ["listing_image", "listing_image__renditions", "gallery", "speakers",
             "speakers__person", "speakers__person__photo", renditions, "sessions"],
        )  # fmt: skip
        self.assertEqual(joins, ["listing_image", "gallery"])
        self.assertEqual(
            [p.prefetch_through for p in prefetches],
            ["listing_image__renditions", "speakers", "sessions"],
        )
        speakers = prefetches[1].queryset
        self.assertEqual(speakers.query.select_related, {"person": {"photo": {}}})
        self.assertEqual(
            [p.prefetch_through for p in speakers._prefetch_related_lookups],
            ["person__photo__renditions"],
        )

    def test_other_lookups_are_prefetched_as_given(self):
        attribute = Prefetch("sessions", to_attr="all_sessions")
        joins, prefetches = plan_lookups(EventPage, ["tags", attribute, "nonsense"])
        self.assertEqual(joins, [])
        self.assertEqual(prefetches, ["tags", attribute, "nonsense"])


class SerializerClassTests(TestCase):
    def test_one_class_per_endpoint_model_and_fields(self):
        config = frozen_fields_config([("title", False, None), ("speakers", False, [])])
        first = serializer_class_for(SitePagesAPIViewSet, api_router, EventPage, config, True)
        again = serializer_class_for(SitePagesAPIViewSet, api_router, EventPage, config, True)
        other = serializer_class_for(SitePagesAPIViewSet, api_router, EventPage, (), True)
        self.assertIs(first, again)
        self.assertIsNot(first, other)

    def test_each_serializer_binds_its_own_fields(self):
        serializer_class = serializer_class_for(
            SitePagesAPIViewSet, api_router, EventPage, (), True
        )
        one, two = serializer_class(context={"one": 1}), serializer_class(context={"two": 2})
        for name in ("title", "starts_at", "category_label", "sessions", "speakers"):
            with self.subTest(name):
                self.assertIsNot(one.fields[name], two.fields[name])
                self.assertIs(one.fields[name].parent, one)
                self.assertEqual(two.fields[name].context, {"two": 2})

    def test_fields_are_parsed_as_wagtail_parses_them(self):
        request = RequestFactory().get("/", {"fields": "*,-body,speakers(person)"})
        self.assertEqual(
            fields_config(request),
            [
                ("*", False, None),
                ("body", True, None),
                ("speakers", False, [("person", False, None)]),
            ],
        )


class ChoiceLabelTests(SimpleTestCase):
    def test_labels_as_get_display_shows_them(self):
        field = ChoiceLabelField("category")
        for value in [choice.value for choice in EventPage.Category] + ["not-a-choice"]:
            with self.subTest(value):
                event = EventPage(category=value)
                expected = event.get_category_display()
                self.assertEqual(
                    field.to_representation(event), expected[:1].upper() + expected[1:]
                )
        self.assertEqual(field.to_representation(EventPage(category="")), "")


class IndentedJSONTests(SimpleTestCase):
    data = {
        "meta": {"total_count": 2},
        "items": [
            {"id": 1, "title": 'Café \u2028 "quoted" \\ \n\t\x00 ☃', "ok": True, "no": False},
            {"id": 2, "values": [1.5, -0.0, 1e20, 1e-7, 2**70], "empty": [], "none": {}},
            {"nested": [[{"a": None}], ()], 1: "int key", 2.5: "float key", None: "n", False: "f"},
            {
                "when": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
                "day": dt.date(2024, 1, 2),
                "credits": decimal.Decimal("1.50"),
                "lazy": gettext_lazy("Upcoming"),
            },
        ],
    }

    def test_it_writes_what_json_writes(self):
        for ensure_ascii in (False, True):
            with self.subTest(ensure_ascii=ensure_ascii):
                expected = json.dumps(
                    self.data,
                    cls=JSONEncoder,
                    indent=4,
                    separators=(",", ": "),
                    ensure_ascii=ensure_ascii,
                )
                written = indented_json(self.data, 4, JSONEncoder().default, ensure_ascii)
                self.assertEqual(written, expected)

    def test_the_renderer_answers_the_frameworks_bytes(self):
        context = {"indent": 4}
        self.assertEqual(
            IndentedJSONRenderer().render(self.data, "application/json", context),
            JSONRenderer().render(self.data, "application/json", context),
        )
        self.assertEqual(
            IndentedJSONRenderer().render(self.data), JSONRenderer().render(self.data)
        )

    def test_out_of_range_floats_and_odd_keys_fail_as_in_json(self):
        with self.assertRaisesMessage(ValueError, "Out of range float values"):
            indented_json({"x": float("nan")}, 4, JSONEncoder().default, allow_nan=False)
        self.assertEqual(
            indented_json([float("inf")], 2, str), json.dumps([float("inf")], indent=2)
        )
        with self.assertRaises(TypeError):
            indented_json({(1, 2): 1}, 4, str)


class PageFullUrlTests(TestCase):
    def test_the_html_url_is_wagtails_full_url(self):
        home = make_site_root()
        events = EventIndexPageFactory(parent=home, slug="events")
        pages = [
            home,
            events,
            EventPageFactory(parent=events, slug="plain-slug_2"),
            EventPageFactory(parent=events, slug="café-à-lahore"),
        ]
        context = {"request": None}
        for page in pages:
            with self.subTest(page.slug):
                self.assertEqual(page_full_url(page, context), page.full_url)
        self.assertEqual(page_full_url(Page.get_first_root_node(), context), None)
        listed = self.client.get("/api/v2/events/", HTTP_HOST="localhost").json()["items"]
        self.assertEqual(
            {item["meta"]["html_url"] for item in listed}, {p.full_url for p in pages[2:]}
        )


class RequestZoneDateTimeTests(SimpleTestCase):
    def test_dates_and_times_show_as_the_frameworks_field_shows_them(self):
        serializer_class = serializer_class_for(
            SitePagesAPIViewSet, api_router, EventPage, (), True
        )
        moments = [dt.datetime(2024, 6, 1, 12, 30, tzinfo=dt.UTC), None]
        for zone in ("Asia/Karachi", "UTC", "America/New_York"):
            with self.subTest(zone), timezone.override(zone):
                field = serializer_class(context={}).fields["starts_at"]
                self.assertIsInstance(field, RequestZoneDateTimeField)
                for moment in moments:
                    self.assertEqual(
                        field.to_representation(moment), DateTimeField().to_representation(moment)
                    )

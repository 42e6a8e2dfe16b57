"""The API's compiled queries and planned representation answer as Django and Wagtail do.

A listing's page of rows (`cms.api_loading.listing_query`), the lists and renditions
its items show (`prefetch_planned`), a page's parent (`parent_query`) and the
representation of each object (`PlannedRepresentationMixin`) are compared, byte for
byte, with the same requests answered by the ORM and Wagtail's own serializer.
"""

import datetime as dt
from contextlib import ExitStack, contextmanager
from unittest import mock

from django.db import connection
from django.db.models import prefetch_related_objects
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.api.v2.serializers import BaseSerializer as WagtailBaseSerializer
from wagtail.models import PageViewRestriction

from cms import api_base
from cms.api_loading import LISTING_QUERIES, plan_lookups, prefetch_planned
from cms.factories import SiteImageFactory
from cms.serializers import image_lookups
from events.api import EventsAPIViewSet
from events.factories import (
    EventIndexPageFactory,
    EventPageFactory,
    EventSpeakerFactory,
    ProgrammeSessionFactory,
)
from events.models import EventPage
from home.factories import make_site_root
from people.factories import PersonFactory
from tests.helpers import add_renditions

BIG_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}


@contextmanager
def orm_only():
    """Every request answered by the ORM and Wagtail's serializer, nothing compiled."""
    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(EventsAPIViewSet, "queryset_shape", lambda _: None))
        stack.enter_context(mock.patch.object(api_base, "public_pages_shape", lambda _: None))
        stack.enter_context(
            mock.patch.object(
                api_base,
                "prefetch_planned",
                lambda objects, lookups: prefetch_related_objects(objects, *lookups),
            )
        )
        stack.enter_context(
            mock.patch.object(
                api_base.PlannedRepresentationMixin,
                "to_representation",
                WagtailBaseSerializer.to_representation,
            )
        )
        yield


@override_settings(CACHES=BIG_CACHE)
class CompiledAnswersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.index = EventIndexPageFactory(parent=cls.home)
        today = timezone.localdate()
        cls.events = []
        for day in range(7):
            event = EventPageFactory(
                parent=cls.index,
                title=f"Event {day}",
                start_date=today + dt.timedelta(days=day * 3 - 9),
                listing_image=SiteImageFactory() if day % 2 else None,
            )
            if event.listing_image:
                add_renditions(event.listing_image)
            EventSpeakerFactory(page=event, person=PersonFactory())
            ProgrammeSessionFactory(page=event)
            ProgrammeSessionFactory(page=event)
            cls.events.append(event)

    def get(self, url):
        return self.client.get(url, HTTP_HOST="localhost")

    def assert_same_as_orm(self, url):
        self.get(url)  # the first request makes the renditions
        response = self.get(url)
        with orm_only():
            expected = self.get(url)
        self.assertEqual(response.status_code, expected.status_code, url)
        self.assertEqual(response.content, expected.content, url)
        return response

    def test_listings_match_the_orm(self):
        for url in [
            "/api/v2/events/",
            "/api/v2/events/?limit=3",
            "/api/v2/events/?limit=3&offset=5",
            "/api/v2/events/?offset=6",
            "/api/v2/events/?offset=50",
            "/api/v2/events/?limit=0",
            "/api/v2/events/?past=true",
            "/api/v2/events/?fields=*",
            "/api/v2/events/?fields=_,title,listing_image",
            "/api/v2/events/?fields=speakers,sessions",
            "/api/v2/pages/?type=events.EventPage&fields=listing_image,parent",
        ]:
            with self.subTest(url=url):
                self.assert_same_as_orm(url)

    def test_details_match_the_orm(self):
        for event in self.events[:2]:
            for url in [
                f"/api/v2/pages/{event.pk}/",
                f"/api/v2/events/{event.pk}/",
                f"/api/v2/pages/{event.pk}/?fields=*,-body",
            ]:
                with self.subTest(url=url):
                    self.assert_same_as_orm(url)

    def test_an_unpublished_parent_is_not_shown(self):
        self.index.unpublish()
        response = self.assert_same_as_orm(f"/api/v2/pages/{self.events[1].pk}/")
        self.assertIsNone(response.json()["meta"]["parent"])

    def test_a_listing_is_compiled_once_per_shape(self):
        with mock.patch.object(api_base, "listing_query", wraps=api_base.listing_query) as query:
            self.get("/api/v2/events/")
            compiled = len(LISTING_QUERIES)
            self.get("/api/v2/events/?limit=2&offset=1")
            self.assertEqual(len(LISTING_QUERIES), compiled)
            self.assertEqual(query.call_count, 2)
            self.assertEqual(query.call_args_list[0].args[0], query.call_args_list[1].args[0])
            # Filtered or with other fields: the ORM's way.
            self.get("/api/v2/events/?upcoming=true")
            self.get("/api/v2/events/?fields=_,title")
            self.assertEqual(query.call_count, 2)

    def test_a_newly_restricted_event_leaves_the_compiled_listing(self):
        before = self.get("/api/v2/events/").json()
        hidden = self.events[3]
        PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
        after = self.assert_same_as_orm("/api/v2/events/").json()
        self.assertEqual(after["meta"]["total_count"], before["meta"]["total_count"] - 1)
        self.assertNotIn(hidden.pk, [item["id"] for item in after["items"]])
        self.assertIn(hidden.pk, [item["id"] for item in before["items"]])

    def test_prefetched_as_django_prefetches(self):
        lookups = [*image_lookups("listing_image"), "sessions", "speakers", "alias_of"]
        joins, prefetches = plan_lookups(EventPage, lookups)

        def load(prefetch):
            pages = list(EventPage.objects.select_related(*joins).order_by("pk"))
            prefetch(pages, prefetches)
            return pages

        expected = load(lambda pages, lookups: prefetch_related_objects(pages, *lookups))
        with CaptureQueriesContext(connection) as queries:
            planned = load(prefetch_planned)
        # The pages, then the renditions, the sessions and the speakers: no alias query.
        self.assertEqual(len(queries), 4, "\n".join(q["sql"] for q in queries))
        self.assertTrue(any(shown(page)[0] for page in planned))
        with self.assertNumQueries(0):
            for page, django_page in zip(planned, expected, strict=True):
                self.assertEqual(shown(page), shown(django_page))


def shown(page):
    """What the API reads of a page's prefetched relations, comparable."""
    image = page.listing_image
    renditions = None
    if image is not None:
        found = getattr(image, "prefetched_renditions", None)
        if found is None:
            found = image._prefetched_objects_cache["renditions"]
        renditions = sorted((r.pk, r.filter_spec, r.image_id) for r in found)
    return (
        renditions,
        [(s.pk, s.page is page) for s in page.sessions.all()],
        [(s.pk, s.person_id) for s in page.speakers.all()],
        page.alias_of,
    )

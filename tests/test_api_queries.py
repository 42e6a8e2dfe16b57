"""Listing endpoints cost the same number of queries for 5 items as for 50.

Each test lists 5 items, adds 45 more and lists all 50: the queries must be the same
in number, and each is named in a comment. Every listing is requested once before it
is measured, as a frontend (or a cache in front of it) would: the first request
makes the image renditions, which are files written once, not per request.
"""

import datetime as dt

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.factories import DocumentFactory, SiteImageFactory
from events.factories import EventIndexPageFactory, EventPageFactory, EventSpeakerFactory
from gallery.factories import GalleryImageFactory, GalleryIndexPageFactory, GalleryPageFactory
from home.factories import (
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
    SpecialtyFactory,
)

# Queries every page-based listing (pages, events, galleries) makes for itself:
#  1. the site serving the request's host name
#  2. the page view restrictions, to leave restricted pages (and all below) out
#  3. the total count, for `meta.total_count`
#  4. this page of items, with their own fields
PAGE_LISTING_BASE = 4


# Room for every rendition the test makes: local memory's default of 300 entries
# would evict the cached site root paths halfway and add a query to one request.
BIG_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}


@override_settings(CACHES=BIG_CACHE)
class ListingQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.events = EventIndexPageFactory(parent=cls.home)
        cls.galleries = GalleryIndexPageFactory(parent=cls.home)
        cls.resources = ResourceListPageFactory(parent=cls.home)
        MemberDirectoryPageFactory(parent=cls.home)
        cls.role = OfficerRoleFactory(name="Treasurer")
        cls.specialties = [SpecialtyFactory(name="Medical oncology"), SpecialtyFactory()]

    def queries(self, url):
        """The queries of a second request for `url` (the first makes renditions)."""
        self.assertEqual(self.client.get(url, HTTP_HOST="localhost").status_code, 200)
        with CaptureQueriesContext(connection) as context:
            response = self.client.get(url, HTTP_HOST="localhost")
        self.assertEqual(response.status_code, 200, response.content[:300])
        return [query["sql"] for query in context.captured_queries], response.json()

    def assert_same_queries_for_5_and_50(self, url, make, expected):
        for _ in range(5):
            make()
        five, data = self.queries(url)
        self.assertEqual(len(data["items"]), 5)
        for _ in range(45):
            make()
        fifty, data = self.queries(url)
        self.assertEqual(len(data["items"]), 50)
        self.assertEqual(len(five), len(fifty), "\n".join(fifty))
        self.assertEqual(len(fifty), expected, "\n".join(fifty))

    def make_event(self):
        event = EventPageFactory(
            parent=self.events,
            start_date=timezone.localdate() + dt.timedelta(days=30),
            listing_image=SiteImageFactory(),
        )
        EventSpeakerFactory(page=event, person=PersonFactory())

    def test_events(self):
        # The page-listing queries, then one each for the listing images and
        # their renditions (prefetched for all items at once).
        self.assert_same_queries_for_5_and_50(
            "/api/v2/events/?limit=50&upcoming=true", self.make_event, PAGE_LISTING_BASE + 2
        )

    def test_events_with_speakers_and_sessions(self):
        # As above (listing images, renditions), plus: 7. the programme sessions;
        # 8. the speakers; 9. the people they name (their photos would be two more,
        # as for images; these have none); 10. the member directory page for profile
        # URLs, once (public by the view restrictions, cached until content changes).
        # `gallery` is a foreign key on the event's own row: none.
        self.assert_same_queries_for_5_and_50(
            "/api/v2/events/?limit=50&fields=speakers,sessions,gallery",
            self.make_event,
            PAGE_LISTING_BASE + 2 + 4,
        )

    def make_gallery(self):
        gallery = GalleryPageFactory(parent=self.galleries, date=dt.date(2022, 3, 1))
        GalleryImageFactory(page=gallery)
        GalleryImageFactory(page=gallery)

    def test_galleries(self):
        # The page-listing queries, then: 5. the albums' photos; 6. their images;
        # 7. the images' renditions (the cover is the first photo; the count is
        # counted from the photos). Listing images would be one more query: Django
        # skips the lookup when no album has one.
        self.assert_same_queries_for_5_and_50(
            "/api/v2/galleries/?limit=50", self.make_gallery, PAGE_LISTING_BASE + 3
        )

    def test_galleries_with_every_photo(self):
        # The same queries serve `images` too: the photos are already prefetched.
        self.assert_same_queries_for_5_and_50(
            "/api/v2/galleries/?limit=50&fields=images", self.make_gallery, PAGE_LISTING_BASE + 3
        )

    def test_pages_of_one_type_with_listing_images(self):
        # The page-listing queries, then listing images and their renditions.
        self.assert_same_queries_for_5_and_50(
            "/api/v2/pages/?type=events.EventPage&limit=50&fields=listing_image,category",
            self.make_event,
            PAGE_LISTING_BASE + 2,
        )

    def test_pages_of_every_type_with_every_field(self):
        # The page-listing queries, then 5. the pages' locales (`fields=*` includes
        # `locale`); the rest (type, URLs, parent) need none.
        self.assert_same_queries_for_5_and_50(
            "/api/v2/pages/?type=home.StandardPage,events.EventPage&limit=50&fields=*",
            lambda: StandardPageFactory(parent=self.home),
            PAGE_LISTING_BASE + 1,
        )

    def make_person(self):
        person = PersonFactory(photo=SiteImageFactory(), specialties=self.specialties)
        OfficerTermFactory(person=person, role=self.role)

    def test_people(self):
        # 1. the total count; 2. the people; 3. their specialties; 4. their photos;
        # 5. the photos' renditions; 6. their officer terms; 7. the terms' roles;
        # 8, 9. once, for profile URLs: the site (the content generation, the key of
        # the cached site) and the member directory page (public by the view
        # restrictions, cached until content changes).
        self.assert_same_queries_for_5_and_50("/api/v2/people/?limit=50", self.make_person, 9)

    def make_resource(self):
        ResourceFactory(page=self.resources, document=DocumentFactory(), url="")

    def test_resources(self):
        # 1. the site; 2. the view restrictions, to find the public resource lists;
        # 3. the total count; 4. the resources; 5. their lists (audience, link);
        # 6. their documents; 7. the view restrictions as paths, to check that
        # each linked list page may be shown (once, for every link).
        self.assert_same_queries_for_5_and_50("/api/v2/resources/?limit=50", self.make_resource, 7)

    def test_images(self):
        # 1. the collection view restrictions (no restricted collection is listed);
        # 2. the total count; 3. the images; 4. their tags; 5. the site, for
        # absolute download URLs.
        self.assert_same_queries_for_5_and_50("/api/v2/images/?limit=50", SiteImageFactory, 5)

    def test_image_renditions(self):
        # As above, plus the renditions of every image, prefetched at once.
        self.assert_same_queries_for_5_and_50(
            "/api/v2/images/?limit=50&fields=alt_text,credit,renditions",
            SiteImageFactory,
            6,
        )

    def test_documents(self):
        # 1. the collection view restrictions; 2. the total count; 3. the documents;
        # 4. their tags; 5. the site, for absolute download URLs.
        self.assert_same_queries_for_5_and_50("/api/v2/documents/?limit=50", DocumentFactory, 5)

    def test_search(self):
        # 1. the site; 2. the view restrictions; 3. the total count; 4. the
        # matching pages, most relevant first; 5. their specific fields (one query
        # per page type found); 6, 7. listing images and their renditions (per page
        # type found); 8. the view restrictions as paths, to link only public pages.
        self.assert_same_queries_for_5_and_50(
            "/api/v2/search/?q=test&limit=50", self.make_event, 8
        )

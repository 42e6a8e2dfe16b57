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
#  1. the content generation: the key under which the site serving the request's
#     host name and the page view restrictions are kept until content changes
#  2. this page of items, with their own fields, the total count for
#     `meta.total_count` as a subquery (`cms.pagination.TotalCount`) and the foreign keys
#     their fields show (listing images, linked pages) joined
PAGE_LISTING_BASE = 2


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
        # The page-listing queries (listing images joined), then 3. the renditions
        # the API shows of every listing image, prefetched for all items at once.
        self.assert_same_queries_for_5_and_50(
            "/api/v2/events/?limit=50&upcoming=true", self.make_event, PAGE_LISTING_BASE + 1
        )

    def test_events_unfiltered(self):
        # The same queries when the listing's SQL is compiled once (no filter, the
        # default fields): the page-listing queries, then 3. the renditions.
        self.assert_same_queries_for_5_and_50(
            "/api/v2/events/?limit=50", self.make_event, PAGE_LISTING_BASE + 1
        )

    def test_events_with_speakers_and_sessions(self):
        # As above (listing images and the linked album joined, renditions), plus:
        # 4. the programme sessions; 5. the speakers, with the people they name and
        # those people's photos joined (the photos' renditions would be one more
        # query; these people have none). The member directory's URL, for profile
        # URLs, is kept until content changes.
        self.assert_same_queries_for_5_and_50(
            "/api/v2/events/?limit=50&fields=speakers,sessions,gallery",
            self.make_event,
            PAGE_LISTING_BASE + 1 + 2,
        )

    def make_gallery(self):
        gallery = GalleryPageFactory(parent=self.galleries, date=dt.date(2022, 3, 1))
        GalleryImageFactory(page=gallery)
        GalleryImageFactory(page=gallery)

    def test_galleries(self):
        # The page-listing queries (listing images joined), then: 3. the albums'
        # photos with their images joined; 4. the images' renditions (the cover is
        # the first photo; the count is counted from the photos).
        self.assert_same_queries_for_5_and_50(
            "/api/v2/galleries/?limit=50", self.make_gallery, PAGE_LISTING_BASE + 2
        )

    def test_galleries_with_every_photo(self):
        # The same queries serve `images` too: the photos are already prefetched.
        self.assert_same_queries_for_5_and_50(
            "/api/v2/galleries/?limit=50&fields=images", self.make_gallery, PAGE_LISTING_BASE + 2
        )

    def test_pages_of_one_type_with_listing_images(self):
        # The page-listing queries (listing images joined), then their renditions.
        self.assert_same_queries_for_5_and_50(
            "/api/v2/pages/?type=events.EventPage&limit=50&fields=listing_image,category",
            self.make_event,
            PAGE_LISTING_BASE + 1,
        )

    def test_pages_of_every_type_with_every_field(self):
        # The page-listing queries only: the pages' locales (`fields=*` includes
        # `locale`) are joined; the rest (type, URLs, parent) need none.
        self.assert_same_queries_for_5_and_50(
            "/api/v2/pages/?type=home.StandardPage,events.EventPage&limit=50&fields=*",
            lambda: StandardPageFactory(parent=self.home),
            PAGE_LISTING_BASE,
        )

    def make_person(self):
        person = PersonFactory(photo=SiteImageFactory(), specialties=self.specialties)
        OfficerTermFactory(person=person, role=self.role)

    def test_people(self):
        # 1. the content generation, the key of the cached site (for profile URLs)
        # and of the member directory's URL; 2. the people, with their photos
        # joined and the total count beside each; 3. the photos' renditions;
        # 4. their officer terms, with the terms' roles joined; 5. their specialties.
        self.assert_same_queries_for_5_and_50("/api/v2/people/?limit=50", self.make_person, 5)

    def make_resource(self):
        ResourceFactory(page=self.resources, document=DocumentFactory(), url="")

    def test_resources(self):
        # 1. the content generation, the key of the cached site and of the view
        # restrictions (to find the public resource lists, and to check that each
        # linked list page may be shown); 2. the resources, with the total count
        # beside each and their lists (audience, link) and documents joined.
        self.assert_same_queries_for_5_and_50("/api/v2/resources/?limit=50", self.make_resource, 2)

    def test_images(self):
        # 1. the content generation, the key of the cached site (for absolute
        # download URLs); 2. the collection view restrictions (no restricted
        # collection is listed); 3. the images, with the total count beside each;
        # 4. their tags.
        self.assert_same_queries_for_5_and_50("/api/v2/images/?limit=50", SiteImageFactory, 4)

    def test_image_renditions(self):
        # As above, plus the renditions of every image, prefetched at once.
        self.assert_same_queries_for_5_and_50(
            "/api/v2/images/?limit=50&fields=alt_text,credit,renditions",
            SiteImageFactory,
            5,
        )

    def test_documents(self):
        # 1. the content generation, the key of the cached site (for absolute
        # download URLs); 2. the collection view restrictions; 3. the documents,
        # with the total count beside each; 4. their tags.
        self.assert_same_queries_for_5_and_50("/api/v2/documents/?limit=50", DocumentFactory, 4)

    def test_search(self):
        # 1. the content generation, the key of the cached site and view
        # restrictions (also to link only public pages); 2. the total count; 3. the
        # matching pages, most relevant first; 4. their specific fields (one query
        # per page type found); 5, 6. listing images and their renditions (per page
        # type found): only the renditions the API shows, not every size the site made.
        self.assert_same_queries_for_5_and_50(
            "/api/v2/search/?q=test&limit=50", self.make_event, 6
        )
        queries, _ = self.queries("/api/v2/search/?q=test&limit=50")
        self.assertIn('"filter_spec" IN', queries[-1])

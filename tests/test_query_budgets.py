"""Query budgets: each public page type and API listing costs a fixed number of queries.

Every URL is measured on the seeded site (`seed_site`) and again with benchmark data
added (`seed_bench` at a small size, enough to fill each listing and its pagination),
and once more after the benchmark data has doubled: the counts must not grow with the
content. Each count is built from the named groups below, and every query is named in
a comment. Where the seeded site and the benchmark data differ by a query or two, it is
because the seeded site has nothing of a kind to fetch (no event has a listing image,
no member a photo): Django skips a prefetch that has nothing to look up. That is a
fixed cost, paid once per listing, never once per item.

Each URL is requested once before it is measured, as a visitor (or a cache in front of
the site) would: the first request makes image renditions, files written once.
tests/test_api_queries.py checks API listings at 5 and 50 items with factories; this
module checks pages, and the API against the seeded and benchmark data.
"""

from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from cms.models import SiteImage
from events.models import EventPage, EventSpeaker
from gallery.models import GalleryImage, GalleryPage
from people.models import Person

SMALL = {"events": 40, "people": 120, "images": 12}
LARGER = {"events": 80, "people": 240, "images": 12}

# Serving a page just below home (Wagtail's router and its view restriction check):
#  1. the content generation, the key of everything cached until content changes (the
#  site for the host name and its root paths, the site settings with their social
#  links, the menu, breadcrumbs, social card images, the list of view-restricted pages
#  and which page each URL path leads to: the first request filled them); 2. the page
#  with its own fields, by the id its URL path led to (still at that path). No page is
#  restricted on these sites, so Wagtail's check of the page's ancestors is skipped,
#  and listings leave restricted pages out with the same cached list.
ROUTE = 2
# Wherever "the site" is counted below (the sitemap, API listings), that query is the
# content generation too: the site itself comes from the cache keyed on it.
# One level further down (an event, an album): the same two queries, however deep.
ROUTE_DEEPER = ROUTE
# base.html around every page: the site settings and their social links (footer and
# social cards), the social card's image (the page's own or the home page's), the menu
# and the breadcrumbs all come from the cache, keyed on the generation ROUTE read.
LAYOUT = 0
# `.public()` on a page listing outside the route's view restriction list.
RESTRICTIONS = 1
# A person's profile link: the live member directory page's URL comes from the cache
# (keyed on the content generation; the first request filled it), however many people
# a page links to.
PROFILE_LINKS = 0

# (url, queries on the seeded site, queries with benchmark data). Comments name what
# each page adds to ROUTE and LAYOUT.
PAGES = [
    # Home. Its route: 1. the content generation; 2. the home page (as ROUTE). Its
    # context, public pages by ROUTE's cached view restrictions: 3. the next upcoming
    # events; 4. the hero image with the events' listing images; 5. their renditions.
    # From the cache keyed on the generation: the President's message page (today's
    # holder of its role is keyed on the date too; no president has a photo here), the
    # pages linked from every section (the pillars' and the featured links') and the
    # events page's URL. Then LAYOUT; on the seeded site none is upcoming, so 6. SMOP's
    # recent past events instead.
    ("/", ROUTE + 3 + LAYOUT + 1, ROUTE + 3 + LAYOUT),
    # A standard page: its child pages' cards (public by ROUTE's restrictions; it has
    # none, so nothing to fetch).
    ("/what-is-smop/", ROUTE + LAYOUT, ROUTE + LAYOUT),
    # The President's message: the role. Today's holder of it comes from the cache
    # (keyed on the generation and the date; no president has a photo here, else its
    # image and renditions), and so does the holder's profile link (PROFILE_LINKS).
    (
        "/presidents-message/",
        ROUTE + LAYOUT + 1 + PROFILE_LINKS,
        ROUTE + LAYOUT + 1 + PROFILE_LINKS,
    ),
    # Our values: a StreamField on the page's own row; nothing more.
    ("/our-values/", ROUTE + LAYOUT, ROUTE + LAYOUT),
    # The research initiative: investigators (with their people), centres and
    # publications (its child pages' cards: none to fetch, as above).
    ("/dlbcl-research-initiative/", ROUTE + LAYOUT + 3, ROUTE + LAYOUT + 3),
    # A resource list: its resources with their documents, in one query.
    ("/resources-for-physicians/", ROUTE + LAYOUT + 1, ROUTE + LAYOUT + 1),
    ("/resources-for-patients/", ROUTE + LAYOUT + 1, ROUTE + LAYOUT + 1),
    # The events page (its listings leave restricted events out with the view
    # restrictions the route read; the filter's categories and years come from the
    # cache, keyed on the content generation: the first request filled it). After
    # LAYOUT: 1. this page of upcoming SMOP events, 2. this page of upcoming
    # international conferences, 3. the recent international conferences, 4. this page
    # of past events; each page is counted in its own query. With benchmark data,
    # 5. the renditions of the upcoming events' cards (every benchmark event has a
    # listing image; the other sections are compact lists without images).
    ("/events/", ROUTE + LAYOUT + 4, ROUTE + LAYOUT + 4 + 1),
    # Filtered by a SMOP category: the same queries (no international conference is a
    # workshop: their page and list are empty).
    ("/events/?category=workshop", ROUTE + LAYOUT + 4, ROUTE + LAYOUT + 4 + 1),
    # An event: its speakers (with their people), its programme, and its albums (public
    # ones, by the view restrictions the route read, each with its first photo's image
    # id; the covers and their renditions when there are any).
    (
        "/events/acord21-protocol-development-workshop/",
        ROUTE_DEEPER + LAYOUT + 1 + 1 + 1,
        ROUTE_DEEPER + LAYOUT + 1 + 1 + 1,
    ),
    # The member directory. The filter's specialties, cities and institutions come
    # from the cache (keyed on the content generation; the first request filled it).
    # After LAYOUT: 1. this page of members with their specialty ids, counted in the
    # same query; with benchmark data 2. the photos' renditions.
    ("/member-directory/", ROUTE + LAYOUT + 1, ROUTE + LAYOUT + 2),
    # A name search and a filter (a subquery, in the same query): the same queries.
    ("/member-directory/?q=aziz", ROUTE + LAYOUT + 1, ROUTE + LAYOUT + 1),
    (
        "/member-directory/?specialty=haematology",
        ROUTE + LAYOUT + 1,
        ROUTE + LAYOUT + 1,
    ),
    # A member's profile: the member (with photo); after LAYOUT, their specialties.
    # Their current officer roles come from the cache (today's officers, keyed on the
    # content generation and the date; the first request filled it).
    ("/member-directory/zeba-aziz/", ROUTE + 1 + LAYOUT + 1, ROUTE + 1 + LAYOUT + 1),
    # The photo gallery (public albums by ROUTE's view restrictions): after LAYOUT,
    # this page of albums (with their events and listing images), counted in the same
    # query, the image ids of their photos (the first is the cover of an album without
    # a listing image), the cover images and their renditions.
    (
        "/photo-gallery/",
        ROUTE + LAYOUT + 4,
        ROUTE + LAYOUT + 4,
    ),
    # An album: its photos with their images, and the images' renditions (the sizes
    # the album shows).
    (
        "/photo-gallery/placeholder-images/",
        ROUTE_DEEPER + LAYOUT + 2,
        ROUTE_DEEPER + LAYOUT + 2,
    ),
    # Site search: 1. the content generation (the key of the cached site and LAYOUT);
    # 2. RESTRICTIONS; 3. the number of results; 4. this page of results; 5. their own
    # fields (one query per page type found: events only, for this word).
    ("/search/?q=chicago", 5, 5),
    # The sitemap: 1. the site; 2. RESTRICTIONS; 3. unpublished sections (to leave
    # their pages out); 4. the number of pages; 5. the pages; 6-16. their own fields,
    # one query per page type (eleven types); 17. the listed members, for their profiles.
    ("/sitemap.xml", 17, 17),
    # The RSS feed and the calendar subscription: the route and the upcoming events
    # (public ones, by the view restrictions the route read). The site settings, for
    # the feed's title, come from the cache.
    ("/events/feed/", ROUTE + 1, ROUTE + 1),
    ("/events/calendar/", ROUTE + 1, ROUTE + 1),
    # An event's .ics: the route alone.
    (
        "/events/acord21-protocol-development-workshop/calendar/",
        ROUTE_DEEPER,
        ROUTE_DEEPER,
    ),
]

# API listings (the API's own routing has no page to find). Each: 1. the content
# generation, the key under which the site and RESTRICTIONS are kept, then 2. this
# page of items, with the total count as a subquery (`cms.pagination.TotalCount`) and the
# foreign keys their fields show (listing images, photos, linked pages) joined.
API_PAGE_LISTING = 2
API = [
    ("/api/v2/pages/", API_PAGE_LISTING, API_PAGE_LISTING),
    # Events: the listing images' renditions (none in the seeded events).
    ("/api/v2/events/", API_PAGE_LISTING, API_PAGE_LISTING + 1),
    # People (photos joined): the photos' renditions (no seeded member has a photo);
    # officer terms with their roles joined; specialties. The directory's URL, for
    # profile URLs, is kept until content changes.
    ("/api/v2/people/", API_PAGE_LISTING + 2, API_PAGE_LISTING + 3),
    # Resources: their lists and documents joined; the linked lists are checked
    # against the kept RESTRICTIONS.
    ("/api/v2/resources/", API_PAGE_LISTING, API_PAGE_LISTING),
    # Albums (listing images and events joined): photos with their images joined,
    # and the images' renditions.
    ("/api/v2/galleries/", API_PAGE_LISTING + 2, API_PAGE_LISTING + 2),
    # Images: 1. the content generation (the key of the cached site, for download
    # URLs); 2. collection view restrictions; 3. the restricted collections'
    # descendants (only once one is restricted: member photos, made for benchmark
    # members); 4. the images, with the total count; 5. their tags.
    ("/api/v2/images/", 4, 5),
    # Documents: as images, but neither size has any, so the empty page is followed
    # by 5. the count; tags are looked up only for documents.
    ("/api/v2/documents/", 4, 5),
    # Search: the content generation, the count, the results, their own fields (per
    # type found); public links are checked against the kept RESTRICTIONS.
    ("/api/v2/search/?q=chicago", 4, 4),
    # Navigation: the content generation, the menu pages, the site settings and their
    # social links.
    ("/api/v2/navigation/", 4, 4),
]

# Benchmark pages only (one of each detail type), with what they add over the seeded
# page of the same type above.
BENCH_ONLY = [
    # A benchmark event: a speaker who is a listed member (PROFILE_LINKS) and a guest
    # in the same speakers query; programme; albums (with their first photos' image
    # ids), the covers (first photos: the albums have no listing image) and the
    # covers' card renditions.
    (
        "/events/benchmark-event-0010/",
        ROUTE_DEEPER + LAYOUT + 1 + PROFILE_LINKS + 1 + 3,
    ),
    ("/events/benchmark-event-0010/calendar/", ROUTE_DEEPER),
    # A benchmark album: its event; its photos with images; their renditions.
    ("/photo-gallery/benchmark-gallery-0001/", ROUTE_DEEPER + LAYOUT + 3),
    # A benchmark member with a photo: as the seeded profile (the photo comes with them).
    ("/member-directory/benchmark-member-0004/", ROUTE + 1 + LAYOUT + 1),
    # The directory searched by a name many members share (a full page of results).
    ("/member-directory/?q=member", ROUTE + LAYOUT + 2),
    ("/search/?q=benchmark", 5),
]


# Room for every rendition and cached path: local memory's default of 300 entries
# would evict the site root paths halfway and add a query to one request.
BIG_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}


@override_settings(CACHES=BIG_CACHE)
class SeededSiteQueryBudgetTests(TestCase):
    size = 0  # the column of PAGES and API to check

    @classmethod
    def setUpTestData(cls):
        call_command("seed_site", verbosity=0)

    def queries(self, url):
        """The number of queries of a second request for `url`, and their SQL."""
        self.assertEqual(self.client.get(url).status_code, 200, url)
        with CaptureQueriesContext(connection) as context:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return [query["sql"] for query in context.captured_queries]

    def assert_budget(self, url, expected):
        sql = self.queries(url)
        self.assertEqual(len(sql), expected, f"{url}:\n" + "\n".join(sql))

    def assert_budgets(self, table):
        for url, *counts in table:
            with self.subTest(url=url):
                self.assert_budget(url, counts[self.size])

    def test_pages(self):
        self.assert_budgets(PAGES)

    def test_api_listings(self):
        self.assert_budgets(API)


class BenchmarkDataQueryBudgetTests(SeededSiteQueryBudgetTests):
    size = 1

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("seed_bench", verbosity=0, **SMALL)

    def test_listings_are_full(self):
        """The benchmark data fills each listing past its first page."""
        response = self.client.get("/member-directory/?q=member")
        self.assertEqual(len(response.context["people"]), 20)
        self.assertTrue(response.context["people"].has_next())
        response = self.client.get("/events/")
        self.assertTrue(response.context["past_events"].has_next())
        self.assertGreater(len(response.context["upcoming_events"]), 3)

    def test_benchmark_pages(self):
        self.assert_budgets([(url, count, count) for url, count in BENCH_ONLY])

    def test_twice_the_data_costs_no_more_queries(self):
        call_command("seed_bench", verbosity=0, **LARGER)
        self.add_speakers_and_photos()
        self.assert_budgets(PAGES)
        self.assert_budgets(API)
        self.assert_budgets([(url, count, count) for url, count in BENCH_ONLY])

    def add_speakers_and_photos(self):
        """More speakers on the benchmark event and more photos in the album measured."""
        event = EventPage.objects.get(slug="benchmark-event-0010")
        members = Person.objects.public().filter(first_name="Benchmark")[:10]
        EventSpeaker.objects.bulk_create(
            EventSpeaker(page=event, person=member, sort_order=10 + n)
            for n, member in enumerate(members)
        )
        album = GalleryPage.objects.get(slug="benchmark-gallery-0001")
        images = SiteImage.objects.filter(title__startswith="Benchmark image")
        GalleryImage.objects.bulk_create(
            GalleryImage(page=album, image=image, sort_order=10 + n)
            for n, image in enumerate(images)
        )

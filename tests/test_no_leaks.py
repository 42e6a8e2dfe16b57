"""Nothing private leaks: every public surface of the seeded site, swept for planted secrets.

On the seeded site we plant one of each private thing, each carrying a marker word
found nowhere else: a draft change to a live page, an unpublished page, a
password-protected page and its child, a login-only event, private person fields
(registration number, private contact details, contact details of a member who did
not opt in), an unlisted member, a draft change to a listed member, and an image
and a document in a restricted collection. Then we read every public surface, as
an anonymous visitor and as a signed-in member who is not an editor, and find none
of the markers, and none of the private objects' ids in the API's listings.

This module is the one place that sweeps every surface: a new public surface is
one line in `SURFACES`. Other modules (test_api_safety, test_seo, ...) test the
rules of each surface in detail.
"""

import re
from urllib.parse import quote, urlsplit

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Site

from cms.api import api_router
from cms.factories import DocumentFactory, SiteImageFactory
from events.factories import EventPageFactory
from events.models import EventIndexPage, EventPage
from home.factories import StandardPageFactory
from people.factories import PersonFactory
from people.models import MemberDirectoryPage, Person, Specialty

# One marker word per planted secret; each appears only in what must stay private.
MARKERS = {
    "draft change to a live page": "Quokkadraft",
    "unpublished page": "Quokkaunpublished",
    "password-protected page": "Quokkapassword",
    "child of a protected page": "Quokkachild",
    "login-only event": "Quokkalogin",
    "registration number": "PMDC-QUOKKA-777",
    "private email": "quokka.private@example.org",
    "private phone": "+92 300 7770001",
    "private notes": "Quokkanotes",
    "contact of a member who did not opt in": "quokka.public@example.org",
    "phone of a member who did not opt in": "+92 300 7770002",
    "unlisted member": "Quokkaunlisted",
    "draft member": "Quokkadraftmember",
    "draft change to a listed member": "Quokkarenamed",
    "restricted image": "Quokkaimage",
    "restricted document": "Quokkadocument",
}
SECRET_WORDS = [marker.lower() for marker in MARKERS.values()]
# The address of a private page, under another name than its title.
SECRET_SLUGS = ["quokka-unpub-slug", "quokka-pw-slug", "quokka-child-slug", "quokka-login-slug"]
# Searches look for this word, which every planted secret also holds: a search page
# echoes its query, so the query is never a marker itself.
FIND = "Wombatfind"


# Every public surface: (name, function of the sweep returning the URLs to read).
# Each URL must answer 200, unless the surface gives (url, status) pairs.
SURFACES = [
    ("every live page", lambda s: s.live_page_urls()),
    ("directory listing", lambda s: [s.directory.url]),
    ("directory search", lambda s: [f"{s.directory.url}?q={quote(w)}" for w in s.words()]),
    ("directory filters", lambda s: s.directory_filter_urls()),
    ("member profiles", lambda s: s.profile_urls()),
    ("site search", lambda s: [f"/search/?q={quote(w)}" for w in s.words()]),
    ("sitemap", lambda s: ["/sitemap.xml"]),
    ("robots", lambda s: ["/robots.txt"]),
    ("events RSS feed", lambda s: [s.events.feed_url]),
    ("events calendar feed", lambda s: [s.events.calendar_url]),
    ("every event's .ics", lambda s: s.event_ics_urls()),
    ("API v2 listings", lambda s: s.v2_listing_urls()),
    ("API v2 details", lambda s: s.v2_detail_urls()),
    ("API v2 search", lambda s: s.v2_search_urls()),
    ("API v2 find", lambda s: s.v2_find_urls()),
    ("API v2 navigation", lambda s: ["/api/v2/navigation/"]),
    ("API v3 pages", lambda s: s.v3_page_urls()),
    ("API v3 search", lambda s: [f"/api/v3/pages/?search={quote(w)}" for w in s.words()]),
    ("API v3 find", lambda s: s.v3_find_urls()),
    ("API v3 media", lambda s: s.v3_media_urls()),
    ("API v3 schema", lambda s: ["/api/v3/openapi.json"]),
    ("API v3 private routes", lambda s: s.v3_private_urls()),
    ("headless preview", lambda s: s.preview_urls()),
    ("private objects' own addresses", lambda s: s.private_object_urls()),
]


class NothingLeaksTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_site", verbosity=0)
        cls.site = Site.objects.get(is_default_site=True)
        cls.home = cls.site.root_page.specific
        cls.events = EventIndexPage.objects.live().first()
        cls.directory = MemberDirectoryPage.objects.live().first()
        cls.plant_pages()
        cls.plant_people()
        cls.plant_media()
        cls.member = get_user_model().objects.create_user("member", password="pw")

    @classmethod
    def plant_pages(cls):
        live = Page.objects.live().public().type(EventPage).first().specific
        live.title = f"{live.title} {FIND} {MARKERS['draft change to a live page']}"
        live.summary = f"{FIND} {MARKERS['draft change to a live page']}"
        live.save_revision()
        cls.drafted = live
        cls.unpublished = StandardPageFactory(
            parent=cls.home,
            title=f"{FIND} {MARKERS['unpublished page']}",
            slug=SECRET_SLUGS[0],
            intro=MARKERS["unpublished page"],
            live=False,
        )
        cls.protected = StandardPageFactory(
            parent=cls.home,
            title=f"{FIND} {MARKERS['password-protected page']}",
            slug=SECRET_SLUGS[1],
            intro=MARKERS["password-protected page"],
            show_in_menus=True,
        )
        PageViewRestriction.objects.create(
            page=cls.protected, restriction_type=PageViewRestriction.PASSWORD, password="pw"
        )
        cls.protected_child = StandardPageFactory(
            parent=cls.protected,
            title=f"{FIND} {MARKERS['child of a protected page']}",
            slug=SECRET_SLUGS[2],
            intro=MARKERS["child of a protected page"],
        )
        cls.login_event = EventPageFactory(
            parent=cls.events,
            title=f"{FIND} {MARKERS['login-only event']}",
            slug=SECRET_SLUGS[3],
            summary=MARKERS["login-only event"],
        )
        PageViewRestriction.objects.create(
            page=cls.login_event, restriction_type=PageViewRestriction.LOGIN
        )

    @classmethod
    def plant_people(cls):
        cls.listed = PersonFactory(
            first_name="Listedquokka",
            registration_number=MARKERS["registration number"],
            private_email=MARKERS["private email"],
            private_phone=MARKERS["private phone"],
            private_notes=MARKERS["private notes"],
            public_email=MARKERS["contact of a member who did not opt in"],
            public_phone=MARKERS["phone of a member who did not opt in"],
            show_contact_details=False,
        )
        cls.listed.save_revision().publish()
        # A change waiting for review: the directory keeps the published name.
        cls.listed.first_name = MARKERS["draft change to a listed member"]
        cls.listed.last_name = FIND
        cls.listed.save_revision()
        cls.unlisted = PersonFactory(
            first_name=MARKERS["unlisted member"], last_name=FIND, unlisted=True
        )
        cls.draft_person = PersonFactory(
            first_name=MARKERS["draft member"], last_name=FIND, draft=True
        )

    @classmethod
    def plant_media(cls):
        private = Collection.get_first_root_node().add_child(name="Quokka private")
        CollectionViewRestriction.objects.create(
            collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="pw"
        )
        cls.private_image = SiteImageFactory(
            title=f"{FIND} {MARKERS['restricted image']}",
            alt_text=MARKERS["restricted image"],
            collection=private,
        )
        # Public ones beside them, so the listings are known to list something.
        DocumentFactory(title="Annual report")
        cls.private_document = DocumentFactory(
            title=f"{FIND} {MARKERS['restricted document']}", collection=private
        )

    # The sweep ------------------------------------------------------------------

    signed_in = False

    def get(self, url):
        parts = urlsplit(url)
        path = f"{parts.path}?{parts.query}" if parts.query else parts.path
        # `find` answers with a redirect to the page's detail: read the detail too.
        follow = parts.path.endswith("/find/")
        return self.client.get(path, HTTP_HOST=self.site.hostname, follow=follow)

    def json(self, url):
        response = self.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response.json()

    def words(self):
        return [FIND, "Listedquokka"]

    def live_page_urls(self):
        pages = Page.objects.live().public().descendant_of(self.home, inclusive=True)
        urls = [page.url for page in pages.specific()]
        self.assertIn(self.drafted.url, urls)
        return urls

    def directory_filter_urls(self):
        url = self.directory.url
        return [
            f"{url}?city=Lahore",
            f"{url}?institution=Test+Cancer+Hospital",
            f"{url}?q=Listedquokka",
            *(f"{url}?specialty={s.slug}" for s in Specialty.objects.all()[:3]),
        ]

    def profile_urls(self):
        return [person.get_profile_url() for person in Person.objects.public()]

    def event_ics_urls(self):
        events = EventPage.objects.live().public().specific()
        return [event.ics_url for event in events if event.ics_url]

    def v2_listing_urls(self):
        urls = []
        for name in api_router._endpoints:
            if name in ("navigation", "search"):
                continue
            urls += [f"/api/v2/{name}/?limit=100", f"/api/v2/{name}/?limit=100&fields=*"]
        return urls

    def v2_detail_urls(self):
        urls = []
        for name in api_router._endpoints:
            if name in ("navigation", "search"):
                continue
            items = self.json(f"/api/v2/{name}/?limit=100")["items"]
            urls += [f"/api/v2/{name}/{item['id']}/" for item in items]
        return urls

    def v2_search_urls(self):
        return [
            url
            for word in self.words()
            for url in (
                f"/api/v2/search/?q={quote(word)}",
                f"/api/v2/pages/?search={quote(word)}",
                f"/api/v2/people/?name={quote(word)}",
                f"/api/v2/images/?search={quote(word)}",
                f"/api/v2/documents/?search={quote(word)}",
            )
        ]

    def v2_find_urls(self):
        live = [f"/api/v2/pages/find/?html_path={quote(url)}" for url in self.live_page_urls()]
        private = [
            (f"/api/v2/pages/find/?html_path={quote(site_path(page))}", 404)
            for page in self.private_pages()
        ]
        return live + private

    def v3_page_urls(self):
        listing = self.json("/api/v3/pages/?limit=100")
        ids = [item["id"] for item in listing["items"]]
        return ["/api/v3/pages/?limit=100", *(f"/api/v3/pages/{pk}/" for pk in ids)]

    def v3_find_urls(self):
        return [
            (f"/api/v3/pages/find/?html_path={quote(site_path(page))}", 404)
            for page in self.private_pages()
        ] + [f"/api/v3/pages/find/?html_path={quote(self.drafted.url)}"]

    def v3_media_urls(self):
        urls = []
        for kind in ("images", "documents"):
            items = self.json(f"/api/v3/{kind}/?limit=100")["items"]
            urls += [f"/api/v3/{kind}/?limit=100", *(f"/api/v3/{kind}/{i['id']}/" for i in items)]
        return urls

    def v3_private_urls(self):
        # Anonymous readers get nothing from these: no revisions, no snippets.
        denied = {400, 401, 403, 404, 405}
        return [
            (f"/api/v3/pages/{self.drafted.pk}/revisions/", denied),
            # Without a token `version=draft` is ignored: the live page, which the
            # marker check proves.
            (f"/api/v3/pages/{self.drafted.pk}/?version=draft", denied | {200}),
            (f"/api/v3/snippets/people.person/{self.listed.pk}/", denied),
            (f"/api/v3/snippets/people.person/{self.listed.pk}/revisions/", denied),
            (f"/api/v3/images/{self.private_image.pk}/", denied),
            (f"/api/v3/documents/{self.private_document.pk}/", denied),
        ] + [(f"/api/v3/pages/{page.pk}/", 404) for page in self.private_pages()]

    def preview_urls(self):
        content_type = "home.standardpage"
        return [
            ("/api/v3/preview/", 400),
            (f"/api/v3/preview/?content_type={content_type}", 400),
            (f"/api/v3/preview/?content_type={content_type}&token=junk", 400),
            (
                f"/api/v3/preview/?content_type={content_type}&token=id%3D{self.unpublished.pk}",
                400,
            ),
        ]

    def private_object_urls(self):
        # Signed in, a member may read the login-only event itself.
        login_only = [] if self.signed_in else [(self.login_event.url, {302, 401, 403, 404})]
        return login_only + [
            (self.unpublished_url(), 404),
            (f"/api/v2/pages/{self.unpublished.pk}/", 404),
            (f"/api/v2/images/{self.private_image.pk}/", 404),
            (f"/api/v2/documents/{self.private_document.pk}/", 404),
            (f"/api/v2/people/{self.unlisted.pk}/", 404),
            (f"/api/v2/people/{self.draft_person.pk}/", 404),
            (f"{self.directory.url}{self.unlisted.slug}/", 404),
            (f"{self.directory.url}{self.draft_person.slug}/", 404),
            # A password form or a sign-in redirect, never the content.
            (self.protected.url, 200),
            (self.protected_child.url, 200),
            (self.private_document.url, 200),
        ]

    def unpublished_url(self):
        return site_path(self.unpublished)

    def private_pages(self):
        return [self.unpublished, self.protected, self.protected_child, self.login_event]

    def private_ids(self):
        return {
            "pages": {page.pk for page in self.private_pages()},
            "events": {self.login_event.pk},
            "people": {self.unlisted.pk, self.draft_person.pk},
            "images": {self.private_image.pk},
            "documents": {self.private_document.pk},
        }

    def sweep(self):
        """Read every surface; fail on any marker, or on an unexpected status."""
        read = 0
        for name, urls_of in SURFACES:
            for entry in urls_of(self):
                url, expected = entry if isinstance(entry, tuple) else (entry, 200)
                with self.subTest(surface=name, url=url):
                    response = self.get(url)
                    self.assert_status(response, expected, url)
                    # A page's own address (in its password form) may hold its slug.
                    own = name == "private objects' own addresses"
                    self.assert_no_marker(response_text(response), url, slugs=not own)
                    read += 1
        return read

    def assert_status(self, response, expected, url):
        allowed = expected if isinstance(expected, set) else {expected}
        self.assertIn(response.status_code, allowed, f"{url}: {response.content[:200]}")

    def assert_no_marker(self, text, url, slugs=True):
        lowered = text.lower()
        words = SECRET_WORDS + (SECRET_SLUGS if slugs else [])
        found = [word for word in words if word in lowered]
        self.assertEqual(found, [], f"{url} shows what must stay private")

    # The tests ------------------------------------------------------------------

    def test_the_planted_secrets_exist(self):
        # The sweep proves something only if every marker is really in the database.
        self.assertFalse(self.unpublished.live)
        self.assertTrue(self.drafted.has_unpublished_changes)
        self.assertTrue(Person.objects.get(pk=self.listed.pk).has_unpublished_changes)
        # The search index holds them: only the public filters keep them out of results.
        found = {page.pk for page in Page.objects.search(FIND)}
        self.assertTrue({self.unpublished.pk, self.protected.pk} <= found)
        self.assertTrue(self.protected.live)
        self.assertIn(MARKERS["child of a protected page"], self.protected_child.title)
        self.assertEqual(
            Person.objects.get(pk=self.listed.pk).registration_number,
            MARKERS["registration number"],
        )

    def test_an_anonymous_visitor_finds_nothing_private(self):
        self.assertGreater(self.sweep(), 100)

    def test_a_signed_in_member_finds_nothing_private(self):
        # Signed in, a member passes the login-only restriction, on the page itself only:
        # lists, feeds, search and the API are the same for everyone.
        self.client.force_login(self.member)
        self.signed_in = True
        self.assertGreater(self.sweep(), 100)

    def test_api_listings_hold_no_private_ids(self):
        private = self.private_ids()
        for name, ids in private.items():
            with self.subTest(endpoint=name):
                items = self.json(f"/api/v2/{name}/?limit=100")["items"]
                self.assertTrue(items)
                self.assertFalse({item["id"] for item in items} & ids)
        for name in ("pages", "images", "documents"):
            with self.subTest(endpoint=f"v3 {name}"):
                items = self.json(f"/api/v3/{name}/?limit=100")["items"]
                self.assertTrue(items)
                self.assertFalse({item["id"] for item in items} & private[name])

    def test_profiles_show_the_published_member_without_private_details(self):
        response = self.get(self.listed.get_profile_url())
        self.assertContains(response, "Listedquokka")
        self.assert_no_marker(response.content.decode(), "profile")


def site_path(page):
    """The page's path on the site ('/events/x/'), from its tree path ('/home/events/x/')."""
    return "/" + page.url_path.split("/", 2)[2]


def response_text(response):
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    # JSON escapes non-ASCII and slashes; markers are plain ASCII, '+' may be encoded.
    return re.sub(r"\\u002b|%2B|&#43;", "+", content.decode(errors="replace"), flags=re.I)

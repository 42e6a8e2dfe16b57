"""Security headers on every kind of response: pages, feeds, API, admin, documents, static.

The public site's Content-Security-Policy allows no inline script or style, so these
tests also read the public pages' HTML and find none: a policy the pages break would
show as a blank or unstyled page only in a browser (tests/browser/test_csp.py).
"""

import re

from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client, TestCase, override_settings
from django.urls import path
from wagtail.models import Site

from cms.factories import DocumentFactory, SiteImageFactory
from cms.models import SiteSettings
from cms.security import client_ip_address, error_page_style_hashes, sha256_source
from cms.settings import base as base_settings
from events.factories import EventIndexPageFactory, EventPageFactory
from gallery.factories import GalleryImageFactory, GalleryIndexPageFactory, GalleryPageFactory
from home.factories import StandardPageFactory, make_site_root
from people.factories import PersonFactory
from people.models import MemberDirectoryPage

CSP = "Content-Security-Policy"
# Scripts that are data, not code: CSP does not apply to them.
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def boom(request):
    raise RuntimeError("A deliberate server error")


def forbidden(request):
    raise PermissionDenied


def unavailable(request):
    # As cms.db_errors answers when the database is unreachable.
    return HttpResponse(render_to_string("503.html"), status=503)


# Used as ROOT_URLCONF by the error page tests.
urlpatterns = [
    path("boom/", boom),
    path("forbidden/", forbidden),
    path("unavailable/", unavailable),
]


def directives(policy):
    """A Content-Security-Policy header as {directive: [sources]}."""
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


class HeaderAssertions:
    def assert_common_headers(self, response, url):
        """The headers every response carries, whatever it is."""
        headers = response.headers
        self.assertEqual(headers.get("X-Content-Type-Options"), "nosniff", url)
        self.assertEqual(headers.get("Referrer-Policy"), "strict-origin-when-cross-origin", url)
        self.assertEqual(headers.get("Cross-Origin-Opener-Policy"), "same-origin", url)
        self.assertEqual(headers.get("X-Frame-Options"), "SAMEORIGIN", url)
        permissions = headers.get("Permissions-Policy", "")
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            self.assertIn(f"{feature}=()", permissions, url)
        self.assertIn(CSP, headers, url)

    def assert_public_policy(self, response, url):
        policy = directives(response.headers[CSP])
        self.assertEqual(policy["default-src"], ["'self'"], url)
        self.assertEqual(policy["script-src"], ["'self'"], url)
        self.assertEqual(policy["style-src"], ["'self'"], url)
        self.assertEqual(policy["object-src"], ["'none'"], url)
        self.assertEqual(policy["frame-ancestors"], ["'self'"], url)
        self.assertEqual(policy["base-uri"], ["'self'"], url)
        self.assertEqual(policy["form-action"], ["'self'"], url)
        self.assertNotIn("nonce-", response.headers[CSP], url)

    def assert_no_inline_code(self, response, url):
        """No inline script, event handler attribute or inline style in the page."""
        soup = BeautifulSoup(response.content, "html.parser")
        for script in soup.find_all("script"):
            if script.get("type") in DATA_SCRIPT_TYPES:
                continue
            self.assertTrue(script.get("src"), f"inline script on {url}: {script}")
            self.assertTrue(script["src"].startswith("/static/"), f"{url}: {script}")
        self.assertEqual(soup.find_all("style"), [], url)
        for tag in soup.find_all(True):
            handlers = [name for name in tag.attrs if name.startswith("on")]
            self.assertEqual(handlers, [], f"event handler attribute on {url}: {tag}")
            self.assertNotIn("style", tag.attrs, f"style attribute on {url}: {tag}")


class PublicSurfaceHeadersTests(HeaderAssertions, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        SiteSettings.objects.create(
            site=Site.objects.get(is_default_site=True),
            organisation_name="Society of Medical Oncology Pakistan",
            short_name="SMOP",
            email="info@smop.example",
        )
        cls.page = StandardPageFactory(parent=cls.home, slug="what-is-smop")
        index = EventIndexPageFactory(parent=cls.home, slug="events")
        cls.event = EventPageFactory(parent=index, slug="annual-conference")
        cls.directory = cls.home.add_child(
            instance=MemberDirectoryPage(title="Member directory", slug="member-directory")
        )
        cls.person = PersonFactory()
        gallery_index = GalleryIndexPageFactory(parent=cls.home, slug="gallery")
        cls.album = GalleryPageFactory(parent=gallery_index, slug="album")
        GalleryImageFactory(page=cls.album, image=SiteImageFactory())
        cls.document = DocumentFactory()

    def public_pages(self):
        return [
            "/",
            "/what-is-smop/",
            "/events/",
            "/events/annual-conference/",
            "/member-directory/",
            f"/member-directory/{self.person.slug}/",
            "/member-directory/?q=onc&city=Lahore",
            "/gallery/",
            "/gallery/album/",
            "/search/?q=conference",
            "/no-such-page/",
        ]

    def test_public_pages_carry_every_header_and_the_strict_policy(self):
        for url in self.public_pages():
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertIn(response.status_code, {200, 404}, url)
                self.assert_common_headers(response, url)
                self.assert_public_policy(response, url)

    def test_public_pages_have_no_inline_script_or_style(self):
        for url in self.public_pages():
            with self.subTest(url=url):
                self.assert_no_inline_code(self.client.get(url), url)

    def test_feeds_calendars_sitemap_and_api_carry_every_header(self):
        urls = [
            "/sitemap.xml",
            "/robots.txt",
            "/events/feed/",
            "/events/calendar/",
            "/events/annual-conference/calendar/",
            "/api/v2/pages/",
            f"/api/v2/pages/{self.event.pk}/",
            "/api/v2/pages/?limit=nonsense",
            "/api/v3/pages/",
            "/api/v3/openapi.json",
            "/api/v3/docs/",
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertIn(response.status_code, {200, 400}, url)
                self.assert_common_headers(response, url)
                self.assert_public_policy(response, url)

    def test_the_api_docs_load_nothing_from_another_site(self):
        response = self.client.get("/api/v3/docs/")
        self.assertEqual(response.status_code, 200)
        soup = BeautifulSoup(response.content, "html.parser")
        sources = [tag.get("src") for tag in soup.find_all("script") if tag.get("src")]
        sources += [tag["href"] for tag in soup.find_all("link", href=True)]
        self.assertTrue(sources)
        for source in sources:
            self.assertTrue(source.startswith("/static/"), source)
        self.assert_no_inline_code(response, "/api/v3/docs/")

    def test_a_document_download_keeps_its_own_stricter_policy(self):
        response = self.client.get(self.document.url)
        self.assertEqual(response.status_code, 200)
        self.assert_common_headers(response, self.document.url)
        # Wagtail's own policy for documents: nothing in a document may run or load.
        self.assertEqual(directives(response.headers[CSP])["default-src"], ["'none'"])

    def test_a_redirect_carries_the_headers(self):
        response = self.client.get("/what-is-smop")
        self.assertEqual(response.status_code, 301)
        self.assert_common_headers(response, "/what-is-smop")

    @override_settings(SMOP_PAGE_CACHE_SECONDS=300)
    def test_a_page_from_the_full_page_cache_carries_every_header(self):
        for url in ("/events/annual-conference/", "/api/v2/pages/"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url)["X-Cache"], "miss")
                response = self.client.get(url)
                self.assertEqual(response["X-Cache"], "hit")
                self.assert_common_headers(response, url)
                self.assert_public_policy(response, url)

    def test_headers_do_not_depend_on_the_user_agent_or_method(self):
        response = self.client.head("/", HTTP_USER_AGENT="curl/8")
        self.assert_common_headers(response, "HEAD /")
        self.assert_public_policy(response, "HEAD /")


@override_settings(
    # Production's values (cms/settings/production.py), behind its TLS proxy.
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=365 * 24 * 60 * 60,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
)
class BehindTheTlsProxyTests(HeaderAssertions, TestCase):
    @classmethod
    def setUpTestData(cls):
        make_site_root()

    def test_plain_http_is_redirected_to_https(self):
        response = self.client.get("/?q=1")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "https://testserver/?q=1")
        # Answered by SecurityMiddleware before any page content: no HSTS over HTTP.
        self.assertNotIn("Strict-Transport-Security", response)

    def test_https_through_the_proxy_is_served_with_hsts(self):
        response = self.client.get("/", HTTP_X_FORWARDED_PROTO="https")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Strict-Transport-Security"], "max-age=31536000; includeSubDomains"
        )
        self.assert_common_headers(response, "https /")


class AdminHeadersTests(HeaderAssertions, TestCase):
    @classmethod
    def setUpTestData(cls):
        make_site_root()

    def test_the_admin_has_its_own_looser_policy(self):
        response = self.client.get("/admin/login/")
        self.assertEqual(response.status_code, 200)
        self.assert_common_headers(response, "/admin/login/")
        policy = directives(response.headers[CSP])
        # Wagtail's templates still write inline scripts and styles.
        self.assertEqual(policy["script-src"], ["'self'", "'unsafe-inline'"])
        self.assertEqual(policy["style-src"], ["'self'", "'unsafe-inline'"])
        self.assertIn("blob:", policy["img-src"])
        # Everything else stays as strict as the public site.
        self.assertEqual(policy["object-src"], ["'none'"])
        self.assertEqual(policy["frame-ancestors"], ["'self'"])
        self.assertEqual(policy["default-src"], ["'self'"])

    def test_only_the_admin_path_gets_the_looser_policy(self):
        # A public path that merely starts like the admin's.
        response = self.client.get("/administration/")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("'unsafe-inline'", response.headers[CSP])

    def test_the_public_policy_never_allows_inline_code(self):
        directive_values = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].values()
        sources = {source for value in directive_values for source in value}
        self.assertFalse(sources & {"'unsafe-inline'", "'unsafe-eval'", "'strict-dynamic'"})


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
class ErrorPageHeadersTests(HeaderAssertions, TestCase):
    def setUp(self):
        self.client = Client(raise_request_exception=False)

    def test_the_server_error_page_may_use_exactly_its_own_inline_style(self):
        response = self.client.get("/boom/")
        self.assertEqual(response.status_code, 500)
        self.assert_common_headers(response, "/boom/")
        styles = BeautifulSoup(response.content, "html.parser").find_all("style")
        self.assertEqual(len(styles), 1)
        allowed = directives(response.headers[CSP])["style-src"]
        self.assertEqual(allowed[0], "'self'")
        self.assertIn(sha256_source(styles[0].string), allowed)
        self.assertEqual(error_page_style_hashes(), allowed[1:])

    def test_the_service_unavailable_page_may_use_its_own_inline_style(self):
        response = self.client.get("/unavailable/")
        self.assertEqual(response.status_code, 503)
        style = BeautifulSoup(response.content, "html.parser").find("style").string
        self.assertIn(sha256_source(style), directives(response.headers[CSP])["style-src"])

    def test_other_errors_get_no_inline_style(self):
        response = self.client.get("/forbidden/")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(directives(response.headers[CSP])["style-src"], ["'self'"])


# Static files: whitenoise answers them before most middleware runs (production's
# order, from base.py); the project's own static folder stands in for collectstatic.
@override_settings(MIDDLEWARE=base_settings.MIDDLEWARE, STATIC_ROOT=settings.BASE_DIR / "static")
class StaticFileHeadersTests(HeaderAssertions, TestCase):
    def test_a_static_file_from_whitenoise_carries_every_header(self):
        response = self.client.get("/static/js/site.js")
        self.assertEqual(response.status_code, 200)
        self.assertIn("javascript", response.headers["Content-Type"])
        self.assert_common_headers(response, "/static/js/site.js")
        self.assert_public_policy(response, "/static/js/site.js")


class MiddlewareOrderTests(TestCase):
    """Security headers must be added to responses that never reach a view."""

    def test_security_headers_come_before_anything_that_answers_early(self):
        order = settings.MIDDLEWARE
        self.assertEqual(order[0], "django.middleware.security.SecurityMiddleware")
        early = [
            index
            for index, name in enumerate(order)
            if name.startswith(("whitenoise.", "cms.page_cache", "django.middleware.cache"))
            or name == "corsheaders.middleware.CorsMiddleware"
        ]
        for name in (
            "cms.security.PermissionsPolicyMiddleware",
            "cms.security.ContentSecurityPolicyMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
        ):
            self.assertLess(order.index(name), min(early, default=len(order)), name)

    def test_whitenoise_is_after_the_security_headers_in_production(self):
        order = base_settings.MIDDLEWARE
        whitenoise = order.index("whitenoise.middleware.WhiteNoiseMiddleware")
        self.assertLess(order.index("cms.security.ContentSecurityPolicyMiddleware"), whitenoise)


class ClientAddressTests(TestCase):
    """The address lock-outs are counted against, behind zero, one or two proxies."""

    def address(self, proxies, forwarded=None, remote="10.0.0.1"):
        meta = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            meta["HTTP_X_FORWARDED_FOR"] = forwarded
        request = type("Request", (), {"META": meta})()
        with override_settings(SMOP_TRUSTED_PROXY_COUNT=proxies):
            return client_ip_address(request)

    def test_without_a_trusted_proxy_the_header_is_ignored(self):
        self.assertEqual(self.address(0, "203.0.113.9"), "10.0.0.1")

    def test_behind_one_proxy_the_last_address_is_the_visitor(self):
        # The visitor forged the first entry; nginx appended the real one.
        self.assertEqual(self.address(1, "198.51.100.1, 203.0.113.9"), "203.0.113.9")

    def test_behind_two_proxies_the_second_from_the_right_is_the_visitor(self):
        forwarded = "198.51.100.1, 203.0.113.9, 192.0.2.50"
        self.assertEqual(self.address(2, forwarded), "203.0.113.9")

    def test_a_short_or_missing_header_falls_back_sensibly(self):
        self.assertEqual(self.address(2, "203.0.113.9"), "203.0.113.9")
        self.assertEqual(self.address(1), "10.0.0.1")
        self.assertEqual(self.address(1, " , "), "10.0.0.1")


def test_error_page_hashes_match_the_templates():
    """Hashes are read from the templates themselves, so editing a page keeps it valid."""
    for name in ("500.html", "503.html"):
        page = render_to_string(name)
        style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
        assert sha256_source(style) in error_page_style_hashes(), name

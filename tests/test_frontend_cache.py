"""Frontend cache purging: on publish when configured by environment, never otherwise."""

from unittest import mock
from urllib.error import URLError

from django.test import TestCase, override_settings

from home.factories import StandardPageFactory, make_site_root
from tests.env_settings import PRODUCTION_ENV, settings_from_env

HTTP_PURGER = {
    "http": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": "http://cache.internal:6081",
    }
}
URLOPEN = "wagtail.contrib.frontend_cache.backends.http.urlopen"
CLOUDFLARE = {
    "cloudflare": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": "zone-123",
        "BEARER_TOKEN": "cf-token",
    }
}
CLOUDFLARE_POST = "wagtail.contrib.frontend_cache.backends.cloudflare.requests.post"


class PurgeOnPublishTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.page = StandardPageFactory(parent=cls.home, title="About SMOP", slug="about")

    def publish_change(self):
        self.page.title = "About the society"
        with self.captureOnCommitCallbacks(execute=True):
            self.page.save_revision().publish()

    @override_settings(WAGTAILFRONTENDCACHE=HTTP_PURGER)
    def test_publishing_purges_the_pages_url(self):
        with mock.patch(URLOPEN) as urlopen:
            self.publish_change()

        purged = [call.args[0] for call in urlopen.call_args_list]
        self.assertEqual([request.get_method() for request in purged], ["PURGE"])
        self.assertEqual(purged[0].full_url, "http://cache.internal:6081/about/")
        self.assertEqual(purged[0].get_header("Host"), "localhost")

    @override_settings(WAGTAILFRONTENDCACHE=HTTP_PURGER)
    def test_unpublishing_purges_too(self):
        with mock.patch(URLOPEN) as urlopen, self.captureOnCommitCallbacks(execute=True):
            self.page.unpublish()

        self.assertEqual(
            urlopen.call_args_list[0].args[0].full_url, "http://cache.internal:6081/about/"
        )

    @override_settings(WAGTAILFRONTENDCACHE=CLOUDFLARE)
    def test_cloudflare_is_asked_to_purge_the_pages_url(self):
        with mock.patch(CLOUDFLARE_POST) as post:
            post.return_value.json.return_value = {"success": True}
            self.publish_change()

        post.assert_called_once()
        self.assertEqual(post.call_args.kwargs["json"], {"files": ["http://localhost/about/"]})
        self.assertEqual(post.call_args.kwargs["headers"]["Authorization"], "Bearer cf-token")
        self.assertIn("/zones/zone-123/purge_cache", post.call_args.args[0])

    @override_settings(WAGTAILFRONTENDCACHE={})
    def test_nothing_is_purged_when_no_cache_is_configured(self):
        with mock.patch(URLOPEN) as urlopen:
            self.publish_change()

        urlopen.assert_not_called()
        self.page.refresh_from_db()
        self.assertEqual(self.page.title, "About the society")

    @override_settings(WAGTAILFRONTENDCACHE=HTTP_PURGER)
    def test_an_unreachable_cache_does_not_stop_publishing(self):
        with mock.patch(URLOPEN, side_effect=URLError("connection refused")):
            self.publish_change()

        self.page.refresh_from_db()
        self.assertEqual(self.page.title, "About the society")


def test_no_purging_is_configured_by_default():
    found = settings_from_env(["WAGTAILFRONTENDCACHE"], PRODUCTION_ENV)

    assert found["WAGTAILFRONTENDCACHE"] == {}


def test_purgers_come_from_the_environment():
    env = {
        **PRODUCTION_ENV,
        "FRONTEND_CACHE_PURGE_URL": "http://varnish.internal:6081",
        "CLOUDFLARE_ZONE_ID": "zone-123",
        "CLOUDFLARE_API_TOKEN": "cf-token",
    }

    found = settings_from_env(["WAGTAILFRONTENDCACHE"], env)

    assert found["WAGTAILFRONTENDCACHE"] == {
        "http": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://varnish.internal:6081",
        },
        "cloudflare": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "ZONEID": "zone-123",
            "BEARER_TOKEN": "cf-token",
        },
    }

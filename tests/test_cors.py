"""CORS: listed origins may call /api/ from a browser; nobody else, and nothing else."""

from django.test import TestCase, override_settings

from home.factories import make_site_root
from tests.env_settings import PRODUCTION_ENV, settings_from_env

FRONTEND = "https://app.example.org"
STRANGER = "https://evil.example.com"
ALLOW_ORIGIN = "Access-Control-Allow-Origin"


@override_settings(CORS_ALLOWED_ORIGINS=[FRONTEND])
class CorsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_site_root()

    def preflight(self, path, origin, method="GET"):
        return self.client.options(
            path,
            HTTP_ORIGIN=origin,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
        )

    def test_preflight_from_an_allowed_origin_succeeds(self):
        for path in ("/api/v3/pages/", "/api/v3/preview/", "/api/v2/pages/"):
            with self.subTest(path=path):
                response = self.preflight(path, FRONTEND)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response[ALLOW_ORIGIN], FRONTEND)
                self.assertIn("GET", response["Access-Control-Allow-Methods"])
                allowed_headers = response["Access-Control-Allow-Headers"]
                self.assertIn("authorization", allowed_headers)
                self.assertIn("content-type", allowed_headers)

    def test_responses_to_an_allowed_origin_carry_the_header(self):
        for path, status in (("/api/v3/pages/", 200), ("/api/v3/pages/999999/", 404)):
            with self.subTest(path=path):
                response = self.client.get(path, HTTP_ORIGIN=FRONTEND)
                self.assertEqual(response.status_code, status)
                self.assertEqual(response[ALLOW_ORIGIN], FRONTEND)
                self.assertIn("origin", response["Vary"].lower())

    def test_other_origins_get_no_cors_headers(self):
        for origin in (STRANGER, "https://app.example.org.evil.com", "http://app.example.org"):
            with self.subTest(origin=origin):
                preflight = self.preflight("/api/v3/pages/", origin)
                self.assertNotIn(ALLOW_ORIGIN, preflight)
                self.assertNotIn("Access-Control-Allow-Methods", preflight)
                response = self.client.get("/api/v3/pages/", HTTP_ORIGIN=origin)
                self.assertNotIn(ALLOW_ORIGIN, response)

    def test_only_api_paths_are_shared(self):
        for path in ("/", "/admin/login/", "/search/"):
            with self.subTest(path=path):
                response = self.client.get(path, HTTP_ORIGIN=FRONTEND)
                self.assertNotIn(ALLOW_ORIGIN, response)

    def test_credentials_are_not_shared(self):
        # The API authenticates with bearer tokens, never cookies.
        response = self.preflight("/api/v3/pages/", FRONTEND)

        self.assertNotIn("Access-Control-Allow-Credentials", response)


def test_no_origin_is_allowed_by_default():
    for module, env in (
        ("cms.settings.production", PRODUCTION_ENV),
        ("cms.settings.dev", {}),
    ):
        found = settings_from_env(["CORS_ALLOWED_ORIGINS", "CORS_URLS_REGEX"], env, module)
        assert found == {"CORS_ALLOWED_ORIGINS": [], "CORS_URLS_REGEX": r"^/api/"}, module


def test_allowed_origins_come_from_the_environment():
    env = {
        **PRODUCTION_ENV,
        "CORS_ALLOWED_ORIGINS": "https://app.smopak.com, https://m.smopak.com,",
    }

    found = settings_from_env(["CORS_ALLOWED_ORIGINS"], env)

    assert found["CORS_ALLOWED_ORIGINS"] == ["https://app.smopak.com", "https://m.smopak.com"]

"""Redis unreachable: the cache answers as an empty cache and the site serves uncached."""

import os
from unittest import mock

from django.core.cache import caches
from django.test import SimpleTestCase, TestCase, override_settings
from redis.exceptions import ConnectionError as RedisConnectionError

from cms import cache as resilient
from cms.cache import ResilientRedisCache
from cms.page_cache import content_generation
from events.factories import EventIndexPageFactory, EventPageFactory
from home.factories import make_site_root
from people.factories import MemberDirectoryPageFactory, PersonFactory
from tests.env_settings import PRODUCTION_ENV, settings_from_env
from tests.test_page_cache import TEST_REDIS_URL, require_redis

# Nothing listens here: every connection is refused at once.
CLOSED_PORT_URL = "redis://127.0.0.1:6399/5"
REDIS_DOWN = {"default": {"BACKEND": "cms.cache.ResilientRedisCache", "LOCATION": CLOSED_PORT_URL}}


def down_cache():
    return ResilientRedisCache(CLOSED_PORT_URL, {})


class UnreachableRedisTests(TestCase):  # a recovery replaces the content generation
    def setUp(self):
        resilient.outages.reset()
        self.addCleanup(resilient.outages.reset)

    def test_every_operation_answers_as_an_empty_cache(self):
        cache = down_cache()
        with self.assertLogs("cms.cache", "WARNING"):
            self.assertIsNone(cache.get("key"))
        self.assertEqual(cache.get("key", "default"), "default")
        self.assertIsNone(cache.set("key", "value"))
        self.assertFalse(cache.add("key", "value"))
        self.assertFalse(cache.touch("key"))
        self.assertFalse(cache.delete("key"))
        self.assertFalse(cache.has_key("key"))
        self.assertEqual(cache.get_many(["a", "b"]), {})
        self.assertEqual(cache.set_many({"a": 1, "b": 2}), ["a", "b"])
        self.assertIsNone(cache.delete_many(["a", "b"]))
        self.assertEqual(cache.incr("counter", 3), 3)
        self.assertEqual(cache.get_or_set("key", "fallback"), "fallback")
        self.assertFalse(cache.clear())

    def test_every_operation_answers_even_when_redis_is_retried(self):
        cache = down_cache()
        with mock.patch.object(resilient, "RETRY_AFTER_SECONDS", 0), self.assertLogs("cms.cache"):
            for _ in range(3):
                self.assertIsNone(cache.get("key"))
                self.assertIsNone(cache.set("key", "value"))

    def test_timeouts_are_short(self):
        pool = down_cache()._cache._get_connection_pool(write=False)
        self.assertLessEqual(pool.connection_kwargs["socket_connect_timeout"], 0.5)
        self.assertLessEqual(pool.connection_kwargs["socket_timeout"], 0.5)

    def test_timeouts_can_be_set_in_options(self):
        cache = ResilientRedisCache(CLOSED_PORT_URL, {"OPTIONS": {"socket_timeout": 2}})
        pool = cache._cache._get_connection_pool(write=False)
        self.assertEqual(pool.connection_kwargs["socket_timeout"], 2)
        self.assertEqual(pool.connection_kwargs["socket_connect_timeout"], 0.25)

    def test_after_a_failure_redis_is_left_alone_for_a_while(self):
        cache = down_cache()
        client = "django.core.cache.backends.redis.RedisCacheClient.get"
        with (
            mock.patch(client, side_effect=RedisConnectionError("refused")) as get,
            self.assertLogs("cms.cache"),
        ):
            for _ in range(5):
                self.assertIsNone(cache.get("key"))
        # One attempt; the other four calls did not wait on Redis at all.
        self.assertEqual(get.call_count, 1)

    def test_redis_is_tried_again_later_and_recovery_is_noted(self):
        cache = down_cache()
        client = "django.core.cache.backends.redis.RedisCacheClient.get"
        with mock.patch(client, side_effect=RedisConnectionError("refused")):
            with self.assertLogs("cms.cache"):
                cache.get("key")
        later = resilient.time.monotonic() + resilient.RETRY_AFTER_SECONDS + 1
        with (
            mock.patch(client, return_value="back") as get,
            mock.patch.object(resilient.time, "monotonic", return_value=later),
            self.assertLogs("cms.cache") as logs,
        ):
            self.assertEqual(cache.get("key"), "back")
        get.assert_called_once()
        self.assertIn("available again", logs.output[0])

    def test_an_outage_is_logged_once_not_on_every_call(self):
        cache = down_cache()
        with (
            mock.patch.object(resilient, "RETRY_AFTER_SECONDS", 0),
            self.assertLogs("cms.cache") as logs,
        ):
            for _ in range(10):
                cache.get("key")
        self.assertEqual(len(logs.output), 1)

    def test_errors_that_are_not_redis_failures_still_raise(self):
        client = "django.core.cache.backends.redis.RedisCacheClient.get"
        with mock.patch(client, side_effect=TypeError("a bug")), self.assertRaises(TypeError):
            down_cache().get("key")

    def test_the_content_generation_never_matches_while_redis_is_down(self):
        with override_settings(CACHES=REDIS_DOWN), self.assertLogs("cms.cache"):
            self.assertNotEqual(content_generation(), content_generation())


@override_settings(CACHES=REDIS_DOWN, SMOP_PAGE_CACHE_SECONDS=300)
class SiteWithRedisDownTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        index = EventIndexPageFactory(parent=cls.home, slug="events")
        cls.event = EventPageFactory(parent=index, title="Annual Oncology Update")
        MemberDirectoryPageFactory(parent=cls.home, slug="directory")
        PersonFactory(first_name="Amna")

    def setUp(self):
        resilient.outages.reset()
        self.addCleanup(resilient.outages.reset)
        # The outage is reported (once), not raised.
        self.enterContext(self.assertLogs("cms.cache", "WARNING"))

    def test_every_public_surface_and_the_admin_login_answer(self):
        urls = [
            "/",
            "/events/",
            self.event.url,
            "/directory/",
            "/directory/?q=amna",
            "/search/?q=oncology",
            "/api/v2/pages/",
            "/api/v2/events/",
            "/admin/login/",
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url, HTTP_HOST="localhost")
                self.assertEqual(response.status_code, 200)
                self.assertNotEqual(response.get("X-Cache"), "hit")

    def test_pages_are_served_uncached_and_fresh(self):
        self.client.get("/events/", HTTP_HOST="localhost")
        self.event.title = "Renamed while Redis is down"
        self.event.save_revision().publish()
        response = self.client.get("/events/", HTTP_HOST="localhost")
        self.assertEqual(response["X-Cache"], "miss")
        self.assertContains(response, "Renamed while Redis is down")

    def test_editors_can_sign_in(self):
        from django.contrib.auth import get_user_model  # noqa: PLC0415

        get_user_model().objects.create_superuser("admin", "a@example.org", "password")
        response = self.client.post(
            "/admin/login/", {"username": "admin", "password": "password"}, HTTP_HOST="localhost"
        )
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/admin/", HTTP_HOST="localhost").status_code, 200)


class RecoveryTests(TestCase):
    def setUp(self):
        resilient.outages.reset()
        self.addCleanup(resilient.outages.reset)

    def test_the_page_cache_is_emptied_when_redis_answers_again(self):
        # A publish during the outage could not replace the generation in Redis.
        cache = down_cache()
        client = "django.core.cache.backends.redis.RedisCacheClient.get"
        with (
            mock.patch(client, side_effect=RedisConnectionError("refused")),
            self.assertLogs("cms.cache"),
        ):
            cache.get("key")
        before = content_generation()
        later = resilient.time.monotonic() + resilient.RETRY_AFTER_SECONDS + 1
        with (
            mock.patch(client, return_value=None),
            mock.patch.object(resilient.time, "monotonic", return_value=later),
            self.assertLogs("cms.cache"),
        ):
            cache.get("key")
            cache.get("key")
        self.assertNotEqual(content_generation(), before)


class WorkingRedisTests(SimpleTestCase):
    def test_values_round_trip_through_redis(self):
        require_redis()
        cache = ResilientRedisCache(TEST_REDIS_URL, {"KEY_PREFIX": "smop-test-resilience"})
        self.addCleanup(cache.delete, "key")
        cache.set("key", {"a": [1, 2]}, 30)
        self.assertEqual(cache.get("key"), {"a": [1, 2]})
        self.assertEqual(caches["default"].__class__.__name__, "LocMemCache")

    def test_one_redis_client_serves_every_operation(self):
        """The redis-py client is made once per pool, not once per operation."""
        require_redis()
        cache = ResilientRedisCache(TEST_REDIS_URL, {"KEY_PREFIX": "smop-test-resilience"})
        self.addCleanup(cache.delete_many, ["key", "other"])
        cache.set("key", 1, 30)
        client = cache._cache.get_client("key", write=True)
        cache.set_many({"other": 2}, 30)
        self.assertEqual(cache.get_many(["key", "other"]), {"key": 1, "other": 2})
        self.assertIs(cache._cache.get_client("other", write=True), client)


class CacheSettingsTests(SimpleTestCase):
    def test_redis_url_makes_redis_the_cache_in_every_settings_module(self):
        env = {**PRODUCTION_ENV, "REDIS_URL": "redis://cache.internal:6379/0"}
        for module in ("cms.settings.production", "cms.settings.dev"):
            with self.subTest(module=module):
                caches_setting = settings_from_env(["CACHES"], env, module)["CACHES"]
                self.assertEqual(
                    caches_setting["default"]["BACKEND"], "cms.cache.ResilientRedisCache"
                )
                self.assertEqual(
                    caches_setting["default"]["LOCATION"], "redis://cache.internal:6379/0"
                )

    def test_local_memory_without_redis_url(self):
        found = settings_from_env(["CACHES", "SMOP_PAGE_CACHE_SECONDS"], PRODUCTION_ENV)
        self.assertEqual(
            found["CACHES"]["default"]["BACKEND"], "django.core.cache.backends.locmem.LocMemCache"
        )
        self.assertEqual(found["SMOP_PAGE_CACHE_SECONDS"], 300)

    def test_the_page_cache_time_comes_from_the_environment(self):
        env = {**PRODUCTION_ENV, "SMOP_PAGE_CACHE_SECONDS": "0"}
        self.assertEqual(
            settings_from_env(["SMOP_PAGE_CACHE_SECONDS"], env)["SMOP_PAGE_CACHE_SECONDS"], 0
        )


def test_redis_tests_run_under_ci():
    """Under CI a missing Redis fails the run instead of skipping the Redis tests."""
    with (
        mock.patch.dict(os.environ, {"CI": "true"}),
        mock.patch("tests.test_page_cache.redis_available", return_value=False),
    ):
        import pytest  # noqa: PLC0415

        with pytest.raises(pytest.fail.Exception):
            require_redis()

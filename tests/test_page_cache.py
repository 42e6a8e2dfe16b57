"""The full-page cache: what it keeps, for whom, and that a publish shows at once."""

import datetime as dt
import os
import uuid
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory, TestCase, override_settings
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction, Workflow

from cms import page_cache
from cms.models import SiteSettings
from events.factories import EventIndexPageFactory, EventPageFactory
from home.factories import StandardPageFactory, make_site_root
from people.factories import MemberDirectoryPageFactory, PersonFactory

ON = override_settings(SMOP_PAGE_CACHE_SECONDS=300, SMOP_PAGE_CACHE_MAX_AGE=60)
TEST_REDIS_URL = os.environ.get("SMOP_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def in_a_month():
    return timezone.localdate() + dt.timedelta(days=30)


class SiteTestData:
    """A home page with upcoming events, an events index, a directory and a page."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_site_root(sections__0__upcoming_events__heading="Upcoming events")
        cls.index = EventIndexPageFactory(parent=cls.home, title="Events", slug="events")
        cls.event = EventPageFactory(
            parent=cls.index, title="Annual Oncology Update", start_date=in_a_month()
        )
        cls.about = StandardPageFactory(parent=cls.home, title="About SMOP", slug="about")
        cls.directory = MemberDirectoryPageFactory(parent=cls.home, slug="directory")
        cls.person = PersonFactory(first_name="Amna", last_name="Qureshi")

    def get(self, url, client=None, **headers):
        return (client or self.client).get(url, HTTP_HOST="localhost", **headers)

    def assert_hit(self, url, **headers):
        response = self.get(url, **headers)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["X-Cache"], "hit")
        return response

    def assert_miss(self, url, **headers):
        response = self.get(url, **headers)
        self.assertEqual(response["X-Cache"], "miss")
        return response

    def warm(self, *urls):
        for url in urls:
            self.assert_miss(url)
            self.assert_hit(url)


@ON
class HitAndMissTests(SiteTestData, TestCase):
    def test_a_miss_then_a_hit_that_runs_no_view(self):
        miss = self.assert_miss("/about/")
        self.assertEqual(miss.status_code, 200)
        self.assertEqual(miss["Cache-Control"], "public, max-age=60")
        # One query: the content generation row, which every process shares (the local
        # memory cache is private to each process). No session, user, site or page.
        with self.assertNumQueries(1), mock.patch("wagtail.views.serve") as serve:
            hit = self.assert_hit("/about/")
        serve.assert_not_called()
        self.assertEqual(hit.content, miss.content)
        self.assertEqual(hit["Cache-Control"], "public, max-age=60")
        self.assertEqual(hit["Content-Type"], miss["Content-Type"])

    def test_each_public_surface_is_cached(self):
        urls = [
            "/",
            "/events/",
            self.event.url,
            "/events/?category=workshop",
            "/events/calendar/",
            "/events/feed/",
            f"{self.event.url}calendar/",
            "/directory/",
            "/directory/?q=amna",
            f"/directory/{self.person.slug}/",
            "/search/?q=oncology",
            "/sitemap.xml",
            "/api/v2/pages/",
            f"/api/v2/pages/{self.about.pk}/",
            "/api/v2/events/",
        ]
        for url in urls:
            with self.subTest(url=url):
                self.warm(url)

    def test_head_is_answered_from_the_get_entry(self):
        get = self.assert_miss("/about/")
        head = self.client.head("/about/", HTTP_HOST="localhost")
        self.assertEqual(head["X-Cache"], "hit")
        self.assertEqual(head.content, b"")
        self.assertEqual(head["Content-Length"], get["Content-Length"])

    def test_a_head_miss_is_not_stored(self):
        head = self.client.head("/about/", HTTP_HOST="localhost")
        self.assertEqual(head["X-Cache"], "miss")
        self.assert_miss("/about/")

    def test_a_matching_etag_on_a_hit_gets_304(self):
        etag = self.assert_miss("/about/")["ETag"]
        response = self.get("/about/", HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(response.status_code, 304)
        self.assertEqual(response["X-Cache"], "hit")

    def test_parameters_in_another_order_share_an_entry(self):
        self.assert_miss("/directory/?q=amna&city=Lahore")
        self.assert_hit("/directory/?city=Lahore&q=amna")

    def test_repeated_parameters_keep_their_order(self):
        # Django reads the last value of a repeated parameter: these are different pages.
        self.assert_miss("/directory/?page=1&page=2")
        self.assert_miss("/directory/?page=2&page=1")
        self.assert_hit("/directory/?page=1&page=2")

    def test_a_very_long_query_string_is_served_but_never_cached(self):
        url = "/directory/?q=" + "a" * 3000
        for _ in range(2):
            response = self.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertNotIn("X-Cache", response)
            self.assertIn("private", response["Cache-Control"])

    def test_the_key_length_is_bounded(self):
        request = RequestFactory().get("/directory/", {"q": "x" * 2000}, HTTP_HOST="localhost")
        self.assertEqual(len(page_cache.entry_key(request)), len("smop:page:") + 64)

    def test_not_found_and_redirects_are_not_cached(self):
        for _ in range(2):
            self.assertEqual(self.get("/no-such-page/")["X-Cache"], "miss")
            self.assertEqual(self.get("/no-such-page/").status_code, 404)
            redirect = self.get("/about")  # APPEND_SLASH
            self.assertEqual(redirect.status_code, 301)
            self.assertEqual(redirect["X-Cache"], "miss")
            self.assertIn("private", redirect["Cache-Control"])

    @override_settings(SMOP_PAGE_CACHE_SECONDS=0)
    def test_zero_seconds_turns_the_cache_off(self):
        response = self.get("/about/")
        self.assertNotIn("X-Cache", response)
        self.assertNotIn("X-Cache", self.get("/about/"))

    def test_the_language_is_part_of_the_key(self):
        request = RequestFactory().get("/about/", HTTP_HOST="localhost")
        other = RequestFactory().get("/about/", HTTP_HOST="localhost")
        with mock.patch(
            "django.utils.translation.get_language_from_request", side_effect=["en", "ur"]
        ):
            self.assertNotEqual(page_cache.entry_key(request), page_cache.entry_key(other))


@ON
class InvalidationTests(SiteTestData, TestCase):
    def test_publishing_an_event_shows_on_its_page_its_index_and_the_home_page(self):
        self.warm(self.event.url, "/events/", "/")
        self.event.title = "Annual Oncology Update 2027"
        self.event.save_revision().publish()
        for url in (self.event.url, "/events/", "/"):
            with self.subTest(url=url):
                response = self.assert_miss(url)
                self.assertContains(response, "Annual Oncology Update 2027")

    def test_a_new_event_shows_on_the_index_and_home_page_at_once(self):
        self.warm("/events/", "/")
        EventPageFactory(parent=self.index, title="Lymphoma Workshop", start_date=in_a_month())
        for url in ("/events/", "/"):
            self.assertContains(self.assert_miss(url), "Lymphoma Workshop")

    def test_a_draft_changes_nothing(self):
        self.warm(self.event.url)
        self.event.title = "Not yet published"
        self.event.save_revision()
        self.assertNotContains(self.assert_hit(self.event.url), "Not yet published")

    def test_unpublishing_removes_the_page_and_its_listing(self):
        self.warm(self.event.url, "/events/")
        self.event.unpublish()
        self.assertEqual(self.get(self.event.url).status_code, 404)
        self.assertNotContains(self.assert_miss("/events/"), "Annual Oncology Update")

    def test_moving_a_page_moves_it_at_once(self):
        self.warm("/about/", "/events/")
        self.about.move(self.index, pos="last-child")
        # Wagtail leaves a redirect at the old address.
        self.assertRedirects(
            self.get("/about/"), "/events/about/", 301, fetch_redirect_response=False
        )
        self.assertEqual(self.assert_miss("/events/about/").status_code, 200)

    def test_deleting_a_page_removes_it_at_once(self):
        self.warm(self.event.url, "/events/")
        url = self.event.url
        self.event.delete()
        self.assertEqual(self.get(url).status_code, 404)
        self.assertNotContains(self.assert_miss("/events/"), "Annual Oncology Update")

    def test_a_workflow_approval_shows_at_once(self):
        reviewer = get_user_model().objects.create_superuser("reviewer", "r@example.org", "pw")
        self.warm("/about/")
        self.about.title = "Approved title"
        self.about.save_revision(user=reviewer)
        Workflow.objects.get(name="Editorial review").start(self.about, reviewer)
        self.about.current_workflow_task_state.approve(user=reviewer)
        self.assertContains(self.assert_miss("/about/"), "Approved title")

    def test_a_person_change_shows_in_the_directory(self):
        self.warm("/directory/", "/directory/?q=amna")
        self.person.first_name = "Aamna"
        self.person.save_revision().publish()
        self.assertContains(self.assert_miss("/directory/"), "Aamna")
        self.assertContains(self.assert_miss("/directory/?q=amna"), "Aamna")

    def test_unlisting_a_person_removes_them_from_the_directory(self):
        self.warm("/directory/")
        self.person.unpublish()
        self.assertNotContains(self.assert_miss("/directory/"), "Qureshi")

    def test_the_api_is_invalidated_too(self):
        url = f"/api/v2/pages/{self.about.pk}/"
        self.warm(url, "/api/v2/pages/")
        self.about.title = "About the society"
        self.about.save_revision().publish()
        self.assertEqual(self.assert_miss(url).json()["title"], "About the society")
        self.assertContains(self.assert_miss("/api/v2/pages/"), "About the society")


@ON
class WhoGetsCachedPagesTests(SiteTestData, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.editor = get_user_model().objects.create_superuser("editor", "e@example.org", "pw")

    def test_a_signed_in_editor_never_gets_the_anonymous_page(self):
        self.warm("/about/")
        self.client.force_login(self.editor)
        response = self.get("/about/")
        self.assertNotIn("X-Cache", response)
        self.assertContains(response, "wagtail-userbar")
        self.assertIn("private", response["Cache-Control"])

    def test_an_editors_page_is_never_served_to_visitors(self):
        editor = self.client_class()
        editor.force_login(self.editor)
        self.assertContains(self.get("/about/", client=editor), "wagtail-userbar")
        response = self.assert_miss("/about/")
        self.assertNotContains(response, "wagtail-userbar")
        self.assertNotContains(self.assert_hit("/about/"), "wagtail-userbar")

    def test_credentials_or_messages_bypass_the_cache(self):
        self.warm("/about/")
        self.assertNotIn("X-Cache", self.get("/about/", HTTP_AUTHORIZATION="Bearer x"))
        self.client.cookies["messages"] = "something"
        self.assertNotIn("X-Cache", self.get("/about/"))

    def test_an_unrelated_cookie_still_gets_the_cached_page(self):
        self.warm("/about/")
        self.client.cookies["csrftoken"] = "x" * 32
        self.assert_hit("/about/")

    def test_the_admin_and_its_previews_are_never_cached(self):
        for url in (
            "/admin/login/",
            f"/admin/pages/{self.about.pk}/view_draft/",
            "/api/v3/pages/",
            "/api/v3/preview/?content_type=home.standardpage&token=made-up",
        ):
            response = self.get(url)
            self.assertNotIn("X-Cache", response)
        self.client.force_login(self.editor)
        preview = self.get(f"/admin/pages/{self.about.pk}/view_draft/")
        self.assertEqual(preview.status_code, 200)
        self.assertNotIn("X-Cache", preview)

    def test_a_password_protected_page_is_never_cached(self):
        PageViewRestriction.objects.create(
            page=self.about, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
        )
        for _ in range(2):
            response = self.get("/about/")
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response["X-Cache"], "miss")
            self.assertIn("no-store", response["Cache-Control"])
        self.assertNotContains(response, "About SMOP</h1>")

    def test_a_login_restricted_page_is_never_cached(self):
        PageViewRestriction.objects.create(
            page=self.about, restriction_type=PageViewRestriction.LOGIN
        )
        self.assertEqual(self.get("/about/").status_code, 302)
        self.client.force_login(self.editor)
        self.assertContains(self.get("/about/"), "About SMOP")
        self.client.logout()
        self.assertEqual(self.get("/about/").status_code, 302)

    def test_a_junk_api_query_keeps_its_400(self):
        self.warm("/api/v2/pages/")
        for _ in range(2):
            response = self.get("/api/v2/pages/?limit=ten")
            self.assertEqual(response.status_code, 400)
            self.assertEqual(response["X-Cache"], "miss")

    def test_api_answers_keep_their_own_cache_control_and_etag(self):
        miss = self.assert_miss("/api/v2/pages/")
        hit = self.assert_hit("/api/v2/pages/")
        self.assertEqual(hit["Cache-Control"], "public, max-age=300")
        self.assertEqual(hit["ETag"], miss["ETag"])
        self.assertEqual(
            self.get("/api/v2/pages/", HTTP_IF_NONE_MATCH=miss["ETag"]).status_code, 304
        )


class MiddlewareRulesTests(TestCase):
    """What may be stored, checked on answers the site does not otherwise produce."""

    def serve_twice(self, make_response):
        calls = []

        def view(request):
            calls.append(request)
            return make_response()

        middleware = page_cache.PageCacheMiddleware(view)
        factory = RequestFactory()
        with ON:
            responses = [middleware(factory.get("/page/", HTTP_HOST="localhost")) for _ in "ab"]
        return len(calls), responses

    def setUp(self):
        caches["default"].clear()

    def test_an_answer_that_sets_a_cookie_is_never_stored(self):
        def response():
            answer = HttpResponse("hello")
            answer.set_cookie("tracking", "1")
            return answer

        calls, responses = self.serve_twice(response)
        self.assertEqual(calls, 2)
        self.assertEqual(responses[1]["X-Cache"], "miss")

    def test_private_no_store_and_zero_max_age_answers_are_never_stored(self):
        for cache_control in ("private", "no-store", "no-cache", "max-age=0"):
            with self.subTest(cache_control=cache_control):
                caches["default"].clear()
                calls, _ = self.serve_twice(
                    lambda cc=cache_control: HttpResponse("x", headers={"Cache-Control": cc})
                )
                self.assertEqual(calls, 2)

    def test_an_answer_that_varies_on_another_header_is_never_stored(self):
        calls, _ = self.serve_twice(lambda: HttpResponse("x", headers={"Vary": "User-Agent"}))
        self.assertEqual(calls, 2)

    def test_fragment_caches_read_the_generation_their_page_is_stored_under(self):
        seen = []

        def view(request):
            with self.assertNumQueries(0):  # read once, by the middleware
                seen.append(page_cache.content_generation())
            return HttpResponse("x")

        with ON:
            page_cache.PageCacheMiddleware(view)(RequestFactory().get("/", HTTP_HOST="localhost"))
        self.assertEqual(seen, [page_cache.content_generation()])

    def test_a_plain_answer_is_stored_once(self):
        calls, responses = self.serve_twice(lambda: HttpResponse("hello"))
        self.assertEqual(calls, 1)
        self.assertEqual([r["X-Cache"] for r in responses], ["miss", "hit"])
        self.assertEqual(responses[1].content, b"hello")


@ON
class WhatChangesTheGenerationTests(SiteTestData, TestCase):
    """Every change to public content replaces the generation; drafts and reads do not."""

    def assert_changes(self, action):
        before = page_cache.content_generation()
        action()
        self.assertNotEqual(page_cache.content_generation(), before)

    def assert_unchanged(self, action):
        before = page_cache.content_generation()
        action()
        self.assertEqual(page_cache.content_generation(), before)

    def test_pages(self):
        self.assert_changes(lambda: self.about.save_revision().publish())
        self.assert_changes(self.about.unpublish)
        self.assert_changes(lambda: self.event.move(self.home, pos="last-child"))
        self.assert_changes(self.event.delete)

    def test_drafts_locks_and_reading_change_nothing(self):
        self.assert_unchanged(self.about.save_revision)
        self.assert_unchanged(self.person.save_revision)
        for url in ("/", "/events/", self.event.url, "/directory/", "/api/v2/pages/"):
            self.assert_unchanged(lambda url=url: self.get(url))

    def test_people(self):
        self.assert_changes(lambda: self.person.save_revision().publish())
        self.assert_changes(self.person.unpublish)
        self.assert_changes(self.person.save)
        self.assert_changes(self.person.delete)

    def test_site_settings_images_documents_redirects_and_privacy(self):
        settings = SiteSettings.for_site(self.home.get_site())
        settings.footer_text = "Registered charity"
        self.assert_changes(settings.save)
        image = get_image_model().objects.create(
            title="x", file="original_images/x.jpg", width=1, height=1
        )
        self.assert_changes(image.save)
        self.assert_changes(image.delete)
        document = get_document_model().objects.create(title="y", file="documents/y.pdf")
        self.assert_changes(document.save)
        self.assert_changes(document.delete)
        self.assert_changes(lambda: Redirect.objects.create(old_path="/old", redirect_link="/"))
        self.assert_changes(
            lambda: PageViewRestriction.objects.create(
                page=self.about, restriction_type=PageViewRestriction.LOGIN
            )
        )

    def test_scheduled_publishing(self):
        self.about.title = "Scheduled title"
        revision = self.about.save_revision(
            approved_go_live_at=timezone.now() - dt.timedelta(minutes=1)
        )
        self.assertIsNotNone(revision.approved_go_live_at)
        self.warm("/about/")
        call_command("publish_scheduled", verbosity=0)
        self.assertContains(self.assert_miss("/about/"), "Scheduled title")


def two_local_caches():
    """Two local-memory caches, as two gunicorn workers (or worker and scheduler) have."""
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "worker_a": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "worker-a",
        },
        "worker_b": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "worker-b",
        },
    }


@ON
@override_settings(CACHES=two_local_caches())
class TwoProcessesTests(SiteTestData, TestCase):
    """A publish in one process is seen by the others, whose caches it cannot reach."""

    def get_in(self, alias, url):
        with self.settings(SMOP_PAGE_CACHE_ALIAS=alias):
            return self.get(url)

    def test_a_publish_elsewhere_is_seen_by_every_worker(self):
        for alias in ("worker_a", "worker_b"):
            self.assertEqual(self.get_in(alias, "/events/")["X-Cache"], "miss")
            self.assertEqual(self.get_in(alias, "/events/")["X-Cache"], "hit")
        # Published by a third process (the scheduler, say) with a cache of its own.
        self.event.title = "Renamed elsewhere"
        self.event.save_revision().publish()
        for alias in ("worker_a", "worker_b"):
            response = self.get_in(alias, "/events/")
            self.assertEqual(response["X-Cache"], "miss")
            self.assertContains(response, "Renamed elsewhere")


def redis_caches(prefix):
    options = {"BACKEND": "cms.cache.ResilientRedisCache", "LOCATION": TEST_REDIS_URL}
    return {
        "default": {**options, "KEY_PREFIX": prefix},
        "worker_a": {**options, "KEY_PREFIX": prefix},
        "worker_b": {**options, "KEY_PREFIX": prefix},
    }


def redis_available():
    import redis  # noqa: PLC0415

    try:
        return redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


def require_redis():
    if not redis_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is needed at {TEST_REDIS_URL} under CI")
        pytest.skip(f"no Redis at {TEST_REDIS_URL}")


@ON
class RedisTests(SiteTestData, TestCase):
    """The same behaviour on Redis (database 5 only), shared by every process."""

    def setUp(self):
        require_redis()
        self.prefix = f"smop-test-{uuid.uuid4().hex}"
        settings = override_settings(CACHES=redis_caches(self.prefix))
        settings.enable()
        self.addCleanup(settings.disable)
        self.addCleanup(self.delete_keys)

    def delete_keys(self):
        import redis  # noqa: PLC0415

        client = redis.Redis.from_url(TEST_REDIS_URL)
        keys = list(client.scan_iter(f"{self.prefix}:*"))
        if keys:
            client.delete(*keys)

    def get_in(self, alias, url):
        with self.settings(SMOP_PAGE_CACHE_ALIAS=alias):
            return self.get(url)

    def test_a_warm_hit_makes_no_database_query(self):
        self.assert_miss("/events/")
        # The entry and the generation come from Redis in one round trip.
        with self.assertNumQueries(0):
            self.assert_hit("/events/")

    def test_a_publish_in_one_process_is_seen_by_another(self):
        self.assertEqual(self.get_in("worker_a", "/events/")["X-Cache"], "miss")
        self.assertEqual(self.get_in("worker_b", "/events/")["X-Cache"], "hit")
        self.event.title = "Renamed elsewhere"
        self.event.save_revision().publish()
        response = self.get_in("worker_b", "/events/")
        self.assertEqual(response["X-Cache"], "miss")
        self.assertContains(response, "Renamed elsewhere")
        self.assertEqual(self.get_in("worker_a", "/events/")["X-Cache"], "hit")

    def test_the_generation_is_replaced_again_after_commit(self):
        before = page_cache.content_generation()
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            self.about.save_revision().publish()
        during = page_cache.content_generation()
        self.assertNotEqual(during, before)
        for callback in callbacks:
            callback()
        self.assertNotEqual(page_cache.content_generation(), during)

    def test_a_person_change_shows_in_the_directory(self):
        self.warm("/directory/")
        self.person.last_name = "Qureshi-Khan"
        self.person.save_revision().publish()
        self.assertContains(self.assert_miss("/directory/"), "Qureshi-Khan")

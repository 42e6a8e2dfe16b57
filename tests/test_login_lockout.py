"""Admin sign-in lock-out (django-axes), through the real Wagtail sign-in form.

The rest of the suite runs with AXES_ENABLED = False (cms.settings.test) so that
`client.login` works; here it is on, with the project's own lock-out settings.
"""

import datetime as dt
from io import StringIO

import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

LOGIN_URL = "/admin/login/"
PASSWORD = "correct-horse-battery-staple"


@override_settings(
    AXES_ENABLED=True,
    AXES_FAILURE_LIMIT=5,
    AXES_COOLOFF_TIME=dt.timedelta(minutes=15),
    SMOP_TRUSTED_PROXY_COUNT=0,
)
class LoginLockoutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        users = get_user_model().objects
        cls.editor = users.create_superuser("editor", "editor@example.org", PASSWORD)
        cls.reviewer = users.create_superuser("reviewer", "reviewer@example.org", PASSWORD)

    def sign_in(self, username, password, **headers):
        return self.client.post(
            LOGIN_URL,
            {"username": username, "password": password, "next": reverse("wagtailadmin_home")},
            **headers,
        )

    def fail(self, times, username="editor", **headers):
        return [self.sign_in(username, "wrong-password", **headers) for _ in range(times)]

    def assert_signed_in(self, response):
        self.assertRedirects(response, reverse("wagtailadmin_home"))
        self.assertIn("_auth_user_id", self.client.session)
        self.client.logout()

    def assert_locked_out(self, response):
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Sign-in temporarily locked", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_failures_below_the_limit_show_the_form_again(self):
        for response in self.fail(4):
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "Your username and password didn")
        self.assert_signed_in(self.sign_in("editor", PASSWORD))

    def test_the_fifth_failure_locks_the_sign_in_out(self):
        *earlier, fifth = self.fail(5)
        self.assertEqual([r.status_code for r in earlier], [200] * 4)
        self.assert_locked_out(fifth)
        self.assertContains(fifth, "Please wait 15 minutes, then try again.", status_code=429)
        # The lock-out page is in the admin's look, with the admin's security headers.
        self.assertIn("Content-Security-Policy", fifth.headers)

    def test_the_correct_password_is_refused_while_locked_out(self):
        self.fail(5)
        self.assert_locked_out(self.sign_in("editor", PASSWORD))

    def test_another_user_and_another_address_are_not_locked_out(self):
        self.fail(5)
        self.assert_signed_in(self.sign_in("reviewer", PASSWORD))
        self.assert_signed_in(self.sign_in("editor", PASSWORD, REMOTE_ADDR="203.0.113.7"))

    def test_the_lock_out_ends_after_the_cool_off(self):
        with time_machine.travel(timezone.now(), tick=False) as clock:
            self.fail(5)
            clock.shift(dt.timedelta(minutes=16))
            self.assert_signed_in(self.sign_in("editor", PASSWORD))

    def test_trying_again_while_locked_out_restarts_the_cool_off(self):
        with time_machine.travel(timezone.now(), tick=False) as clock:
            self.fail(5)
            clock.shift(dt.timedelta(minutes=14))
            self.assert_locked_out(self.sign_in("editor", PASSWORD))
            # 16 minutes after the first failures, but only 2 after the last try.
            clock.shift(dt.timedelta(minutes=2))
            self.assert_locked_out(self.sign_in("editor", PASSWORD))
            clock.shift(dt.timedelta(minutes=16))
            self.assert_signed_in(self.sign_in("editor", PASSWORD))

    def test_axes_reset_lifts_the_lock_out(self):
        self.fail(5)
        call_command("axes_reset", stdout=StringIO())
        self.assert_signed_in(self.sign_in("editor", PASSWORD))

    def test_axes_reset_username_lifts_one_users_lock_out(self):
        self.fail(5)
        self.fail(5, username="reviewer")
        call_command("axes_reset_username", "editor", stdout=StringIO())
        self.assert_signed_in(self.sign_in("editor", PASSWORD))
        self.assert_locked_out(self.sign_in("reviewer", PASSWORD))

    def test_a_successful_sign_in_clears_earlier_failures(self):
        self.fail(4)
        self.assert_signed_in(self.sign_in("editor", PASSWORD))
        for response in self.fail(4):
            self.assertEqual(response.status_code, 200)
        self.assert_signed_in(self.sign_in("editor", PASSWORD))

    @override_settings(SMOP_TRUSTED_PROXY_COUNT=1)
    def test_behind_the_proxy_each_visitor_is_counted_by_their_own_address(self):
        proxy = {"REMOTE_ADDR": "10.0.0.2"}
        attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
        # Forging X-Forwarded-For does not help: the proxy appends the real address.
        forged = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.66"}
        self.fail(3, **attacker)
        self.assert_locked_out(self.fail(2, **forged)[-1])
        # The editor, on another address behind the same proxy, signs in.
        editor = {**proxy, "HTTP_X_FORWARDED_FOR": "192.0.2.10"}
        self.assert_signed_in(self.sign_in("editor", PASSWORD, **editor))

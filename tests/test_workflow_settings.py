"""Email and background-task settings for each environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cms.settings.mail_url import admin_base_url, email_settings_from_url

BASE_DIR = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name, None) for name in [
    "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS", "EMAIL_USE_SSL", "DEFAULT_FROM_EMAIL", "TASKS", "WAGTAILADMIN_BASE_URL",
]}))
"""


def settings_under(module, **env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EMAIL_") and key != "WAGTAILADMIN_BASE_URL"
    }
    result = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_starttls_url():
    assert email_settings_from_url("smtp+tls://mailer:s%40cret@smtp.example.org") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "s@cret",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp://relay.internal", 25, False, False),
        ("smtp://relay.internal:2525", 2525, False, False),
        ("smtps://smtp.example.org", 465, False, True),
        ("smtp+ssl://smtp.example.org:4650", 4650, False, True),
    ],
)
def test_smtp_variants(url, port, tls, ssl):
    config = email_settings_from_url(url)
    assert (config["EMAIL_PORT"], config["EMAIL_USE_TLS"], config["EMAIL_USE_SSL"]) == (
        port,
        tls,
        ssl,
    )
    assert config["EMAIL_HOST_USER"] == config["EMAIL_HOST_PASSWORD"] == ""


def test_console_url():
    assert email_settings_from_url("console://") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


@pytest.mark.parametrize("url", ["http://smtp.example.org", "smtp://", "relay.internal"])
def test_bad_urls_stop_start_up(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_settings_from_url(url)


def test_tests_run_tasks_immediately_and_keep_email_in_memory():
    assert (
        settings.TASKS["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"
    )
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    assert settings.WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS is False


PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-for-tests-only",
    "DJANGO_ALLOWED_HOSTS": "smopak.com",
    "DEFAULT_FROM_EMAIL": "SMOP <web@smopak.com>",
}


def test_production_and_development_environments():
    production = settings_under(
        "cms.settings.production",
        **PRODUCTION_ENV,
        EMAIL_URL="smtp+tls://mailer:pw@smtp.example.org:2587",
    )
    assert production["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (production["EMAIL_HOST"], production["EMAIL_PORT"]) == ("smtp.example.org", 2587)
    assert (production["EMAIL_HOST_USER"], production["EMAIL_HOST_PASSWORD"]) == ("mailer", "pw")
    assert production["EMAIL_USE_TLS"] is True
    assert production["DEFAULT_FROM_EMAIL"] == "SMOP <web@smopak.com>"
    assert production["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    # Emails link to the public address, never to the development default.
    assert production["WAGTAILADMIN_BASE_URL"] == "https://smopak.com"

    # Without EMAIL_URL, the usual EMAIL_* variables.
    classic = settings_under(
        "cms.settings.production", **PRODUCTION_ENV, EMAIL_HOST="relay.internal"
    )
    assert (classic["EMAIL_HOST"], classic["EMAIL_PORT"]) == ("relay.internal", 25)

    development = settings_under("cms.settings.dev")
    assert development["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert development["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_email_links_use_the_configured_or_the_public_address():
    assert admin_base_url("https://smopak.com/", ["smopak.com"]) == "https://smopak.com"
    assert admin_base_url("", [".smopak.com", "www.smopak.com"]) == "https://smopak.com"
    assert admin_base_url(None, ["*", "smopak.com"]) == "https://smopak.com"
    with pytest.raises(ImproperlyConfigured, match="WAGTAILADMIN_BASE_URL"):
        admin_base_url("", ["*"])
    with pytest.raises(ImproperlyConfigured, match="http"):
        admin_base_url("smopak.com", ["smopak.com"])

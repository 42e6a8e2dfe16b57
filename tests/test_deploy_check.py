"""`manage.py check --deploy` under production settings, and the security settings' env.

Settings are read once per process, so each case starts Python with exactly the
environment it describes (nothing inherited from the developer's shell). The
interpreters start together, once per module, because each takes a second or two.
"""

import json
import secrets

import pytest

from tests.env_settings import run_scenarios

PRODUCTION = "cms.settings.production"
# A key like `python -c "import secrets; print(secrets.token_urlsafe(50))"` makes.
REQUIRED = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "smopak.com,www.smopak.com",
}
# --fail-level WARNING: a warning is a failure too, not only an error.
CHECK_DEPLOY = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_AGE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "AXES_ENABLED",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_TIME",
    "SMOP_TRUSTED_PROXY_COUNT",
    "CONTENT_SECURITY_POLICY",
    "SMOP_ADMIN_CONTENT_SECURITY_POLICY",
    "MIDDLEWARE",
    "AUTH_PASSWORD_VALIDATORS",
]
PRINT_SETTINGS = [
    "-c",
    f"""
import json, django
from django.conf import settings
django.setup()
print(json.dumps({{name: getattr(settings, name) for name in {SECURITY_SETTINGS!r}}},
                 default=str))
""",
]
TUNED = {
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_SECURE_HSTS_SECONDS": "3600",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "no",
    "DJANGO_SESSION_COOKIE_AGE": "1800",
    "AXES_FAILURE_LIMIT": "3",
    "AXES_COOLOFF_MINUTES": "60",
    "TRUSTED_PROXY_COUNT": "2",
    "CSP_EXTRA_SCRIPT_SRC": "https://analytics.example.org",
    "CSP_EXTRA_CONNECT_SRC": "https://analytics.example.org",
    "HEADLESS_PREVIEW_CLIENT_URL": "https://app.smopak.com/preview",
}

# name: (python arguments, settings module, environment)
SCENARIOS = {
    "deploy check": (CHECK_DEPLOY, PRODUCTION, REQUIRED),
    "deploy check, preload": (
        CHECK_DEPLOY,
        PRODUCTION,
        {**REQUIRED, "DJANGO_SECURE_HSTS_PRELOAD": "true"},
    ),
    "deploy check, no redirect": (
        CHECK_DEPLOY,
        PRODUCTION,
        {**REQUIRED, "DJANGO_SECURE_SSL_REDIRECT": "false"},
    ),
    "deploy check, short key": (
        CHECK_DEPLOY,
        PRODUCTION,
        {**REQUIRED, "DJANGO_SECRET_KEY": "too-short"},
    ),
    "defaults": (PRINT_SETTINGS, PRODUCTION, REQUIRED),
    "tuned": (PRINT_SETTINGS, PRODUCTION, {**REQUIRED, **TUNED}),
    "bad flag": (PRINT_SETTINGS, PRODUCTION, {**REQUIRED, "DJANGO_SECURE_SSL_REDIRECT": "maybe"}),
    "dev": (PRINT_SETTINGS, "cms.settings.dev", {}),
}


@pytest.fixture(scope="module")
def runs():
    """{scenario: (exit code, stdout, stderr)}, every scenario run in parallel."""
    return run_scenarios(SCENARIOS, timeout=180)


def printed_settings(runs, scenario):
    code, stdout, stderr = runs[scenario]
    assert code == 0, stderr
    return json.loads(stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("scenario", ["deploy check", "deploy check, preload"])
def test_the_deploy_check_finds_no_issue(runs, scenario):
    code, stdout, stderr = runs[scenario]
    assert code == 0, stdout + stderr
    assert "System check identified no issues" in stdout
    assert "WARNINGS" not in stdout + stderr


@pytest.mark.parametrize(
    ("scenario", "warning"),
    [
        ("deploy check, no redirect", "security.W008"),
        ("deploy check, short key", "security.W009"),
    ],
)
def test_the_deploy_check_would_catch_a_weaker_setting(runs, scenario, warning):
    """The check is not silenced wholesale: weakening a setting makes it fail."""
    code, stdout, stderr = runs[scenario]
    assert code != 0
    assert warning in stdout + stderr


def test_production_defaults_are_the_safe_ones(runs):
    settings = printed_settings(runs, "defaults")
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert settings["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert settings["SECURE_HSTS_PRELOAD"] is False
    for cookie in ("SESSION_COOKIE", "CSRF_COOKIE"):
        assert settings[f"{cookie}_SECURE"] is True
        assert settings[f"{cookie}_HTTPONLY"] is True
        assert settings[f"{cookie}_SAMESITE"] == "Lax"
    assert settings["SESSION_COOKIE_AGE"] == 12 * 60 * 60
    assert settings["AXES_ENABLED"] is True
    assert settings["AXES_FAILURE_LIMIT"] == 5
    assert settings["AXES_COOLOFF_TIME"] == "0:15:00"
    # Production sits behind one TLS proxy that appends to X-Forwarded-For.
    assert settings["SMOP_TRUSTED_PROXY_COUNT"] == 1
    lengths = [
        validator.get("OPTIONS", {}).get("min_length")
        for validator in settings["AUTH_PASSWORD_VALIDATORS"]
        if validator["NAME"].endswith("MinimumLengthValidator")
    ]
    assert lengths == [12]


def test_the_environment_tunes_the_security_settings(runs):
    settings = printed_settings(runs, "tuned")
    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SECURE_HSTS_SECONDS"] == 3600
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert settings["SESSION_COOKIE_AGE"] == 1800
    assert settings["AXES_FAILURE_LIMIT"] == 3
    assert settings["AXES_COOLOFF_TIME"] == "1:00:00"
    assert settings["SMOP_TRUSTED_PROXY_COUNT"] == 2
    directives = settings["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["script-src"] == ["'self'", "https://analytics.example.org"]
    assert directives["connect-src"] == ["'self'", "https://analytics.example.org"]
    assert directives["style-src"] == ["'self'"]
    admin = settings["SMOP_ADMIN_CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert admin["script-src"] == ["'self'", "https://analytics.example.org", "'unsafe-inline'"]
    # The admin's preview panel may frame the headless frontend; the public site may not.
    assert "https://app.smopak.com" in admin["frame-src"]
    assert "https://app.smopak.com" not in directives["frame-src"]


def test_a_flag_that_is_neither_true_nor_false_stops_the_start(runs):
    code, _stdout, stderr = runs["bad flag"]
    assert code != 0
    assert "ImproperlyConfigured" in stderr
    assert "DJANGO_SECURE_SSL_REDIRECT must be true or false, not 'maybe'" in stderr


def test_development_sends_the_same_content_security_policy(runs):
    """The browser tests run the dev settings: the policy they check must be there."""
    dev = printed_settings(runs, "dev")
    production = printed_settings(runs, "defaults")
    assert dev["CONTENT_SECURITY_POLICY"] == production["CONTENT_SECURITY_POLICY"]
    assert "cms.security.ContentSecurityPolicyMiddleware" in dev["MIDDLEWARE"]
    assert "cms.security.PermissionsPolicyMiddleware" in dev["MIDDLEWARE"]

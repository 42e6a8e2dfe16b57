"""Settings read from the environment, checked in a fresh interpreter each time.

Settings are evaluated once per process, so each case starts Python with exactly the
environment it describes and nothing inherited from the developer's shell. The
interpreters start together, once per module, because each takes a second to boot.
"""

import json

import pytest

from tests.env_settings import BASE_DIR, run_scenarios

PRODUCTION = "cms.settings.production"
SECRET_AND_HOSTS = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-for-tests-only",
    "DJANGO_ALLOWED_HOSTS": "smopak.com,www.smopak.com",
}
SETUP = ["-c", "import django; django.setup()"]
PRINT_SETTINGS = [
    "-c",
    """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""),
    "media_root": str(settings.MEDIA_ROOT), "allowed_hosts": settings.ALLOWED_HOSTS,
    "debug": settings.DEBUG,
}))
""",
]
MEDIA_ROOT = "/srv/smop/media-from-env"


def without(name, blank=None):
    """The valid production environment with `name` unset (or set to `blank`)."""
    env = {key: value for key, value in SECRET_AND_HOSTS.items() if key != name}
    if blank is not None:
        env[name] = blank
    return env


# name: (python arguments, settings module, environment)
SCENARIOS = {
    "no secret key": (SETUP, PRODUCTION, without("DJANGO_SECRET_KEY")),
    "empty secret key": (SETUP, PRODUCTION, without("DJANGO_SECRET_KEY", "  ")),
    "no allowed hosts": (SETUP, PRODUCTION, without("DJANGO_ALLOWED_HOSTS")),
    "empty allowed hosts": (SETUP, PRODUCTION, without("DJANGO_ALLOWED_HOSTS", " , ")),
    "check": (["manage.py", "check"], PRODUCTION, SECRET_AND_HOSTS),
    "defaults": (PRINT_SETTINGS, PRODUCTION, SECRET_AND_HOSTS),
    "database url": (
        PRINT_SETTINGS,
        PRODUCTION,
        {**SECRET_AND_HOSTS, "DATABASE_URL": "postgres://smop:pw@db.internal:5432/smop_prod"},
    ),
    "media root": (PRINT_SETTINGS, PRODUCTION, {**SECRET_AND_HOSTS, "MEDIA_ROOT": MEDIA_ROOT}),
    "dev media root": (PRINT_SETTINGS, "cms.settings.dev", {"MEDIA_ROOT": MEDIA_ROOT}),
}


@pytest.fixture(scope="module")
def runs():
    """{scenario: (exit code, stdout, stderr)}, every scenario run in parallel."""
    return run_scenarios(SCENARIOS, timeout=120)


def printed_settings(runs, scenario):
    code, stdout, stderr = runs[scenario]
    assert code == 0, stderr
    return json.loads(stdout)


@pytest.mark.parametrize(
    ("scenario", "variable"),
    [
        ("no secret key", "DJANGO_SECRET_KEY"),
        ("empty secret key", "DJANGO_SECRET_KEY"),
        ("no allowed hosts", "DJANGO_ALLOWED_HOSTS"),
        ("empty allowed hosts", "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_naming_the_missing_variable(runs, scenario, variable):
    code, _stdout, stderr = runs[scenario]
    assert code != 0
    assert "ImproperlyConfigured" in stderr
    assert f"The environment variable {variable} must be set" in stderr


def test_production_starts_with_a_secret_key_and_allowed_hosts(runs):
    code, stdout, stderr = runs["check"]
    assert code == 0, stderr
    assert "System check identified no issues" in stdout
    settings = printed_settings(runs, "defaults")
    assert settings["allowed_hosts"] == ["smopak.com", "www.smopak.com"]
    assert settings["debug"] is False


def test_sqlite_and_the_project_media_folder_by_default(runs):
    settings = printed_settings(runs, "defaults")
    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["name"] == str(BASE_DIR / "db.sqlite3")
    assert settings["media_root"] == str(BASE_DIR / "media")


def test_database_url_switches_the_database(runs):
    settings = printed_settings(runs, "database url")
    assert settings["engine"] == "django.db.backends.postgresql"
    assert settings["name"] == "smop_prod"
    assert settings["host"] == "db.internal"


@pytest.mark.parametrize("scenario", ["media root", "dev media root"])
def test_media_root_comes_from_the_environment(runs, scenario):
    assert printed_settings(runs, scenario)["media_root"] == MEDIA_ROOT


def test_staff_avatars_are_never_fetched_from_gravatar():
    # The admin would otherwise send a hash of each editor's email to a third party.
    from wagtail.users.utils import get_gravatar_url  # noqa: PLC0415 (needs settings)

    assert get_gravatar_url("editor@example.org") is None

"""Fixtures shared by every app's tests."""

import shutil

import pytest
from django.conf import settings
from django.core.cache import cache

from cms.request_memo import forget_process_copies
from home.factories import make_site_root


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Wagtail caches site root paths; a rolled-back test must not leak them to the next.
    cache.clear()
    forget_process_copies()  # what a rolled-back test kept under a generation now reused
    yield


@pytest.fixture
def home_page(db):
    """The default site's root: a HomePage. TestCase classes call make_site_root instead."""
    return make_site_root()


@pytest.fixture(autouse=True, scope="session")
def _remove_test_media():
    # cms.settings.test points MEDIA_ROOT at a fresh temporary folder for each run;
    # only that folder is removed, never a developer's real media.
    yield
    if getattr(settings, "TEST_MEDIA_ROOT", None) == settings.MEDIA_ROOT:
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)

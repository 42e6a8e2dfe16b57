"""HTTP caching on /api/v2/: Cache-Control, an ETag from the content, 304 Not Modified."""

import pytest
from django.test import override_settings

from home.factories import StandardPageFactory

URLS = [
    "/api/v2/pages/",
    "/api/v2/events/",
    "/api/v2/people/",
    "/api/v2/navigation/",
    "/api/v2/search/?q=page",
]


@pytest.fixture
def page(home_page):
    return StandardPageFactory(parent=home_page, title="A page")


def get(client, url, **headers):
    return client.get(url, HTTP_HOST="localhost", **headers)


@pytest.mark.parametrize("url", URLS)
def test_responses_can_be_cached_publicly_for_a_short_time(client, page, url):
    response = get(client, url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"].startswith('"')


@pytest.mark.parametrize("url", URLS)
def test_a_matching_etag_gets_304_not_modified(client, page, url):
    etag = get(client, url)["ETag"]
    response = get(client, url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_the_etag_changes_with_the_content(client, page):
    url = f"/api/v2/pages/{page.pk}/"
    before = get(client, url)["ETag"]
    page.title = "A new title"
    page.save_revision().publish()
    response = get(client, url, HTTP_IF_NONE_MATCH=before)
    assert response.status_code == 200
    assert response.json()["title"] == "A new title"
    assert response["ETag"] != before


@override_settings(SMOP_API_CACHE_SECONDS=60)
def test_the_cache_time_is_a_setting(client, page):
    assert get(client, "/api/v2/pages/")["Cache-Control"] == "public, max-age=60"


def test_errors_are_not_marked_cacheable(client, page):
    response = get(client, "/api/v2/pages/?limit=x")
    assert response.status_code == 400
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_head_requests_get_the_same_headers(client, page):
    response = client.head("/api/v2/pages/", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response["ETag"] == get(client, "/api/v2/pages/")["ETag"]

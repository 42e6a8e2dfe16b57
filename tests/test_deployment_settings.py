"""Media on S3-compatible storage and search on OpenSearch, switched on by the environment.

Settings are read once per process, so each case starts Python with exactly the
environment given (tests/env_settings.py). Nothing here reaches a network: building
the storage and a file's URL needs no request to the bucket.
"""

import json
import subprocess

import pytest
from django.utils.module_loading import import_string
from whitenoise.storage import CompressedManifestStaticFilesStorage

from tests.env_settings import PRODUCTION_ENV, json_printed_by, settings_from_env

S3_ENV = {
    **PRODUCTION_ENV,
    "AWS_STORAGE_BUCKET_NAME": "smop-media",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
    "AWS_S3_REGION_NAME": "eu-central-1",
    "AWS_S3_CUSTOM_DOMAIN": "media.smopak.com",
    "AWS_ACCESS_KEY_ID": "test-key-id",
    "AWS_SECRET_ACCESS_KEY": "test-secret",
}
MEDIA_URL_OF = """
import json, django
django.setup()
from django.core.files.storage import storages
storage = storages["default"]
print(json.dumps({"class": type(storage).__name__,
                  "url": storage.url("original_images/photo.jpg")}))
"""


def storage_in(env):
    """The default storage's class and a file's URL, under production settings and `env`."""
    return json_printed_by(MEDIA_URL_OF, env)


def test_media_goes_to_the_bucket_when_one_is_named():
    storages = settings_from_env(["STORAGES"], S3_ENV)["STORAGES"]
    default = storages["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "smop-media"
    assert options["endpoint_url"] == "https://s3.example.org"
    assert options["region_name"] == "eu-central-1"
    assert options["querystring_auth"] is False
    assert options["file_overwrite"] is False
    # Credentials stay with boto3 (the environment or an instance role), not in settings.
    assert "test-secret" not in json.dumps(storages)
    # Static files are still whitenoise's.
    assert issubclass(
        import_string(storages["staticfiles"]["BACKEND"]), CompressedManifestStaticFilesStorage
    )


def test_file_urls_use_the_public_media_domain_without_signatures():
    storage = storage_in(S3_ENV)
    assert storage == {
        "class": "S3Storage",
        "url": "https://media.smopak.com/original_images/photo.jpg",
    }


def test_media_stays_on_local_disk_without_a_bucket():
    storage = storage_in(PRODUCTION_ENV)
    assert storage == {"class": "FileSystemStorage", "url": "/media/original_images/photo.jpg"}


def test_signed_urls_can_be_turned_on():
    options = settings_from_env(["STORAGES"], {**S3_ENV, "AWS_QUERYSTRING_AUTH": "true"})
    assert options["STORAGES"]["default"]["OPTIONS"]["querystring_auth"] is True


def test_search_uses_the_database_unless_told_otherwise():
    backends = settings_from_env(["WAGTAILSEARCH_BACKENDS"], PRODUCTION_ENV)
    assert backends["WAGTAILSEARCH_BACKENDS"] == {
        "default": {"BACKEND": "wagtail.search.backends.database"}
    }


def test_search_switches_to_opensearch_by_environment():
    env = {
        **PRODUCTION_ENV,
        "SEARCH_BACKEND": "opensearch2",
        "SEARCH_URLS": "https://search-1:9200,https://search-2:9200",
        "SEARCH_INDEX": "smop-live",
    }
    default = settings_from_env(["WAGTAILSEARCH_BACKENDS"], env)["WAGTAILSEARCH_BACKENDS"][
        "default"
    ]
    assert default["BACKEND"] == "wagtail.search.backends.opensearch2"
    assert default["URLS"] == ["https://search-1:9200", "https://search-2:9200"]
    assert default["INDEX"] == "smop-live"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SEARCH_BACKEND": "solr"}, "SEARCH_BACKEND must be one of"),
        ({"SEARCH_BACKEND": "opensearch2"}, "needs SEARCH_URLS"),
    ],
)
def test_a_wrong_search_setting_stops_the_start_with_a_clear_message(env, message):
    with pytest.raises(subprocess.CalledProcessError) as failure:
        settings_from_env(["WAGTAILSEARCH_BACKENDS"], {**PRODUCTION_ENV, **env})
    assert message in failure.value.stderr

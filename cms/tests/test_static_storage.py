"""Static file URLs: whitenoise's hashed names, each worked out once per process."""

import json
import tempfile
from pathlib import Path

from django.test import SimpleTestCase, override_settings

from cms.static_storage import StaticStorage


def storage_with_manifest(paths):
    root = Path(tempfile.mkdtemp())
    manifest = {"paths": paths, "version": "1.1", "hash": "0"}
    (root / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticStorage(location=root, base_url="/static/")


@override_settings(DEBUG=False)
class StaticStorageTests(SimpleTestCase):
    def test_urls_are_the_hashed_names_of_the_manifest(self):
        storage = storage_with_manifest({"css/site.css": "css/site.abc123.css"})
        self.assertEqual(storage.url("css/site.css"), "/static/css/site.abc123.css")

    def test_a_url_is_worked_out_once(self):
        storage = storage_with_manifest({"css/site.css": "css/site.abc123.css"})
        storage.url("css/site.css")
        storage.hashed_files["css/site.css"] = "css/site.changed.css"  # not read again
        self.assertEqual(storage.url("css/site.css"), "/static/css/site.abc123.css")

    def test_a_file_missing_from_the_manifest_still_raises_every_time(self):
        storage = storage_with_manifest({})
        for _ in range(2):
            with self.assertRaises(ValueError):
                storage.url("css/missing.css")

    @override_settings(DEBUG=True)
    def test_with_debug_on_names_are_not_hashed_or_kept(self):
        storage = storage_with_manifest({"css/site.css": "css/site.abc123.css"})
        self.assertEqual(storage.url("css/site.css"), "/static/css/site.css")
        self.assertEqual(storage._urls, {})

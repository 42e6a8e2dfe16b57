"""A backup of the seeded site restores into an empty database with nothing lost.

The site is seeded and given what a real one accumulates (a draft change to a live
page, a page in review, people with private fields and a draft, a document, edited
site settings, a staff user in a group), backed up with `backup_site`, and restored
with `restore_site` in another process into a fresh, migrated database of the same
kind (a new SQLite file, or a new PostgreSQL database) and a fresh media folder.
Both sides are then described the same way (`describe_site`): rows per model, every
row's values, the page tree with live and draft revisions, people, settings, workflow
states and the checksum of every stored file; the descriptions must be equal.

The fresh database is a copy of the test database as `migrate` left it (SQLite's
backup API, or pg_dump), which is what `migrate` would make, in a fraction of the time.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import psycopg
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test import TestCase
from wagtail.models import Page, Site, Workflow, WorkflowState

from cms import backup
from cms.factories import DocumentFactory
from cms.models import SiteSettings
from home.models import StandardPage
from people.factories import PersonFactory

BASE_DIR = Path(__file__).resolve().parent.parent


def describe_site():
    """Everything a restore must bring back, as plain JSON-able data."""
    return {
        "rows": {label: rows_of(model) for label, model in backed_up_models()},
        "pages": [
            [
                p.path,
                p.title,
                p.slug,
                p.live,
                p.has_unpublished_changes,
                p.live_revision_id,
                p.latest_revision_id,
                p.specific_class._meta.label,
            ]
            for p in Page.objects.order_by("path")
        ],
        "draft_titles": {
            str(p.pk): p.get_latest_revision_as_object().title
            for p in Page.objects.filter(has_unpublished_changes=True)
        },
        "people": [
            [
                p.full_name,
                p.live,
                p.listed_in_directory,
                p.registration_number,
                p.private_email,
                p.has_unpublished_changes,
            ]
            for p in apps.get_model("people", "Person").objects.order_by("pk")
        ],
        "settings": [
            [s.site_id, s.organisation_name, s.email, s.phone, s.footer_text]
            for s in SiteSettings.objects.order_by("pk")
        ],
        "workflow_states": [
            [w.object_id, w.status, w.current_task_state.status if w.current_task_state else None]
            for w in WorkflowState.objects.order_by("pk")
        ],
        "files": stored_file_checksums(),
    }


def backed_up_models():
    for model in backup.backed_up_models(connection.alias):
        yield model._meta.label_lower, model


def rows_of(model):
    """Each row's values, with content types and permissions by name (their ids differ)."""
    fields = [f for f in model._meta.concrete_fields]
    rows = [[portable(row, f) for f in fields] for row in model._base_manager.order_by("pk")]
    return {"count": len(rows), "sha256": digest(rows)}


def portable(row, field):
    value = getattr(row, field.attname)
    if value is not None and not isinstance(value, (int, float, bool, str)):
        # As dumpdata writes it: a stream field's raw data, a file's name, a date in ISO.
        value = field.value_to_string(row)
    if isinstance(field, models.ForeignKey) and value is not None:
        if field.related_model is ContentType:
            return ".".join(ContentType.objects.get_for_id(value).natural_key())
        if field.related_model is Permission:
            return Permission.objects.get(pk=value).codename
    return value


def digest(value):
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def stored_file_checksums():
    checksums = {}
    for label in ("cms.SiteImage", "wagtaildocs.Document"):
        for item in apps.get_model(label).objects.order_by("pk"):
            with default_storage.open(item.file.name, "rb") as stream:
                checksums[item.file.name] = hashlib.sha256(stream.read()).hexdigest()
    return checksums


class FreshDatabase:
    """A new, migrated database of the test database's kind, and its DATABASE_URL."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.settings = connection.settings_dict
        if connection.vendor == "postgresql":
            self.name = f"{self.settings['NAME']}_restore"
            self.url = self.pg_url(self.name)
        else:
            self.name = str(Path(workdir) / "restored.sqlite3")
            self.url = f"sqlite:///{self.name}"

    def pg_url(self, name):
        s = self.settings
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
        return f"postgres://{s['USER']}{password}@{host}/{name}"

    def create(self):
        """A migrated, empty database (call before the test data exists)."""
        if connection.vendor != "postgresql":
            # SQLite's backup API copies the migrated test database in a moment.
            connection.ensure_connection()
            target = sqlite3.connect(self.name)
            connection.connection.backup(target)
            target.close()
            return
        self.drop()
        self.execute(f'CREATE DATABASE "{self.name}"')
        pg_dump, psql = shutil.which("pg_dump"), shutil.which("psql")
        if not (pg_dump and psql):
            migrated = manage(self.url, self.workdir, "migrate", "--no-input", "-v0")
            assert migrated.returncode == 0, migrated.stderr
            return
        dump = subprocess.run(  # noqa: S603 - fixed arguments
            [pg_dump, "--no-owner", self.pg_url(self.settings["NAME"])],
            capture_output=True,
            check=True,
            timeout=120,
        )
        subprocess.run(  # noqa: S603 - fixed arguments
            [psql, "-q", "-v", "ON_ERROR_STOP=1", self.url],
            input=dump.stdout,
            capture_output=True,
            check=True,
            timeout=120,
        )

    def drop(self):
        if connection.vendor == "postgresql":
            self.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def execute(self, sql):
        with psycopg.connect(self.pg_url("postgres"), autocommit=True) as server:
            server.execute(sql)


def manage(database_url, media_root, *args):
    """Run manage.py in another process against the restored database and media."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )


DESCRIBE = (
    "import json; from tests.test_backup_restore import describe_site; "
    "print(json.dumps(describe_site(), default=str))"
)


class BackupRestoreTests(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.workdir = tempfile.mkdtemp(prefix="smop-backup-test-")
        cls.fresh = FreshDatabase(cls.workdir)
        cls.fresh.create()  # before the test data: a migrated, empty database
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.fresh.drop()
        shutil.rmtree(cls.workdir, ignore_errors=True)

    @classmethod
    def setUpTestData(cls):
        call_command("seed_site", verbosity=0)
        home = Site.objects.get(is_default_site=True).root_page
        page = home.get_children().type(StandardPage).first().specific
        page.title = "A draft title waiting for review"
        page.save_revision()
        cls.editor = Group.objects.get(name="Communications").user_set.create(username="ed")
        Workflow.objects.get(name="Editorial review").start(page, cls.editor)
        person = PersonFactory(registration_number="PMDC-1234", private_email="a@example.org")
        person.first_name = "Renamed in a draft"
        person.save_revision()
        DocumentFactory(title="Annual report")
        settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        settings.footer_text = "Edited footer"
        settings.save()
        cls.archive = Path(cls.workdir) / "site.tar.gz"
        call_command("backup_site", str(cls.archive), verbosity=0)

    def restore(self, *extra):
        media = Path(self.workdir) / "media"
        result = manage(self.fresh.url, media, "restore_site", str(self.archive), *extra)
        return result, media

    def test_the_restored_site_equals_the_original(self):
        original = describe_site()
        # What the comparison must cover, or it proves nothing.
        self.assertTrue(original["draft_titles"])
        self.assertTrue(original["workflow_states"])
        self.assertGreaterEqual(len(original["files"]), 5)
        self.assertGreater(original["rows"]["wagtailcore.revision"]["count"], 10)
        result, media = self.restore()
        self.assertEqual(result.returncode, 0, result.stderr)
        described = manage(self.fresh.url, media, "shell", "-c", DESCRIBE)
        self.assertEqual(described.returncode, 0, described.stderr)
        restored = json.loads(described.stdout.strip().splitlines()[-1])
        original = json.loads(json.dumps(original, default=str))
        for label, rows in original.pop("rows").items():
            with self.subTest(model=label):
                self.assertEqual(restored["rows"].get(label), rows)
        for part in original:
            with self.subTest(part=part):
                self.assertEqual(restored[part], original[part])
        # The restore refuses to overwrite the site it just restored.
        again, _ = self.restore()
        self.assertNotEqual(again.returncode, 0)
        self.assertIn("already has content", again.stderr)
        # Unless told to replace it.
        replaced, _ = self.restore("--replace")
        self.assertEqual(replaced.returncode, 0, replaced.stderr)
        self.assertIn("Restored", replaced.stdout)

    def test_the_manifest_holds_counts_and_checksums(self):
        with tarfile.open(self.archive) as archive:
            manifest = json.load(archive.extractfile("manifest.json"))
            for name, expected in manifest["files"].items():
                content = archive.extractfile(f"media/{name}").read()
                self.assertEqual(hashlib.sha256(content).hexdigest(), expected["sha256"])
        self.assertEqual(
            manifest["models"]["people.person"], 1 + manifest["models"]["people.person"] - 1
        )
        for label in (
            "sessions.session",
            "wagtailsearch.indexentry",
            "cms.siterendition",
            "contenttypes.contenttype",
            "auth.permission",
        ):
            self.assertNotIn(label, manifest["models"])
        self.assertEqual(manifest["missing_files"], [])

    def test_a_damaged_archive_is_refused_before_anything_changes(self):
        damaged = Path(self.workdir) / "damaged.tar.gz"
        with tarfile.open(self.archive) as source, tarfile.open(damaged, "w:gz") as target:
            for member in source.getmembers():
                content = source.extractfile(member).read()
                if member.name.startswith("media/"):
                    content = content[:-1] + b"X"
                member.size = len(content)
                target.addfile(member, io.BytesIO(content))
        pages = Page.objects.count()
        with self.assertRaisesMessage(CommandError, "Checksum mismatch"):
            call_command("restore_site", str(damaged), "--replace", verbosity=0)
        self.assertEqual(Page.objects.count(), pages)

    def test_a_database_with_content_is_refused(self):
        with self.assertRaisesMessage(CommandError, "already has content"):
            call_command("restore_site", str(self.archive), verbosity=0)

    def test_a_missing_archive_is_a_clear_error(self):
        with self.assertRaisesMessage(CommandError, "No backup archive"):
            call_command("restore_site", str(Path(self.workdir) / "nope.tar.gz"), verbosity=0)

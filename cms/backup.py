"""Portable backups of the whole site: its content and its uploaded files, in one archive.

An archive (`.tar.gz`) holds:

- `data.json`: every content table, from Django's `dumpdata`, with the original primary
  keys (the page tree, revisions and links between objects refer to them) but content
  types and permissions referred to by name (natural keys), so the archive loads into a
  database whose ids for those differ. Only those two: history keeps the ids of pages
  since deleted, which a natural key could not name.
- `media/...`: every file a record points to (original images, documents, avatars).
- `manifest.json`: the format, when and from which migrations it was made, the number of
  rows per model, and the SHA-256 checksum and size of `data.json` and of every file.

What the site derives is left out and rebuilt after a restore: content types and
permissions (by `migrate`), the search index (`update_index`), the reference index
(`rebuild_references_index`), image renditions (made again on first use), sessions,
sign-in lock-out records, the task queue, preview tokens and the cache generation.

A restore goes into an empty, migrated database: it checks every checksum before it
touches anything, refuses a database that already has content unless told to replace
it, loads everything in one transaction (nothing half-restored on failure), writes the
files, rebuilds the indexes and checks the row counts against the manifest.
"""

import datetime
import hashlib
import io
import json
import os
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.json import (
    Deserializer,  # noqa: F401 - for the format
    DjangoJSONEncoder,
)
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024

# Derived or transient tables: rebuilt after a restore, or of no use in another database.
EXCLUDED = [
    "contenttypes",  # made by migrate; rows refer to them by natural key
    "auth.permission",  # likewise
    "sessions",
    "axes",  # sign-in attempts and lock-outs
    "django_tasks_database",  # the background task queue
    "wagtail_headless_preview",  # short-lived preview tokens
    "wagtailsearch",  # the search index: update_index
    "wagtailcore.referenceindex",  # rebuild_references_index
    "wagtailcore.uploadedfile",  # half-finished multiple uploads
    "wagtailadmin.editingsession",  # who has an editor open right now
    "wagtailimages.rendition",  # resized images: made again on first use
    "cms.siterendition",
    "cms.contentgeneration",  # the page cache's token: changes on restore anyway
]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass
class RestoreResult:
    models: dict = field(default_factory=dict)
    files: int = 0


def sha256_of(stream):
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


# Backing up


class PreciseJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder cuts them to milliseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        if isinstance(o, datetime.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    """JSON with natural keys for content types and permissions, plain ids otherwise."""

    natural_models = (ContentType, Permission)

    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = PreciseJSONEncoder

    def get_dump_object(self, obj):
        data = super().get_dump_object(obj)
        primary_key = obj._meta.pk
        if primary_key.is_relation and primary_key.related_model in self.natural_models:
            # A primary key that is a content type (Wagtail's WorkflowContentType) is
            # named like any other reference to one; the loader takes it from there.
            del data["pk"]
            data["fields"][primary_key.name] = getattr(obj, primary_key.name).natural_key()
        return data

    def handle_fk_field(self, obj, field):
        with self.natural_keys_for(field):
            super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        with self.natural_keys_for(field):
            super().handle_m2m_field(obj, field)

    @contextmanager
    def natural_keys_for(self, field):
        wanted = self.use_natural_foreign_keys
        self.use_natural_foreign_keys = wanted and field.remote_field.model in self.natural_models
        try:
            yield
        finally:
            self.use_natural_foreign_keys = wanted


SERIALIZER_FORMAT = "smop-backup-json"


def archive_path(destination):
    """A `.tar.gz` path as given, or a dated archive inside the given folder."""
    destination = Path(destination)
    if destination.name.endswith((".tar.gz", ".tgz")):
        destination.parent.mkdir(parents=True, exist_ok=True)
        return destination
    destination.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    return destination / f"smop-backup-{stamp}.tar.gz"


def create_backup(destination, using=DEFAULT_DB_ALIAS, warn=print):
    """Write an archive of the database content and media files; return its path."""
    path = archive_path(destination)
    with tempfile.TemporaryDirectory(prefix="smop-backup-") as workdir:
        data_file = Path(workdir) / DATA
        with consistent_snapshot(using):
            dump_data(data_file, using)
            counts = row_counts(using)
            files, missing = media_files(using, warn)
        with data_file.open("rb") as stream:
            data_checksum = sha256_of(stream)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connections[using].vendor,
            "migrations": applied_migrations(using),
            "models": counts,
            "data": {"sha256": data_checksum, "size": data_file.stat().st_size},
            "files": {},
            "missing_files": missing,
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(data_file, arcname=DATA)
            for name in files:
                manifest["files"][name] = add_media_file(archive, name)
            add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
        os.replace(partial, path)  # never a half-written archive under the final name
    return path


@contextmanager
def consistent_snapshot(using):
    """One transaction for the whole dump, so a site that is being edited backs up whole.

    On PostgreSQL every query in it sees the same snapshot (REPEATABLE READ), so no row
    can refer to one added after its table was read; SQLite's transaction does the same.
    """
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def dump_data(data_file, using):
    # Read back by loaddata's ordinary JSON format (`data.json`).
    serializers.register_serializer(SERIALIZER_FORMAT, __name__)
    call_command(
        "dumpdata",
        format=SERIALIZER_FORMAT,
        natural_foreign=True,
        exclude=EXCLUDED,
        database=using,
        output=str(data_file),
        verbosity=0,
    )


def backed_up_models(using):
    """The models dumpdata writes: every table this database has, less the excluded."""
    for model in apps.get_models():
        if not model._meta.proxy and not excluded(model):
            if router.allow_migrate_model(using, model):
                yield model


def row_counts(using):
    counts = {
        model._meta.label_lower: model._base_manager.using(using).count()
        for model in backed_up_models(using)
    }
    return dict(sorted(counts.items()))


def applied_migrations(using):
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def excluded(model):
    label = model._meta.label_lower
    return model._meta.app_label in EXCLUDED or label in EXCLUDED


def media_files(using, warn):
    """Every stored file a backed-up record points to, and those that are missing."""
    names = set()
    for model in backed_up_models(using):
        for model_field in model._meta.get_fields():
            if isinstance(model_field, models.FileField):
                values = model._base_manager.using(using).exclude(**{model_field.name: ""})
                names.update(values.values_list(model_field.name, flat=True))
    present, missing = [], []
    for name in sorted(n for n in names if n):
        (present if default_storage.exists(name) else missing).append(name)
    for name in missing:
        warn(f"Missing file, not in the backup: {name}")
    return present, missing


def add_media_file(archive, name):
    with default_storage.open(name, "rb") as stream:
        checksum = sha256_of(stream)
        stream.seek(0)
        info = tarfile.TarInfo(MEDIA_PREFIX + name)
        info.size = default_storage.size(name)
        info.mtime = int(timezone.now().timestamp())
        archive.addfile(info, stream)
    return {"sha256": checksum, "size": info.size}


def add_bytes(archive, name, content):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(content))


# Restoring


def restore_backup(source, using=DEFAULT_DB_ALIAS, replace=False, say=print):
    """Restore an archive made by `create_backup` into this site's database and storage."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"No backup archive at {source}.")
    with tempfile.TemporaryDirectory(prefix="smop-restore-") as workdir:
        manifest = unpack(source, Path(workdir))
        check_migrations(manifest, using)
        if not replace and has_content(using):
            raise BackupError(
                "The database already has content. Restore into an empty, migrated "
                "database, or pass --replace to delete everything in it first."
            )
        say("Checksums verified; loading the database.")
        load_data(Path(workdir) / DATA, using)
        say("Writing media files.")
        written = write_media(Path(workdir) / "media", manifest["files"])
    say("Rebuilding the search index and the reference index.")
    rebuild_indexes()
    result = RestoreResult(models=check_counts(manifest["models"], using), files=written)
    return result


def unpack(source, workdir):
    """Extract the archive and check it whole before anything is changed."""
    try:
        with tarfile.open(source, "r:*") as archive:
            archive.extractall(workdir, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{source} is not a readable backup archive: {error}") from error
    try:
        manifest = json.loads((workdir / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} has no readable {MANIFEST}.") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    verify(workdir / DATA, manifest["data"], DATA)
    for name, expected in manifest["files"].items():
        verify(media_path(workdir, name), expected, name)
    return manifest


def media_path(workdir, name):
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts:
        raise BackupError(f"Refusing a file name outside the media folder: {name}")
    return workdir / "media" / relative


def verify(path, expected, name):
    if not path.is_file():
        raise BackupError(f"The archive lacks {name}.")
    with path.open("rb") as stream:
        actual = sha256_of(stream)
    if actual != expected["sha256"] or path.stat().st_size != expected["size"]:
        raise BackupError(f"Checksum mismatch for {name}: the archive is damaged.")


def check_migrations(manifest, using):
    missing = sorted(set(manifest["migrations"]) - set(applied_migrations(using)))
    if missing:
        raise BackupError(
            "The backup was made by a newer version of the site, or this database is not "
            "migrated: run `manage.py migrate` first. Missing migrations: "
            + ", ".join(missing[:5])
        )


def has_content(using):
    """Whether the database holds anything beyond what `migrate` puts there."""
    content = [
        get_user_model()._base_manager.using(using),
        get_image_model()._base_manager.using(using),
        get_document_model()._base_manager.using(using),
        apps.get_model("people", "Person")._base_manager.using(using),
        # migrate makes Wagtail's root and its welcome page, both of the plain Page type.
        Page._base_manager.using(using).exclude(content_type__model="page"),
    ]
    return any(queryset.exists() for queryset in content)


def load_data(data_file, using):
    """Empty every table and load the archive's rows, all or nothing."""
    with transaction.atomic(using=using):
        # flush empties every table, then re-creates content types and permissions.
        call_command("flush", database=using, interactive=False, verbosity=0)
        call_command("loaddata", str(data_file), database=using, verbosity=0)


def write_media(media_root, files):
    for name in files:
        if default_storage.exists(name):
            default_storage.delete(name)
        with (media_root / name).open("rb") as stream:
            saved = default_storage.save(name, File(stream))
        if saved != name:
            raise BackupError(f"The storage renamed {name} to {saved}.")
    return len(files)


def rebuild_indexes():
    call_command("update_index", verbosity=0)
    call_command("rebuild_references_index", verbosity=0)


def check_counts(expected, using):
    """Rows per model after the restore, which must match the manifest."""
    actual = {}
    for label in expected:
        model = apps.get_model(label)
        actual[label] = model._base_manager.using(using).count()
    wrong = {label: (n, actual[label]) for label, n in expected.items() if actual[label] != n}
    if wrong:
        details = ", ".join(
            f"{label}: {want} in the backup, {got} now" for label, (want, got) in wrong.items()
        )
        raise BackupError(f"The restored row counts differ: {details}")
    return actual

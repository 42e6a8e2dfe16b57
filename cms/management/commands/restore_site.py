"""Restore a backup made by `backup_site` into an empty, migrated database (cms.backup)."""

from django.core.management.base import BaseCommand, CommandError

from cms.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive made by backup_site: verify its checksums, load the "
        "content into an empty, migrated database, write the media files and rebuild the "
        "search and reference indexes. Refuses a database that has content unless "
        "--replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the backup archive (.tar.gz)")
        parser.add_argument("--database", default="default", help="the database alias")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete everything in the database before restoring (cannot be undone)",
        )

    def handle(self, archive, database, replace, verbosity, **options):
        say = self.stdout.write if verbosity else (lambda message: None)
        try:
            result = restore_backup(archive, using=database, replace=replace, say=say)
        except (BackupError, OSError) as error:
            raise CommandError(f"Restore failed: {error}") from error
        rows = sum(result.models.values())
        say(
            self.style.SUCCESS(
                f"Restored {rows} rows in {len(result.models)} models and {result.files} files."
            )
        )

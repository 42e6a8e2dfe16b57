"""Back up the site's content and uploaded files into one portable archive (cms.backup)."""

from django.core.management.base import BaseCommand, CommandError

from cms.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write a backup archive (.tar.gz) of the database content and media files, with "
        "SHA-256 checksums. DESTINATION is an archive path ending in .tar.gz, or a folder "
        "to put a dated archive in."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", help="an archive path (.tar.gz) or a folder")
        parser.add_argument("--database", default="default", help="the database alias")

    def handle(self, destination, database, verbosity, **options):
        try:
            path = create_backup(destination, using=database, warn=self.warn)
        except (BackupError, OSError) as error:
            raise CommandError(f"Backup failed: {error}") from error
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))

    def warn(self, message):
        self.stderr.write(self.style.WARNING(message))

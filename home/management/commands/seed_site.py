"""`manage.py seed_site`: build the demo site from the society's real facts.

Safe to run on any database: it adds only what is missing and never changes content
that is already there, so a second run does nothing. It either finishes or, on an
expected failure (invalid data, a database or file error), stops with a readable
message and saves nothing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from home.seed.builder import EXPECTED_ERRORS, SeedError, SiteBuilder, describe


class Command(BaseCommand):
    help = (
        "Create the demo site (pages, events, people, placeholder images, site settings) "
        "from the society's facts. Adds only what is missing; a second run changes nothing."
    )

    def handle(self, *args, **options):
        verbose = options["verbosity"] > 0
        builder = SiteBuilder(say=self.stdout.write if verbose else silent)
        try:
            with transaction.atomic():
                builder.build()
        except Exception as error:
            # The database is rolled back; the files of images saved by this run are not.
            builder.discard_new_files()
            if isinstance(error, (SeedError, *EXPECTED_ERRORS)):
                raise CommandError(f"{describe(error)} Nothing was saved.") from error
            raise


def silent(message):
    """Discard a progress message (verbosity 0)."""

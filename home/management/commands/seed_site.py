"""`manage.py seed_site`: build the demo site from the society's real facts.

Safe to run on any database: it adds only what is missing and never changes content
that is already there, so a second run does nothing.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from home.seed.builder import SiteBuilder


class Command(BaseCommand):
    help = (
        "Create the demo site (pages, events, people, placeholder images, site settings) "
        "from the society's facts. Adds only what is missing; a second run changes nothing."
    )

    def handle(self, *args, **options):
        verbose = options["verbosity"] > 0
        with transaction.atomic():
            SiteBuilder(say=self.stdout.write if verbose else silent).build()


def silent(message):
    """Discard a progress message (verbosity 0)."""

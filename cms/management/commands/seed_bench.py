"""`manage.py seed_bench`: synthetic, labelled data at a given scale, for benchmarks only.

Needs the demo site (`seed_site`) first. Adds only what is missing for the sizes given,
so a second run with the same sizes adds nothing. It either finishes or saves nothing.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cms.bench_data import BenchBuilder, BenchDataError, Sizes


def count(value):
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Add synthetic 'Benchmark ...' events, people and images (with galleries and "
        "resources in proportion) to the seeded site, for load tests only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--events", type=count, default=1000, help="events (1000)")
        parser.add_argument("--people", type=count, default=5000, help="people (5000)")
        parser.add_argument("--images", type=count, default=200, help="images (200)")

    def handle(self, *args, **options):
        sizes = Sizes(options["events"], options["people"], options["images"])
        say = self.stdout.write if options["verbosity"] > 0 else silent
        builder = BenchBuilder(sizes, say=say)
        started = time.monotonic()
        try:
            with transaction.atomic():
                created = builder.build()
        except Exception as error:
            # The database is rolled back; the files of images saved by this run are not.
            builder.discard_new_files()
            if isinstance(error, BenchDataError):
                raise CommandError(f"{error} Nothing was saved.") from error
            raise
        seconds = time.monotonic() - started
        made = ", ".join(f"{kind} ({number})" for kind, number in created.items())
        say(
            f"Done in {seconds:.1f} s: created {made}."
            if made
            else f"Nothing to do: the benchmark data for these sizes is there ({seconds:.1f} s)."
        )


def silent(message):
    """Discard a progress message (verbosity 0)."""

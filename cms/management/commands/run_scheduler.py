"""The scheduler: publish and unpublish scheduled pages and people, every minute.

Runs Wagtail's `publish_scheduled` at the start of every minute, so an approved page
or person with a go-live or expiry date changes state within a minute of that date.
It needs no cron: run it as a long-lived process next to the web server and the
worker (see the Procfile). SIGTERM or Ctrl-C stops it between runs, never halfway
through one.
"""

import logging
import signal
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageLogEntry

logger = logging.getLogger(__name__)

# What publish_scheduled records in the history, and how the scheduler reports it.
SCHEDULED_ACTIONS = {
    "wagtail.publish.scheduled": "Went live",
    "wagtail.unpublish.scheduled": "Expired",
}


def seconds_until_next_tick(interval, now=None):
    """Seconds to the next multiple of `interval` since the epoch (the next minute)."""
    now = time.time() if now is None else now
    return interval - (now % interval)


class Command(BaseCommand):
    help = (
        "Run publish_scheduled at the start of every minute until stopped "
        "(SIGTERM or Ctrl-C). --once runs it a single time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run publish_scheduled once, then exit."
        )
        parser.add_argument(
            "--interval",
            type=int,
            default=60,
            help="Seconds between runs, aligned to the clock (default: 60).",
        )

    def handle(self, *args, once=False, interval=60, **options):
        if interval < 1:
            interval = 60
        self.stopping = threading.Event()
        if once:
            self.publish_scheduled()
            return
        self.stop_on_signals()
        self.say(f"Scheduler started: publish_scheduled every {interval} seconds.")
        while not self.stopping.is_set():
            self.run_once()
            # Event.wait returns early, and True, when a signal asks us to stop.
            if self.stopping.wait(seconds_until_next_tick(interval)):
                break
        self.say("Scheduler stopped.")

    def say(self, message):
        # Flushed at once: under systemd or a Procfile runner stdout is a pipe, and the
        # log should show a change when it happens, not when a buffer fills.
        self.stdout.write(message)
        self.stdout.flush()

    def publish_scheduled(self):
        """Run publish_scheduled, then say what went live or expired in this run."""
        started = timezone.now()
        call_command("publish_scheduled", stdout=self.stdout, stderr=self.stderr)
        for entry in self.scheduled_changes_since(started):
            self.say(f"{SCHEDULED_ACTIONS[entry.action]}: {entry.label}")

    @staticmethod
    def scheduled_changes_since(started):
        entries = []
        for log_model in (PageLogEntry, ModelLogEntry):
            entries += log_model.objects.filter(
                action__in=SCHEDULED_ACTIONS, timestamp__gte=started
            ).order_by("timestamp", "pk")
        return sorted(entries, key=lambda entry: entry.timestamp)

    def stop_on_signals(self):
        def stop(signum, frame):
            self.stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

    def run_once(self):
        # A long-lived process must not keep a connection the database has dropped.
        close_old_connections()
        try:
            self.publish_scheduled()
        except Exception:
            # A failed run (e.g. the database restarting) is logged; the next minute
            # tries again rather than the scheduler dying silently.
            logger.exception("publish_scheduled failed; trying again at the next run")
        finally:
            close_old_connections()

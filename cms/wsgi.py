"""WSGI entry point for gunicorn: `gunicorn cms.wsgi`."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

# A young-generation collection every 20,000 allocations instead of 700: rendering a page
# allocates tens of thousands of short-lived objects, and with Python's default every
# request paid for dozens of collections that found almost nothing to free.
YOUNG_GENERATION_THRESHOLD = 20_000


def tune_garbage_collector():
    """Leave the loaded application out of every later collection, and collect less often.

    Everything imported at start-up (Django, Wagtail, the models, the URLconf) lives as long
    as the process; frozen, the collector no longer walks those objects on each full
    collection. Cycles are still collected, only in larger batches.
    """
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, older, oldest)


application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - import every view now, before freezing
tune_garbage_collector()

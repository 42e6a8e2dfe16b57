"""Production settings as served by the benchmark, plus its ceiling view.

Only what a benchmark needs differs from cms.settings.production: a throwaway secret key
and loopback hosts when none are given, static files collected into the run's own
folder, the minimal view's URL, and warnings-only logging so that the log does not
slow the server down.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-key-never-used-for-a-real-site")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

from cms.settings.production import *  # noqa: F403
from cms.settings.production import LOGGING, STATIC_ROOT

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT") or STATIC_ROOT
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": "WARNING"}}

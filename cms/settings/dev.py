"""Local development: debug on, a fixed development-only secret, console email."""

import os

from .base import *  # noqa: F403
from .base import env_list

DEBUG = True
SECRET_KEY = "django-insecure-development-only-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Plain static storage so `runserver` works without `collectstatic`.
STORAGES = {**STORAGES}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

SMOP_DEMO_USERS_ALLOWED = True

# No full-page cache unless asked for: template and code edits show at once.
SMOP_PAGE_CACHE_SECONDS = int(os.environ.get("SMOP_PAGE_CACHE_SECONDS", "0"))

# Static files come from the app folders directly; whitenoise serves collected files
# in production only.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]

"""Fast, isolated settings for the test suite."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Local memory whatever REDIS_URL says: each test starts from an empty cache.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# No full-page cache, so tests see fresh content; tests of the cache turn it on.
SMOP_PAGE_CACHE_SECONDS = 0
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads and renditions made by tests never touch the developer's media folder.
MEDIA_ROOT = tempfile.mkdtemp(prefix="smop-test-media-")
TEST_MEDIA_ROOT = MEDIA_ROOT  # removed after the run by conftest.py
WAGTAILADMIN_BASE_URL = "http://testserver"

SMOP_DEMO_USERS_ALLOWED = True

# Static files come from the app folders directly; whitenoise serves collected files
# in production only.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]

# Sign-in lock-out is off so tests can use `client.login`; tests/test_login_lockout.py
# turns it on.
AXES_ENABLED = False

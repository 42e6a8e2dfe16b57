"""Production: every secret and host comes from the environment.

The site refuses to start when a required variable is missing, naming it, rather
than running with an unsafe default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SILENCED_SYSTEM_CHECKS, env_list
from .mail_url import admin_base_url, email_settings_from_url

FLAG_VALUES = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def env_flag(name, default):
    """A true/false environment variable; anything unrecognised stops the start."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value not in FLAG_VALUES:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be true or false, not {value!r}."
        )
    return FLAG_VALUES[value]


def required_env(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be set for production settings."
        )
    return value


DEBUG = False
SECRET_KEY = required_env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "The environment variable DJANGO_ALLOWED_HOSTS must be set for production settings."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Links in notification emails: never the development default.
WAGTAILADMIN_BASE_URL = admin_base_url(os.environ.get("WAGTAILADMIN_BASE_URL"), ALLOWED_HOSTS)

# Persistent database connections: opening a PostgreSQL connection costs more than most
# page queries, so each worker keeps its own for this long (health-checked before reuse,
# see base.py). DATABASE_CONN_MAX_AGE=0 closes it after every request.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Plain-HTTP requests are redirected to HTTPS. A health check that reaches gunicorn
# directly, or a local run without TLS, sets DJANGO_SECURE_SSL_REDIRECT=false.
SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Strict-Transport-Security: browsers use only HTTPS for a year. Preloading commits the
# whole domain to HTTPS for good, so it is a deliberate choice (DJANGO_SECURE_HSTS_PRELOAD).
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_flag("DJANGO_SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]
# The proxy appends the visitor's address to X-Forwarded-For; sign-in lock-outs count
# failures per visitor address, not per proxy (see docs/security.md).
SMOP_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))

# Uploaded media on S3-compatible object storage (AWS S3, MinIO, Cloudflare R2, Spaces...)
# when AWS_STORAGE_BUCKET_NAME is set; local MEDIA_ROOT otherwise. Credentials come the
# usual AWS way (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an instance role), read
# by boto3 itself, never stored in settings. See docs/deployment.md.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
if AWS_STORAGE_BUCKET_NAME:
    STORAGES = {
        **STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": AWS_STORAGE_BUCKET_NAME,
                "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL", "").strip() or None,
                "region_name": os.environ.get("AWS_S3_REGION_NAME", "").strip() or None,
                # A CDN or public domain in front of the bucket, e.g. media.smopak.com.
                "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip() or None,
                "location": os.environ.get("AWS_LOCATION", "").strip(),
                # Plain URLs, not expiring signed ones: cached pages keep working images.
                # Documents are streamed by the site (WAGTAILDOCS_SERVE_METHOD), so they
                # need no public URL.
                "querystring_auth": env_flag("AWS_QUERYSTRING_AUTH", default=False),
                # A second upload with the same name never replaces the first.
                "file_overwrite": False,
                "object_parameters": {"CacheControl": "public, max-age=86400"},
            },
        },
    }

# Outgoing email over SMTP: one EMAIL_URL (see cms/settings/mail_url.py), or the usual
# EMAIL_HOST, EMAIL_PORT, ... variables when EMAIL_URL is not set.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "").lower() in {"1", "true", "yes"}
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "").lower() in {"1", "true", "yes"}
if os.environ.get("EMAIL_URL", "").strip():
    globals().update(email_settings_from_url(os.environ["EMAIL_URL"].strip()))
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SMOP_DEMO_USERS_ALLOWED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}

"""Settings shared by every environment.

Environment-specific modules (dev, test, production) import everything from here and
override what differs. Secrets never live in this file.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name, default=""):
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    "cms",
    "home",
    "events",
    "people",
    "gallery",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.frontend_cache",
    "wagtail.api.v2",
    "wagtail.api.v3",
    "ninja",  # serves the v3 API docs page from our own static files, not a CDN
    "wagtail_headless_preview",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "corsheaders",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Security headers next, above anything that answers early (whitenoise's static
    # files, the full-page cache), so every response passes them on the way out.
    "cms.security.PermissionsPolicyMiddleware",
    "cms.security.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before anything that may answer early, so API preflights get their CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The full-page cache: above sessions and authentication, so a hit loads neither
    # (cms/page_cache.py).
    "cms.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Lookups made once per request (the site, the content generation): after
    # CommonMiddleware, which has checked the host name (cms/request_memo.py).
    "cms.request_memo.RequestMemoMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A view that cannot reach the database answers 503 with Retry-After, not a 500.
    "cms.db_errors.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# SQLite by default so a fresh clone runs with nothing installed; PostgreSQL (or any
# database dj-database-url understands) when DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# On SQLite, `make run` has the web server, the worker and the scheduler writing to one
# file: write-ahead logging lets readers carry on during a write, and IMMEDIATE
# transactions with a busy timeout make a second writer wait rather than fail with
# "database is locked".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (e.g. redis://127.0.0.1:6379/0), shared by every
# process; local memory, private to each process, otherwise. An unreachable or slow
# Redis is treated as an empty cache, never an error (cms/cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "cms.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "smop",
        }
    }
else:
    # Room for the full-page cache next to Wagtail's own entries (Django's default: 300).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }
# Full-page cache for anonymous visitors (cms/page_cache.py): seconds a page is kept
# (0 turns it off; time-based changes such as an event becoming past show within this),
# and the max-age browsers and proxies are told (they are not told of a publish).
SMOP_PAGE_CACHE_SECONDS = int(os.environ.get("SMOP_PAGE_CACHE_SECONDS", "300"))
SMOP_PAGE_CACHE_MAX_AGE = int(os.environ.get("SMOP_PAGE_CACHE_MAX_AGE", "60"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: English now, Urdu (right to left) next. Times are stored in
# UTC and shown in Pakistan time unless an event says otherwise.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Karachi"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # whitenoise's compressed manifest storage, each URL worked out once.
        "BACKEND": "cms.static_storage.StaticStorage",
    },
}

# Complex page forms (programmes, resource lists) exceed Django's default of 1,000.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "Society of Medical Oncology Pakistan"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "cms.SiteImage"
# Search: Wagtail's database backend (PostgreSQL's full-text search in production), or
# OpenSearch/Elasticsearch for large deployments: SEARCH_BACKEND=opensearch2 (or
# opensearch3, elasticsearch7/8/9) with SEARCH_URLS, after installing the matching client
# (docs/deployment.md), then `manage.py update_index`.
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "").strip() or "database"
SEARCH_BACKEND_NAMES = (
    "database",
    "opensearch2",
    "opensearch3",
    "elasticsearch7",
    "elasticsearch8",
    "elasticsearch9",
)
if SEARCH_BACKEND not in SEARCH_BACKEND_NAMES:
    raise ImproperlyConfigured(
        f"SEARCH_BACKEND must be one of {', '.join(SEARCH_BACKEND_NAMES)}, not {SEARCH_BACKEND!r}."
    )
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": f"wagtail.search.backends.{SEARCH_BACKEND}"},
}
if SEARCH_BACKEND != "database":
    if not env_list("SEARCH_URLS"):
        raise ImproperlyConfigured(f"SEARCH_BACKEND={SEARCH_BACKEND} needs SEARCH_URLS.")
    WAGTAILSEARCH_BACKENDS["default"].update(
        URLS=env_list("SEARCH_URLS"),
        INDEX=os.environ.get("SEARCH_INDEX", "").strip() or "smop",
        TIMEOUT=int(os.environ.get("SEARCH_TIMEOUT", "10")),
        OPTIONS={},
        INDEX_SETTINGS={},
    )
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Uploads: every image and document form (admin, multiple upload, choosers, API v3)
# checks content as well as names (cms/uploads.py). No SVG: it can carry script and
# there is no sanitiser in the stack.
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.uploads.SafeImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.uploads.SafeDocumentForm"
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
# 50 megapixels (a 48 MP phone photo fits): decoding one takes about 200 MB.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 50_000_000
# Documents always go through Django, which adds Content-Disposition: attachment
# (PDF alone opens inline), X-Content-Type-Options: nosniff and
# Content-Security-Policy: default-src 'none', and checks collection privacy.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
# No Gravatar: staff avatars are not fetched from a third party (privacy, and no
# outside requests from the admin); Wagtail shows its default avatar or an uploaded one.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Workflow emails: Reviewers when something is submitted, the author when it is
# approved or sent back. Superusers are not copied on every submission: the
# "Reviewers" group is who reviews. Each user can turn these off in their account.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAILADMIN_NOTIFICATION_USE_HTML = True

# Background tasks (reference index, image focal points, cache purges) go to a queue in
# the database, run by `manage.py db_worker`; `make run` and production start one.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Demo users (see `create_demo_users`) exist only where a settings module opts in.
SMOP_DEMO_USERS_ALLOWED = False

# Headless preview and CORS
# A separate frontend (HEADLESS_PREVIEW_CLIENT_URL) receives previews as
# ?content_type=...&token=... and fetches the draft from /api/v3/preview/. Without
# one, pages preview with their own templates.
HEADLESS_PREVIEW_CLIENT_URL = os.environ.get("HEADLESS_PREVIEW_CLIENT_URL", "").strip()
WAGTAIL_HEADLESS_PREVIEW = {
    "CLIENT_URLS": (
        {"default": HEADLESS_PREVIEW_CLIENT_URL} if HEADLESS_PREVIEW_CLIENT_URL else {}
    ),
    # Wagtail's preview panel follows a redirect to another origin (no nested iframe).
    "REDIRECT_ON_PREVIEW": True,
}
# Seconds a preview link keeps working.
HEADLESS_PREVIEW_TOKEN_MAX_AGE = int(os.environ.get("HEADLESS_PREVIEW_TOKEN_MAX_AGE", "3600"))

# Browsers on these origins (e.g. https://app.example.org) may call /api/; no origin
# is allowed unless listed.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/"

# Frontend cache: purge a page's URLs from a caching proxy or CDN when it is published
# or unpublished. Nothing is purged unless one of these is configured.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    # A proxy that accepts HTTP PURGE requests (Varnish, nginx, Fastly, ...).
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
    }
if os.environ.get("CLOUDFLARE_ZONE_ID") and os.environ.get("CLOUDFLARE_API_TOKEN"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": os.environ["CLOUDFLARE_ZONE_ID"],
        "BEARER_TOKEN": os.environ["CLOUDFLARE_API_TOKEN"],
    }

# API
# The public read API, /api/v2/ (cms/api.py). Rich text as display HTML with links
# resolved; at most 100 items a request; responses cached publicly for a short time.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILAPI_SEARCH_ENABLED = True
# Absolute URLs (images, documents, pages) start with this; by default, the site's own
# root URL as set under Settings -> Sites.
WAGTAILAPI_BASE_URL = os.environ.get("WAGTAILAPI_BASE_URL") or None
SMOP_API_CACHE_SECONDS = int(os.environ.get("SMOP_API_CACHE_SECONDS", "300"))
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Numbers such as CME credits stay numbers in JSON.
    "COERCE_DECIMAL_TO_STRING": False,
    # JSON only, so `?format=` is free for filters (an event's format: in person, virtual).
    "URL_FORMAT_OVERRIDE": None,
}

# Security: docs/security.md explains each setting and header.
# Browser security headers, sent on every response by SecurityMiddleware and cms.security.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# SAMEORIGIN rather than DENY: the admin shows previews in a frame of its own. CSP's
# frame-ancestors 'self' says the same to current browsers (and takes precedence).
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]  # "X_FRAME_OPTIONS is not DENY": see above
# Browser features no page of ours uses; each is turned off for our pages and any
# embed in them (cms.security.PermissionsPolicyMiddleware). Motion sensors and
# autoplay stay available to embedded video players.
SMOP_PERMISSIONS_POLICY_DISABLED = [
    "camera",
    "display-capture",
    "geolocation",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "usb",
    "browsing-topics",
]


def url_origins(*urls):
    """The scheme://host[:port] of each URL given (blanks skipped)."""
    return [f"{url.scheme}://{url.netloc}" for url in map(urlsplit, urls) if url.netloc]


def csp_sources(directive, *sources):
    """`sources` and those listed in CSP_EXTRA_<DIRECTIVE> (e.g. CSP_EXTRA_SCRIPT_SRC)."""
    return [*sources, *env_list("CSP_EXTRA_" + directive.upper().replace("-", "_"))]


# Content-Security-Policy (django-csp). The public site: our own scripts, styles,
# images and fonts only, no inline script or style and no nonce, so a page served from
# the full-page cache stays valid. Videos may be embedded from YouTube and Vimeo.
# JSON-LD blocks are data, not script, and need nothing here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": csp_sources("script-src", SELF),
        "style-src": csp_sources("style-src", SELF),
        "img-src": csp_sources("img-src", SELF, "data:"),
        "font-src": csp_sources("font-src", SELF),
        "connect-src": csp_sources("connect-src", SELF),
        "media-src": csp_sources("media-src", SELF),
        "frame-src": csp_sources(
            "frame-src",
            SELF,
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ),
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# The Wagtail admin still writes inline <script> and style attributes in its own
# templates (inline panels, date pickers, StreamField), and shows uploads before they
# are sent as blob: images. Only signed-in staff see its pages, so they get this looser
# policy (cms.security) and the public site keeps the strict one above. Previews are
# not admin pages: Wagtail renders them as the page's own URL, under the strict policy,
# so an editor sees exactly what visitors will.
_admin_directives = CONTENT_SECURITY_POLICY["DIRECTIVES"]
SMOP_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **_admin_directives,
        "script-src": [*_admin_directives["script-src"], UNSAFE_INLINE],
        "style-src": [*_admin_directives["style-src"], UNSAFE_INLINE],
        "img-src": [*_admin_directives["img-src"], "blob:"],
        # The preview panel frames the headless frontend's preview route, if there is one.
        "frame-src": [*_admin_directives["frame-src"], *url_origins(HEADLESS_PREVIEW_CLIENT_URL)],
    }
}
# The dashboard would otherwise ask wagtail.org for new releases from staff browsers;
# upgrades are deliberate (pinned in requirements.txt).
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Sessions and cookies: HttpOnly, SameSite=Lax (links from notification emails still
# arrive signed in); Secure in production. A session lasts a working day.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_COOKIE_AGE", str(12 * 60 * 60)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # nothing reads it from script: forms carry the token
CSRF_COOKIE_SAMESITE = "Lax"

# Admin sign-in lock-out (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one
# user name from one address, that pair is locked out for AXES_COOLOFF_MINUTES. Another
# user, or the same user elsewhere, is not affected, so nobody can lock staff out just
# by knowing their user names. `manage.py axes_reset` lifts every lock.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cms.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cms.security.client_ip_address"
# How many proxies in front of the site append to X-Forwarded-For (nginx: 1; a CDN in
# front of nginx: 2). 0 trusts no header and uses the connection's address.
SMOP_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

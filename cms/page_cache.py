"""The full-page cache for anonymous visitors, and its instant invalidation.

`PageCacheMiddleware` sits near the top of MIDDLEWARE, above sessions and
authentication, so a cache hit costs one cache read (plus one tiny database read when
the cache is local to each process, see below) and no session, user or page lookups.

What is cached: GET answers with status 200 for visitors who send no session cookie,
no messages cookie and no Authorization header: public pages, the member directory
and its filters, search, the sitemap, feeds, `.ics` files and the /api/v2/ read API.
The key is the scheme, host, path, the query string with its parameters sorted (the
order of repeated values kept: views read the last one) and the visitor's language;
it is hashed, so its length is bounded. Only what the view itself answered is stored:
a junk query that the API answers with a 400 is never turned into a 200.

Never cached: anything that sets a cookie or says `private`, `no-cache`, `no-store` or
`max-age=0` (Wagtail's view-restricted pages and password forms, `never_cache`
views, the v3 preview), the admin and its previews, documents, /api/v3/ (token
answers differ per token), streaming answers and very large ones. A HEAD request is
answered from the GET entry, but its own answer is not stored. Not-found pages and
redirects are not kept either: anyone could fill the cache with made-up addresses
and push the real pages out, and they are cheap to answer.

Pages say `Vary: Cookie` because the Wagtail user bar reads the session; that is safe
here because a request that carries a session cookie never reads or writes this
cache, so the cookie-less variant is the only one ever stored or served.

Invalidation: every entry records the content generation (`content_generation()`)
read before its view ran, and is served only while that generation is current. Any
change to public content (a page published, unpublished, moved or deleted; a person,
role or specialty; site settings; an image, a document, a redirect, a site or a
privacy setting) replaces the generation, which invalidates every cached page at once.
That over-invalidates (one edit empties the whole cache) on purpose: it is simple and
always right, including for the pages that list the changed one (indexes, home, the
directory), and edits are rare next to reads. The generation is stored:

- in the cache itself when it is shared by every process (Redis): one read fetches
  the entry and the generation together, and a warm hit makes no database query;
- in the database (`cms.ContentGeneration`, one row) when the cache is local memory,
  private to each process: each cacheable request reads that row (one query by
  primary key), so a publish by the task worker, the scheduler or another gunicorn
  worker is seen by every process at once. It is changed inside the publishing
  transaction, so it becomes visible exactly when the content does. (A file would be
  cheaper to read but is not shared by app servers on several hosts, nor transactional.)

With Redis it is replaced at once and again after the transaction commits, so a
request that read it between the two cannot keep content from before the commit; and
once more by each process that saw Redis fail, when it answers again, since a publish
during the outage could not reach it.

Time-based changes (an event becoming past, a registration deadline passing) are not
publishes: they show after at most SMOP_PAGE_CACHE_SECONDS (300 by default).
Browsers and proxies are told `max-age=SMOP_PAGE_CACHE_MAX_AGE` (60 by default), which
bounds how long they may keep a page after a publish.
"""

import contextvars
import hashlib
import logging
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    get_max_age,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import urlencode
from wagtail import signals as wagtail_signals

from cms.cache import redis_recovered
from cms.request_memo import forget_all, memoized

logger = logging.getLogger(__name__)

GENERATION_KEY = "smop:content-generation"
GENERATION_MEMO_KEY = "content_generation"
ENTRY_KEY_PREFIX = "smop:page:"
# Paths whose answers depend on who asks, or that must stay fresh.
EXCLUDED_PATH_PREFIXES = ("/admin/", "/documents/", "/api/v3/", "/_util/")
# A longer query string is junk or an attack: served, never cached.
MAX_QUERY_STRING_LENGTH = 2048
# Larger answers (none of ours today) would crowd out the pages worth keeping.
MAX_CONTENT_LENGTH = 2 * 1024 * 1024
MESSAGES_COOKIE_NAME = "messages"  # django.contrib.messages' cookie storage
UNCACHEABLE_DIRECTIVES = frozenset({"private", "no-cache", "no-store"})
# Vary headers whose variants the key already covers (Cookie: see the module docstring;
# Accept-Language: the language is in the key) or that do not change our bodies.
HARMLESS_VARY = frozenset({"cookie", "accept-language", "accept-encoding", "origin"})
# Saves that only keep drafts, locks and file metadata up to date change no public
# content (every draft save of a page or a person sends post_save with these).
BOOKKEEPING_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "draft_title",
        "locked",
        "locked_at",
        "locked_by",
        "numchild",
        "approved_go_live_at",
        "file_size",
        "file_hash",
    }
)
# Models (besides pages, images, documents and site settings) shown to the public.
PUBLIC_MODEL_LABELS = (
    "people.Person",
    "people.OfficerRole",
    "people.OfficerTerm",
    "people.Specialty",
    "wagtailcore.Site",
    "wagtailcore.Collection",
    "wagtailcore.PageViewRestriction",
    "wagtailcore.CollectionViewRestriction",
    "wagtailredirects.Redirect",
)


# The content generation

# The generation a cacheable request read before its view ran, for the fragment caches
# keyed on it during that request (no second read, and the same value as the page).
request_generation = contextvars.ContextVar("smop_request_generation", default=None)


def page_cache():
    """The cache holding full pages and, when shared, the generation."""
    return caches[getattr(settings, "SMOP_PAGE_CACHE_ALIAS", "default")]


def is_shared(backend):
    """Whether every process sees the same cache (Redis, Memcached, database cache)."""
    return not isinstance(backend, (LocMemCache, DummyCache, FileBasedCache))


def new_token():
    return uuid.uuid4().hex


def content_generation():
    """A short string that changes whenever public content changes, in every process.

    Key caches of rendered content on it (with the cache's own expiry as usual).
    """
    memo = request_generation.get()
    if memo is not None:
        return memo
    # Read once per request (cms.request_memo), also when the page cache is off.
    return memoized(GENERATION_MEMO_KEY, read_content_generation)


def read_content_generation():
    backend = page_cache()
    if is_shared(backend):
        return shared_generation(backend, backend.get(GENERATION_KEY))
    return database_generation()


def shared_generation(backend, token):
    """The generation in a shared cache, created the first time it is asked for.

    A random token, not a counter: if the key is evicted or Redis restarts, a new one
    can never match entries stored under an old one. When the cache is unreachable a
    new token each time makes sure nothing is taken from it.
    """
    if token is not None:
        return token
    fresh = new_token()
    if backend.add(GENERATION_KEY, fresh, None):
        return fresh
    return backend.get(GENERATION_KEY) or fresh


def database_generation():
    from cms.models import ContentGeneration  # noqa: PLC0415 - models load after this module

    token = ContentGeneration.objects.filter(pk=1).values_list("token", flat=True).first()
    if token is None:
        token = ContentGeneration.objects.get_or_create(pk=1, defaults={"token": new_token()})[
            0
        ].token
    return token


def bump_content_generation():
    """Mark public content as changed: every cached page becomes stale at once."""
    forget_all()  # this request reads the new generation (and restrictions...) from now on
    backend = page_cache()
    if is_shared(backend):
        set_shared_generation(backend)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: set_shared_generation(backend), robust=True)
    else:
        set_database_generation()


def set_shared_generation(backend):
    backend.set(GENERATION_KEY, new_token(), None)


def set_database_generation():
    from cms.models import ContentGeneration  # noqa: PLC0415 - models load after this module

    token = new_token()
    changed = ContentGeneration.objects.filter(pk=1).update(token=token, changed_at=timezone.now())
    if not changed:
        ContentGeneration.objects.update_or_create(pk=1, defaults={"token": token})


# What changes public content


def content_changed(**kwargs):
    bump_content_generation()


def model_saved(sender, instance, created=False, update_fields=None, **kwargs):
    """A save that can change what visitors see; draft and lock bookkeeping cannot."""
    if update_fields and BOOKKEEPING_FIELDS.issuperset(update_fields):
        return
    if getattr(instance, "live", True) is False and is_page(instance):
        return  # a draft page; unpublishing sends page_unpublished
    if created and is_site_setting(instance):
        return  # made with its defaults by the first page that reads it
    bump_content_generation()


def is_site_setting(instance):
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting  # noqa: PLC0415

    return isinstance(instance, (BaseSiteSetting, BaseGenericSetting))


def is_page(instance):
    from wagtail.models import Page  # noqa: PLC0415 - models load after this module

    return isinstance(instance, Page)


def public_models():
    """Every model whose saves and deletes can change a public page or API answer."""
    from wagtail.contrib.settings.registry import registry  # noqa: PLC0415
    from wagtail.documents import get_document_model  # noqa: PLC0415
    from wagtail.images import get_image_model  # noqa: PLC0415
    from wagtail.models import get_page_models  # noqa: PLC0415

    models = [*get_page_models(), get_image_model(), get_document_model(), *registry]
    for label in PUBLIC_MODEL_LABELS:
        try:
            models.append(apps.get_model(label))
        except LookupError:
            continue  # an optional app that is not installed
    return list(dict.fromkeys(models))


def connect_signals():
    """Replace the generation on every change to public content (called once, at start).

    Workflow approvals and the scheduler publish through Wagtail's publish actions, so
    they send the same signals as a publish from the page editor.
    """
    uid = "cms.page_cache"
    for signal in (
        wagtail_signals.page_published,
        wagtail_signals.page_unpublished,
        wagtail_signals.post_page_move,
        wagtail_signals.published,
        wagtail_signals.unpublished,
    ):
        signal.connect(content_changed, dispatch_uid=uid)
    for model in public_models():
        post_save.connect(model_saved, sender=model, dispatch_uid=f"{uid}.save.{model._meta}")
        post_delete.connect(
            content_changed, sender=model, dispatch_uid=f"{uid}.delete.{model._meta}"
        )
    # Each deployment runs `migrate`: pages rendered by the previous code are dropped.
    post_migrate.connect(content_changed, sender=apps.get_app_config("cms"), dispatch_uid=uid)
    # A publish during a Redis outage could not replace the generation there; every
    # process that saw the outage replaces it once Redis is back.
    redis_recovered.connect(content_changed, dispatch_uid=uid)


# The middleware


def cache_seconds():
    return getattr(settings, "SMOP_PAGE_CACHE_SECONDS", 0)


def is_anonymous(request):
    """Decided from the request alone: no session, messages or credentials."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and MESSAGES_COOKIE_NAME not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


def is_static(request):
    return request.path_info.startswith(
        tuple(url for url in (settings.STATIC_URL, settings.MEDIA_URL) if url)
    )


def entry_key(request):
    """The cache key of a request, or None when it may not use the cache."""
    if request.method not in ("GET", "HEAD") or not is_anonymous(request):
        return None
    if request.path_info.startswith(EXCLUDED_PATH_PREFIXES):
        return None
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING_LENGTH:
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None  # the view answers 400
    query = urlencode(
        [(name, value) for name, values in sorted(request.GET.lists()) for value in values]
    )
    language = translation.get_language_from_request(request) if settings.USE_I18N else ""
    parts = (request.scheme, host, request.path, query, language)
    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return ENTRY_KEY_PREFIX + digest


def cache_control_directives(response):
    value = response.get("Cache-Control", "")
    return {part.split("=", 1)[0].strip().lower() for part in cc_delim_re.split(value) if part}


def vary_headers(response):
    return {part.strip().lower() for part in cc_delim_re.split(response.get("Vary", "")) if part}


def storable(response):
    """Whether an answer may be kept and served to every anonymous visitor."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Set-Cookie" not in response
        and not cache_control_directives(response) & UNCACHEABLE_DIRECTIVES
        and get_max_age(response) != 0
        and vary_headers(response) <= HARMLESS_VARY
        and len(response.content) <= MAX_CONTENT_LENGTH
    )


def make_public(response):
    """`public, max-age` unless the view said how long (the API does)."""
    if "Cache-Control" not in response:
        patch_cache_control(response, public=True, max_age=settings.SMOP_PAGE_CACHE_MAX_AGE)
    if not response.has_header("ETag"):
        set_response_etag(response)


def make_private(response):
    """Answers that are not for every visitor are kept by nobody but the browser."""
    if "Cache-Control" not in response:
        patch_cache_control(response, private=True, no_cache=True)


def entry_seconds(response):
    view_max_age = get_max_age(response)
    seconds = cache_seconds()
    return seconds if view_max_age is None else min(seconds, view_max_age)


def conditional(request, response):
    """304 Not Modified when the visitor already has this version (If-None-Match)."""
    return get_conditional_response(request, etag=response.get("ETag"), response=response)


def response_from_entry(request, status, headers, content):
    response = HttpResponse(content if request.method == "GET" else b"", status=status)
    for name, value in headers:
        response[name] = value
    return response


class PageCacheMiddleware:
    """Serve anonymous GET and HEAD requests from the full-page cache (see above).

    Place it after SecurityMiddleware, the security-header middleware, CORS and
    whitenoise (they process every answer, cached or not) and before SessionMiddleware
    (a hit must not load a session or a user).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if cache_seconds() <= 0 or is_static(request):
            return self.get_response(request)
        key = entry_key(request)
        if key is None:
            response = self.get_response(request)
            make_private(response)
            return response
        backend = page_cache()
        try:
            entry, generation = self.lookup(backend, key)
        except DatabaseError:
            logger.warning("Page cache skipped: the content generation could not be read.")
            return self.get_response(request)
        if entry is not None and entry[0] == generation:
            response = conditional(request, response_from_entry(request, *entry[1:]))
            response["X-Cache"] = "hit"
            return response
        memo = request_generation.set(generation)
        try:
            response = self.get_response(request)
        finally:
            request_generation.reset(memo)
        if not storable(response):
            make_private(response)
            response["X-Cache"] = "miss"
            return response
        make_public(response)
        if request.method == "GET":  # a HEAD answer may have no body to keep
            entry = (generation, response.status_code, list(response.items()), response.content)
            backend.set(key, entry, entry_seconds(response))
        response = conditional(request, response)
        response["X-Cache"] = "miss"
        return response

    def lookup(self, backend, key):
        """The stored entry (or None) and the current generation, in one round trip."""
        if is_shared(backend):
            found = backend.get_many([key, GENERATION_KEY])
            generation = shared_generation(backend, found.get(GENERATION_KEY))
            return found.get(key), generation
        return backend.get(key), database_generation()

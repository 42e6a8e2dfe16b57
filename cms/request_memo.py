"""Lookups made once per request, whichever template, tag or model asks for them.

Every page needs the same few things around its content: the content generation (the
key of the fragment caches), the site, the site root paths behind every page URL, the
view restrictions behind `.public()`. `RequestMemoMiddleware` opens a memo for the
duration of each request; `memoized()` computes a value on first use and returns the
same value to every later caller in that request. Outside a request (management
commands, tests calling code directly) nothing is memoized.

`generation_cached()` keeps what only a change of content can change (the site, its
root paths and settings, the menu, breadcrumbs, which pages are view-restricted) under
the content generation, so that a publish shows at once; `RequestMemoMiddleware` sets
the site from it before Wagtail's router asks for it.
"""

import contextvars
import pickle

from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Q
from django.http.request import split_domain_port

_memo = contextvars.ContextVar("smop_request_memo", default=None)

SITE_CACHE_SECONDS = 3600
# Packages whose views serve the site's content and look up its site.
CONTENT_VIEW_PACKAGES = frozenset(
    {"wagtail", "cms", "home", "events", "people", "gallery", "search"}
)
# This process's copies of generation_cached() values: (generation, {key: pickle}).
_local = (None, {})
# Enough for the layout of every page of a large site (breadcrumbs are per section).
LOCAL_MAX_ENTRIES = 5000


def memoized(key, compute):
    """`compute()` once per request under `key` (every call outside a request)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    try:
        return memo[key]
    except KeyError:
        value = memo[key] = compute()
        return value


def in_request():
    """Whether a request's memo is open (`memoized()` keeps values only then)."""
    return _memo.get() is not None


def forget_all():
    """Drop every memoized value: this request has changed public content."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


def generation_cached(key, compute, seconds):
    """`compute()`, kept under `key` until public content changes.

    The content generation is appended to the key, so a publish shows at once. Values
    are kept in the shared cache and, pickled, in this process for the current
    generation only: a later request in the process unpickles its own copy (no cache
    round trip, and nothing shared between requests can be changed by one of them).
    None is never kept.
    """
    from cms.page_cache import content_generation  # noqa: PLC0415 - it imports this module

    global _local  # noqa: PLW0603 - replaced whole, never changed in place by two
    generation = content_generation()
    local = _local
    if local[0] != generation:
        local = _local = (generation, {})
    full_key = f"{key}:{generation}"
    data = local[1].get(full_key)
    if data is not None:
        return pickle.loads(data)  # noqa: S301 - our own values, pickled by this process
    value = cache.get(full_key)
    if value is None:
        value = compute()
        if value is None:
            return None
        cache.set(full_key, value, seconds)
    if len(local[1]) < LOCAL_MAX_ENTRIES:
        local[1][full_key] = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    return value


def forget_process_copies():
    """Drop this process's copies of `generation_cached()` values.

    For tests: a rolled-back database gives an old content generation back, under
    which values of content since rolled back were kept. (A live site's generations
    are random tokens, never reused.)
    """
    global _local  # noqa: PLW0603 - replaced whole, as in generation_cached()
    _local = (None, {})


def page_view_restrictions():
    """Every page view restriction (with its page), cached until content changes.

    Adding, changing or removing a restriction changes the content generation, as a
    publish does, so the next request sees it. Only which pages are restricted is
    taken from here; who may see them is checked by Wagtail against the database.
    """
    from wagtail.models import PageViewRestriction  # noqa: PLC0415

    def restrictions():
        return list(PageViewRestriction.objects.select_related("page"))

    return memoized(
        "page_view_restrictions",
        lambda: generation_cached("smop:page-view-restrictions", restrictions, SITE_CACHE_SECONDS),
    )


def private_pages_q():
    """The condition that matches view-restricted pages, as Wagtail's `private_q()`.

    `queryset.exclude(private_pages_q())` is `queryset.public()` without a query for
    the restrictions each time: they are read once per request.
    """
    from wagtail.models import Page  # noqa: PLC0415 - models load after this module

    pages = Page.objects.all()
    q = Q()
    for restriction in page_view_restrictions():
        q |= pages.descendant_of_q(restriction.page, inclusive=True)
    # Matches no page when nothing is restricted.
    return q if q else Q(pk__in=[])


def cached_site(request):
    """The site for the request's host name and port, cached until content changes.

    Wagtail's own lookup (host name and port, then the default site); a missing site
    is not kept, so that one made later is found at once.
    """
    from wagtail.models import Site  # noqa: PLC0415

    hostname = split_domain_port(request._get_raw_host())[0]
    key = f"smop:site:{hostname}:{request.get_port()}"
    return generation_cached(key, lambda: Site._find_for_request(request), SITE_CACHE_SECONDS)


def cached_site_root_paths():
    """Wagtail's site root paths (behind every page URL), cached until content changes.

    Wagtail keeps them in the cache too and drops them when a site or a site's root
    page changes; each of those changes the content generation as well.
    """
    from wagtail.models import Site  # noqa: PLC0415

    return generation_cached("smop:site-root-paths", Site.get_site_root_paths, SITE_CACHE_SECONDS)


def request_site_root_paths():
    """The site root paths for code without the request at hand; None outside a request."""
    if _memo.get() is None:
        return None
    return memoized("site_root_paths", cached_site_root_paths)


class RequestMemoMiddleware:
    """Open a memo for each request; find the site of GET and HEAD requests from cache.

    Place it after CommonMiddleware, so that the host name has been checked against
    ALLOWED_HOSTS before it becomes part of a cache key.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Before a view of the site's content (pages, API, search), the site it needs.

        Other views (Django's own, static answers) do not pay for a lookup they skip.
        """
        if request.method not in ("GET", "HEAD") or not is_content_view(view_func):
            return
        try:
            site, root_paths = cached_site(request), cached_site_root_paths()
        except DatabaseError:
            return  # the view looks them up itself, and answers 503 without a database
        request._wagtail_site = site
        # Where Wagtail looks first when a page URL is built with the request.
        request._wagtail_cached_site_root_paths = root_paths
        if is_page_view(view_func) and view_args:
            from cms.route_cache import set_route  # noqa: PLC0415 - it imports this module

            try:
                set_route(request, site, view_args[0])
            except DatabaseError:
                request.__dict__.pop("_wagtail_route_for_request", None)


def is_page_view(view_func):
    """Wagtail's view of a page by its URL path."""
    from wagtail.views import serve  # noqa: PLC0415

    return view_func is serve


def is_content_view(view_func):
    module = getattr(view_func, "__module__", "") or ""
    return module.split(".", 1)[0] in CONTENT_VIEW_PACKAGES

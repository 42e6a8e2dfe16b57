"""Which page serves a URL, remembered until public content changes.

Wagtail finds the page for a URL by walking the tree from the site's root, two queries
a level. Here the walk's answer (the page's id and type, and the URL path it must still
have) is kept under the content generation, so a later request loads that one page in
one query and lets it route the rest of the URL itself (a routable page's own views).

Only the walk is skipped: the page is read afresh from the database, must still be at
that URL path and live, and Wagtail's `before_serve_page` checks (view restrictions,
passwords) run on it as usual. A URL that finds no page is not remembered.
"""

import functools

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Q
from django.http import Http404
from wagtail.models import Page

from cms.request_memo import SITE_CACHE_SECONDS, generation_cached


def set_route(request, site, path):
    """Set Wagtail's route for `path` on the request, from the cache or by routing."""
    if site is None or getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return  # translated sites route by language: left to Wagtail
    components = [component for component in path.split("/") if component]
    key = f"smop:route:{site.pk}:{'/'.join(components)}"
    found = generation_cached(
        key, lambda: route_by_walking(request, site, path, components), SITE_CACHE_SECONDS
    )
    if found is None or hasattr(request, "_wagtail_route_for_request"):
        return  # no page there, or just routed by walking the tree
    result = route_from(request, found, components)
    if result is not None:
        request._wagtail_route_for_request = result


def route_by_walking(request, site, path, components):
    """Wagtail's own routing (kept on the request), and what to remember of it."""
    result = Page.route_for_request(request, path)
    if result is None:
        return None
    page, root = result[0], site.root_page  # the root was loaded by the routing
    consumed = page.depth - root.depth
    if page.url_path != root.url_path + "".join(f"{slug}/" for slug in components[:consumed]):
        return None  # not a plain walk down the tree: not remembered
    return (page.pk, page.content_type_id, page.url_path, page.depth, consumed)


def route_from(request, found, components):
    """The route through the remembered page, or None to let Wagtail walk the tree."""
    page_id, content_type_id, url_path, depth, consumed = found
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    page = page_at(model, page_id, url_path, depth)
    if page is None:
        return None
    try:
        # Components beyond the page's own URL are a routable page's views.
        return page.route(request, components[consumed:])
    except Http404:
        return None


def page_at(model, page_id, url_path, depth):
    """The page of type `model` with this id, still at this URL path and depth, or None.

    `model.objects.filter(pk=..., url_path=..., depth=...).first()`, but with the query
    compiled once per page type (see `PageQuery`).
    """
    return page_query(model, connection.vendor).get(page_id, url_path, depth)


@functools.cache
def page_query(model, vendor):
    """The `PageQuery` of a page type, for the database's SQL dialect (`vendor`)."""
    return PageQuery(model)


class PageQuery:
    """One page type's query by id, URL path and depth, compiled once in this process.

    Compiling it (every column of the type and of Page, the join between them) costs
    more than running it; what the ORM does with the row (converters, `from_db()`) is
    kept, so the page is the one `.first()` would give.
    """

    def __init__(self, model):
        # Separate Q objects keep the placeholders in this order.
        query = model.objects.filter(Q(pk=0), Q(url_path=""), Q(depth=0))[:1].query
        self.model = model
        self.compiler = query.get_compiler(using=DEFAULT_DB_ALIAS)
        self.sql, params = self.compiler.as_sql()
        if len(params) != 3:  # the three values above
            raise ValueError(f"Unexpected parameters in {self.sql!r}: {params!r}")
        columns = [column for column, _sql, _alias in self.compiler.select]
        self.attnames = [column.target.attname for column in columns]
        self.converters = self.compiler.get_converters(columns)

    def get(self, page_id, url_path, depth):
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [page_id, url_path, depth])
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            [row] = self.compiler.apply_converters([row], self.converters)
        return self.model.from_db(DEFAULT_DB_ALIAS, self.attnames, row)

"""Which page serves a URL, remembered until public content changes.

Wagtail finds the page for a URL by walking the tree from the site's root, two queries
a level. Here the walk's answer (the page's id and type, and the URL path it must still
have) is kept under the content generation, so a later request loads that one page in
one query and lets it route the rest of the URL itself (a routable page's own views).

Only the walk is skipped: the page is read afresh from the database, must still be at
that URL path and live, and Wagtail's `before_serve_page` checks (view restrictions,
passwords) run on it as usual. A URL that finds no page is not remembered.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
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
    page = model.objects.filter(pk=page_id, url_path=url_path, depth=depth).first()
    if page is None:
        return None
    try:
        # Components beyond the page's own URL are a routable page's views.
        return page.route(request, components[consumed:])
    except Http404:
        return None

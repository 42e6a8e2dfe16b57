"""Site navigation built from the page tree: the primary menu and breadcrumbs.

Both are on every page, so their markup is written here in Python from the cached
menu and crumbs: a dozen format_html() calls cost a fraction of the template nodes
they replace (see docs/performance.md).
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from cms.request_memo import generation_cached

register = template.Library()

# The menu is the same on every page of a site until public content changes; the
# content generation in its key makes any publish, move or unpublish show at once.
MENU_CACHE_SECONDS = 3600


def site_root(context):
    """The root page of the site serving this request, or None outside a request."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


def in_section(page, section_path):
    """Whether `page` is the section or one of its descendants (paths are tree prefixes)."""
    path = getattr(page, "path", "") or ""
    return bool(path) and path.startswith(section_path)


@register.simple_tag(takes_context=True)
def menu_pages(context):
    """Live, public children of the site root that editors chose to show in menus."""
    root = site_root(context)
    if root is None:
        return Page.objects.none()
    # Plain pages, not .specific(): labels use the title, so no query per page type.
    return root.get_children().live().public().in_menu()


def on_subpage_route(request):
    """Whether a routable page is serving one of its subpages (e.g. a member profile)."""
    match = getattr(request, "routable_resolver_match", None)
    return match is not None and match.route != ""


def menu_sections(context):
    """Each menu page's id, tree path, title and URL, cached per site and generation."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return generation_cached(
        f"smop:menu:{site.pk}",
        lambda: [
            {"pk": page.pk, "path": page.path, "title": page.title, "url": page.get_url(request)}
            for page in menu_pages(context)
        ],
        MENU_CACHE_SECONDS,
    )


@register.simple_tag(takes_context=True)
def primary_nav(context):
    """The main menu, with the current page or section marked for assistive technology."""
    current = context.get("page")
    on_page_itself = not on_subpage_route(context.get("request"))
    items = [
        {
            "url": section["url"],
            "title": section["title"],
            "is_current": getattr(current, "pk", None) == section["pk"] and on_page_itself,
            "in_section": in_section(current, section["path"]),
        }
        for section in menu_sections(context)
    ]
    return primary_nav_html(items)


# On small screens, static/js/site.js reveals the Menu button, which shows and hides the
# list; without JavaScript the button stays hidden and the list wraps onto more lines.
PRIMARY_NAV = """<nav class="primary-nav" aria-label="{label}" data-nav>
    <div class="container">
        <button type="button" class="primary-nav__toggle" aria-expanded="false" \
aria-controls="primary-nav-list" data-nav-toggle hidden>
            <svg class="primary-nav__icon" viewBox="0 0 24 24" width="20" height="20" \
aria-hidden="true" focusable="false"><path d="M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z"/></svg>
            {menu}
        </button>
        <ul class="primary-nav__list" id="primary-nav-list" data-nav-list>
{links}
        </ul>
    </div>
</nav>"""
CURRENT_PAGE = mark_safe(' aria-current="page"')
CURRENT_SECTION = mark_safe(' aria-current="true"')


def primary_nav_html(items):
    if not items:
        return ""
    links = format_html_join(
        "\n",
        '            <li><a href="{}"{}>{}</a></li>',
        ((item["url"], current_attribute(item), item["title"]) for item in items),
    )
    return format_html(PRIMARY_NAV, label=_("Main"), menu=_("Menu"), links=links)


def current_attribute(item):
    if item["is_current"]:
        return CURRENT_PAGE
    return CURRENT_SECTION if item["in_section"] else ""


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page, current_label=""):
    """Home, the ancestors below it and the current page.

    `current_label` names a view below the page (a routed subpage such as a member
    profile), so the page itself becomes a link and the label the last crumb.
    """
    root = site_root(context)
    request = context.get("request")
    # Views that are not pages (search, error pages) have no `page`: no breadcrumbs.
    if not isinstance(page, Page) or root is None or (page.pk == root.pk and not current_label):
        return ""
    crumbs = ancestor_crumbs(request, root, page)
    if page.pk != root.pk:
        crumbs.append({"url": page.get_url(request), "label": page.title})
    if current_label:
        crumbs.append({"url": None, "label": current_label})
    return breadcrumbs_html(crumbs)


BREADCRUMBS = """<nav class="breadcrumbs" aria-label="{label}">
    <div class="container">
        <ol>
{items}
        </ol>
    </div>
</nav>"""


def breadcrumbs_html(crumbs):
    """Links to each crumb but the last, the current page (aria-current)."""
    *links, last = crumbs
    items = [
        format_html('            <li><a href="{}">{}</a></li>', c["url"], c["label"])
        for c in links
    ]
    items.append(
        format_html('            <li><span aria-current="page">{}</span></li>', last["label"])
    )
    items = mark_safe("\n".join(items))  # each one escaped by format_html() above
    return format_html(BREADCRUMBS, label=_("Breadcrumb"), items=items)


def ancestor_crumbs(request, root, page):
    """Home and the page's ancestors below it, as labels and URLs.

    Cached per site and tree position until content changes (a renamed, moved or
    unpublished ancestor changes the content generation in the key).
    """

    def crumbs():
        ancestors = [root, *page.get_ancestors().filter(depth__gt=root.depth)]
        return [{"url": page.get_url(request), "label": page.title} for page in ancestors]

    if not page.path:  # a new page's preview: not in the tree yet
        return crumbs()
    return generation_cached(f"smop:crumbs:{root.pk}:{page.path}", crumbs, MENU_CACHE_SECONDS)

"""Site navigation built from the page tree: the primary menu and breadcrumbs."""

from django import template
from wagtail.models import Page, Site

register = template.Library()


def site_root(context):
    """The root page of the site serving this request, or None outside a request."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


def in_section(page, section):
    """Whether `page` is `section` or one of its descendants (paths are tree prefixes)."""
    path = getattr(page, "path", "") or ""
    return bool(path) and path.startswith(section.path)


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


@register.inclusion_tag("includes/primary_nav.html", takes_context=True)
def primary_nav(context):
    current = context.get("page")
    on_page_itself = not on_subpage_route(context.get("request"))
    items = [
        {
            "page": section,
            "is_current": getattr(current, "pk", None) == section.pk and on_page_itself,
            "in_section": in_section(current, section),
        }
        for section in menu_pages(context)
    ]
    return {"items": items, "request": context.get("request")}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page, current_label=""):
    """Home, the ancestors below it and the current page.

    `current_label` names a view below the page (a routed subpage such as a member
    profile), so the page itself becomes a link and the label the last crumb.
    """
    root = site_root(context)
    request = context.get("request")
    # Views that are not pages (search, error pages) have no `page`: no breadcrumbs.
    if not isinstance(page, Page) or root is None or (page.pk == root.pk and not current_label):
        return {"crumbs": [], "request": request}
    ancestors = page.get_ancestors().filter(depth__gt=root.depth)
    crumbs = [{"page": root, "label": root.title}]
    crumbs += [{"page": ancestor, "label": ancestor.title} for ancestor in ancestors]
    if page.pk != root.pk:
        crumbs.append({"page": page, "label": page.title})
    if current_label:
        crumbs.append({"page": None, "label": current_label})
    return {"crumbs": crumbs, "request": request}

"""The <head> metadata of every page: title, description, canonical, social cards, JSON-LD.

`{% seo_meta as meta %}` gathers it from the template context once; `{% meta_tags meta %}`
writes it out, in Python because every page pays for its two dozen tags.
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.models import Page

from cms import seo
from cms.models import SiteSettings
from events.models import EventIndexPage, EventPage
from events.structured_data import event_data
from people.models import MemberDirectoryPage

register = template.Library()


@register.simple_tag(takes_context=True)
def seo_meta(context):
    request = context.get("request")
    page = context.get("page")
    page = page if isinstance(page, Page) else None
    site_settings = _site_settings(context)
    # A member's profile is a route of the directory page, rendered with `person`.
    person = context.get("person") if isinstance(page, MemberDirectoryPage) else None
    site_name = site_settings.organisation_name if site_settings else ""
    is_home = page is not None and _is_site_root(page, request)
    meta = {
        "site_name": site_name,
        "is_home": is_home,
        "title": _title(page, person, context, site_name, is_home),
        "document_title": _document_title(page, person, context, site_name),
        "description": _description(page, person, context, site_name),
        "canonical": _canonical(request, page, context),
        "image": seo.share_image(request, page, person) if request else None,
        "noindex": _noindex(request, context),
        "twitter_site": seo.twitter_handle(site_settings),
        "alternates": _alternates(page, request),
        "json_ld": [],
    }
    if request is not None and page is not None and person is None:
        meta["json_ld"] = _structured_data(page, request, site_settings, meta, is_home)
    return meta


@register.simple_tag
def meta_tags(meta):
    """The page's metadata for search engines and social sites, from {% seo_meta %}.

    Every URL in it is absolute, as crawlers and share previews need.
    """
    social = (
        META_TAG.format(attribute, name, conditional_escape(content))
        for attribute, name, content in social_meta(meta, meta["image"])
    )
    scripts = (json_ld(data) for data in meta["json_ld"])
    # Every value was escaped above (format_html in head_links, conditional_escape here).
    return mark_safe("\n    ".join([*head_links(meta), *social, *scripts]))


META_TAG = '<meta {}="{}" content="{}">'
NOINDEX = mark_safe('<meta name="robots" content="noindex, follow">')


def head_links(meta):
    """The description, robots, canonical and feed tags, each only when there is one."""
    if meta["description"]:
        yield format_html('<meta name="description" content="{}">', meta["description"])
    if meta["noindex"]:
        yield NOINDEX
    if meta["canonical"]:
        yield format_html('<link rel="canonical" href="{}">', meta["canonical"])
    for feed in meta["alternates"]:
        yield format_html(
            '<link rel="alternate" type="{}" title="{}" href="{}">',
            feed["type"],
            feed["title"],
            feed["url"],
        )


def social_meta(meta, image):
    """(attribute, name, content) of each Open Graph and X (Twitter) card <meta> tag."""
    title, description, canonical = meta["title"], meta["description"], meta["canonical"]
    yield "property", "og:type", "website"
    yield "property", "og:site_name", meta["site_name"]
    yield "property", "og:title", title
    if description:
        yield "property", "og:description", description
    if canonical:
        yield "property", "og:url", canonical
    if image:
        yield "property", "og:image", image["url"]
        yield "property", "og:image:width", image["width"]
        yield "property", "og:image:height", image["height"]
        yield "property", "og:image:alt", image["alt"]
    wide = image and image["width"] > image["height"]
    yield "name", "twitter:card", "summary_large_image" if wide else "summary"
    if meta["twitter_site"]:
        yield "name", "twitter:site", meta["twitter_site"]
    yield "name", "twitter:title", title
    if description:
        yield "name", "twitter:description", description
    if image:
        yield "name", "twitter:image", image["url"]
        yield "name", "twitter:image:alt", image["alt"]


@register.filter
def json_ld(data):
    """A dict as a <script type="application/ld+json"> safe from hostile values."""
    return seo.json_ld_script(data)


def _site_settings(context):
    request = context.get("request")
    return SiteSettings.for_request(request) if request is not None else None


def _is_site_root(page, request):
    site = seo.site_for(request)
    return site is not None and site.root_page_id == page.pk


def _is_search(context):
    return "search_query" in context and "search_results" in context


def _title(page, person, context, site_name, is_home):
    if person is not None:
        return person.full_name
    if page is None:
        return _("Search") if _is_search(context) else site_name
    if is_home:
        return page.seo_title or site_name
    return page.seo_title or page.title


def _document_title(page, person, context, site_name):
    """The <title> before the site name; on the home page too, so editors choose it."""
    if page is not None and person is None:
        return page.seo_title or page.title
    return _title(page, person, context, site_name, is_home=False)


def _description(page, person, context, site_name):
    if person is not None:
        return seo.person_description(person)
    if page is not None:
        return seo.page_description(page)
    if _is_search(context):
        return _("Search the %(site)s website.") % {"site": site_name}
    return ""


def _canonical(request, page, context):
    # Error pages and other views without a page have no canonical address.
    if page is None and not _is_search(context):
        return None
    return seo.canonical_url(request, page)


def _noindex(request, context):
    """Previews and search results are not for search engines' indexes."""
    return bool(getattr(request, "is_preview", False)) or _is_search(context)


def _alternates(page, request):
    """Feeds offered by the events index, as <link rel="alternate"> entries."""
    if not isinstance(page, EventIndexPage) or request is None or not page.url:
        return []
    return [
        {
            "type": "application/rss+xml",
            "title": _("Upcoming events (RSS)"),
            "url": seo.absolute_url(page.feed_url, request),
        },
        {
            "type": "text/calendar",
            "title": _("Upcoming events (calendar)"),
            "url": seo.absolute_url(page.calendar_url, request),
        },
    ]


def _structured_data(page, request, site_settings, meta, is_home):
    data = []
    if is_home and site_settings is not None:
        data.append(seo.organization_data(site_settings, request, meta["image"]))
    if isinstance(page, EventPage):
        data.append(event_data(page, request, site_settings, meta["image"], meta["description"]))
    return data

"""Small template helpers for labels that templates cannot reach on their own."""

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django import template
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.images.shortcuts import get_renditions_or_not_found

from cms.blocks import link_html
from cms.request_memo import private_pages_q

register = template.Library()

PAKISTAN = ZoneInfo("Asia/Karachi")

# What a visitor calls each kind of page in search results; other types use their
# verbose name ("standard page" reads as plain "Page").
TYPE_LABELS = {
    "eventpage": _("Event"),
    "eventindexpage": _("Events"),
    "gallerypage": _("Photo album"),
    "galleryindexpage": _("Photo gallery"),
    "resourcelistpage": _("Resources"),
    "memberdirectorypage": _("Member directory"),
    "initiativepage": _("Research initiative"),
    "presidentmessagepage": _("President's message"),
    "valuespage": _("Our values"),
    "homepage": _("Home"),
    "standardpage": _("Page"),
}


@register.filter
def type_label(page):
    """The human name of a page's type, e.g. 'Event', for search results."""
    model = getattr(page, "specific_class", None)
    if model is not None:
        return TYPE_LABELS.get(model._meta.model_name, model._meta.verbose_name)
    content_type = getattr(page, "content_type", None)
    return content_type.name if content_type else ""


def _clock(moment):
    return formats.time_format(moment, "g:i A")


def _end_label(start, end):
    """The end of a span as read after its start: a time, or a day and time overnight."""
    if end is None:
        return ""
    if end.date() != start.date():
        return f"{formats.date_format(end, 'j F')}, {_clock(end)}"
    return _clock(end)


def _time_range(start, end):
    end_label = _end_label(start, end)
    return f"{_clock(start)} – {end_label}" if end_label else _clock(start)


@register.simple_tag
def event_times(event):
    """An event's times in its own zone and, for events held elsewhere, in Pakistan.

    Returns None for events without times (dates only, a month, a year): those are
    shown as dates alone, never with an invented time. Otherwise a dict with
    `local_start` and `local_end` (e.g. '9:00 AM', '1:00 PM'; the end may be ''),
    `zone` (the place naming the zone), `pakistan` (the same span in Pakistan time,
    or '' when the event is held there) and `start` (the aware start).
    """
    if not event.has_times or event.start_date is None:
        return None
    zone = ZoneInfo(event.timezone)
    start = dt.datetime.combine(event.start_date, event.start_time, zone)
    end = None
    if event.end_time:
        # Times on a multi-day event are each day's hours, so the span is one day's.
        day = event.start_date if event.end_time > event.start_time else event.end_date
        end = dt.datetime.combine(day or event.start_date, event.end_time, zone)
    pakistan = ""
    if start.utcoffset() != start.astimezone(PAKISTAN).utcoffset():
        pk_start = start.astimezone(PAKISTAN)
        pk_end = end.astimezone(PAKISTAN) if end else None
        pakistan = _time_range(pk_start, pk_end)
        if pk_start.date() != start.date():  # e.g. an evening in New York is morning in Karachi
            pakistan = f"{formats.date_format(pk_start, 'j F Y')}, {pakistan}"
    return {
        "local_start": _clock(start),
        "local_end": _end_label(start, end),
        "zone": _("Pakistan") if event.timezone == PAKISTAN.key else event.timezone_city,
        "pakistan": pakistan,
        "start": start,
    }


@register.simple_tag
def recent_past_events(count=3):
    """SMOP's latest live, public events that have taken place, most recent first.

    For the home page's empty state: with nothing upcoming, point to what happened.
    """
    # cms sits beneath the apps: importing on use keeps it free of an import cycle.
    from events.listing import LIST_FIELDS  # noqa: PLC0415
    from events.models import EventPage  # noqa: PLC0415

    events = (
        EventPage.objects.live()
        .exclude(private_pages_q())  # `.public()`, the restrictions read once per request
        .smop()
        .past()
        .exclude(starts_at=None)
        .only(*LIST_FIELDS)  # a line of a compact list: its link, title and dates
    )
    return list(events[:count])


@register.filter
def domain(url):
    """The site a link leads to, e.g. 'who.int' for https://www.who.int/...; '' if none."""
    host = urlsplit(str(url or "")).hostname or ""
    return host.removeprefix("www.")


@register.simple_tag(takes_context=True)
def rich_link(context, link):
    """`{% rich_link value as html %}`: the LinkBlock's markup, '' for an unpublished page.

    What `{% include_block value %}` writes, without copying the whole template context;
    the page's URL is found through the request (its site root paths, read once).
    """
    return link_html(link, context.get("request"))


@register.simple_tag
def rendition(image, spec):
    """`{% rendition image "max-1600x1600" as photo %}`: as `{% image ... as photo %}`.

    Taken from the image's prefetched renditions when a listing prefetched them, without
    writing each one back to the cache on every request as `{% image %}` does.
    """
    return get_renditions_or_not_found(image, (spec,))[spec]


# The outline of each icon editors can pick for a value (home.blocks.ValueBlock.ICONS).
ICON_PATHS = {
    "shield": "M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5l-8-3z",
    "heart": (
        "M12 21s-7.5-4.6-9.5-9.2C1.1 8.4 3.2 4.5 7 4.5c2.1 0 3.6 1.1 5 3 "
        "1.4-1.9 2.9-3 5-3 3.8 0 5.9 3.9 4.5 7.3C19.5 16.4 12 21 12 21z"
    ),
    "scales": (
        "M11 3h2v2.1l6 1.5V8h-1.2l2.7 6.3c0 1.9-1.6 3.2-3.5 3.2s-3.5-1.3-3.5-3.2L16.2 8H13v11h4"
        "v2H7v-2h4V8H7.8l2.7 6.3c0 1.9-1.6 3.2-3.5 3.2s-3.5-1.3-3.5-3.2L6.2 8H5V6.6l6-1.5V3zm6 "
        "6.2-1.7 4.8h3.4L17 9.2zM7 9.2 5.3 14h3.4L7 9.2z"
    ),
    "star": "m12 2 3.1 6.3 6.9 1-5 4.9 1.2 6.8L12 17.8 5.8 21l1.2-6.8-5-4.9 6.9-1L12 2z",
}
ICON_SVG = (
    '<svg class="icon" viewBox="0 0 24 24" width="40" height="40" aria-hidden="true" '
    'focusable="false">{}</svg>'
)
# Each icon's markup, written once: constants only, nothing from editors goes in.
ICONS = {
    name: mark_safe(ICON_SVG.format(f'<path d="{path}"/>')) for name, path in ICON_PATHS.items()
}
NO_ICON = mark_safe(ICON_SVG.format(""))


@register.simple_tag
def icon(name):
    """`{% icon "shield" %}`: a decorative icon; the text beside it carries the meaning.

    Markup written once per process, rather than a template included for each use.
    """
    return ICONS.get(name, NO_ICON)

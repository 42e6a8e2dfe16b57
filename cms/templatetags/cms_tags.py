"""Small template helpers for labels that templates cannot reach on their own."""

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django import template
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from wagtail.images.shortcuts import get_renditions_or_not_found

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
    from events.models import EventPage  # noqa: PLC0415

    events = (
        EventPage.objects.live()
        .exclude(private_pages_q())  # `.public()`, the restrictions read once per request
        .smop()
        .past()
        .exclude(starts_at=None)
    )
    return list(events[:count])


@register.filter
def domain(url):
    """The site a link leads to, e.g. 'who.int' for https://www.who.int/...; '' if none."""
    host = urlsplit(str(url or "")).hostname or ""
    return host.removeprefix("www.")


@register.simple_tag(takes_context=True)
def link_href(context, link):
    """A LinkBlock's `href`, with the page's URL found through the request.

    `{% link_href value as href %}`: the same as `value.href`, but the site root paths
    behind the URL come from the request, read once, not once per linked page.
    """
    page = link.get("page")
    if page:
        return page.get_url(context.get("request")) if page.live else ""
    return link.get("url") or ""


@register.simple_tag
def rendition(image, spec):
    """`{% rendition image "max-1600x1600" as photo %}`: as `{% image ... as photo %}`.

    Taken from the image's prefetched renditions when a listing prefetched them, without
    writing each one back to the cache on every request as `{% image %}` does.
    """
    return get_renditions_or_not_found(image, (spec,))[spec]

"""iCalendar (RFC 5545) files for events: one event's download and the index's feed.

Only events with a known day go into a calendar: a calendar entry needs a day, and
an event known only by its month or year would show as a false all-month or
all-year block (and one with no date cannot be placed at all). Those events keep
their page; they simply have no .ics.

Events with times carry their own zone (TZID plus a VTIMEZONE), so a conference in
Chicago shows at the right hour in a Karachi calendar; date-only events are all-day
entries (VALUE=DATE, with the exclusive DTEND the standard asks for).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Site

from . import dates

PRODUCT_ID = "-//Society of Medical Oncology Pakistan//SMOP CMS//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"
# How often subscribed calendars should look for changes (RFC 7986 and Outlook's name).
REFRESH_INTERVAL = dt.timedelta(hours=12)
CALENDAR_PRECISIONS = {dates.Precision.TIME, dates.Precision.DAY}


def has_calendar_entry(event):
    """True when the event has a day to put in a calendar."""
    return event.date_precision in CALENDAR_PRECISIONS and event.start_date is not None


def event_uid(event, request=None):
    """A UID that stays the same for as long as the event exists, so updates replace it."""
    site = Site.find_for_request(request) if request else None
    host = site.hostname if site else "smop"
    return f"event-{event.pk}@{host}"


def _when(event):
    """(dtstart, dtend) for iCalendar: aware datetimes in the event's zone, or dates."""
    end_date = event.end_date or event.start_date
    if event.date_precision == dates.Precision.TIME and event.start_time:
        tz = ZoneInfo(event.timezone)
        start = dt.datetime.combine(event.start_date, event.start_time, tz)
        if event.end_time:
            end = dt.datetime.combine(end_date, event.end_time, tz)
        else:  # no end time: until the end of the last day, as on the page
            end = dt.datetime.combine(end_date + dt.timedelta(days=1), dt.time.min, tz)
        return start, end
    # All day: DTEND is the day after the last day (exclusive).
    return event.start_date, end_date + dt.timedelta(days=1)


def _description(event, url):
    parts = [event.summary.strip(), event.date_label]
    if event.organiser_label:
        parts.append(event.organiser_label)
    parts.append(url)
    return "\n\n".join(part for part in parts if part)


def _location(event):
    if event.place_label:
        return event.place_label
    if event.format == event.Format.VIRTUAL:
        return event.website_url or ""
    return ""


def vevent(event, request=None, stamp=None):
    """The VEVENT of one dated event; the library does all escaping and folding."""
    url = event.get_full_url(request)
    start, end = _when(event)
    entry = icalendar.Event()
    entry.add("uid", event_uid(event, request))
    entry.add("dtstamp", stamp or timezone.now())
    entry.add("dtstart", start)
    entry.add("dtend", end)
    entry.add("summary", event.title)
    entry.add("description", _description(event, url))
    location = _location(event)
    if location:
        entry.add("location", location)
    if url:
        entry.add("url", url)
    entry.add("categories", [str(event.get_category_display())])
    if event.last_published_at:
        entry.add("last-modified", event.last_published_at)
    return entry


def calendar(events, request=None, name=None):
    """A VCALENDAR holding the dated events among `events`, with their time zones."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("name", name)
        cal.add("x-wr-calname", name)
        cal.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    stamp = timezone.now()
    for event in events:
        if has_calendar_entry(event):
            cal.add_component(vevent(event, request, stamp))
    cal.add_missing_timezones()
    return cal


def ics_response(cal, filename, attachment=True):
    """The calendar as a file named `<filename>.ics`.

    A single event is a download (`attachment`); a subscription feed is `inline`,
    which calendar apps fetch and browsers still save under the same name.
    """
    response = HttpResponse(cal.to_ical(), content_type=CONTENT_TYPE)
    safe_name = slugify(filename) or "calendar"
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{safe_name}.ics"'
    return response


def event_ics_response(event, request):
    """One event as an .ics download named after its slug."""
    return ics_response(calendar([event], request), event.slug)

"""schema.org Event data (JSON-LD) for an event page.

Dates are given only as precisely as they are known: a time with its UTC offset, a
day, a month ("2027-08") or a year ("2027"); an event with no recorded date has no
startDate rather than an invented one.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from cms.seo import compact, root_url

from . import dates

ATTENDANCE_MODES = {
    "in_person": "https://schema.org/OfflineEventAttendanceMode",
    "virtual": "https://schema.org/OnlineEventAttendanceMode",
    "hybrid": "https://schema.org/MixedEventAttendanceMode",
}


def _date_text(precision, day):
    if precision == dates.Precision.YEAR:
        return f"{day.year:04d}"
    if precision == dates.Precision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def start_end(event):
    """(startDate, endDate) as ISO 8601 text at the event's precision, or (None, None)."""
    if event.date_precision == dates.Precision.UNKNOWN or event.start_date is None:
        return None, None
    end_date = event.end_date or event.start_date
    if event.has_times:
        tz = ZoneInfo(event.timezone)
        start = dt.datetime.combine(event.start_date, event.start_time, tz).isoformat()
        if event.end_time:
            return start, dt.datetime.combine(end_date, event.end_time, tz).isoformat()
        return start, end_date.isoformat()
    precision = event.date_precision
    return _date_text(precision, event.start_date), _date_text(precision, end_date)


def _place(event):
    address = compact(
        {
            "@type": "PostalAddress",
            "addressLocality": event.city,
            "addressCountry": event.country,
        }
    )
    return compact(
        {
            "@type": "Place",
            "name": event.venue or event.city or event.country,
            "address": address if len(address) > 1 else None,
        }
    )


def _virtual_location(event, url):
    return {"@type": "VirtualLocation", "url": event.website_url or url}


def location(event, url):
    places = []
    if event.format != event.Format.VIRTUAL and event.place_label:
        places.append(_place(event))
    if event.format in (event.Format.VIRTUAL, event.Format.HYBRID):
        places.append(_virtual_location(event, url))
    return places[0] if len(places) == 1 else places


def organizer(event, site_settings, request):
    if event.organiser == event.Organiser.SMOP and site_settings is not None:
        return {
            "@type": "Organization",
            "name": site_settings.organisation_name,
            "url": root_url(request) + "/",
        }
    return compact({"@type": "Organization", "name": event.organiser_label})


def event_data(event, request, site_settings=None, image=None, description=""):
    """The schema.org Event for `event`, ready for json_ld_script."""
    url = event.get_full_url(request)
    start, end = start_end(event)
    return compact(
        {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event.title,
            "description": description or event.summary,
            "url": url,
            "startDate": start,
            "endDate": end,
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": ATTENDANCE_MODES.get(event.format),
            "location": location(event, url),
            "organizer": organizer(event, site_settings, request),
            "performer": [
                {"@type": "Person", "name": speaker.display_name}
                for speaker in event.public_speakers()
                if speaker.display_name
            ],
            "image": [image["url"]] if image else None,
        }
    )

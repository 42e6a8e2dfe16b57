"""Event dates: turning what an editor knows (a day, a month, a year) into instants.

An event stores its dates as entered plus a precision. From them we derive the
UTC instants `starts_at` and `ends_at` (exclusive) that listings filter and sort on,
and the human label a visitor reads.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _


class Precision:
    TIME = "time"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    UNKNOWN = "unknown"


def next_month(day):
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def period_start(precision, day):
    """The first day of the period `day` stands for at this precision (a month, a year)."""
    if precision == Precision.YEAR:
        return dt.date(day.year, 1, 1)
    if precision == Precision.MONTH:
        return day.replace(day=1)
    return day


def span(precision, start_date, start_time, end_date, end_time, tz_name):
    """(starts_at, ends_at) as aware datetimes, ends_at exclusive; (None, None) if undated."""
    if precision == Precision.UNKNOWN or start_date is None:
        return None, None
    tz = ZoneInfo(tz_name)
    end_date = end_date or start_date
    if precision == Precision.YEAR:
        first, after = dt.date(start_date.year, 1, 1), dt.date(end_date.year + 1, 1, 1)
    elif precision == Precision.MONTH:
        first, after = start_date.replace(day=1), next_month(end_date)
    else:
        first, after = start_date, end_date + dt.timedelta(days=1)
    starts_at = dt.datetime.combine(first, dt.time.min, tz)
    ends_at = dt.datetime.combine(after, dt.time.min, tz)
    if precision == Precision.TIME and start_time:
        starts_at = dt.datetime.combine(start_date, start_time, tz)
        if end_time:
            ends_at = dt.datetime.combine(end_date, end_time, tz)
    return starts_at, ends_at


# The labels below are Django's date formats "j F Y", "j F" and "F Y", written out:
# date_format() parses its format string on every call, and a listing formats
# several dates per card. `months` maps 1 to 12 to the month names: Django's own
# (translated when shown) unless a listing passes them translated once.
def _day(value, months):
    return f"{value.day} {months[value.month]} {value.year:04d}"


def _day_month(value, months):
    return f"{value.day} {months[value.month]}"


def _month(value, months):
    return f"{months[value.month]} {value.year:04d}"


def date_label(precision, start_date, end_date, months=MONTHS):
    """'5–7 February 2021', 'August 2021', '2022' or 'Date not recorded'."""
    if precision == Precision.UNKNOWN or start_date is None:
        return _("Date not recorded")
    end_date = end_date or start_date
    if precision == Precision.YEAR:
        if end_date.year == start_date.year:
            return str(start_date.year)
        return f"{start_date.year}–{end_date.year}"
    if precision == Precision.MONTH:
        start, end = _month(start_date, months), _month(end_date, months)
        return start if start == end else f"{start} – {end}"
    if start_date == end_date:
        return _day(start_date, months)
    if (start_date.year, start_date.month) == (end_date.year, end_date.month):
        return f"{start_date.day}–{_day(end_date, months)}"
    if start_date.year == end_date.year:
        return f"{_day_month(start_date, months)} – {_day(end_date, months)}"
    return f"{_day(start_date, months)} – {_day(end_date, months)}"

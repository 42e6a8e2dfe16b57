"""From what an editor knows of an event's dates to instants and labels."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo, available_timezones

import pytest
from django.core.management import call_command

from events.dates import Precision, date_label, next_month, period_start, span
from events.models import DEFAULT_TIMEZONE, TIMEZONE_CHOICES, EventPage

KARACHI = ZoneInfo("Asia/Karachi")
TOKYO = ZoneInfo("Asia/Tokyo")
UTC = dt.UTC


def at(year, month, day, hour=0, minute=0, tz=KARACHI):
    return dt.datetime(year, month, day, hour, minute, tzinfo=tz)


@pytest.mark.parametrize(
    ("precision", "start", "start_time", "end", "end_time", "expected"),
    [
        pytest.param(
            Precision.DAY,
            dt.date(2021, 2, 20),
            None,
            None,
            None,
            (at(2021, 2, 20), at(2021, 2, 21)),
            id="one day: the whole day",
        ),
        pytest.param(
            Precision.DAY,
            dt.date(2021, 2, 5),
            None,
            dt.date(2021, 2, 7),
            None,
            (at(2021, 2, 5), at(2021, 2, 8)),
            id="several days: up to the end of the last",
        ),
        pytest.param(
            Precision.DAY,
            dt.date(2021, 2, 5),
            dt.time(9),
            dt.date(2021, 2, 7),
            dt.time(17),
            (at(2021, 2, 5), at(2021, 2, 8)),
            id="times are ignored for whole days",
        ),
        pytest.param(
            Precision.TIME,
            dt.date(2021, 8, 29),
            dt.time(7),
            dt.date(2021, 9, 3),
            dt.time(13, 30),
            (at(2021, 8, 29, 7), at(2021, 9, 3, 13, 30)),
            id="times: exact instants",
        ),
        pytest.param(
            Precision.TIME,
            dt.date(2021, 8, 29),
            dt.time(7),
            None,
            None,
            (at(2021, 8, 29, 7), at(2021, 8, 30)),
            id="a start time only: until the end of the day",
        ),
        pytest.param(
            Precision.MONTH,
            dt.date(2021, 8, 17),
            None,
            None,
            None,
            (at(2021, 8, 1), at(2021, 9, 1)),
            id="month: the whole month, whatever day was entered",
        ),
        pytest.param(
            Precision.MONTH,
            dt.date(2021, 12, 5),
            None,
            None,
            None,
            (at(2021, 12, 1), at(2022, 1, 1)),
            id="December ends in the next year",
        ),
        pytest.param(
            Precision.YEAR,
            dt.date(2022, 6, 3),
            None,
            None,
            None,
            (at(2022, 1, 1), at(2023, 1, 1)),
            id="year: the whole year",
        ),
        pytest.param(
            Precision.YEAR,
            dt.date(2021, 6, 3),
            None,
            dt.date(2022, 2, 1),
            None,
            (at(2021, 1, 1), at(2023, 1, 1)),
            id="years: to the end of the last",
        ),
        pytest.param(
            Precision.UNKNOWN,
            dt.date(2022, 6, 3),
            None,
            None,
            None,
            (None, None),
            id="not recorded",
        ),
        pytest.param(Precision.DAY, None, None, None, None, (None, None), id="no start date"),
    ],
)
def test_span(precision, start, start_time, end, end_time, expected):
    assert span(precision, start, start_time, end, end_time, "Asia/Karachi") == expected


def test_span_is_in_the_events_own_timezone():
    starts_at, ends_at = span(
        Precision.DAY, dt.date(2022, 10, 20), None, dt.date(2022, 10, 22), None, "Asia/Tokyo"
    )
    assert starts_at == at(2022, 10, 20, tz=TOKYO) == dt.datetime(2022, 10, 19, 15, tzinfo=UTC)
    assert ends_at == at(2022, 10, 23, tz=TOKYO) == dt.datetime(2022, 10, 22, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("precision", "start", "end", "label"),
    [
        (Precision.DAY, dt.date(2021, 2, 20), None, "20 February 2021"),
        (Precision.DAY, dt.date(2021, 2, 20), dt.date(2021, 2, 20), "20 February 2021"),
        (Precision.DAY, dt.date(2021, 2, 5), dt.date(2021, 2, 7), "5–7 February 2021"),
        (Precision.TIME, dt.date(2021, 2, 5), dt.date(2021, 2, 7), "5–7 February 2021"),
        (
            Precision.DAY,
            dt.date(2021, 8, 29),
            dt.date(2021, 9, 3),
            "29 August – 3 September 2021",
        ),
        (
            Precision.DAY,
            dt.date(2021, 12, 30),
            dt.date(2022, 1, 2),
            "30 December 2021 – 2 January 2022",
        ),
        (Precision.MONTH, dt.date(2021, 8, 6), None, "August 2021"),
        (Precision.MONTH, dt.date(2021, 8, 6), dt.date(2021, 8, 8), "August 2021"),
        (Precision.MONTH, dt.date(2022, 6, 1), dt.date(2022, 7, 1), "June 2022 – July 2022"),
        (Precision.YEAR, dt.date(2022, 1, 1), None, "2022"),
        (Precision.YEAR, dt.date(2021, 1, 1), dt.date(2022, 1, 1), "2021–2022"),
        (Precision.UNKNOWN, None, None, "Date not recorded"),
        (Precision.UNKNOWN, dt.date(2022, 1, 1), None, "Date not recorded"),
        (Precision.DAY, None, None, "Date not recorded"),
    ],
)
def test_date_label(precision, start, end, label):
    assert date_label(precision, start, end) == label


@pytest.mark.parametrize(
    ("day", "first_of_next"),
    [(dt.date(2021, 1, 31), dt.date(2021, 2, 1)), (dt.date(2021, 12, 1), dt.date(2022, 1, 1))],
)
def test_next_month(day, first_of_next):
    assert next_month(day) == first_of_next


@pytest.mark.parametrize(
    ("precision", "day", "first"),
    [
        (Precision.TIME, dt.date(2021, 8, 29), dt.date(2021, 8, 29)),
        (Precision.DAY, dt.date(2021, 8, 29), dt.date(2021, 8, 29)),
        (Precision.MONTH, dt.date(2021, 8, 29), dt.date(2021, 8, 1)),
        (Precision.YEAR, dt.date(2021, 8, 29), dt.date(2021, 1, 1)),
    ],
)
def test_period_start(precision, day, first):
    assert period_start(precision, day) == first


def test_a_month_only_event_ending_on_an_earlier_day_of_its_month_spans_the_month():
    # Any day stands for the month, so the days entered may be in either order.
    assert span(
        Precision.MONTH, dt.date(2021, 8, 20), None, dt.date(2021, 8, 5), None, "Asia/Karachi"
    ) == (at(2021, 8, 1), at(2021, 9, 1))


def zone_names():
    return [zone for _region, zones in TIMEZONE_CHOICES for zone, _label in zones]


def test_time_zones_are_a_short_fixed_list_pakistan_first():
    names = zone_names()
    assert names[0] == DEFAULT_TIMEZONE == "Asia/Karachi"
    assert 30 <= len(names) <= 40
    assert len(set(names)) == len(names)
    # Every zone the seeded events use, and none of the host's odd entries.
    seeded = {"America/Chicago", "Asia/Seoul", "Asia/Tokyo", "Europe/Istanbul", "Asia/Karachi"}
    assert seeded <= set(names)
    assert {"localtime", "Factory", "posixrules"}.isdisjoint(names)


def test_every_listed_zone_is_a_real_region_zone():
    assert set(zone_names()) <= available_timezones()
    for name in zone_names():
        ZoneInfo(name)  # raises if the zone is unknown


def test_zone_labels_name_the_city_and_country():
    labels = dict(EventPage._meta.get_field("timezone").flatchoices)
    assert labels["Asia/Karachi"] == "Karachi (Pakistan)"
    assert labels["America/Chicago"] == "Chicago (United States, Central)"
    assert EventPage(timezone="Asia/Tokyo").timezone_city == "Tokyo"


@pytest.mark.django_db
def test_the_events_models_match_their_migrations():
    # The choices used to come from the host's tz database, so another machine saw changes.
    out = StringIO()
    call_command("makemigrations", "events", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()

"""Calendars and feeds: each event's .ics, the index's iCalendar subscription and RSS."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import icalendar
import time_machine
from defusedxml import ElementTree as ET
from django.core.exceptions import ValidationError
from django.test import TestCase
from wagtail.models import PageViewRestriction

from events import feeds
from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import EventPage
from home.factories import make_site_root

UTC = dt.UTC
KARACHI = ZoneInfo("Asia/Karachi")
CHICAGO = ZoneInfo("America/Chicago")
# Every test runs on this day, so which events are upcoming never changes.
TODAY = dt.datetime(2026, 3, 1, 12, tzinfo=UTC)
ATOM = "{http://www.w3.org/2005/Atom}"


def parse(response):
    return icalendar.Calendar.from_ical(response.content)


@time_machine.travel(TODAY, tick=False)
class CalendarTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.index = EventIndexPageFactory(parent=cls.home, slug="events")

    def make_event(self, **kwargs):
        return EventPageFactory(parent=self.index, **kwargs)

    def timed(self, **kwargs):
        values = {
            "date_precision": EventPage.DatePrecision.TIME,
            "start_date": dt.date(2026, 4, 10),
            "start_time": dt.time(9),
            "end_time": dt.time(17, 30),
        }
        return self.make_event(**{**values, **kwargs})


class EventIcsTests(CalendarTestCase):
    def get_ics(self, event):
        response = self.client.get(event.ics_url)
        self.assertEqual(response.status_code, 200)
        return response

    def test_a_timed_event_is_a_download_in_its_own_time_zone(self):
        event = self.timed(title="Lung Cancer Update", venue="Pearl Continental", city="Lahore")
        response = self.get_ics(event)

        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertEqual(
            response["Content-Disposition"], f'attachment; filename="{event.slug}.ics"'
        )
        cal = parse(response)
        [entry] = cal.events
        self.assertEqual(entry.start, dt.datetime(2026, 4, 10, 9, tzinfo=KARACHI))
        self.assertEqual(entry.end, dt.datetime(2026, 4, 10, 17, 30, tzinfo=KARACHI))
        self.assertEqual(entry["DTSTART"].params["TZID"], "Asia/Karachi")
        self.assertEqual([str(tz["TZID"]) for tz in cal.timezones], ["Asia/Karachi"])
        self.assertEqual(str(entry["SUMMARY"]), "Lung Cancer Update")
        self.assertEqual(str(entry["LOCATION"]), "Pearl Continental, Lahore, Pakistan")
        self.assertEqual(str(entry["URL"]), f"http://localhost/events/{event.slug}/")
        self.assertIn(event.summary, str(entry["DESCRIPTION"]))
        self.assertEqual(entry["DTSTAMP"].dt, TODAY)
        self.assertEqual(str(cal["VERSION"]), "2.0")
        self.assertTrue(str(cal["PRODID"]))

    def test_an_event_abroad_keeps_its_zone_and_the_right_instant(self):
        event = self.timed(timezone="America/Chicago", start_date=dt.date(2026, 6, 1))
        [entry] = parse(self.get_ics(event)).events
        self.assertEqual(entry["DTSTART"].params["TZID"], "America/Chicago")
        # 09:00 Central Daylight Time is 14:00 UTC, 19:00 in Karachi.
        self.assertEqual(entry.start.astimezone(UTC), dt.datetime(2026, 6, 1, 14, tzinfo=UTC))
        self.assertEqual(entry.start, event.starts_at)

    def test_a_timed_event_without_an_end_time_lasts_to_the_end_of_its_last_day(self):
        event = self.timed(end_date=dt.date(2026, 4, 11), end_time=None)
        [entry] = parse(self.get_ics(event)).events
        self.assertEqual(entry.end, dt.datetime(2026, 4, 12, tzinfo=KARACHI))

    def test_a_date_only_event_is_all_day_with_an_exclusive_end(self):
        event = self.make_event(start_date=dt.date(2026, 4, 10), end_date=dt.date(2026, 4, 12))
        response = self.get_ics(event)
        [entry] = parse(response).events
        self.assertEqual(entry.start, dt.date(2026, 4, 10))
        self.assertEqual(entry.end, dt.date(2026, 4, 13))
        self.assertIn(b"DTSTART;VALUE=DATE:20260410", response.content)
        self.assertIn(b"DTEND;VALUE=DATE:20260413", response.content)
        self.assertEqual(parse(response).timezones, [])

    def test_the_uid_is_stable_and_unique_per_event(self):
        first, second = self.timed(), self.timed()
        uid = str(parse(self.get_ics(first)).events[0]["UID"])
        self.assertEqual(str(parse(self.get_ics(first)).events[0]["UID"]), uid)
        self.assertNotEqual(str(parse(self.get_ics(second)).events[0]["UID"]), uid)

    def test_text_is_escaped_by_the_library(self):
        title = "Tumour board; lungs, breast\\ and more\nsecond line"
        event = self.timed(title=title, venue="Hall A; Block 2")
        [entry] = parse(self.get_ics(event)).events
        self.assertEqual(str(entry["SUMMARY"]), title)
        self.assertEqual(str(entry["LOCATION"]), "Hall A; Block 2, Lahore, Pakistan")

    def test_events_without_a_known_day_have_no_ics(self):
        for precision, start in (
            (EventPage.DatePrecision.MONTH, dt.date(2026, 8, 1)),
            (EventPage.DatePrecision.YEAR, dt.date(2027, 1, 1)),
        ):
            event = self.make_event(date_precision=precision, start_date=start)
            self.assertIsNone(event.ics_url)
            response = self.client.get(f"{event.url}calendar/")
            self.assertEqual(response.status_code, 404)
        undated = self.make_event(undated=True)
        self.assertIsNone(undated.ics_url)
        self.assertEqual(self.client.get(f"{undated.url}calendar/").status_code, 404)

    def test_the_ics_url_is_under_the_event(self):
        event = self.timed(slug="lung-update")
        self.assertEqual(event.ics_url, "/events/lung-update/calendar/")

    def test_a_draft_event_has_no_ics(self):
        event = self.timed(live=False)
        response = self.client.get(f"/events/{event.slug}/calendar/")
        self.assertEqual(response.status_code, 404)

    def test_a_view_restricted_event_has_no_public_ics(self):
        members_only = self.timed()
        PageViewRestriction.objects.create(
            page=members_only, restriction_type=PageViewRestriction.LOGIN
        )
        response = self.client.get(members_only.ics_url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/_util/login/", response["Location"])

        protected = self.timed()
        PageViewRestriction.objects.create(
            page=protected, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
        response = self.client.get(protected.ics_url)
        self.assertNotIn("text/calendar", response["Content-Type"])
        self.assertNotContains(response, "BEGIN:VEVENT", status_code=response.status_code)

    def test_an_event_cannot_take_a_slug_the_index_answers(self):
        event = self.timed()
        for slug in ("calendar", "feed"):
            event.slug = slug
            with self.assertRaises(ValidationError) as caught:
                event.full_clean()
            self.assertIn("slug", caught.exception.message_dict)


class IndexFeedsTestCase(CalendarTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make = lambda **kwargs: EventPageFactory(parent=cls.index, **kwargs)  # noqa: E731
        make(title="Later conference", start_date=dt.date(2026, 9, 5))
        make(
            title="Soon symposium",
            date_precision=EventPage.DatePrecision.TIME,
            start_date=dt.date(2026, 3, 20),
            start_time=dt.time(18),
            end_time=dt.time(20),
            timezone="Asia/Dubai",
        )
        make(title="Running now", start_date=dt.date(2026, 2, 28), end_date=dt.date(2026, 3, 2))
        make(title="Past workshop", start_date=dt.date(2025, 11, 1))
        make(title="Draft meeting", start_date=dt.date(2026, 5, 1), live=False)
        make(
            title="Month-only congress",
            date_precision=EventPage.DatePrecision.MONTH,
            start_date=dt.date(2026, 10, 1),
        )
        private = make(title="Members-only meeting", start_date=dt.date(2026, 5, 2))
        PageViewRestriction.objects.create(
            page=private, restriction_type=PageViewRestriction.LOGIN
        )
        other_index = EventIndexPageFactory(parent=cls.home, slug="other-events")
        EventPageFactory(parent=other_index, title="Elsewhere", start_date=dt.date(2026, 5, 3))


class CalendarFeedTests(IndexFeedsTestCase):
    def get_calendar(self):
        response = self.client.get(self.index.calendar_url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        return parse(response)

    def test_the_index_offers_a_calendar_subscription(self):
        self.assertEqual(self.index.calendar_url, "/events/calendar/")

    def test_it_holds_the_upcoming_dated_public_events_soonest_first(self):
        cal = self.get_calendar()
        titles = [str(entry["SUMMARY"]) for entry in cal.events]
        # Month-only events have no day to place; past, draft and private ones never show.
        self.assertEqual(titles, ["Running now", "Soon symposium", "Later conference"])
        self.assertEqual([str(tz["TZID"]) for tz in cal.timezones], ["Asia/Dubai"])
        soon = cal.events[1]
        self.assertEqual(soon.start, dt.datetime(2026, 3, 20, 18, tzinfo=ZoneInfo("Asia/Dubai")))
        self.assertIn("X-WR-CALNAME", cal)

    def test_it_is_bounded(self):
        with mock.patch.object(feeds, "FEED_SIZE", 2):
            cal = self.get_calendar()
        self.assertEqual(len(cal.events), 2)

    def test_uids_match_the_single_event_downloads(self):
        event = EventPage.objects.get(title="Later conference")
        single = parse(self.client.get(event.ics_url)).events[0]
        feed_uids = {str(entry["UID"]) for entry in self.get_calendar().events}
        self.assertIn(str(single["UID"]), feed_uids)


class RssFeedTests(IndexFeedsTestCase):
    def get_channel(self):
        response = self.client.get(self.index.feed_url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("application/rss+xml"))
        return ET.fromstring(response.content).find("channel")

    def test_the_index_offers_an_rss_feed(self):
        self.assertEqual(self.index.feed_url, "/events/feed/")

    def test_it_lists_upcoming_public_events_soonest_first(self):
        channel = self.get_channel()
        items = channel.findall("item")
        self.assertEqual(
            [item.findtext("title") for item in items],
            ["Running now", "Soon symposium", "Later conference", "Month-only congress"],
        )
        later = EventPage.objects.get(title="Later conference")
        self.assertEqual(items[2].findtext("link"), f"http://localhost{later.url}")
        self.assertIn("5 September 2026", items[2].findtext("description"))
        self.assertEqual(channel.findtext("link"), "http://localhost/events/")
        self_link = channel.find(f"{ATOM}link")
        self.assertEqual(self_link.get("href"), "http://localhost/events/feed/")

    def test_it_never_shows_drafts_private_past_or_other_indexes_events(self):
        body = ET.tostring(self.get_channel(), encoding="unicode")
        for title in ("Draft meeting", "Members-only meeting", "Past workshop", "Elsewhere"):
            self.assertNotIn(title, body)

    def test_it_is_bounded(self):
        with mock.patch.object(feeds, "FEED_SIZE", 2):
            self.assertEqual(len(self.get_channel().findall("item")), 2)

    def test_the_index_head_links_both_feeds(self):
        html = self.client.get(self.index.url).content.decode()
        self.assertIn(
            '<link rel="alternate" type="application/rss+xml" title="Upcoming events (RSS)" '
            'href="http://localhost/events/feed/">',
            html,
        )
        self.assertIn(
            '<link rel="alternate" type="text/calendar" title="Upcoming events (calendar)" '
            'href="http://localhost/events/calendar/">',
            html,
        )

    def test_a_view_restricted_index_keeps_its_feeds_private(self):
        private = EventIndexPageFactory(parent=self.home, slug="members-events")
        EventPageFactory(parent=private, start_date=dt.date(2026, 5, 5))
        PageViewRestriction.objects.create(
            page=private, restriction_type=PageViewRestriction.LOGIN
        )
        for url in (private.feed_url, private.calendar_url):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn("/_util/login/", response["Location"])

    def test_a_draft_index_has_no_feeds(self):
        draft = EventIndexPageFactory(parent=self.home, slug="draft-events", live=False)
        EventPageFactory(parent=draft, start_date=dt.date(2026, 5, 5))
        self.assertEqual(self.client.get("/draft-events/feed/").status_code, 404)
        self.assertEqual(self.client.get("/draft-events/calendar/").status_code, 404)

"""Upcoming and past are derived from an event's dates and timezone, never set by hand."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.test import TestCase

from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import EventPage
from home.factories import make_site_root

KARACHI = ZoneInfo("Asia/Karachi")
TOKYO = ZoneInfo("Asia/Tokyo")
ISTANBUL = ZoneInfo("Europe/Istanbul")


def karachi(*args):
    return dt.datetime(*args, tzinfo=KARACHI)


def titles(pages):
    return [page.title for page in pages]


class EventDatesTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.index = EventIndexPageFactory(parent=make_site_root())

    def make_event(self, **kwargs):
        return EventPageFactory(parent=self.index, **kwargs)


class DerivedInstantsTests(EventDatesTestCase):
    def test_save_derives_starts_at_and_ends_at(self):
        event = self.make_event(start_date=dt.date(2021, 2, 5), end_date=dt.date(2021, 2, 7))
        event.refresh_from_db()
        self.assertEqual(event.starts_at, karachi(2021, 2, 5))
        self.assertEqual(event.ends_at, karachi(2021, 2, 8))

    def test_editing_the_dates_moves_the_instants(self):
        event = self.make_event(start_date=dt.date(2021, 2, 5))
        event.date_precision = EventPage.DatePrecision.TIME
        event.start_time = dt.time(7)
        event.end_time = dt.time(9, 30)
        event.save()
        event.refresh_from_db()
        self.assertEqual(event.starts_at, karachi(2021, 2, 5, 7))
        self.assertEqual(event.ends_at, karachi(2021, 2, 5, 9, 30))

    def test_publishing_a_revision_keeps_the_instants(self):
        event = self.make_event(start_date=dt.date(2022, 6, 3), end_date=dt.date(2022, 6, 7))
        event.save_revision().publish()
        event = EventPage.objects.get(pk=event.pk)
        self.assertEqual(event.ends_at, karachi(2022, 6, 8))

    def test_an_undated_event_has_no_instants(self):
        event = self.make_event(undated=True)
        event.refresh_from_db()
        self.assertIsNone(event.starts_at)
        self.assertIsNone(event.ends_at)
        self.assertEqual(event.date_label, "Date not recorded")

    def test_an_event_in_tokyo_is_stored_in_utc_from_tokyo_dates(self):
        event = self.make_event(
            title="JSCO Frontier Symposium",
            start_date=dt.date(2022, 10, 20),
            end_date=dt.date(2022, 10, 22),
            timezone="Asia/Tokyo",
        )
        event.refresh_from_db()
        self.assertEqual(event.starts_at, dt.datetime(2022, 10, 19, 15, tzinfo=dt.UTC))
        self.assertEqual(event.ends_at, dt.datetime(2022, 10, 22, 15, tzinfo=dt.UTC))
        self.assertEqual(event.date_label, "20–22 October 2022")


class UpcomingAndPastTests(EventDatesTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make = EventPageFactory
        cls.symposium = make(
            parent=cls.index, title="Breast Cancer Symposium", start_date=dt.date(2021, 2, 20)
        )
        cls.asco = make(
            parent=cls.index,
            title="Best of ASCO21",
            date_precision=EventPage.DatePrecision.DAY,
            start_date=dt.date(2021, 8, 6),
            end_date=dt.date(2021, 8, 8),
        )
        cls.year_only = make(
            parent=cls.index,
            title="Best of ASCO2022 Pakistan",
            date_precision=EventPage.DatePrecision.YEAR,
            start_date=dt.date(2022, 1, 1),
        )
        cls.undated_b = make(
            parent=cls.index, title="New Frontier In Immuno-Oncology", undated=True
        )
        cls.undated_a = make(
            parent=cls.index, title="Comprehensive Review Of Hormone Positive", undated=True
        )

    def upcoming(self):
        return titles(EventPage.objects.child_of(self.index).upcoming())

    def past(self):
        return titles(EventPage.objects.child_of(self.index).past())

    def test_before_everything_all_dated_events_are_upcoming_soonest_first(self):
        with time_machine.travel(karachi(2021, 1, 1), tick=False):
            self.assertEqual(
                self.upcoming(),
                ["Breast Cancer Symposium", "Best of ASCO21", "Best of ASCO2022 Pakistan"],
            )
            self.assertTrue(self.symposium.is_upcoming)

    def test_undated_events_count_as_past_and_sort_last(self):
        with time_machine.travel(karachi(2021, 1, 1), tick=False):
            self.assertEqual(
                self.past(),
                ["Comprehensive Review Of Hormone Positive", "New Frontier In Immuno-Oncology"],
            )
            self.assertFalse(self.undated_a.is_upcoming)
        with time_machine.travel(karachi(2030, 1, 1), tick=False):
            self.assertEqual(self.upcoming(), [])
            self.assertEqual(
                self.past(),
                [
                    "Best of ASCO2022 Pakistan",
                    "Best of ASCO21",
                    "Breast Cancer Symposium",
                    "Comprehensive Review Of Hormone Positive",
                    "New Frontier In Immuno-Oncology",
                ],
            )

    def test_an_event_ending_today_is_upcoming_until_the_day_ends(self):
        with time_machine.travel(karachi(2021, 2, 20, 23, 59), tick=False):
            self.assertIn("Breast Cancer Symposium", self.upcoming())
            self.assertNotIn("Breast Cancer Symposium", self.past())
            self.assertTrue(self.symposium.is_upcoming)
        with time_machine.travel(karachi(2021, 2, 21, 0, 0), tick=False):
            self.assertNotIn("Breast Cancer Symposium", self.upcoming())
            self.assertEqual(self.past()[0], "Breast Cancer Symposium")
            self.assertFalse(self.symposium.is_upcoming)

    def test_a_running_multi_day_event_is_upcoming(self):
        with time_machine.travel(karachi(2021, 8, 7, 12), tick=False):
            self.assertEqual(self.upcoming()[0], "Best of ASCO21")

    def test_a_year_only_event_is_upcoming_all_year(self):
        with time_machine.travel(karachi(2022, 12, 31, 23, 59), tick=False):
            self.assertEqual(self.upcoming(), ["Best of ASCO2022 Pakistan"])
        with time_machine.travel(karachi(2023, 1, 1), tick=False):
            self.assertEqual(self.upcoming(), [])

    def test_an_event_with_times_ends_at_its_end_time(self):
        event = self.make_event(
            title="Protocol workshop",
            date_precision=EventPage.DatePrecision.TIME,
            start_date=dt.date(2021, 8, 29),
            start_time=dt.time(7),
            end_date=dt.date(2021, 9, 3),
            end_time=dt.time(13),
        )
        with time_machine.travel(karachi(2021, 9, 3, 12, 59), tick=False):
            self.assertTrue(event.is_upcoming)
        with time_machine.travel(karachi(2021, 9, 3, 13, 0), tick=False):
            self.assertFalse(event.is_upcoming)
            self.assertNotIn("Protocol workshop", self.upcoming())

    def test_an_event_in_tokyo_ends_at_midnight_in_tokyo(self):
        event = self.make_event(
            title="JSCO Frontier Symposium",
            start_date=dt.date(2022, 10, 20),
            end_date=dt.date(2022, 10, 22),
            timezone="Asia/Tokyo",
        )
        # 23:00 in Tokyo on the last day: still running.
        with time_machine.travel(dt.datetime(2022, 10, 22, 23, tzinfo=TOKYO), tick=False):
            self.assertTrue(event.is_upcoming)
            self.assertIn("JSCO Frontier Symposium", self.upcoming())
        # Midnight in Tokyo is only 20:00 on the 22nd in Karachi, but the event is over.
        with time_machine.travel(karachi(2022, 10, 22, 20), tick=False):
            self.assertFalse(event.is_upcoming)
            self.assertIn("JSCO Frontier Symposium", self.past())


class MonthOnlyBoundaryTests(EventDatesTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.event = EventPageFactory(
            parent=cls.index,
            title="Best of ASCO21",
            date_precision=EventPage.DatePrecision.MONTH,
            start_date=dt.date(2021, 8, 17),
        )

    def test_upcoming_until_the_month_ends_in_karachi(self):
        with time_machine.travel(karachi(2021, 8, 31, 23), tick=False):
            self.assertTrue(self.event.is_upcoming)
            self.assertEqual(self.upcoming(), ["Best of ASCO21"])
            self.assertEqual(self.past(), [])
        with time_machine.travel(karachi(2021, 9, 1, 0, 1), tick=False):
            self.assertFalse(self.event.is_upcoming)
            self.assertEqual(self.upcoming(), [])
            self.assertEqual(self.past(), ["Best of ASCO21"])

    def upcoming(self):
        return titles(EventPage.objects.child_of(self.index).upcoming())

    def past(self):
        return titles(EventPage.objects.child_of(self.index).past())


class RegistrationOpenTests(EventDatesTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.event = EventPageFactory(
            parent=cls.index,
            start_date=dt.date(2022, 10, 5),
            end_date=dt.date(2022, 10, 8),
            registration_url="https://example.org/register",
            registration_deadline=dt.date(2022, 7, 17),
        )

    def test_open_until_the_end_of_the_deadline_day(self):
        with time_machine.travel(karachi(2022, 7, 17, 23, 59), tick=False):
            self.assertTrue(self.event.registration_open)
        with time_machine.travel(karachi(2022, 7, 18), tick=False):
            self.assertFalse(self.event.registration_open)

    def test_without_a_deadline_open_while_the_event_is_upcoming(self):
        self.event.registration_deadline = None
        with time_machine.travel(karachi(2022, 10, 8, 23), tick=False):
            self.assertTrue(self.event.registration_open)
        with time_machine.travel(karachi(2022, 10, 9), tick=False):
            self.assertFalse(self.event.registration_open)

    def test_never_open_once_the_event_is_past(self):
        self.event.registration_deadline = dt.date(2030, 1, 1)
        with time_machine.travel(karachi(2022, 10, 9), tick=False):
            self.assertFalse(self.event.registration_open)

    def test_never_open_without_a_registration_link(self):
        self.event.registration_url = ""
        with time_machine.travel(karachi(2022, 7, 1), tick=False):
            self.assertFalse(self.event.registration_open)


class RegistrationDeadlineInTheEventsZoneTests(EventDatesTestCase):
    """EHOC 2022 took registrations until 17 July, Istanbul time (two hours behind Karachi)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.event = EventPageFactory(
            parent=cls.index,
            category=EventPage.Category.INTERNATIONAL,
            organiser=EventPage.Organiser.EXTERNAL,
            organiser_name="EHOC 2022 congress organisers",
            start_date=dt.date(2022, 10, 5),
            end_date=dt.date(2022, 10, 8),
            timezone="Europe/Istanbul",
            registration_url="https://example.org/register",
            registration_deadline=dt.date(2022, 7, 17),
        )

    def test_open_while_it_is_still_the_deadline_day_in_istanbul(self):
        # 23:30 on the 17th in Istanbul is already 01:30 on the 18th in Karachi.
        with time_machine.travel(dt.datetime(2022, 7, 17, 23, 30, tzinfo=ISTANBUL), tick=False):
            self.assertTrue(self.event.registration_open)

    def test_closed_once_the_deadline_day_ends_in_istanbul(self):
        with time_machine.travel(dt.datetime(2022, 7, 18, 0, 30, tzinfo=ISTANBUL), tick=False):
            self.assertFalse(self.event.registration_open)

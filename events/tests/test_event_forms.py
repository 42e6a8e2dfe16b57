"""Event pages created through the admin's forms, their validation, and what visitors see."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from wagtail.test.utils.form_data import rich_text, streamfield

from cms.factories import DocumentFactory
from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import EventIndexPage, EventPage
from home.factories import make_site_root
from people.factories import PersonFactory
from tests.helpers import AdminPageTestCase, formset_messages, page_form

# Every page here is viewed on 1 March 2030 in Karachi.
NOW = dt.datetime(2030, 3, 1, 12, tzinfo=ZoneInfo("Asia/Karachi"))


def event_fields(**overrides):
    """An in-person SMOP workshop on 5–7 April 2030; override what a test varies."""
    fields = {
        "title": "Protocol Development Workshop",
        "category": EventPage.Category.WORKSHOP,
        "format": EventPage.Format.IN_PERSON,
        "organiser": EventPage.Organiser.SMOP,
        "organiser_name": "",
        "summary": "A week of clinical trial design.",
        "body": streamfield([("paragraph", rich_text("<p>Bring a draft protocol.</p>"))]),
        "date_precision": EventPage.DatePrecision.DAY,
        "start_date": "2030-04-05",
        "start_time": "",
        "end_date": "2030-04-07",
        "end_time": "",
        "timezone": "Asia/Karachi",
        "venue": "Falettis Hotel",
        "city": "Lahore",
        "country": "Pakistan",
        "registration_url": "https://example.org/register",
        "registration_deadline": "2030-03-20",
        "website_url": "",
        "cme_credits": "12.5",
        "gallery": "",
        "materials": streamfield([]),
    }
    fields.update(overrides)
    return fields


class EventPageFormTests(AdminPageTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_site_root()
        cls.index = EventIndexPageFactory(parent=cls.home)
        cls.slides = DocumentFactory(title="Opening slides")

    def setUp(self):
        # Travel before logging in, so the admin session is not already expired.
        traveller = time_machine.travel(NOW, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)
        super().setUp()

    def test_event_index_page_created_and_viewed(self):
        data = page_form(
            {
                "title": "Conferences",
                "intro": rich_text("<p>Conferences and workshops.</p>"),
                "no_upcoming_message": "Nothing is scheduled; see past events.",
                "past_per_page": "12",
            }
        )
        self.assertCanCreate(self.home, EventIndexPage, data)

        index = EventIndexPage.objects.get(slug="conferences")
        EventPageFactory(parent=index, title="Breast Cancer Symposium")
        html = self.get_page_html(index)
        self.assertIn("Conferences and workshops.", html)
        self.assertIn("Nothing is scheduled; see past events.", html)
        self.assertIn("Breast Cancer Symposium", html)

    def test_the_index_pages_past_events_and_survives_bad_page_numbers(self):
        self.index.past_per_page = 2
        self.index.save()
        for number in range(3):
            EventPageFactory(parent=self.index, title=f"Past meeting {number}")
        self.client.logout()
        second = self.client.get(self.index.url, {"page": "2"})
        self.assertEqual(len(second.context["past_events"]), 1)
        for page in ("abc", "-1", "0", "99999", ""):
            with self.subTest(page=page):
                response = self.client.get(self.index.url, {"page": page})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Past meeting")

    def test_event_with_programme_speakers_and_materials_created_and_viewed(self):
        speaker = PersonFactory()
        materials = streamfield(
            [
                ("slides", {"document": self.slides.pk, "title": ""}),
                (
                    "recording",
                    {
                        "title": "Day one recording",
                        "url": "https://www.youtube.com/watch?v=abc",
                        "duration": "1 h 20 min",
                    },
                ),
                ("link", {"title": "Workshop handbook", "url": "https://example.org/handbook"}),
            ]
        )
        data = page_form(
            event_fields(materials=materials),
            speakers=[
                {"person": speaker.pk, "name": "", "affiliation": "", "topic": "Trial design"},
                {"person": "", "name": "A guest lecturer", "affiliation": "ESMO", "topic": ""},
            ],
            sessions=[
                session("Opening and objectives", "2030-04-05", "09:00", "09:30"),
                session("Writing the statistics section", "2030-04-06", "10:00", ""),
            ],
        )
        self.assertCanCreate(self.index, EventPage, data)

        event = EventPage.objects.get(slug="protocol-development-workshop")
        self.assertTrue(event.is_upcoming)
        self.assertTrue(event.registration_open)
        self.assertEqual(event.speakers.count(), 2)
        html = self.get_page_html(event)
        for text in (
            "Protocol Development Workshop",
            "A week of clinical trial design.",
            "Bring a draft protocol.",
            "5–7 April 2030",
            "Falettis Hotel",
            "Lahore",
            speaker.first_name,
            "Trial design",
            "A guest lecturer",
            "Opening and objectives",
            "Writing the statistics section",
            "Opening slides",
            "Day one recording",
            "Workshop handbook",
            "https://example.org/register",
        ):
            self.assertIn(text, html)

    def test_registration_link_is_hidden_once_the_event_is_past(self):
        self.assertCanCreate(
            self.index, EventPage, page_form(event_fields(), speakers=[], sessions=[])
        )
        event = EventPage.objects.get(slug="protocol-development-workshop")
        with time_machine.travel(dt.datetime(2030, 4, 8, 1, tzinfo=dt.UTC), tick=False):
            html = self.get_page_html(event)
        self.assertIn("Protocol Development Workshop", html)
        self.assertNotIn("https://example.org/register", html)

    def test_event_with_a_month_only_date(self):
        fields = event_fields(
            title="Best of ASCO Pakistan",
            date_precision=EventPage.DatePrecision.MONTH,
            start_date="2030-08-01",
            end_date="",
        )
        self.assertCanCreate(self.index, EventPage, page_form(fields, speakers=[], sessions=[]))
        event = EventPage.objects.get(slug="best-of-asco-pakistan")
        self.assertIn("August 2030", self.get_page_html(event))

    def test_invalid_dates_and_organiser_are_rejected(self):
        cases = {
            "a dated event without a start date": (
                {"start_date": "", "end_date": ""},
                "start_date",
                "Enter a start date, or choose 'Date not recorded'.",
            ),
            "an end before the start": (
                {"start_date": "2030-04-05", "end_date": "2030-04-04"},
                "end_date",
                "The event cannot end before it starts.",
            ),
            "times without a start time": (
                {"date_precision": EventPage.DatePrecision.TIME, "start_time": ""},
                "start_time",
                "Enter a start time, or choose 'Dates only'.",
            ),
            "an external organiser without a name": (
                {"organiser": EventPage.Organiser.EXTERNAL, "organiser_name": ""},
                "organiser_name",
                "Name the organising body.",
            ),
            "dates on an event marked 'not recorded'": (
                {"date_precision": EventPage.DatePrecision.UNKNOWN},
                "date_precision",
                "Choose how much of the date is known.",
            ),
            "an end time before the start time on the same day": (
                {
                    "date_precision": EventPage.DatePrecision.TIME,
                    "end_date": "2030-04-05",
                    "start_time": "14:00",
                    "end_time": "09:00",
                },
                "end_time",
                "The event must end after it starts.",
            ),
            "an end time before the start time, the end date left blank": (
                {
                    "date_precision": EventPage.DatePrecision.TIME,
                    "end_date": "",
                    "start_time": "14:00",
                    "end_time": "13:59",
                },
                "end_time",
                "The event must end after it starts.",
            ),
            "an end time equal to the start time": (
                {
                    "date_precision": EventPage.DatePrecision.TIME,
                    "end_date": "2030-04-05",
                    "start_time": "14:00",
                    "end_time": "14:00",
                },
                "end_time",
                "The event must end after it starts.",
            ),
            "a month-only end in an earlier month": (
                {
                    "date_precision": EventPage.DatePrecision.MONTH,
                    "start_date": "2030-08-01",
                    "end_date": "2030-07-31",
                },
                "end_date",
                "The event cannot end before it starts.",
            ),
            "a year-only end in an earlier year": (
                {
                    "date_precision": EventPage.DatePrecision.YEAR,
                    "start_date": "2030-01-01",
                    "end_date": "2029-12-31",
                },
                "end_date",
                "The event cannot end before it starts.",
            ),
            "an international conference organised by SMOP": (
                {"category": EventPage.Category.INTERNATIONAL},
                "organiser",
                "SMOP lists international conferences; others organise them. "
                "Choose 'Another organisation' and name it.",
            ),
        }
        for case, (overrides, field, message) in cases.items():
            with self.subTest(case):
                data = page_form(event_fields(**overrides), speakers=[], sessions=[])
                form = self.rejected_form(self.post_add_form(self.index, EventPage, data))
                self.assertIn(message, form.errors.get(field, []))
        self.assertFalse(EventPage.objects.exists())

    def test_times_without_dates_and_times_precision_are_rejected_not_dropped(self):
        message = "Times are kept only with 'Dates and times': choose it or clear the times."
        undated = {"start_date": "", "end_date": ""}
        for precision in (
            EventPage.DatePrecision.DAY,
            EventPage.DatePrecision.MONTH,
            EventPage.DatePrecision.YEAR,
            EventPage.DatePrecision.UNKNOWN,
        ):
            dates = undated if precision == EventPage.DatePrecision.UNKNOWN else {}
            for times in ({"start_time": "09:00"}, {"end_time": "17:00"}):
                with self.subTest(precision=precision, **times):
                    fields = event_fields(date_precision=precision, **dates, **times)
                    data = page_form(fields, speakers=[], sessions=[])
                    form = self.rejected_form(self.post_add_form(self.index, EventPage, data))
                    for field in ("start_time", "end_time"):
                        expected = [message] if field in times else []
                        self.assertEqual(form.errors.get(field, []), expected)
        self.assertFalse(EventPage.objects.exists())

    def test_ends_are_compared_at_the_precision_entered(self):
        cases = {
            "Month only, days in either order": {
                "date_precision": EventPage.DatePrecision.MONTH,
                "start_date": "2030-08-20",
                "end_date": "2030-08-05",
            },
            "Year only, months in either order": {
                "date_precision": EventPage.DatePrecision.YEAR,
                "start_date": "2030-09-01",
                "end_date": "2030-02-01",
            },
            "Overnight, ending the next morning": {
                "date_precision": EventPage.DatePrecision.TIME,
                "start_date": "2030-04-05",
                "start_time": "18:00",
                "end_date": "2030-04-06",
                "end_time": "09:00",
            },
        }
        for title, overrides in cases.items():
            with self.subTest(title):
                fields = event_fields(title=title, **overrides)
                self.assertCanCreate(
                    self.index, EventPage, page_form(fields, speakers=[], sessions=[])
                )
        month_only = EventPage.objects.get(title="Month only, days in either order")
        self.assertEqual(month_only.date_label, "August 2030")
        self.assertTrue(month_only.is_upcoming)

    def test_an_international_conference_by_another_body_is_accepted(self):
        fields = event_fields(
            title="ESMO Congress 2030",
            category=EventPage.Category.INTERNATIONAL,
            organiser=EventPage.Organiser.EXTERNAL,
            organiser_name="ESMO",
            timezone="Europe/Paris",
        )
        self.assertCanCreate(self.index, EventPage, page_form(fields, speakers=[], sessions=[]))
        html = self.get_page_html(EventPage.objects.get(slug="esmo-congress-2030"))
        self.assertIn("An international conference organised by ESMO.", html)

    def test_times_are_shown_in_the_events_own_city_time(self):
        fields = event_fields(
            title="JSCO Frontier Symposium",
            date_precision=EventPage.DatePrecision.TIME,
            start_date="2030-10-20",
            start_time="09:00",
            end_date="2030-10-22",
            end_time="17:00",
            timezone="Asia/Tokyo",
        )
        self.assertCanCreate(self.index, EventPage, page_form(fields, speakers=[], sessions=[]))
        html = self.get_page_html(EventPage.objects.get(slug="jsco-frontier-symposium"))
        self.assertIn(">9:00 AM</time> – 5:00 PM", html)
        self.assertIn("(Tokyo time)", html)

    def test_a_time_zone_outside_the_list_is_rejected(self):
        for zone in ("localtime", "Factory", "Mars/Olympus_Mons"):
            with self.subTest(zone):
                data = page_form(event_fields(timezone=zone), speakers=[], sessions=[])
                form = self.rejected_form(self.post_add_form(self.index, EventPage, data))
                self.assertIn("timezone", form.errors)

    def test_past_events_per_page_must_be_between_1_and_100(self):
        for value, message in (
            ("0", "Ensure this value is greater than or equal to 1."),
            ("101", "Ensure this value is less than or equal to 100."),
        ):
            with self.subTest(value):
                data = page_form(
                    {"title": "Meetings", "intro": rich_text(""), "past_per_page": value}
                )
                form = self.rejected_form(self.post_add_form(self.home, EventIndexPage, data))
                self.assertEqual(form.errors["past_per_page"], [message])
        self.assertFalse(EventIndexPage.objects.filter(title="Meetings").exists())

    def test_an_index_stored_with_zero_per_page_still_renders(self):
        EventPageFactory(parent=self.index, title="Breast Cancer Symposium")
        EventIndexPage.objects.filter(pk=self.index.pk).update(past_per_page=0)
        self.index.refresh_from_db()
        self.assertIn("Breast Cancer Symposium", self.get_page_html(self.index))

    def test_a_speaker_needs_a_person_or_a_name(self):
        data = page_form(
            event_fields(),
            speakers=[{"person": "", "name": "", "affiliation": "ESMO", "topic": ""}],
            sessions=[],
        )
        form = self.rejected_form(self.post_add_form(self.index, EventPage, data))
        self.assertIn(
            "Choose a person or enter a speaker's name.", formset_messages(form, "speakers")
        )

    def test_a_programme_session_must_end_after_it_starts(self):
        data = page_form(
            event_fields(),
            speakers=[],
            sessions=[session("Closing remarks", "2030-04-05", "17:00", "16:30")],
        )
        form = self.rejected_form(self.post_add_form(self.index, EventPage, data))
        self.assertIn("A session must end after it starts.", formset_messages(form, "sessions"))
        self.assertFalse(EventPage.objects.filter(title=event_fields()["title"]).exists())


def session(title, date, start, end):
    return {
        "date": date,
        "start_time": start,
        "end_time": end,
        "title": title,
        "speakers": "",
        "description": "",
    }

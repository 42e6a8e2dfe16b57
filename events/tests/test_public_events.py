"""The events index and event pages as visitors see them: sections, filters, dates."""

import datetime as dt
from unittest import mock

from bs4 import BeautifulSoup
from django.test import TestCase
from django.utils import timezone

from events import listing
from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import EventPage
from home.factories import make_site_root

INTERNATIONAL = EventPage.Category.INTERNATIONAL


def titles(events):
    return [event.title for event in events]


class EventIndexTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        cls.index = EventIndexPageFactory(parent=home, past_per_page=2)
        next_year = timezone.localdate().year + 1

        def event(title, start, **kwargs):
            return EventPageFactory(parent=cls.index, title=title, start_date=start, **kwargs)

        event("Symposium 2021", dt.date(2021, 2, 20))
        event("Workshop 2021", dt.date(2021, 8, 29), category=EventPage.Category.WORKSHOP)
        event("Webinar 2022", dt.date(2022, 3, 1), category=EventPage.Category.WEBINAR)
        event("Future symposium", dt.date(next_year, 5, 1))
        abroad = {"category": INTERNATIONAL, "organiser": "external", "organiser_name": "ESMO"}
        event("ESMO 2022", dt.date(2022, 9, 9), **abroad)
        event("Future congress", dt.date(next_year, 9, 9), **abroad)

    def get(self, **params):
        response = self.client.get(self.index.url, params)
        self.assertEqual(response.status_code, 200)
        return response

    def test_sections_keep_international_conferences_apart(self):
        context = self.get().context
        self.assertEqual(titles(context["upcoming_events"]), ["Future symposium"])
        self.assertEqual(titles(context["international_upcoming"]), ["Future congress"])
        self.assertEqual(titles(context["international_recent"]), ["ESMO 2022"])
        self.assertEqual(context["past_events"].paginator.count, 3)
        self.assertNotIn("ESMO 2022", titles(context["past_events"]))

    def test_filter_by_category(self):
        context = self.get(category="workshop").context
        self.assertEqual(titles(context["past_events"]), ["Workshop 2021"])
        self.assertEqual(list(context["upcoming_events"]), [])
        self.assertEqual(list(context["international_recent"]), [])

    def test_the_international_category_lists_them_as_upcoming_and_past(self):
        response = self.get(category=INTERNATIONAL)
        self.assertEqual(titles(response.context["upcoming_events"]), ["Future congress"])
        self.assertEqual(titles(response.context["past_events"]), ["ESMO 2022"])
        self.assertContains(response, "Past international conferences")

    def test_filter_by_year(self):
        context = self.get(year="2021").context
        self.assertEqual(titles(context["past_events"]), ["Workshop 2021", "Symposium 2021"])
        self.assertEqual(list(context["international_recent"]), [])
        self.assertEqual(list(context["upcoming_events"]), [])

    def test_filters_combine_and_are_offered_from_the_events_listed(self):
        response = self.get(category="webinar", year="2022")
        self.assertEqual(titles(response.context["past_events"]), ["Webinar 2022"])
        form = response.context["filter_form"]
        years = [value for value, _ in form.fields["year"].choices if value]
        self.assertEqual(years[-2:], [2022, 2021])
        categories = [value for value, _ in form.fields["category"].choices if value]
        self.assertNotIn("meeting", categories)  # no meeting is listed

    def test_unknown_filter_values_are_ignored_with_a_notice(self):
        for params in (
            {"category": "cooking"},
            {"year": "abc"},
            {"year": "1900"},
            {"year": "2021'; DROP TABLE"},
            {"category": "x" * 500, "year": "-1", "page": "zz"},
        ):
            with self.subTest(params=params):
                response = self.get(**params)
                self.assertEqual(response.context["past_events"].paginator.count, 3)
                notice = BeautifulSoup(response.content, "html.parser").find(
                    class_="notice--warning"
                )
                self.assertIsNotNone(notice)
                self.assertIn("We do not recognise", notice.get_text())

    def test_a_valid_filter_still_applies_beside_an_invalid_one(self):
        context = self.get(category="workshop", year="abc").context
        self.assertEqual(titles(context["past_events"]), ["Workshop 2021"])

    def test_pages_of_past_events_keep_the_filters(self):
        for month in (3, 4):
            EventPageFactory(
                parent=self.index,
                start_date=dt.date(2021, month, 1),
                category=EventPage.Category.WORKSHOP,
            )
        first = self.get(category="workshop")
        self.assertEqual(first.context["past_events"].paginator.count, 3)
        soup = BeautifulSoup(first.content, "html.parser")
        self.assertEqual(soup.find("a", rel="next")["href"], "?category=workshop&page=2")
        second = self.get(category="workshop", page="2")
        self.assertEqual(len(second.context["past_events"]), 1)
        self.assertEqual(second.context["past_events"][0].category, "workshop")

    def test_the_filter_form_works_without_javascript(self):
        soup = BeautifulSoup(self.get().content, "html.parser")
        form = soup.find("form", class_="filter-form")
        self.assertEqual(form["method"], "get")
        self.assertEqual(form["action"], self.index.url)
        self.assertEqual(
            {field["name"] for field in form.find_all("select")}, {"category", "year"}
        )
        self.assertIsNotNone(form.find("button", type="submit"))

    def test_subscription_links_appear_when_the_index_offers_them(self):
        with (
            mock.patch.object(
                type(self.index), "calendar_url", property(lambda p: "/cal.ics"), create=True
            ),
            mock.patch.object(
                type(self.index), "feed_url", property(lambda p: "/feed.xml"), create=True
            ),
        ):
            soup = BeautifulSoup(self.get().content, "html.parser")
        links = soup.find(class_="subscribe-links")
        self.assertIsNotNone(links.find("a", href="/cal.ics"))
        self.assertIsNotNone(links.find("a", href="/feed.xml"))


@mock.patch.object(listing, "UPCOMING_PER_PAGE", 2)
class UpcomingPaginationTests(TestCase):
    """Each upcoming section is paged on its own, with plain links that keep the rest."""

    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        cls.index = EventIndexPageFactory(parent=home, past_per_page=2)
        year = timezone.localdate().year + 1
        for month in range(1, 6):
            category = EventPage.Category.WORKSHOP if month <= 2 else EventPage.Category.MEETING
            EventPageFactory(
                parent=cls.index,
                title=f"Meeting {month}",
                start_date=dt.date(year, month, 10),
                category=category,
            )
        for month in range(1, 4):
            EventPageFactory(
                parent=cls.index,
                title=f"Congress {month}",
                start_date=dt.date(year, month, 20),
                category=INTERNATIONAL,
                organiser="external",
                organiser_name="ESMO",
            )
        for year in (2019, 2020, 2021):
            EventPageFactory(
                parent=cls.index, title=f"Past {year}", start_date=dt.date(year, 1, 1)
            )

    def get(self, **params):
        response = self.client.get(self.index.url, params)
        self.assertEqual(response.status_code, 200)
        return response

    def nav(self, response, label):
        soup = BeautifulSoup(response.content, "html.parser")
        return soup.find("nav", attrs={"aria-label": label})

    def test_the_upcoming_sections_show_one_page_each(self):
        context = self.get().context
        self.assertEqual(titles(context["upcoming_events"]), ["Meeting 1", "Meeting 2"])
        self.assertEqual(context["upcoming_events"].paginator.count, 5)
        self.assertEqual(titles(context["international_upcoming"]), ["Congress 1", "Congress 2"])
        self.assertEqual(titles(context["past_events"]), ["Past 2021", "Past 2020"])

    def test_plain_links_page_one_section_and_keep_the_others(self):
        response = self.get(international_page="2", page="2")
        nav = self.nav(response, "Upcoming events pages")
        self.assertIn("Page 1 of 3", nav.get_text())
        self.assertIsNone(nav.find("a", string="Previous page"))
        next_link = nav.find("a", string="Next page")["href"]
        self.assertEqual(
            next_link, "?international_page=2&page=2&upcoming_page=2#upcoming-heading"
        )
        second = self.client.get(self.index.url + next_link.split("#")[0])
        context = second.context
        self.assertEqual(titles(context["upcoming_events"]), ["Meeting 3", "Meeting 4"])
        self.assertEqual(titles(context["international_upcoming"]), ["Congress 3"])
        self.assertEqual(titles(context["past_events"]), ["Past 2019"])
        previous = self.nav(second, "Upcoming events pages").find("a", string="Previous page")
        self.assertIn("upcoming_page=1", previous["href"])
        international = self.nav(second, "Upcoming international conferences pages")
        self.assertIn("Page 2 of 2", international.get_text())
        self.assertTrue(international.find("a")["href"].endswith("#international-heading"))

    def test_the_filters_are_kept_in_the_links(self):
        response = self.get(category="meeting")
        self.assertEqual(titles(response.context["upcoming_events"]), ["Meeting 3", "Meeting 4"])
        link = self.nav(response, "Upcoming events pages").find("a", string="Next page")
        self.assertEqual(link["href"], "?category=meeting&upcoming_page=2#upcoming-heading")
        last = self.get(category="meeting", upcoming_page="2").context["upcoming_events"]
        self.assertEqual(titles(last), ["Meeting 5"])

    def test_the_international_category_pages_its_conferences_as_upcoming(self):
        response = self.get(category=INTERNATIONAL, upcoming_page="2")
        self.assertEqual(titles(response.context["upcoming_events"]), ["Congress 3"])
        self.assertIsNone(self.nav(response, "Upcoming international conferences pages"))

    def test_bad_page_numbers_give_the_first_or_last_page(self):
        cases = {"zz": ["Meeting 1", "Meeting 2"], "99": ["Meeting 5"], "-1": ["Meeting 5"]}
        for number, expected in cases.items():
            with self.subTest(number=number):
                context = self.get(upcoming_page=number, international_page=number).context
                self.assertEqual(titles(context["upcoming_events"]), expected)
                self.assertEqual(
                    len(context["international_upcoming"]), 2 if number == "zz" else 1
                )

    def test_a_single_page_has_no_page_links(self):
        with mock.patch.object(listing, "UPCOMING_PER_PAGE", 12):
            response = self.get()
        self.assertIsNone(self.nav(response, "Upcoming events pages"))
        self.assertEqual(len(response.context["upcoming_events"]), 5)

    def test_see_all_international_conferences_starts_their_pages_afresh(self):
        EventPageFactory(
            parent=self.index,
            title="Old congress",
            start_date=dt.date(2018, 1, 1),
            category=INTERNATIONAL,
            organiser="external",
            organiser_name="ESMO",
        )
        with mock.patch.object(listing, "INTERNATIONAL_PREVIEW", 0):
            response = self.get(upcoming_page="2", international_page="2", page="2")
        soup = BeautifulSoup(response.content, "html.parser")
        link = soup.find("a", string="See all international conferences")
        self.assertEqual(link["href"], "?category=international#past-heading")


class EventPageDisplayTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        cls.index = EventIndexPageFactory(parent=home)
        cls.next_year = timezone.localdate().year + 1

    def soup(self, event):
        response = self.client.get(event.url)
        self.assertEqual(response.status_code, 200)
        return BeautifulSoup(response.content, "html.parser")

    def facts(self, event):
        facts = self.soup(event).find(class_="event__facts").find("dl")
        return {
            dt_.get_text(strip=True): dt_.find_next("dd").get_text(" ", strip=True)
            for dt_ in facts.find_all("dt")
        }

    def test_an_event_abroad_shows_its_own_time_and_pakistan_time(self):
        event = EventPageFactory(
            parent=self.index,
            date_precision=EventPage.DatePrecision.TIME,
            start_date=dt.date(2022, 6, 3),
            start_time=dt.time(9, 0),
            end_time=dt.time(11, 30),
            timezone="America/Chicago",
        )
        time = self.facts(event)["Time"]
        self.assertIn("9:00 AM – 11:30 AM", time)
        self.assertIn("(Chicago time)", time)
        # Chicago is on daylight time (UTC-5) in June; Pakistan is UTC+5.
        self.assertIn("7:00 PM – 9:30 PM in Pakistan", time)
        self.assertNotIn("June 2022,", time)  # the same day in Pakistan: no date repeated

    def test_pakistan_time_names_the_day_when_it_differs(self):
        event = EventPageFactory(
            parent=self.index,
            date_precision=EventPage.DatePrecision.TIME,
            start_date=dt.date(2022, 6, 3),
            start_time=dt.time(18, 0),
            timezone="America/New_York",
        )
        time = self.facts(event)["Time"]
        self.assertIn("6:00 PM (New York time)", time)
        self.assertIn("4 June 2022, 3:00 AM in Pakistan", time)

    def test_an_event_in_pakistan_shows_pakistan_time_once(self):
        event = EventPageFactory(
            parent=self.index,
            date_precision=EventPage.DatePrecision.TIME,
            start_date=dt.date(2021, 8, 29),
            start_time=dt.time(7, 0),
        )
        time = self.facts(event)["Time"]
        self.assertIn("7:00 AM", time)
        self.assertIn("(Pakistan time)", time)
        self.assertNotIn("in Pakistan", time)

    def test_date_only_and_month_only_events_show_no_time(self):
        day = EventPageFactory(parent=self.index, start_date=dt.date(2021, 2, 20))
        month = EventPageFactory(
            parent=self.index,
            date_precision=EventPage.DatePrecision.MONTH,
            start_date=dt.date(2021, 8, 1),
        )
        self.assertEqual(self.facts(day)["Date"], "20 February 2021")
        self.assertNotIn("Time", self.facts(day))
        self.assertEqual(self.facts(month)["Date"], "August 2021")
        self.assertNotIn("Time", self.facts(month))

    def test_registration_call_to_action_only_while_registration_is_open(self):
        open_event = EventPageFactory(
            parent=self.index,
            start_date=dt.date(self.next_year, 3, 1),
            registration_url="https://example.org/register",
        )
        closed = EventPageFactory(
            parent=self.index,
            start_date=dt.date(self.next_year, 3, 1),
            registration_url="https://example.org/register",
            registration_deadline=timezone.localdate() - dt.timedelta(days=1),
        )
        past = EventPageFactory(
            parent=self.index,
            start_date=dt.date(2021, 3, 1),
            registration_url="https://example.org/register",
        )
        self.assertIsNotNone(self.soup(open_event).find("a", href="https://example.org/register"))
        for event in (closed, past):
            with self.subTest(event=event.title):
                soup = self.soup(event)
                self.assertIsNone(soup.find("a", href="https://example.org/register"))
                self.assertIn("Registration", soup.find(class_="event__facts").get_text())

    def test_format_badge_and_add_to_calendar_link(self):
        event = EventPageFactory(
            parent=self.index,
            start_date=dt.date(self.next_year, 3, 1),
            format=EventPage.Format.HYBRID,
        )
        with mock.patch.object(
            EventPage, "ics_url", property(lambda page: f"{page.url}event.ics"), create=True
        ):
            soup = self.soup(event)
        badges = [badge.get_text(strip=True) for badge in soup.select(".badges .badge")]
        self.assertIn("Hybrid", badges)
        link = soup.find("a", string="Add to calendar")
        self.assertEqual(link["href"], f"{event.url}event.ics")

    def test_a_virtual_event_without_a_venue_is_shown_as_online(self):
        event = EventPageFactory(
            parent=self.index,
            start_date=dt.date(2021, 8, 6),
            format=EventPage.Format.VIRTUAL,
            venue="",
            city="",
            country="",
        )
        self.assertEqual(self.facts(event)["Where"], "Online")
        line = BeautifulSoup(self.client.get(self.index.url).content, "html.parser").find(
            "a", string=event.title
        )
        self.assertIn("Online", line.find_parent("li").get_text())  # past: a compact list

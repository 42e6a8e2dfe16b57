"""What a frontend can filter: events, people, resources and galleries."""

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import EventPage
from gallery.factories import GalleryIndexPageFactory, GalleryPageFactory
from home.factories import ResourceFactory, ResourceListPageFactory, make_site_root
from home.models import ResourceListPage
from people.factories import (
    OfficerRoleFactory,
    OfficerTermFactory,
    PersonFactory,
    SpecialtyFactory,
)


class APITestCase(TestCase):
    def titles(self, url, key="title"):
        response = self.client.get(url, HTTP_HOST="localhost")
        self.assertEqual(response.status_code, 200, response.content[:300])
        return [item[key] for item in response.json()["items"]]


class EventFilterTests(APITestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        index = EventIndexPageFactory(parent=home)
        today = timezone.localdate()

        def event(title, start, **kwargs):
            return EventPageFactory(parent=index, title=title, start_date=start, **kwargs)

        cls.soon = event("Soon", today + dt.timedelta(days=10))
        cls.later = event(
            "Later",
            today + dt.timedelta(days=60),
            category=EventPage.Category.INTERNATIONAL,
            organiser=EventPage.Organiser.EXTERNAL,
            organiser_name="ASCO",
            format=EventPage.Format.VIRTUAL,
        )
        cls.last_year = event("Last year", dt.date(2024, 3, 5))
        cls.long_ago = event("Long ago", dt.date(2019, 11, 2), category="workshop")
        cls.undated = EventPageFactory(parent=index, title="Undated", undated=True)

    def test_all_events_are_ordered_by_start_undated_last(self):
        self.assertEqual(
            self.titles("/api/v2/events/"), ["Long ago", "Last year", "Soon", "Later", "Undated"]
        )

    def test_upcoming_soonest_first(self):
        self.assertEqual(self.titles("/api/v2/events/?upcoming=true"), ["Soon", "Later"])
        self.assertEqual(self.titles("/api/v2/events/?past=false"), ["Soon", "Later"])

    def test_past_most_recent_first(self):
        self.assertEqual(
            self.titles("/api/v2/events/?past=true"), ["Last year", "Long ago", "Undated"]
        )

    def test_category_organiser_and_format(self):
        self.assertEqual(self.titles("/api/v2/events/?category=international"), ["Later"])
        self.assertEqual(
            self.titles("/api/v2/events/?category=workshop,international"), ["Long ago", "Later"]
        )
        self.assertEqual(self.titles("/api/v2/events/?organiser=external"), ["Later"])
        self.assertEqual(self.titles("/api/v2/events/?organiser=asco"), ["Later"])
        self.assertEqual(
            self.titles("/api/v2/events/?organiser=smop"),
            ["Long ago", "Last year", "Soon", "Undated"],
        )
        self.assertEqual(self.titles("/api/v2/events/?format=virtual"), ["Later"])

    def test_date_range_includes_both_days(self):
        self.assertEqual(
            self.titles("/api/v2/events/?start_after=2019-11-02&start_before=2024-03-05"),
            ["Long ago", "Last year"],
        )
        self.assertEqual(self.titles("/api/v2/events/?start_after=2024-03-06&past=true"), [])

    def test_filters_combine_with_search_and_pagination(self):
        self.assertEqual(self.titles("/api/v2/events/?past=true&limit=1&offset=1"), ["Long ago"])
        self.assertEqual(
            self.titles("/api/v2/events/?search=later&upcoming=true&organiser=asco"), ["Later"]
        )
        self.assertEqual(self.titles("/api/v2/events/?search=later&past=true"), [])


class PeopleFilterTests(APITestCase):
    @classmethod
    def setUpTestData(cls):
        make_site_root()
        cls.breast = SpecialtyFactory(name="Breast oncology")
        cls.blood = SpecialtyFactory(name="Haematology")
        cls.zeba = PersonFactory(
            first_name="Zeba",
            last_name="Aziz",
            city="Lahore",
            institution="Hameed Latif Hospital",
            specialties=[cls.blood],
        )
        cls.omar = PersonFactory(
            first_name="Omar",
            last_name="Baig",
            city="Karachi",
            institution="Aga Khan University Hospital",
            specialties=[cls.breast, cls.blood],
        )
        PersonFactory(first_name="Hidden", last_name="Aziz", unlisted=True)
        OfficerTermFactory(person=cls.zeba, role=OfficerRoleFactory(name="President"))

    def names(self, query):
        return self.titles(f"/api/v2/people/{query}", key="full_name")

    def test_listed_members_by_surname(self):
        self.assertEqual(self.names(""), ["Dr. Zeba Aziz", "Dr. Omar Baig"])

    def test_name_search_ignores_titles_and_case(self):
        self.assertEqual(self.names("?name=Dr.%20aziz"), ["Dr. Zeba Aziz"])
        self.assertEqual(self.names("?name=omar%20baig"), ["Dr. Omar Baig"])

    def test_specialty_city_institution_and_role(self):
        self.assertEqual(self.names("?specialty=haematology"), ["Dr. Zeba Aziz", "Dr. Omar Baig"])
        self.assertEqual(self.names("?specialty=breast-oncology"), ["Dr. Omar Baig"])
        self.assertEqual(self.names("?city=Karachi"), ["Dr. Omar Baig"])
        self.assertEqual(self.names("?institution=Hameed%20Latif%20Hospital"), ["Dr. Zeba Aziz"])
        self.assertEqual(self.names("?role=president"), ["Dr. Zeba Aziz"])
        self.assertEqual(self.names("?specialty=none-such"), [])


class ResourceAndGalleryFilterTests(APITestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        physicians = ResourceListPageFactory(parent=home)
        patients = ResourceListPageFactory(
            parent=home, title="For patients", audience=ResourceListPage.Audience.PATIENTS
        )
        ResourceFactory(page=physicians, title="NCCN guidelines")
        ResourceFactory(page=patients, title="Cancer in Urdu", language="ur")
        ResourceFactory(page=patients, title="Cancer in English")
        index = EventIndexPageFactory(parent=home)
        galleries = GalleryIndexPageFactory(parent=home)
        cls.chosen = GalleryPageFactory(parent=galleries, title="Chosen by the event")
        cls.event = EventPageFactory(parent=index, gallery=cls.chosen)
        GalleryPageFactory(parent=galleries, title="Naming the event", event=cls.event)
        GalleryPageFactory(parent=galleries, title="Another album")

    def test_resources_by_audience_and_language(self):
        self.assertEqual(
            self.titles("/api/v2/resources/?audience=patients"),
            ["Cancer in Urdu", "Cancer in English"],
        )
        self.assertEqual(self.titles("/api/v2/resources/?language=ur"), ["Cancer in Urdu"])
        self.assertEqual(
            self.titles("/api/v2/resources/?audience=physicians&language=en"), ["NCCN guidelines"]
        )

    def test_galleries_of_an_event_either_side(self):
        self.assertEqual(
            sorted(self.titles(f"/api/v2/galleries/?event={self.event.pk}")),
            ["Chosen by the event", "Naming the event"],
        )
        self.assertEqual(self.titles("/api/v2/galleries/?event=999999"), [])
        self.assertEqual(
            self.titles(f"/api/v2/galleries/?event={self.event.pk}&search=naming"),
            ["Naming the event"],
        )

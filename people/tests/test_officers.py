"""Officer roles with terms: who holds a role is data, so a new president is a data change."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from cms.factories import SiteImageFactory
from home.factories import PresidentMessagePageFactory, make_site_root
from people.factories import OfficerRoleFactory, OfficerTermFactory, PersonFactory
from people.models import HOLDER_FIELDS, HOLDER_PHOTO_SPECS, OfficerTerm, Person

TODAY = dt.date(2024, 5, 15)
NOON_TODAY = dt.datetime(2024, 5, 15, 12, tzinfo=ZoneInfo("Asia/Karachi"))


class CurrentHolderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.president = OfficerRoleFactory(name="President")
        cls.secretary = OfficerRoleFactory(name="General Secretary")
        cls.former = PersonFactory(first_name="Former")
        cls.current = PersonFactory(first_name="Current")
        OfficerTermFactory(
            person=cls.former,
            role=cls.president,
            start_date=dt.date(2018, 1, 1),
            end_date=dt.date(2021, 12, 31),
        )
        OfficerTermFactory(person=cls.current, role=cls.president, start_date=dt.date(2022, 1, 1))

    def setUp(self):
        traveller = time_machine.travel(NOON_TODAY, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)

    def test_the_holder_today_is_the_person_with_a_running_term(self):
        self.assertEqual(self.president.current_holder(), self.current)

    def test_the_holder_on_a_past_date(self):
        self.assertEqual(self.president.current_holder(on=dt.date(2020, 6, 1)), self.former)
        self.assertEqual(self.president.current_holder(on=dt.date(2021, 12, 31)), self.former)
        self.assertEqual(self.president.current_holder(on=dt.date(2022, 1, 1)), self.current)
        self.assertIsNone(self.president.current_holder(on=dt.date(2017, 12, 31)))

    def test_a_role_nobody_holds_has_no_holder(self):
        self.assertIsNone(self.secretary.current_holder())

    def test_a_term_with_open_dates_runs_from_and_until_any_date(self):
        treasurer = OfficerRoleFactory(name="Treasurer")
        holder = PersonFactory(first_name="Open")
        OfficerTermFactory(person=holder, role=treasurer)
        for day in (dt.date(1990, 1, 1), TODAY, dt.date(2100, 1, 1)):
            self.assertEqual(treasurer.current_holder(on=day), holder)

    def test_a_term_ending_today_still_runs_today(self):
        OfficerTermFactory(
            person=PersonFactory(), role=self.secretary, start_date=None, end_date=TODAY
        )
        self.assertIsNotNone(self.secretary.current_holder())
        self.assertIsNone(self.secretary.current_holder(on=TODAY + dt.timedelta(days=1)))

    def test_the_later_starting_of_overlapping_terms_wins(self):
        successor = PersonFactory(first_name="Successor")
        OfficerTermFactory(person=successor, role=self.president, start_date=TODAY)
        self.assertEqual(self.president.current_holder(), successor)

    def test_a_dated_term_wins_over_one_with_no_recorded_start(self):
        # The seeded president's term has no dates; a successor's dated term must win
        # on every database (PostgreSQL sorts NULLs first by default, SQLite last).
        role = OfficerRoleFactory(name="Treasurer")
        OfficerTermFactory(person=self.former, role=role, start_date=None)
        OfficerTermFactory(person=self.current, role=role, start_date=dt.date(2024, 1, 1))
        self.assertEqual(role.current_holder(), self.current)

    def test_a_draft_person_holds_no_role(self):
        self.current.live = False
        self.current.save()
        self.assertIsNone(self.president.current_holder())

    def test_current_roles_of_a_person(self):
        OfficerTermFactory(person=self.current, role=self.secretary, end_date=dt.date(2023, 1, 1))
        self.assertEqual(list(self.current.current_roles()), [self.president])
        self.assertEqual(list(self.former.current_roles()), [])

    def test_current_roles_on_a_date(self):
        self.assertEqual(self.former.current_roles(on=dt.date(2020, 6, 1)), [self.president])
        self.assertEqual(self.current.current_roles(on=dt.date(2020, 6, 1)), [])

    def test_each_role_once_in_the_roles_order(self):
        OfficerTermFactory(person=self.current, role=self.secretary)
        OfficerTermFactory(person=self.current, role=self.president, start_date=TODAY)
        self.secretary.sort_order = 1
        self.secretary.save()
        self.assertEqual(self.current.current_roles(), [self.president, self.secretary])
        self.president.sort_order = 2
        self.president.save()
        self.assertEqual(self.current.current_roles(), [self.secretary, self.president])

    def test_today_s_roles_follow_changes_to_terms_and_the_date(self):
        """Today's roles are kept until content changes (current_officer_roles), so a
        saved term shows at once, and a term that ends today is gone tomorrow."""
        self.assertEqual(self.current.current_roles(), [self.president])
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.current.current_roles(), [self.president])
        self.assertNotIn("people_officerterm", " ".join(q["sql"] for q in queries))
        term = OfficerTermFactory(person=self.current, role=self.secretary, end_date=TODAY)
        self.assertEqual(self.current.current_roles(), [self.secretary, self.president])
        with time_machine.travel(NOON_TODAY + dt.timedelta(days=1), tick=False):
            self.assertEqual(self.current.current_roles(), [self.president])
        term.delete()
        self.assertEqual(self.current.current_roles(), [self.president])

    def test_today_s_holder_follows_terms_people_and_the_date(self):
        """Today's holders are kept until content changes (current_role_holders), so
        after the first lookup neither a term nor a person is queried."""
        self.assertEqual(self.president.current_holder(), self.current)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.president.current_holder().full_name, self.current.full_name)
            self.assertIsNone(self.secretary.current_holder())
        self.assertNotIn("people_", " ".join(q["sql"] for q in queries))
        successor = PersonFactory(first_name="Successor")
        term = OfficerTermFactory(
            person=successor, role=self.president, start_date=TODAY, end_date=TODAY
        )
        self.assertEqual(self.president.current_holder(), successor)
        successor.live = False
        successor.save()
        self.assertEqual(self.president.current_holder(), self.current)
        successor.live = True
        successor.save()
        self.assertEqual(self.president.current_holder(), successor)
        with time_machine.travel(NOON_TODAY + dt.timedelta(days=1), tick=False):
            self.assertEqual(self.president.current_holder(), self.current)
        term.delete()
        self.assertEqual(self.president.current_holder(), self.current)

    def test_a_holder_is_loaded_without_private_fields(self):
        holder = self.president.current_holder()
        self.assertTrue(set(Person.PRIVATE_FIELDS) <= holder.get_deferred_fields())
        self.assertEqual(set(holder.get_deferred_fields()) & set(HOLDER_FIELDS), set())

    def test_a_holder_s_photo_comes_with_the_renditions_of_its_sizes(self):
        self.current.photo = SiteImageFactory()
        self.current.save()
        for spec in ("format-webp|fill-160x160", "format-jpeg|fill-400x400", "width-400"):
            self.current.photo.get_rendition(spec)
        self.current.photo.get_rendition("fill-80x80")
        photo = self.president.current_holder().photo
        specs = {rendition.filter_spec for rendition in photo.prefetched_renditions}
        self.assertEqual(
            specs, {"format-webp|fill-160x160", "format-jpeg|fill-400x400", "width-400"}
        )
        self.assertTrue(specs <= set(HOLDER_PHOTO_SPECS))

    def test_a_term_cannot_end_before_it_starts(self):
        term = OfficerTerm(
            person=self.current,
            role=self.secretary,
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2023, 1, 1),
        )
        with self.assertRaises(ValidationError) as caught:
            term.clean()
        self.assertIn("end_date", caught.exception.message_dict)


class NewPresidentIsADataChangeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root(sections__0="president_message")
        cls.role = OfficerRoleFactory(name="President")
        cls.outgoing = PersonFactory(first_name="Outgoing", last_name="President")
        cls.term = OfficerTermFactory(
            person=cls.outgoing, role=cls.role, start_date=dt.date(2018, 1, 1)
        )
        cls.page = PresidentMessagePageFactory(parent=cls.home, signatory_role=cls.role)

    def test_ending_a_term_and_starting_another_changes_the_signatory(self):
        with time_machine.travel(NOON_TODAY, tick=False):
            self.assertContains(self.client.get(self.page.url), "Outgoing")

            self.term.end_date = TODAY - dt.timedelta(days=1)
            self.term.save()
            incoming = PersonFactory(first_name="Incoming", last_name="President")
            OfficerTermFactory(person=incoming, role=self.role, start_date=TODAY)

            self.assertEqual(self.page.signatory, incoming)
            for url in (self.page.url, self.home.url):
                with self.subTest(url=url):
                    response = self.client.get(url)
                    self.assertContains(response, "Incoming")
                    self.assertNotContains(response, "Outgoing")

"""Go-live and expiry dates on pages and people, carried out by the scheduler.

The clock is frozen with time_machine: a scheduled change happens when
`publish_scheduled` (or `run_scheduler --once`) runs after its time, never before.
"""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from wagtail.test.utils import WagtailTestUtils

from cms.management.commands.run_scheduler import seconds_until_next_tick
from home.factories import StandardPageFactory, make_site_root
from people.factories import PersonFactory
from people.models import Person
from tests.test_workflow import make_user
from tests.test_workflow_people import person_form

KARACHI = ZoneInfo("Asia/Karachi")
NOW = dt.datetime(2030, 5, 1, 9, 0, tzinfo=KARACHI)
GO_LIVE = NOW + dt.timedelta(hours=2)


def publish_scheduled():
    call_command("publish_scheduled", stdout=StringIO())


def run_scheduler_once():
    """Run the scheduler once; return what it reported."""
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    return out.getvalue()


class ScheduledPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.reviewer = make_user("reviewer", "Reviewers")

    def setUp(self):
        traveller = time_machine.travel(NOW, tick=False)
        self.clock = traveller.start()
        self.addCleanup(traveller.stop)

    def scheduled_page(self):
        """A new page a Reviewer approved to go live at GO_LIVE."""
        page = StandardPageFactory(parent=self.home, title="Call for abstracts", live=False)
        page.go_live_at = GO_LIVE
        page.save_revision(user=self.reviewer).publish(user=self.reviewer)
        page.refresh_from_db()
        return page

    def assert_visitors_get(self, page, status):
        self.assertEqual(self.client.get(page.url).status_code, status)

    def test_page_goes_live_when_the_scheduler_runs_after_its_time(self):
        page = self.scheduled_page()
        self.assertFalse(page.live)
        self.assertTrue(page.approved_schedule)

        self.clock.move_to(GO_LIVE - dt.timedelta(minutes=1))
        publish_scheduled()
        page.refresh_from_db()
        self.assertFalse(page.live, "published before its time")

        self.clock.move_to(GO_LIVE + dt.timedelta(seconds=30))
        publish_scheduled()
        page.refresh_from_db()
        self.assertTrue(page.live)
        self.assert_visitors_get(page, 200)

    def test_run_scheduler_once_publishes_what_is_due(self):
        page = self.scheduled_page()
        self.clock.move_to(GO_LIVE + dt.timedelta(seconds=1))
        # The log says what changed, so an operator can follow it.
        self.assertIn("Went live: Call for abstracts", run_scheduler_once())
        page.refresh_from_db()
        self.assertTrue(page.live)
        self.clock.move_to(GO_LIVE + dt.timedelta(minutes=1))
        self.assertNotIn("Went live", run_scheduler_once(), "reported twice")

    def test_expiry_unpublishes_the_page(self):
        page = StandardPageFactory(parent=self.home, title="Registration open")
        page.expire_at = NOW + dt.timedelta(days=1)
        page.save_revision(user=self.reviewer).publish(user=self.reviewer)
        page.refresh_from_db()
        self.assertTrue(page.live)

        self.clock.move_to(NOW + dt.timedelta(hours=23))
        run_scheduler_once()
        page.refresh_from_db()
        self.assertTrue(page.live, "expired early")

        self.clock.move_to(NOW + dt.timedelta(days=1, minutes=1))
        self.assertIn("Expired: Registration open", run_scheduler_once())
        page.refresh_from_db()
        self.assertFalse(page.live)
        self.assertTrue(page.expired)
        self.assert_visitors_get(page, 404)

    def test_report_lists_scheduled_and_expiring_pages(self):
        self.scheduled_page()
        expiring = StandardPageFactory(parent=self.home, title="Early-bird registration")
        expiring.expire_at = NOW + dt.timedelta(days=3)
        expiring.save_revision().publish()
        StandardPageFactory(parent=self.home, title="About the society")

        for user in (self.reviewer, make_user("editor", "Communications")):
            self.client.force_login(user)
            response = self.client.get(reverse("scheduled_publishing_report"))
            self.assertEqual(response.status_code, 200)
            titles = [page.title for page in response.context["object_list"]]
            self.assertEqual(titles, ["Call for abstracts", "Early-bird registration"])
            # Dates in Pakistan time, in full: "in 2 hours" would be no use for planning.
            self.assertContains(response, "1 May 2030, 11:00")
            self.assertContains(response, "4 May 2030, 09:00")

    def test_report_menu_item_is_shown_to_editors(self):
        self.client.force_login(make_user("editor", "Communications"))
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, reverse("scheduled_publishing_report"))


class ScheduledPersonTests(WagtailTestUtils, TestCase):
    """People: the editor sets a go-live date, a Reviewer approves, the scheduler publishes."""

    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("editor", "Communications")
        cls.reviewer = make_user("reviewer", "Reviewers")
        cls.person = PersonFactory(first_name="Ayesha", last_name="Khan", draft=True)
        cls.person.save_revision()

    def setUp(self):
        traveller = time_machine.travel(NOW, tick=False)
        self.clock = traveller.start()
        self.addCleanup(traveller.stop)

    def test_person_goes_live_at_the_approved_date(self):
        self.client.force_login(self.editor)
        data = person_form(self.person, go_live_at=GO_LIVE.strftime("%Y-%m-%d %H:%M"))
        data["action-submit"] = "Submit"
        url = reverse("wagtailsnippets_people_person:edit", args=[self.person.pk])
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.person.refresh_from_db()

        self.client.force_login(self.reviewer)
        task_state = self.person.current_workflow_task_state
        approve = reverse(
            "wagtailsnippets_people_person:workflow_action",
            args=[self.person.pk, "approve", task_state.pk],
        )
        self.assertEqual(self.client.post(approve, {"comment": ""}).status_code, 302)
        self.person.refresh_from_db()
        self.assertFalse(self.person.live, "approved, but not yet due")
        self.assertFalse(Person.objects.public().filter(pk=self.person.pk).exists())

        self.clock.move_to(GO_LIVE - dt.timedelta(seconds=1))
        run_scheduler_once()
        self.person.refresh_from_db()
        self.assertFalse(self.person.live)

        self.clock.move_to(GO_LIVE + dt.timedelta(seconds=1))
        run_scheduler_once()
        self.assertTrue(Person.objects.public().filter(pk=self.person.pk).exists())

    def test_person_expiry_removes_them_from_the_directory(self):
        person = PersonFactory(first_name="Expiring", last_name="Entry")
        person.expire_at = NOW + dt.timedelta(hours=1)
        person.save_revision().publish()
        self.assertTrue(Person.objects.public().filter(pk=person.pk).exists())
        self.clock.move_to(NOW + dt.timedelta(hours=1, seconds=1))
        self.assertIn("Expired: Dr. Expiring Entry", run_scheduler_once())
        self.assertFalse(Person.objects.public().filter(pk=person.pk).exists())


def test_scheduler_runs_at_the_start_of_each_minute():
    assert seconds_until_next_tick(60, now=120.0) == 60
    assert seconds_until_next_tick(60, now=150.5) == 29.5
    assert seconds_until_next_tick(60, now=179.0) == 1

"""The editorial cycle for pages, through the admin's own views.

A Communications editor drafts an event and cannot publish it; submitting it starts
"Editorial review"; a Reviewer approves it (it goes live) or requests changes (it goes
back to the editor with the comment). Each step sends the emails editors rely on.
"""

from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import Page, Workflow, WorkflowState
from wagtail.test.utils import WagtailPageTestCase
from wagtail.users.models import UserProfile

from events.factories import EventIndexPageFactory
from events.models import EventPage
from events.tests.test_event_forms import event_fields
from home.factories import make_site_root
from tests.helpers import page_form

TITLE = "Protocol Development Workshop"
SUBMITTED = 'has been submitted for approval in moderation stage "Approval by Reviewers"'


def make_user(username, group_name, **extra):
    user = WagtailPageTestCase.create_user(
        username, email=f"{username}@example.org", password="password", **extra
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


def event_form(**actions):
    data = page_form(event_fields(), speakers=[], sessions=[])
    return {**data, "slug": "protocol-workshop", **actions}


class EditorialCycleTestCase(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_site_root()
        cls.index = EventIndexPageFactory(parent=cls.home)
        cls.editor = make_user("editor", "Communications")
        cls.reviewer = make_user("reviewer", "Reviewers")
        cls.other_reviewer = make_user("second-reviewer", "Reviewers")

    def add_url(self):
        return reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.index.pk])

    def create_draft_as_editor(self):
        self.client.force_login(self.editor)
        response = self.client.post(self.add_url(), event_form())
        self.assertEqual(response.status_code, 302, "the page form was rejected")
        return EventPage.objects.get(slug="protocol-workshop")

    def submit_as_editor(self, page):
        self.client.force_login(self.editor)
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        response = self.client.post(url, event_form(**{"action-submit": "Submit"}))
        self.assertEqual(response.status_code, 302, "the page form was rejected")
        page.refresh_from_db()
        return page.current_workflow_task_state

    def review(self, page, task_state, action, comment=""):
        self.client.force_login(self.reviewer)
        url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
        response = self.client.post(url, {"comment": comment})
        self.assertEqual(response.status_code, 302)
        page.refresh_from_db()


class PageWorkflowSetupTests(EditorialCycleTestCase):
    def test_editorial_review_covers_the_whole_tree(self):
        workflow = Workflow.objects.get(name="Editorial review")
        self.assertTrue(workflow.active)
        self.assertEqual(self.index.get_workflow(), workflow)
        self.assertEqual(Page.get_first_root_node().get_workflow(), workflow)
        task = workflow.tasks.get().specific
        self.assertEqual(list(task.groups.values_list("name", flat=True)), ["Reviewers"])

    def test_wagtails_default_workflow_is_gone(self):
        self.assertFalse(Workflow.objects.filter(name="Moderators approval").exists())


class CommunicationsCannotPublishTests(EditorialCycleTestCase):
    def test_add_form_offers_submit_but_not_publish(self):
        self.client.force_login(self.editor)
        html = self.client.get(self.add_url()).content.decode()
        self.assertIn('name="action-submit"', html)
        self.assertNotIn('name="action-publish"', html)

    def test_forged_publish_request_saves_only_a_draft(self):
        self.client.force_login(self.editor)
        response = self.client.post(self.add_url(), event_form(**{"action-publish": "Publish"}))
        self.assertEqual(response.status_code, 302)
        page = EventPage.objects.get(slug="protocol-workshop")
        self.assertFalse(page.live)
        self.assertIsNone(page.live_revision)
        self.assertIsNone(page.first_published_at)
        self.client.logout()
        self.assertEqual(self.client.get("/events/protocol-workshop/").status_code, 404)

    def test_forged_publish_on_edit_leaves_the_live_page_unchanged(self):
        page = self.create_draft_as_editor()
        page.save_revision(user=self.reviewer).publish()
        data = event_form(**{"action-publish": "Publish"})
        data["title"] = "A title nobody approved"
        self.client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
        page.refresh_from_db()
        self.assertEqual(page.title, TITLE)
        self.assertTrue(page.has_unpublished_changes)


class ApprovalTests(EditorialCycleTestCase):
    def test_submit_then_approve_publishes_the_event(self):
        page = self.create_draft_as_editor()
        self.assertEqual(mail.outbox, [], "saving a draft notifies nobody")

        task_state = self.submit_as_editor(page)
        self.assertFalse(page.live)
        self.assertEqual(page.current_workflow_state.status, WorkflowState.STATUS_IN_PROGRESS)
        # Every reviewer is told, and nobody else (superusers are not copied).
        self.assertEqual(
            sorted(email.to[0] for email in mail.outbox),
            ["reviewer@example.org", "second-reviewer@example.org"],
        )
        for email in mail.outbox:
            self.assertIn(f'The page "{TITLE}" {SUBMITTED}', email.subject)

        mail.outbox.clear()
        self.review(page, task_state, "approve", comment="Ready to go.")
        self.assertTrue(page.live)
        self.assertEqual(page.current_workflow_state, None)
        self.assertEqual([email.to for email in mail.outbox], [["editor@example.org"]])
        self.assertIn(
            f'The page "{TITLE}" has been approved in "Editorial review"', mail.outbox[0].subject
        )

        self.client.logout()
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, TITLE)

    def test_dashboards_show_what_waits_for_each_person(self):
        page = self.create_draft_as_editor()
        self.submit_as_editor(page)

        self.client.force_login(self.reviewer)
        self.assertContains(self.client.get(reverse("wagtailadmin_home")), "Awaiting your review")
        self.assertContains(self.client.get(reverse("wagtailadmin_home")), TITLE)

        self.client.force_login(self.editor)
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, "Your pages and snippets in a workflow")
        self.assertContains(response, TITLE)
        self.assertNotContains(response, "Awaiting your review")


class RejectionTests(EditorialCycleTestCase):
    def test_request_changes_returns_the_page_with_the_comment(self):
        page = self.create_draft_as_editor()
        task_state = self.submit_as_editor(page)
        mail.outbox.clear()

        comment = "Please add the full address of the venue."
        self.review(page, task_state, "reject", comment=comment)

        self.assertFalse(page.live)
        state = page.current_workflow_state
        self.assertEqual(state.status, WorkflowState.STATUS_NEEDS_CHANGES)
        self.assertEqual(state.current_task_state.get_comment(), comment)
        self.assertEqual([email.to for email in mail.outbox], [["editor@example.org"]])
        email = mail.outbox[0]
        self.assertIn(
            f'The page "{TITLE}" has been rejected during "Editorial review"', email.subject
        )
        self.assertIn(comment, email.body)

        # The editor sees the request on the edit page and can resubmit.
        self.client.force_login(self.editor)
        edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        self.assertContains(self.client.get(edit_url), comment)
        mail.outbox.clear()
        self.client.post(edit_url, event_form(**{"action-submit": "Submit"}))
        page.refresh_from_db()
        self.assertEqual(page.current_workflow_state.status, WorkflowState.STATUS_IN_PROGRESS)
        self.assertEqual(len(mail.outbox), 2)

    def test_author_who_turned_off_notifications_gets_none(self):
        profile = UserProfile.get_for_user(self.editor)
        profile.rejected_notifications = False
        profile.save()
        page = self.create_draft_as_editor()
        task_state = self.submit_as_editor(page)
        mail.outbox.clear()
        self.review(page, task_state, "reject", comment="Not yet.")
        self.assertEqual(mail.outbox, [])

"""Changes to member directory entries go through "Editorial review" like pages do."""

import re

from django.core import mail
from django.test import TestCase
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from people.factories import PersonFactory
from people.models import Person
from tests.test_workflow import make_user

NEW_DESIGNATION = "Professor of Medical Oncology"


def person_form(person, **changes):
    """The person edit form as the admin posts it, with `changes` applied."""
    fields = {
        "honorific": person.honorific,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "credentials": person.credentials,
        "designation": person.designation,
        "institution": person.institution,
        "city": person.city,
        "province": person.province,
        "photo": "",
        "biography": rich_text(person.biography or "<p></p>"),
        "listed_in_directory": "on" if person.listed_in_directory else "",
        "show_contact_details": "",
        "public_email": "",
        "public_phone": "",
        "slug": person.slug,
        "go_live_at": "",
        "expire_at": "",
        "registration_number": "",
        "private_email": "",
        "private_phone": "",
        "private_notes": "",
        "officer_terms": inline_formset([]),
        **changes,
    }
    return {key: value for key, value in nested_form_data(fields).items() if value != ""}


class PersonWorkflowTests(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("editor", "Communications")
        cls.reviewer = make_user("reviewer", "Reviewers")
        cls.person = PersonFactory(first_name="Zeba", last_name="Aziz")
        cls.person.save_revision().publish()
        cls.old_designation = cls.person.designation

    def edit_url(self):
        return reverse("wagtailsnippets_people_person:edit", args=[self.person.pk])

    def post_as_editor(self, **actions):
        self.client.force_login(self.editor)
        data = {**person_form(self.person, designation=NEW_DESIGNATION), **actions}
        response = self.client.post(self.edit_url(), data)
        self.assertEqual(response.status_code, 302, "the person form was rejected")
        self.person.refresh_from_db()

    def review(self, action, comment=""):
        task_state = self.person.current_workflow_task_state
        self.client.force_login(self.reviewer)
        url = reverse(
            "wagtailsnippets_people_person:workflow_action",
            args=[self.person.pk, action, task_state.pk],
        )
        self.assertEqual(self.client.post(url, {"comment": comment}).status_code, 302)
        self.person.refresh_from_db()

    def test_editor_sees_submit_and_scheduling_but_not_publish(self):
        self.client.force_login(self.editor)
        html = self.client.get(self.edit_url()).content.decode()
        self.assertIn('name="action-submit"', html)
        self.assertNotIn('name="action-publish"', html)
        self.assertIn('name="go_live_at"', html)
        self.assertIn('name="expire_at"', html)

    def test_forged_publish_keeps_the_public_entry_unchanged(self):
        self.post_as_editor(**{"action-publish": "Publish"})
        self.assertEqual(self.person.designation, self.old_designation)
        self.assertTrue(self.person.has_unpublished_changes)

    def test_submitted_change_reaches_the_public_entry_only_when_approved(self):
        self.post_as_editor(**{"action-submit": "Submit"})
        self.assertEqual(self.person.designation, self.old_designation)
        self.assertEqual(
            self.person.current_workflow_state.status, WorkflowState.STATUS_IN_PROGRESS
        )
        self.assertEqual([email.to for email in mail.outbox], [["reviewer@example.org"]])
        self.assertIn("Zeba Aziz", mail.outbox[0].subject)
        self.assertIn("submitted for approval", mail.outbox[0].subject)

        # In review, the entry is locked against further edits by its author.
        self.assertTrue(self.person.get_lock().for_user(self.editor))

        mail.outbox.clear()
        self.review("approve")
        self.assertEqual(self.person.designation, NEW_DESIGNATION)
        self.assertEqual(
            Person.objects.public().get(pk=self.person.pk).designation, NEW_DESIGNATION
        )
        self.assertEqual([email.to for email in mail.outbox], [["editor@example.org"]])
        self.assertIn('has been approved in "Editorial review"', mail.outbox[0].subject)

    def test_submission_email_links_work_for_the_reviewer(self):
        self.post_as_editor(**{"action-submit": "Submit"})
        body = mail.outbox[0].body
        preview = re.search(r"preview the person here: (\S+)", body).group(1)
        edit = re.search(r"edit the person here: (\S+)", body).group(1)
        for url in (preview, edit):
            self.assertTrue(url.startswith("http://testserver/admin/"), url)

        self.client.logout()
        path = preview.removeprefix("http://testserver")
        self.assertRedirects(
            self.client.get(path), f"/admin/login/?next={path}", fetch_redirect_response=False
        )

        self.client.force_login(self.reviewer)
        response = self.client.get(path, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, NEW_DESIGNATION)
        edited = self.client.get(edit.removeprefix("http://testserver"))
        self.assertEqual(edited.status_code, 200)

    def test_rejected_change_goes_back_with_the_comment(self):
        self.post_as_editor(**{"action-submit": "Submit"})
        mail.outbox.clear()
        self.review("reject", comment="Please give the full hospital name.")
        self.assertEqual(self.person.designation, self.old_designation)
        self.assertEqual(
            self.person.current_workflow_state.status, WorkflowState.STATUS_NEEDS_CHANGES
        )
        self.assertEqual([email.to for email in mail.outbox], [["editor@example.org"]])
        self.assertIn('rejected during "Editorial review"', mail.outbox[0].subject)
        self.assertIn("Please give the full hospital name.", mail.outbox[0].body)

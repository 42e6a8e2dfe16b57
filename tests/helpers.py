"""Helpers for tests that drive the Wagtail admin's page forms."""

from django.urls import reverse
from wagtail.blocks.base import get_error_json_data
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cms.serializers import ALL_RENDITION_SPECS


def list_block(values):
    """ListBlock form data (the ListBlock twin of form_data.streamfield)."""
    data = {
        str(index): {"value": value, "deleted": "", "order": str(index)}
        for index, value in enumerate(values)
    }
    data["count"] = str(len(values))
    return data


def page_form(fields, **inlines):
    """Page form POST data: the page's fields plus every inline panel's formset.

    Wagtail's page form has a formset per InlinePanel and one for comments; each
    must be present, even when empty, or the form is invalid.
    """
    formsets = {"comments": inline_formset([])}
    formsets.update({name: inline_formset(items) for name, items in inlines.items()})
    return nested_form_data({**fields, **formsets})


def block_messages(form, field_name):
    """Every message in a StreamField's nested block errors, flattened."""
    return list(_messages(get_error_json_data(form.errors[field_name].as_data()[0])))


def formset_messages(form, relation_name):
    """Every message from an inline panel's formset, flattened."""
    formset = form.formsets[relation_name]
    messages = [str(m) for m in formset.non_form_errors()]
    for errors in formset.errors:
        messages += [str(m) for field_messages in errors.values() for m in field_messages]
    return messages


def _messages(error_data):
    if isinstance(error_data, dict):
        for key, value in error_data.items():
            yield from (value if key == "messages" else _messages(value))
    elif isinstance(error_data, list):
        for item in error_data:
            yield from _messages(item)


class AdminPageTestCase(WagtailPageTestCase):
    """A page test case with a logged-in superuser."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.admin_user = cls.create_superuser("admin", password="password")

    def setUp(self):
        super().setUp()
        self.client.force_login(self.admin_user)

    def post_add_form(self, parent, model, data):
        """POST the admin's add form and return the response (for validation tests)."""
        data = {"slug": "new-page", "action-publish": "action-publish", **data}
        url = reverse(
            "wagtailadmin_pages:add",
            args=[model._meta.app_label, model._meta.model_name, parent.pk],
        )
        return self.client.post(url, data)

    def rejected_form(self, response):
        """The page form from a response that must have rejected it."""
        self.assertEqual(response.status_code, 200, "the form was accepted")
        form = response.context["form"]
        self.assertFalse(form.is_valid())
        return form

    def get_page_html(self, page):
        """The public page, rendered for an anonymous visitor."""
        self.client.logout()
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()


def add_renditions(image):
    """The renditions the API shows, as rows (Wagtail's cache of renditions may hold
    those of an earlier test's image with the same id, and make none)."""
    for spec in ALL_RENDITION_SPECS:
        image.renditions.create(
            filter_spec=spec,
            focal_point_key="",
            file=f"images/test-{image.pk}-{spec.replace('|', '-')}.jpg",
            width=400,
            height=300,
        )

"""Headless preview on Wagtail 8: the admin's preview, the frontend's URL, the token endpoint."""

import time
from urllib.parse import parse_qs, urlsplit

from django.core.signing import TimestampSigner, b62_encode
from django.test import override_settings
from django.urls import reverse
from wagtail.models import get_page_models
from wagtail.test.utils.form_data import streamfield
from wagtail_headless_preview.models import PagePreview

from cms.headless import HeadlessPreviewMixin, prune_expired_previews
from home.factories import StandardPageFactory, make_site_root
from home.models import StandardPage
from people.factories import PersonFactory
from tests.helpers import AdminPageTestCase, page_form

CLIENT_URL = "https://front.example.org/preview"
OUR_APPS = {"home", "events", "people", "gallery"}
HEADLESS = override_settings(
    WAGTAIL_HEADLESS_PREVIEW={"CLIENT_URLS": {"default": CLIENT_URL}, "REDIRECT_ON_PREVIEW": True}
)
HEADLESS_IFRAME = override_settings(
    WAGTAIL_HEADLESS_PREVIEW={"CLIENT_URLS": {"default": CLIENT_URL}, "REDIRECT_ON_PREVIEW": False}
)
NOT_HEADLESS = override_settings(WAGTAIL_HEADLESS_PREVIEW={"CLIENT_URLS": {}})


class PastSigner(TimestampSigner):
    """Signs as if two hours ago, to stand for a preview link that has been lying around."""

    def timestamp(self):
        return b62_encode(int(time.time()) - 2 * 60 * 60)


class PreviewTestCase(AdminPageTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_site_root()
        cls.page = StandardPageFactory(parent=cls.home, title="About SMOP", slug="about")

    def edit_form(self, title):
        return page_form(
            {"title": title, "slug": "about", "intro": "Draft intro.", "body": streamfield([])}
        )

    def preview_edit(self, title="About SMOP (draft)"):
        """What the admin's preview panel does: post the form, then load the preview."""
        url = reverse("wagtailadmin_pages:preview_on_edit", args=[self.page.pk])
        posted = self.client.post(url, self.edit_form(title))
        self.assertEqual(posted.json(), {"is_valid": True, "is_available": True})
        return self.client.get(url)

    def preview_params(self, location):
        parts = urlsplit(location)
        self.assertEqual(f"{parts.scheme}://{parts.netloc}{parts.path}", CLIENT_URL + "/")
        params = parse_qs(parts.query)
        self.assertEqual(set(params), {"content_type", "token"})
        return {key: values[0] for key, values in params.items()}

    def fetch(self, params):
        self.client.logout()  # the frontend holds no admin session
        return self.client.get("/api/v3/preview/", params)


@HEADLESS
class HeadlessPreviewTests(PreviewTestCase):
    def test_every_page_type_previews_headlessly(self):
        ours = [m for m in get_page_models() if m._meta.app_label in OUR_APPS]
        self.assertGreaterEqual(len(ours), 11)
        for model in ours:
            with self.subTest(model=model.__name__):
                self.assertTrue(issubclass(model, HeadlessPreviewMixin))

    def test_preview_redirects_to_the_frontend_with_content_type_and_token(self):
        response = self.preview_edit()

        self.assertEqual(response.status_code, 302)
        params = self.preview_params(response["Location"])
        self.assertEqual(params["content_type"], "home.standardpage")

    def test_the_token_fetches_the_draft_not_the_live_page(self):
        params = self.preview_params(self.preview_edit("Our new name")["Location"])

        response = self.fetch(params)

        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["title"], "Our new name")
        self.assertEqual(body["intro"], "Draft intro.")
        self.assertEqual(body["id"], self.page.pk)
        self.assertEqual(body["meta"]["type"], "home.StandardPage")
        self.assertIn("no-store", response["Cache-Control"])
        # Previewing published nothing.
        self.page.refresh_from_db()
        self.assertEqual(self.page.title, "About SMOP")

    def test_a_new_page_previews_before_it_is_saved(self):
        url = reverse(
            "wagtailadmin_pages:preview_on_add", args=["home", "standardpage", self.home.pk]
        )
        data = page_form(
            {"title": "Brand new", "slug": "brand-new", "intro": "", "body": streamfield([])}
        )
        self.assertTrue(self.client.post(url, data).json()["is_valid"])
        params = self.preview_params(self.client.get(url)["Location"])

        response = self.fetch(params)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["title"], "Brand new")
        self.assertFalse(StandardPage.objects.filter(title="Brand new").exists())

    def test_an_old_revision_previews_on_the_frontend_too(self):
        self.page.title = "An earlier wording"
        revision = self.page.save_revision()
        url = reverse("wagtailadmin_pages:revisions_view", args=[self.page.pk, revision.pk])

        params = self.preview_params(self.client.get(url)["Location"])

        self.assertEqual(self.fetch(params).json()["title"], "An earlier wording")

    def test_a_tampered_token_is_refused(self):
        params = self.preview_params(self.preview_edit()["Location"])
        identifier, timestamp, signature = params["token"].split(":")

        for token in (
            f"id={self.home.pk}:{timestamp}:{signature}",  # another page, same signature
            f"{identifier}:{timestamp}:{signature[:-1]}x",
            f"{identifier}:{timestamp}",
        ):
            with self.subTest(token=token):
                response = self.fetch({**params, "token": token})
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response["Content-Type"], "application/problem+json")

    def test_a_forged_token_is_refused(self):
        forged = TimestampSigner(key="not-our-secret", salt="headlesspreview.token")
        token = forged.sign(f"id={self.page.pk}")
        PagePreview.objects.create(
            token=token, content_type=self.page.content_type, content_json=self.page.to_json()
        )

        response = self.fetch({"content_type": "home.standardpage", "token": token})

        self.assertEqual(response.status_code, 400)

    def test_an_expired_token_is_refused(self):
        token = PastSigner(salt="headlesspreview.token").sign(f"id={self.page.pk}")
        PagePreview.objects.create(
            token=token, content_type=self.page.content_type, content_json=self.page.to_json()
        )

        response = self.fetch({"content_type": "home.standardpage", "token": token})

        self.assertEqual(response.status_code, 400)
        self.assertIn("expired", response.json()["detail"])

    @override_settings(HEADLESS_PREVIEW_TOKEN_MAX_AGE=3 * 60 * 60)
    def test_the_lifetime_is_a_setting(self):
        token = PastSigner(salt="headlesspreview.token").sign(f"id={self.page.pk}")
        PagePreview.objects.create(
            token=token, content_type=self.page.content_type, content_json=self.page.to_json()
        )

        response = self.fetch({"content_type": "home.standardpage", "token": token})

        self.assertEqual(response.status_code, 200)

    def test_expired_previews_are_deleted(self):
        old = PastSigner(salt="headlesspreview.token").sign(f"id={self.page.pk}")
        PagePreview.objects.create(
            token=old, content_type=self.page.content_type, content_json=self.page.to_json()
        )

        self.preview_edit()

        self.assertFalse(PagePreview.objects.filter(token=old).exists())
        self.assertEqual(PagePreview.objects.count(), 1)
        self.assertEqual(prune_expired_previews(), 0)

    def test_a_token_only_opens_its_own_content_type(self):
        params = self.preview_params(self.preview_edit()["Location"])

        for content_type, status in (
            ("home.homepage", 404),  # a real page type, but not this token's
            ("auth.user", 400),  # not a page at all
            ("nothing.here", 400),
            ("", 400),
        ):
            with self.subTest(content_type=content_type):
                response = self.fetch({**params, "content_type": content_type})
                self.assertEqual(response.status_code, status)

    def test_missing_parameters_are_a_client_error(self):
        for params in ({}, {"token": "x"}, {"content_type": "home.standardpage"}):
            with self.subTest(params=params):
                self.assertEqual(self.fetch(params).status_code, 400)

    def test_people_keep_their_profile_template_preview(self):
        # A person is not a page: the frontend reads people from the people endpoints,
        # and the admin previews a profile with the site's own template.
        person = PersonFactory(first_name="Ayesha", last_name="Previewed")

        response = person.make_preview_request()

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Ayesha Previewed")
        self.assertFalse(PagePreview.objects.exists())


@HEADLESS_IFRAME
class IframePreviewTests(PreviewTestCase):
    def test_preview_can_frame_the_frontend_instead(self):
        response = self.preview_edit()

        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn(f'<iframe src="{CLIENT_URL}/?content_type=home.standardpage', html)


@NOT_HEADLESS
class TemplatePreviewTests(PreviewTestCase):
    def test_without_a_frontend_pages_preview_with_their_own_template(self):
        response = self.preview_edit("Template preview title")

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Template preview title")
        self.assertFalse(PagePreview.objects.exists())

    def test_the_endpoint_has_nothing_to_give(self):
        response = self.fetch({"content_type": "home.standardpage", "token": "id=1:abc:def"})

        self.assertEqual(response.status_code, 400)

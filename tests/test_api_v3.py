"""The typed API at /api/v3/: its schema, what anonymous readers see, token writes, errors."""

import json
from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import APIToken, Page, PageViewRestriction, get_page_models

from home.factories import StandardPageFactory, make_site_root
from home.models import StandardPage
from people.factories import PersonFactory

OUR_APPS = {"home", "events", "people", "gallery"}
PROBLEM_JSON = "application/problem+json"


def our_page_models():
    return [model for model in get_page_models() if model._meta.app_label in OUR_APPS]


def issue_token(username, name="automation"):
    """A token the way an operator gets one: `manage.py api_tokens create`."""
    out = StringIO()
    call_command("api_tokens", "create", "--user", username, "--name", name, stdout=out)
    return out.getvalue().strip()


class SchemaTests(TestCase):
    def test_openapi_document_lists_our_endpoints_and_page_types(self):
        response = self.client.get("/api/v3/openapi.json")

        self.assertEqual(response.status_code, 200)
        schema = json.loads(response.content)
        self.assertEqual(schema["openapi"], "3.1.0")
        for path in (
            "/api/v3/pages/",
            "/api/v3/pages/{page_id}/",
            "/api/v3/pages/find/",
            "/api/v3/preview/",
            "/api/v3/whoami/",
        ):
            self.assertIn(path, schema["paths"])
        components = schema["components"]["schemas"]
        for model in our_page_models():
            with self.subTest(model=model.__name__):
                read_schema = components[f"{model.__name__}Schema"]
                for field in model.api_fields:
                    self.assertIn(field.name, read_schema["properties"])

    def test_every_operation_declares_bearer_security(self):
        schema = self.client.get("/api/v3/openapi.json").json()

        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                schemes = [name for entry in operation.get("security", []) for name in entry]
                self.assertIn("BearerTokenAuth", schemes, f"{method.upper()} {path}")

    def test_docs_page_is_served_from_our_own_static_files(self):
        response = self.client.get("/api/v3/docs/")

        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("/api/v3/openapi.json", html)
        self.assertIn("/static/ninja/", html)
        self.assertNotIn("cdn.jsdelivr", html)


class AnonymousReadTests(TestCase):
    """Anonymous readers get live, public pages only, through every route."""

    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.public = StandardPageFactory(parent=cls.home, title="About SMOP")
        cls.draft = StandardPageFactory(parent=cls.home, title="Unreleased plans", live=False)
        cls.restricted = StandardPageFactory(parent=cls.home, title="Committee minutes")
        PageViewRestriction.objects.create(
            page=cls.restricted, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
        cls.restricted_child = StandardPageFactory(parent=cls.restricted, title="Agenda")
        # A live page with unpublished changes waiting in a revision.
        cls.public.title = "Pending rewrite"
        cls.public.save_revision()
        cls.admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw")

    def listed_ids(self, **params):
        response = self.client.get("/api/v3/pages/", {"limit": 20, **params})
        self.assertEqual(response.status_code, 200)
        return {item["id"] for item in response.json()["items"]}

    def test_listing_holds_only_live_public_pages(self):
        self.assertEqual(self.listed_ids(), {self.home.pk, self.public.pk})

    def test_filters_and_search_reveal_nothing_private(self):
        self.assertEqual(self.listed_ids(type="home.StandardPage"), {self.public.pk})
        self.assertEqual(self.listed_ids(child_of=self.home.pk), {self.public.pk})
        self.assertEqual(self.listed_ids(search="Agenda"), set())
        self.assertEqual(self.listed_ids(search="Unreleased"), set())
        # Relative to a private page is a bad request, not its children.
        response = self.client.get("/api/v3/pages/", {"child_of": self.restricted.pk})
        self.assertEqual(response.status_code, 400)

    def test_private_pages_are_not_found_by_id_or_path(self):
        for page in (self.draft, self.restricted, self.restricted_child):
            with self.subTest(page=page.title):
                response = self.client.get(f"/api/v3/pages/{page.pk}/")
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response["Content-Type"], PROBLEM_JSON)
                found = self.client.get("/api/v3/pages/find/", {"html_path": page.url})
                self.assertEqual(found.status_code, 404)

    def test_drafts_of_live_pages_stay_hidden(self):
        response = self.client.get(f"/api/v3/pages/{self.public.pk}/", {"version": "draft"})

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["title"], "About SMOP")
        self.assertNotIn("Pending rewrite", response.content.decode())

    def test_a_session_login_does_not_widen_what_is_read(self):
        # v3 trusts bearer tokens only; an admin's browser session stays anonymous.
        self.client.force_login(self.admin)

        self.assertEqual(self.listed_ids(), {self.home.pk, self.public.pk})
        response = self.client.get(f"/api/v3/pages/{self.draft.pk}/")
        self.assertEqual(response.status_code, 404)

    def test_a_page_password_typed_on_the_site_does_not_widen_what_is_read(self):
        # As if this browser had typed the restricted page's password on the site.
        session = self.client.session
        session[PageViewRestriction.passed_view_restrictions_session_key] = list(
            PageViewRestriction.objects.values_list("pk", flat=True)
        )
        session.save()

        self.assertEqual(self.listed_ids(), {self.home.pk, self.public.pk})
        for page in (self.restricted, self.restricted_child):
            with self.subTest(page=page.title):
                response = self.client.get(f"/api/v3/pages/{page.pk}/")
                self.assertEqual(response.status_code, 404)
        # The site still knows the password was given.
        self.assertIn(
            PageViewRestriction.passed_view_restrictions_session_key, self.client.session
        )

    def test_database_rich_text_formats_need_a_token(self):
        # They carry `linktype=` markup and the ids of linked pages, public or not.
        for rich_text_format in ("db_html", "db_markdown"):
            with self.subTest(rich_text_format=rich_text_format):
                response = self.client.get(
                    f"/api/v3/pages/{self.public.pk}/", {"rich_text_format": rich_text_format}
                )
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response["Content-Type"], PROBLEM_JSON)
        for rich_text_format in ("html", "markdown"):
            with self.subTest(rich_text_format=rich_text_format):
                response = self.client.get(
                    f"/api/v3/pages/{self.public.pk}/", {"rich_text_format": rich_text_format}
                )
                self.assertEqual(response.status_code, 200)

    def test_people_and_other_admin_only_types_need_a_token(self):
        PersonFactory()
        for path in (
            "/api/v3/snippets/people.Person/",
            "/api/v3/schema/",
            "/api/v3/sites/",
            "/api/v3/whoami/",
            f"/api/v3/pages/{self.public.pk}/revisions/",
        ):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response["Content-Type"], PROBLEM_JSON)


class TokenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        users = get_user_model().objects
        cls.admin = users.create_superuser("automation", "bot@example.org", "pw")
        cls.outsider = users.create_user("outsider", "o@example.org", "pw")

    def create_payload(self, title="From automation"):
        return {
            "meta": {"type": "home.StandardPage", "parent_id": self.home.pk},
            "title": title,
            "intro": "Written through the API.",
        }

    def post(self, payload, token=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        return self.client.post(
            "/api/v3/pages/", json.dumps(payload), content_type="application/json", **headers
        )

    def test_anonymous_write_is_refused(self):
        response = self.post(self.create_payload())

        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["Content-Type"], PROBLEM_JSON)
        self.assertFalse(StandardPage.objects.exists())

    def test_session_login_cannot_write(self):
        self.client.force_login(self.admin)

        self.assertEqual(self.post(self.create_payload()).status_code, 401)

    def test_token_from_the_management_command_creates_a_draft(self):
        token = issue_token("automation")

        response = self.post(self.create_payload(), token)

        self.assertEqual(response.status_code, 201, response.content)
        page = StandardPage.objects.get(title="From automation")
        self.assertEqual(page.get_parent().pk, self.home.pk)
        self.assertFalse(page.live)
        self.assertEqual(response.json()["id"], page.pk)
        # A draft made through the API is still invisible to anonymous readers.
        self.assertEqual(self.client.get(f"/api/v3/pages/{page.pk}/").status_code, 404)

    def test_a_write_with_an_invalid_body_keeps_wagtails_422(self):
        payload = {**self.create_payload(), "meta": {"type": "home.NoSuchPage"}}

        response = self.post(payload, issue_token("automation"))

        self.assertEqual(response.status_code, 422, response.content)
        self.assertEqual(response["Content-Type"], PROBLEM_JSON)
        self.assertFalse(StandardPage.objects.exists())

    def test_token_reads_its_users_drafts(self):
        token = issue_token("automation")
        draft = StandardPageFactory(parent=self.home, title="Draft only", live=False)

        response = self.client.get(
            f"/api/v3/pages/{draft.pk}/",
            {"version": "draft"},
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["title"], "Draft only")

    def test_a_token_can_do_only_what_its_user_may(self):
        token = issue_token("outsider")

        response = self.post(self.create_payload(), token)

        self.assertEqual(response.status_code, 403)
        self.assertFalse(StandardPage.objects.exists())

    def test_revoked_and_made_up_tokens_are_refused(self):
        token = issue_token("automation")
        call_command(
            "api_tokens", "revoke", "--id", str(APIToken.objects.get().pk), stdout=StringIO()
        )

        for bad in (token, "wagtail_notarealtoken", "x" * 500):
            with self.subTest(token=bad[:20]):
                self.assertEqual(self.post(self.create_payload(), bad).status_code, 401)
        self.assertFalse(StandardPage.objects.exists())

    def test_whoami_names_the_tokens_user(self):
        token = issue_token("automation")

        response = self.client.get("/api/v3/whoami/", HTTP_AUTHORIZATION=f"Bearer {token}")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["user"]["username"], "automation")


class JunkParameterTests(TestCase):
    """Nonsense in the query string is a 4xx problem response, never a server error."""

    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        StandardPageFactory(parent=cls.home)

    JUNK = [
        ("/api/v3/pages/", {"limit": "ten"}),
        ("/api/v3/pages/", {"limit": "-1"}),
        ("/api/v3/pages/", {"limit": "0"}),
        ("/api/v3/pages/", {"limit": "100000"}),
        ("/api/v3/pages/", {"offset": "-5"}),
        ("/api/v3/pages/", {"offset": "1e9999"}),
        ("/api/v3/pages/", {"type": "nope.Nothing"}),
        ("/api/v3/pages/", {"type": "home"}),
        ("/api/v3/pages/", {"order": "no_such_field"}),
        ("/api/v3/pages/", {"order": "-"}),
        ("/api/v3/pages/", {"child_of": "abc"}),
        ("/api/v3/pages/", {"child_of": "999999"}),
        ("/api/v3/pages/", {"descendant_of": "-3"}),
        ("/api/v3/pages/", {"ancestor_of": "0"}),
        ("/api/v3/pages/", {"search_operator": "xor", "search": "smop"}),
        ("/api/v3/pages/", {"locale": "zz"}),
        ("/api/v3/pages/", {"title": "a\x00b"}),
        ("/api/v3/pages/", {"search": "smop\x00"}),
        ("/api/v3/pages/", {"offset": "99999999999999999999"}),
        ("/api/v3/pages/", {"type": "home.StandardPage", "listing_image": "9" * 20}),
        ("/api/v3/pages/find/", {"html_path": "/\x00/"}),
        ("/api/v3/pages/1/", {"version": "tomorrow"}),
        ("/api/v3/pages/1/", {"rich_text_format": "pdf"}),
        ("/api/v3/pages/999999/", {}),
        ("/api/v3/pages/find/", {"html_path": "/no/such/page/"}),
        ("/api/v3/pages/find/", {"id": "abc"}),
        ("/api/v3/preview/", {}),
        ("/api/v3/preview/", {"content_type": "home.standardpage", "token": "forged"}),
        ("/api/v3/images/", {"limit": "ten"}),
        ("/api/v3/documents/", {"offset": "-1"}),
    ]

    def test_junk_gets_a_json_client_error(self):
        for path, params in self.JUNK:
            with self.subTest(path=path, params=params):
                response = self.client.get(path, params)
                self.assertGreaterEqual(response.status_code, 400)
                self.assertLess(response.status_code, 500)
                self.assertEqual(response["Content-Type"], PROBLEM_JSON)
                body = response.json()
                self.assertEqual(body["status"], response.status_code)
                self.assertIn("detail", body)

    def test_validation_errors_on_a_read_are_a_400_that_names_the_problem(self):
        for params in (
            {"limit": "ten"},
            {"offset": "-1"},
            {"type": "nonsense"},
            {"order": "nope"},
        ):
            with self.subTest(params=params):
                response = self.client.get("/api/v3/pages/", params)

                self.assertEqual(response.status_code, 400)
                self.assertEqual(response["Content-Type"], PROBLEM_JSON)
                body = response.json()
                self.assertEqual((body["status"], body["title"]), (400, "Bad Request"))
                # The error names the parameter or, for an ordering, the unknown field.
                ((name, value),) = params.items()
                errors = json.dumps(body["errors"])
                self.assertTrue(name in errors or value in errors, errors)

    def test_search_syntax_is_taken_as_words(self):
        for search in ('"', 'say "hello', "   ", '" "'):
            with self.subTest(search=search):
                response = self.client.get("/api/v3/pages/", {"search": search})
                self.assertEqual(response.status_code, 200)

    def test_unknown_parameters_are_ignored(self):
        response = self.client.get("/api/v3/pages/", {"colour": "blue", "fields": "*"})

        self.assertEqual(response.status_code, 200)

    def test_tree_root_is_never_listed(self):
        ids = {item["id"] for item in self.client.get("/api/v3/pages/").json()["items"]}

        self.assertNotIn(Page.get_first_root_node().pk, ids)


class SeededSiteTests(TestCase):
    """Every page of the demo site reads through v3, with nothing private in it."""

    PRIVATE_PERSON_FIELDS = (
        "registration_number",
        "private_email",
        "private_phone",
        "private_notes",
    )

    @classmethod
    def setUpTestData(cls):
        call_command("seed_site", stdout=StringIO())

    def all_listed(self):
        items, offset = [], 0
        while True:
            page = self.client.get("/api/v3/pages/", {"limit": 20, "offset": offset}).json()
            items += page["items"]
            offset += 20
            if offset >= page["count"]:
                return items

    def test_every_live_page_reads_in_its_own_type(self):
        items = self.all_listed()

        live = Page.objects.live().public().exclude(depth=1)
        self.assertEqual({item["id"] for item in items}, set(live.values_list("pk", flat=True)))
        for item in items:
            with self.subTest(page=item["meta"]["type"], id=item["id"]):
                response = self.client.get(f"/api/v3/pages/{item['id']}/")
                self.assertEqual(response.status_code, 200)
                detail = response.json()
                self.assertEqual(detail["meta"]["type"], item["meta"]["type"])
                for name in self.PRIVATE_PERSON_FIELDS:
                    self.assertNotIn(name, response.content.decode())
        seeded_types = {item["meta"]["type"] for item in items}
        self.assertEqual(seeded_types, {model._meta.label for model in our_page_models()})


class EditorialGroupTokenTests(TestCase):
    """A token carries its user's editorial permissions, no more."""

    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        editor = get_user_model().objects.create_user("comms", "c@example.org", "pw")
        editor.groups.add(Group.objects.get(name="Communications"))

    def post(self, meta_extra, token):
        payload = {
            "meta": {"type": "home.StandardPage", "parent_id": self.home.pk, **meta_extra},
            "title": "Press release",
        }
        return self.client.post(
            "/api/v3/pages/",
            json.dumps(payload),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    def test_a_communications_token_saves_drafts_but_cannot_publish(self):
        token = issue_token("comms")

        refused = self.post({"action": "publish"}, token)
        self.assertEqual(refused.status_code, 403, refused.content)
        self.assertFalse(StandardPage.objects.filter(live=True).exists())

        saved = self.post({}, token)
        self.assertEqual(saved.status_code, 201, saved.content)
        self.assertFalse(StandardPage.objects.get(pk=saved.json()["id"]).live)

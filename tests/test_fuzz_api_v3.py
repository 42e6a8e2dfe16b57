"""The v3 API fuzzed against its own OpenAPI schema (schemathesis, in process).

Every operation in `/api/v3/openapi.json` gets generated requests, valid and
invalid, against the seeded site. Each response must not be a server error and
must conform to the schema: a documented status code, the documented content type
and headers, and a body that validates against the response schema. The run is
bounded and derandomized, so CI sees the same requests every time.
"""

import io

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def keep_test_connection():
    """Requests go straight to the WSGI app, not through Django's test client; like the
    client, keep the app from closing the database connection (and with it the test's
    transaction) at the end of each request.
    """
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(scope="module")
def seeded_site(django_db_setup, django_db_blocker, keep_test_connection):
    """The demo site and an administrator's token, built once and rolled back after."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_site", stdout=io.StringIO())
            get_user_model().objects.create_superuser("fuzz-admin", "fuzz@example.org", "pw")
            out = io.StringIO()
            call_command(
                "api_tokens", "create", "--user", "fuzz-admin", "--name", "fuzz", stdout=out
            )
            yield {"Authorization": f"Bearer {out.getvalue().split()[-1]}"}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# Loaded when the module is imported: the schema endpoint reads no data.
schema = schemathesis.openapi.from_wsgi("/api/v3/openapi.json", get_wsgi_application())
FUZZ_SETTINGS = settings(
    max_examples=8,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@schema.include(method="GET").parametrize()
@FUZZ_SETTINGS
@pytest.mark.django_db
def test_anonymous_reads_conform_to_the_schema(case, seeded_site):
    """Every read, as the public calls it."""
    case.call_and_validate(checks=CHECKS)


@schema.exclude(method="GET").parametrize()
@settings(FUZZ_SETTINGS, max_examples=3)
@pytest.mark.django_db
def test_anonymous_writes_conform_to_the_schema(case, seeded_site):
    """Every write without a token: refused, as documented, whatever the body."""
    case.call_and_validate(checks=CHECKS)


@schema.include(method="GET").parametrize()
@FUZZ_SETTINGS
@pytest.mark.django_db
def test_reads_with_a_token_conform_to_the_schema(case, seeded_site):
    """Every read with an administrator's token: drafts, revisions, people, sites."""
    case.call_and_validate(headers=seeded_site, checks=CHECKS)


# What the fuzzing found, kept as plain regression tests.


@pytest.mark.django_db
def test_a_snippet_id_that_is_not_a_number_is_not_found(client, seeded_site):
    for path in ("ics/", "ics/revisions/", "ics/revisions/1/"):
        response = client.get(f"/api/v3/snippets/people.Person/{path}", headers=seeded_site)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_translation_of_that_is_not_an_id_is_a_bad_request(client, seeded_site):
    response = client.get(
        "/api/v3/snippets/people.Person/?translation_of=null", headers=seeded_site
    )
    assert response.status_code == 400
    assert "translation_of" in response.json()["detail"]


@pytest.mark.django_db
def test_the_schema_documents_error_answers_and_redirects(client):
    paths = client.get("/api/v3/openapi.json").json()["paths"]
    listing = paths["/api/v3/pages/"]["get"]["responses"]
    assert {"400", "401", "403", "404"} <= set(listing)
    assert "application/problem+json" in listing["404"]["content"]
    assert "422" in paths["/api/v3/pages/"]["post"]["responses"]
    assert "302" in paths["/api/v3/pages/find/"]["get"]["responses"]

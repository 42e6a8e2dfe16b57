"""Wagtail's typed API (v3), served at /api/v3/, plus the headless preview endpoint.

Wagtail builds the API from every page model's `api_fields` when this module is
first imported (from the URLconf, once all apps are loaded), so our page types
need no registration of their own. What it gives:

- `GET /api/v3/pages/`, `/pages/{id}/`, `/pages/find/?html_path=`: anonymous
  readers get live, public pages only (Wagtail's public queryset excludes drafts,
  unpublished and view-restricted pages); a bearer token widens this to the pages
  its user may edit, and `?version=draft` then returns their latest revision.
- Writes (`POST /pages/`, `PATCH /pages/{id}/`, `/pages/{id}/actions/...`),
  `/schema/`, `/sites/` and `/whoami/` need `Authorization: Bearer <token>`, and a
  token can do only what its user may do in the admin. Session cookies never count.
- `/api/v3/openapi.json` (the OpenAPI schema) and `/api/v3/docs/` (its browsable docs).
- `GET /api/v3/preview/?content_type=<app>.<model>&token=<token>`: the draft a
  headless preview token stands for, in the same shape as a page's detail.

Bad parameters are RFC 7807 problem responses (`application/problem+json`): 400 for
a read whose parameters fail validation, for limits above the maximum and for what the
database could not take (NUL characters, numbers beyond its integers); 422 for a write
whose body fails validation; 401 without a token (writes, and the stored rich text
formats `db_html` and `db_markdown`).
"""

import json
from functools import wraps

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth
from wagtail.api.v3.errors import PROBLEM_JSON, problem_response
from wagtail.api.v3.routers.pages import PageDetailSchema
from wagtail.api.v3.urls import api

from cms.headless import PreviewTokenError, page_from_preview_token

# The largest number a database integer (SQLite's, PostgreSQL's bigint) can hold.
MAX_DATABASE_INTEGER = 2**63 - 1
# Rich text as stored, for editing: `linktype=` markup and the ids of linked pages and
# documents, public or not. Anonymous readers get display HTML or Markdown.
DATABASE_RICH_TEXT_FORMATS = ("db_html", "db_markdown")
READ_METHODS = ("GET", "HEAD", "OPTIONS")


def query_problem(query):
    """What makes a query string unusable before it reaches the database, if anything.

    Wagtail validates each parameter's type, but a NUL character or a number beyond
    the database's integers passes that and then fails inside the database.
    """
    for name, values in query.lists():
        for value in values:
            if "\x00" in name or "\x00" in value:
                return f"null characters are not allowed in '{name}'"
            if too_large(value):
                return f"'{name}' is too large a number"
    return None


def too_large(value):
    try:
        return abs(int(value)) > MAX_DATABASE_INTEGER
    except ValueError:
        return False


def clean_search(query):
    """The query with `search` rid of double quotes (search syntax in SQLite) and of
    surrounding blanks: a blank search fails in the database, an empty one finds nothing.
    """
    search = query.get("search")
    if search is None:
        return query
    cleaned = search.replace('"', " ").strip()
    if cleaned == search:
        return query
    query = query.copy()
    query["search"] = cleaned
    return query


def not_an_id(value):
    """Whether a given object id (every id here is an integer) cannot be one."""
    return value is not None and not str(value).isdigit()


def wants_stored_rich_text_without_token(request):
    if request.GET.get("rich_text_format") not in DATABASE_RICH_TEXT_FORMATS:
        return False
    return BearerTokenAuth()(request) is None


def guard_query(run):
    """Answer a 4xx to queries the database cannot take; runs before Wagtail's checks.

    The view runs without the visitor's session: Wagtail's public queryset honours a
    page password typed on the site (kept in the session), and answers here must
    depend on the bearer token alone, as documented.
    """

    @wraps(run)
    def guarded(request, *args, **kwargs):
        problem = query_problem(request.GET)
        if problem:
            return problem_response(status=400, detail=problem)
        if not_an_id(kwargs.get("pk")):
            # Snippet ids are integers here; Wagtail types them as text and the
            # database lookup would fail with a server error.
            return problem_response(status=404, detail="No such object.")
        if not_an_id(request.GET.get("translation_of")):
            return problem_response(status=400, detail="'translation_of' must be an id")
        if wants_stored_rich_text_without_token(request):
            return problem_response(
                status=401, detail="rich_text_format db_html and db_markdown need a token"
            )
        request.GET = clean_search(request.GET)
        session = getattr(request, "session", None)
        request.session = SessionBase()  # empty, and never saved
        try:
            response = run(request, *args, **kwargs)
        finally:
            if session is not None:
                request.session = session
        return as_bad_request_on_read(request, response)

    return guarded


def as_bad_request_on_read(request, response):
    """A read whose parameters fail validation is a 400, as on /api/v2/.

    On a read the query string is the only input, so Wagtail's 422 ("the body could
    not be processed") becomes 400, same problem body. Writes keep 422 for a body
    that fails validation.
    """
    if request.method not in READ_METHODS or response.status_code != 422:
        return response
    problem = json.loads(response.content)
    return problem_response(
        status=400, detail=problem.get("detail", ""), errors=problem.get("errors")
    )


preview_router = Router(tags=["preview"])


class PreviewParams(Schema):
    content_type: str
    token: str


@preview_router.get(
    "/",
    response=PageDetailSchema,
    url_name="page_preview",
    summary="Page preview",
    description=(
        "The draft an editor is previewing. The frontend receives `content_type` and "
        "`token` in its preview URL and passes them on unchanged. Tokens expire."
    ),
    operation_id="page_preview",
    # The token is the credential here; a bearer token adds nothing but is accepted.
    auth=[BearerTokenAuth(), AllowAnonymous()],
)
def page_preview(
    request: HttpRequest,
    response: HttpResponse,
    params: PreviewParams = Query(...),  # noqa: B008
):
    # A draft must never be kept by a browser or a shared cache.
    add_never_cache_headers(response)
    try:
        page = page_from_preview_token(params.content_type, params.token)
    except PreviewTokenError as error:
        raise HttpError(error.status, str(error)) from error
    if page.pk is None:
        # A page not yet created; the schema wants a number (0 is never a page id).
        page.pk = page.id = 0
    return page


# Every error answer is a problem document; Wagtail's schema lists success codes only,
# so a client generated from it (or a schema-driven test) would not expect them.
PROBLEM_RESPONSES = {
    "400": "A parameter did not validate, or the database could not take it.",
    "401": "A token is needed, or the token given is not valid.",
    "403": "The token's user may not do this.",
    "404": "No such object, or none this reader may see.",
}
BODY_PROBLEM_RESPONSES = {"422": "The request body did not validate."}
PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": ["array", "null"], "items": {"type": "object"}},
    },
}


def document_problem_responses(schema):
    """Add the problem responses every operation can give to the OpenAPI document."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            problems = dict(PROBLEM_RESPONSES)
            if "requestBody" in operation:
                problems.update(BODY_PROBLEM_RESPONSES)
            responses = operation.setdefault("responses", {})
            if operation.get("operationId", "").endswith("_find"):
                responses.setdefault("302", {"description": "Redirects to what was found."})
            for status, description in problems.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA}},
                    },
                )
    return schema


def with_problem_responses(get_openapi_schema):
    @wraps(get_openapi_schema)
    def documented(*args, **kwargs):
        return document_problem_responses(get_openapi_schema(*args, **kwargs))

    return documented


api.get_openapi_schema = with_problem_responses(api.get_openapi_schema)
api.title = "SMOP CMS API"
api.description = (
    "Typed read and write API of the Society of Medical Oncology Pakistan's content. "
    "Reads are public; writes need a bearer token (`manage.py api_tokens create`)."
)
api.add_router("/preview/", preview_router)
api.add_decorator(guard_query, mode="view")

urls = api.urls

"""Site search: live, public pages only, paginated."""

from django.template.response import TemplateResponse
from wagtail.models import Page

from cms.pagination import paginate

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def clean_query(raw):
    """The visitor's words, without characters the database search cannot take.

    A stray double quote is query syntax for SQLite's full-text search (an
    unterminated string there), and PostgreSQL refuses NUL characters outright.
    """
    return raw.replace('"', " ").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]


def search(request):
    query = clean_query(request.GET.get("q", ""))
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
    page_obj = paginate(request, results, RESULTS_PER_PAGE)
    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": query, "search_results": page_obj},
    )

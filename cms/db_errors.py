"""While the database is unreachable, visitors get a plain "try again shortly" answer.

A dropped connection is replaced on the next request (`CONN_HEALTH_CHECKS`), so an
outage that a visitor notices is the database refusing connections or failing
mid-request. That is temporary, so the answer is `503 Service Unavailable` with
`Retry-After` (a proxy or CDN does not keep it, and a monitor can tell it from a
bug): the site's own 503 page, or a JSON problem under /api/. Never a traceback.
Any other error is left to Django's 500 page.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG or not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.warning("Database unavailable while serving %s: %s", request.path, exception)
        response = unavailable_response(request)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response


def unavailable_response(request):
    """The answer, rendered without the database (no request context, no settings)."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "type": "about:blank",
                "title": "Service Unavailable",
                "status": 503,
                "detail": "The service is briefly unavailable. Please try again shortly.",
            },
            status=503,
            content_type="application/problem+json",
        )
    return HttpResponse(render_to_string("503.html"), status=503)

"""The site's URLs plus /bench/minimal/, the ceiling every figure is compared with."""

from django.http import HttpResponse
from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns


def minimal(request):
    """The least a Django view can do: the same middleware, no template, no query."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), *site_urlpatterns]

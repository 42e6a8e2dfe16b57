"""/api/v2/galleries/: photo albums, newest first, filterable by event."""

from django.db.models import F, Q
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import LocaleFilter, OrderingFilter
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet

from cms.api_base import (
    IdParametersFilter,
    PublicPagesMixin,
    SafeFieldsFilter,
    SafeSearchFilter,
    parse_id,
)

from .models import GalleryPage


class GalleryEventFilter(BaseFilterBackend):
    """?event=<id>: albums of a live, public event, linked from either side.

    As on the event's page: an album naming the event, or the album the event names.
    """

    def filter_queryset(self, request, queryset, view):
        if "event" not in request.GET:
            return queryset
        from events.models import EventPage  # noqa: PLC0415 - events import galleries

        event_id = parse_id(request.GET["event"], "event")
        event = EventPage.objects.filter(
            pk__in=view.get_base_queryset().filter(pk=event_id).values("pk")
        ).first()
        if event is None:
            return queryset.none()
        linked = Q(event=event.pk)
        if event.gallery_id:
            linked |= Q(pk=event.gallery_id)
        # By id, so the filter also works with ?search= (indexed fields only).
        return queryset.filter(pk__in=GalleryPage.objects.filter(linked).values("pk"))


class GalleriesAPIViewSet(PublicPagesMixin, PagesAPIViewSet):
    name = "galleries"
    model = GalleryPage
    filter_backends = [
        IdParametersFilter,
        GalleryEventFilter,
        SafeFieldsFilter,
        LocaleFilter,
        OrderingFilter,
        SafeSearchFilter,  # last: search results cannot be filtered further
    ]
    custom_filter_fields = ("event",)
    known_query_parameters = BaseAPIViewSet.known_query_parameters.union(
        ["site", "locale", "event"]
    )
    listing_default_fields = PagesAPIViewSet.listing_default_fields + [
        "listing_title",
        "listing_summary",
        "date",
        "event",
        "cover_image",
        "image_count",
    ]

    def get_queryset(self):
        galleries = self.public_pages_of(GalleryPage)
        return galleries.order_by(F("date").desc(nulls_last=True), "title", "pk")

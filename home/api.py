"""/api/v2/resources/: recommended resources from the published resource lists."""

from rest_framework.filters import BaseFilterBackend
from wagtail.api import APIField
from wagtail.api.v2.filters import OrderingFilter
from wagtail.api.v2.views import BaseAPIViewSet

from cms.api_base import (
    IdParametersFilter,
    PublicAPIMixin,
    SafeFieldsFilter,
    public_page_queryset,
)
from cms.serializers import ChoiceLabelField, PageLinkField
from events.api import parse_choices

from .models import Resource, ResourceListPage


class AudienceField(ChoiceLabelField):
    """The audience of the list a resource belongs to: its value, or its label."""

    def __init__(self, as_label=False, **kwargs):
        # Not `label`: Django REST framework uses that name for the field's own label.
        self.as_label = as_label
        super().__init__("audience", **kwargs)

    def to_representation(self, resource):
        page = resource.page
        return str(page.get_audience_display()) if self.as_label else page.audience

    @staticmethod
    def prefetch_lookups(name):
        return ["page"]


class ResourceFilter(BaseFilterBackend):
    """audience (physicians, patients) and language (en, ur); comma-separated."""

    def filter_queryset(self, request, queryset, view):
        audiences = parse_choices(request, "audience", ResourceListPage.Audience)
        if audiences is not None:
            queryset = queryset.filter(page__audience__in=audiences)
        languages = parse_choices(request, "language", Resource.Language)
        if languages is not None:
            queryset = queryset.filter(language__in=languages)
        return queryset


class ResourcesAPIViewSet(PublicAPIMixin, BaseAPIViewSet):
    """Resources of live, public resource lists, in the lists' own order."""

    name = "resources"
    model = Resource
    filter_backends = [IdParametersFilter, SafeFieldsFilter, ResourceFilter, OrderingFilter]
    body_fields = BaseAPIViewSet.body_fields + [
        APIField("audience", serializer=AudienceField()),
        APIField("audience_label", serializer=AudienceField(as_label=True)),
        APIField("list_page", serializer=PageLinkField(source="page")),
    ]
    custom_filter_fields = ("language", "document")
    known_query_parameters = (
        BaseAPIViewSet.known_query_parameters - {"search", "search_operator"}
    ).union(["audience", "language"])
    listing_default_fields = BaseAPIViewSet.listing_default_fields + [
        "audience",
        "title",
        "topic",
        "link",
        "document",
        "publisher",
        "language",
        "language_label",
        "summary",
        "last_reviewed",
        "list_page",
    ]

    def get_queryset(self):
        # Asked for twice a request by Wagtail: the restrictions are looked up once.
        if not hasattr(self, "_lists"):
            self._lists = public_page_queryset(self.request).type(ResourceListPage)
        resources = Resource.objects.filter(page__in=self._lists.values("pk"))
        return resources.order_by("page__path", "sort_order", "pk")

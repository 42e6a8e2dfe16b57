"""/api/v2/people/: the member directory, listed live members only, public fields only."""

from django.db.models import Q
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import OrderingFilter
from wagtail.api.v2.views import BaseAPIViewSet

from cms.api_base import IdParametersFilter, PublicAPIMixin, SafeFieldsFilter

from .models import OfficerTerm, Person, name_terms, with_specialty


class DirectoryFilter(BaseFilterBackend):
    """name (titles and punctuation ignored, as on the site), specialty, role."""

    def filter_queryset(self, request, queryset, view):
        for word in name_terms(request.GET.get("name", "")):
            queryset = queryset.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word)
            )
        specialty = request.GET.get("specialty")
        if specialty:
            queryset = with_specialty(queryset, specialty)
        role = request.GET.get("role")
        if role:
            holders = OfficerTerm.objects.current().filter(role__slug=role).values("person")
            queryset = queryset.filter(pk__in=holders)
        # Every filter is a subquery, never a join: each person comes once without
        # DISTINCT, which would make the count and the page compare every column.
        return queryset


class PeopleAPIViewSet(PublicAPIMixin, BaseAPIViewSet):
    """Listed, live members by surname. `city` and `institution` match exactly."""

    name = "people"
    model = Person
    filter_backends = [IdParametersFilter, SafeFieldsFilter, DirectoryFilter, OrderingFilter]
    # Filtered by their own parameters (`specialty`), or not at all (private data
    # must never be a filter: it would reveal itself one guess at a time).
    custom_filter_fields = ("specialties", "officer_terms", "biography", "photo")
    known_query_parameters = (
        BaseAPIViewSet.known_query_parameters - {"search", "search_operator", "rich_text_format"}
    ).union(["name", "specialty", "role", "rich_text_format"])
    listing_default_fields = BaseAPIViewSet.listing_default_fields + [
        "slug",
        "full_name",
        "honorific",
        "first_name",
        "last_name",
        "credentials",
        "designation",
        "specialties",
        "institution",
        "city",
        "photo",
        "current_roles",
        "profile_url",
    ]

    def get_queryset(self):
        return Person.objects.public().order_by("last_name", "first_name", "pk")

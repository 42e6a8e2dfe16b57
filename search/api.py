"""/api/v2/search/: site search across every live, public page, with result types."""

from django.db.models import prefetch_related_objects
from django.urls import path
from wagtail.api.v2.utils import BadRequestError, page_models_from_string
from wagtail.api.v2.views import BaseAPIViewSet
from wagtail.models import Page

from cms.api_base import PublicAPIMixin, public_page_queryset
from cms.serializers import api_renditions, image_representation, page_link_representation
from search.views import clean_query


def result_representation(page, context):
    """A search hit: the page link, its type's name, summary and listing image."""
    return {
        **page_link_representation(page, context),
        "type_label": str(page._meta.verbose_name),
        "summary": getattr(page, "card_summary", "") or page.search_description,
        "listing_image": image_representation(getattr(page, "listing_image", None), context),
    }


def prefetch_listing_images(pages):
    """Listing images and the renditions the API shows: two queries per page type found."""
    by_type = {}
    for page in pages:
        by_type.setdefault(type(page), []).append(page)
    for model, items in by_type.items():
        if hasattr(model, "listing_image"):
            prefetch_related_objects(
                items, "listing_image", api_renditions("listing_image__renditions")
            )


class SearchAPIViewSet(PublicAPIMixin, BaseAPIViewSet):
    """?q=words; optional type=app.Model[,app.Model]; limit and offset.

    The same search as the site's search page: live, public pages of this site,
    most relevant first. Each result says its type (`type`, `type_label`).
    """

    name = "search"
    model = Page
    known_query_parameters = frozenset(["q", "type", "limit", "offset", "format", "_"])

    def listing_view(self, request):
        self.check_query_parameters(Page.objects.none())
        query = clean_query(request.GET.get("q", ""))
        if not query:
            raise BadRequestError("q (the words to search for) is required")
        pages = public_page_queryset(request)
        if request.GET.get("type"):
            try:
                pages = pages.type(*page_models_from_string(request.GET["type"]))
            except (LookupError, ValueError) as error:
                raise BadRequestError("type doesn't exist") from error
        found = list(self.paginate_search(pages.specific().search(query)))
        prefetch_listing_images(found)
        context = self.get_serializer_context()
        return self.paginator.get_paginated_response(
            [result_representation(page, context) for page in found]
        )

    def paginate_search(self, results):
        return self.paginator.paginate_queryset(results, self.request, view=self)

    def get_serializer_context(self):
        return {"request": self.request, "view": self, "router": self.request.wagtailapi_router}

    def check_query_parameters(self, queryset):
        unknown = set(self.request.GET) - self.known_query_parameters
        if unknown:
            raise BadRequestError(
                "query parameter is not an operation or a recognised field: "
                + ", ".join(sorted(unknown))
            )

    @classmethod
    def get_urlpatterns(cls):
        return [path("", cls.as_view({"get": "listing_view"}), name="listing")]

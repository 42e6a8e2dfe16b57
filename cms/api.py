"""The public read API, /api/v2/: Wagtail's v2 router with the endpoints a frontend needs.

Wagtail's pages, images and documents endpoints, made anonymous, cache-friendly and
strict about parameters (see cms.api_base), plus endpoints that filter what the
generic ones cannot: events, people, resources, galleries, navigation and search.
"""

from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    LocaleFilter,
    OrderingFilter,
    TranslationOfFilter,
)
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.serializers import DocumentSerializer
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.serializers import ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet

from cms.api_base import (
    IdParametersFilter,
    PrefetchedTagsField,
    PublicAPIMixin,
    PublicPagesMixin,
    RouterDetailUrlField,
    SafeFieldsFilter,
    SafeSearchFilter,
    restricted_collection_ids,
)
from cms.api_navigation import NavigationAPIViewSet
from events.api import EventsAPIViewSet
from gallery.api import GalleriesAPIViewSet
from home.api import ResourcesAPIViewSet
from people.api import PeopleAPIViewSet
from search.api import SearchAPIViewSet


def public_media(view):
    """Images or documents outside restricted collections (looked up once per request)."""
    if not hasattr(view, "_restricted_collections"):
        view._restricted_collections = list(restricted_collection_ids())
    return view.model.objects.exclude(collection__in=view._restricted_collections).order_by("id")


class SitePagesAPIViewSet(PublicPagesMixin, PagesAPIViewSet):
    """Every live, public page; `?type=app.Model` for one type's own fields."""

    filter_backends = [
        IdParametersFilter,
        SafeFieldsFilter,
        ChildOfFilter,
        AncestorOfFilter,
        DescendantOfFilter,
        OrderingFilter,
        TranslationOfFilter,
        LocaleFilter,
        SafeSearchFilter,  # last: search results cannot be filtered further
    ]


class SiteImageSerializer(ImageSerializer):
    detail_url = RouterDetailUrlField(read_only=True)
    tags = PrefetchedTagsField(read_only=True)


class SiteImagesAPIViewSet(PublicAPIMixin, ImagesAPIViewSet):
    """Images outside restricted collections, with alt text, credit and renditions."""

    base_serializer_class = SiteImageSerializer
    filter_backends = [IdParametersFilter, SafeFieldsFilter, OrderingFilter, SafeSearchFilter]

    def get_queryset(self):
        return public_media(self)


class SiteDocumentSerializer(DocumentSerializer):
    detail_url = RouterDetailUrlField(read_only=True)
    tags = PrefetchedTagsField(read_only=True)


class SiteDocumentsAPIViewSet(PublicAPIMixin, DocumentsAPIViewSet):
    """Documents outside restricted collections, with download URL, size and type."""

    base_serializer_class = SiteDocumentSerializer
    filter_backends = [IdParametersFilter, SafeFieldsFilter, OrderingFilter, SafeSearchFilter]

    def get_queryset(self):
        return public_media(self)


api_router = WagtailAPIRouter("wagtailapi")
# Pages first: the router links every page (an event, a gallery) to the pages
# endpoint, the one that can show any page type.
api_router.register_endpoint("pages", SitePagesAPIViewSet)
api_router.register_endpoint("images", SiteImagesAPIViewSet)
api_router.register_endpoint("documents", SiteDocumentsAPIViewSet)
api_router.register_endpoint("events", EventsAPIViewSet)
api_router.register_endpoint("galleries", GalleriesAPIViewSet)
api_router.register_endpoint("people", PeopleAPIViewSet)
api_router.register_endpoint("resources", ResourcesAPIViewSet)
api_router.register_endpoint("navigation", NavigationAPIViewSet)
api_router.register_endpoint("search", SearchAPIViewSet)

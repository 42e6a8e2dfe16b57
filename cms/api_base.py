"""The building blocks of the public read API (/api/v2/), shared by every endpoint.

Every endpoint is a subclass of one of Wagtail's v2 viewsets with `PublicAPIMixin`:

- anonymous, always: no log-in or session changes what the API returns, so responses
  can be cached publicly and nothing private leaks through a shared cache;
- JSON only, with `Cache-Control`, an `ETag` and `304 Not Modified`;
- junk parameters get a 400 with a JSON `message`, never a 500;
- listings prefetch what their fields need, so 5 items cost the same queries as 50.
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q, prefetch_related_objects
from django.http import Http404
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from rest_framework import exceptions, status
from rest_framework.fields import Field
from rest_framework.filters import BaseFilterBackend
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail.api.conf import get_model_field
from wagtail.api.v2.filters import FieldsFilter, SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.serializers import ChildRelationField
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.validators import SiteFilterValidator
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Collection, CollectionViewRestriction, Page
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from cms.serializers import PublicPages
from search.views import clean_query

# The largest database integer every backend takes; larger ids or offsets are junk.
MAX_INTEGER = 2**31 - 1
SEARCH_OPERATORS = ("and", "or")
# Rich text as visitors see it. The database formats (`db_html`, `db_markdown`) carry
# `linktype=` markup and the ids of pages and documents, public or not.
DISPLAY_RICH_TEXT_FORMATS = ("html", "markdown")
# What a detail (or `find`) may be asked besides the object; the rest is for listings.
DETAIL_QUERY_PARAMETERS = frozenset(["fields", "rich_text_format", "format", "_"])


def parse_id(value, name):
    """A positive database id from a query parameter, or a 400."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 < number <= MAX_INTEGER:
        raise BadRequestError(f"{name} must be a positive integer")
    return number


class SitePagination(WagtailPagination):
    """Wagtail's limit/offset pagination, refusing offsets no database can take."""

    def paginate_queryset(self, queryset, request, view=None):
        offset = request.GET.get("offset", "0")
        if offset.isdigit() and int(offset) > MAX_INTEGER:
            raise BadRequestError("offset is too large")
        return super().paginate_queryset(queryset, request, view)


class SafeFieldsFilter(FieldsFilter):
    """Wagtail's `?field=value` filters; a value the field cannot hold is a 400."""

    def filter_queryset(self, request, queryset, view):
        for name, value in request.GET.items():
            if "\x00" in value:
                raise BadRequestError(f"null characters are not allowed in {name}")
        try:
            return super().filter_queryset(request, queryset, view)
        except (ValidationError, ValueError, TypeError, OverflowError) as error:
            raise BadRequestError(f"field filter error: {error}") from error


class SafeSearchFilter(SearchFilter):
    """Wagtail's `?search=`, with the query cleaned and the operator checked."""

    def filter_queryset(self, request, queryset, view):
        operator = request.GET.get("search_operator")
        if operator is not None and operator not in SEARCH_OPERATORS:
            raise BadRequestError("search_operator must be 'and' or 'or'")
        if "search" not in request.GET:
            return queryset
        if getattr(queryset, "_filtered_by_tag", False):
            raise BadRequestError("filtering by tag with a search query is not supported")
        query = clean_query(request.GET["search"])
        if not query:
            return queryset.none()
        try:
            return get_search_backend().search(
                query,
                queryset,
                operator=operator,
                order_by_relevance="order" not in request.GET,
            )
        except (FilterFieldError, OrderByFieldError) as error:
            raise BadRequestError(
                f"cannot filter or order by '{error.field_name}' while searching "
                "(the field is not indexed)"
            ) from error


def prefetch_lookups(serializer, prefix=""):
    """The prefetch lookups a serializer's fields need, nested relations included.

    Fields of our own declare theirs (`prefetch_lookups(name)`); Wagtail's child
    relations (inline panels) and foreign keys are prefetched by name. Given the
    serializer that renders the response, whose fields are then built only once.
    """
    model = serializer.Meta.model
    lookups = []
    for name, field in serializer.fields.items():
        own = getattr(field, "prefetch_lookups", None)
        if own is not None:
            attribute = field.source if field.source and field.source != "*" else name
            lookups += [f"{prefix}{lookup}" for lookup in own(attribute)]
        elif not is_model_relation(model, name):
            continue  # e.g. a page's `parent`, which Wagtail finds by itself
        else:  # foreign keys (a page's `locale`), many-to-many and inline children
            lookups.append(f"{prefix}{name}")
            if isinstance(field, ChildRelationField):
                lookups += prefetch_lookups(field.serializer_class(), f"{prefix}{name}__")
    return list(dict.fromkeys(lookups))


def is_model_relation(model, name):
    try:
        return get_model_field(model, name).is_relation
    except FieldDoesNotExist:
        return False


def listing_excluded_fields(model):
    """Fields served by the detail endpoint only: bodies, rich text, costly lookups.

    Listings are for cards; each of these would cost queries per item.
    """
    names = {
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, (StreamField, RichTextField))
    }
    return names | set(getattr(model, "api_detail_only_fields", ()))


class PublicAPIMixin:
    """What every /api/v2/ endpoint shares (see the module docstring)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    pagination_class = SitePagination
    custom_filter_fields = ()

    @classmethod
    def _get_serializer_class(cls, router, model, fields_config, show_details=False, nested=False):
        if show_details:
            return super()._get_serializer_class(
                router, model, fields_config, show_details, nested
            )
        excluded = listing_excluded_fields(model)
        asked = sorted({name for name, negated, _ in fields_config if not negated} & excluded)
        if asked:
            raise BadRequestError(
                f"fields only available on the detail endpoint: {', '.join(asked)}"
            )
        # Wagtail drops `detail_only_fields` from listings (and from `fields=*`).
        scoped = type(
            cls.__name__, (cls,), {"detail_only_fields": [*cls.detail_only_fields, *excluded]}
        )
        return super(PublicAPIMixin, scoped)._get_serializer_class(
            router, model, fields_config, show_details, nested
        )

    @classmethod
    def get_available_fields(cls, model, db_fields_only=False):
        fields = super().get_available_fields(model, db_fields_only)
        if db_fields_only:
            # Fields with a filter of their own are not also matched exactly.
            fields = [name for name in fields if name not in cls.custom_filter_fields]
        return fields

    def get_serializer_class(self):
        if not hasattr(self, "_serializer_class"):
            self._serializer_class = super().get_serializer_class()
        return self._serializer_class

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # One restrictions lookup a request, however many pages the response links.
        if not hasattr(self, "_public_pages"):
            self._public_pages = PublicPages()
        context["public_pages"] = self._public_pages
        return context

    def paginate_queryset(self, queryset):
        return list(super().paginate_queryset(queryset))

    def get_serializer(self, instance=None, *args, **kwargs):
        """The serializer, with what its fields need prefetched for the objects it shows."""
        serializer = super().get_serializer(instance, *args, **kwargs)
        items = instance if kwargs.get("many") else [instance]
        if instance is not None and items:
            fields_from = serializer.child if kwargs.get("many") else serializer
            prefetch_related_objects(items, *prefetch_lookups(fields_from))
        return serializer

    def perform_content_negotiation(self, request, force=False):
        # `?format=` picks JSON or nothing; on events it is a filter (in person, virtual).
        in_use = "format" in self.custom_filter_fields
        if not force and not in_use and request.GET.get("format", "json") != "json":
            raise BadRequestError("format must be 'json'")
        return super().perform_content_negotiation(request, force)

    def resolve_rich_text_format(self):
        wanted = self.request.GET.get("rich_text_format")
        if wanted is not None and wanted not in DISPLAY_RICH_TEXT_FORMATS:
            raise BadRequestError("rich_text_format must be 'html' or 'markdown'")
        return super().resolve_rich_text_format()

    def check_detail_query_parameters(self, also=frozenset()):
        """A 400 for listing parameters (`limit`, `order`, filters) sent to a detail.

        Wagtail ignores them there, so a mistyped request would quietly succeed.
        """
        allowed = DETAIL_QUERY_PARAMETERS | also | (self.known_query_parameters & {"site"})
        unknown = set(self.request.GET) - allowed
        if unknown:
            raise BadRequestError(
                "query parameter is not available for a single object: "
                + ", ".join(sorted(unknown))
            )

    def find_view(self, request):
        # Checked here, not only after the redirect: a 400 rather than a redirect to one.
        self.check_detail_query_parameters(self.find_query_parameters)
        return super().find_view(request)

    def find_object(self, queryset, request):
        # Wagtail hands `?id=` to the database as it is: check it is an id first.
        if "id" in request.GET:
            parse_id(request.GET["id"], "id")
        found = super().find_object(queryset, request)
        if found is not None:
            # The detail's own checks of `fields` and `rich_text_format`, before redirecting.
            self._cached_object = found
            self.get_serializer_class()
            self.resolve_rich_text_format()
        return found

    def detail_view(self, request, pk):
        self.check_detail_query_parameters()
        return Response(self.get_serializer(self.get_object()).data)

    def handle_exception(self, exc):
        if isinstance(exc, (ValidationError, OverflowError)):
            exc = BadRequestError(str(exc))
        if isinstance(exc, exceptions.NotFound):
            exc = Http404(str(exc.detail))
        if isinstance(exc, exceptions.APIException) and not isinstance(exc, exceptions.NotFound):
            return Response({"message": str(exc.detail)}, status=exc.status_code)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != status.HTTP_200_OK:
            return response
        # Render now to hash the body: the ETag is the content, so it changes with it.
        response.render()
        patch_cache_control(response, public=True, max_age=settings.SMOP_API_CACHE_SECONDS)
        set_response_etag(response)
        return get_conditional_response(request, etag=response.headers["ETag"], response=response)


class PublicPagesMixin(PublicAPIMixin):
    """Pages that every anonymous visitor may see: live, public, on this site."""

    # `html_url` in nested pages saves a frontend a request to route a link.
    nested_default_fields = PagesAPIViewSet.nested_default_fields + ["html_url"]

    def get_base_queryset(self):
        # Wagtail asks for it several times a request; its restriction lookups run once.
        if not hasattr(self, "_base_queryset"):
            self._base_queryset = public_page_queryset(self.request)
        return self._base_queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["base_queryset"] = self.get_base_queryset()
        return context


class IdParametersFilter(BaseFilterBackend):
    """Checks page id parameters before Wagtail's filters look them up.

    Wagtail turns non-numbers into a 400 but hands any number to the database, and
    one too large for an integer column fails there instead.
    """

    names = ("id", "child_of", "ancestor_of", "descendant_of", "translation_of")

    def filter_queryset(self, request, queryset, view):
        for name in self.names:
            value = request.GET.get(name)
            if value is not None and value != "root":
                parse_id(value, name)
        return queryset


def public_page_queryset(request):
    """Live pages of the requested site that every anonymous visitor may see.

    Like Wagtail's own public queryset, but the same for everyone: Wagtail's lets a
    signed-in user or a password session see restricted pages, and costs a second
    lookup of the restrictions.
    """
    try:
        site = SiteFilterValidator(site=request.GET.get("site"), request=request).site_obj
    except ValueError as error:
        raise BadRequestError(f"site: {error}") from error
    if site is None:
        return Page.objects.none()
    roots = [site.root_page]
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        roots += list(site.root_page.get_translations())
    in_site = Q()
    for root in roots:
        in_site |= Q(path__startswith=root.path, depth__gte=root.depth)
    return Page.objects.live().public().filter(in_site)


def restricted_collection_ids():
    """Collections with any view restriction, and their descendants, for everyone."""
    paths = CollectionViewRestriction.objects.values_list("collection__path", flat=True)
    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    if not query:
        return []
    return Collection.objects.filter(query).values_list("pk", flat=True)


class PrefetchedTagsField(Field):
    """Tag names, sorted in Python from prefetched tags (no query per item)."""

    def to_representation(self, tags):
        return sorted(tag.name for tag in tags.all())

    @staticmethod
    def prefetch_lookups(name):
        return [name]

"""The building blocks of the public read API (/api/v2/), shared by every endpoint.

Every endpoint is a subclass of one of Wagtail's v2 viewsets with `PublicAPIMixin`:

- anonymous, always: no log-in or session changes what the API returns, so responses
  can be cached publicly and nothing private leaks through a shared cache;
- JSON only, with `Cache-Control`, an `ETag` and `304 Not Modified`;
- junk parameters get a 400 with a JSON `message`, never a 500;
- listings prefetch what their fields need, so 5 items cost the same queries as 50.
"""

import copy
import datetime
import functools
import inspect
from collections import OrderedDict, namedtuple

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.http import Http404
from django.urls import NoReverseMatch
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from rest_framework import ISO_8601, exceptions, status
from rest_framework.fields import (
    CharField,
    DateTimeField,
    Field,
    IntegerField,
    ReadOnlyField,
    SkipField,
)
from rest_framework.filters import BaseFilterBackend
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.settings import api_settings
from wagtail.api.conf import get_model_field
from wagtail.api.v2.filters import FieldsFilter, SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.serializers import BaseSerializer as WagtailBaseSerializer
from wagtail.api.v2.serializers import (
    ChildRelationField,
    DetailUrlField,
    PageHtmlUrlField,
    PageSerializer,
    PageTypeField,
)
from wagtail.api.v2.utils import BadRequestError, parse_fields_parameter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.validators import SiteFilterValidator
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Collection, CollectionViewRestriction, Page
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from cms.api_json import IndentedJSONRenderer
from cms.api_loading import (
    MAX_INTEGER,
    InstanceQuery,
    listing_query,
    page_model,
    plan_lookups,
    prefetch_planned,
)
from cms.pagination import TotalCount
from cms.request_memo import page_view_restrictions, private_pages_q, request_site_root_paths
from cms.serializers import (
    PAGE_LINK_COLUMNS,
    PublicPages,
    absolute_url,
    object_detail_path,
    page_full_url,
)
from search.views import clean_query

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
    """Wagtail's limit/offset pagination, refusing offsets no database can take.

    The page and the total come from one query (a `TotalCount` beside each row)
    where the queryset allows it, rather than a count and then the page; only an
    empty page (past the end, or `limit=0`) still needs the count.
    """

    def paginate_queryset(self, queryset, request, view=None):
        start, stop = page_bounds(request)
        if not counts_in_window(queryset):
            return super().paginate_queryset(queryset, request, view)
        self.view = view
        rows = list(counted(queryset)[start:stop])
        self.total_count = rows[0].api_total_count if rows else queryset.count()
        return rows

    def paginate_prepared(self, shape, listing, model, joins, request, view=None):
        """As `paginate_queryset(listing())`, its SQL compiled once per `shape` (see
        `listing_query`): `listing` builds the queryset of `model` (`joins` joined),
        only when it is needed.

        The queryset must count in its window and have no prefetches.
        """
        start, stop = page_bounds(request)
        self.view = view
        query = listing_query(shape, lambda: counted(listing()), model, joins)
        rows = query.run(stop - start, start) if stop > start else []
        self.total_count = rows[0].api_total_count if rows else listing().count()
        return rows


def counted(queryset):
    """`queryset`'s rows, each with the total (`api_total_count`) beside it."""
    return queryset.annotate(api_total_count=TotalCount(queryset))


def page_bounds(request):
    """`offset` and `offset + limit`, checked as Wagtail's pagination checks them.

    An offset no database can take is refused too.
    """
    offset = request.GET.get("offset", "0")
    if offset.isdigit() and int(offset) > MAX_INTEGER:
        raise BadRequestError("offset is too large")
    limit_max = getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20)
    try:
        offset = int(request.GET.get("offset", 0))
        if offset < 0:
            raise ValueError
    except ValueError as error:
        raise BadRequestError("offset must be a positive integer") from error
    try:
        limit = int(request.GET.get("limit", min(20, limit_max) if limit_max else 20))
        if limit < 0:
            raise ValueError
    except ValueError as error:
        raise BadRequestError("limit must be a positive integer") from error
    if limit_max and limit > limit_max:
        raise BadRequestError(f"limit cannot be higher than {limit_max}")
    return offset, offset + limit


def counts_in_window(queryset):
    """Whether counting `queryset`'s ids beside its rows is what `.count()` returns."""
    if not isinstance(queryset, QuerySet):
        return False  # search results
    query = queryset.query
    return not (query.distinct or query.combinator or query.is_sliced or query.group_by)


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
            lookups += [prefixed(lookup, prefix) for lookup in own(attribute)]
        elif not is_model_relation(model, name):
            continue  # e.g. a page's `parent`, which Wagtail finds by itself
        else:  # foreign keys (a page's `locale`), many-to-many and inline children
            lookups.append(f"{prefix}{name}")
            if isinstance(field, ChildRelationField):
                lookups += prefetch_lookups(field.serializer_class(), f"{prefix}{name}__")
    return list(dict.fromkeys(lookups))


def planned_lookups(serializer, model):
    """`plan_lookups(model, prefetch_lookups(serializer))`, worked out once per class.

    Both are pure functions of the serializer's class (made once per process for an
    endpoint, model and `?fields=`): the lookups come from its fields' declarations.
    """
    plans = type(serializer).__dict__.get("_planned_lookups")
    if plans is None:
        plans = {}
        type(serializer)._planned_lookups = plans
    if model not in plans:
        plans[model] = plan_lookups(model, prefetch_lookups(serializer))
    return plans[model]


def prefixed(lookup, prefix):
    """A lookup (a name or a `Prefetch`) from a related object, `prefix` on the way."""
    if not prefix:
        return lookup
    if isinstance(lookup, Prefetch):
        return Prefetch(f"{prefix}{lookup.prefetch_through}", lookup.queryset, lookup.to_attr)
    return f"{prefix}{lookup}"


@functools.lru_cache(maxsize=1024)
def is_model_relation(model, name):
    """Whether `name` is a relation of `model` (a pure function of the class).

    Asked for every field of every serializer made; a name that is no model field
    (`detail_url`, a property) costs a scan of every reverse relation.
    """
    try:
        return get_model_field(model, name).is_relation
    except FieldDoesNotExist:
        return False


def unshown_stream_fields(model, serializer):
    """The model's StreamFields a serializer does not show: not read for a listing.

    Each costs parsing its JSON and making its blocks' values, per row.
    """
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, StreamField) and field.name not in serializer.fields
    ]


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


@functools.lru_cache(maxsize=512)
def available_fields(endpoint, model, db_fields_only):
    """`endpoint.get_available_fields(model, db_fields_only)`, found once per process."""
    return endpoint.find_available_fields(model, db_fields_only)


def built_once(get_queryset):
    """`get_queryset`, built once per request (per view instance).

    Wagtail builds a listing's queryset, then again to learn its model for the
    serializer; an endpoint's base queryset may cost lookups of its own.
    """

    @functools.wraps(get_queryset)
    def wrapper(self):
        if "_queryset" not in self.__dict__:
            # Set after the call: an override calling `super().get_queryset()` wins.
            self.__dict__["_queryset"] = get_queryset(self)
        return self.__dict__["_queryset"]

    wrapper.built_once = True
    return wrapper


class PublicAPIMixin:
    """What every /api/v2/ endpoint shares (see the module docstring)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [IndentedJSONRenderer]
    pagination_class = SitePagination
    custom_filter_fields = ()
    # The columns the default listing reads (its fields and what their properties
    # read); when set, a listing without `?fields=` loads only these, plus the keys
    # of the relations it joins. Every column of a wide page row costs, per row.
    listing_columns = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        get_queryset = getattr(cls, "get_queryset", None)  # mixins have none
        if get_queryset is not None and not getattr(get_queryset, "built_once", False):
            cls.get_queryset = built_once(get_queryset)

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
        # A pure function of the endpoint and the model, asked several times a request.
        return list(available_fields(cls, model, db_fields_only))

    @classmethod
    def find_available_fields(cls, model, db_fields_only):
        fields = super().get_available_fields(model, db_fields_only)
        if db_fields_only:
            # Fields with a filter of their own are not also matched exactly.
            fields = [name for name in fields if name not in cls.custom_filter_fields]
        return tuple(fields)

    def get_serializer_class(self):
        """Wagtail's serializer class for `serialized_model()` and `?fields=`.

        A pure function of the endpoint, the model and the fields asked for: made once
        per process for each combination (see `serializer_class_for`).
        """
        if not hasattr(self, "_serializer_class"):
            self._serializer_class = serializer_class_for(
                type(self),
                self.request.wagtailapi_router,
                self.serialized_model(),
                frozen_fields_config(fields_config(self.request)),
                show_details=self.action != "listing_view",
            )
        return self._serializer_class

    def serialized_model(self):
        """The model shown: the listing's, or the object's (Wagtail loads it to know)."""
        if self.action == "listing_view":
            return self.get_queryset().model
        return type(self.get_object())

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # One restrictions lookup a request, however many pages the response links.
        if not hasattr(self, "_public_pages"):
            self._public_pages = PublicPages()
        context["public_pages"] = self._public_pages
        return context

    def paginate_queryset(self, queryset):
        """The page of a listing, read with what its fields need (see cms.api_loading).

        The serializer is made first, to know its fields; `get_serializer` returns it.
        """
        if not (isinstance(queryset, QuerySet) and self.action == "listing_view"):
            return list(super().paginate_queryset(queryset))
        page_bounds(self.request)  # a bad offset or limit first, as before
        self._listing_serializer = super().get_serializer(many=True)
        child = self._listing_serializer.child
        joins, prefetches = planned_lookups(child, queryset.model)

        def listing():
            unshown = unshown_stream_fields(queryset.model, child)
            return self.only_listing_columns(
                queryset.select_related(*joins).defer(*unshown), joins
            )

        shape = self.listing_shape(queryset, joins)
        if shape is not None and counts_in_window(queryset):
            rows = self.paginator.paginate_prepared(
                shape, listing, queryset.model, joins, self.request, view=self
            )
        else:
            rows = list(super().paginate_queryset(listing()))
        prefetch_planned(rows, prefetches)
        return rows

    def listing_shape(self, queryset, joins):
        """What the listing's SQL is made of, if its SQL can be compiled once (else None).

        Only for the endpoint's own queryset, unfiltered, with the default fields, and
        for endpoints that say what their queryset is made of (`base_listing_shape`).
        """
        if queryset is not self.get_queryset() or "fields" in self.request.GET:
            return None
        base = self.base_listing_shape()
        if base is None:
            return None
        return (type(self), queryset.model, base, tuple(joins))

    def base_listing_shape(self):
        """Everything `get_queryset()`'s SQL depends on, hashable; None: not known."""
        return None

    def only_listing_columns(self, queryset, joins):
        """`queryset` reading only `listing_columns`, for the default fields only."""
        if not self.listing_columns or fields_config(self.request):
            return queryset
        keys = {join.split("__")[0] for join in joins}
        return queryset.only(*self.listing_columns, *keys)

    def get_serializer(self, instance=None, *args, **kwargs):
        """The serializer, with what its fields need prefetched for the objects it shows."""
        listing = getattr(self, "_listing_serializer", None)
        if listing is not None and kwargs.get("many"):
            listing.instance = instance  # its items were read with their relations
            return listing
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


@functools.lru_cache(maxsize=256)
def serializer_class_for(endpoint, router, model, config, show_details):
    """The endpoint's serializer class, made once per process, with prototype fields."""
    serializer_class = endpoint._get_serializer_class(
        router, model, config, show_details=show_details
    )
    return with_prototype_fields(serializer_class)


def frozen_fields_config(config):
    """`?fields=` as Wagtail parses it, in tuples (a cache key)."""
    return tuple(
        (name, negated, None if sub_fields is None else frozen_fields_config(sub_fields))
        for name, negated, sub_fields in config
    )


# Fields standing in for model properties the API shows: the same output, cheaper.
# {(model, name): (the property, field class)}, see `register_property_field`.
PROPERTY_FIELDS = {}


def register_property_field(model, name, field_class):
    """Show `model.name` (a property) with `field_class` in every endpoint.

    The field must give exactly what the property gives; it stands in for the
    property in subclasses too, unless they define their own.
    """
    PROPERTY_FIELDS[model, name] = (inspect.getattr_static(model, name), field_class)


def property_field(model, name):
    """The field class registered for `model.name`, or None."""
    for cls in model.__mro__:
        entry = PROPERTY_FIELDS.get((cls, name))
        if entry is not None:
            return entry[1] if inspect.getattr_static(model, name) is entry[0] else None
    return None


class PrototypeFieldsMixin:
    """A serializer whose fields are built once per class, then copied for each instance.

    Django REST framework builds a model serializer's fields for every instance
    (inspecting the model, translating labels). Here they are built once, unbound,
    and each instance binds its own copies. Properties with a field registered for
    them (`register_property_field`) are shown by that field.
    """

    def build_property_field(self, field_name, model_class):
        field_class = property_field(model_class, field_name)
        if field_class is not None:
            return field_class, {}
        return super().build_property_field(field_name, model_class)

    def get_fields(self):
        return {name: copy_field(field) for name, field in self.prototype_fields().items()}

    def prototype_fields(self):
        """The class's fields, unbound: built once, never bound or used themselves."""
        prototypes = type(self).__dict__.get("_prototype_fields")
        if prototypes is None:
            prototypes = super().get_fields()
            type(self)._prototype_fields = prototypes
        return prototypes

    def bound_field(self, name):
        """A copy of one prototype field, bound to this serializer as `fields` binds
        each (only that field, where `fields` would bind them all)."""
        field = copy_field(self.prototype_fields()[name])
        field.bind(field_name=name, parent=self)
        return field


def copy_field(field):
    """A copy of an unbound field to bind to one serializer.

    Binding sets only the copy's own attributes, so a shallow copy will do, except
    for fields holding fields or serializers of their own, which binding changes:
    those are copied deeply, as the framework copies declared fields.
    """
    if (
        isinstance(field, BaseSerializer)
        or hasattr(field, "child")
        or hasattr(field, "child_relation")
    ):
        return copy.deepcopy(field)
    cls = type(field)
    if not copied_plainly(cls):
        return copy.copy(field)
    # What `copy.copy` does for such a class, without its generic protocol.
    new = cls.__new__(cls)
    new.__dict__.update(field.__dict__)
    return new


@functools.lru_cache(maxsize=256)
def copied_plainly(cls):
    """Whether `copy.copy` of a `cls` is `cls.__new__(cls)` given the original's
    attributes: no copy, pickling or state methods of its own."""
    return all(
        getattr(cls, name) is getattr(object, name)
        for name in ("__reduce_ex__", "__reduce__", "__getstate__")
    ) and not any(hasattr(cls, name) for name in ("__copy__", "__setstate__", "__slots__"))


class RequestZoneDateTimeField(DateTimeField):
    """The framework's date and time field, the request's time zone looked up once.

    It looks the current time zone up for every value; the time zone does not change
    during a request, and each serializer binds its own fields for one request.
    """

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        if not hasattr(self, "timezone"):
            self.timezone = self.default_timezone()
        output_format = getattr(self, "format", api_settings.DATETIME_FORMAT)
        self.iso_output = output_format is not None and output_format.lower() == ISO_8601

    def to_representation(self, value):
        # The common case (an aware moment, ISO 8601 in a time zone) as the framework
        # writes it, without its checks per value; anything else by the framework.
        if (
            type(value) is datetime.datetime
            and self.iso_output
            and self.timezone is not None
            and value.utcoffset() is not None
        ):
            try:
                text = value.astimezone(self.timezone).isoformat()
            except OverflowError:
                return super().to_representation(value)
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().to_representation(value)


class PlannedRepresentationMixin:
    """Wagtail's `to_representation`, with its per-object work done once per serializer.

    Wagtail splits the fields into meta and core fields for every object, and the
    framework's `get_attribute` wraps each plain attribute in error handling; here the
    split and each field's way to its value are found once, the output is the same.
    """

    def to_representation(self, instance):
        plan = self.__dict__.get("_representation_plan")
        if plan is None:
            plan = self._representation_plan = representation_plan(self)
        if not plan:  # a field Wagtail treats specially
            return super().to_representation(instance)
        meta_fields, fields, id_first = plan
        data = OrderedDict()
        if id_first:
            data["id"] = None
        meta = represent_fields(instance, meta_fields, OrderedDict())
        if meta:
            data["meta"] = meta
        return represent_fields(instance, fields, data)


def represent_fields(instance, fields, data):
    """`data` with the planned `fields`' values of `instance`, as Wagtail writes them.

    A plain attribute is read here; anything unusual (an error, a method to call) is
    left to the field's own `get_attribute`, as the framework's would.
    """
    for name, attribute_name, get, represent in fields:
        try:
            if attribute_name is None:
                attribute = get(instance)
            else:
                try:
                    attribute = getattr(instance, attribute_name)
                except Exception:  # the framework raises, skips or gives None
                    attribute = get(instance)
                else:
                    if callable(attribute):
                        attribute = get(instance)
        except SkipField:
            continue
        data[name] = attribute if attribute is None or represent is None else represent(attribute)
    return data


def representation_plan(serializer):
    """(meta fields, core fields, whether `id` comes first), each field as
    (name, its plain attribute or None, `get_attribute`, `to_representation`); () when
    Wagtail's own way must be taken.

    Only fields that are more than a plain attribute written as it is are bound for
    this serializer; the others' own `get_attribute` is bound if ever needed.
    """
    class_plan = type(serializer).__dict__.get("_class_plan")
    if class_plan is None:
        class_plan = type(serializer)._class_plan = plan_of_class(serializer)
    if not class_plan:
        return ()
    meta_entries, entries, id_first = class_plan
    return (
        [instance_entry(serializer, *entry) for entry in meta_entries],
        [instance_entry(serializer, *entry) for entry in entries],
        id_first,
    )


def plan_of_class(serializer):
    """`representation_plan`'s part common to every instance of a serializer class:
    (meta fields, core fields, whether `id` comes first), each field as (name, plain
    attribute, plain representation) (see `plain_entry`); () for Wagtail's own way."""
    prototypes = serializer.prototype_fields()
    names = [name for name, field in prototypes.items() if not field.write_only]
    if "admin_display_title" in names:
        return ()
    meta_names = serializer.meta_fields
    planned = [(name, *plain_entry(prototypes[name], name)) for name in names]
    return (
        [entry for entry in planned if entry[0] in meta_names],
        [entry for entry in planned if entry[0] not in meta_names],
        any(entry[0] == "id" for entry in planned if entry[0] not in meta_names),
    )


# A field that is not plain (see `plain_entry`).
NOT_PLAIN = object()


def plain_entry(prototype, name):
    """(attribute, representation) of an unbound field that reads one attribute with
    the framework's `get_attribute` and writes it with a builtin (None: as it is), as
    it will be once bound; (None, NOT_PLAIN) otherwise."""
    represent = PLAIN_REPRESENTATIONS.get(type(prototype).to_representation, NOT_PLAIN)
    source = prototype.source or name  # as binding sets it
    if (
        represent is NOT_PLAIN
        or type(prototype).get_attribute is not Field.get_attribute
        or source == "*"
        or "." in source
    ):
        return None, NOT_PLAIN
    return source, represent


def instance_entry(serializer, name, attribute, represent):
    """A field's entry of `representation_plan` for one serializer."""
    if represent is NOT_PLAIN:
        field = serializer.bound_field(name)
        return (name, plain_attribute(field), field.get_attribute, representer(field))

    def get(instance):
        # The framework's own, for an attribute that errs or is a method: rare.
        return serializer.fields[name].get_attribute(instance)

    return (name, attribute, get, represent)


# The framework's plainest fields, whose `to_representation` is a builtin (None: the
# value itself).
PLAIN_REPRESENTATIONS = {
    CharField.to_representation: str,
    IntegerField.to_representation: int,
    ReadOnlyField.to_representation: None,
}


def representer(field):
    """`field.to_representation`, or what it comes to for the plainest fields."""
    return PLAIN_REPRESENTATIONS.get(type(field).to_representation, field.to_representation)


def plain_attribute(field):
    """The one attribute a field reads with the framework's `get_attribute`, else None."""
    attrs = field.source_attrs
    if type(field).get_attribute is not Field.get_attribute or len(attrs) != 1:
        return None
    return attrs[0]


def with_prototype_fields(serializer_class):
    """`serializer_class` (and its child relations' serializers) with prototype fields.

    Serializers keeping Wagtail's `to_representation` have it planned once per instance.
    """
    children = {
        name: with_prototype_fields(child)
        for name, child in getattr(serializer_class, "child_serializer_classes", {}).items()
    }
    mapping = dict(serializer_class.serializer_field_mapping)
    if mapping.get(models.DateTimeField) is DateTimeField:
        mapping[models.DateTimeField] = RequestZoneDateTimeField
    mixins = [PrototypeFieldsMixin]
    if serializer_class.to_representation is WagtailBaseSerializer.to_representation:
        mixins.append(PlannedRepresentationMixin)
    return type(
        serializer_class.__name__,
        (*mixins, serializer_class),
        {"child_serializer_classes": children, "serializer_field_mapping": mapping},
    )


def fields_config(request):
    """The parsed `?fields=` parameter, as Wagtail parses it ([] when absent)."""
    if "fields" not in request.GET:
        return []
    try:
        return parse_fields_parameter(request.GET["fields"])
    except ValueError as error:
        raise BadRequestError(f"fields error: {error}") from error


class PublicPageParentField(Field):
    """A page's parent as Wagtail's `parent` shows it, found with one query, not two.

    Wagtail loads the parent, then asks whether it is among the public pages; here the
    public pages are asked for the page at the parent's tree path.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        if instance.depth <= 1:
            return None
        parent_path = instance.path[: -instance.steplen]
        shape = public_pages_shape(self.context.get("view"))
        if shape is None:
            pages = self.context["base_queryset"].filter(path=parent_path)
            parent = next(iter(pages.only(*PAGE_LINK_COLUMNS)[:1]), None)
        else:  # the same query, compiled once per parent (most pages share a few)
            parent = next(iter(parent_query(parent_path, *shape).run()), None)
        if parent is not None:
            # Its URL from the request's site root paths, as the page's own.
            paths = request_site_root_paths()
            if paths is not None:
                parent._wagtail_cached_site_root_paths = paths
        return parent

    def to_representation(self, parent):
        return nested_page_representation(parent, self.context)


def public_pages_shape(view):
    """(site roots, restrictions): what `view.get_base_queryset()` is made of, or None
    if the view's base queryset is not `PublicPagesMixin`'s."""
    if not isinstance(view, PublicPagesMixin):
        return None
    if type(view).get_base_queryset is not PublicPagesMixin.get_base_queryset:
        return None
    return site_shape(view)


def site_shape(view):
    """(site roots, restrictions) of a `PublicPagesMixin` view, hashable; None if the
    site has no roots (its public pages are none, no query)."""
    roots = tuple(PathDepth(root.path, root.depth) for root in view.site_roots())
    if not roots:
        return None
    restricted = tuple((r.page.path, r.page.depth) for r in page_view_restrictions())
    return roots, restricted


@functools.lru_cache(maxsize=256)
def parent_query(parent_path, roots, restricted):
    """The public page at `parent_path` (as `PublicPageParentField` asks the base
    queryset), under `roots`, with `restricted` the view restrictions it is built with."""

    def build():
        pages = public_pages_under(roots).filter(path=parent_path)
        return pages.only(*PAGE_LINK_COLUMNS)[:1]

    return InstanceQuery(Page, build, kinds=())


def nested_page_representation(page, context):
    """Wagtail's nested page: id, meta (type, detail_url, html_url), title."""
    meta = {"type": page_type_name(page, context)}
    detail_path = object_detail_path(context, type(page), page.pk)
    if detail_path:
        meta["detail_url"] = absolute_url(context, detail_path)
    try:
        meta["html_url"] = page_full_url(page, context)
    except NoReverseMatch:
        meta["html_url"] = None
    return {"id": page.pk, "meta": meta, "title": page.title}


def page_type_name(page, context):
    """`app_label.Model` of the page's specific class, noted as Wagtail's type field does."""
    specific_class = page.specific_class
    if specific_class is None:
        return None
    name = f"{specific_class._meta.app_label}.{specific_class.__name__}"
    context["view"].seen_types[name] = specific_class
    return name


class RouterDetailUrlField(DetailUrlField):
    """Wagtail's `detail_url`, the endpoint's URL reversed once per request."""

    def get_attribute(self, instance):
        path = object_detail_path(self.context, type(instance), instance.pk)
        if not path:
            raise SkipField  # no endpoint shows this model
        return absolute_url(self.context, path)


class FullUrlField(PageHtmlUrlField):
    """Wagtail's `html_url`, its route reversed once per request (`page_full_url`)."""

    def to_representation(self, page):
        try:
            return page_full_url(page, self.context)
        except NoReverseMatch:
            return None


class PageTypeNameField(PageTypeField):
    """Wagtail's page `type`, each page type's name worked out once per serializer."""

    def to_representation(self, page):
        names = self.__dict__.setdefault("_names", {})
        key = (type(page), page.content_type_id)  # what `specific_class` comes from
        if key not in names:
            # Wagtail's, which also notes the type as seen by the view (once will do).
            names[key] = super().to_representation(page)
        return names[key]


class PublicPageSerializer(PageSerializer):
    type = PageTypeNameField(read_only=True)
    detail_url = RouterDetailUrlField(read_only=True)
    html_url = FullUrlField(read_only=True)
    parent = PublicPageParentField()


class PublicPagesMixin(PublicAPIMixin):
    """Pages that every anonymous visitor may see: live, public, on this site.

    A page's detail is read in one query with what its fields need joined (see
    cms.api_loading), plus one query per kind of list (renditions, inline children).
    """

    base_serializer_class = PublicPageSerializer
    # `html_url` in nested pages saves a frontend a request to route a link.
    nested_default_fields = PagesAPIViewSet.nested_default_fields + ["html_url"]

    def serialized_model(self):
        if self.action == "detail_view" and not hasattr(self, "_cached_object"):
            return self.detail_model()
        return super().serialized_model()

    def detail_model(self):
        """The specific model of the page asked for, before loading it (404 if none)."""
        self.site_roots()  # `?site=` is checked first, as when Wagtail loads the page
        if self.model is not Page:
            return self.model
        model = page_model(self.kwargs["pk"])
        if model is None:
            raise self.not_found()
        return model

    def not_found(self):
        # Django's message, naming the endpoint's model whatever the page's type.
        return Http404(f"No {self.model._meta.object_name} matches the given query.")

    def detail_view(self, request, pk):
        self.check_detail_query_parameters()
        serializer = self.get_serializer()
        serializer.instance = self.load_object(serializer)
        return Response(serializer.data)

    def load_object(self, serializer):
        """The page asked for, with what `serializer` needs, in as few queries as can be."""
        model = self.serialized_model()
        if model is self.model:
            queryset = self.get_queryset()
        else:  # a page of the pages endpoint, read as its own type
            queryset = self.public_pages_of(model)
        joins, prefetches = planned_lookups(serializer, model)
        filtered = self.filter_queryset(queryset)
        if model is not self.model and filtered is queryset:
            # No filter applies (a detail takes none): the query has a fixed shape.
            page = self.prepared_page(model, joins, prefetches)
        else:
            page = self.queried_page(filtered.select_related(*joins), prefetches)
        self.check_object_permissions(self.request, page)
        self._cached_object = page
        return page

    def queried_page(self, queryset, prefetches):
        try:
            return queryset.prefetch_related(*prefetches).get(pk=self.kwargs["pk"])
        except queryset.model.DoesNotExist as error:
            raise self.not_found() from error

    def prepared_page(self, model, joins, prefetches):
        """The public page of `model` asked for, its SQL compiled once per process.

        As `public_pages_of(model)`, but the view restrictions are checked in Python
        (as `PublicPages` does), so the SQL does not change with them.
        """
        roots = tuple((root.path, root.depth) for root in self.site_roots())
        if not roots:
            raise self.not_found()
        pages = page_by_id_query(model, tuple(joins), roots).run(int(self.kwargs["pk"]))
        if not pages or not PublicPages()(pages[0]):
            raise self.not_found()
        prefetch_planned(pages, prefetches)
        return pages[0]

    def get_base_queryset(self):
        # Wagtail asks for it several times a request; its restriction lookups run once.
        if not hasattr(self, "_base_queryset"):
            self._base_queryset = public_pages_under(self.site_roots())
        return self._base_queryset

    def base_listing_shape(self):
        """The site roots, the view restrictions (the constants of the public pages)
        and the endpoint's own (`queryset_shape`); None when not known."""
        own = self.queryset_shape()
        site = site_shape(self) if own is not None else None
        return None if site is None else (*site, own)

    def queryset_shape(self):
        """What else `get_queryset()` builds from the request, hashable; None: not known."""
        return None

    def public_pages_of(self, model):
        """The public pages of one page type (as the base queryset, of that type)."""
        return public_pages_under(self.site_roots(), model)

    def site_roots(self):
        """The requested site's root pages (`?site=` checked), found once per request."""
        if not hasattr(self, "_site_roots"):
            self._site_roots = requested_site_roots(self.request)
        return self._site_roots

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


def public_page_queryset(request, model=Page):
    """Live pages of the requested site that every anonymous visitor may see.

    Like Wagtail's own public queryset, but the same for everyone: Wagtail's lets a
    signed-in user or a password session see restricted pages, and costs a second
    lookup of the restrictions. With a page `model`, its pages filtered directly,
    which the database answers faster than a subquery of public page ids.
    """
    return public_pages_under(requested_site_roots(request), model)


def requested_site_roots(request):
    """The root pages of the site `?site=` or the request names ([] when none)."""
    try:
        site = SiteFilterValidator(site=request.GET.get("site"), request=request).site_obj
    except ValueError as error:
        raise BadRequestError(f"site: {error}") from error
    if site is None:
        return []
    roots = [site.root_page]
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        roots += list(site.root_page.get_translations())
    return roots


def public_pages_under(roots, model=Page):
    """Live, public pages of `model` under `roots` (see `public_page_queryset`)."""
    if not roots:
        return model.objects.none()
    roots = tuple(PathDepth(root.path, root.depth) for root in roots)
    restricted = tuple((r.page.path, r.page.depth) for r in page_view_restrictions())
    # A copy of the queryset built for these constants: building its filters costs
    # more than copying them.
    return public_pages_queryset(model, roots, restricted).all()


@functools.lru_cache(maxsize=256)
def public_pages_queryset(model, roots, restricted):
    """The queryset of `public_pages_under`, never run: built once per process for
    each model, site and set of view restrictions (`restricted`, what
    `private_pages_q()` is built from)."""
    in_site = Q()
    for root in roots:
        in_site |= Q(path__startswith=root.path, depth__gte=root.depth)
    # `.public()` with the restrictions read once per request (cms.request_memo).
    return model.objects.live().exclude(private_pages_q()).filter(in_site)


# A site root as `public_pages_under` reads it: hashable, for keys of compiled queries.
PathDepth = namedtuple("PathDepth", ["path", "depth"])


@functools.lru_cache(maxsize=256)
def page_by_id_query(model, joins, roots):
    """A live page of `model` by id under `roots` ((path, depth) pairs), `joins` joined.

    Public or not: the caller checks the view restrictions.
    """

    def build(pk):
        in_site = Q()
        for path, depth in roots:
            in_site |= Q(path__startswith=path, depth__gte=depth)
        pages = model.objects.live().filter(in_site, pk=pk)
        return pages.select_related(*joins).order_by()

    return InstanceQuery(model, build, joins)


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

"""How the public API loads what it shows in few queries (see cms.api_base).

`plan_lookups` turns the prefetch lookups a serializer's fields declare into joins where
a join is cheaper: a foreign key (an image, a linked page, a speaker's person) is read
with the row that names it (`select_related`), and only relations to many rows (inline
children, renditions) cost a query of their own. For a single page this turns one query
per relation into one per kind of list.

`page_model` is the specific model of a page id, kept until content changes, so that
the detail of a page is read with one query instead of the base page and then its
specific row.

Queries every listing or detail repeats have their SQL compiled once per process
(cms.prepared): a listing's page of rows (`listing_query`) and the renditions of the
images shown (`prefetch_planned`). Django would work the SQL out anew per request.
Their model instances are made from the rows as Django's `__init__` would leave them,
without running it where it adds nothing (`InstanceQuery`).
"""

import functools

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS
from django.db.models import (
    ForeignObjectRel,
    ManyToOneRel,
    Model,
    Prefetch,
    prefetch_related_objects,
)
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor, ImageField, ImageFileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import ModelIterable
from django.db.models.signals import post_init, pre_init
from modelcluster.models import ClusterableModel
from wagtail.fields import Creator
from wagtail.models import AbstractPage, Page, ShowInMenusMixin

from cms.prepared import PreparedQuery, Row
from cms.request_memo import SITE_CACHE_SECONDS, generation_cached
from cms.serializers import API_RENDITIONS_MARK, api_renditions_queryset

# Foreign keys almost always empty (a page that is an alias of another): prefetched,
# which costs no query when none is set, rather than joined into every row.
SELDOM_SET = frozenset({"alias_of"})

# The largest database integer every backend takes; larger ids or offsets are junk.
MAX_INTEGER = 2**31 - 1


def plan_lookups(model, lookups):
    """`(select_related, prefetch_related)` arguments that load `lookups` for `model` rows.

    Leading foreign keys are joined; each reverse foreign key (a list) becomes one
    `Prefetch` whose own foreign keys are joined in turn. Anything else (many-to-many,
    tags, lookups into objects with `to_attr`) is prefetched as given.
    """
    joins, lists, others = [], {}, []
    for lookup in lookups:
        if isinstance(lookup, Prefetch) and lookup.to_attr:
            others.append(lookup)
            continue
        names = lookup_path(lookup).split("__")
        current = model
        for index, name in enumerate(names):
            field = model_field(current, name)
            if field is not None and field.name in SELDOM_SET:
                others.append(lookup)
                break
            if is_forward_key(field):
                current = field.related_model
                continue
            if isinstance(field, ManyToOneRel):
                if index:
                    joins.append("__".join(names[:index]))
                add_to_list(lists, field.related_model, names, index, lookup)
            else:
                others.append(lookup)
            break
        else:
            joins.append("__".join(names))
    prefetches = [list_prefetch(path, *entry) for path, entry in lists.items()]
    return list(dict.fromkeys(joins)), prefetches + others


def lookup_path(lookup):
    return lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup


def add_to_list(lists, related_model, names, index, lookup):
    """Note `lookup` under the list (reverse foreign key) at `names[index]`."""
    path = "__".join(names[: index + 1])
    queryset, rest = lists.get(path, (None, []))
    remainder = "__".join(names[index + 1 :])
    if remainder:
        rest.append(
            Prefetch(remainder, lookup.queryset) if isinstance(lookup, Prefetch) else remainder
        )
    elif isinstance(lookup, Prefetch) and lookup.queryset is not None:
        queryset = lookup.queryset  # e.g. only the renditions the API shows
    lists[path] = (
        queryset if queryset is not None else related_model._default_manager.all(),
        rest,
    )


def list_prefetch(path, queryset, rest):
    """One `Prefetch` for a list, with what its rows need planned the same way."""
    joins, prefetches = plan_lookups(queryset.model, rest)
    if joins:
        queryset = queryset.select_related(*joins)
    if prefetches:
        queryset = queryset.prefetch_related(*prefetches)
    return Prefetch(path, queryset)


def model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def is_forward_key(field):
    """A foreign key or one-to-one field on this side: one row, joinable."""
    return (
        field is not None
        and not isinstance(field, ForeignObjectRel)
        and field.is_relation
        and (field.many_to_one or field.one_to_one)
        and field.concrete
    )


def page_model(pk):
    """The specific model of page `pk`, or None if there is no such page.

    A page keeps its type for life; the answer is kept until content changes (a
    deleted page changes it), so the detail of a page costs one query, not two.
    """
    if not 0 < pk <= MAX_INTEGER:
        return None

    def content_type_id():
        return Page.objects.filter(pk=pk).values_list("content_type_id", flat=True).first()

    found = generation_cached(f"smop:page-type:{pk}", content_type_id, SITE_CACHE_SECONDS)
    if found is None:
        return None
    return ContentType.objects.get_for_id(found).model_class() or Page


# Listing queries compiled so far, by shape (see `listing_query`); a few per endpoint.
LISTING_QUERIES = {}
MAX_LISTING_QUERIES = 256


def listing_query(shape, build, model, joins):
    """A paged query (an `InstanceQuery`) of the `model` queryset `build()` gives
    (unsliced, `joins` joined), compiled once per `shape`.

    `shape` must name everything the queryset's SQL is made of but its LIMIT and OFFSET
    (model, filters' constants, columns, joins, ordering): the first queryset built for
    a shape is the one compiled, and serves every later request of that shape.
    """
    query = LISTING_QUERIES.get(shape)
    if query is None:
        if len(LISTING_QUERIES) >= MAX_LISTING_QUERIES:
            LISTING_QUERIES.clear()
        query = LISTING_QUERIES[shape] = InstanceQuery(model, build, joins, kinds=(), paged=True)
    return query


class InstanceQuery:
    """A `PreparedQuery` of `model` instances, `joins` (`select_related`) joined, made
    from its rows as Django's `__init__` would leave them, without running it.

    Making a page instance costs more than reading its row: `__init__` sets each field
    through its descriptor, sends two signals and, for a page, lists its child
    relations, none of which changes a row read from the database. Models whose
    `__init__` or fields may do more (see `instance_maker`) are made by Django.
    """

    def __init__(self, model, build, joins=(), **kwargs):
        self.make = instance_maker(model, tuple(joins))
        self.query = PreparedQuery(build, rows=None if self.make is None else Row, **kwargs)

    def run(self, *values):
        found = self.query.run(*values, using=DEFAULT_DB_ALIAS)
        return found if self.make is None else self.make(found, DEFAULT_DB_ALIAS)


# `__init__`s that do nothing more than `Model.__init__` for a row from the database
# (Wagtail's pages act only on a page without an id, a cluster only on child lists).
LOADED_ROW_INITS = frozenset(
    {
        Model.__init__,
        ClusterableModel.__init__,
        AbstractPage.__init__,
        ShowInMenusMixin.__init__,
    }
)


def instance_maker(model, joins):
    """A function (rows, db alias) -> `model` instances equal to Django's, or None.

    None when `model` cannot be made so: an `__init__` of its own, `pre_init`
    receivers, a field descriptor of an unknown kind, or a join that is not a plain
    foreign key (rows carry those only, see `cms.prepared.Row`).
    """
    setters = field_setters(model)
    if setters is None or pre_init.has_listeners(model):
        return None
    for name in dict.fromkeys(join.split("__")[0] for join in joins):
        field = model_field(model, name)
        if not is_forward_key(field) or field.unique:
            return None
    new = model.__new__
    keys = foreign_key_names(model)

    def make(rows, using):
        made = []
        after = post_init_receiver(model)
        # The objects joined: a row holds each under its foreign key's name.
        related = [name for name in rows[0].__dict__ if name in keys] if rows else ()
        for row in rows:
            values = row.__dict__
            state = ModelState()
            state.adding = False
            state.db = using
            if related:  # as the populators of `select_related` cache them
                state.fields_cache = {name: values.pop(name) for name in related}
            instance = new(model)
            values["_state"] = state
            instance.__dict__ = values
            for name in setters:
                if name in values:
                    setattr(instance, name, values[name])
            if after is not None:
                after(instance)
            made.append(instance)
        return made

    return make


@functools.cache
def foreign_key_names(model):
    """The names (not the attnames) of `model`'s foreign keys."""
    return frozenset(field.name for field in model._meta.concrete_fields if field.is_relation)


def post_init_receiver(model):
    """What `post_init.send(sender=model, instance=instance)` does, as a function of
    the instance; None when nothing receives it.

    An image's or rendition's receivers are its image fields' dimension updates,
    which do nothing when the width and height are known: only then are they left out.
    """
    if not post_init.has_listeners(model):
        return None
    try:
        receivers, async_receivers = post_init._live_receivers(model)
    except (AttributeError, TypeError, ValueError):  # another version of Django's
        receivers, async_receivers = (), True
    fields = [getattr(receiver, "__self__", None) for receiver in receivers]
    if async_receivers or not all(
        getattr(receiver, "__func__", None) is ImageField.update_dimension_fields
        and isinstance(field, ImageField)
        for receiver, field in zip(receivers, fields, strict=True)
    ):
        return lambda instance: post_init.send(sender=model, instance=instance)

    def update_dimensions(instance):
        for field in fields:
            if not dimensions_known(field, instance):
                field.update_dimension_fields(instance)

    return update_dimensions


def dimensions_known(field, instance):
    """Whether the width and height an image field fills in are set, as
    `ImageField.update_dimension_fields` asks before measuring the file."""
    return not (
        (field.width_field and not getattr(instance, field.width_field))
        or (field.height_field and not getattr(instance, field.height_field))
    )


@functools.cache
def field_setters(model):
    """The attnames of `model` whose descriptor converts a value set (a StreamField's
    JSON), or None if an `__init__` or a descriptor is not known to add nothing.

    `Model.__init__` sets each field with `setattr`; on a new instance Django's own
    descriptors (plain, foreign key id, file) only store the value.
    """
    inits = (vars(cls)["__init__"] for cls in model.__mro__[:-1] if "__init__" in vars(cls))
    if any(init not in LOADED_ROW_INITS for init in inits):
        return None
    setters = []
    for field in model._meta.concrete_fields:
        descriptor = class_attribute(model, field.attname)
        setter = getattr(type(descriptor), "__set__", None)
        if setter is Creator.__set__:
            setters.append(field.attname)
        elif setter not in STORING_SETTERS:
            return None
    return tuple(setters)


# What `setattr` calls for a field's descriptor that only stores the value on a new
# instance: none (a plain attribute), a foreign key id's (which would also forget a
# cached object), a file's (which would also measure an image set before).
STORING_SETTERS = frozenset(
    {
        None,
        ForeignKeyDeferredAttribute.__set__,
        FileDescriptor.__set__,
        ImageFileDescriptor.__set__,
    }
)


def class_attribute(model, name):
    """The class attribute `name` of `model` (a field's descriptor), None if none."""
    for cls in model.__mro__:
        if name in vars(cls):
            return vars(cls)[name]
    return None


def prefetch_planned(objects, prefetches):
    """`prefetch_related_objects(objects, *prefetches)`, the API's renditions prepared.

    The renditions of images the objects link with joined rows (a listing's images)
    are read by a query compiled once per number of images; the rest as Django does.
    """
    others = [
        prefetch
        for prefetch in prefetches
        if not (
            (is_api_renditions(prefetch) and prefetch_api_renditions(objects, prefetch))
            or prefetch_list(objects, prefetch)
            or prefetch_unset_key(objects, prefetch)
        )
    ]
    if others:
        prefetch_related_objects(objects, *others)


def prefetch_list(objects, prefetch):
    """Prefetch a list (reverse foreign key) planned by `list_prefetch` with a query
    compiled once per shape, as Django would; False if it is not such a list."""
    shape = list_shape(objects, prefetch)
    if shape is None:
        return False
    if not objects:
        return True
    path = prefetch.prefetch_through
    key = model_field(type(objects[0]), path).field  # the rows' key to the objects
    by_pk = {}
    for item in objects:
        by_pk.setdefault(item.pk, item)
    rows = list_query(shape, prefetch.queryset, key.name, len(by_pk)).run(*by_pk)
    by_owner = {}
    for row in rows:
        owner = by_pk[getattr(row, key.attname)]
        setattr(row, key.name, owner)  # as Django does: the owner is known
        by_owner.setdefault(owner.pk, []).append(row)
    nested = prefetch.queryset._prefetch_related_lookups
    if nested and rows:
        prefetch_planned(rows, nested)
    cache_name = key.related_query_name()  # as the managers read it (see `list_shape`)
    for item in objects:
        if cache_name in getattr(item, "_prefetched_objects_cache", ()):
            continue  # prefetched already: Django leaves it
        found = getattr(item, path)._apply_rel_filters(prefetch.queryset)
        found._result_cache = by_owner.get(item.pk, [])
        found._prefetch_done = True
        if not hasattr(item, "_prefetched_objects_cache"):
            item._prefetched_objects_cache = {}
        item._prefetched_objects_cache[cache_name] = found
    return True


def prefetch_unset_key(objects, lookup):
    """A foreign key (`alias_of`) none of the objects sets: known to be None, as Django's
    prefetch would find, without building its query. False otherwise."""
    if not isinstance(lookup, str) or "__" in lookup or not objects:
        return False
    field = model_field(type(objects[0]), lookup)
    if not is_forward_key(field) or any(type(item) is not type(objects[0]) for item in objects):
        return False
    if any(getattr(item, field.attname) is not None for item in objects):
        return False
    for item in objects:
        if not field.is_cached(item):
            field.set_cached_value(item, None)
    return True


def list_shape(objects, prefetch):
    """What a list prefetch's query is made of, if it is a plain one; else None.

    Plain: every row of a reverse foreign key to the objects' primary key, in the
    related model's default order, with joins (and prefetches of their own) only.
    """
    if not isinstance(prefetch, Prefetch) or prefetch.to_attr or prefetch.queryset is None:
        return None
    path = prefetch.prefetch_through
    if "__" in path or not objects:
        return None if "__" in path else ()
    model = type(objects[0])
    field = model_field(model, path)
    # A list (not a reverse one-to-one), to the objects' own key, cached under the one
    # name Django's and modelcluster's managers both use.
    if type(field) is not ManyToOneRel or not field.field.target_field.primary_key:
        return None
    if field.cache_name != field.field.related_query_name():
        return None
    if any(type(item) is not model for item in objects):
        return None
    queryset = prefetch.queryset
    query = queryset.query
    plain = (
        queryset.model is field.related_model
        and queryset._iterable_class is ModelIterable
        and queryset._db is None
        and not query.where
        and not query.order_by
        and query.default_ordering
        and not query.annotations
        and not query.extra
        and not query.distinct
        and not query.is_sliced
        and query.deferred_loading == (frozenset(), True)
        and not query.combinator
        and not getattr(query, "extra_tables", ())
    )
    if not plain:
        return None
    return (model, path, frozen(query.select_related))


def frozen(value):
    """A `select_related` structure (nested dicts or a boolean), hashable."""
    if isinstance(value, dict):
        return tuple(sorted((name, frozen(inner)) for name, inner in value.items()))
    return value


@functools.lru_cache(maxsize=256)
def _list_queries(shape, key_name, count):
    return {}


def list_query(shape, queryset, key_name, count):
    """The rows of `queryset` whose `key_name` is one of `count` ids, compiled once."""
    holder = _list_queries(shape, key_name, count)
    if "query" not in holder:
        rows = queryset.prefetch_related(None)

        def build(*ids):
            return rows.filter(**{f"{key_name}__in": ids})

        joins = selected_joins(queryset.query.select_related)
        holder["query"] = InstanceQuery(queryset.model, build, joins, arity=count)
    return holder["query"]


def selected_joins(select_related):
    """The joins a query's `select_related` (nested dicts of names) names; when it
    names none but joins every foreign key (True), a name no field has."""
    if select_related is True:
        return ("*",)  # not a plain join: the instances are made by Django
    return tuple(select_related or ())


def is_api_renditions(prefetch):
    """Whether `prefetch` is `cms.serializers.api_renditions` (no other filter)."""
    return (
        isinstance(prefetch, Prefetch)
        and not prefetch.to_attr
        and getattr(prefetch.queryset, API_RENDITIONS_MARK, False)
        and prefetch.prefetch_through.rsplit("__", 1)[-1] == "renditions"
    )


def prefetch_api_renditions(objects, prefetch):
    """Set the API renditions of the images at `prefetch`'s path; False if they are not
    all loaded already (Django's prefetch then finds them)."""
    *steps, _ = prefetch.prefetch_through.split("__")
    images = []
    for item in objects:
        image = loaded_object(item, steps)
        if image is NOT_LOADED:
            return False
        if image is not None:
            images.append(image)
    if not images:
        return True
    key = model_field(type(images[0]), "renditions")
    if key is None or any(type(image) is not type(images[0]) for image in images):
        return False
    key = key.field  # the rendition's foreign key to its image
    ids = tuple(dict.fromkeys(image.pk for image in images))
    by_image = {}
    for rendition in renditions_query(key.name, len(ids)).run(*ids):
        by_image.setdefault(getattr(rendition, key.attname), []).append(rendition)
    for image in images:
        found = by_image.get(image.pk, [])
        for rendition in found:
            if not key.is_cached(rendition):
                key.set_cached_value(rendition, image)
        image.prefetched_renditions = found
    return True


NOT_LOADED = object()


def loaded_object(item, steps):
    """The object at `steps` (foreign keys) from `item`, None, or NOT_LOADED (a query)."""
    for step in steps:
        field = model_field(type(item), step)
        if not is_forward_key(field) or not field.is_cached(item):
            return NOT_LOADED
        item = field.get_cached_value(item)
        if item is None:
            return None
    return item


@functools.lru_cache(maxsize=64)
def renditions_query(key_name, count):
    """The API renditions of `count` images by id, compiled once per process."""

    def build(*ids):
        return api_renditions_queryset().filter(**{f"{key_name}__in": ids})

    return InstanceQuery(api_renditions_queryset().model, build, arity=count)

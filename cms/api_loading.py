"""How the public API loads what it shows in few queries (see cms.api_base).

`plan_lookups` turns the prefetch lookups a serializer's fields declare into joins where
a join is cheaper: a foreign key (an image, a linked page, a speaker's person) is read
with the row that names it (`select_related`), and only relations to many rows (inline
children, renditions) cost a query of their own. For a single page this turns one query
per relation into one per kind of list.

`page_model` is the specific model of a page id, kept until content changes, so that
the detail of a page is read with one query instead of the base page and then its
specific row.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignObjectRel, ManyToOneRel, Prefetch
from wagtail.models import Page

from cms.request_memo import SITE_CACHE_SECONDS, generation_cached

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

"""Paged queries whose values are text, their SQL compiled once per process.

cms.prepared.PreparedQuery does this for ids and dates; a directory search's values
are words and choices. Building a search's queryset and compiling it (its filters, its
count, its order) cost more than PostgreSQL takes to run it, so the SQL is compiled
once per shape of query with a marker standing for each value, then run with each
request's values. A value reaches the SQL either as itself (`city = %s`) or as a
`%value%` LIKE pattern (icontains, people.models.NameContainsEveryWord); the pattern is
escaped as Django escapes it (`prep_for_like_query`). Rows become model instances as
Django's own iteration makes them (converters, `from_db()`, annotations), only without
running the model's constructor when nothing can tell (see instance_maker).
"""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.query import ModelIterable
from django.db.models.signals import post_init, pre_init

from cms.prepared import PAGE_SQL

# Letters and digits only, so that LIKE escaping leaves a marker as it is.
MARKER = "smoptextmarker{}x"


def text_markers(arity):
    return tuple(MARKER.format(index) for index in range(arity))


def like_pattern(ops, value):
    """The parameter Django gives `icontains` for `value`: `%value%`, escaped."""
    return f"%{ops.prep_for_like_query(value)}%"


class PreparedTextQuery:
    """`build(*values)`, an unsliced queryset of model instances, compiled once per
    database; `run(values, limit, offset)` gives that page of it as a list.

    `page_columns`, {name: function(connection, SQL of a row's id) -> SQL}, are further
    values for each instance, worked out for the page's rows only (see with_page_columns).
    """

    def __init__(self, build, arity, page_columns=None):
        self.build = build
        self.arity = arity
        self.page_columns = page_columns or {}
        self._compiled = {}

    def run(self, values, limit, offset, using=DEFAULT_DB_ALIAS):
        if len(values) != self.arity:
            raise TypeError(f"Expected {self.arity} values, got {len(values)}")
        compiled = self._compiled.get(using)
        if compiled is None:
            queryset = self.build(*text_markers(self.arity))
            compiled = self._compiled[using] = CompiledTextQuery(
                queryset, using, self.arity, self.page_columns
            )
        return compiled.run(values, limit, offset)


class CompiledTextQuery:
    """A queryset's SQL, where each value goes in it and how rows become instances."""

    def __init__(self, queryset, using, arity, page_columns=None):
        query = queryset.query
        if queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups:
            raise ValueError("Only plain model querysets can be prepared.")
        if query.is_sliced or query.select_related:
            raise ValueError("A prepared text query is unsliced, without select_related.")
        compiler = query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        if compiler.has_extra_select:
            raise ValueError(f"Extra selected columns are not supported: {sql!r}")
        self.ops = connections[using].ops
        places = {}
        for index, marker in enumerate(text_markers(arity)):
            places[marker] = (index, False)
            places[like_pattern(self.ops, marker)] = (index, True)
        # For each parameter: (the value's index, whether as a LIKE pattern), or None
        # for a constant.
        self.slots = [places.get(param) if isinstance(param, str) else None for param in params]
        if {slot[0] for slot in self.slots if slot} != set(range(arity)):
            raise ValueError(f"Not every value is a parameter of {sql!r}: {params!r}")
        self.sql = sql + PAGE_SQL
        if page_columns:
            self.sql = with_page_columns(self.sql, query, connections[using], page_columns)
        self.params = list(params)
        self.using = using
        self.compiler = compiler
        select = compiler.select
        self.converters = compiler.get_converters([column for column, *_ in select])
        klass_info = compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.model_columns = slice(fields[0], fields[-1] + 1)
        self.attnames = [column.target.attname for column, *_ in select[self.model_columns]]
        self.annotations = list(compiler.annotation_col_map.items())
        self.annotations += [(name, len(select) + i) for i, name in enumerate(page_columns or ())]
        self.make = instance_maker(self.model, using, self.attnames)

    def parameters(self, values, limit, offset):
        params = []
        for param, slot in zip(self.params, self.slots, strict=True):
            if slot is None:
                params.append(param)
            else:
                index, as_pattern = slot
                value = values[index]
                params.append(like_pattern(self.ops, value) if as_pattern else value)
        return [*params, limit, offset]

    def run(self, values, limit, offset):
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, self.parameters(values, limit, offset))
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        return [self._instance(row) for row in rows]

    def _instance(self, row):
        """The model instance of a row, as Django's `ModelIterable` makes it."""
        instance = self.make(row[self.model_columns])
        for name, position in self.annotations:
            setattr(instance, name, row[position])
        return instance


def instance_maker(model, using, attnames):
    """A function of a row's values giving the instance `model.from_db()` would.

    For a model whose constructor does nothing else (no `from_db()` of its own, no
    pre_init or post_init receivers), the instance is made as unpickling makes one:
    the loaded values set, the others deferred (`get_deferred_fields()`), without
    `__init__`, which for a ClusterableModel is most of a directory card's cost.
    """
    plain = model.from_db.__func__ is Model.from_db.__func__ and not (
        pre_init.has_listeners(model) or post_init.has_listeners(model)
    )
    if not plain:
        return lambda values: model.from_db(using, attnames, values)
    new = model.__new__

    def make(values):
        instance = new(model)
        state = instance._state = ModelState()
        state.adding = False
        state.db = using
        instance.__dict__.update(zip(attnames, values, strict=True))
        return instance

    return make


def with_page_columns(sql, query, connection, page_columns):
    """`sql`, the SQL of a page of `query`, with `page_columns` after its own columns.

    In the page's own SELECT, a subquery would run for every row before the page that
    OFFSET skips as well; over the page, only for its rows. The page keeps its order:
    `query`'s ordering, by field names, each a selected column.
    """
    quote = connection.ops.quote_name
    meta = query.model._meta
    page = quote("page")
    order = []
    for name in query.order_by:
        if not isinstance(name, str):
            raise ValueError(f"Only an ordering by field names is supported: {name!r}")
        field_name = name.removeprefix("-")
        field = meta.pk if field_name == "pk" else meta.get_field(field_name)
        order.append(f"{page}.{quote(field.column)}{' DESC' if name.startswith('-') else ''}")
    row_id = f"{page}.{quote(meta.pk.column)}"
    columns = [
        f"{make(connection, row_id)} AS {quote(name)}" for name, make in page_columns.items()
    ]
    columns, order = ", ".join(columns), ", ".join(order)
    # Only quoted names and SQL compiled by Django: no value is written in.
    return f"SELECT {page}.*, {columns} FROM ({sql}) {page} ORDER BY {order}"  # noqa: S608

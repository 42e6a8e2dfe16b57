"""Queries of a fixed shape, their SQL compiled once per process.

On an event page a query's rows (two speakers, a few sessions, an album) cost far
less than compiling it: its columns, joins and ordering are worked out anew on every
request. For a query whose shape never changes, only its values (a page's id), the
SQL is compiled once and run with each request's values, as
cms.route_cache.PageQuery does for pages. Rows become model instances as Django's
own iteration makes them: converters, `from_db()`, `select_related` objects and
annotations.

A value may be a number (an id), a moment (`datetime`, such as "now") or a day
(`date`); a listing's query may also take its LIMIT and OFFSET as parameters.

A listing that only reads columns may ask for rows instead of instances (`rows=Row`):
making a page instance (its fields' descriptors, signals, a cluster's child relations)
costs more than everything its line in a list then does.
"""

import datetime as dt

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import ModelIterable, get_related_populators

# The values a query is built with, each standing for one argument of `run()`:
# numbers no primary key takes and a moment and a day no content has, so that any
# other parameter is a constant.
FIRST_MARKER = -918_273_645
FIRST_MOMENT = dt.datetime(1901, 2, 3, 4, 5, 6, 789_012, tzinfo=dt.UTC)
FIRST_DAY = dt.date(1901, 2, 3)
# What a paged query's SQL ends with: its page's size and offset, two parameters.
PAGE_SQL = " LIMIT %s OFFSET %s"


def markers(arity, kinds=None):
    """A marker for each value: `kinds` gives each one's type (`int` by default)."""
    return tuple(_marker(kind, index) for index, kind in enumerate(kinds or (int,) * arity))


def _marker(kind, index):
    if kind is int:
        return FIRST_MARKER - index
    if kind is dt.datetime:
        return FIRST_MOMENT + dt.timedelta(seconds=index)
    if kind is dt.date:
        return FIRST_DAY + dt.timedelta(days=index)
    raise TypeError(f"Values of type {kind!r} cannot be prepared.")


def _adapter(kind, ops):
    """How a value of `kind` is passed to the database, as its model field passes it."""
    if kind is dt.datetime:
        return ops.adapt_datetimefield_value
    if kind is dt.date:
        return ops.adapt_datefield_value
    return None


def _slot(slots, param):
    """The index of the value `param` stands for, or None (a constant)."""
    try:
        # By type too: a day is never taken for a moment, nor True for 1.
        return slots.get((type(param), param))
    except TypeError:  # an unhashable constant, a list say
        return None


class Row:
    """A row of a query run for rows: its columns as attributes.

    Each selected column by its attname (`listing_image_id`, `page_ptr_id`), each
    `select_related` object (a model instance, or None) by its field's name, each
    annotation by its name. No model methods or properties: only what was selected.
    A subclass may add its own (it must keep a `__dict__`: no `__slots__`).
    """

    def __eq__(self, other):
        return type(other) is type(self) and other.__dict__ == self.__dict__

    __hash__ = None

    def __repr__(self):
        return f"<{type(self).__name__} {self.__dict__!r}>"


class PreparedQuery:
    """`build(*values)` (a queryset of model instances) compiled once per database.

    `run(*values)` gives the list the queryset would give. `kinds`, if given, names
    each value's type (`int`, `datetime.datetime` or `datetime.date`); by default
    there are `arity` numbers. A `paged` query takes two more values, a LIMIT and an
    OFFSET, after those `build` takes; `build` must give it unsliced. Prefetches,
    `.values()` and the like are not supported: build them from the rows.

    With `rows` (`Row` or a subclass), `run()` gives an instance of it per row instead
    of a model instance (see `Row`); its `select_related` relations must be plain
    foreign keys of the model. `related_rows` ({field name: a `Row` class}) makes
    those related objects rows of their columns too (None without one), not instances.
    """

    def __init__(self, build, arity=1, kinds=None, paged=False, rows=None, related_rows=None):
        self.build = build
        self.kinds = tuple(kinds) if kinds is not None else (int,) * arity
        self.paged = paged
        self.arity = len(self.kinds) + 2 * paged
        self.rows = rows
        self.related_rows = dict(related_rows or {})
        if self.related_rows and rows is None:
            raise ValueError("Related rows are for a query run for rows.")
        self._compiled = {}

    def run(self, *values, using=DEFAULT_DB_ALIAS):
        return self.compiled(values, using).run(values)

    def compiled(self, values, using=DEFAULT_DB_ALIAS):
        """The CompiledQuery for `using`, once `values` are checked to fit."""
        if len(values) != self.arity:
            raise TypeError(f"Expected {self.arity} values, got {len(values)}")
        compiled = self._compiled.get(using)
        if compiled is None:
            queryset = self.build(*markers(len(self.kinds), self.kinds))
            compiled = self._compiled[using] = CompiledQuery(
                queryset, using, self.kinds, self.paged, self.rows, self.related_rows
            )
        return compiled


class CompiledQuery:
    """A queryset's SQL, its parameters' slots and how its rows become instances."""

    def __init__(self, queryset, using, kinds, paged=False, rows=None, related_rows=None):
        if queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups:
            raise ValueError("Only plain model querysets can be prepared.")
        if paged and queryset.query.is_sliced:
            raise ValueError("A paged query is built unsliced: its page is a parameter.")
        compiler = queryset.query.get_compiler(using=using)
        self.sql, params = compiler.as_sql()
        if compiler.has_extra_select:
            raise ValueError(f"Extra selected columns are not supported: {self.sql!r}")
        arity = len(kinds)
        ops = connections[using].ops
        # Each value as the database is given it (a moment may become text).
        self.adapters = [_adapter(kind, ops) for kind in kinds] + [None, None] * paged
        slots = {}
        for index, marker in enumerate(markers(arity, kinds)):
            adapt = self.adapters[index]
            given = adapt(marker) if adapt else marker
            slots[type(given), given] = index
        # For each parameter: the index of the value it stands for, or None (a constant).
        self.slots = [_slot(slots, p) for p in params]
        if set(self.slots) - {None} != set(range(arity)):
            raise ValueError(f"Not every value is a parameter of {self.sql!r}: {params!r}")
        self.params = list(params)
        if paged:
            self.sql += PAGE_SQL
            self.params += [None, None]
            self.slots += [arity, arity + 1]
        self.using = using
        self.compiler = compiler
        select = compiler.select
        self.converters = compiler.get_converters([column for column, *_ in select])
        klass_info = compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.model_columns = slice(fields[0], fields[-1] + 1)
        self.attnames = [column.target.attname for column, *_ in select[self.model_columns]]
        self.related_populators = get_related_populators(klass_info, select, using)
        self.annotations = list(compiler.annotation_col_map.items())
        if rows is None:
            self.make = self._instance
        else:
            self.make = self._row_maker(rows, klass_info, related_rows or {})

    def run(self, values):
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, self.parameters(values))
            return self.rows_of(cursor.fetchall())

    def parameters(self, values):
        """The SQL's parameters for `values` (each adapted as its model field would)."""
        values = [
            adapt(value) if adapt else value
            for adapt, value in zip(self.adapters, values, strict=True)
        ]
        return [
            value if slot is None else values[slot]
            for value, slot in zip(self.params, self.slots, strict=True)
        ]

    def rows_of(self, rows):
        """The instances (or rows) of the database's rows."""
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        return [self.make(row) for row in rows]

    def _instance(self, row):
        """The model instance of a row, as Django's `ModelIterable` makes it."""
        instance = self.model.from_db(self.using, self.attnames, row[self.model_columns])
        for populator in self.related_populators:
            populator.populate(row, instance)
        for name, position in self.annotations:
            setattr(instance, name, row[position])
        return instance

    def _row_maker(self, row_class, klass_info, related_rows):
        """A function making a `row_class` of a row: its columns, related objects and
        annotations as attributes (see `Row`)."""
        related_infos = klass_info.get("related_klass_infos", ())
        for related in related_infos:
            field = related["field"]
            if related["reverse"] or field.unique:
                raise ValueError(f"Rows can follow plain foreign keys only, not {field!r}.")
        unknown = set(related_rows) - {related["field"].name for related in related_infos}
        if unknown:
            raise ValueError(f"No select_related relation named {sorted(unknown)!r}.")
        as_rows = [
            _related_row_maker(related, related_rows[related["field"].name], self.compiler)
            for related in related_infos
            if related["field"].name in related_rows
        ]
        as_instances = {
            **klass_info,
            "related_klass_infos": [
                related for related in related_infos if related["field"].name not in related_rows
            ],
        }
        populators = get_related_populators(as_instances, self.compiler.select, self.using)
        attnames, columns, annotations = self.attnames, self.model_columns, self.annotations
        new = row_class.__new__

        def make(row):
            values = dict(zip(attnames, row[columns], strict=True))
            if populators:
                values.update(_related_objects(populators, row))
            for name, make_related in as_rows:
                values[name] = make_related(row)
            for name, position in annotations:
                values[name] = row[position]
            made = new(row_class)
            made.__dict__ = values
            return made

        return make


def _related_row_maker(related, row_class, compiler):
    """(field name, a function making the related object's row of a row, or None when
    the row has none), for one `select_related` relation."""
    if related.get("related_klass_infos"):
        raise ValueError(f"Related rows cannot follow {related['field']!r} further.")
    fields = related["select_fields"]
    columns = slice(fields[0], fields[-1] + 1)
    attnames = [column.target.attname for column, *_ in compiler.select[columns]]
    pk_position = attnames.index(related["model"]._meta.pk.attname)
    new = row_class.__new__

    def make(row):
        values = row[columns]
        if values[pk_position] is None:
            return None
        made = new(row_class)
        made.__dict__ = dict(zip(attnames, values, strict=True))
        return made

    return related["field"].name, make


class _RelatedObjects:
    """What Django's select_related populators set a row's related objects on: the
    cache of a model instance's `_state`, here standing for the row."""

    __slots__ = ("_state", "fields_cache")

    def __init__(self):
        self._state = self
        self.fields_cache = {}


def _related_objects(populators, row):
    """{field name: its object (or None)} for a row, made by Django's own populators."""
    holder = _RelatedObjects()
    for populator in populators:
        populator.populate(row, holder)
    return holder.fields_cache

"""Queries of a fixed shape, their SQL compiled once per process.

On an event page a query's rows (two speakers, a few sessions, an album) cost far
less than compiling it: its columns, joins and ordering are worked out anew on every
request. For a query whose shape never changes, only its values (a page's id), the
SQL is compiled once and run with each request's values, as
cms.route_cache.PageQuery does for pages. Rows become model instances as Django's
own iteration makes them: converters, `from_db()`, `select_related` objects and
annotations.
"""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import ModelIterable, get_related_populators

# The values a query is built with, each standing for one argument of `run()`:
# numbers no primary key takes, so that any other parameter is a constant.
FIRST_MARKER = -918_273_645


def markers(arity):
    return tuple(FIRST_MARKER - index for index in range(arity))


class PreparedQuery:
    """`build(*values)` (a queryset of model instances) compiled once per database.

    `run(*values)` gives the list the queryset would give. Prefetches, `.values()`
    and the like are not supported: build them from the rows.
    """

    def __init__(self, build, arity=1):
        self.build = build
        self.arity = arity
        self._compiled = {}

    def run(self, *values, using=DEFAULT_DB_ALIAS):
        if len(values) != self.arity:
            raise TypeError(f"Expected {self.arity} values, got {len(values)}")
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = CompiledQuery(
                self.build(*markers(self.arity)), using, self.arity
            )
        return compiled.run(values)


class CompiledQuery:
    """A queryset's SQL, its parameters' slots and how its rows become instances."""

    def __init__(self, queryset, using, arity):
        if queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups:
            raise ValueError("Only plain model querysets can be prepared.")
        compiler = queryset.query.get_compiler(using=using)
        self.sql, params = compiler.as_sql()
        if compiler.has_extra_select:
            raise ValueError(f"Extra selected columns are not supported: {self.sql!r}")
        slots = {marker: index for index, marker in enumerate(markers(arity))}
        # For each parameter: the index of the value it stands for, or None (a constant).
        self.slots = [slots.get(p) if type(p) is int else None for p in params]
        if set(self.slots) - {None} != set(range(arity)):
            raise ValueError(f"Not every value is a parameter of {self.sql!r}: {params!r}")
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
        self.related_populators = get_related_populators(klass_info, select, using)
        self.annotations = list(compiler.annotation_col_map.items())

    def run(self, values):
        params = [
            value if slot is None else values[slot]
            for value, slot in zip(self.params, self.slots, strict=True)
        ]
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        return [self._instance(row) for row in rows]

    def _instance(self, row):
        """The model instance of a row, as Django's `ModelIterable` makes it."""
        instance = self.model.from_db(self.using, self.attnames, row[self.model_columns])
        for populator in self.related_populators:
            populator.populate(row, instance)
        for name, position in self.annotations:
            setattr(instance, name, row[position])
        return instance

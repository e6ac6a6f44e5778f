"""Queries the ORM builds once per process and runs again with new values.

Building and compiling a queryset of a dozen joins and subqueries costs
milliseconds of Python; running the SQL it makes costs a fraction of one.
A reader's page asks the same questions every time with other values (this
story, this moment), so its queries are built once with stand-in values, and
each run puts the real ones in the stand-ins' places.
"""

import re
import threading
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# A stand-in for each kind of value, unlike any value a page asks about;
# whole numbers stay within a 32-bit column's range, which Django checks.
STAND_INS: dict[type, Callable[[int], object]] = {
    int: lambda n: 2_147_480_000 + n,
    datetime: lambda n: datetime(1901, 2, 3, 4, 5, 6, 7 + n, tzinfo=UTC),
    str: lambda n: f"zqxslot{n}zqx",
}


class Prepared:
    """`build(**values)` compiled once per database, then run with other
    values: `prepared.all(pk=3, now=now)`. Each value must reach the SQL as
    a parameter, itself (or, for text in a LIKE pattern, escaped as Django
    escapes it), or be the bounds of a slice, `[offset : offset + limit]`,
    which end the SQL; a value the ORM folds into the SQL text elsewhere
    is caught when the query is first prepared. No `prefetch_related`: what
    a page needs of related rows comes in the query itself."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: type):
        self.build = build
        self.kinds = kinds
        self._plans: dict[str, _Plan] = {}
        self._lock = threading.Lock()

    def all(self, *, using: str = DEFAULT_DB_ALIAS, **values) -> list:
        plan = self._plans.get(using)
        if plan is None:
            with self._lock:
                plan = self._plans.get(using) or self._prepare(using)
        return plan.run(values)

    def first(self, *, using: str = DEFAULT_DB_ALIAS, **values):
        rows = self.all(using=using, **values)
        return rows[0] if rows else None

    def _prepare(self, using: str) -> "_Plan":
        stand_ins = {name: STAND_INS[kind](n) for n, (name, kind) in enumerate(self.kinds.items())}
        queryset = self.build(**stand_ins).using(using)
        # The stubs know only the public API of a queryset.
        if queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
            raise ValueError("A prepared query cannot prefetch: fetch related rows as JSON.")
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        sql, params = _bounds_as_parameters(sql, list(params), stand_ins)
        plan = _Plan(queryset, compiler, sql, params, stand_ins, using)
        self._plans[using] = plan
        return plan


# How Django ends a sliced query's SQL.
BOUNDS = re.compile(r" LIMIT (\d+)(?: OFFSET (\d+))?$")


def _bounds_as_parameters(sql: str, params: list, stand_ins: dict) -> tuple[str, list]:
    """A slice's bounds are written into the SQL: where they are stand-ins,
    make them parameters."""
    numbers = {value for value in stand_ins.values() if type(value) is int}
    found = BOUNDS.search(sql)
    if found is None:
        return sql, params
    limit, offset = (int(value) if value else None for value in found.groups())
    if limit not in numbers and offset not in numbers:
        return sql, params
    clause = " LIMIT %s" + (" OFFSET %s" if offset is not None else "")
    return sql[: found.start()] + clause, [
        *params,
        limit,
        *([offset] if offset is not None else []),
    ]


class _Plan:
    def __init__(self, queryset, compiler, sql, params, stand_ins, using):
        self.queryset, self.compiler, self.sql = queryset, compiler, sql
        self.using = using
        # Per thread, as the connections whose converters it holds.
        self._held = threading.local()
        self.kinds = {name: type(value) for name, value in stand_ins.items()}
        # Each parameter: fixed, a value's place, or a LIKE pattern holding one.
        self.slots: list[tuple[str, str | None, object]] = []
        found = set()
        for param in params:
            slot = ("fixed", None, param)
            for name, stand_in in stand_ins.items():
                if param == self.adapted(stand_in):
                    slot = ("value", name, None)
                elif isinstance(stand_in, str) and isinstance(param, str) and stand_in in param:
                    slot = ("like", name, tuple(param.split(stand_in)))
                else:
                    continue
                found.add(name)
            self.slots.append(slot)
        if missing := set(stand_ins) - found:
            raise ValueError(f"Not parameters of the prepared SQL: {', '.join(sorted(missing))}")

    def converters(self, compiler, expressions) -> dict:
        """What turns each column's value into Python: the same columns
        every run, so asked of each thread's connection once."""
        held = getattr(self._held, "converters", None)
        if held is None:
            held = self._held.converters = {}
        key = tuple(map(id, expressions))
        if (found := held.get(key)) is None:
            found = held[key] = type(compiler).get_converters(compiler, expressions)
        return found

    def adapted(self, value):
        """A value as Django passes it to the database driver."""
        if isinstance(value, datetime):
            return connections[self.using].ops.adapt_datetimefield_value(value)
        return value

    def params(self, values: dict) -> tuple:
        if set(values) != set(self.kinds):
            raise TypeError(f"A prepared query takes {', '.join(sorted(self.kinds))}.")
        for name, value in values.items():
            if not isinstance(value, self.kinds[name]):
                raise TypeError(f"{name} must be a {self.kinds[name].__name__}.")
        params = []
        for how, name, fixed in self.slots:
            if how == "fixed":
                params.append(fixed)
            elif how == "value":
                params.append(self.adapted(values[name]))
            else:
                escaped = connections[self.using].ops.prep_for_like_query(values[name])
                params.append(escaped.join(fixed))  # type: ignore[arg-type]
        return tuple(params)

    def run(self, values: dict) -> list:
        params = self.params(values)
        compiler = shallow_copy(self.compiler)
        # This thread's connection: each thread has its own.
        compiler.connection = connections[self.using]
        compiler.as_sql = lambda *args, **kwargs: (self.sql, params)
        compiler.get_converters = lambda expressions: self.converters(compiler, expressions)
        query = shallow_copy(self.queryset.query)
        query.get_compiler = lambda *args, **kwargs: compiler
        queryset = shallow_copy(self.queryset)
        queryset.query = query
        with kept_prepared(compiler.connection):
            return list(queryset)


@contextmanager
def kept_prepared(connection):
    """On PostgreSQL with server-side binding (`DATABASE_PREPARED`), have
    the server keep these queries prepared on the connection from their
    first run: planning the story page's query costs three times running
    it. Only these: a query whose best plan depends on its values (a search
    for a rare word or a common one) is planned for each, as before."""
    options = connection.settings_dict["OPTIONS"]
    if connection.vendor != "postgresql" or not options.get("server_side_binding"):
        yield
        return
    connection.ensure_connection()
    driver = connection.connection
    before = driver.prepare_threshold
    driver.prepare_threshold = 0
    try:
        yield
    finally:
        driver.prepare_threshold = before


def shallow_copy(thing):
    """A copy sharing `thing`'s attributes. Not `copy.copy`: a queryset
    copied that way runs its query first."""
    twin = object.__new__(type(thing))
    twin.__dict__.update(thing.__dict__)
    return twin

"""Reading and writing many rows of one model, fast.

The chat writer stores hundreds of messages a second in batches. Compiling ORM queries
(``bulk_create``, ``bulk_update``'s ``CASE`` per column, ``select_for_update``) cost more
CPU than the database spent on them (``make bench-chat``, profiled). These helpers build
their SQL from the model's metadata once per shape, with each field's own conversions on
the way in and out. They send no signals, like ``bulk_create`` and ``bulk_update``.

On PostgreSQL the rows travel as one JSON parameter (``jsonb_to_recordset``): psycopg
parses a statement and quotes its parameters in Python, and caches no statement with
more than 50 parameters, so a multi-row ``VALUES`` of a few hundred parameters spent
more time in the driver than in the database. SQLite's driver binds in C: there a
multi-row ``VALUES`` (or ``executemany``) is the fast way.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache, partial
from operator import attrgetter
from typing import Any, TypeVar

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorDebugWrapper

M = TypeVar("M", bound=models.Model)

Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]
# A column's name, the value types written as they are, and how to prepare the rest.
_Preparer = tuple[str, tuple[type, ...], Callable[[Any], Any]]


def update_rows(objs: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Save ``fields`` of every object in ``objs`` (all of one model), by primary key.

    One ``UPDATE`` built once per model and fields (from the JSON rows on PostgreSQL, run
    with ``executemany`` on SQLite), where ``bulk_update`` builds a ``CASE WHEN pk=...``
    branch per row and column.
    """
    if not objs:
        return
    model = _one_model(objs)
    concrete = _writable(model, tuple(fields))
    connection = connections[router.db_for_write(model)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            pk = model._meta.pk
            assert pk is not None
            prepare = _preparers(tuple(concrete))
            rows = [
                {
                    str(pk.column): obj.pk,
                    **_json_row(prepare, [getattr(obj, f.attname) for f in concrete]),
                }
                for obj in objs
            ]
            cursor.execute(_update_sql(connection.alias, model, tuple(fields)), [_dumps(rows)])
        else:
            cursor.executemany(
                _update_sql(connection.alias, model, tuple(fields)),
                [
                    [
                        field.get_db_prep_save(getattr(obj, field.attname), connection)
                        for field in concrete
                    ]
                    + [obj.pk]
                    for obj in objs
                ],
            )


def insert_rows(objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` (all of one model, unsaved) with one multi-row ``INSERT``.

    Every column is written, as ``bulk_create`` does (fields' ``pre_save`` included, so
    ``auto_now_add`` works); each object gets its new primary key, in order.
    """
    if not objs:
        return
    model = _one_model(objs)
    connection = connections[router.db_for_write(model)]
    concrete = _insertable(model)
    pk = model._meta.pk
    assert pk is not None
    if any(obj._state.adding is False for obj in objs) or (
        _generated_pk(model) and any(obj.pk is not None for obj in objs)
    ):
        raise ValueError("insert_rows takes unsaved objects")
    sql = _insert_sql(
        connection.alias, model, 1 if connection.vendor == "postgresql" else len(objs)
    )
    # pre_save gives auto_now_add and friends their value, as a save would.
    read = _reader(model)
    values = [read(obj) for obj in objs]
    if connection.vendor == "postgresql" and _bulky(values):
        ids = _insert_bound(connection, model, concrete, values)
    else:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                prepare = _preparers(tuple(concrete))
                cursor.execute(sql, [_dumps([_json_row(prepare, row) for row in values])])
            else:
                cursor.execute(
                    sql,
                    [
                        field.get_db_prep_save(value, connection)
                        for row in values
                        for field, value in zip(concrete, row, strict=True)
                    ],
                )
            ids = [row[0] for row in cursor.fetchall()]
    if len(ids) != len(objs):  # pragma: no cover (the database broke its contract)
        raise RuntimeError("the database returned fewer ids than rows inserted")
    for obj, new_id in zip(objs, ids, strict=True):
        setattr(obj, pk.attname, new_id)
        obj._state.adding = False
        obj._state.db = connection.alias


def insert_values(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert ``rows`` of ``model``: values of ``fields`` (attribute names), in order.

    For rows nobody reads back in this transaction (an event log): no model instances,
    no ids returned. Values are prepared as fields prepare them; no defaults are filled
    in and no ``pre_save`` runs, so give every column the row needs (the database hands
    out the primary key).
    """
    if not rows:
        return
    names = tuple(fields)
    concrete = _writable(model, names)
    connection = connections[router.db_for_write(model)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            prepare = _preparers(tuple(concrete))
            cursor.execute(
                _values_sql(connection.alias, model, names, 1),
                [_dumps([_json_row(prepare, row) for row in rows])],
            )
        else:
            cursor.execute(
                _values_sql(connection.alias, model, names, len(rows)),
                [
                    field.get_db_prep_save(value, connection)
                    for row in rows
                    for field, value in zip(concrete, row, strict=True)
                ],
            )


@cache
def _values_sql(alias: str, model: type[models.Model], fields: tuple[str, ...], count: int) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    concrete = _writable(model, fields)
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(str(field.column)) for field in concrete)
    if connection.vendor == "postgresql":
        return (
            f"INSERT INTO {table} ({columns}) "  # noqa: S608 (names come from the model)
            f"SELECT {columns} FROM jsonb_to_recordset(%s::jsonb) "
            f"AS x({_record_type(connection, concrete)})"
        )
    one = "(" + ", ".join(["%s"] * len(concrete)) + ")"
    return f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * count)}"  # noqa: S608


# Rows carrying more text than this (an email's HTML), or any bytes (a raw mail), go to
# PostgreSQL as bound parameters instead of one JSON document: JSON-encoding megabytes
# and having the server parse them back cost four times as much as sending them as
# they are. Small rows (chat lines) are faster as JSON.
BULKY_BATCH_CHARS = 64 * 1024


def _bulky(values: list[list[Any]]) -> bool:
    size = 0
    for row in values:
        for value in row:
            if isinstance(value, bytes | bytearray | memoryview):
                return True  # bytes have no JSON form
            if isinstance(value, str):
                size += len(value)
        if size > BULKY_BATCH_CHARS:
            return True
    return False


def _insert_bound(
    connection: BaseDatabaseWrapper,
    model: type[models.Model],
    fields: list[models.Field[Any, Any]],
    values: list[list[Any]],
) -> list[Any]:
    """Insert one row per ``values`` with server-side bound parameters, pipelined in one
    round trip (psycopg's ``executemany``); the new primary keys, in order."""
    quote = connection.ops.quote_name
    meta = model._meta
    assert meta.pk is not None
    sql = (
        f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608 (names come from the model)
        f"({', '.join(quote(str(field.column)) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(str(meta.pk.column))}"
    )
    params = [
        [
            field.get_db_prep_save(value, connection)
            for field, value in zip(fields, row, strict=True)
        ]
        for row in values
    ]
    return [row[0] for row in bound_executemany(connection, sql, params)]


def bound_executemany(
    connection: BaseDatabaseWrapper, sql: str, params: list[list[Any]]
) -> list[tuple[Any, ...]]:
    """``executemany`` on PostgreSQL with server-side binding (Django's cursors bind on
    the client), returning every row the statements return. Same connection and
    transaction; Django's execute wrappers and query log see it as one executemany."""
    import psycopg  # only ever called on PostgreSQL

    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)

    def run(sql: str, params: Any, many: bool, context: dict[str, Any]) -> list[tuple[Any, ...]]:
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors:
            raw.executemany(sql, params, returning=True)
            found: list[tuple[Any, ...]] = []
            while True:
                found.extend(raw.fetchall())
                if not raw.nextset():
                    return found

    wrapper = CursorDebugWrapper(raw, connection) if connection.queries_logged else None
    executor: Callable[..., list[tuple[Any, ...]]] = run
    for wrap in reversed(connection.execute_wrappers):
        executor = partial(wrap, executor)
    try:
        if wrapper is None:
            return executor(sql, params, True, {"connection": connection, "cursor": raw})
        with wrapper.debug_sql(sql, params, many=True):
            return executor(sql, params, True, {"connection": connection, "cursor": wrapper})
    finally:
        raw.close()


def select_rows(
    model: type[M], pks: Sequence[Any], *, for_update: bool = False, joined: str | None = None
) -> list[M]:
    """The rows of ``model`` with these primary keys, as model instances in key order.

    ``for_update`` locks them (on databases that lock rows) in primary key order, so two
    writers locking overlapping sets cannot deadlock. ``joined`` names a non-null
    foreign key whose rows come along in the same query (not locked), as
    ``select_related`` would.
    """
    if not pks:
        return []
    connection = connections[
        router.db_for_write(model) if for_update else router.db_for_read(model)
    ]
    lock = for_update and connection.features.has_select_for_update
    count = 1 if connection.vendor == "postgresql" else len(pks)
    sql = _select_sql(connection.alias, model, count, lock=lock, joined=joined)
    columns = _readable(connection.alias, model)
    names = [field.attname for field, _expression, _converters in columns]
    key: models.ForeignKey[Any, Any] | None = None
    other: list[tuple[models.Field[Any, Any], Any, list[Converter]]] = []
    if joined is not None:
        key = _join_key(model, joined)
        other = _readable(connection.alias, key.related_model)
    other_names = [field.attname for field, _expression, _converters in other]
    rows: list[M] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, in_params(connection, pks))
        for raw in cursor.fetchall():
            values = _converted(connection, columns, raw[: len(columns)])
            row = model.from_db(connection.alias, names, values)
            if key is not None:
                related = key.related_model.from_db(
                    connection.alias,
                    other_names,
                    _converted(connection, other, raw[len(columns) :]),
                )
                key.set_cached_value(row, related)
            rows.append(row)
    return rows


def _converted(
    connection: BaseDatabaseWrapper,
    columns: list[tuple[models.Field[Any, Any], Any, list[Converter]]],
    raw: Sequence[Any],
) -> list[Any]:
    values = list(raw)
    for index, (_field, expression, converters) in enumerate(columns):
        for convert in converters:
            values[index] = convert(values[index], expression, connection)
    return values


@cache
def _join_key(model: type[models.Model], name: str) -> models.ForeignKey[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.ForeignKey) or field.null:
        raise ValueError(f"{model.__name__}.{name} is not a required foreign key")
    return field


def in_sql(connection: BaseDatabaseWrapper, column: str, count: int) -> str:
    """``column IN (...)`` for ``count`` values, to be passed through ``in_params``.

    On PostgreSQL one array parameter (``= ANY``): one statement for every count, which
    psycopg parses once, where ``IN`` with more than 50 parameters is parsed every time.
    """
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)"
    return f"{column} IN ({', '.join(['%s'] * count)})"


def in_params(connection: BaseDatabaseWrapper, values: Sequence[Any]) -> list[Any]:
    return [list(values)] if connection.vendor == "postgresql" else list(values)


def _one_model(objs: Sequence[models.Model]) -> type[models.Model]:
    model = type(objs[0])
    if any(type(obj) is not model for obj in objs):
        raise ValueError("these helpers take objects of one model")
    return model


@cache
def _writable(model: type[models.Model], fields: tuple[str, ...]) -> list[models.Field[Any, Any]]:
    concrete: list[models.Field[Any, Any]] = []
    for name in fields:
        field = model._meta.get_field(name)
        if (
            not isinstance(field, models.Field)
            or not field.concrete
            or field.many_to_many
            or field.primary_key
            or field.column is None
        ):
            raise ValueError(f"cannot write {name!r} of {model.__name__}")
        concrete.append(field)
    return concrete


@cache
def _insertable(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    # A primary key the database hands out is left to it; any other (a one-to-one key,
    # say) is written like every other column.
    generated = _generated_pk(model)
    return [f for f in model._meta.concrete_fields if not (f.primary_key and generated)]


@cache
def _reader(model: type[models.Model]) -> Callable[[models.Model], list[Any]]:
    """What an insert writes of an object: each insertable field's ``pre_save``. Fields
    whose pre_save only reads the attribute are read in one go (most of them)."""
    fields = _insertable(model)
    if not all(_reads_only(field) for field in fields):
        return lambda obj: [field.pre_save(obj, True) for field in fields]
    if len(fields) == 1:
        attname = fields[0].attname
        return lambda obj: [getattr(obj, attname)]
    get = attrgetter(*(field.attname for field in fields))
    return lambda obj: list(get(obj))


def _reads_only(field: models.Field[Any, Any]) -> bool:
    if isinstance(field, models.DateField):  # DateTimeField too
        stock = type(field).pre_save in (models.DateField.pre_save, models.DateTimeField.pre_save)
        return stock and not (field.auto_now or field.auto_now_add)
    return type(field).pre_save is models.Field.pre_save


def _generated_pk(model: type[models.Model]) -> bool:
    return isinstance(model._meta.pk, models.AutoField)  # Big- and SmallAutoField too


@cache
def _insert_sql(alias: str, model: type[models.Model], count: int) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    assert meta.pk is not None
    concrete = _insertable(model)
    columns = ", ".join(quote(str(field.column)) for field in concrete)
    returning = f"RETURNING {quote(str(meta.pk.column))}"
    if connection.vendor == "postgresql":
        # ORDINALITY keeps the rows, and so the returned ids, in the objects' order.
        return (
            f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608 (names come from the model)
            f"SELECT {columns} FROM ROWS FROM (jsonb_to_recordset(%s::jsonb) "
            f"AS ({_record_type(connection, concrete)})) "
            f"WITH ORDINALITY AS x({columns}, ordinality) "
            f"ORDER BY ordinality {returning}"
        )
    one = "(" + ", ".join(["%s"] * len(concrete)) + ")"
    return (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608 (names come from the model)
        f"VALUES {', '.join([one] * count)} {returning}"
    )


@cache
def _update_sql(alias: str, model: type[models.Model], fields: tuple[str, ...]) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    assert meta.pk is not None
    concrete = _writable(model, fields)
    table, pk = quote(meta.db_table), quote(str(meta.pk.column))
    if connection.vendor == "postgresql":
        assignments = ", ".join(
            f"{quote(str(field.column))} = x.{quote(str(field.column))}" for field in concrete
        )
        return (
            f"UPDATE {table} SET {assignments} "  # noqa: S608 (names come from the model)
            f"FROM jsonb_to_recordset(%s::jsonb) "
            f"AS x({_record_type(connection, [meta.pk, *concrete])}) WHERE {table}.{pk} = x.{pk}"
        )
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in concrete)
    return f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608


def _record_type(connection: BaseDatabaseWrapper, fields: Sequence[models.Field[Any, Any]]) -> str:
    quote = connection.ops.quote_name
    return ", ".join(f"{quote(str(field.column))} {field.db_type(connection)}" for field in fields)


def _json_row(preparers: list[_Preparer], values: Sequence[Any]) -> dict[str, Any]:
    """One row for ``jsonb_to_recordset``: JSON fields as JSON, the rest as prepared
    (``preparers`` of the row's fields, from ``_preparers``)."""
    row: dict[str, Any] = {}
    for (column, plain, prepare), value in zip(preparers, values, strict=True):
        # A value of the field's own plain type is what get_prep_value would return.
        row[column] = value if value is None or type(value) in plain else prepare(value)
    return row


# Field classes whose get_prep_value returns a value of these exact types unchanged
# (exact classes: a subclass may prepare differently). The chat writer prepares some
# twenty values per message: calling each field's method cost more than building the
# rest of the row.
_PLAIN: dict[type[models.Field[Any, Any]], tuple[type, ...]] = {
    models.AutoField: (int,),
    models.BigAutoField: (int,),
    models.SmallAutoField: (int,),
    models.IntegerField: (int,),
    models.BigIntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveBigIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.BooleanField: (bool,),
    models.CharField: (str,),
    models.TextField: (str,),
    models.SlugField: (str,),
    models.EmailField: (str,),
}


@cache
def _preparers(fields: tuple[models.Field[Any, Any], ...]) -> list[_Preparer]:
    found: list[_Preparer] = []
    for field in fields:
        column = str(field.column)
        if isinstance(field, models.JSONField):
            found.append((column, (), partial(_json_value, field)))
        elif type(field) is models.DateTimeField:
            found.append((column, (), partial(_datetime_value, field)))
        elif type(field) is models.ForeignKey:
            # A key is prepared by the field it points to.
            found.append((column, _PLAIN.get(type(field.target_field), ()), field.get_prep_value))
        else:
            found.append((column, _PLAIN.get(type(field), ()), field.get_prep_value))
    return found


def _json_value(field: models.JSONField[Any], value: Any) -> Any:
    if field.encoder is None:
        return value
    return json.loads(json.dumps(value, cls=field.encoder))


def _datetime_value(field: models.Field[Any, Any], value: Any) -> Any:
    # An aware datetime is prepared as itself (a naive one gets the field's warning).
    if type(value) is datetime and value.tzinfo is not None:
        return value
    return field.get_prep_value(value)


def _dumps(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, default=_json_default, separators=(",", ":"))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as a row value")


@cache
def _readable(
    alias: str, model: type[models.Model]
) -> list[tuple[models.Field[Any, Any], Any, list[Converter]]]:
    # The same conversions the ORM's compiler applies to each column it reads (SQLite
    # hands datetimes back as text, JSON comes back as a string, ...).
    connection = connections[alias]
    columns = []
    for field in model._meta.concrete_fields:
        expression = field.get_col(model._meta.db_table)
        converters = [
            *connection.ops.get_db_converters(expression),
            *field.get_db_converters(connection),
        ]
        columns.append((field, expression, converters))
    return columns


@cache
def _select_sql(
    alias: str, model: type[models.Model], count: int, *, lock: bool, joined: str | None = None
) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    assert meta.pk is not None
    table = quote(meta.db_table)
    pk = quote(str(meta.pk.column))
    columns = [f"{table}.{quote(str(field.column))}" for field, _e, _c in _readable(alias, model)]
    join = ""
    if joined is not None:
        key = _join_key(model, joined)
        other = key.related_model._meta
        other_table = quote(other.db_table)
        columns += [
            f"{other_table}.{quote(str(field.column))}"
            for field, _e, _c in _readable(alias, key.related_model)
        ]
        join = (
            f" JOIN {other_table} ON {other_table}.{quote(str(key.target_field.column))}"
            f" = {table}.{quote(str(key.column))}"
        )
    sql = (
        f"SELECT {', '.join(columns)} FROM {table}{join} "  # noqa: S608 (names come from the model)
        f"WHERE {in_sql(connection, f'{table}.{pk}', count)} ORDER BY {table}.{pk}"
    )
    if lock:
        # Only this model's rows: the joined ones are read, as select_related reads them.
        sql += f" FOR UPDATE OF {table}" if joined is not None else " FOR UPDATE"
    return sql

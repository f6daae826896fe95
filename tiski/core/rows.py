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
from typing import Any, TypeVar

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorDebugWrapper

M = TypeVar("M", bound=models.Model)

Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


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
            rows = [
                {
                    str(pk.column): obj.pk,
                    **_json_row(concrete, [getattr(obj, f.attname) for f in concrete]),
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
    values = [[field.pre_save(obj, True) for field in concrete] for obj in objs]
    if connection.vendor == "postgresql" and _bulky(values):
        ids = _insert_bound(connection, model, concrete, values)
    else:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(sql, [_dumps([_json_row(concrete, row) for row in values])])
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


def select_rows(model: type[M], pks: Sequence[Any], *, for_update: bool = False) -> list[M]:
    """The rows of ``model`` with these primary keys, as model instances in key order.

    ``for_update`` locks them (on databases that lock rows) in primary key order, so two
    writers locking overlapping sets cannot deadlock.
    """
    if not pks:
        return []
    connection = connections[
        router.db_for_write(model) if for_update else router.db_for_read(model)
    ]
    columns = _readable(connection.alias, model)
    lock = for_update and connection.features.has_select_for_update
    count = 1 if connection.vendor == "postgresql" else len(pks)
    sql = _select_sql(connection.alias, model, count, lock=lock)
    names = [field.attname for field, _expression, _converters in columns]
    rows: list[M] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, in_params(connection, pks))
        for raw in cursor.fetchall():
            values = list(raw)
            for index, (_field, expression, converters) in enumerate(columns):
                for convert in converters:
                    values[index] = convert(values[index], expression, connection)
            rows.append(model.from_db(connection.alias, names, values))
    return rows


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


def _json_row(fields: Sequence[models.Field[Any, Any]], values: Sequence[Any]) -> dict[str, Any]:
    """One row for ``jsonb_to_recordset``: JSON fields as JSON, the rest as prepared."""
    row: dict[str, Any] = {}
    for field, value in zip(fields, values, strict=True):
        if not isinstance(field, models.JSONField):
            value = field.get_prep_value(value)
        elif value is not None and field.encoder is not None:
            value = json.loads(json.dumps(value, cls=field.encoder))
        row[str(field.column)] = value
    return row


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
def _select_sql(alias: str, model: type[models.Model], count: int, *, lock: bool) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    assert meta.pk is not None
    table = quote(meta.db_table)
    pk = quote(str(meta.pk.column))
    columns = ", ".join(
        f"{table}.{quote(str(field.column))}" for field, _e, _c in _readable(alias, model)
    )
    sql = (
        f"SELECT {columns} FROM {table} "  # noqa: S608 (names come from the model)
        f"WHERE {in_sql(connection, pk, count)} ORDER BY {pk}"
    )
    if lock:
        sql += " FOR UPDATE"
    return sql

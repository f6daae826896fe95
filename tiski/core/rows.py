"""Writing the same columns of many rows, fast.

Django's ``bulk_update`` builds one ``CASE WHEN pk=... THEN ...`` expression per column
with a branch per row; compiling that is most of the chat writer's time under load
(``make bench-chat``). One parameterised ``UPDATE`` run with ``executemany`` is compiled
once, and both drivers (sqlite3, psycopg) run it without building SQL per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router


def update_rows(objs: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Save ``fields`` of every object in ``objs`` (all of one model), by primary key.

    Like ``QuerySet.bulk_update`` without its per-row SQL; no signals, as there.
    """
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    if any(type(obj) is not model for obj in objs):
        raise ValueError("update_rows takes objects of one model")
    concrete: list[models.Field[Any, Any]] = []
    for name in fields:
        field = meta.get_field(name)
        if (
            not isinstance(field, models.Field)
            or not field.concrete
            or field.many_to_many
            or field.primary_key
            or field.column is None
        ):
            raise ValueError(f"update_rows cannot write {name!r}")
        concrete.append(field)
    alias = router.db_for_write(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in concrete)
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608 (names come from the model)
        f"WHERE {quote(str(meta.pk.column))} = %s"
    )
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in concrete]
        + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)

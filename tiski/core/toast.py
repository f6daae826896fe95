"""Large columns compressed with lz4 on PostgreSQL.

PostgreSQL compresses values over about 2 KB (a mail's source, a message's HTML, an
event carrying it) with pglz by default, on the writer's time: storing a batch of
mails spent more time compressing than anything else it did (``make bench-mail``).
lz4 compresses several times faster, to a similar size. Servers built without lz4 keep
pglz; SQLite does not compress.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import migrations


def lz4_columns(model: str, fields: Sequence[str]) -> migrations.RunPython:
    """A migration operation that makes ``fields`` of ``model`` ("app.Model") use lz4
    where the server has it.

    Only values written afterwards are compressed with it; older ones stay readable.
    """

    def forwards(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_settings "
                "WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
            )
            if cursor.fetchone() is None:
                return
        meta = apps.get_model(model)._meta
        quote = connection.ops.quote_name
        changes = ", ".join(
            f"ALTER COLUMN {quote(meta.get_field(name).column)} SET COMPRESSION lz4"
            for name in fields
        )
        schema_editor.execute(f"ALTER TABLE {quote(meta.db_table)} {changes}")

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)

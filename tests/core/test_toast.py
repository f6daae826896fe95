"""Large columns are compressed with lz4 on PostgreSQL servers that have it."""

from __future__ import annotations

from django.db import connection

from tiski.conversations.models import ConversationEvent, Message
from tiski.mail.models import RawMailSource


def test_large_columns_use_lz4_where_the_server_has_it(postgres: None, db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
        expected = "l" if row and row[0] else ""
        columns = [
            (RawMailSource._meta.db_table, "data"),
            (Message._meta.db_table, "body_text"),
            (Message._meta.db_table, "body_html"),
            (ConversationEvent._meta.db_table, "payload"),
        ]
        found = {}
        for table, column in columns:
            cursor.execute(
                "SELECT attcompression FROM pg_attribute "
                "WHERE attrelid = %s::regclass AND attname = %s",
                [table, column],
            )
            [(compression,)] = cursor.fetchall()
            found[(table, column)] = compression
    assert found == dict.fromkeys(columns, expected)

"""The full-text engine beside SearchDocument: FTS5 on SQLite, a tsvector on PostgreSQL."""

from django.db import migrations

SQLITE_CREATE = (
    # prefix='2 3 4': search-as-you-type asks for prefixes; indexed prefixes keep it fast.
    "CREATE VIRTUAL TABLE helpcenter_fts USING fts5("
    "scope, title, body, tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')"
)
POSTGRES_CREATE = [
    "ALTER TABLE helpcenter_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', title_terms), 'A') || "
    "setweight(to_tsvector('simple', body_terms), 'B')) STORED",
    "CREATE INDEX helpcenter_searchdocument_tsv ON helpcenter_searchdocument USING gin (tsv)",
    # Ranking reads the tsvector of every match. Out of line (TOAST, the default for a
    # value over 2 kB) that is a TOAST index lookup per row: 75 ms for a common word in
    # 5,000 articles, against 7 ms with the vectors kept in the table's own pages. The
    # body's terms, read only to build the vocabulary, go out of line instead.
    "ALTER TABLE helpcenter_searchdocument ALTER COLUMN tsv SET STORAGE MAIN, "
    "ALTER COLUMN body_terms SET STORAGE EXTERNAL",
]


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif connection.vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_settings "
                "WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
            )
            if cursor.fetchone() is not None:
                schema_editor.execute(
                    "ALTER TABLE helpcenter_searchdocument ALTER COLUMN tsv SET COMPRESSION lz4"
                )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS helpcenter_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS helpcenter_searchdocument_tsv")
        schema_editor.execute("ALTER TABLE helpcenter_searchdocument DROP COLUMN IF EXISTS tsv")


class Migration(migrations.Migration):
    dependencies = [("helpcenter", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]

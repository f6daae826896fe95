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
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


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

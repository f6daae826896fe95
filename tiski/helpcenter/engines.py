"""The two full-text engines behind :mod:`tiski.helpcenter.search`.

Both index the same :class:`~tiski.helpcenter.models.SearchDocument` rows (stems made
by :mod:`tiski.helpcenter.analysis`) and answer the same question: the ids of the
translations matching term groups, best first. SQLite keeps an FTS5 table
(``helpcenter_fts``: a scope token for store and language, title, body; bm25 with the
title weighted 5:1); PostgreSQL a generated ``tsvector`` column (title weight A, body
B; ``ts_rank``: cover density costs more and adds little to queries of a few
words) with a GIN index, the vectors stored in the table's pages, not TOAST. Both are
created by migration 0002.
"""

from __future__ import annotations

from django.db import connection

from tiski.helpcenter.query import Group

# Candidates ranked per search: enough for every page of results customers look at.
MAX_CANDIDATES = 50


def scope_token(store_id: int, language: str) -> str:
    return f"s{store_id}l{''.join(c for c in language if c.isalnum())}"


def index(translation_id: int, store_id: int, language: str, title: str, body: str) -> None:
    """Mirror one search document in the engine (PostgreSQL needs nothing: generated)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM helpcenter_fts WHERE rowid = %s", [translation_id])
        cursor.execute(
            "INSERT INTO helpcenter_fts (rowid, scope, title, body) VALUES (%s, %s, %s, %s)",
            [translation_id, scope_token(store_id, language), title, body],
        )


def unindex(translation_id: int) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM helpcenter_fts WHERE rowid = %s", [translation_id])


def match(
    store_id: int, language: str, groups: list[Group], *, every: bool, limit: int = MAX_CANDIDATES
) -> list[int]:
    """Translation ids matching all groups (``every``) or any, best first, by each
    group's ``terms`` (exact words; ``query.expand`` made them from prefixes)."""
    usable = _searchable(groups, every)
    if usable is None:
        return []
    if connection.vendor == "postgresql":
        return _match_postgres(store_id, language, usable, every, limit)
    return _match_sqlite(store_id, language, usable, every, limit)


def _searchable(groups: list[Group], every: bool) -> list[Group] | None:
    """The groups an engine can search; None when nothing can match."""
    usable = [g for g in groups if g.terms]
    if not usable or (every and len(usable) < len(groups)):
        return None
    return usable


def _fts5_group(group: Group) -> str:
    # Terms are alphanumeric (vocabulary words); quoting is belt and braces.
    return "(" + " OR ".join(f'"{term}"' for term in group.terms) + ")"


def _match_sqlite(
    store_id: int, language: str, groups: list[Group], every: bool, limit: int
) -> list[int]:
    joiner = " AND " if every else " OR "
    terms = joiner.join(_fts5_group(g) for g in groups)
    expression = f'scope:"{scope_token(store_id, language)}" AND {{title body}}: ({terms})'
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM helpcenter_fts WHERE helpcenter_fts MATCH %s "
            "ORDER BY bm25(helpcenter_fts, 0.0, 5.0, 1.0) LIMIT %s",
            [expression, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _tsquery_group(group: Group) -> str:
    return "(" + " | ".join(group.terms) + ")"


def _match_postgres(
    store_id: int, language: str, groups: list[Group], every: bool, limit: int
) -> list[int]:
    joiner = " & " if every else " | "
    expression = joiner.join(_tsquery_group(g) for g in groups)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT translation_id FROM helpcenter_searchdocument, "
            "to_tsquery('simple', %s) AS q "
            "WHERE store_id = %s AND language = %s AND tsv @@ q "
            "ORDER BY ts_rank('{0.1, 0.2, 0.4, 1.0}', tsv, q) DESC, translation_id "
            "LIMIT %s",
            [expression, store_id, language, limit],
        )
        return [row[0] for row in cursor.fetchall()]

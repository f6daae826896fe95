"""Stored mail survives the move of its sources into rows of their own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("mail", "0003_lz4_source")]
AFTER = [("mail", "0004_raw_mail_source")]


@pytest.mark.django_db(transaction=True)
def test_sources_move_to_their_own_rows_unchanged() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    RawMail = old.get_model("mail", "RawMail")
    sources = [b"From: a@example.fi\r\n\r\nhei", bytes(range(256)) * 100]
    ids = [
        RawMail.objects.create(
            via="file", source=source, size=len(source), sha256="-", received_at="2026-12-01T10:00Z"
        ).pk
        for source in sources
    ]
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        moved = dict(new.get_model("mail", "RawMailSource").objects.values_list("raw_id", "data"))
        assert [bytes(moved[pk]) for pk in ids] == sources
        assert "source" not in {f.name for f in new.get_model("mail", "RawMail")._meta.fields}
    finally:
        # Back to the newest schema for the tests that follow.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

"""``tiski mail ingest|retry|list`` as an operator runs them."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.mail.test_ingest import mail
from tiski.conversations.models import Conversation
from tiski.mail.models import RawMail, RawMailStatus
from tiski.stores.models import Store

KEYS = {"path", "status", "conversation", "message", "from", "subject", "text", "error"}


def run(*args: str) -> tuple[list[dict[str, object]], str | None]:
    out = StringIO()
    failure = None
    try:
        call_command("mail", *args, stdout=out)
    except CommandError as exc:
        failure = str(exc)
    return [json.loads(line) for line in out.getvalue().splitlines()], failure


def test_ingest_files_and_an_mbox_as_json(store: Store, tmp_path: Path) -> None:
    one = tmp_path / "one.eml"
    one.write_bytes(mail("Hei, missä paketti?", subject="Paketti"))
    box = tmp_path / "box.mbox"
    box.write_bytes(
        b"From matti@example.fi Mon Nov  3 10:00:00 2025\n"
        + mail("Ensimmäinen", subject="Eka").replace(b"\r\n", b"\n")
        + b"\nFrom liisa@example.fi Mon Nov  3 10:05:00 2025\n"
        + mail("Toinen", sender="liisa@example.fi", subject="Toka").replace(b"\r\n", b"\n")
    )
    folder = tmp_path / "export"
    folder.mkdir()
    single = folder / "single.mbox"  # one mail behind its "From " line
    single.write_bytes(
        b"From anna@example.pl Mon Nov  3 11:00:00 2025\n"
        + mail("Trzeci", sender="anna@example.pl", subject="Kolme").replace(b"\r\n", b"\n")
    )
    lines, failure = run("ingest", "--json", "--store", store.slug, str(one), str(box), str(folder))
    assert failure is None
    assert [set(line) for line in lines] == [KEYS] * 4
    assert [line["path"] for line in lines] == [
        str(one),
        f"{box}#1",
        f"{box}#2",
        f"{single}#1",
    ]
    assert [line["status"] for line in lines] == ["created"] * 4
    assert [line["subject"] for line in lines] == ["Paketti", "Eka", "Toka", "Kolme"]
    assert lines[2]["from"] == "liisa@example.fi"
    assert lines[3]["from"] == "anna@example.pl"
    assert lines[0]["text"] == "Hei, missä paketti?"
    conversation_id = lines[0]["conversation"]
    assert isinstance(conversation_id, int)
    conversation = Conversation.objects.get(pk=conversation_id)
    assert conversation.messages.get().pk == lines[0]["message"]


def test_a_failure_is_reported_kept_and_retried(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "lost.eml"
    path.write_bytes(mail(to="info@elsewhere.example"))
    lines, failure = run("ingest", "--json", str(path), str(tmp_path / "missing.eml"))
    assert failure is not None and "2 mail failed" in failure
    assert [line["status"] for line in lines] == ["failed", "failed"]
    assert "info@elsewhere.example" in str(lines[0]["error"])
    assert "no such file" in str(lines[1]["error"])
    raw = RawMail.objects.get()  # the missing file stored nothing
    assert raw.status == RawMailStatus.FAILED

    out = StringIO()
    call_command("mail", "list", "--status", "failed", stdout=out)
    assert f"#{raw.pk}" in out.getvalue() and "info@elsewhere.example" in out.getvalue()

    store.support_email = "info@elsewhere.example"
    store.save()
    lines, failure = run("retry", "--json", "--failed")
    assert failure is None
    assert [line["status"] for line in lines] == ["created"]
    raw.refresh_from_db()
    assert raw.status == RawMailStatus.CREATED


def test_retry_needs_ids_or_failed(store: Store) -> None:
    with pytest.raises(CommandError, match="--failed"):
        call_command("mail", "retry", stdout=StringIO())


def test_an_unknown_store_is_refused_before_anything_is_stored(tmp_path: Path, db: None) -> None:
    path = tmp_path / "a.eml"
    path.write_bytes(mail())
    with pytest.raises(CommandError, match="no store"):
        call_command("mail", "ingest", "--store", "nope", str(path), stdout=StringIO())
    assert not RawMail.objects.exists()

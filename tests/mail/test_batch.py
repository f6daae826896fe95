"""Many mails at once (an import, a mailbox's backlog): all stored before any is read,
processed in one transaction in order, and one bad mail never costs the others."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError

from tests.mail.test_ingest import mail
from tiski.conversations.models import Conversation
from tiski.core import clock
from tiski.mail import actions
from tiski.mail.actions import MailSource, ingest_mail, ingest_mails, store_raw_mail
from tiski.mail.models import RawMail, RawMailStatus, Via
from tiski.stores.models import Store


def test_a_batch_is_processed_in_order_and_a_reply_finds_the_mail_before_it(
    store: Store,
) -> None:
    first = mail("Missä tilaukseni on?", subject="Tilaus 10234", message_id="<a1@example.fi>")
    reply = mail(
        "Lisäys: maksoin kortilla.", subject="Re: Tilaus 10234", In_Reply_To="<a1@example.fi>"
    )
    # No thread headers: joins by the same sender and subject, stored a moment before.
    again = mail("Ja vielä yksi asia.", subject="tilaus 10234")
    other = mail("Hei", sender="liisa@example.fi", subject="Palautus")
    results = ingest_mails([MailSource(m) for m in (first, b"\x00\xff", reply, again, other)])

    assert [r.status for r in results] == [
        RawMailStatus.CREATED,
        RawMailStatus.FAILED,
        RawMailStatus.APPENDED,
        RawMailStatus.APPENDED,
        RawMailStatus.CREATED,
    ]
    matti = results[0].raw.conversation
    assert matti is not None
    assert results[2].raw.conversation == results[3].raw.conversation == matti
    assert list(matti.messages.order_by("seq").values_list("body_text", flat=True)) == [
        "Missä tilaukseni on?",
        "Lisäys: maksoin kortilla.",
        "Ja vielä yksi asia.",
    ]
    # Every source kept, the bad one with its reason, each processed once.
    stored = {raw.pk: raw for raw in RawMail.objects.all()}
    assert len(stored) == 5
    assert stored[results[1].raw.pk].status == RawMailStatus.FAILED
    assert stored[results[1].raw.pk].error
    assert {raw.attempts for raw in stored.values()} == {1}


def test_a_mail_that_breaks_the_batch_fails_alone(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    receive = actions.receive_message

    def broken_for_one(inbound: Any) -> Any:
        if inbound.subject == "Rikki":
            # As a lost connection or a constraint would: the batch's transaction is
            # no longer usable.
            raise DatabaseError("connection lost")
        return receive(inbound)

    monkeypatch.setattr(actions, "receive_message", broken_for_one)
    sources = [
        mail("Yksi", sender="a@example.fi", subject="Yksi"),
        mail("Rikki", sender="b@example.fi", subject="Rikki"),
        mail("Kolme", sender="c@example.fi", subject="Kolme"),
    ]
    results = ingest_mails([MailSource(s, Via.SMTP) for s in sources])

    assert [r.status for r in results] == [
        RawMailStatus.CREATED,
        RawMailStatus.FAILED,
        RawMailStatus.CREATED,
    ]
    assert "connection lost" in results[1].raw.error
    assert results[1].raw.conversation is None
    assert Conversation.objects.count() == 2
    # Tried once each, as far as anyone reading the raw mails can tell.
    assert sorted(RawMail.objects.values_list("attempts", flat=True)) == [1, 1, 1]
    broken = RawMail.objects.get(pk=results[1].raw.pk)
    assert broken.status == RawMailStatus.FAILED
    assert "connection lost" in broken.error


def test_a_message_id_known_in_another_store_threads_nothing_here(
    store: Store, other_store: Store
) -> None:
    # The same customer wrote to both shops in one mail (the same Message-ID in each).
    other_store.support_email = "sklep@kubek.example"
    other_store.save(update_fields=["support_email"])
    both = mail("Hei molemmat", subject="Kysymys", message_id="<both@example.fi>")
    there = ingest_mail(both, store=other_store)
    assert there.status == RawMailStatus.CREATED
    answer = mail("Ja tänne", subject="Re: Kysymys", In_Reply_To="<both@example.fi>")
    here = ingest_mail(answer, store=store)
    assert here.status == RawMailStatus.CREATED
    assert here.raw.conversation is not None
    assert here.raw.conversation.store == store
    assert here.raw.conversation != there.raw.conversation


def test_retry_failed_also_takes_mail_left_unprocessed(store: Store) -> None:
    # Stored, then the process died (or the database went away) before processing.
    stuck = store_raw_mail(mail("Jäi kesken", subject="Kesken"), via=Via.SMTP)
    fresh = store_raw_mail(mail("Juuri tullut", subject="Uusi"), via=Via.SMTP)
    RawMail.objects.filter(pk=stuck.pk).update(received_at=clock.now() - timedelta(hours=1))

    out = StringIO()
    call_command("mail", "retry", "--failed", "--json", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]

    assert [line["path"] for line in lines] == [f"#{stuck.pk}"]
    assert lines[0]["status"] == RawMailStatus.CREATED
    # The fresh one may be in someone's hands right now: left alone.
    assert RawMail.objects.get(pk=fresh.pk).status == RawMailStatus.NEW
    conversation = Conversation.objects.get(pk=lines[0]["conversation"])
    assert conversation.messages.get().body_text == "Jäi kesken"

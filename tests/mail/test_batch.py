"""Many mails at once (an import, a mailbox's backlog): all stored before any is read,
processed in one transaction in order, and one bad mail never costs the others."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import SYSTEM, make_store
from tests.mail.test_ingest import mail
from tiski.contacts.actions import IdentityInput, add_identity
from tiski.contacts.models import IdentityKind
from tiski.conversations.actions import change_status
from tiski.conversations.models import Conversation, Status
from tiski.core import clock
from tiski.mail import actions, waves
from tiski.mail.actions import (
    MailSource,
    ingest_batches,
    ingest_mail,
    ingest_mails,
    store_raw_mail,
)
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
    receive = waves.receive_messages

    def broken_for_one(inbounds: Any) -> Any:
        if any(inbound.subject == "Rikki" for inbound in inbounds):
            # As a lost connection or a constraint would: the batch's transaction is
            # no longer usable.
            raise DatabaseError("connection lost")
        return receive(inbounds)

    monkeypatch.setattr(waves, "receive_messages", broken_for_one)
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


def test_the_statements_of_a_batch_do_not_grow_with_its_size(store: Store) -> None:
    def count(n: int, batch: str) -> int:
        sources = [
            MailSource(
                mail(f"Kysymys {i}", sender=f"{batch}{i}@example.fi", subject=f"Aihe {i}"),
                store=store,
            )
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as captured:
            results = ingest_mails(sources)
        assert {r.status for r in results} == {RawMailStatus.CREATED}
        return len(captured)

    assert count(3, "a") == count(30, "b")
    assert Conversation.objects.count() == 33


def test_a_batch_reads_what_its_earlier_mails_did_to_a_conversation(store: Store) -> None:
    first = ingest_mail(mail("Missä paketti?", subject="Paketti", message_id="<p1@example.fi>"))
    conversation = first.raw.conversation
    assert conversation is not None
    change_status(conversation, status=Status.RESOLVED, actor=SYSTEM)
    # The first reopens the conversation; the second (Matti's wife, answering the same
    # mail about something else) then finds it open and joins it, as it would have
    # arriving a moment later on its own. Read together with the first, it would have
    # found the conversation resolved and opened a new one.
    results = ingest_mails(
        [
            MailSource(mail("Ei tullut.", subject="Re: Paketti", In_Reply_To="<p1@example.fi>")),
            MailSource(
                mail(
                    "Ja lasku?",
                    sender="Liisa <liisa@example.fi>",
                    subject="Lasku",
                    In_Reply_To="<p1@example.fi>",
                )
            ),
        ]
    )
    assert [r.status for r in results] == [RawMailStatus.APPENDED, RawMailStatus.APPENDED]
    assert {r.raw.conversation for r in results} == {conversation}
    conversation.refresh_from_db()
    assert conversation.status == Status.OPEN
    assert list(conversation.messages.filter(kind="reply").values_list("body_text", flat=True)) == [
        "Missä paketti?",
        "Ei tullut.",
        "Ja lasku?",
    ]


def test_a_customer_writing_from_two_addresses_in_one_batch_is_one_writer(store: Store) -> None:
    matti = ingest_mail(mail("Hei", subject="Vanha asia")).raw.conversation
    assert matti is not None
    add_identity(
        matti.contact, IdentityInput(IdentityKind.EMAIL, "matti@work.example"), actor=SYSTEM
    )
    results = ingest_mails(
        [
            MailSource(mail("Uusi kysymys", subject="Takuu")),
            # From his other address, about the same thing, with no thread headers: the
            # conversation the first mail opens.
            MailSource(mail("Unohdin kuitin", sender="matti@work.example", subject="takuu")),
        ]
    )
    assert [r.status for r in results] == [RawMailStatus.CREATED, RawMailStatus.APPENDED]
    assert results[0].raw.conversation == results[1].raw.conversation != matti


def test_a_mail_placed_by_its_subject_waits_for_a_reopening_in_its_batch(store: Store) -> None:
    first = ingest_mail(mail("Missä paketti?", subject="Paketti", message_id="<q1@example.fi>"))
    conversation = first.raw.conversation
    assert conversation is not None
    change_status(conversation, status=Status.RESOLVED, actor=SYSTEM)
    results = ingest_mails(
        [
            # Liisa answers in the thread, which reopens it ...
            MailSource(
                mail(
                    "Ei ole tullut.",
                    sender="liisa@example.fi",
                    subject="Re: Paketti",
                    In_Reply_To="<q1@example.fi>",
                )
            ),
            # ... so Matti's mail without thread headers joins it by its subject.
            MailSource(mail("Vieläkään ei mitään.", subject="Paketti")),
        ]
    )
    assert [r.status for r in results] == [RawMailStatus.APPENDED, RawMailStatus.APPENDED]
    assert {r.raw.conversation for r in results} == {conversation}


@pytest.mark.django_db(transaction=True)
def test_an_import_stores_the_next_batch_while_processing_this_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = make_store("revontuli", "RVT")
    storing: list[str] = []
    store_raw_mails = actions.store_raw_mails

    def recorded(mails: Any) -> Any:
        storing.append(threading.current_thread().name)
        return store_raw_mails(mails)

    monkeypatch.setattr(actions, "store_raw_mails", recorded)
    first = mail("Missä tilaus?", subject="Tilaus", message_id="<b1@example.fi>")
    reply = mail("Lisäys", subject="Re: Tilaus", In_Reply_To="<b1@example.fi>")
    other = mail("Palautus", sender="liisa@example.fi", subject="Palautus")
    batches = [[MailSource(first)], [MailSource(reply), MailSource(other)], [MailSource(b"")]]
    results = list(ingest_batches(batches))

    assert [[r.status for r in batch] for batch in results] == [
        [RawMailStatus.CREATED],
        [RawMailStatus.APPENDED, RawMailStatus.CREATED],
        [RawMailStatus.FAILED],
    ]
    assert results[1][0].raw.conversation == results[0][0].raw.conversation
    # Every source kept, the empty one too (failed, with no store to belong to).
    assert sorted(RawMail.objects.values_list("status", "store")) == [
        (RawMailStatus.APPENDED, store.pk),
        (RawMailStatus.CREATED, store.pk),
        (RawMailStatus.CREATED, store.pk),
        (RawMailStatus.FAILED, None),
    ]
    # On PostgreSQL every batch was stored by the storing thread, on its own connection;
    # SQLite, with one writer at a time, stores them in turn.
    expected = "tiski-mail-store" if connection.vendor == "postgresql" else "MainThread"
    assert [name.rsplit("_", 1)[0] for name in storing] == [expected] * 3

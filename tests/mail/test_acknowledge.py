"""The acknowledgement of a new email: sent once per new conversation, in the customer's
language, never to automatic mail, and at most so many an hour to one customer."""

from __future__ import annotations

import logging
from datetime import timedelta
from email.utils import format_datetime

import pytest
from django.core import mail as django_mail
from django.test import override_settings
from django.utils import translation

from tests.conftest import SYSTEM
from tests.mail.test_ingest import SUPPORT, mail
from tiski.conversations.display import render_timeline
from tiski.conversations.entries import timeline_entries
from tiski.conversations.models import AuthorType, Conversation, DeliveryStatus, Message
from tiski.core import clock
from tiski.core.worker import run_pending_tasks
from tiski.mail.acknowledge import refusal
from tiski.mail.actions import Ingested, ingest_mail
from tiski.mail.mailboxes import save_mailbox
from tiski.mail.models import Mailbox, RawMailStatus, Via
from tiski.mail.parse import parse_mail
from tiski.stores.actions import update_store
from tiski.stores.models import Store


@pytest.fixture
def acknowledging(store: Store) -> Store:
    return update_store(store, actor=SYSTEM, acknowledge_email=True)


def ingest(source: bytes, via: str = Via.SMTP) -> Ingested:
    """A mail arriving now (the default of ingest_mail is a file import)."""
    return ingest_mail(source, via=via)


def acknowledgements() -> list[Message]:
    return list(Message.objects.filter(automatic=True).order_by("pk"))


def test_a_new_email_conversation_is_acknowledged(acknowledging: Store) -> None:
    result = ingest(mail())
    assert result.status == RawMailStatus.CREATED
    conversation = Conversation.objects.get()
    [ack] = acknowledgements()
    assert ack.conversation == conversation
    assert ack.author_type == AuthorType.SYSTEM
    assert ack.status == DeliveryStatus.QUEUED
    assert "#RVT-1" in ack.body_text
    # Agents see what the customer got, and that nobody wrote it.
    entries, _more = timeline_entries(conversation, agent_names={}, contact_name="Matti")
    with translation.override("en"):
        shown = str(render_timeline(entries))
    assert shown.count("pill-automatic") == 1 and "Automatic reply" in shown
    run_pending_tasks()
    ack.refresh_from_db()
    assert ack.status == DeliveryStatus.SENT
    [sent] = django_mail.outbox
    assert sent.to == ["matti@example.fi"]
    assert sent.extra_headers["Auto-Submitted"] == "auto-replied"
    # Not an answer: the customer still waits, and the inbox shows what they wrote.
    conversation.refresh_from_db()
    assert conversation.waiting_since is not None
    assert conversation.first_response_at is None
    assert conversation.last_message_direction == "in"
    assert conversation.last_message_preview.startswith("Hei! Missä tilaukseni")


def test_the_acknowledgement_is_in_the_customers_language(acknowledging: Store) -> None:
    # (After the fact: EmailMessage.set_content drops every Content-* header set before.)
    source = mail("Hej! Var är mitt paket?").replace(
        b"\nSubject:", b"\nContent-Language: sv\nSubject:"
    )
    ingest(source)
    [ack] = acknowledgements()
    assert ack.conversation.language == "sv"
    assert "#RVT-1" in ack.body_text
    assert "Tack för ditt meddelande" in ack.body_text


def test_only_a_new_conversation_is_acknowledged_and_only_once(acknowledging: Store) -> None:
    source = mail()
    ingest(source)
    assert ingest(source).status == RawMailStatus.DUPLICATE
    again = ingest(mail("Unohdin: koko on M.", subject="Re: Tilaus 10234 [#RVT-1]"))
    assert again.status == RawMailStatus.APPENDED
    assert len(acknowledgements()) == 1


def test_a_store_that_does_not_acknowledge_sends_nothing(store: Store) -> None:
    assert not store.acknowledge_email  # the default
    ingest(mail())
    run_pending_tasks()
    assert acknowledgements() == []
    assert django_mail.outbox == []


NO_ANSWER = {
    "auto-generated": {"Auto_Submitted": "auto-generated"},
    "auto-replied": {"Auto_Submitted": "auto-replied; owner-email=x@example.fi"},
    "precedence-bulk": {"Precedence": "bulk"},
    "precedence-junk": {"Precedence": "junk"},
    "precedence-list": {"Precedence": "list"},
    "x-autoreply": {"X_Autoreply": "yes"},
    "suppress-all": {"X_Auto_Response_Suppress": "All"},
    "suppress-oof": {"X_Auto_Response_Suppress": "OOF"},
    "suppress-autoreply": {"X_Auto_Response_Suppress": "DR, RN, NRN, AutoReply"},
    "list-id": {"List_Id": "Retkeilijät <retkeilijat.lists.example.fi>"},
    "list-unsubscribe": {"List_Unsubscribe": "<mailto:leave@lists.example.fi>"},
    "null-sender": {"Return_Path": "<>"},
    "noreply-sender": {"sender": "Kauppa <noreply@verkkokauppa.example>"},
    "mailer-daemon": {"sender": "MAILER-DAEMON@mx.example.fi"},
}


@pytest.mark.parametrize("headers", NO_ANSWER.values(), ids=NO_ANSWER.keys())
def test_automatic_and_list_mail_gets_no_acknowledgement(
    acknowledging: Store, headers: dict[str, str]
) -> None:
    ingest(mail(subject="Uutiskirje", **headers))
    run_pending_tasks()
    assert acknowledgements() == []
    assert django_mail.outbox == []


@pytest.mark.parametrize(
    "headers",
    [{"Auto_Submitted": "no"}, {"X_Auto_Response_Suppress": "DR, RN, NRN"}, {}],
    ids=["auto-submitted-no", "suppress-receipts-only", "plain"],
)
def test_mail_a_person_wrote_is_acknowledged(acknowledging: Store, headers: dict[str, str]) -> None:
    ingest(mail(**headers))
    assert len(acknowledgements()) == 1


def test_imported_and_old_mail_gets_no_acknowledgement(acknowledging: Store) -> None:
    # `tiski mail ingest` of an old mailbox: its senders are not waiting for an answer.
    assert ingest(mail("Vanha asia"), via=Via.FILE).status == RawMailStatus.CREATED
    # A mailbox read for the first time, with last year's mail in it.
    a_year_ago = format_datetime(clock.now() - timedelta(days=365))
    old = mail("Viime vuonna", subject="Vanha").replace(
        b"\nDate: ", b"\nDate: " + a_year_ago.encode() + b"\nX-Old-Date: ", 1
    )
    written = parse_mail(old).date
    assert written is not None and written < clock.now() - timedelta(days=300)
    assert ingest(old, via=Via.IMAP).status == RawMailStatus.CREATED
    assert acknowledgements() == []
    # Written now and read an hour later is fresh enough.
    recent = mail("Tunti sitten", subject="Uusi")
    with clock.frozen_at(clock.now() + timedelta(hours=1)):
        ingest(recent, via=Via.IMAP)
    assert len(acknowledgements()) == 1


@override_settings(DEFAULT_FROM_EMAIL="Tiski <tiski@desk.example>")
def test_the_desks_own_addresses_get_no_acknowledgement(acknowledging: Store) -> None:
    # An IMAP mailbox of the store whose address is not the support address: mail from
    # it to the support address opens a conversation, but answering it would loop.
    save_mailbox(
        Mailbox(
            store=acknowledging,
            address="info@revontuli.example",
            host="imap.example",
            username="info",
            password="x",
        ),
        actor=SYSTEM,
    )
    ingest(mail(sender="Info <info@revontuli.example>"))
    for sender in (SUPPORT, "support+c1-0123456789abcdef@revontuli.example", "tiski@desk.example"):
        ingest(mail(sender=sender, subject=f"Kopio {sender}"))
    assert acknowledgements() == []
    desk = {SUPPORT, "tiski@desk.example", "info@revontuli.example"}
    for sender in (SUPPORT, "Support+c1-abc@Revontuli.example", "tiski@desk.example"):
        assert refusal(parse_mail(mail(sender=sender)), desk=desk) != ""
    assert refusal(parse_mail(mail()), desk=desk) == ""


@override_settings(MAIL_AUTOREPLY_PER_HOUR=2)
def test_one_sender_gets_at_most_so_many_an_hour(
    acknowledging: Store, caplog: pytest.LogCaptureFixture
) -> None:
    start = clock.now()
    with clock.frozen_at(start):
        for number in range(3):
            ingest(mail(f"Asia {number}", subject=f"Asia {number}"))
    assert Conversation.objects.count() == 3  # every mail is a conversation all the same
    assert len(acknowledgements()) == 2
    assert any("in the last hour already" in r.getMessage() for r in caplog.records)
    assert all(r.levelno == logging.WARNING for r in caplog.records if "hour" in r.getMessage())
    # Someone else is not held back by Matti's mails.
    with clock.frozen_at(start + timedelta(minutes=10)):
        ingest(mail("Hei", sender="liisa@example.fi", subject="Liisan asia"))
    assert len(acknowledgements()) == 3
    # An hour after the first ones, Matti is acknowledged again.
    with clock.frozen_at(start + timedelta(minutes=61)):
        ingest(mail("Asia 4", subject="Asia 4"))
    assert len(acknowledgements()) == 4


def test_the_suppress_flag_leaves_auto_submitted_alone() -> None:
    """Outlook puts OOF and AutoReply on mail people write: the mail is not automatic
    (threading treats it as a person's), it only asks for no automatic answer."""
    person = parse_mail(mail(X_Auto_Response_Suppress="DR, RN, NRN, OOF, AutoReply"))
    assert person.suppress_auto_reply is True
    assert person.auto_submitted is False
    robot = parse_mail(mail(X_Auto_Response_Suppress="All"))
    assert robot.suppress_auto_reply is True and robot.auto_submitted is True
    receipts = parse_mail(mail(X_Auto_Response_Suppress="DR, RN"))
    assert receipts.suppress_auto_reply is False
    assert parse_mail(mail()).suppress_auto_reply is False

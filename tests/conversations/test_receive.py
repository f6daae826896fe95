"""receive_message: the one path every channel's inbound message takes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from tests.conftest import SYSTEM, inbound, recorded
from tiski.contacts.actions import IdentityInput
from tiski.contacts.models import Contact, ContactIdentity, IdentityKind
from tiski.conversations.actions import InboundMessage, change_status, receive_message
from tiski.conversations.attachments import IncomingFile
from tiski.conversations.models import (
    Attachment,
    Conversation,
    ConversationEvent,
    DeliveryStatus,
    Message,
    Status,
)
from tiski.core.errors import ActionError
from tiski.stores.models import Store

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_first_message_creates_contact_conversation_and_message(store: Store) -> None:
    with recorded() as events:
        received = inbound(store, external_id="<m1@example.fi>")
    assert [e.type for e in events] == [
        "contact.created",
        "contact.identity_added",
        "conversation.created",
        "message.created",
    ]
    conversation = received.conversation
    assert received.created_conversation and not received.duplicate
    assert conversation.number == 1 and conversation.reference == "#RVT-1"
    assert conversation.status == Status.OPEN
    assert conversation.contact.name == "Matti Meikäläinen"
    assert conversation.waiting_since == received.message.created_at
    assert conversation.last_message_preview == "Hei, missä tilaukseni 10234 on?"
    assert conversation.last_seq == 2
    message = received.message
    assert (message.seq, message.direction, message.status) == (2, "in", DeliveryStatus.RECEIVED)
    assert message.body_html == "<p>Hei, missä tilaukseni 10234 on?</p>"
    created = events[3]
    assert created.payload()["seq"] == 2 and created.payload()["kind"] == "reply"
    # Kept in the log for clients that resume by sequence number.
    assert list(
        ConversationEvent.objects.filter(conversation=conversation).values_list(
            "seq", "type", "public"
        )
    ) == [
        (1, "conversation.created", False),
        (2, "message.created", True),
    ]


def test_the_same_message_twice_is_stored_once(store: Store) -> None:
    first = inbound(store, external_id="<same@example.fi>")
    with recorded() as events:
        second = inbound(store, "resent by the mail server", external_id="<same@example.fi>")
    assert second.duplicate and second.message.pk == first.message.pk
    assert events == []
    assert Message.objects.count() == 1


def test_a_second_message_joins_the_open_conversation(store: Store) -> None:
    first = inbound(store)
    with recorded() as events:
        second = inbound(store, "Lisäkysymys", email="MATTI@example.FI")
    assert second.conversation.pk == first.conversation.pk
    assert [e.type for e in events] == ["message.created"]
    assert second.message.seq == 3
    assert Contact.objects.count() == 1


def test_a_message_after_resolution_opens_a_new_conversation(store: Store) -> None:
    first = inbound(store)
    change_status(first.conversation, status=Status.RESOLVED, actor=SYSTEM)
    second = inbound(store, "Uusi asia")
    assert second.conversation.pk != first.conversation.pk
    assert second.conversation.number == 2


def test_a_reply_into_a_pending_conversation_reopens_it(store: Store) -> None:
    first = inbound(store)
    change_status(first.conversation, status=Status.PENDING, actor=SYSTEM)
    with recorded() as events:
        again = inbound(store, "Tässä pyytämänne tieto")
    assert again.conversation.pk == first.conversation.pk
    assert [(e.type, e.seq) for e in events] == [  # type: ignore[attr-defined]
        ("message.created", 4),
        ("conversation.status_changed", 5),
    ]
    assert events[1].payload()["previous_status"] == "pending"
    assert Conversation.objects.get().status == Status.OPEN


def test_a_message_into_a_snoozed_thread_wakes_it(store: Store) -> None:
    conversation = inbound(store).conversation
    change_status(
        conversation,
        status=Status.SNOOZED,
        snoozed_until=timezone.now() + timedelta(days=1),
        actor=SYSTEM,
    )
    inbound(store, "Hei taas", conversation=conversation)
    conversation.refresh_from_db()
    assert conversation.status == Status.OPEN and conversation.snoozed_until is None


def test_customer_html_is_sanitised(store: Store) -> None:
    received = inbound(
        store,
        "",
        html='<p onclick="x()">Hei</p><script>alert(1)</script><a href="javascript:x">a</a>',
    )
    html = received.message.body_html
    assert "onclick" not in html and "<script" not in html and "javascript" not in html
    assert received.message.body_text.startswith("Hei")


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_an_empty_message_is_refused_and_nothing_is_written(store: Store, text: str) -> None:
    with pytest.raises(ActionError, match="empty"):
        inbound(store, text)
    assert not Contact.objects.exists() and not Conversation.objects.exists()


def test_an_oversized_message_is_refused_and_nothing_is_written(store: Store) -> None:
    with pytest.raises(ActionError, match="longer than"):
        inbound(store, "x" * (settings.MAX_MESSAGE_CHARS + 1))
    assert not Message.objects.exists()


def test_an_invalid_sender_is_refused(store: Store) -> None:
    with pytest.raises(ActionError, match="not an email address"):
        inbound(store, email="not-an-address")
    assert not Contact.objects.exists()


def test_attachments_are_stored_with_sniffed_types(store: Store, settings: object) -> None:
    received = inbound(
        store,
        "Kuva liitteenä",
        attachments=[
            IncomingFile("kuva.png", PNG, "image/png"),
            IncomingFile("fake.jpg", b"<svg onload=alert(1)>", "image/jpeg"),
            IncomingFile("../../etc/passwd", b"root:x", "text/plain"),
            # A phone's photo, whatever the mail client called it.
            IncomingFile("IMG_2041.HEIC", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 32, ""),
        ],
    )
    attachments = list(Attachment.objects.filter(message=received.message).order_by("pk"))
    assert [a.content_type for a in attachments] == [
        "image/png",
        # Declared an image, is not one: never shown inline.
        "application/octet-stream",
        "text/plain",
        "image/heic",
    ]
    assert attachments[2].filename == "passwd"
    assert attachments[0].file.read() == PNG


def test_an_oversized_attachment_refuses_the_whole_message(store: Store, settings: object) -> None:
    settings.MAX_ATTACHMENT_BYTES = 100  # type: ignore[attr-defined]
    with pytest.raises(ActionError, match="larger than"):
        inbound(store, "iso liite", attachments=[IncomingFile("big.pdf", b"%PDF-" + b"0" * 200)])
    assert not Message.objects.exists() and not Attachment.objects.exists()


def test_a_known_phone_number_finds_the_contact_whatever_its_format(store: Store) -> None:
    first = receive_message(
        InboundMessage(
            store=store,
            channel="chat",
            sender=[IdentityInput(IdentityKind.PHONE, "040 123 4567")],
            text="Hei",
        )
    )
    second = receive_message(
        InboundMessage(
            store=store,
            channel="chat",
            sender=[IdentityInput(IdentityKind.PHONE, "+358-40-1234567")],
            text="Toinen viesti",
        )
    )
    assert second.conversation.pk == first.conversation.pk
    assert ContactIdentity.objects.get().value == "+358401234567"


def test_a_conversation_of_another_store_is_refused(store: Store, other_store: Store) -> None:
    foreign = inbound(other_store, email="anna@example.pl").conversation
    with pytest.raises(ActionError):
        inbound(store, "hijack", conversation=foreign)
    assert Message.objects.filter(conversation=foreign).count() == 1

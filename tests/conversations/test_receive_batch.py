"""receive_messages: many customers' messages committed together."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import SYSTEM, inbound, recorded
from tiski.contacts.actions import IdentityInput
from tiski.contacts.models import IdentityKind
from tiski.conversations.actions import (
    InboundMessage,
    Received,
    change_status,
    receive_messages,
)
from tiski.conversations.models import Channel, Conversation, Message, Status
from tiski.core.errors import ActionError
from tiski.stores.models import Store


def chat(
    store: Store, conversation: Conversation, text: str, client_id: str = ""
) -> InboundMessage:
    return InboundMessage(
        store=store, channel=Channel.CHAT, sender=[], conversation=conversation, text=text,
        external_id=client_id,
    )  # fmt: skip


def conversations(store: Store, n: int) -> list[Conversation]:
    return [
        inbound(store, "hei", email=f"b{i}@example.fi", channel=Channel.CHAT).conversation
        for i in range(n)
    ]


def test_a_batch_spans_conversations_in_sequence_order(store: Store) -> None:
    first, second = conversations(store, 2)
    with recorded() as events:
        outcomes = receive_messages(
            [
                chat(store, first, "a1"),
                chat(store, second, "b1"),
                chat(store, first, "a2"),
            ]
        )
    assert all(isinstance(o, Received) for o in outcomes)
    assert [(o.conversation.pk, o.message.seq) for o in outcomes] == [  # type: ignore[union-attr]
        (first.pk, 3),
        (second.pk, 3),
        (first.pk, 4),
    ]
    assert [(e.conversation_id, e.seq) for e in events if e.conversation_id == first.pk] == [  # type: ignore[attr-defined]
        (first.pk, 3),
        (first.pk, 4),
    ]
    first.refresh_from_db()
    assert first.last_seq == 4 and first.last_message_preview == "a2"


def test_a_refused_message_does_not_stop_the_others(store: Store) -> None:
    [conversation] = conversations(store, 1)
    outcomes = receive_messages(
        [
            chat(store, conversation, "ok"),
            chat(store, conversation, "  "),
            chat(store, conversation, "ok2"),
        ]
    )
    assert isinstance(outcomes[1], ActionError) and outcomes[1].field == "text"
    assert [o.message.body_text for o in outcomes if isinstance(o, Received)] == ["ok", "ok2"]
    assert list(conversation.messages.values_list("seq", flat=True).order_by("seq")) == [2, 3, 4]


def test_duplicates_stored_or_in_the_same_batch_are_stored_once(store: Store) -> None:
    [conversation] = conversations(store, 1)
    receive_messages([chat(store, conversation, "x", "client-1")])
    outcomes = receive_messages(
        [
            chat(store, conversation, "x", "client-1"),
            chat(store, conversation, "y", "client-2"),
            chat(store, conversation, "y", "client-2"),
        ]
    )
    assert [o.duplicate for o in outcomes] == [True, False, True]  # type: ignore[union-attr]
    assert outcomes[2].message.pk == outcomes[1].message.pk  # type: ignore[union-attr]
    assert Message.objects.filter(external_id__in=["client-1", "client-2"]).count() == 2


def test_a_resolved_conversation_reopens_once_per_batch(store: Store) -> None:
    [conversation] = conversations(store, 1)
    change_status(conversation, status=Status.RESOLVED, actor=SYSTEM)
    with recorded() as events:
        receive_messages([chat(store, conversation, "1"), chat(store, conversation, "2")])
    assert [e.type for e in events] == [
        "message.created",
        "conversation.status_changed",
        "message.created",
    ]
    conversation.refresh_from_db()
    assert conversation.status == Status.OPEN and conversation.resolved_at is None


def test_new_customers_in_one_batch_each_get_one_conversation(store: Store) -> None:
    def first_contact(email: str, text: str) -> InboundMessage:
        return InboundMessage(
            store=store,
            channel=Channel.EMAIL,
            sender=[IdentityInput(IdentityKind.EMAIL, email)],
            text=text,
        )

    outcomes = receive_messages(
        [
            first_contact("n1@example.fi", "a"),
            first_contact("n2@example.fi", "b"),
            first_contact("n1@example.fi", "c"),
        ]
    )
    received = [o for o in outcomes if isinstance(o, Received)]
    assert received[0].created_conversation and not received[2].created_conversation
    assert received[0].conversation.pk == received[2].conversation.pk != received[1].conversation.pk
    assert Conversation.objects.count() == 2


def test_the_queries_of_a_batch_do_not_grow_with_its_size(store: Store) -> None:
    rooms = conversations(store, 30)

    def count(n: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            receive_messages([chat(store, c, f"m{i}") for i, c in enumerate(rooms[:n])])
        return len(captured)

    assert count(5) == count(30)

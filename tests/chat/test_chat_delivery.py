"""A reply in a chat reaches the customer in the chat, or by email when they have left."""

from __future__ import annotations

from django.core import mail

from tests.conftest import SYSTEM, make_agent
from tiski.agents.models import Role
from tiski.chat.actions import leave_email
from tiski.chat.presence import mark_widget_offline, mark_widget_online
from tiski.contacts.actions import IdentityInput
from tiski.contacts.models import IdentityKind
from tiski.conversations.actions import InboundMessage, receive_message, send_reply
from tiski.conversations.models import Channel, Conversation, DeliveryStatus
from tiski.core.actors import Actor
from tiski.core.worker import run_pending_tasks
from tiski.stores.models import Store


def chat_conversation(store: Store) -> Conversation:
    return receive_message(
        InboundMessage(
            store=store,
            channel=Channel.CHAT,
            sender=[IdentityInput(IdentityKind.VISITOR, "v-123")],
            text="Hei, onko tätä takkia kokoa M?",
        )
    ).conversation


def reply_and_deliver(store: Store, conversation: Conversation) -> str:
    agent = make_agent("aino@revontuli.example", "Aino", store, Role.OWNER)
    message = send_reply(conversation, actor=Actor.for_agent(agent), author=agent, text="On!")
    run_pending_tasks()
    message.refresh_from_db()
    return str(message.status)


def test_an_open_chat_gets_the_reply_there(store: Store) -> None:
    conversation = chat_conversation(store)
    mark_widget_online(conversation.pk)
    try:
        assert reply_and_deliver(store, conversation) == DeliveryStatus.SENT
    finally:
        mark_widget_offline(conversation.pk)
    assert mail.outbox == []


def test_a_customer_who_left_an_address_gets_it_by_email(store: Store) -> None:
    conversation = chat_conversation(store)
    leave_email(conversation, "Liisa@Example.fi", actor=SYSTEM)
    assert reply_and_deliver(store, conversation) == DeliveryStatus.SENT
    assert mail.outbox[0].to == ["liisa@example.fi"]
    assert "On!" in mail.outbox[0].body


def test_without_an_address_the_reply_waits_in_the_chat(store: Store) -> None:
    conversation = chat_conversation(store)
    assert reply_and_deliver(store, conversation) == DeliveryStatus.SENT
    assert mail.outbox == []


def test_a_mistyped_address_is_refused_and_nothing_changes(store: Store) -> None:
    import pytest

    from tiski.core.errors import ActionError

    conversation = chat_conversation(store)
    with pytest.raises(ActionError):
        leave_email(conversation, "not-an-address", actor=SYSTEM)
    conversation.refresh_from_db()
    assert conversation.reply_to_email == ""

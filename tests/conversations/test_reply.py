"""send_reply, add_note and the delivery task."""

from __future__ import annotations

import re
import smtplib
from typing import Any

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from tests.conftest import SYSTEM, inbound, make_agent, recorded
from tiski.agents.models import Agent
from tiski.conversations.actions import add_note, merge_conversations, send_reply
from tiski.conversations.attachments import IncomingFile
from tiski.conversations.models import Channel, Conversation, DeliveryStatus, Kind, Message
from tiski.conversations.tasks import MAX_ATTEMPTS, deliver_message
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.core.worker import run_pending_tasks
from tiski.mail.tokens import reply_address
from tiski.stores.models import Store


def reply(
    conversation: Conversation,
    agent: Agent,
    text: str = "Hei Matti! Paketti on matkalla.",
    **kw: Any,
) -> Message:
    return send_reply(conversation, actor=Actor.for_agent(agent), author=agent, text=text, **kw)


def test_a_reply_is_queued_assigned_and_announced(conversation: Conversation, owner: Agent) -> None:
    with recorded() as events:
        message = reply(conversation, owner)
    assert [(e.type, e.seq) for e in events] == [  # type: ignore[attr-defined]
        ("message.created", 3),
        ("conversation.assigned", 4),
    ]
    assert events[0].is_public  # type: ignore[attr-defined]
    assert events[1].payload()["assignee_id"] == owner.pk
    conversation.refresh_from_db()
    assert message.status == DeliveryStatus.QUEUED
    assert conversation.assignee == owner
    assert conversation.first_response_at == message.created_at
    assert conversation.waiting_since is None
    assert conversation.last_message_direction == "out"
    # The delivery task was written in the same transaction as the message.
    task = DBTaskResult.objects.get()
    assert task.task_path == "tiski.conversations.tasks.deliver_message"
    assert task.args_kwargs["args"] == [message.pk]


def test_a_second_reply_does_not_reassign(
    conversation: Conversation, owner: Agent, teammate: Agent
) -> None:
    reply(conversation, owner)
    with recorded() as events:
        reply(conversation, teammate, "Lisään vielä")
    assert [e.type for e in events] == ["message.created"]
    conversation.refresh_from_db()
    assert conversation.assignee == owner


def test_email_delivery_threads_and_records_the_message_id(
    conversation: Conversation, owner: Agent
) -> None:
    inbound(conversation.store, "toinen", external_id="<c2@example.fi>")
    message = reply(conversation, owner)
    assert run_pending_tasks() == 1
    message.refresh_from_db()
    assert message.status == DeliveryStatus.SENT
    assert re.fullmatch(
        rf"<tiski\.{conversation.pk}\.{message.pk}\.[0-9a-f]{{12}}@revontuli\.example>",
        message.external_id,
    )
    sent = mail.outbox[0]
    assert sent.extra_headers["Message-ID"] == message.external_id
    assert sent.extra_headers["Reply-To"] == reply_address(
        "support@revontuli.example", conversation.store_id, conversation.pk
    )
    assert sent.to == ["matti@example.fi"]
    assert sent.subject == "Re: Tilaus 10234 [#RVT-1]"
    assert sent.extra_headers["In-Reply-To"] == "<c2@example.fi>"
    assert "Olli Omistaja" in sent.from_email and "support@revontuli.example" in sent.from_email
    html = sent.alternatives[0]  # type: ignore[attr-defined]
    assert "Paketti on matkalla" in html[0] and html[1] == "text/html"


def test_chat_replies_to_an_open_chat_are_sent_there(store: Store, owner: Agent) -> None:
    from tiski.chat.presence import mark_widget_offline, mark_widget_online

    conversation = inbound(store, channel=Channel.CHAT).conversation
    message = reply(conversation, owner)
    mark_widget_online(conversation.pk)
    with recorded() as events:
        run_pending_tasks()
    mark_widget_offline(conversation.pk)
    message.refresh_from_db()
    assert message.status == DeliveryStatus.SENT
    assert [e.type for e in events] == ["message.status_changed"]
    assert mail.outbox == []


def test_a_customer_without_email_gets_a_visible_failure(store: Store, owner: Agent) -> None:
    from tiski.contacts.actions import IdentityInput
    from tiski.conversations.actions import InboundMessage, receive_message

    conversation = receive_message(
        InboundMessage(
            store=store,
            channel=Channel.PHONE,
            sender=[IdentityInput("phone", "+358401234567")],
            text="Soittopyyntö",
        )
    ).conversation
    message = reply(conversation, owner)
    run_pending_tasks()
    message.refresh_from_db()
    assert message.status == DeliveryStatus.FAILED
    assert "no email address" in message.error


def test_a_temporary_smtp_failure_is_retried_then_marked_failed(
    conversation: Conversation, owner: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: Any, **kwargs: Any) -> int:
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", down)
    message = reply(conversation, owner)
    assert deliver_message.call(message.pk) == "retrying"
    message.refresh_from_db()
    assert message.status == DeliveryStatus.QUEUED
    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert retry is not None and retry.args_kwargs["args"] == [message.pk, 2]
    assert retry.run_after is not None
    assert deliver_message.call(message.pk, MAX_ATTEMPTS) == "failed"
    message.refresh_from_db()
    assert message.status == DeliveryStatus.FAILED and "connection lost" in message.error


def test_delivery_runs_once_even_if_the_task_runs_twice(
    conversation: Conversation, owner: Agent
) -> None:
    message = reply(conversation, owner)
    assert deliver_message.call(message.pk) == DeliveryStatus.SENT
    assert deliver_message.call(message.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_a_note_stays_internal(conversation: Conversation, teammate: Agent) -> None:
    with recorded() as events:
        note = add_note(
            conversation, actor=Actor.for_agent(teammate), author=teammate, text="Soitin Postiin"
        )
    assert [e.type for e in events] == ["message.created"]
    assert not events[0].is_public  # type: ignore[attr-defined]
    assert note.kind == Kind.NOTE and note.status == DeliveryStatus.STORED
    conversation.refresh_from_db()
    # A note is neither an answer nor news for the inbox order.
    assert conversation.first_response_at is None
    assert conversation.assignee is None
    assert conversation.last_message_preview.startswith("Hei, missä")
    assert not DBTaskResult.objects.exists()


def test_an_outsider_cannot_write_into_the_store(
    conversation: Conversation, outsider: Agent
) -> None:
    with pytest.raises(ActionError, match="Only the store"):
        reply(conversation, outsider)
    with pytest.raises(ActionError):
        add_note(conversation, actor=Actor.for_agent(outsider), author=outsider, text="x")
    assert Message.objects.filter(conversation=conversation).count() == 1


def test_an_inactive_agent_cannot_reply(conversation: Conversation, store: Store) -> None:
    gone = make_agent("gone@revontuli.example", "Entinen", store)
    gone.is_active = False
    gone.save()
    with pytest.raises(ActionError):
        reply(conversation, gone)


def test_replying_into_a_merged_conversation_is_refused(store: Store, owner: Agent) -> None:
    first = inbound(store).conversation
    second = inbound(store, "toinen", channel=Channel.CHAT).conversation
    merge_conversations(second, first, actor=SYSTEM)
    with pytest.raises(ActionError, match="merged"):
        reply(second, owner)


def test_a_retried_api_reply_with_the_same_id_is_refused(
    conversation: Conversation, owner: Agent
) -> None:
    reply(conversation, owner, external_id="client-1")
    with pytest.raises(ActionError, match="already sent"):
        reply(conversation, owner, external_id="client-1")
    assert Message.objects.filter(external_id="client-1").count() == 1


def test_reply_attachments_go_out_with_the_email(conversation: Conversation, owner: Agent) -> None:
    reply(conversation, owner, attachments=[IncomingFile("palautuslappu.pdf", b"%PDF-1.4 test")])
    run_pending_tasks()
    assert mail.outbox[0].attachments[0][0] == "palautuslappu.pdf"

"""Replaying "the events after seq N" while another write commits between the two reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from tiski.agents.models import Agent
from tiski.chat.queries import public_events_after
from tiski.conversations.actions import send_reply
from tiski.conversations.consumers import _events_after
from tiski.conversations.models import Conversation, ConversationEvent
from tiski.core.actors import Actor


def reply_after_the_first_query(conversation: Conversation, agent: Agent) -> Any:
    """An execute wrapper: once the first query has run, an agent's reply commits."""
    done: list[bool] = []

    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        result = execute(sql, params, many, context)
        if not done:
            done.append(True)
            send_reply(conversation, actor=Actor.for_agent(agent), author=agent, text="Tässä")
        return result

    return wrapper


@pytest.mark.parametrize(
    ("read", "payload_of"),
    [
        (_events_after, lambda event: event),
        (public_events_after, lambda event: event.payload),
    ],
    ids=["inbox", "widget"],
)
def test_a_write_between_the_reads_is_no_gap(
    conversation: Conversation,
    owner: Agent,
    read: Callable[..., Any],
    payload_of: Callable[[Any], dict[str, Any]],
) -> None:
    after = Conversation.objects.get(pk=conversation.pk).last_seq
    with connection.execute_wrapper(reply_after_the_first_query(conversation, owner)):
        events = read(conversation.pk, after)
    # Not None (which would reload the whole conversation): the new events, from after+1.
    assert events is not None
    payloads = [payload_of(event) for event in events]
    assert payloads and payloads[0]["seq"] == after + 1
    assert [p["body_text"] for p in payloads if p["type"] == "message.created"] == ["Tässä"]


def test_a_pruned_range_still_asks_for_a_reload(conversation: Conversation) -> None:
    conversation.events.all().delete()
    assert _events_after(conversation.pk, 0) is None
    assert public_events_after(conversation.pk, 0) is None


def test_the_log_keeps_message_bodies_once_and_a_replay_restores_them(
    conversation: Conversation, owner: Agent
) -> None:
    after = Conversation.objects.get(pk=conversation.pk).last_seq
    reply = send_reply(
        conversation, actor=Actor.for_agent(owner), author=owner, text="Paketti lähti tänään."
    )
    logged = ConversationEvent.objects.get(conversation=conversation, seq=reply.seq).payload
    # The message row has the text and HTML; the log entry does not copy them.
    assert logged["message_id"] == reply.pk and "body_text" not in logged
    # An entry logged before the bodies were left out replays as it was.
    seq = Conversation.objects.get(pk=conversation.pk).last_seq + 1
    ConversationEvent.objects.create(
        conversation=conversation,
        seq=seq,
        type="message.created",
        public=True,
        payload={**logged, "seq": seq, "body_text": "vanha", "body_html": "<p>vanha</p>"},
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_seq=seq)
    for events in (
        _events_after(conversation.pk, after),
        [event.payload for event in public_events_after(conversation.pk, after) or []],
    ):
        assert events is not None
        created = [e for e in events if e["type"] == "message.created"]
        assert [(e["body_text"], e["body_html"]) for e in created] == [
            ("Paketti lähti tänään.", reply.body_html),
            ("vanha", "<p>vanha</p>"),
        ]

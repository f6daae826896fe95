from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import SYSTEM, inbound, recorded
from tiski.agents.models import Agent
from tiski.conversations.actions import merge_conversations, send_reply, set_labels
from tiski.conversations.models import Channel, Conversation, Kind, Label, Message, Status
from tiski.core import clock
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.stores.models import Store


def test_merge_moves_the_thread_and_closes_the_source(
    store: Store, owner: Agent, label: Label
) -> None:
    now = clock.now()
    with clock.frozen_at(now - timedelta(hours=3)):
        target = inbound(store, "Sähköposti ensin", external_id="<e1@x>").conversation
    with clock.frozen_at(now - timedelta(hours=2)):
        source = inbound(store, "Sama asia chatissa", channel=Channel.CHAT).conversation
        set_labels(source, [label], actor=SYSTEM)
    with clock.frozen_at(now - timedelta(hours=1)):
        send_reply(target, actor=Actor.for_agent(owner), author=owner, text="Vastaus")
    with recorded() as events:
        merged = merge_conversations(source, target, actor=Actor.for_agent(owner))
    assert merged.pk == target.pk
    assert [(e.type, e.conversation_id) for e in events] == [  # type: ignore[attr-defined]
        ("conversation.merged", target.pk),
        ("conversation.merged", source.pk),
    ]
    source.refresh_from_db()
    target.refresh_from_db()
    assert source.status == Status.CLOSED and source.merged_into == target
    assert list(source.messages.values_list("kind", flat=True)) == [Kind.EVENT]
    timeline = list(target.messages.exclude(kind=Kind.EVENT).order_by("created_at", "seq"))
    assert [m.body_text for m in timeline] == ["Sähköposti ensin", "Sama asia chatissa", "Vastaus"]
    seqs = list(target.messages.values_list("seq", flat=True))
    assert len(seqs) == len(set(seqs)) and max(seqs) == target.last_seq
    assert list(target.labels.all()) == [label]


def test_a_customer_writing_to_a_merged_thread_lands_in_the_target(store: Store) -> None:
    target = inbound(store).conversation
    source = inbound(store, "chat", channel=Channel.CHAT).conversation
    merge_conversations(source, target, actor=SYSTEM)
    again = inbound(store, "vielä", conversation=source)
    assert again.conversation.pk == target.pk


def test_merging_strangers_or_itself_is_refused(store: Store) -> None:
    mine = inbound(store).conversation
    stranger = inbound(store, "eri ihminen", email="toinen@example.fi").conversation
    with pytest.raises(ActionError, match="same customer"):
        merge_conversations(stranger, mine, actor=SYSTEM)
    with pytest.raises(ActionError, match="itself"):
        merge_conversations(mine, mine, actor=SYSTEM)
    assert Message.objects.filter(conversation=mine).count() == 1


def test_merging_twice_is_refused(store: Store) -> None:
    target = inbound(store).conversation
    source = inbound(store, "chat", channel=Channel.CHAT).conversation
    merge_conversations(source, target, actor=SYSTEM)
    with pytest.raises(ActionError, match="already merged"):
        merge_conversations(source, target, actor=SYSTEM)


def test_merge_across_stores_is_refused(
    conversation: Conversation, other_conversation: Conversation
) -> None:
    with pytest.raises(ActionError):
        merge_conversations(other_conversation, conversation, actor=SYSTEM)

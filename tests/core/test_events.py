from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from tests.conftest import inbound
from tiski.events import capture_events, conversation_group, store_group, subscribe, widget_group
from tiski.stores.models import Store


@pytest.mark.django_db(transaction=True)
def test_events_go_out_only_when_the_transaction_commits(store: Store) -> None:
    with capture_events() as events:
        with pytest.raises(RuntimeError), transaction.atomic():
            inbound(store)
            raise RuntimeError("roll back")
        assert events == []
        inbound(store)
    assert [e.type for e in events][-2:] == ["conversation.created", "message.created"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_subscriber_does_not_stop_the_others(store: Store) -> None:
    def broken(event: Any) -> None:
        raise ValueError("broken subscriber")

    unsubscribe = subscribe(broken)
    try:
        with capture_events() as events:
            received = inbound(store)
    finally:
        unsubscribe()
    assert received.message.pk
    assert "message.created" in [e.type for e in events]


@pytest.mark.django_db(transaction=True)
def test_events_reach_the_channel_layer_groups(store: Store) -> None:
    layer = get_channel_layer()
    assert layer is not None
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(store_group(store.pk), channel)
    received = inbound(store)
    conversation = received.conversation
    got = [async_to_sync(layer.receive)(channel) for _ in range(4)]
    assert [m["event"]["type"] for m in got] == [
        "contact.created",
        "contact.identity_added",
        "conversation.created",
        "message.created",
    ]
    assert got[3]["event"]["conversation_id"] == conversation.pk
    assert got[3]["event"]["seq"] == 2
    assert got[3]["event"]["actor"]["kind"] == "contact"


def test_groups_per_audience() -> None:
    from tiski.conversations.events import MessageCreated
    from tiski.core.actors import Actor

    base = {
        "store_id": 1, "actor": Actor.system(), "conversation_id": 7, "seq": 3, "message_id": 9,
        "direction": "out", "author_type": "agent", "author_name": "A", "body_text": "x",
        "body_html": "<p>x</p>", "status": "queued", "created_at": "2026-01-01T00:00:00+00:00",
    }  # fmt: skip
    note = MessageCreated(kind="note", **base)  # type: ignore[arg-type]
    reply = MessageCreated(kind="reply", **base)  # type: ignore[arg-type]
    assert note.groups() == [store_group(1), conversation_group(7)]
    assert reply.groups() == [store_group(1), conversation_group(7), widget_group(7)]

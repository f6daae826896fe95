from __future__ import annotations

import asyncio
import dataclasses
import threading
from typing import Any, ClassVar

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from tests.conftest import inbound
from tiski import events
from tiski.core.actors import Actor
from tiski.core.layers import LocalChannelLayer
from tiski.events import (
    Event,
    bind_server_loop,
    capture_events,
    conversation_group,
    store_group,
    subscribe,
    widget_group,
)
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


@dataclasses.dataclass(frozen=True, kw_only=True)
class Noted(Event):
    type: ClassVar[str] = "test.noted"
    n: int


async def test_the_fanout_sends_all_queued_events_in_one_turn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    layer = LocalChannelLayer(capacity=1000)
    monkeypatch.setattr(events, "get_channel_layer", lambda: layer)
    channel = await layer.new_channel()
    await layer.group_add(store_group(7), channel)
    bind_server_loop(asyncio.get_running_loop())
    fanout = events._fanout
    assert fanout is not None
    try:
        await asyncio.sleep(0)  # the fan-out task starts and waits for work
        for n in range(50):
            fanout.put(Noted(store_id=7, actor=Actor.system(), n=n))
        # A writer's batch publishes an event per message: one turn to wake, one to send
        # them all, not a turn (or two) per event.
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        got = []
        while (message := layer.receive_nowait(channel)) is not None:
            got.append(message["event"]["n"])
        assert got == list(range(50))
    finally:
        fanout.task.cancel()
        bind_server_loop(None)


async def test_events_from_another_thread_wake_the_loop_once_and_keep_their_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    layer = LocalChannelLayer(capacity=1000)
    monkeypatch.setattr(events, "get_channel_layer", lambda: layer)
    channel = await layer.new_channel()
    await layer.group_add(store_group(7), channel)
    loop = asyncio.get_running_loop()
    bind_server_loop(loop)
    fanout = events._fanout
    assert fanout is not None
    wakes = []
    real = loop.call_soon_threadsafe

    def counted(callback: Any, *args: Any) -> Any:
        wakes.append(callback)
        return real(callback, *args)

    monkeypatch.setattr(loop, "call_soon_threadsafe", counted)
    try:
        await asyncio.sleep(0)

        def writer_batch() -> None:  # the chat writer's thread committing a batch
            for n in range(50):
                fanout.put(Noted(store_id=7, actor=Actor.system(), n=n))

        # The loop waits for the whole batch (joined while it is blocked), so the count
        # of wake-ups depends on the fan-out alone, not on how the threads were scheduled.
        thread = threading.Thread(target=writer_batch)
        thread.start()
        thread.join()
        got: list[int] = []
        for _ in range(20):
            await asyncio.sleep(0)
            while (message := layer.receive_nowait(channel)) is not None:
                got.append(message["event"]["n"])
            if len(got) == 50:
                break
        assert got == list(range(50))
        assert len([w for w in wakes if getattr(w, "__self__", None) is fanout]) == 1
        # A later batch wakes it again.
        await asyncio.to_thread(fanout.put, Noted(store_id=7, actor=Actor.system(), n=50))
        for _ in range(5):
            await asyncio.sleep(0)
        assert layer.receive_nowait(channel)["event"]["n"] == 50  # type: ignore[index]
    finally:
        fanout.task.cancel()
        bind_server_loop(None)

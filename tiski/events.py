"""Domain events: typed payloads, published when the writing transaction commits.

An action builds an :class:`Event` and calls :func:`publish`. Nothing leaves the process
until the transaction commits, so a rolled-back write never announces itself. On commit
the event goes to

* the channel-layer groups it names (agents' inboxes, a conversation, a customer's
  widget), so open browsers update, and
* every in-process subscriber (automation, SLA clocks and tests hook in here).

Events that belong to a conversation also carry that conversation's sequence number
and are kept in its event log (``conversations.ConversationEvent``), so a client that
reconnects asks for "everything after seq N" and misses nothing.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from typing import Any, ClassVar

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from tiski.core.actors import Actor
from tiski.core.layers import LocalChannelLayer

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every event. Subclasses set ``type`` and add their typed fields."""

    type: ClassVar[str] = ""
    store_id: int
    actor: Actor

    def groups(self) -> list[str]:
        """Channel-layer groups that receive this event."""
        return [store_group(self.store_id)]

    def payload(self) -> dict[str, Any]:
        """The JSON-ready form sent to clients and kept in event logs (do not change it).

        Built once: the writing thread stores it in the event log and the fan-out on the
        server's loop sends the same dict.
        """
        cached: dict[str, Any] | None = self.__dict__.get("_payload")
        if cached is None:
            data = {f.name: _jsonable(getattr(self, f.name)) for f in dataclasses.fields(self)}
            data["actor"] = self.actor.as_dict()
            cached = {"type": self.type, **data}
            object.__setattr__(self, "_payload", cached)  # frozen: the cache is not a field
        return cached


def store_group(store_id: int) -> str:
    return f"store.{store_id}"


def conversation_group(conversation_id: int) -> str:
    return f"conversation.{conversation_id}"


def widget_group(conversation_id: int) -> str:
    return f"widget.{conversation_id}"


def visitor_group(visitor_id: str) -> str:
    return f"visitor.{visitor_id}"


def notify_group(group: str, message: dict[str, Any]) -> None:
    """Send one channel-layer message that is not an event (on commit, best effort)."""
    transaction.on_commit(lambda: _send_raw(group, message), robust=True)


def _send_raw(group: str, message: dict[str, Any]) -> None:
    fanout = _fanout
    if fanout is not None and fanout.loop.is_running():
        fanout.put((group, message))
        return
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        logger.exception("could not send %s to %s", message.get("type"), group)


# Values that are JSON as they are (exact types: a str enum is not one). Most fields of
# most events: checked first, as the chat writer builds an event per message.
_AS_IS = frozenset({str, int, bool, float, type(None)})


def _jsonable(value: Any) -> Any:
    if type(value) in _AS_IS:
        return value
    if isinstance(value, Actor):
        return value.as_dict()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


Subscriber = Callable[[Event], None]
_subscribers: list[Subscriber] = []
_server_loop: asyncio.AbstractEventLoop | None = None
_fanout: _Fanout | None = None


def subscribe(subscriber: Subscriber) -> Callable[[], None]:
    """Call ``subscriber`` with every committed event; returns the unsubscribe function."""
    _subscribers.append(subscriber)
    return lambda: _subscribers.remove(subscriber)


def bind_server_loop(loop: asyncio.AbstractEventLoop | None) -> None:
    """Remember the ASGI server's event loop (call it from that loop).

    Events published from threads that are not the server's (the chat writer, the
    in-process task worker, sync views) are queued to one task on that loop, which
    sends them to the channel layer in the order they were published. The publishing
    thread does not wait.
    """
    global _server_loop, _fanout
    _server_loop = loop
    _fanout = _Fanout(loop) if loop is not None else None


class _Fanout:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.queue: asyncio.Queue[Event | tuple[str, dict[str, Any]]] = asyncio.Queue()
        self.task = loop.create_task(self._run(), name="tiski-event-fanout")
        # Events from other threads wait here until the loop takes them in. A writer's
        # batch commits an event per message: one wake-up of the loop per batch, not one
        # per event (each is a syscall on the loop's self-pipe and a callback).
        self.incoming: collections.deque[Event | tuple[str, dict[str, Any]]] = collections.deque()
        self.lock = threading.Lock()
        self.woken = False

    def put(self, event: Event | tuple[str, dict[str, Any]]) -> None:
        if _on_loop_thread(self.loop):
            self.queue.put_nowait(event)
            return
        with self.lock:
            self.incoming.append(event)
            if self.woken:
                return
            self.woken = True
        self.loop.call_soon_threadsafe(self._take_incoming)

    def _take_incoming(self) -> None:
        with self.lock:
            self.woken = False
            taken = list(self.incoming)
            self.incoming.clear()
        for event in taken:  # in the order they were published
            self.queue.put_nowait(event)

    async def _run(self) -> None:
        layer = get_channel_layer()
        while True:
            event = await self.queue.get()
            if layer is None:
                continue
            await self._send(layer, event)

    async def _send(self, layer: Any, event: Event | tuple[str, dict[str, Any]]) -> None:
        if isinstance(event, tuple):  # a plain message for one group
            group, raw = event
            try:
                await layer.group_send(group, raw)
            except Exception:
                logger.exception("could not send %s to %s", raw.get("type"), group)
            return
        message = {"type": "tiski.event", "event": event.payload()}
        # A writer's batch publishes an event per message. On the in-memory layer nothing
        # here suspends, so the whole queue goes out in one turn of the loop; a task per
        # group and a gather per event took a turn per event, which capped delivery to
        # the agents below the commit rate.
        if getattr(layer, "sends_at_once", False):
            for group in event.groups():
                try:
                    await layer.group_send(group, message)
                except Exception:
                    logger.exception("could not fan out %s to %s", event.type, group)
            return
        # Over the network, an event's groups concurrently; the next event only after,
        # so per-group order holds.
        results = await asyncio.gather(
            *(layer.group_send(group, message) for group in event.groups()),
            return_exceptions=True,
        )
        for result in results:
            if isinstance(result, Exception):
                logger.error("could not fan out %s: %r", event.type, result)


def publish(event: Event) -> None:
    """Send ``event`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: dispatch(event), robust=True)


def dispatch(event: Event) -> None:
    for subscriber in list(_subscribers):
        try:
            subscriber(event)
        except Exception:
            # One broken consumer of events must not stop the others or the write.
            logger.exception("event subscriber %r failed on %s", subscriber, event.type)
    _send_to_groups(event)


def _send_to_groups(event: Event) -> None:
    fanout = _fanout
    if fanout is not None and fanout.loop.is_running():
        fanout.put(event)
        return
    layer = get_channel_layer()
    if layer is None:
        return
    if isinstance(layer, LocalChannelLayer) and not any(
        layer.groups.get(group) for group in event.groups()
    ):
        # Nobody in this process listens (a command, the worker without sockets):
        # skip the event loop async_to_sync would start for nothing.
        return
    message = {"type": "tiski.event", "event": event.payload()}

    async def send_all() -> None:
        for group in event.groups():
            await layer.group_send(group, message)

    try:
        async_to_sync(send_all)()
    except Exception:
        # Live updates are best effort: clients resume from the event log by seq.
        logger.exception("could not fan out %s to the channel layer", event.type)


def _on_loop_thread(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


@contextmanager
def capture_events() -> Iterator[list[Event]]:
    """Collect the events committed inside the block (for tests and diagnostics)."""
    captured: list[Event] = []
    unsubscribe = subscribe(captured.append)
    try:
        yield captured
    finally:
        unsubscribe()

"""Is a customer's chat open somewhere right now? Kept in the shared cache.

A reply to a visitor who has left goes out by email instead (tiski.conversations.delivery),
so each process keeps the conversations its widget sockets follow online in the cache.
The process counts its own sockets per conversation and refreshes all of its keys in one
cache call every HEARTBEAT seconds: a timer per socket would cost a thread hand-off per
socket and heartbeat, which at 20,000 idle widgets was a core's worth of work.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter

from asgiref.sync import sync_to_async
from django.core.cache import cache

from tiski.core.loops import PerLoop

logger = logging.getLogger(__name__)

ONLINE_TTL = 60  # seconds; a process refreshes its keys every HEARTBEAT
HEARTBEAT = 20
REFRESH_CHUNK = 1000  # keys per cache call


def widget_online_key(conversation_id: int) -> str:
    return f"chat:widget-online:{conversation_id}"


def mark_widget_online(conversation_id: int) -> None:
    cache.set(widget_online_key(conversation_id), 1, timeout=ONLINE_TTL)


def mark_widget_offline(conversation_id: int) -> None:
    cache.delete(widget_online_key(conversation_id))


def widget_is_online(conversation_id: int) -> bool:
    return cache.get(widget_online_key(conversation_id)) is not None


def refresh_online(conversation_ids: list[int]) -> None:
    for start in range(0, len(conversation_ids), REFRESH_CHUNK):
        chunk = conversation_ids[start : start + REFRESH_CHUNK]
        cache.set_many({widget_online_key(c): 1 for c in chunk}, timeout=ONLINE_TTL)


class WidgetPresence:
    """This process's open widget sockets, counted per conversation."""

    def __init__(self, loop: asyncio.AbstractEventLoop, heartbeat: float = HEARTBEAT) -> None:
        self.loop = loop
        self.heartbeat = heartbeat
        self.sockets: Counter[int] = Counter()
        self.task = loop.create_task(self._refresh(), name="tiski-widget-presence")

    async def joined(self, conversation_id: int) -> None:
        self.sockets[conversation_id] += 1
        if self.sockets[conversation_id] == 1:
            await sync_to_async(mark_widget_online, thread_sensitive=False)(conversation_id)

    async def left(self, conversation_id: int) -> None:
        if self.sockets[conversation_id] <= 1:
            del self.sockets[conversation_id]
            # Another process may still have a socket on it: it sets the key again
            # within HEARTBEAT seconds.
            await sync_to_async(mark_widget_offline, thread_sensitive=False)(conversation_id)
        else:
            self.sockets[conversation_id] -= 1

    async def _refresh(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat)
            if not self.sockets:
                continue
            try:
                await sync_to_async(refresh_online, thread_sensitive=False)(list(self.sockets))
            except Exception:
                # The cache is down for a moment: the next heartbeat tries again.
                logger.exception("could not refresh %d open chats", len(self.sockets))

    def close(self) -> None:
        self.task.cancel()


_presences: PerLoop[WidgetPresence] = PerLoop(WidgetPresence)


def widget_presence() -> WidgetPresence:
    """This event loop's registry (one per server process; tests run several loops)."""
    return _presences.get()


def close_widget_presence() -> None:
    found = _presences.pop()
    if found is not None:
        found.close()

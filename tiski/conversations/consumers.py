"""The agent inbox's websocket: ``/ws/inbox/`` (session cookie; origin checked).

Every agent socket hears its stores' events (lists and counts update) and watches the
conversation the agent has open: its events from a sequence number on, who else is
looking at it, and who is typing. Frames are JSON objects with a ``type``.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

from channels.db import database_sync_to_async
from django.core.cache import cache

from tiski.agents.actions import announce_presence, set_availability
from tiski.agents.models import Agent
from tiski.agents.presence import HEARTBEAT, mark_connected, mark_disconnected, presence_of
from tiski.agents.queries import store_ids_for
from tiski.conversations.actions import mark_read
from tiski.conversations.eventlog import replayed
from tiski.conversations.models import Conversation, ConversationEvent
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.core.ratelimit import TokenBucket
from tiski.core.sockets import JsonSocket
from tiski.events import conversation_group, store_group, widget_group

CLOSE_UNAUTHENTICATED = 4401
VIEWER_TTL = 75

# Sockets of each agent in this process: an agent with two tabs is still online when
# one closes.
_local_sockets: Counter[int] = Counter()


def _viewers_key(conversation_id: int) -> str:
    return f"inbox:viewers:{conversation_id}"


def _update_viewers(conversation_id: int, agent: Agent, watching: bool) -> list[dict[str, Any]]:
    """Record (or drop) the agent as viewing; return who views it now."""
    key = _viewers_key(conversation_id)
    now = time.time()
    viewers: dict[str, list[Any]] = cache.get(key) or {}
    viewers = {k: v for k, v in viewers.items() if v[1] > now}
    if watching:
        viewers[str(agent.pk)] = [agent.name, now + VIEWER_TTL]
    else:
        viewers.pop(str(agent.pk), None)
    cache.set(key, viewers, timeout=VIEWER_TTL)
    return [{"id": int(k), "name": v[0]} for k, v in sorted(viewers.items())]


def _events_after(conversation_id: int, after_seq: int) -> list[dict[str, Any]] | None:
    # The last seq first: an event committed between the two reads then only adds rows
    # after it, instead of looking like a gap (which reloads the page's conversation).
    last = (
        Conversation.objects.filter(pk=conversation_id).values_list("last_seq", flat=True).first()
    )
    rows = list(
        ConversationEvent.objects.filter(conversation_id=conversation_id, seq__gt=after_seq)
        .order_by("seq")
        .values_list("seq", "payload")
    )
    if last is None or (last > after_seq and (not rows or rows[0][0] != after_seq + 1)):
        return None  # pruned: the page reloads the conversation instead
    return replayed(payload for _seq, payload in rows)


class InboxConsumer(JsonSocket):
    agent: Agent
    store_ids: list[int]
    watching: int | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if not isinstance(user, Agent) or not user.is_active:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.agent = user
        self.store_ids = await database_sync_to_async(store_ids_for)(user)
        for store_id in self.store_ids:
            await self.channel_layer.group_add(store_group(store_id), self.channel_name)
        self.typing = TokenBucket(rate=0.5, burst=3)
        await self.accept()
        _local_sockets[user.pk] += 1
        await database_sync_to_async(self._come_online)()
        self.heartbeat = asyncio.create_task(self._heartbeat())

    def _come_online(self) -> None:
        was_connected = presence_of(self.agent) != "offline"
        mark_connected(self.agent.pk)
        if not was_connected:
            announce_presence(
                self.agent, presence_of(self.agent), actor=Actor.for_agent(self.agent)
            )

    def _go_offline(self) -> None:
        mark_disconnected(self.agent.pk)
        announce_presence(self.agent, "offline", actor=Actor.for_agent(self.agent))

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT)
            await database_sync_to_async(mark_connected)(self.agent.pk)
            if self.watching is not None:
                await database_sync_to_async(_update_viewers)(self.watching, self.agent, True)

    async def disconnect(self, code: int) -> None:
        if not hasattr(self, "agent"):
            return
        self.heartbeat.cancel()
        await self._unwatch()
        for store_id in self.store_ids:
            await self.channel_layer.group_discard(store_group(store_id), self.channel_name)
        _local_sockets[self.agent.pk] -= 1
        if _local_sockets[self.agent.pk] <= 0:
            del _local_sockets[self.agent.pk]
            await database_sync_to_async(self._go_offline)()

    # --- frames from the agent's page --------------------------------------------------

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            await self.send_json({"type": "error", "code": "bad_frame"})
            return
        handler = {
            "watch": self.on_watch,
            "unwatch": self.on_unwatch,
            "typing": self.on_typing,
            "read": self.on_read,
            "availability": self.on_availability,
            "ping": self.on_ping,
        }.get(str(content.get("type")))
        if handler is None:
            await self.send_json({"type": "error", "code": "bad_frame"})
            return
        await handler(content)

    async def decode_json(self, text_data: str) -> Any:
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None

    async def on_ping(self, content: dict[str, Any]) -> None:
        await self.send_json({"type": "pong"})

    def _visible(self, conversation_id: Any) -> Conversation | None:
        if not isinstance(conversation_id, int):
            return None
        return (
            Conversation.objects.filter(pk=conversation_id, store_id__in=self.store_ids)
            .only("id", "store_id", "contact_id", "last_seq")
            .first()
        )

    async def on_watch(self, content: dict[str, Any]) -> None:
        """Follow one conversation: its events after ``after_seq``, viewers, typing."""
        conversation = await database_sync_to_async(self._visible)(content.get("conversation"))
        if conversation is None:
            await self.send_json({"type": "error", "code": "not_found"})
            return
        await self._unwatch()
        self.watching = conversation.pk
        await self.channel_layer.group_add(conversation_group(conversation.pk), self.channel_name)
        after = content.get("after_seq")
        after = after if isinstance(after, int) and after >= 0 else conversation.last_seq
        events = await database_sync_to_async(_events_after)(conversation.pk, after)
        if events is None:
            await self.send_json({"type": "reset", "conversation": conversation.pk})
        else:
            for event in events:
                await self.send_json({"type": "event", "event": event})
        await self._announce_viewers(conversation.pk, watching=True)

    async def on_unwatch(self, content: dict[str, Any]) -> None:
        await self._unwatch()

    async def _unwatch(self) -> None:
        if self.watching is None:
            return
        conversation_id, self.watching = self.watching, None
        await self.channel_layer.group_discard(
            conversation_group(conversation_id), self.channel_name
        )
        await self._announce_viewers(conversation_id, watching=False)

    async def _announce_viewers(self, conversation_id: int, *, watching: bool) -> None:
        viewers = await database_sync_to_async(_update_viewers)(
            conversation_id, self.agent, watching
        )
        await self.channel_layer.group_send(
            conversation_group(conversation_id),
            {"type": "tiski.viewers", "conversation_id": conversation_id, "agents": viewers},
        )

    async def on_typing(self, content: dict[str, Any]) -> None:
        if self.watching is None or not self.typing.take():
            return
        active = bool(content.get("active", True))
        frame = {
            "type": "tiski.typing",
            "conversation_id": self.watching,
            "who": "agent",
            "agent_id": self.agent.pk,
            "name": self.agent.first_name,
            "note": content.get("mode") == "note",
            "active": active,
        }
        await self.channel_layer.group_send(conversation_group(self.watching), frame)
        if content.get("mode") != "note":
            # The customer sees that an answer is on its way; never that a note is.
            await self.channel_layer.group_send(widget_group(self.watching), frame)

    async def on_read(self, content: dict[str, Any]) -> None:
        seq = content.get("seq")
        if self.watching is None or not isinstance(seq, int) or seq < 1:
            return
        conversation = await database_sync_to_async(self._visible)(self.watching)
        if conversation is not None:
            await database_sync_to_async(mark_read)(
                conversation, by="agent", up_to_seq=seq, actor=Actor.for_agent(self.agent)
            )

    async def on_availability(self, content: dict[str, Any]) -> None:
        try:
            await database_sync_to_async(set_availability)(
                self.agent,
                availability=str(content.get("value")),
                actor=Actor.for_agent(self.agent),
            )
        except ActionError as exc:
            await self.send_json({"type": "error", "code": "availability", "message": exc.message})

    # --- messages from the channel layer ---------------------------------------------

    async def tiski_event(self, message: dict[str, Any]) -> None:
        await self.send_json({"type": "event", "event": message["event"]})

    async def tiski_typing(self, message: dict[str, Any]) -> None:
        if message.get("agent_id") == self.agent.pk:
            return
        await self.send_json({k: v for k, v in message.items() if k != "type"} | {"type": "typing"})

    async def tiski_viewers(self, message: dict[str, Any]) -> None:
        others = [a for a in message["agents"] if a["id"] != self.agent.pk]
        await self.send_json(
            {"type": "viewers", "conversation_id": message["conversation_id"], "agents": others}
        )

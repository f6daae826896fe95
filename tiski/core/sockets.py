"""The base of Tiski's websocket consumers."""

from __future__ import annotations

from typing import Any

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer

# Channel-layer messages a consumer handles in one go before it looks at its socket again.
DRAIN_AT_MOST = 64


class JsonSocket(AsyncJsonWebsocketConsumer):
    """A JSON websocket consumer without Channels' per-message connection sweep.

    Channels runs ``close_old_connections`` in a worker thread before handling every
    frame and every channel-layer message. Our consumers touch the database only
    through ``database_sync_to_async``, which does that sweep itself around each call,
    so the extra thread hand-off per message was pure cost (an eighth of the server's
    event loop in ``make bench-chat``).
    """

    async def dispatch(self, message: dict[str, Any]) -> None:
        await self._handle(message)
        if message["type"].startswith("websocket."):
            return
        # A channel-layer message: take the ones already queued behind it now. Channels'
        # loop hands a consumer one message per turn of the event loop (a new receive
        # task, then a wait), which caps a busy agent's inbox socket below what the
        # server delivers. Bounded, so the visitor's or agent's own frames still get a turn.
        take = getattr(self.channel_layer, "receive_nowait", None)
        if take is None:
            return
        for _ in range(DRAIN_AT_MOST):
            queued = take(self.channel_name)
            if queued is None:
                return
            await self._handle(queued)

    async def _handle(self, message: dict[str, Any]) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

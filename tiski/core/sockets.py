"""The base of Tiski's websocket consumers."""

from __future__ import annotations

from typing import Any

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer


class JsonSocket(AsyncJsonWebsocketConsumer):
    """A JSON websocket consumer without Channels' per-message connection sweep.

    Channels runs ``close_old_connections`` in a worker thread before handling every
    frame and every channel-layer message. Our consumers touch the database only
    through ``database_sync_to_async``, which does that sweep itself around each call,
    so the extra thread hand-off per message was pure cost (an eighth of the server's
    event loop in ``make bench-chat``).
    """

    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

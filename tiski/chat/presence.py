"""Is a customer's chat open somewhere right now? Kept in the shared cache.

The widget's socket refreshes the key while it is connected; a reply to a visitor who
has left goes out by email instead (tiski.conversations.delivery).
"""

from __future__ import annotations

from django.core.cache import cache

ONLINE_TTL = 60  # seconds; widget sockets refresh every HEARTBEAT
HEARTBEAT = 20


def widget_online_key(conversation_id: int) -> str:
    return f"chat:widget-online:{conversation_id}"


def mark_widget_online(conversation_id: int) -> None:
    cache.set(widget_online_key(conversation_id), 1, timeout=ONLINE_TTL)


def mark_widget_offline(conversation_id: int) -> None:
    cache.delete(widget_online_key(conversation_id))


def widget_is_online(conversation_id: int) -> bool:
    return cache.get(widget_online_key(conversation_id)) is not None

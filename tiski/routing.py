"""Websocket routes, each with the guards its kind of client needs.

* The chat widget runs on the shop's own pages, on any origin, and proves who it is
  with tokens, never cookies: no origin check.
* The agent inbox authenticates with the session cookie, so a page on another site
  must not be able to open it in the agent's name: the origin must be one of ours.
"""

from __future__ import annotations

from typing import Any

from channels.auth import AuthMiddlewareStack
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from tiski.chat.consumers import WidgetConsumer
from tiski.conversations.consumers import InboxConsumer


def agent_route(route: str, consumer: Any) -> Any:
    return path(route, AllowedHostsOriginValidator(AuthMiddlewareStack(consumer.as_asgi())))


websocket_urlpatterns: list[Any] = [
    path("ws/chat/", WidgetConsumer.as_asgi()),
    agent_route("ws/inbox/", InboxConsumer),
]

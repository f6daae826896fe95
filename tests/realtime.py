"""Realtime fixtures and helpers shared by the chat and inbox socket tests: a store with an
agent, the event fan-out on the test's loop, and helpers that talk to the widget endpoints as
the widget does."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import AsyncClient

from tests.conftest import make_agent, make_store
from tiski.agents.models import Agent, Role
from tiski.asgi import application
from tiski.chat.presence import close_widget_presence
from tiski.chat.writer import close_writer
from tiski.events import bind_server_loop
from tiski.stores.models import Store


@pytest.fixture
async def server_loop() -> AsyncIterator[None]:
    """What the server's lifespan does: events fan out on this loop; the writer closes."""
    bind_server_loop(asyncio.get_running_loop())
    yield
    await close_writer()
    close_widget_presence()
    bind_server_loop(None)


@pytest.fixture
def shop(transactional_db: None) -> Store:
    return make_store("revontuli", "RVT")


@pytest.fixture
def shop_agent(shop: Store) -> Agent:
    return make_agent("aino@revontuli.example", "Aino Asiakaspalvelija", shop, Role.OWNER)


async def start_session(store: Store, **body: Any) -> tuple[int, dict[str, Any]]:
    response = await AsyncClient().post(
        "/chat/session",
        json.dumps({"token": store.widget_token, **body}),
        content_type="application/json",
    )
    return response.status_code, json.loads(response.content)


async def widget_socket(store: Store, visitor: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(
        application, f"/ws/chat/?token={store.widget_token}&visitor={visitor}"
    )
    connected, _code = await communicator.connect()
    assert connected
    return communicator


async def next_of(socket: WebsocketCommunicator, kind: str, timeout: float = 5) -> dict[str, Any]:
    """The next frame of ``kind`` (events: of that event type), skipping others."""
    while True:
        frame = await socket.receive_json_from(timeout=timeout)
        if frame["type"] == kind or (frame["type"] == "event" and frame["event"]["type"] == kind):
            return frame


def db(fn: Any) -> Any:
    return sync_to_async(fn, thread_sensitive=True)

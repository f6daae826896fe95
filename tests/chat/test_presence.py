"""Open chats are online in the cache: counted per process, refreshed in one call."""

from __future__ import annotations

import asyncio

import pytest
from django.core.cache import cache

from tiski.chat import presence
from tiski.chat.presence import WidgetPresence, widget_is_online, widget_online_key


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


async def test_a_conversation_is_online_while_any_socket_follows_it() -> None:
    registry = WidgetPresence(asyncio.get_running_loop(), heartbeat=3600)
    try:
        await registry.joined(7)
        await registry.joined(7)
        await registry.joined(8)
        assert widget_is_online(7) and widget_is_online(8)
        await registry.left(7)
        assert widget_is_online(7), "one of its two sockets is still open"
        await registry.left(7)
        assert not widget_is_online(7)
        assert widget_is_online(8)
        assert dict(registry.sockets) == {8: 1}
    finally:
        registry.close()


async def test_the_heartbeat_refreshes_every_open_chat_and_forgets_closed_ones() -> None:
    registry = WidgetPresence(asyncio.get_running_loop(), heartbeat=0.05)
    try:
        for conversation_id in range(1, 2501):  # more than one cache call's worth
            await registry.joined(conversation_id)
        await registry.left(2500)
        cache.clear()  # as if the keys had expired
        await asyncio.sleep(0.3)
        assert all(widget_is_online(c) for c in (1, 1000, 1001, 2499))
        assert not widget_is_online(2500)
    finally:
        registry.close()


async def test_a_failing_cache_does_not_stop_the_heartbeat(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[list[int]] = []
    real = presence.refresh_online

    def flaky(ids: list[int]) -> None:
        calls.append(ids)
        if len(calls) == 1:
            raise ConnectionError("cache restarting")
        real(ids)

    monkeypatch.setattr(presence, "refresh_online", flaky)
    registry = WidgetPresence(asyncio.get_running_loop(), heartbeat=0.05)
    try:
        await registry.joined(5)
        cache.delete(widget_online_key(5))
        await asyncio.sleep(0.3)
        assert len(calls) >= 2
        assert widget_is_online(5)
        assert not registry.task.done()
    finally:
        registry.close()

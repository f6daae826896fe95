from __future__ import annotations

import asyncio
import gc
from typing import Any

from django.test import override_settings

from tiski import events
from tiski.asgi import application


@override_settings(GC_THRESHOLD=(12_345, 6, 7))
async def test_lifespan_tunes_the_collector_and_binds_the_loop() -> None:
    before = gc.get_threshold()
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    sent: list[str] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message["type"])

    await inbox.put({"type": "lifespan.startup"})
    await inbox.put({"type": "lifespan.shutdown"})
    seen: dict[str, Any] = {}

    async def receive() -> dict[str, Any]:
        message = await inbox.get()
        if message["type"] == "lifespan.shutdown":
            # What startup left behind, looked at before shutdown undoes it.
            seen["threshold"] = gc.get_threshold()
            seen["fanout_loop"] = events._fanout.loop if events._fanout else None
        return message

    try:
        await application({"type": "lifespan"}, receive, send)
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert seen["threshold"] == (12_345, 6, 7)
    assert seen["fanout_loop"] is asyncio.get_running_loop()
    assert events._fanout is None

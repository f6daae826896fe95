"""ASGI entry point: HTTP through Django, websockets through Channels.

The lifespan handler records the server's event loop, so events published from other
threads (the in-process worker, sync views) reach websocket consumers on that loop.
"""

from __future__ import annotations

import asyncio
import gc
import os
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiski.settings")

from channels.routing import ProtocolTypeRouter, URLRouter
from django.conf import settings
from django.core.asgi import get_asgi_application

django_application = get_asgi_application()

from tiski.chat.presence import close_widget_presence  # noqa: E402
from tiski.chat.writer import close_writer  # noqa: E402
from tiski.events import bind_server_loop  # noqa: E402
from tiski.routing import websocket_urlpatterns  # noqa: E402
from tiski.shop.intake import close_intake, is_webhook, webhook_app  # noqa: E402

router = ProtocolTypeRouter(
    {
        "http": django_application,
        # Each route brings its own guards (see tiski/routing.py).
        "websocket": URLRouter(websocket_urlpatterns),
    }
)


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if is_webhook(scope):
        # Webhooks need none of Django's middleware, and arrive by the hundred.
        await webhook_app(scope, receive, send)
        return
    if scope["type"] != "lifespan":
        await router(scope, receive, send)
        return
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            bind_server_loop(asyncio.get_running_loop())
            # Everything imported by now lives as long as the process: keep it out of
            # the garbage collector's full passes, which otherwise show up as latency
            # spikes on pages that allocate a lot (a long conversation's timeline).
            gc.collect()
            gc.freeze()
            gc.set_threshold(*settings.GC_THRESHOLD)
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await close_writer()
            await close_intake()
            close_widget_presence()
            bind_server_loop(None)
            await send({"type": "lifespan.shutdown.complete"})
            return

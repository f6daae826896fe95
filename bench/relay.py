"""A bare websocket relay: the baseline of bench/chat.py.

    .venv/bin/python bench/relay.py --port 8765

A minimal ASGI application (no Django, no Channels, no database) served by uvicorn in
its own process with the settings ``tiski run`` uses (uvloop, httptools, the websockets
sans-I/O protocol, per-message deflate as TISKI_WS_DEFLATE says (off by default),
``ws_max_size`` 1 MiB, lifespan on, log level info, no proxy headers). It speaks just
enough of the chat protocol for the load generator (bench/chat_load.py) to drive it
exactly as it drives Tiski:

* ``/ws/chat/`` (a visitor, query string ignored): for every ``message`` frame it sends
  the same three frames Tiski sends, built the same way (``json.dumps``): the ``event``
  with the ``message.created`` payload to every agent socket, the ``ack`` and the same
  event back to the visitor (Tiski's widget hears its own message as an event too).
  ``ping`` answers ``pong``.
* ``/ws/inbox/`` (an agent, cookie ignored): hears every message of every visitor.
* ``GET /healthz``: 200 once the server is up.

What Tiski does beyond this (authenticating, rate limiting, storing the message and its
event in one transaction, the channel layer's groups) is what the benchmark prices.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
from datetime import UTC, datetime
from typing import Any

Scope = dict[str, Any]
Receive = Any
Send = Any

_agents: set[asyncio.Queue[str]] = set()
TRUE = {"1", "true", "yes", "on"}
_ids = itertools.count(1)
_conversations = itertools.count(1)


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    kind = scope["type"]
    if kind == "lifespan":
        await lifespan(receive, send)
    elif kind == "http":
        await http(scope, receive, send)
    elif kind == "websocket":
        if scope["path"] == "/ws/inbox/":
            await agent(receive, send)
        elif scope["path"] == "/ws/chat/":
            await visitor(receive, send)
        else:
            await receive()
            await send({"type": "websocket.close", "code": 4404})


async def lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def http(scope: Scope, receive: Receive, send: Send) -> None:
    found = scope["path"] == "/healthz"
    body = b'{"ok": true}' if found else b'{"error": "not_found"}'
    await send(
        {
            "type": "http.response.start",
            "status": 200 if found else 404,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def agent(receive: Receive, send: Send) -> None:
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    queue: asyncio.Queue[str] = asyncio.Queue()
    _agents.add(queue)

    async def pump() -> None:
        # Like a Channels consumer: events wait in the socket's own queue, so a slow
        # agent socket does not hold up the visitors' sockets.
        while True:
            await send({"type": "websocket.send", "text": await queue.get()})

    task = asyncio.create_task(pump())
    try:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            if message.get("text") and '"ping"' in message["text"]:
                queue.put_nowait(json.dumps({"type": "pong"}))
    finally:
        _agents.discard(queue)
        task.cancel()


async def visitor(receive: Receive, send: Send) -> None:
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    conversation_id, seq = next(_conversations), 0
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        try:
            frame = json.loads(message.get("text") or message.get("bytes") or b"")
        except ValueError:
            continue
        if not isinstance(frame, dict):
            continue
        if frame.get("type") == "ping":
            await send({"type": "websocket.send", "text": json.dumps({"type": "pong"})})
            continue
        if frame.get("type") != "message":
            continue
        client_id, text = str(frame.get("client_id")), str(frame.get("text"))
        seq += 1
        message_id = next(_ids)
        event = {
            "type": "message.created",
            "store_id": 1,
            "conversation_id": conversation_id,
            "seq": seq,
            "message_id": message_id,
            "kind": "reply",
            "direction": "in",
            "author_type": "contact",
            "author_name": "",
            "body_text": text,
            "body_html": f"<p>{text}</p>",
            "status": "received",
            "created_at": datetime.now(UTC).isoformat(),
            "external_id": f"chat:{client_id}",
            "attachments": [],
            "actor": {"kind": "contact", "id": conversation_id, "name": ""},
        }
        for queue in _agents:
            queue.put_nowait(json.dumps({"type": "event", "event": event}))
        ack = {
            "type": "ack",
            "client_id": client_id,
            "message_id": message_id,
            "seq": seq,
            "conversation_id": conversation_id,
            "duplicate": False,
        }
        await send({"type": "websocket.send", "text": json.dumps(ack)})
        echo = {k: v for k, v in event.items() if k not in ("actor", "external_id")}
        await send({"type": "websocket.send", "text": json.dumps({"type": "event", "event": echo})})


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    # The same uvicorn settings as tiski/core/management/commands/run.py.
    config = uvicorn.Config(
        app,
        host=args.host,
        port=args.port,
        proxy_headers=False,
        lifespan="on",
        log_level="info",
        ws_max_size=1024 * 1024,
        # As tiski.settings.WS_PER_MESSAGE_DEFLATE reads it.
        ws_per_message_deflate=os.environ.get("TISKI_WS_DEFLATE", "").lower() in TRUE,
    )
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main()

"""A bare webhook receiver: the baseline of bench/shop.py.

    .venv/bin/python bench/webhook_relay.py --port 8766 --secret X

A minimal ASGI application (no Django, no database) served by uvicorn with the settings
``tiski run`` uses. For each POST it reads the body, checks the X-Tiski-Signature HMAC
exactly as Tiski does and answers 200 with a small JSON body. What Tiski does beyond
this (routing, storing the delivery, applying the order: contacts, lines, commits) is
what the benchmark prices.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
from typing import Any

SECRET = b""


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
    if scope["method"] == "GET":
        status, answer = 200, b'{"status": "ok"}'
    else:
        stamp = headers.get("x-tiski-timestamp", "")
        expected = (
            "sha256=" + hmac.new(SECRET, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        )
        ok = hmac.compare_digest(expected, headers.get("x-tiski-signature", ""))
        status, answer = (200, b'{"status": "received"}') if ok else (401, b'{"detail": "no"}')
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(answer)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": answer})


def main() -> None:
    global SECRET
    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args()
    SECRET = args.secret.encode()
    uvicorn.run(
        app, host="127.0.0.1", port=args.port, loop="uvloop", http="httptools", log_level="warning"
    )


if __name__ == "__main__":
    main()

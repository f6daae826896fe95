"""Webhooks in: checking a request, and the fast way in for a busy shop.

``check_request`` is what every way in shares: the store's connection, the size limit,
the platform's ping, the signature, what the headers say. ``webhook_app`` is an ASGI
application for ``/webhooks/<platform>/<store slug>/`` that the server puts in front of
Django (tiski/asgi.py): no session, CSRF or agent middleware is needed for a webhook,
and every delivery that arrives while the previous batch commits is stored in one
transaction by this process's intake writer (group commit, as the chat writer does).
Each delivery is still answered only after its own commit. The Django view
(tiski/shop/views.py) answers the same way, one commit per request.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

from tiski.core.loops import PerLoop
from tiski.shop.actions.deliveries import DeliveryIn, Received, receive_deliveries
from tiski.shop.connectors import WebhookRejected, connector_for
from tiski.shop.models import DeliveryStatus, Platform, ShopConnection
from tiski.stores.models import Store

logger = logging.getLogger(__name__)

# Far above any order a shop sends (Shopify's largest are a few hundred KB).
MAX_WEBHOOK_BYTES = 2 * 1024 * 1024
MAX_BATCH = 256
# A connection is looked up again after this long: a new secret takes effect within it.
CONNECTION_TTL = 10.0
PATH = re.compile(r"^/webhooks/([a-z]+)/([-a-zA-Z0-9_]+)/$")


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


def too_large() -> Answer:
    return Answer(413, {"detail": _("The body is too large.")})


def connection_for(platform: str, slug: str) -> ShopConnection | None:
    if platform not in Platform.values:
        return None
    return (
        ShopConnection.objects.select_related("store")
        .filter(store__slug=slug, platform=platform, enabled=True)
        .first()
    )


def check_request(
    connection: ShopConnection | None, platform: str, headers: Mapping[str, str], body: bytes
) -> Answer | DeliveryIn:
    """The answer to give now (404, 413, a ping's 200, 401), or the delivery to store."""
    if connection is None:
        return Answer(404, {"detail": _("No such shop connection.")})
    if len(body) > MAX_WEBHOOK_BYTES:
        return too_large()
    connector = connector_for(platform)
    if connector.is_ping(headers, body):
        return Answer(200, {"status": "ok"})
    try:
        connector.verify(connection, headers, body)
    except WebhookRejected as exc:
        return Answer(401, {"detail": _("Signature rejected: %(why)s") % {"why": exc}})
    return DeliveryIn(platform, connector.meta(headers, body), body)


def answer_for(received: Received) -> Answer:
    delivery = received.delivery
    if delivery.status == DeliveryStatus.FAILED and not received.duplicate:
        return Answer(400, {"detail": delivery.error, "delivery": delivery.pk})
    return Answer(
        200,
        {"status": delivery.status, "delivery": delivery.pk, "duplicate": received.duplicate},
    )


class IntakeWriter:
    """One thread per process storing whatever deliveries queued up, in one transaction."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.queue: asyncio.Queue[tuple[Store, DeliveryIn, asyncio.Future[Received]]] = (
            asyncio.Queue()
        )
        # One thread: one database connection, kept between batches.
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tiski-intake")
        self.task = loop.create_task(self._run(), name="tiski-intake")
        self.connections: dict[tuple[str, str], tuple[float, ShopConnection | None]] = {}

    async def submit(self, store: Store, delivery: DeliveryIn) -> Received:
        future: asyncio.Future[Received] = self.loop.create_future()
        self.queue.put_nowait((store, delivery, future))
        return await future

    async def connection(self, platform: str, slug: str) -> ShopConnection | None:
        key = (platform, slug)
        cached = self.connections.get(key)
        if cached is not None and time.monotonic() - cached[0] < CONNECTION_TTL:
            return cached[1]
        found = await self.loop.run_in_executor(self.executor, _lookup, platform, slug)
        self.connections[key] = (time.monotonic(), found)
        return found

    async def _run(self) -> None:
        while True:
            batch = [await self.queue.get()]
            while len(batch) < MAX_BATCH and not self.queue.empty():
                batch.append(self.queue.get_nowait())
            pairs = [(store, delivery) for store, delivery, _future in batch]
            try:
                results = await self.loop.run_in_executor(self.executor, _store, pairs)
            except Exception as exc:
                # Nothing stored: every sender hears 500 and the platform sends it again.
                logger.exception("the webhook intake could not store %d deliveries", len(batch))
                for _shop, _delivery, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_shop, _delivery, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)

    async def close(self) -> None:
        self.task.cancel()
        await self.loop.run_in_executor(self.executor, connections.close_all)
        self.executor.shutdown(wait=True)


def _lookup(platform: str, slug: str) -> ShopConnection | None:
    _usable_connection()
    return connection_for(platform, slug)


def _store(pairs: list[tuple[Store, DeliveryIn]]) -> list[Received]:
    _usable_connection()
    return receive_deliveries(pairs)


def _usable_connection() -> None:
    # The thread keeps its connection; after an error it is checked, and replaced if the
    # database dropped it.
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.connection is not None and connection.errors_occurred:
        if connection.is_usable():
            connection.errors_occurred = False
        else:
            connection.close()


_writers: PerLoop[IntakeWriter] = PerLoop(IntakeWriter)


async def close_intake() -> None:
    found = _writers.pop()
    if found is not None:
        await found.close()


def is_webhook(scope: Mapping[str, Any]) -> bool:
    return scope["type"] == "http" and str(scope.get("path", "")).startswith("/webhooks/")


async def webhook_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """ASGI: the webhook endpoint, answered as the Django view answers it."""
    match = PATH.match(scope["path"])
    if match is None:
        await _respond(send, Answer(404, {"detail": _("No such shop connection.")}))
        return
    if scope["method"] != "POST":
        await _respond(send, Answer(405, {"detail": "POST only"}), allow=True)
        return
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    try:
        declared = int(headers.get("content-length") or 0)
    except ValueError:
        declared = 0
    body = None if declared > MAX_WEBHOOK_BYTES else await _read_body(receive)
    if body is None:
        await _respond(send, too_large())
        return
    platform, slug = match.groups()
    writer = _writers.get()
    connection = await writer.connection(platform, slug)
    checked = check_request(connection, platform, headers, body)
    if isinstance(checked, Answer):
        await _respond(send, checked)
        return
    assert connection is not None
    try:
        received = await writer.submit(connection.store, checked)
    except Exception:
        await _respond(send, Answer(500, {"detail": _("Not stored; send it again.")}))
        return
    await _respond(send, answer_for(received))


async def _read_body(receive: Any) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_WEBHOOK_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def _respond(send: Any, answer: Answer, *, allow: bool = False) -> None:
    body = json.dumps(answer.body).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if allow:
        headers.append((b"allow", b"POST"))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})

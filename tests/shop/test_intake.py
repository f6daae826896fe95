"""The server's webhook endpoint (ASGI, in front of Django): the same answers as the
Django view, and the deliveries that arrive together stored in one transaction."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from tests.conftest import SYSTEM, make_store
from tests.shop.conftest import SECRET, order
from tiski.asgi import application
from tiski.shop import intake
from tiski.shop.actions import apply_pending_deliveries, connect_shop
from tiski.shop.connectors.generic import sign
from tiski.shop.intake import MAX_WEBHOOK_BYTES, close_intake
from tiski.shop.models import DeliveryStatus, Order, WebhookDelivery

pytestmark = pytest.mark.django_db(transaction=True)


async def call(
    path: str, body: bytes = b"", *, method: str = "POST", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    """One HTTP request through the whole ASGI application, as uvicorn makes it."""
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "query_string": b"",
    }
    sent: list[dict[str, Any]] = []
    chunks = [body[i : i + 65536] for i in range(0, len(body), 65536)] or [b""]

    async def receive() -> dict[str, Any]:
        chunk = chunks.pop(0) if chunks else b""
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await application(scope, receive, send)
    status = sent[0]["status"]
    return status, json.loads(sent[1]["body"] or b"{}")


def signed(topic: str, payload: Any, delivery: str, secret: str = SECRET) -> dict[str, str]:
    body = json.dumps(payload).encode()
    stamp = int(time.time())
    return {
        "Content-Type": "application/json",
        "Content-Length": str(len(body)),
        "X-Tiski-Topic": topic,
        "X-Tiski-Delivery": delivery,
        "X-Tiski-Timestamp": str(stamp),
        "X-Tiski-Signature": sign(secret, body, stamp),
    }


@pytest.fixture
def shop_slug() -> str:
    store = make_store("revontuli", "RVT")
    connect_shop(store, platform="generic", actor=SYSTEM, webhook_secret=SECRET)
    return store.slug


async def test_deliveries_that_arrive_together_are_stored_together(
    shop_slug: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[int] = []
    store_batch = intake.receive_deliveries

    def counted(pairs: Any) -> Any:
        batches.append(len(pairs))
        return store_batch(pairs)

    monkeypatch.setattr(intake, "receive_deliveries", counted)
    path = f"/webhooks/generic/{shop_slug}/"
    payloads = [order(str(20_000 + i), id=f"o-{i}", email=f"a{i}@example.fi") for i in range(20)]
    try:
        answers = await asyncio.gather(
            *(
                call(path, json.dumps(p).encode(), headers=signed("orders/upsert", p, f"d-{i}"))
                for i, p in enumerate(payloads)
            )
        )
        # The same delivery again: a duplicate, answered 200, stored once.
        again = await call(
            path,
            json.dumps(payloads[0]).encode(),
            headers=signed("orders/upsert", payloads[0], "d-0"),
        )
    finally:
        await close_intake()
    assert {status for status, _body in answers} == {200}
    assert {body["status"] for _status, body in answers} == {DeliveryStatus.RECEIVED}
    assert again[0] == 200 and again[1]["duplicate"] is True
    stored = await sync_to_async(
        lambda: list(WebhookDelivery.objects.values_list("received_at", flat=True))
    )()
    assert len(stored) == 20
    # Fewer commits than deliveries: they queued while the first one was being stored.
    assert len(set(stored)) < 20
    await sync_to_async(apply_pending_deliveries)()
    assert await sync_to_async(Order.objects.count)() == 20


async def test_bad_requests_get_the_views_answers(shop_slug: str) -> None:
    path = f"/webhooks/generic/{shop_slug}/"
    body = json.dumps(order()).encode()
    try:
        wrong = await call(path, body, headers=signed("orders/upsert", order(), "x", "nope"))
        unknown = await call(
            "/webhooks/generic/no-such-shop/", body, headers=signed("orders/upsert", order(), "y")
        )
        platform = await call(f"/webhooks/magento/{shop_slug}/", body)
        get = await call(path, method="GET")
        huge = await call(path, b"{}", headers={"Content-Length": str(MAX_WEBHOOK_BYTES + 1)})
        broken = await call(
            path,
            b'{"id": ',
            headers=signed("orders/upsert", None, "z")
            | {"X-Tiski-Signature": sign(SECRET, b'{"id": ', int(time.time()))},
        )
    finally:
        await close_intake()
    assert [wrong[0], unknown[0], platform[0], get[0], huge[0], broken[0]] == [
        401,
        404,
        404,
        405,
        413,
        400,
    ]
    assert "not JSON" in broken[1]["detail"]
    assert await sync_to_async(WebhookDelivery.objects.count)() == 1  # only the broken body, kept

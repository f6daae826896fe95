"""A store connected to its shop with Tiski's own webhook format, and a way to post."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.conftest import SYSTEM
from tiski.shop.actions import connect_shop
from tiski.shop.connectors.generic import sign
from tiski.shop.connectors.woocommerce import sign as woo_sign
from tiski.shop.models import Platform, ShopConnection
from tiski.stores.models import Store

SECRET = "whsec-test-9f2c"

Post = Callable[..., Any]


@pytest.fixture
def shop(store: Store) -> ShopConnection:
    return connect_shop(
        store, platform=Platform.GENERIC, actor=SYSTEM, webhook_secret=SECRET, shop_url="x"
    )


@pytest.fixture
def post(shop: ShopConnection, client: Client) -> Post:
    """POST a body to the store's generic webhook, signed unless told otherwise."""

    def send(
        topic: str,
        payload: Any,
        *,
        delivery: str = "",
        secret: str = SECRET,
        stamp: int | None = None,
        raw: bytes | None = None,
        slug: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        body = raw if raw is not None else json.dumps(payload).encode()
        stamp = int(time.time()) if stamp is None else stamp
        sent = {
            "X-Tiski-Topic": topic,
            "X-Tiski-Delivery": delivery,
            "X-Tiski-Timestamp": str(stamp),
            "X-Tiski-Signature": sign(secret, body, stamp),
            **(headers or {}),
        }
        return client.post(
            f"/webhooks/generic/{slug or shop.store.slug}/",
            data=body,
            content_type="application/json",
            headers=sent,
        )

    return send


def order(
    number: str = "10234",
    *,
    id: str = "o-1",
    updated_at: str = "2026-12-01T10:00:00+02:00",
    email: str = "matti@example.fi",
    customer_id: str = "c-7",
    lines: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """An order in Tiski's own format, as a shop would send it."""
    return {
        "id": id,
        "number": number,
        "placed_at": "2026-12-01T09:58:00+02:00",
        "updated_at": updated_at,
        "currency": "EUR",
        "total": "129.90",
        "subtotal": "124.90",
        "shipping_total": "5.00",
        "financial_status": "paid",
        "customer": {"id": customer_id, "email": email, "name": "Matti Meikäläinen"},
        "email": email,
        "lines": lines
        if lines is not None
        else [
            {
                "id": "l-1",
                "title": "Kuoritakki Tunturi",
                "variant_title": "M / sininen",
                "sku": "TT-KT-M-BL",
                "quantity": 1,
                "unit_price": "99.90",
                "total": "99.90",
            },
            {
                "id": "l-2",
                "title": "Villasukat",
                "sku": "VS-42",
                "quantity": 2,
                "unit_price": "12.50",
                "total": "25.00",
            },
        ],
        **fields,
    }


# WooCommerce: a store connected to its WooCommerce shop, and a way to post as it does.

WOO_SECRET = "wc-secret-7d1e&x"
WOO_SHOP_URL = "https://kauppa.example"
WOO_FIXTURES = Path(__file__).parent / "fixtures" / "woocommerce"


def woo_payload(name: str) -> Any:
    """A fixture from tests/shop/fixtures/woocommerce/ (see ORIGINS.md there)."""
    return json.loads((WOO_FIXTURES / f"{name}.json").read_text())


def woo_body(payload: Any) -> bytes:
    """JSON as WooCommerce encodes it (wp_json_encode: ASCII only, slashes escaped)."""
    return json.dumps(payload).replace("/", "\\/").encode()


@pytest.fixture
def woo_shop(store: Store) -> ShopConnection:
    return connect_shop(
        store,
        platform=Platform.WOOCOMMERCE,
        actor=SYSTEM,
        webhook_secret=WOO_SECRET,
        shop_url=WOO_SHOP_URL,
        api_key="ck_4e5b1f0c9a7d2e8b3f6a1c0d9e8f7a6b5c4d3e2f",
        api_secret="cs_0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6",
    )


@pytest.fixture
def woo_post(woo_shop: ShopConnection, client: Client) -> Post:
    """POST a payload to the store's WooCommerce webhook with the headers WooCommerce
    sends (WC_Webhook::deliver), signed unless told otherwise."""
    deliveries = itertools.count(1)

    def send(
        topic: str,
        payload: Any,
        *,
        delivery: str | None = None,
        secret: str = WOO_SECRET,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        body = raw if raw is not None else woo_body(payload)
        resource, _dot, event = topic.partition(".")
        sent = {
            "User-Agent": "WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)",
            "X-WC-Webhook-Source": f"{WOO_SHOP_URL}/",
            "X-WC-Webhook-Topic": topic,
            "X-WC-Webhook-Resource": resource,
            "X-WC-Webhook-Event": event,
            "X-WC-Webhook-Signature": woo_sign(secret, body),
            "X-WC-Webhook-ID": "12",
            "X-WC-Webhook-Delivery-ID": delivery or f"{next(deliveries):032x}",
            **(headers or {}),
        }
        return client.post(
            f"/webhooks/woocommerce/{woo_shop.store.slug}/",
            data=body,
            content_type="application/json",
            headers=sent,
        )

    return send

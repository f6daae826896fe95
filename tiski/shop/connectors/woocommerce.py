"""WooCommerce: its webhooks in, its REST API v3 read for a backfill, and refunds made
through it (woocommerce_refunds.py).

A shop adds webhooks in WooCommerce → Settings → Advanced → Webhooks, with the delivery
URL ``/webhooks/woocommerce/<store slug>/``, API version "WP REST API Integration v3",
and the connection's webhook secret. Each delivery (class-wc-webhook.php, ``deliver``) is
a POST of the resource's REST API JSON with:

* ``X-WC-Webhook-Topic``: "order.updated" and the like (``X-WC-Webhook-Resource`` and
  ``-Event`` are its halves);
* ``X-WC-Webhook-Signature``: base64 of the HMAC-SHA256 of the body under the secret;
* ``X-WC-Webhook-Delivery-ID``: a hash of the webhook's id and the current second;
* ``X-WC-Webhook-ID``, ``X-WC-Webhook-Source`` (the shop's home URL).

No header says when it fired, and nothing signed does either, so a captured webhook
cannot be refused as old: what protects the store is that a replayed order or product is
older than the stored one (STALE, nothing changes) and that a delivery is stored once.

When a webhook is saved, WooCommerce first POSTs ``webhook_id=<id>`` (``deliver_ping``:
unsigned, no topic, form-encoded) and keeps the webhook only if that is answered 200.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar

from tiski.shop.connectors.base import (
    ActionDone,
    BackfillPage,
    ShopAction,
    WebhookMeta,
    WebhookRejected,
    hmac_sha256,
    register,
    same,
)
from tiski.shop.connectors.woocommerce_api import backfill
from tiski.shop.connectors.woocommerce_catalogue import (
    customer_records,
    deleted_records,
    product_records,
)
from tiski.shop.connectors.woocommerce_orders import order_records
from tiski.shop.connectors.woocommerce_refunds import refund
from tiski.shop.models import Platform, ShopConnection
from tiski.shop.records import Record

_PING = re.compile(rb"webhook_id=\d+")
# The entities wp_specialchars_decode( $secret, ENT_QUOTES ) turns back into characters
# before WooCommerce signs: a secret saved through a form may hold them.
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#039;": "'", "&#39;": "'"}

TOPICS: dict[str, Callable[[Any], list[Record]]] = {
    "order.created": order_records,
    "order.updated": order_records,
    # Out of the trash: the whole order again.
    "order.restored": order_records,
    "order.deleted": lambda payload: deleted_records("order", payload),
    "product.created": product_records,
    "product.updated": product_records,
    "product.restored": product_records,
    "product.published": product_records,
    "product.deleted": lambda payload: deleted_records("product", payload),
    "customer.created": customer_records,
    "customer.updated": customer_records,
    "customer.deleted": lambda payload: deleted_records("customer", payload),
}


def sign(secret: str, body: bytes) -> str:
    """The X-WC-Webhook-Signature WooCommerce sends with ``body``."""
    return base64.b64encode(hmac_sha256(secret, body)).decode()


class WooCommerceConnector:
    platform: ClassVar[str] = Platform.WOOCOMMERCE

    def __init__(self, sleep: Callable[[float], None] = time.sleep) -> None:
        # How a backfill or a refund waits between retries (tests put in one that only
        # records).
        self.sleep = sleep

    def is_ping(self, headers: Mapping[str, str], body: bytes) -> bool:
        # Only the ping's body is "webhook_id=<n>"; every delivery's is JSON.
        return _PING.fullmatch(body.strip()) is not None

    def verify(self, connection: ShopConnection, headers: Mapping[str, str], body: bytes) -> None:
        secret = connection.webhook_secret
        if not secret:
            raise WebhookRejected("the connection has no webhook secret")
        given = headers.get("x-wc-webhook-signature", "").strip()
        if not given:
            raise WebhookRejected("X-WC-Webhook-Signature is required")
        decoded = secret
        for entity, character in _ENTITIES.items():
            decoded = decoded.replace(entity, character)
        # Both are checked (no early exit on the first) so the time taken says nothing.
        matches = [same(sign(key, body), given) for key in dict.fromkeys((secret, decoded))]
        if not any(matches):
            raise WebhookRejected("the signature does not match")

    def meta(self, headers: Mapping[str, str], body: bytes) -> WebhookMeta:
        topic = headers.get("x-wc-webhook-topic", "").strip().lower()
        delivery = headers.get("x-wc-webhook-delivery-id", "").strip()[:64]
        if delivery:
            # WooCommerce's delivery id is wp_hash( webhook id . current second ): every
            # delivery of one webhook within a second shares it (a bulk edit of fifty
            # orders, an order and its refund). With the body's digest beside it, those
            # stay fifty deliveries, and a resend of the same bytes is still one.
            delivery = f"{delivery}:{hashlib.sha256(body).hexdigest()[:32]}"
        return WebhookMeta(topic=topic, delivery_id=delivery, triggered_at=None)

    def handles(self, topic: str) -> bool:
        return topic in TOPICS

    def records(
        self,
        topic: str,
        payload: Any,
        meta: WebhookMeta,
        connection: ShopConnection | None = None,
    ) -> list[Record]:
        return TOPICS[topic](payload)

    def backfill(self, connection: ShopConnection) -> Iterator[BackfillPage]:
        return backfill(connection, sleep=self.sleep)

    def perform(self, connection: ShopConnection, action: ShopAction) -> ActionDone:
        return refund(connection, action, sleep=self.sleep)


connector = register(WooCommerceConnector())

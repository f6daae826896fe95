"""Tiski's own webhook format, for any shop platform and for a shop's own code.

A webhook is a POST of JSON (one object, or a list of them, shaped as in
:mod:`tiski.shop.schemas`) to ``/webhooks/generic/<store slug>/`` with:

* ``X-Tiski-Topic``: what the body holds (see TOPICS);
* ``X-Tiski-Delivery``: the sender's id of this delivery; a delivery sent twice is
  stored once;
* ``X-Tiski-Timestamp``: Unix seconds when it was signed;
* ``X-Tiski-Signature``: ``sha256=`` and the hex HMAC-SHA256, under the connection's
  webhook secret, of ``<timestamp>.<body>``.

A signature older than five minutes is refused, so a captured webhook cannot be
replayed later. See docs/shop.md for examples.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ValidationError

from tiski.shop.connectors.base import (
    ActionDone,
    ActionNotSupported,
    BackfillPage,
    MalformedPayload,
    ShopAction,
    WebhookMeta,
    WebhookRejected,
    hmac_sha256,
    register,
    same,
)
from tiski.shop.models import Platform, ShopConnection
from tiski.shop.records import Deleted, Record
from tiski.shop.schemas import (
    CartIn,
    CustomerIn,
    DeletedIn,
    FulfillmentIn,
    InventoryIn,
    OrderIn,
    ProductIn,
    RefundIn,
)

# How old a signature may be: enough for a queue's retry, not for a replay next week.
MAX_AGE_SECONDS = 300
# At most this many records in one webhook.
MAX_RECORDS = 500

TOPICS: dict[str, type[Schema]] = {
    "orders/upsert": OrderIn,
    "customers/upsert": CustomerIn,
    "products/upsert": ProductIn,
    "inventory/set": InventoryIn,
    "fulfillments/upsert": FulfillmentIn,
    "refunds/create": RefundIn,
    "carts/upsert": CartIn,
    "orders/delete": DeletedIn,
    "products/delete": DeletedIn,
    "customers/delete": DeletedIn,
}


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The X-Tiski-Signature value for ``body`` signed at ``timestamp``."""
    return "sha256=" + hmac_sha256(secret, str(timestamp).encode() + b"." + body).hex()


class GenericConnector:
    platform: ClassVar[str] = Platform.GENERIC

    def is_ping(self, headers: Mapping[str, str], body: bytes) -> bool:
        return False

    def verify(self, connection: ShopConnection, headers: Mapping[str, str], body: bytes) -> None:
        if not connection.webhook_secret:
            raise WebhookRejected("the connection has no webhook secret")
        stamp = headers.get("x-tiski-timestamp", "")
        given = headers.get("x-tiski-signature", "")
        if not stamp.isdigit() or not given:
            raise WebhookRejected("X-Tiski-Timestamp and X-Tiski-Signature are required")
        if abs(time.time() - int(stamp)) > MAX_AGE_SECONDS:
            raise WebhookRejected("the signature is too old (or the sender's clock is wrong)")
        if not same(sign(connection.webhook_secret, body, int(stamp)), given):
            raise WebhookRejected("the signature does not match")

    def meta(self, headers: Mapping[str, str], body: bytes) -> WebhookMeta:
        stamp = headers.get("x-tiski-timestamp", "")
        return WebhookMeta(
            topic=headers.get("x-tiski-topic", "").strip().lower(),
            delivery_id=headers.get("x-tiski-delivery", "").strip()[:100],
            triggered_at=datetime.fromtimestamp(int(stamp), UTC) if stamp.isdigit() else None,
        )

    def handles(self, topic: str) -> bool:
        return topic in TOPICS

    def records(
        self,
        topic: str,
        payload: Any,
        meta: WebhookMeta,
        connection: ShopConnection | None = None,
    ) -> list[Record]:
        items = payload if isinstance(payload, list) else [payload]
        if len(items) > MAX_RECORDS:
            raise MalformedPayload(f"at most {MAX_RECORDS} records in one webhook")
        schema = TOPICS[topic]
        try:
            parsed = [schema.model_validate(item) for item in items]
        except ValidationError as exc:
            raise MalformedPayload(_describe(exc)) from exc
        if schema is DeletedIn:
            kind = topic.split("/", 1)[0].removesuffix("s")
            return [Deleted(kind, item.id) for item in parsed]  # type: ignore[attr-defined]
        return [item.record() for item in parsed]  # type: ignore[attr-defined]

    def perform(self, connection: ShopConnection, action: ShopAction) -> ActionDone:
        # Tiski cannot reach into a shop it only hears from: the shop's staff do it, and
        # send the result back (refunds/create) like any other record.
        raise ActionNotSupported(
            _("Tiski cannot act on this shop's platform: do it in the shop itself.")
        )

    def backfill(self, connection: ShopConnection) -> Iterator[BackfillPage]:
        # Tiski's own format is pushed, never pulled: a shop sends its past orders to the
        # REST API (POST /api/v1/shop/records) like its new ones.
        return iter(())


def _describe(exc: ValidationError) -> str:
    """The first few problems, where they are: enough to fix the sender."""
    problems = [
        f"{'.'.join(str(part) for part in error['loc']) or 'body'}: {error['msg']}"
        for error in exc.errors()[:5]
    ]
    return "; ".join(problems)


connector = register(GenericConnector())

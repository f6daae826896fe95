"""Shopify: webhooks in (https://shopify.dev/docs/apps/build/webhooks), a backfill and
refunds through the Admin GraphQL API.

Set up in the shop's admin (or by the app): webhooks of the topics in TOPICS, JSON, to
``/webhooks/shopify/<store slug>/``. The connection holds

* ``shop_url``: the shop's myshopify.com address ("tunturikettu.myshopify.com");
* ``webhook_secret``: the app's client secret (or the secret shown under Settings >
  Notifications > Webhooks), which signs every webhook;
* ``api_key``: an Admin API access token with read_customers, read_products and
  read_orders (read_all_orders for orders older than 60 days), for the backfill, and
  write_orders for refunds (see shopify_refunds). Without one, refunds are done by hand.

A webhook is signed with ``X-Shopify-Hmac-SHA256``: the base64 HMAC-SHA256 of the raw
body under the secret. ``X-Shopify-Webhook-Id`` names the delivery (a retry of it is
stored once) and ``X-Shopify-Triggered-At`` says when Shopify fired it.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

from django.utils.translation import gettext as _

from tiski.shop.connectors.base import (
    ActionDone,
    BackfillPage,
    MalformedPayload,
    ShopAction,
    WebhookMeta,
    WebhookRejected,
    hmac_sha256,
    register,
    same,
)
from tiski.shop.connectors.shopify_backfill import pages
from tiski.shop.connectors.shopify_fields import when
from tiski.shop.connectors.shopify_graphql import AdminClient, Clock, Sleep
from tiski.shop.connectors.shopify_payloads import TOPICS
from tiski.shop.connectors.shopify_refunds import refund
from tiski.shop.models import Platform, ShopConnection
from tiski.shop.records import OrderRecord, Record

__all__ = ["TOPICS", "ShopifyConnector", "admin_order_url", "connector", "sign"]


def sign(secret: str, body: bytes) -> str:
    """The X-Shopify-Hmac-SHA256 value of ``body`` under ``secret``."""
    return base64.b64encode(hmac_sha256(secret, body)).decode()


def shop_handle(shop_url: str) -> str:
    """ "tunturikettu" from "tunturikettu.myshopify.com" (or from a URL of it); "" for an
    address that does not name the shop's handle (a custom domain, a local stand-in)."""
    given = shop_url.strip()
    host = (urlsplit(given if "://" in given else f"https://{given}").hostname or "").lower()
    if host.endswith(".myshopify.com"):
        return host.removesuffix(".myshopify.com")
    if host and "." not in host and ":" not in host and host != "localhost":
        return host  # the handle alone
    return ""


def admin_order_url(connection: ShopConnection, external_id: str, number: str) -> str:
    """Where an agent opens the order in the shop's admin: the connection's own template
    ("{id}" and "{number}" filled in), else Shopify's admin address of the order."""
    if connection.admin_order_url:
        return connection.admin_order_url.replace("{id}", quote(external_id, safe="")).replace(
            "{number}", quote(number, safe="")
        )
    handle = shop_handle(connection.shop_url)
    if not handle:
        return ""
    return f"https://admin.shopify.com/store/{quote(handle, safe='')}/orders/{quote(external_id)}"


class ShopifyConnector:
    platform: ClassVar[str] = Platform.SHOPIFY

    def __init__(self, *, sleep: Sleep = time.sleep, clock: Clock = time.monotonic) -> None:
        # Tests replace these to see (and skip) the Admin API client's waits.
        self.sleep = sleep
        self.clock = clock

    def is_ping(self, headers: Mapping[str, str], body: bytes) -> bool:
        return False

    def verify(self, connection: ShopConnection, headers: Mapping[str, str], body: bytes) -> None:
        if not connection.webhook_secret:
            raise WebhookRejected(_("the connection has no webhook secret"))
        given = headers.get("x-shopify-hmac-sha256", "").strip()
        if not given:
            raise WebhookRejected(_("X-Shopify-Hmac-SHA256 is required"))
        if not same(sign(connection.webhook_secret, body), given):
            raise WebhookRejected(_("the signature does not match"))

    def meta(self, headers: Mapping[str, str], body: bytes) -> WebhookMeta:
        return WebhookMeta(
            topic=headers.get("x-shopify-topic", "").strip().lower(),
            delivery_id=headers.get("x-shopify-webhook-id", "").strip()[:100],
            triggered_at=when(headers.get("x-shopify-triggered-at")),
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
        """The records of one webhook. ``connection``, when the caller has it, fills in
        each order's address in the shop's admin."""
        if not isinstance(payload, dict):
            raise MalformedPayload(
                _("The Shopify %(topic)s payload is not a JSON object.") % {"topic": topic}
            )
        found = TOPICS[topic](payload, meta)
        if connection is None:
            return found
        return [
            replace(
                record, admin_url=admin_order_url(connection, record.external_id, record.number)
            )
            if isinstance(record, OrderRecord)
            else record
            for record in found
        ]

    def backfill(self, connection: ShopConnection) -> Iterator[BackfillPage]:
        client = AdminClient(connection, sleep=self.sleep, clock=self.clock)

        def admin_url(external_id: str, number: str) -> str:
            return admin_order_url(connection, external_id, number)

        state = connection.backfill_state
        return pages(client, dict(state) if isinstance(state, dict) else {}, admin_url)

    def perform(self, connection: ShopConnection, action: ShopAction) -> ActionDone:
        return refund(connection, action, sleep=self.sleep, clock=self.clock)


connector = register(ShopifyConnector())

"""What every shop connector does, whatever the platform.

A connector

* checks that a webhook really comes from the shop (``verify``) and reads what the
  platform says about it in its headers (``meta``: topic, delivery id, when it fired);
* turns a webhook's JSON into records (``records``), or says the topic is not one Tiski
  uses (``handles``);
* reads the shop's past orders, customers and products for a new connection
  (``backfill``, a generator of record batches);
* performs what an agent asks of the shop (``perform``: a refund, later an exchange)
  where the platform allows it.

Connectors hold no state: the store's :class:`~tiski.shop.models.ShopConnection` has
the addresses and secrets.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from tiski.shop.models import ShopConnection
from tiski.shop.records import Record


class WebhookRejected(Exception):
    """The webhook is not the shop's (a missing or wrong signature): 401, nothing stored."""


class MalformedPayload(ValueError):
    """The body is not what the topic promises (not JSON, fields missing): stored as failed,
    answered 400, the message says why."""


@dataclass(frozen=True)
class BackfillPage:
    """One page of a backfill: its records, and where the next page starts (saved with
    the page, so an interrupted backfill resumes there)."""

    records: list[Record]
    state: dict[str, Any]


class BackfillFailed(Exception):
    """The shop's API refused or failed for good (wrong credentials, a 4xx): the message
    says why, in a form an admin can act on."""


@dataclass(frozen=True)
class RefundRequest:
    """Give a customer money back for (some of) an order, through the shop's platform.

    ``lines``: (the order line's external id, quantity) being refunded; ``amount``: the
    money, in the order's currency, that goes back to the original payment (refunds go
    to the original payment method, as EU consumer law has it). ``key`` makes it
    idempotent: the same key never refunds twice (a return's number, say).
    """

    order_external_id: str
    amount: Decimal
    currency: str
    key: str
    lines: tuple[tuple[str, int], ...] = ()
    restock: bool = False
    note: str = ""
    notify_customer: bool = True


ShopAction = RefundRequest


@dataclass(frozen=True)
class ActionDone:
    """What the platform did: its id of the result (the refund), and the records that say
    so, stored like a webhook's (the refund on the order)."""

    external_id: str
    records: list[Record]


class ActionNotSupported(Exception):
    """The platform (or this connection) cannot do it through its API: the shop does it
    by hand, and Tiski records that it is to be done. The message says why."""


class ActionFailed(Exception):
    """The platform refused or failed (a declined refund, a wrong amount, no access): the
    message says why, in words a shop admin can act on. Nothing was done."""


@dataclass(frozen=True)
class WebhookMeta:
    topic: str
    delivery_id: str = ""
    triggered_at: datetime | None = None


class Connector(Protocol):
    platform: ClassVar[str]

    def is_ping(self, headers: Mapping[str, str], body: bytes) -> bool:
        """A platform's "is this address alive?" call (WooCommerce sends one when a
        webhook is created): answered 200, nothing stored."""
        ...

    def verify(self, connection: ShopConnection, headers: Mapping[str, str], body: bytes) -> None:
        """Raise WebhookRejected unless the body is signed with the connection's secret."""
        ...

    def meta(self, headers: Mapping[str, str], body: bytes) -> WebhookMeta: ...

    def handles(self, topic: str) -> bool: ...

    def records(
        self,
        topic: str,
        payload: Any,
        meta: WebhookMeta,
        connection: ShopConnection | None = None,
    ) -> list[Record]:
        """The records of one webhook (raise MalformedPayload when they can't be read).
        ``connection``, when the caller has it, gives addresses the payload lacks (the
        shop's admin)."""
        ...

    def backfill(self, connection: ShopConnection) -> Iterator[BackfillPage]:
        """The shop's customers, products and orders, a page at a time, starting where
        ``connection.backfill_state`` says (empty: from the beginning). Retries what the
        platform asks to be retried (rate limits, 5xx) by itself; raises BackfillFailed
        when it cannot go on."""
        ...

    def perform(self, connection: ShopConnection, action: ShopAction) -> ActionDone:
        """Do ``action`` in the shop through its API. Raises ActionNotSupported when the
        platform (or the connection's credentials) cannot, ActionFailed when it tried
        and the shop refused; done once per ``action.key`` even when asked again."""
        ...


_CONNECTORS: dict[str, Connector] = {}


def register(connector: Connector) -> Connector:
    _CONNECTORS[connector.platform] = connector
    return connector


def connector_for(platform: str) -> Connector:
    """The connector of ``platform`` (a Platform value); KeyError for any other."""
    if platform not in _CONNECTORS:
        # Each connector's module registers it when first imported.
        importlib.import_module(f"tiski.shop.connectors.{platform}")
    return _CONNECTORS[platform]


def hmac_sha256(secret: str, body: bytes) -> bytes:
    return hmac.new(secret.encode(), body, hashlib.sha256).digest()


def same(expected: bytes | str, given: bytes | str) -> bool:
    """Compare signatures in constant time."""
    left = expected.encode() if isinstance(expected, str) else expected
    right = given.encode() if isinstance(given, str) else given
    return hmac.compare_digest(left, right)

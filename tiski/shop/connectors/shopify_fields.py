"""Reading Shopify's values, whichever API they come from: ids, amounts, times, statuses.

Shopify's payloads grow new fields with every API version and leave old ones null, so
every reader here takes whatever it is given and returns a usable value: a missing or
null field is empty, never an exception. Only what a record cannot exist without (its
id, when an order was placed) raises MalformedPayload, from the callers.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from tiski.shop.connectors.base import MalformedPayload
from tiski.shop.models import FinancialStatus, FulfillmentStatus, ShipmentStatus

CENT = Decimal("0.01")


def obj(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def objs(value: Any) -> list[dict[str, Any]]:
    """The JSON objects of a list (anything else in it is skipped)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def ident(value: Any) -> str:
    """A Shopify id as text: 820982911946154508, "820982911946154508" or the GraphQL
    "gid://shopify/Order/820982911946154508" all give "820982911946154508", so records
    read from webhooks and from the GraphQL API name the same rows."""
    if isinstance(value, bool) or value is None:
        return ""
    found = str(value).strip()
    if found.startswith("gid://"):
        found = found.rsplit("/", 1)[-1].split("?", 1)[0]
    return found[:100]


def require_id(payload: dict[str, Any], what: str, key: str = "id") -> str:
    found = ident(payload.get(key))
    if not found:
        raise MalformedPayload(
            _("The Shopify %(what)s has no %(key)s.") % {"what": what, "key": key}
        )
    return found


def text(value: Any) -> str:
    return "" if value is None or isinstance(value, dict | list) else str(value)


def amount(value: Any, field: str = "amount") -> Decimal:
    """An amount: Shopify sends "89.99", 89.99 (refund lines) or null."""
    if value is None or value == "":
        return Decimal("0")
    if isinstance(value, bool | dict | list):
        raise MalformedPayload(_("%(field)s is not an amount.") % {"field": field})
    try:
        # str() first: a float such as 89.99 must become Decimal("89.99"), not its
        # binary approximation.
        found = Decimal(str(value).strip())
    except InvalidOperation:
        raise MalformedPayload(
            _("%(field)s is not an amount: %(value)s") % {"field": field, "value": value}
        ) from None
    if not found.is_finite():
        raise MalformedPayload(_("%(field)s is not an amount.") % {"field": field})
    return found.quantize(CENT)


def shop_money(value: Any, field: str) -> Decimal:
    """The shop-currency amount of a REST "price set" or a GraphQL "MoneyBag"."""
    bag = obj(value)
    money = obj(bag.get("shop_money") or bag.get("shopMoney"))
    return amount(money.get("amount"), field)


def count(value: Any) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def when(value: Any) -> datetime | None:
    """An aware time from Shopify's ISO 8601 text ("2021-12-31T19:00:00-05:00",
    "2025-07-10T16:15:47.000000Z"); None when missing or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        found = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)


def day(value: Any) -> date | None:
    found = when(value)
    if found is not None:
        return found.date()
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def full_name(person: dict[str, Any]) -> str:
    first = text(person.get("first_name") or person.get("firstName")).strip()
    last = text(person.get("last_name") or person.get("lastName")).strip()
    return f"{first} {last}".strip()


def tags(value: Any) -> tuple[str, ...]:
    """REST sends "a, b", GraphQL ["a", "b"]."""
    parts = value if isinstance(value, list) else text(value).split(",")
    return tuple(tag for tag in (text(part).strip()[:100] for part in parts) if tag)[:100]


# REST address keys; GraphQL's MailingAddress spells them in camelCase.
_ADDRESS = {
    "first_name": "firstName",
    "last_name": "lastName",
    "name": "name",
    "company": "company",
    "address1": "address1",
    "address2": "address2",
    "city": "city",
    "province": "province",
    "province_code": "provinceCode",
    "zip": "zip",
    "country": "country",
    "country_code": "countryCodeV2",
    "phone": "phone",
}


def address(value: Any) -> dict[str, str]:
    """An address in one shape whichever API it came from, without Shopify's extras
    (coordinates and the like), so a webhook and a backfill store the same thing."""
    found = obj(value)
    shaped = {key: text(found.get(key, found.get(camel))) for key, camel in _ADDRESS.items()}
    return {key: value for key, value in shaped.items() if value}


_FINANCIAL = {
    "pending": FinancialStatus.PENDING,
    "authorized": FinancialStatus.AUTHORIZED,
    "partially_paid": FinancialStatus.PARTIALLY_PAID,
    "paid": FinancialStatus.PAID,
    "partially_refunded": FinancialStatus.PARTIALLY_REFUNDED,
    "refunded": FinancialStatus.REFUNDED,
    "voided": FinancialStatus.VOIDED,
    # An authorisation that ran out before it was captured: no money was taken.
    "expired": FinancialStatus.VOIDED,
}


def financial_status(value: Any) -> str:
    return _FINANCIAL.get(text(value).lower(), FinancialStatus.PENDING).value


_FULFILLMENT = {
    "fulfilled": FulfillmentStatus.FULFILLED,
    "partial": FulfillmentStatus.PARTIAL,
    "partially_fulfilled": FulfillmentStatus.PARTIAL,
    "restocked": FulfillmentStatus.RESTOCKED,
}


def fulfillment_status(value: Any) -> str:
    """null (REST) and every "not shipped yet" state (GraphQL's UNFULFILLED, ON_HOLD,
    IN_PROGRESS, SCHEDULED, ...) are unfulfilled."""
    return _FULFILLMENT.get(text(value).lower(), FulfillmentStatus.UNFULFILLED).value


# The carrier's word on a shipment (REST shipment_status, GraphQL displayStatus).
_SHIPMENT = {
    "label_printed": ShipmentStatus.LABEL_PRINTED,
    "label_purchased": ShipmentStatus.LABEL_PRINTED,
    # The carrier knows of the parcel but has not picked it up.
    "confirmed": ShipmentStatus.LABEL_PRINTED,
    "in_transit": ShipmentStatus.IN_TRANSIT,
    "out_for_delivery": ShipmentStatus.OUT_FOR_DELIVERY,
    "attempted_delivery": ShipmentStatus.ATTEMPTED_DELIVERY,
    "ready_for_pickup": ShipmentStatus.READY_FOR_PICKUP,
    "picked_up": ShipmentStatus.DELIVERED,
    "delivered": ShipmentStatus.DELIVERED,
    "failure": ShipmentStatus.FAILURE,
    "not_delivered": ShipmentStatus.FAILURE,
    "canceled": ShipmentStatus.CANCELLED,
    "cancelled": ShipmentStatus.CANCELLED,
    "label_voided": ShipmentStatus.PENDING,
    "submitted": ShipmentStatus.PENDING,
    # Shipped without carrier updates: handed over, so on its way.
    "fulfilled": ShipmentStatus.IN_TRANSIT,
    "marked_as_fulfilled": ShipmentStatus.IN_TRANSIT,
}


def shipment_status(status: Any, carrier_status: Any) -> str:
    """A shipment's status from the fulfillment's own status ("pending", "open",
    "success", "cancelled", "error", "failure") and the carrier's."""
    own = text(status).lower()
    if own in ("cancelled", "canceled"):
        return ShipmentStatus.CANCELLED.value
    if own in ("error", "failure"):
        return ShipmentStatus.FAILURE.value
    found = _SHIPMENT.get(text(carrier_status).lower())
    if found is not None:
        return found.value
    if own == "success":
        return ShipmentStatus.IN_TRANSIT.value
    return ShipmentStatus.PENDING.value


# Refund lines put back in stock; "no_restock" (and anything unknown) is not.
RESTOCKED = {"return", "cancel", "legacy_restock"}


# The last line of the note of a refund Tiski asked for: the refund's key, so asking
# again finds the refund Shopify made (see shopify_refunds). Shopify shows a refund's
# note to the shop's staff only.
_MARKER = "[Tiski: {key}]"
_MARKED = re.compile(r"\n*\[Tiski: [^\n]*\]\Z")


def marked_note(note: str, key: str) -> str:
    """``note`` with the marker of ``key`` as its last line."""
    marker = _MARKER.format(key=" ".join(key.split()))
    return f"{note.rstrip()}\n\n{marker}" if note.strip() else marker


def has_marker(note: Any, key: str) -> bool:
    lines = text(note).rstrip().splitlines()
    return bool(lines) and lines[-1] == _MARKER.format(key=" ".join(key.split()))


def refund_note(value: Any) -> str:
    """A refund's note without Tiski's marker: what the agent wrote."""
    return _MARKED.sub("", text(value).rstrip())

"""Customers reading their own orders without an agent: by order number and email (the
public status page and the chat widget), or, signed in at the shop, their recent orders.

Reads only. The one thing a lookup writes is its failure counters (in the cache), so a
guess at someone's number or address is stopped after a few tries. What a customer sees
is ``CustomerOrder``: never the addresses, the customer's name or the shop's notes.
"""

from __future__ import annotations

import hashlib
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.formats import date_format

from tiski.contacts.identities import normalize_identity
from tiski.contacts.models import ContactIdentity, IdentityKind
from tiski.core.html import web_url
from tiski.core.ratelimit import count_failures, failures_exceeded
from tiski.shop.display import OrderSummary, money, summarize
from tiski.shop.models import Order, ShipmentStatus
from tiski.shop.queries import find_order, normalize_number, with_details
from tiski.stores.models import Store

# Failed lookups allowed within LOOKUP_WINDOW seconds: from one address (a person
# mistyping, a family behind one router), for one email address and for one order
# number (a guess spread over many addresses).
LOOKUP_WINDOW = 15 * 60
FAILURES_PER_ADDRESS = 10
FAILURES_PER_EMAIL = 5
FAILURES_PER_NUMBER = 5
# A signed-in customer sees this many of their newest orders.
RECENT_ORDERS = 5
MAX_NUMBER = 50
MAX_EMAIL = 254


class Found(Enum):
    ORDER = "order"
    NOTHING = "nothing"
    LIMITED = "limited"


@dataclass(frozen=True)
class Lookup:
    found: Found
    order: Order | None = None


def clean_lookup(number: object, email: object) -> tuple[str, str] | None:
    """The number and address as typed, if they can name an order at all; else None."""
    if not isinstance(number, str) or not isinstance(email, str):
        return None
    number, email = number.strip(), email.strip()
    if not normalize_number(number) or len(number) > MAX_NUMBER or len(email) > MAX_EMAIL:
        return None
    try:
        validate_email(email)
    except ValidationError:
        return None
    return number, email


def _digest(value: str) -> str:
    # Cache keys name no one: a hash of what was typed, not the address itself.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _limits(store: Store, number: str, email: str, client: str) -> dict[str, int]:
    return {
        f"order-lookup:address:{_digest(client)}": FAILURES_PER_ADDRESS,
        f"order-lookup:email:{store.pk}:{_digest(email.strip().lower())}": FAILURES_PER_EMAIL,
        f"order-lookup:number:{store.pk}:{_digest(normalize_number(number))}": FAILURES_PER_NUMBER,
    }


def lookup_order(store: Store, number: str, email: str, *, client: str) -> Lookup:
    """The store's order with this number and email, for the customer who typed them.

    ``client`` is the caller's network address. Over a limit nothing is looked up. A
    wrong email and an unknown number are one answer, reached by one query, and both
    count as a failure against the address, the email and the number.
    """
    limits = _limits(store, number, email, client)
    if failures_exceeded(limits):
        return Lookup(Found.LIMITED)
    order = find_order(store, number, email)
    if order is None:
        count_failures(limits, LOOKUP_WINDOW)
        return Lookup(Found.NOTHING)
    return Lookup(Found.ORDER, with_details(Order.objects.filter(pk=order.pk)).get())


def customer_orders(store: Store, customer_id: str, limit: int = RECENT_ORDERS) -> list[Order]:
    """The newest orders the shop placed for its customer ``customer_id`` in this store.

    Only what the shop itself said counts: the order's customer id, which the shop
    sent with the order, and the customer id the shop signed for the chat. The contact
    is not enough on its own: a signed identity's email is not signed, and a contact
    found through it may be someone else's. Guest orders (no customer id) are left out
    for the same reason; the number-and-email lookup finds them.
    """
    try:
        value = normalize_identity(IdentityKind.SHOP_CUSTOMER, customer_id, country=store.country)
    except ValidationError:
        return []
    contact_id = (
        ContactIdentity.objects.filter(store=store, kind=IdentityKind.SHOP_CUSTOMER, value=value)
        .values_list("contact_id", flat=True)
        .first()
    )
    if contact_id is None:
        return []
    # The contact's index finds the rows; the customer id keeps them the customer's.
    newest = Order.objects.filter(
        store=store, contact_id=contact_id, customer_external_id=value[:100]
    ).order_by("-placed_at", "-id")
    return list(with_details(newest[:limit]))


# --- what the customer sees ---------------------------------------------------------------


@dataclass(frozen=True)
class CustomerItem:
    title: str
    variant: str
    quantity: int
    total: str


@dataclass(frozen=True)
class CustomerParcel:
    carrier: str
    tracking_number: str
    tracking_url: str  # http(s) only, else ""
    status: str
    status_label: str
    expected: str  # a date in the reader's language, or ""
    delivered: str
    items: list[CustomerItem]


@dataclass(frozen=True)
class CustomerOrder:
    """An order as its customer reads it, every text in the active language."""

    number: str
    status: str  # one of display.STATUSES
    status_label: str
    placed: str
    placed_at: str  # ISO 8601
    items: list[CustomerItem]
    subtotal: str
    discount: str  # "" when there is none; likewise shipping and refunded
    shipping: str
    total: str
    refunded: str
    expected: str
    parcels: list[CustomerParcel]
    url: str  # the order at the shop, http(s) only, or ""


def _day(value: date | datetime | None, zone: zoneinfo.ZoneInfo) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value, zone).date()
    return date_format(value, "SHORT_DATE_FORMAT")


def _amount(amount: Decimal, currency: str) -> str:
    return money(amount, currency) if amount else ""


def for_customer(order: Order, zone: zoneinfo.ZoneInfo) -> CustomerOrder:
    """``order`` (with details, ``queries.with_details``) in the active language, its
    dates in ``zone`` (the store's)."""
    summary: OrderSummary = summarize(order)
    currency = order.currency
    return CustomerOrder(
        number=summary.number,
        status=summary.status,
        status_label=summary.status_label,
        placed=_day(summary.placed_at, zone),
        placed_at=summary.placed_at.isoformat(),
        items=[
            CustomerItem(item.title, item.variant, item.quantity, item.total)
            for item in summary.items
        ],
        subtotal=_amount(order.subtotal, currency),
        discount=_amount(order.discount_total, currency),
        shipping=_amount(order.shipping_total, currency),
        total=summary.total,
        refunded=summary.refunded,
        expected=_day(summary.expected, zone),
        parcels=[
            CustomerParcel(
                carrier=parcel.carrier,
                tracking_number=parcel.tracking_number,
                tracking_url=web_url(parcel.tracking_url),
                status=parcel.status,
                status_label=parcel.status_label,
                expected=""
                if parcel.delivered_at or parcel.status == ShipmentStatus.DELIVERED
                else _day(parcel.estimated_delivery, zone),
                delivered=_day(parcel.delivered_at, zone),
                items=[CustomerItem(title, "", quantity, "") for title, quantity in parcel.items],
            )
            for parcel in summary.parcels
        ],
        url=web_url(order.status_url),
    )


def store_zone(store: Store) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(store.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")

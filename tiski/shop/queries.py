"""Reads of orders: a contact's orders for the sidebar, and finding an order by number."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from tiski.contacts.models import Contact
from tiski.shop.models import Fulfillment, Order, OrderLine, Refund
from tiski.stores.models import Store

# The sidebar shows this many; the rest are a link away in the shop's admin.
SIDEBAR_ORDERS = 5


def with_details(orders: QuerySet[Order]) -> QuerySet[Order]:
    """Orders with their lines, shipments (and what each carries) and refunds, in four
    queries whatever their number."""
    return orders.prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("position", "id")),
        Prefetch(
            "fulfillments",
            queryset=Fulfillment.objects.order_by("shipped_at", "id").prefetch_related(
                "lines__line"
            ),
        ),
        Prefetch("refunds", queryset=Refund.objects.order_by("refunded_at", "id")),
    )


def contact_orders(contact: Contact, limit: int = SIDEBAR_ORDERS) -> list[Order]:
    """The contact's newest orders, with everything the sidebar shows."""
    newest = Order.objects.filter(contact=contact).order_by("-placed_at", "-id")[:limit]
    return list(with_details(newest))


def order_count(contact: Contact) -> int:
    return Order.objects.filter(contact=contact).count()


# How customers write an order number: "#10234", "10234", "nr 10234", "10 234".
_NUMBER = re.compile(r"[#\s]|nr\.?|no\.?", re.IGNORECASE)


def normalize_number(number: str) -> str:
    """An order number as stored (``Order.number``): no "#", spaces or "nr"."""
    return _NUMBER.sub("", number.strip())[:50]


def find_order(store: Store, number: str, email: str) -> Order | None:
    """The store's order with this number placed with this email address, or None.

    Both must match (case and spaces aside): knowing a number is not enough to read
    someone's order, and the answer for a wrong pair is the same as for no order.
    """
    wanted = normalize_number(number)
    address = email.strip().lower()
    if not wanted or "@" not in address:
        return None
    found = (
        Order.objects.filter(store=store, number=wanted, email=address)
        .order_by("-placed_at", "-id")
        .first()
    )
    return found


def orders_by_number(store: Store, numbers: Iterable[str]) -> dict[str, Order]:
    """The store's orders among ``numbers`` (normalised), newest first when a number is
    used twice (a shop that restarted its numbering)."""
    wanted = {normalize_number(n) for n in numbers} - {""}
    if not wanted:
        return {}
    found: dict[str, Order] = {}
    for order in Order.objects.filter(store=store, number__in=wanted).order_by("-placed_at", "-id"):
        found.setdefault(order.number, order)
    return found

"""How an order reads, to an agent and to its customer: one status in words, what was
bought, where the parcels are and when they should arrive.

Words come from the models' choices (translated), chosen in the active language, so the
same summary serves the sidebar (the agent's language) and the customer (theirs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from tiski.shop.models import (
    FinancialStatus,
    FulfillmentStatus,
    Order,
    ShipmentStatus,
)


@dataclass(frozen=True)
class Parcel:
    carrier: str
    tracking_number: str
    tracking_url: str
    status: str  # a ShipmentStatus value
    status_label: str
    shipped_at: datetime | None
    estimated_delivery: date | None
    delivered_at: datetime | None
    items: list[tuple[str, int]]  # (title, quantity)


@dataclass(frozen=True)
class Item:
    title: str
    variant: str
    sku: str
    quantity: int
    total: str


@dataclass(frozen=True)
class OrderSummary:
    order: Order
    number: str
    status: str  # one of STATUSES
    status_label: str
    placed_at: datetime
    total: str
    refunded: str
    items: list[Item]
    parcels: list[Parcel]
    expected: date | None


# The one word for where an order is, most decisive first.
STATUSES = (
    "cancelled",
    "refunded",
    "delivered",
    "partly_delivered",
    "on_its_way",
    "partly_shipped",
    "awaiting_payment",
    "being_prepared",
)


def status_label(status: str) -> str:
    labels = {
        "cancelled": _("Cancelled"),
        "refunded": _("Refunded"),
        "delivered": _("Delivered"),
        "partly_delivered": _("Partly delivered"),
        "on_its_way": _("On its way"),
        "partly_shipped": _("Partly shipped"),
        "awaiting_payment": _("Awaiting payment"),
        "being_prepared": _("Being prepared"),
    }
    return labels[status]


def money(amount: Decimal, currency: str) -> str:
    """An amount as the active language writes it: "129,90 €", "€129.90"."""
    value = number_format(amount, decimal_pos=2, force_grouping=True)
    symbol = {"EUR": "€", "PLN": "zł", "SEK": "kr", "USD": "$", "GBP": "£"}.get(currency)
    if symbol is None:
        return f"{value} {currency}"
    return f"{symbol}{value}" if symbol in "$£" else f"{value} {symbol}"


def order_status(order: Order) -> str:
    """One of STATUSES. Needs the order's fulfillments (prefetched for many orders)."""
    if order.cancelled_at is not None:
        return "cancelled"
    if order.financial_status == FinancialStatus.REFUNDED:
        return "refunded"
    parcels = [f for f in order.fulfillments.all() if f.status != ShipmentStatus.CANCELLED]
    delivered = [f for f in parcels if f.status == ShipmentStatus.DELIVERED]
    shipped_all = order.fulfillment_status == FulfillmentStatus.FULFILLED
    if parcels and len(delivered) == len(parcels):
        return "delivered" if shipped_all else "partly_delivered"
    if delivered:
        return "partly_delivered"
    if parcels:
        return "on_its_way" if shipped_all else "partly_shipped"
    if order.fulfillment_status == FulfillmentStatus.PARTIAL:
        return "partly_shipped"
    if order.financial_status in (FinancialStatus.PENDING, FinancialStatus.AUTHORIZED):
        return "awaiting_payment"
    return "being_prepared"


def summarize(order: Order) -> OrderSummary:
    """Everything shown of ``order``; its lines, fulfillments and refunds should be
    prefetched (``queries.with_details``)."""
    status = order_status(order)
    parcels = [
        Parcel(
            carrier=f.carrier,
            tracking_number=f.tracking_number,
            tracking_url=f.tracking_url,
            status=f.status,
            status_label=str(ShipmentStatus(f.status).label)
            if f.status in ShipmentStatus.values
            else f.status,
            shipped_at=f.shipped_at,
            estimated_delivery=f.estimated_delivery,
            delivered_at=f.delivered_at,
            items=[(shipped.line.title, shipped.quantity) for shipped in f.lines.all()],
        )
        for f in order.fulfillments.all()
        if f.status != ShipmentStatus.CANCELLED
    ]
    waiting = [p.estimated_delivery for p in parcels if p.estimated_delivery and not p.delivered_at]
    return OrderSummary(
        order=order,
        number=order.display_number,
        status=status,
        status_label=status_label(status),
        placed_at=order.placed_at,
        total=money(order.total, order.currency),
        refunded=money(order.refunded_total, order.currency) if order.refunded_total else "",
        items=[
            Item(
                title=line.title,
                variant=line.variant_title,
                sku=line.sku,
                quantity=line.quantity,
                total=money(line.total, order.currency),
            )
            for line in order.lines.all()
        ],
        parcels=parcels,
        expected=max(waiting) if waiting else None,
    )


def summary_text(order: Order) -> str:
    """The order in a few plain lines, for an agent to put into a reply (in the active
    language and time zone: activate the conversation's and the store's around the
    call)."""
    summary = summarize(order)
    lines = [
        _("Order %(number)s, placed %(date)s: %(status)s")
        % {
            "number": summary.number,
            # In the active time zone: an order placed just after midnight in Helsinki
            # was placed that day, not the day before in UTC.
            "date": date_format(timezone.localtime(summary.placed_at), "SHORT_DATE_FORMAT"),
            "status": summary.status_label.lower(),
        }
    ]
    lines += [
        f"- {item.quantity} × {item.title}" + (f" ({item.variant})" if item.variant else "")
        for item in summary.items
    ]
    for parcel in summary.parcels:
        lines.append(tracking_text(parcel))
    if summary.expected:
        lines.append(
            _("Expected delivery: %(date)s")
            % {"date": date_format(summary.expected, "SHORT_DATE_FORMAT")}
        )
    return "\n".join(lines)


def tracking_text(parcel: Parcel) -> str:
    """One parcel's carrier, tracking number and link, in a line."""
    who = " ".join(part for part in (parcel.carrier, parcel.tracking_number) if part)
    text = _("Tracking: %(parcel)s") % {"parcel": who or parcel.status_label}
    return f"{text} {parcel.tracking_url}".strip()

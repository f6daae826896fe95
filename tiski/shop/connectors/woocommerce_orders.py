"""A WooCommerce order as Tiski's records: the order, its lines, refunds and shipments.

What WooCommerce does not say is not invented: an order has no "view order" address
Tiski can know (the account page's slug is the shop's choice, and translated); a refund
listed inside an order has no date (a backfill fetches /orders/<id>/refunds for it; a
webhook uses the time the order changed, which is when the refund was made).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import quote

from django.utils.translation import gettext as _

from tiski.core.html import web_url
from tiski.shop.connectors.base import MalformedPayload
from tiski.shop.connectors.woocommerce_json import (
    CENT,
    as_list,
    as_object,
    gmt,
    html_text,
    integer,
    is_id,
    mapping,
    meta_text,
    meta_value,
    money,
    objects,
    person_name,
    record_id,
    text,
    timestamp,
)
from tiski.shop.models import FinancialStatus, FulfillmentStatus, ShipmentStatus
from tiski.shop.records import (
    CustomerRecord,
    FulfillmentRecord,
    LineRecord,
    OrderRecord,
    Record,
    RefundLineRecord,
    RefundRecord,
)

# wc_get_is_paid_statuses(): WooCommerce itself counts these as paid (a cash-on-delivery
# order is "processing" before the money arrives, and the shop treats it as sold).
PAID = {"processing", "completed"}
AWAITING_PAYMENT = {"pending", "on-hold", "failed"}
# "completed" is core; "shipped", "delivered" and "partial-shipped" are the statuses
# the shipment-tracking plugins (Advanced Shipment Tracking and the like) add.
SHIPPED = {"completed", "shipped", "delivered"}
PARTLY_SHIPPED = {"partial-shipped", "partially-shipped"}
# Block checkout's cart in progress: not an order yet (WooCommerce's own webhooks skip it).
DRAFTS = {"checkout-draft", "draft", "auto-draft"}

# Meta keys of the shipment-tracking plugins (WooCommerce Shipment Tracking, Advanced
# Shipment Tracking): a list of {tracking_provider, tracking_number, date_shipped, ...}.
TRACKING_META = "_wc_shipment_tracking_items"
# Advanced Shipment Tracking with TrackShip: one status per tracking item, same order.
TRACKING_STATUS_META = "shipment_status"
TRACKSHIP_STATUSES = {
    "pre_transit": ShipmentStatus.LABEL_PRINTED,
    "in_transit": ShipmentStatus.IN_TRANSIT,
    "out_for_delivery": ShipmentStatus.OUT_FOR_DELIVERY,
    "available_for_pickup": ShipmentStatus.READY_FOR_PICKUP,
    "attempt_fail": ShipmentStatus.ATTEMPTED_DELIVERY,
    "delivered": ShipmentStatus.DELIVERED,
    "failure": ShipmentStatus.FAILURE,
    "exception": ShipmentStatus.FAILURE,
    "return_to_sender": ShipmentStatus.FAILURE,
    "label_cancelled": ShipmentStatus.CANCELLED,
}


@dataclass(frozen=True)
class ShopLinks:
    """Where the shop's admin is. A backfill knows the connection; a webhook knows only
    the payload, whose ``_links`` name the shop's address."""

    shop_url: str = ""
    # The connection's own address for an order, with "{id}" and "{number}" to fill in.
    admin_order_url: str = ""


def order_records(
    payload: Any,
    links: ShopLinks | None = None,
    refunds: list[Mapping[str, Any]] | None = None,
) -> list[Record]:
    """An order (or nothing, for a checkout draft). ``refunds``: the order's refunds as
    /orders/<id>/refunds lists them, which have their dates (the order's own list does not)."""
    order = as_object(payload, _("order"))
    external_id = record_id(order, _("order"))
    status = text(order.get("status")).lower()
    if status in DRAFTS:
        return []
    placed_at = gmt(order.get("date_created_gmt"))
    if placed_at is None:
        raise MalformedPayload(
            _(
                "WooCommerce order %(id)s has no date_created_gmt: edit the webhook in "
                "WooCommerce and choose API version v3."
            )
            % {"id": external_id}
        )
    updated_at = gmt(order.get("date_modified_gmt"))
    paid_at = gmt(order.get("date_paid_gmt"))
    # Customers saw prices with VAT in a shop that shows them so (most of Europe); its
    # staff and its customers talk in those amounts, not in the net ones WooCommerce keeps.
    gross = order.get("prices_include_tax") is True
    lines = tuple(
        _line(item, gross) for item in objects(order.get("line_items")) if is_id(item.get("id"))
    )
    total = money(order.get("total"))
    refund_list = _refunds(order, refunds, updated_at or placed_at, gross)
    refunded = sum((refund.amount for refund in refund_list or ()), Decimal("0"))
    billing = mapping(order.get("billing"))
    shipping = mapping(order.get("shipping"))
    number = text(order.get("number")) or external_id
    return [
        OrderRecord(
            external_id=external_id,
            number=number,
            placed_at=placed_at,
            currency=text(order.get("currency")).upper(),
            total=total,
            customer=_order_customer(order, billing),
            email=text(billing.get("email")),
            phone=text(billing.get("phone")) or text(shipping.get("phone")),
            language=meta_text(order.get("meta_data"), "wpml_language")[:8],
            subtotal=sum((line.total + line.discount_total for line in lines), Decimal("0")),
            discount_total=money(order.get("discount_total"))
            + (money(order.get("discount_tax")) if gross else 0),
            shipping_total=money(order.get("shipping_total"))
            + (money(order.get("shipping_tax")) if gross else 0),
            tax_total=money(order.get("total_tax")),
            financial_status=_payment(status, paid_at, total, refunded),
            fulfillment_status=_shipping(status, gmt(order.get("date_completed_gmt"))),
            paid_at=paid_at,
            # WooCommerce keeps no cancellation time; the order changed when it was cancelled.
            cancelled_at=(updated_at or placed_at) if status == "cancelled" else None,
            closed_at=gmt(order.get("date_completed_gmt")),
            admin_url=_admin_url(order, external_id, number, links),
            shipping_address=_address(shipping),
            billing_address=_address(billing),
            note=text(order.get("customer_note")),
            lines=lines,
            fulfillments=_shipments(order.get("meta_data")),
            refunds=refund_list,
            updated_at=updated_at,
        )
    ]


def _line(item: Mapping[str, Any], gross: bool) -> LineRecord:
    quantity = max(integer(item.get("quantity")) or 0, 0)
    subtotal = money(item.get("subtotal")) + (money(item.get("subtotal_tax")) if gross else 0)
    total = money(item.get("total")) + (money(item.get("total_tax")) if gross else 0)
    product_id = text(item.get("product_id")) if is_id(item.get("product_id")) else ""
    variation_id = text(item.get("variation_id")) if is_id(item.get("variation_id")) else ""
    options = (
        [
            html.unescape(text(meta.get("display_value") or meta.get("value")))
            for meta in objects(item.get("meta_data"))
            if not text(meta.get("key")).startswith("_")
            and isinstance(meta.get("display_value") or meta.get("value"), str)
        ]
        if variation_id
        else []
    )
    return LineRecord(
        external_id=record_id(item, _("order line")),
        title=html_text(item.get("name")) or text(item.get("sku")) or "?",
        quantity=quantity,
        unit_price=(subtotal / quantity).quantize(CENT, ROUND_HALF_UP) if quantity else subtotal,
        total=total,
        discount_total=max(subtotal - total, Decimal("0")),
        variant_title=" / ".join(o for o in options if o),
        sku=text(item.get("sku")),
        product_external_id=product_id,
        variant_external_id=variation_id or product_id,
    )


def _order_customer(order: Mapping[str, Any], billing: Mapping[str, Any]) -> CustomerRecord:
    # customer_id 0 is a guest: known by the billing address alone, still with a name.
    customer_id = order.get("customer_id")
    return CustomerRecord(
        external_id=text(customer_id) if is_id(customer_id) else "",
        email=text(billing.get("email")),
        name=person_name(billing),
        phone=text(billing.get("phone")),
    )


def _payment(status: str, paid_at: datetime | None, total: Decimal, refunded: Decimal) -> str:
    if status == "refunded":
        return FinancialStatus.REFUNDED
    if status in AWAITING_PAYMENT:
        paid = False
    elif status == "cancelled":
        # Cancelled before paying: there is nothing to wait for any more.
        if paid_at is None:
            return FinancialStatus.VOIDED
        paid = True
    else:
        # Core's paid statuses, and any status a plugin added once the money is in.
        paid = status in PAID or paid_at is not None
    if not paid:
        return FinancialStatus.PENDING
    if refunded > 0:
        return FinancialStatus.REFUNDED if refunded >= total else FinancialStatus.PARTIALLY_REFUNDED
    return FinancialStatus.PAID


def _shipping(status: str, completed_at: datetime | None) -> str:
    if status in SHIPPED or (status == "refunded" and completed_at is not None):
        return FulfillmentStatus.FULFILLED
    if status in PARTLY_SHIPPED:
        return FulfillmentStatus.PARTIAL
    return FulfillmentStatus.UNFULFILLED


def _refunds(
    order: Mapping[str, Any],
    detailed: list[Mapping[str, Any]] | None,
    changed_at: datetime,
    gross: bool,
) -> tuple[RefundRecord, ...] | None:
    if detailed is not None:
        return tuple(
            refund_record(refund, changed_at, gross)
            for refund in objects(detailed)
            if is_id(refund.get("id"))
        )
    if "refunds" not in order:
        return None
    # The order's list has an id, a reason and a negative total per refund, no date. A
    # refund is stored once and never changes, and the first webhook that shows it is
    # the one its refund sent (order.updated fires on woocommerce_order_refunded).
    return tuple(
        RefundRecord(
            external_id=record_id(refund, _("refund")),
            amount=abs(money(refund.get("total"))),
            refunded_at=changed_at,
            note=text(refund.get("reason")),
        )
        for refund in objects(order.get("refunds"))
        if is_id(refund.get("id"))
    )


def refund_record(
    refund: Mapping[str, Any], changed_at: datetime, gross: bool, order_external_id: str = ""
) -> RefundRecord:
    """A refund as /orders/<id>/refunds has it (with its date and lines). ``gross``: the
    shop shows prices with VAT (the order's prices_include_tax), and so do its lines'
    refunded amounts."""
    return RefundRecord(
        external_id=record_id(refund, _("refund")),
        amount=abs(money(refund.get("amount"))),
        refunded_at=gmt(refund.get("date_created_gmt")) or changed_at,
        note=text(refund.get("reason")),
        lines=_refund_lines(refund, gross),
        order_external_id=order_external_id,
    )


def _refund_lines(refund: Mapping[str, Any], gross: bool) -> tuple[RefundLineRecord, ...]:
    """A refund's lines name the order line they refund in their _refunded_item_id meta;
    their quantities and amounts are negative."""
    lines = []
    for item in objects(refund.get("line_items")):
        refunded = text(meta_value(item.get("meta_data"), "_refunded_item_id"))
        quantity = abs(integer(item.get("quantity")) or 0)
        if not is_id(refunded) or not quantity:
            continue
        amount = money(item.get("total")) + (money(item.get("total_tax")) if gross else 0)
        lines.append(
            RefundLineRecord(line_external_id=refunded, quantity=quantity, amount=abs(amount))
        )
    return tuple(lines)


def _shipments(meta: Any) -> tuple[FulfillmentRecord, ...] | None:
    """Shipments from the tracking plugins' order meta; None when there is none (the
    payload then says nothing of shipments, and stored ones stay)."""
    items = meta_value(meta, TRACKING_META)
    if items is None:
        return None
    statuses = list(as_list(meta_value(meta, TRACKING_STATUS_META)))
    shipments = []
    for index, item in enumerate(as_list(items)):
        if not isinstance(item, Mapping):
            continue
        number = text(item.get("tracking_number")).strip()
        state = statuses[index] if index < len(statuses) else None
        trackship = text(state.get("status")) if isinstance(state, Mapping) else ""
        shipments.append(
            FulfillmentRecord(
                external_id=text(item.get("tracking_id")) or number or str(index),
                # A tracking number is added when the parcel leaves.
                status=TRACKSHIP_STATUSES.get(trackship, ShipmentStatus.IN_TRANSIT),
                carrier=text(item.get("custom_tracking_provider"))
                or text(item.get("formatted_tracking_provider"))
                or text(item.get("tracking_provider")),
                tracking_number=number,
                tracking_url=web_url(item.get("custom_tracking_link"))
                or web_url(item.get("formatted_tracking_link"))
                or web_url(item.get("ast_tracking_link")),
                shipped_at=timestamp(item.get("date_shipped")),
            )
        )
    return tuple(shipments)


def _admin_url(
    order: Mapping[str, Any], external_id: str, number: str, links: ShopLinks | None
) -> str:
    if links is not None and links.admin_order_url:
        url = links.admin_order_url.replace("{id}", quote(external_id, safe=""))
        return web_url(url.replace("{number}", quote(number, safe="")))
    base = (links.shop_url if links is not None else "") or _shop_url_from_links(order)
    if not base:
        return ""
    # post.php works on every store: with HPOS (orders in their own tables, edited at
    # admin.php?page=wc-orders&action=edit&id=<id>) WooCommerce redirects it there
    # (PostsRedirectionController); the HPOS address leads nowhere on a store without HPOS.
    # A shop that wants the other sets the connection's admin_order_url.
    return web_url(f"{base.rstrip('/')}/wp-admin/post.php?post={external_id}&action=edit")


def _shop_url_from_links(item: Mapping[str, Any]) -> str:
    selves = as_list(mapping(item.get("_links")).get("self"))
    href = text(selves[0].get("href")) if selves and isinstance(selves[0], Mapping) else ""
    for marker in ("/wp-json/", "/?rest_route=", "/index.php?rest_route="):
        if marker in href:
            return web_url(href.split(marker, 1)[0])
    return ""


def _address(address: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in address.items() if isinstance(value, str) and value}

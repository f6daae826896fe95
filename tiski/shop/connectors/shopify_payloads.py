"""Shopify's webhook payloads (REST-shaped JSON) as Tiski's records.

Each reader takes one topic's payload and the webhook's meta. Where a payload has no
``updated_at`` the time Shopify fired the webhook stands in for it, so a late retry of
an old delivery still loses to what is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from tiski.shop.connectors.base import MalformedPayload, WebhookMeta
from tiski.shop.connectors.shopify_fields import (
    RESTOCKED,
    address,
    amount,
    count,
    day,
    financial_status,
    fulfillment_status,
    full_name,
    ident,
    obj,
    objs,
    refund_note,
    require_id,
    shipment_status,
    shop_money,
    tags,
    text,
    when,
)
from tiski.shop.models import ShipmentStatus
from tiski.shop.records import (
    CartRecord,
    CustomerRecord,
    Deleted,
    FulfillmentRecord,
    InventoryRecord,
    LineRecord,
    OrderRecord,
    ProductRecord,
    Record,
    RefundLineRecord,
    RefundRecord,
    VariantRecord,
)

Reader = Callable[[dict[str, Any], WebhookMeta], list[Record]]


def read_order(payload: dict[str, Any], meta: WebhookMeta) -> list[Record]:
    return [order(payload, meta)]


def order(payload: dict[str, Any], meta: WebhookMeta) -> OrderRecord:
    external_id = require_id(payload, "order")
    placed_at = when(payload.get("processed_at")) or when(payload.get("created_at"))
    if placed_at is None:
        raise MalformedPayload(_("The Shopify order has no created_at."))
    updated_at = when(payload.get("updated_at")) or meta.triggered_at
    name = text(payload.get("name"))
    number = ident(payload.get("order_number")) or ident(payload.get("number"))
    customer = obj(payload.get("customer"))
    return OrderRecord(
        external_id=external_id,
        # The number without the shop's prefix and suffix; the name ("#1001") keeps them.
        number=number or name.lstrip("#") or external_id,
        name=name[:60],
        placed_at=placed_at,
        currency=text(payload.get("currency")) or "XXX",
        total=amount(payload.get("total_price"), "total_price"),
        subtotal=amount(payload.get("subtotal_price"), "subtotal_price"),
        discount_total=amount(payload.get("total_discounts"), "total_discounts"),
        shipping_total=shop_money(
            payload.get("total_shipping_price_set"), "total_shipping_price_set"
        ),
        tax_total=amount(payload.get("total_tax"), "total_tax"),
        financial_status=financial_status(payload.get("financial_status")),
        fulfillment_status=fulfillment_status(payload.get("fulfillment_status")),
        customer=_customer(customer, payload.get("customer_locale")) if customer else None,
        email=text(payload.get("email") or payload.get("contact_email")),
        phone=text(payload.get("phone")),
        language=text(payload.get("customer_locale"))[:8],
        # Shopify's order carries no payment time; orders/paid is sent when it is paid.
        paid_at=updated_at if meta.topic == "orders/paid" else None,
        cancelled_at=when(payload.get("cancelled_at")),
        cancel_reason=text(payload.get("cancel_reason"))[:100],
        closed_at=when(payload.get("closed_at")),
        status_url=text(payload.get("order_status_url")),
        shipping_address=address(payload.get("shipping_address")),
        billing_address=address(payload.get("billing_address")),
        note=text(payload.get("note")),
        tags=tags(payload.get("tags")),
        lines=tuple(_line(line) for line in objs(payload.get("line_items"))),
        # Present (even empty) in every order webhook; absent means "not said", which
        # keeps what is stored.
        fulfillments=(
            tuple(
                fulfillment(item, meta, order_id=external_id)
                for item in objs(payload.get("fulfillments"))
            )
            if "fulfillments" in payload
            else None
        ),
        refunds=(
            tuple(refund(item, meta, order_id=external_id) for item in objs(payload["refunds"]))
            if "refunds" in payload
            else None
        ),
        updated_at=updated_at,
    )


def _customer(customer: dict[str, Any], locale: Any = None) -> CustomerRecord:
    return CustomerRecord(
        external_id=ident(customer.get("id")),
        email=text(customer.get("email")),
        name=full_name(customer),
        phone=text(customer.get("phone")),
        language=text(customer.get("locale") or locale)[:8],
        updated_at=when(customer.get("updated_at")),
    )


def _line(line: dict[str, Any]) -> LineRecord:
    quantity = count(line.get("quantity"))
    unit_price = amount(line.get("price"), "line_items.price")
    allocations = objs(line.get("discount_allocations"))
    # total_discount is deprecated in favour of the allocations; old payloads have only it.
    discount = (
        sum(
            (amount(item.get("amount"), "discount_allocations.amount") for item in allocations),
            Decimal("0"),
        )
        if allocations
        else amount(line.get("total_discount"), "line_items.total_discount")
    )
    return LineRecord(
        external_id=require_id(line, "line item"),
        title=text(line.get("title") or line.get("name")) or "?",
        quantity=quantity,
        unit_price=unit_price,
        total=unit_price * quantity - discount,
        discount_total=discount,
        variant_title=text(line.get("variant_title")),
        sku=text(line.get("sku")),
        product_external_id=ident(line.get("product_id")),
        variant_external_id=ident(line.get("variant_id")),
    )


def read_fulfillment(payload: dict[str, Any], meta: WebhookMeta) -> list[Record]:
    order_id = require_id(payload, "fulfillment", "order_id")
    return [fulfillment(payload, meta, order_id=order_id)]


def fulfillment(payload: dict[str, Any], meta: WebhookMeta, *, order_id: str) -> FulfillmentRecord:
    status = shipment_status(payload.get("status"), payload.get("shipment_status"))
    updated_at = when(payload.get("updated_at")) or meta.triggered_at
    numbers = [text(n) for n in payload.get("tracking_numbers") or [] if text(n)]
    urls = [text(u) for u in payload.get("tracking_urls") or [] if text(u)]
    return FulfillmentRecord(
        external_id=require_id(payload, "fulfillment"),
        status=status,
        carrier=text(payload.get("tracking_company")),
        tracking_number=text(payload.get("tracking_number")) or (numbers[0] if numbers else ""),
        tracking_url=text(payload.get("tracking_url")) or (urls[0] if urls else ""),
        shipped_at=when(payload.get("created_at")),
        estimated_delivery=day(payload.get("estimated_delivery_at")),
        # The REST fulfillment has no delivery time: the last change of a delivered
        # shipment is when it became delivered.
        delivered_at=updated_at if status == ShipmentStatus.DELIVERED else None,
        lines=tuple(
            (ident(line.get("id")), count(line.get("quantity")))
            for line in objs(payload.get("line_items"))
            if ident(line.get("id"))
        ),
        updated_at=updated_at,
        order_external_id=order_id,
    )


def read_refund(payload: dict[str, Any], meta: WebhookMeta) -> list[Record]:
    order_id = require_id(payload, "refund", "order_id")
    return [refund(payload, meta, order_id=order_id)]


def refund(payload: dict[str, Any], meta: WebhookMeta, *, order_id: str) -> RefundRecord:
    refunded_at = (
        when(payload.get("processed_at")) or when(payload.get("created_at")) or meta.triggered_at
    )
    if refunded_at is None:
        raise MalformedPayload(_("The Shopify refund has no created_at."))
    lines = tuple(
        RefundLineRecord(
            line_external_id=ident(line.get("line_item_id")),
            quantity=count(line.get("quantity")),
            amount=amount(line.get("subtotal"), "refund_line_items.subtotal"),
            restocked=text(line.get("restock_type")).lower() in RESTOCKED,
        )
        for line in objs(payload.get("refund_line_items"))
        if ident(line.get("line_item_id"))
    )
    return RefundRecord(
        external_id=require_id(payload, "refund"),
        amount=_refunded(payload, lines),
        refunded_at=refunded_at,
        note=refund_note(payload.get("note")),
        lines=lines,
        order_external_id=order_id,
    )


def _refunded(payload: dict[str, Any], lines: tuple[RefundLineRecord, ...]) -> Decimal:
    """The money that went back: the refund's successful refund transactions. A refund
    without transactions (a restock only, or a payload that leaves them out) returned
    what its lines are worth at most; it is counted as that."""
    transactions = objs(payload.get("transactions"))
    if not transactions:
        return sum((line.amount for line in lines), Decimal("0"))
    return sum(
        (
            amount(item.get("amount"), "transactions.amount")
            for item in transactions
            if text(item.get("kind")).lower() == "refund"
            and text(item.get("status") or "success").lower() == "success"
        ),
        Decimal("0"),
    )


def read_customer(payload: dict[str, Any], meta: WebhookMeta) -> list[Record]:
    require_id(payload, "customer")
    found = _customer(payload)
    if found.updated_at is None and meta.triggered_at is not None:
        found = replace(found, updated_at=meta.triggered_at)
    return [found]


def read_product(payload: dict[str, Any], meta: WebhookMeta) -> list[Record]:
    image = obj(payload.get("image")) or next(iter(objs(payload.get("images"))), {})
    return [
        ProductRecord(
            external_id=require_id(payload, "product"),
            title=text(payload.get("title")) or "?",
            handle=text(payload.get("handle")),
            category=text(payload.get("product_type")),
            image_url=text(image.get("src")),
            # Drafts and archived products are not for sale.
            active=text(payload.get("status") or "active").lower() == "active",
            variants=tuple(_variant(item) for item in objs(payload.get("variants"))),
            updated_at=when(payload.get("updated_at")) or meta.triggered_at,
        )
    ]


def _variant(variant: dict[str, Any]) -> VariantRecord:
    # inventory_management null says Shopify does not count this variant's stock; the
    # field is gone from newer payloads, where the quantity is all there is.
    untracked = "inventory_management" in variant and variant["inventory_management"] is None
    quantity = variant.get("inventory_quantity")
    return VariantRecord(
        external_id=require_id(variant, "product variant"),
        title=text(variant.get("title")),
        sku=text(variant.get("sku")),
        price=amount(variant.get("price"), "variants.price"),
        stock=None if untracked or not isinstance(quantity, int) else quantity,
        inventory_item_id=ident(variant.get("inventory_item_id")),
    )


def read_inventory(payload: dict[str, Any], meta: WebhookMeta) -> list[Record]:
    item = require_id(payload, "inventory level", "inventory_item_id")
    available = payload.get("available")
    if not isinstance(available, int) or isinstance(available, bool):
        # null: the item's stock is not tracked at this location; nothing to store.
        return []
    return [
        InventoryRecord(
            stock=available,
            inventory_item_id=item,
            updated_at=when(payload.get("updated_at")) or meta.triggered_at,
        )
    ]


def read_checkout(payload: dict[str, Any], meta: WebhookMeta) -> list[Record]:
    # Shopify's documented checkouts/create payload has a token and no id; the token
    # names the checkout in its recovery link too.
    external_id = ident(payload.get("token")) or ident(payload.get("id"))
    if not external_id:
        raise MalformedPayload(_("The Shopify checkout has no token or id."))
    customer = obj(payload.get("customer"))
    return [
        CartRecord(
            external_id=external_id,
            email=text(payload.get("email")),
            customer=_customer(customer, payload.get("customer_locale")) if customer else None,
            currency=text(payload.get("currency") or payload.get("presentment_currency"))[:3],
            total=amount(payload.get("total_price"), "total_price"),
            lines=tuple(
                {
                    "variant": ident(line.get("variant_id")),
                    "sku": text(line.get("sku")),
                    "title": text(line.get("title")),
                    "quantity": count(line.get("quantity")),
                    "price": str(amount(line.get("price"), "line_items.price")),
                }
                for line in objs(payload.get("line_items"))
            ),
            recovery_url=text(payload.get("abandoned_checkout_url")),
            started_at=when(payload.get("created_at")),
            completed_at=when(payload.get("completed_at")),
            updated_at=when(payload.get("updated_at")) or meta.triggered_at,
        )
    ]


def deleted(kind: str) -> Reader:
    def read(payload: dict[str, Any], meta: WebhookMeta) -> list[Record]:
        return [Deleted(kind, require_id(payload, kind))]

    return read


TOPICS: dict[str, Reader] = {
    "orders/create": read_order,
    "orders/updated": read_order,
    "orders/paid": read_order,
    "orders/cancelled": read_order,
    "orders/fulfilled": read_order,
    "orders/partially_fulfilled": read_order,
    "orders/delete": deleted("order"),
    "fulfillments/create": read_fulfillment,
    "fulfillments/update": read_fulfillment,
    "refunds/create": read_refund,
    "customers/create": read_customer,
    "customers/update": read_customer,
    "customers/delete": deleted("customer"),
    "products/create": read_product,
    "products/update": read_product,
    "products/delete": deleted("product"),
    "inventory_levels/update": read_inventory,
    "checkouts/create": read_checkout,
    "checkouts/update": read_checkout,
}

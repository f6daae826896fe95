"""Orders, their lines, shipments and refunds: stored by the batch, never going back in time."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.db.models import Exists, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from tiski.core import clock
from tiski.core.actors import Actor
from tiski.core.html import web_url
from tiski.core.rows import insert_rows, update_rows
from tiski.shop.actions.common import Outcome, is_older, newest
from tiski.shop.actions.people import contacts_for
from tiski.shop.models import (
    Fulfillment,
    FulfillmentLine,
    Order,
    OrderLine,
    Product,
    ProductVariant,
    Refund,
    RefundLine,
    ShopConnection,
)
from tiski.shop.records import (
    CustomerRecord,
    FulfillmentRecord,
    LineRecord,
    OrderRecord,
    RefundRecord,
)
from tiski.stores.models import Store

_ORDER_FIELDS = [
    *("number", "name", "contact", "customer_external_id", "email", "customer_name", "phone"),
    *("language", "currency", "subtotal", "discount_total", "shipping_total", "tax_total"),
    *("total", "financial_status", "fulfillment_status", "placed_at", "paid_at"),
    *("cancelled_at", "cancel_reason", "closed_at", "status_url", "admin_url"),
    *("shipping_address", "billing_address", "note", "tags", "source_updated_at", "synced_at"),
]
_LINE_FIELDS = [
    *("product", "variant", "title", "variant_title", "sku", "quantity", "unit_price"),
    *("discount_total", "total", "position"),
]
_FULFILLMENT_FIELDS = [
    *("status", "carrier", "tracking_number", "tracking_url", "shipped_at"),
    *("estimated_delivery", "delivered_at", "source_updated_at"),
]


def apply_orders(
    store: Store, items: Sequence[tuple[int, OrderRecord]], *, actor: Actor
) -> dict[int, Outcome]:
    """Store orders (with their lines, and shipments and refunds where the record has
    them); the outcome of each, by its position."""
    if not items:
        return {}
    outcomes: dict[int, Outcome] = {}
    winners, losers = newest(items, lambda r: r.external_id, lambda r: r.updated_at)
    outcomes.update(dict.fromkeys(losers, Outcome.STALE))
    stored = {
        o.external_id: o
        for o in Order.objects.select_for_update()
        .filter(store=store, external_id__in=[r.external_id for _p, r in winners])
        .only(
            *("id", "external_id", "source_updated_at", "refunded_total", "contact_id"),
            *("admin_url", "status_url", "paid_at", "cancelled_at"),
        )
    }
    fresh: list[tuple[int, OrderRecord]] = []
    for position, record in winners:
        known = stored.get(record.external_id)
        if known is not None and is_older(record.updated_at, known.source_updated_at):
            outcomes[position] = Outcome.STALE
        else:
            fresh.append((position, record))
    contacts = contacts_for(store, [_customer(record) for _p, record in fresh], actor=actor)
    new: list[Order] = []
    changed: list[Order] = []
    orders: list[tuple[Order, OrderRecord]] = []
    now = clock.now()
    template = _admin_template(store) if fresh else ""
    for (position, record), contact in zip(fresh, contacts, strict=True):
        known = stored.get(record.external_id)
        order = _order(store, record, contact, now)
        if template:
            order.admin_url = fill_admin_url(template, record.external_id, order.number)
        if known is not None:
            if contact is None:
                order.contact_id = known.contact_id  # a link made earlier stays
            # What a platform leaves out of some webhooks (Shopify's admin address, the
            # time of payment only on orders/paid) is not forgotten by the next one.
            order.admin_url = order.admin_url or known.admin_url
            order.status_url = order.status_url or known.status_url
            order.paid_at = order.paid_at or known.paid_at
            # When it was cancelled does not move with every later edit of the order.
            if order.cancelled_at and known.cancelled_at:
                order.cancelled_at = known.cancelled_at
            order.pk = known.pk
            order.refunded_total = known.refunded_total
            order._state.adding = False
            changed.append(order)
        else:
            new.append(order)
        orders.append((order, record))
        outcomes[position] = Outcome.APPLIED
    insert_rows(new)
    update_rows(changed, _ORDER_FIELDS)
    _store_lines(store, orders)
    shipments = [
        (order, fulfillment)
        for order, record in orders
        for fulfillment in record.fulfillments or ()
    ]
    apply_fulfillments_of(shipments)
    refunds = [(order, refund) for order, record in orders for refund in record.refunds or ()]
    apply_refunds_of(refunds)
    return outcomes


def _admin_template(store: Store) -> str:
    found = ShopConnection.objects.filter(store=store).values_list("admin_order_url", flat=True)
    return found.first() or ""


def fill_admin_url(template: str, external_id: str, number: str) -> str:
    """The shop's address of an order from the connection's pattern ({id}, {number})."""
    filled = template.replace("{id}", quote(external_id)).replace("{number}", quote(number))
    return web_url(filled)[:1000]


def _customer(record: OrderRecord) -> CustomerRecord | None:
    customer = record.customer
    if customer is None and not record.email:
        return None
    if customer is None:
        return CustomerRecord(email=record.email, phone=record.phone)
    if not customer.email and record.email:
        # A customer record without an address; the order's is theirs.
        return CustomerRecord(
            external_id=customer.external_id,
            email=record.email,
            name=customer.name,
            phone=customer.phone or record.phone,
            language=customer.language or record.language,
        )
    return customer


def _order(store: Store, record: OrderRecord, contact: Any, now: Any) -> Order:
    customer = record.customer
    return Order(
        store=store,
        external_id=record.external_id,
        number=record.number.strip().lstrip("#")[:50],
        name=record.name[:60],
        contact=contact,
        customer_external_id=(customer.external_id if customer else "")[:100],
        email=(record.email or (customer.email if customer else "")).strip().lower()[:255],
        customer_name=(customer.name if customer else "")[:200],
        phone=(record.phone or (customer.phone if customer else ""))[:50],
        language=record.language[:8],
        currency=record.currency.upper()[:3],
        subtotal=record.subtotal,
        discount_total=record.discount_total,
        shipping_total=record.shipping_total,
        tax_total=record.tax_total,
        total=record.total,
        refunded_total=Decimal("0"),
        financial_status=record.financial_status,
        fulfillment_status=record.fulfillment_status,
        placed_at=record.placed_at,
        paid_at=record.paid_at,
        cancelled_at=record.cancelled_at,
        cancel_reason=record.cancel_reason[:100],
        closed_at=record.closed_at,
        status_url=web_url(record.status_url)[:1000],
        admin_url=web_url(record.admin_url)[:1000],
        shipping_address=record.shipping_address,
        billing_address=record.billing_address,
        note=record.note,
        tags=list(record.tags),
        source_updated_at=record.updated_at,
        synced_at=now,
    )


def _store_lines(store: Store, orders: list[tuple[Order, OrderRecord]]) -> None:
    """Each order's lines as the record has them. A line that is gone from the record is
    deleted, unless something was shipped or refunded of it (that history stays)."""
    if not orders:
        return
    existing = {
        (line.order_id, line.external_id): line.pk
        for line in OrderLine.objects.filter(order__in=[o.pk for o, _r in orders]).only(
            "id", "order_id", "external_id"
        )
    }
    products, variants = _catalogue(store, [line for _o, r in orders for line in r.lines])
    new: list[OrderLine] = []
    changed: list[OrderLine] = []
    kept: set[int] = set()
    for order, record in orders:
        for position, line in enumerate(record.lines):
            row = _line(order, line, position, products, variants)
            pk = existing.get((order.pk, line.external_id))
            if pk is None:
                new.append(row)
            else:
                row.pk = pk
                row._state.adding = False
                changed.append(row)
                kept.add(pk)
    insert_rows(new)
    update_rows(changed, _LINE_FIELDS)
    gone = set(existing.values()) - kept
    if gone:
        shipped = FulfillmentLine.objects.filter(line=OuterRef("pk"))
        refunded = RefundLine.objects.filter(line=OuterRef("pk"))
        OrderLine.objects.filter(pk__in=gone).exclude(Exists(shipped)).exclude(
            Exists(refunded)
        ).delete()


def _catalogue(
    store: Store, lines: list[LineRecord]
) -> tuple[dict[str, int], dict[str, tuple[int, int]]]:
    """Product ids, and (variant id, product id), by external id, for the lines."""
    product_ids = {line.product_external_id for line in lines if line.product_external_id}
    variant_ids = {line.variant_external_id for line in lines if line.variant_external_id}
    products = (
        dict(
            Product.objects.filter(store=store, external_id__in=product_ids).values_list(
                "external_id", "id"
            )
        )
        if product_ids
        else {}
    )
    variants = (
        {
            external: (pk, product)
            for external, pk, product in ProductVariant.objects.filter(
                store=store, external_id__in=variant_ids
            ).values_list("external_id", "id", "product_id")
        }
        if variant_ids
        else {}
    )
    return products, variants


def _line(
    order: Order,
    line: LineRecord,
    position: int,
    products: dict[str, int],
    variants: dict[str, tuple[int, int]],
) -> OrderLine:
    variant_id, variant_product = variants.get(line.variant_external_id, (None, None))
    return OrderLine(
        order=order,
        external_id=line.external_id[:100],
        product_id=products.get(line.product_external_id) or variant_product,
        variant_id=variant_id,
        title=line.title[:255],
        variant_title=line.variant_title[:255],
        sku=line.sku[:100],
        quantity=max(line.quantity, 0),
        unit_price=line.unit_price,
        discount_total=line.discount_total,
        total=line.total,
        position=position,
    )


def apply_fulfillments(
    store: Store, items: Sequence[tuple[int, FulfillmentRecord]]
) -> dict[int, Outcome]:
    """Shipments that arrive on their own (a fulfillment webhook)."""
    if not items:
        return {}
    orders = _orders_by_external_id(store, [r.order_external_id for _p, r in items])
    outcomes: dict[int, Outcome] = {}
    known = []
    for position, record in items:
        order = orders.get(record.order_external_id)
        if order is None:
            outcomes[position] = Outcome.MISSING
        else:
            known.append((position, order, record))
    results = apply_fulfillments_of([(order, record) for _p, order, record in known])
    for (position, _order, _record), outcome in zip(known, results, strict=True):
        outcomes[position] = outcome
    return outcomes


def apply_fulfillments_of(pairs: list[tuple[Order, FulfillmentRecord]]) -> list[Outcome]:
    """Upsert each order's shipments (and which of its lines each carries)."""
    if not pairs:
        return []
    order_ids = {order.pk for order, _r in pairs}
    existing = {
        (f.order_id, f.external_id): f
        for f in Fulfillment.objects.filter(order__in=order_ids).only(
            "id", "order_id", "external_id", "source_updated_at"
        )
    }
    lines = {
        (order_id, external): pk
        for pk, order_id, external in OrderLine.objects.filter(order__in=order_ids).values_list(
            "id", "order_id", "external_id"
        )
    }
    outcomes: list[Outcome] = []
    new: list[Fulfillment] = []
    changed: list[Fulfillment] = []
    applied: list[tuple[Fulfillment, FulfillmentRecord]] = []
    for order, record in pairs:
        known = existing.get((order.pk, record.external_id))
        if known is not None and is_older(record.updated_at, known.source_updated_at):
            outcomes.append(Outcome.STALE)
            continue
        row = Fulfillment(
            order=order,
            external_id=record.external_id[:100],
            status=record.status,
            carrier=record.carrier[:100],
            tracking_number=record.tracking_number[:100],
            tracking_url=web_url(record.tracking_url)[:1000],
            shipped_at=record.shipped_at,
            estimated_delivery=record.estimated_delivery,
            delivered_at=record.delivered_at,
            source_updated_at=record.updated_at,
        )
        if known is not None:
            row.pk = known.pk
            row._state.adding = False
            changed.append(row)
        else:
            new.append(row)
        # The same shipment twice in a batch: the later one counts.
        existing[(order.pk, record.external_id)] = row
        applied.append((row, record))
        outcomes.append(Outcome.APPLIED)
    insert_rows(new)
    update_rows(changed, _FULFILLMENT_FIELDS)
    FulfillmentLine.objects.filter(fulfillment__in=[row.pk for row, _r in applied]).delete()
    insert_rows(
        [
            FulfillmentLine(fulfillment=row, line_id=lines[(row.order_id, external)], quantity=n)
            for row, record in applied
            for external, n in record.lines
            if (row.order_id, external) in lines and n > 0
        ]
    )
    return outcomes


def apply_refunds(store: Store, items: Sequence[tuple[int, RefundRecord]]) -> dict[int, Outcome]:
    """Refunds that arrive on their own (a refund webhook)."""
    if not items:
        return {}
    orders = _orders_by_external_id(store, [r.order_external_id for _p, r in items])
    outcomes: dict[int, Outcome] = {}
    known = []
    for position, record in items:
        order = orders.get(record.order_external_id)
        if order is None:
            outcomes[position] = Outcome.MISSING
        else:
            known.append((order, record))
            outcomes[position] = Outcome.APPLIED
    apply_refunds_of(known)
    return outcomes


def apply_refunds_of(pairs: list[tuple[Order, RefundRecord]]) -> None:
    """Store refunds not stored yet (a refund never changes once made), and each order's
    refunded total."""
    if not pairs:
        return
    order_ids = {order.pk for order, _r in pairs}
    existing = {
        (order_id, external_id): (pk, key)
        for pk, order_id, external_id, key in Refund.objects.filter(
            order__in=order_ids
        ).values_list("id", "order_id", "external_id", "key")
    }
    keyed: list[Refund] = []
    with_lines = set(
        RefundLine.objects.filter(refund__order__in=order_ids).values_list("refund_id", flat=True)
    )
    lines = {
        (order_id, external): pk
        for pk, order_id, external in OrderLine.objects.filter(order__in=order_ids).values_list(
            "id", "order_id", "external_id"
        )
    }
    new: list[tuple[Refund, RefundRecord]] = []
    new_lines: list[tuple[Refund, RefundRecord]] = []
    for order, record in pairs:
        found = (order.pk, record.external_id[:100])
        if found in existing:
            pk, key = existing[found]
            if record.key and not key:
                # Its webhook came first; now Tiski knows it asked for it.
                keyed.append(Refund(pk=pk, key=record.key[:100]))
            if pk and record.lines and pk not in with_lines:
                # A short version came first (WooCommerce's order lists refunds without
                # their lines): the lines are added, the refund itself never changes.
                stored = Refund(pk=pk, order=order)
                stored._state.adding = False
                new_lines.append((stored, record))
                with_lines.add(pk)
            continue
        existing[found] = (0, record.key)
        refund = Refund(
            order=order,
            external_id=record.external_id[:100],
            amount=record.amount,
            note=record.note,
            refunded_at=record.refunded_at,
            key=record.key[:100],
        )
        new.append((refund, record))
    insert_rows([refund for refund, _r in new])
    update_rows(keyed, ["key"])
    insert_rows(
        [
            RefundLine(
                refund=refund,
                line_id=lines[(refund.order_id, line.line_external_id)],
                quantity=line.quantity,
                amount=line.amount,
                restocked=line.restocked,
            )
            for refund, record in [*new, *new_lines]
            for line in record.lines
            if (refund.order_id, line.line_external_id) in lines
        ]
    )
    totals = (
        Refund.objects.filter(order=OuterRef("pk"))
        .values("order")
        .annotate(sum=Sum("amount"))
        .values("sum")
    )
    Order.objects.filter(pk__in=order_ids).update(
        refunded_total=Coalesce(Subquery(totals), Value(Decimal("0")))
    )


def _orders_by_external_id(store: Store, external_ids: list[str]) -> dict[str, Order]:
    wanted = {external for external in external_ids if external}
    if not wanted:
        return {}
    return {
        order.external_id: order
        for order in Order.objects.filter(store=store, external_id__in=wanted).only(
            "id", "external_id", "store_id"
        )
    }

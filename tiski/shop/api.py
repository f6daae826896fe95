"""The shop part of the REST API: a shop (or its own code) sends records in Tiski's own
format; integrations read orders."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from tiski.core.apiauth import caller
from tiski.core.apischemas import ErrorOut, store_for_write
from tiski.core.errors import ActionError, NotFound
from tiski.shop.actions import apply_records
from tiski.shop.models import Order
from tiski.shop.queries import normalize_number, with_details
from tiski.shop.records import Deleted, Record
from tiski.shop.schemas import (
    CartIn,
    CustomerIn,
    FulfillmentIn,
    InventoryIn,
    OrderIn,
    ProductIn,
    RefundIn,
)
from tiski.stores.models import ApiScope

router = Router(tags=["shop"])

# Records in one request: a backfill sends its history a page at a time.
MAX_RECORDS = 500


class DeletedIds(Schema):
    orders: list[str] = Field(default_factory=list, max_length=MAX_RECORDS)
    products: list[str] = Field(default_factory=list, max_length=MAX_RECORDS)


class RecordsIn(Schema):
    store: str | None = Field(None, description="Store slug; optional for a store's own API key")
    customers: list[CustomerIn] = Field(default_factory=list, max_length=MAX_RECORDS)
    products: list[ProductIn] = Field(default_factory=list, max_length=MAX_RECORDS)
    inventory: list[InventoryIn] = Field(default_factory=list, max_length=MAX_RECORDS)
    orders: list[OrderIn] = Field(default_factory=list, max_length=MAX_RECORDS)
    fulfillments: list[FulfillmentIn] = Field(default_factory=list, max_length=MAX_RECORDS)
    refunds: list[RefundIn] = Field(default_factory=list, max_length=MAX_RECORDS)
    carts: list[CartIn] = Field(default_factory=list, max_length=MAX_RECORDS)
    deleted: DeletedIds = Field(default_factory=DeletedIds)


class Outcomes(Schema):
    applied: int = Field(description="Stored or changed")
    stale: int = Field(description="Older than the stored version: nothing changed")
    missing: int = Field(description="Name an order (or variant) Tiski does not have yet")
    outcomes: dict[str, list[str]] = Field(description="Per kind, one outcome per record")


@router.post(
    "/records",
    response={200: Outcomes, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Send customers, products, stock, orders, shipments, refunds or carts",
)
def send_records(request: HttpRequest, payload: RecordsIn) -> dict[str, Any]:
    """Idempotent: sending the same records again changes nothing; a record older (by
    its ``updated_at``) than the stored version changes nothing either."""
    who = caller(request)
    who.require(ApiScope.SHOP_WRITE)
    store = store_for_write(who, payload.store)
    kinds: list[tuple[str, list[Record]]] = [
        ("customers", [item.record() for item in payload.customers]),
        ("products", [item.record() for item in payload.products]),
        ("inventory", [item.record() for item in payload.inventory]),
        ("orders", [item.record() for item in payload.orders]),
        ("fulfillments", [item.record() for item in payload.fulfillments]),
        ("refunds", [item.record() for item in payload.refunds]),
        ("carts", [item.record() for item in payload.carts]),
        ("deleted_orders", [Deleted("order", i) for i in payload.deleted.orders]),
        ("deleted_products", [Deleted("product", i) for i in payload.deleted.products]),
    ]
    records = [record for _kind, items in kinds for record in items]
    if len(records) > MAX_RECORDS:
        raise ActionError(
            _("At most %(n)d records in one request.") % {"n": MAX_RECORDS}, field="records"
        )
    results = iter(apply_records(store, records, actor=who.actor))
    outcomes = {kind: [str(next(results)) for _r in items] for kind, items in kinds if items}
    counts = Counter(outcome for values in outcomes.values() for outcome in values)
    return {
        "applied": counts["applied"],
        "stale": counts["stale"],
        "missing": counts["missing"],
        "outcomes": outcomes,
    }


class LineOut(Schema):
    id: str = Field(alias="external_id")
    title: str
    variant_title: str
    sku: str
    quantity: int
    unit_price: Decimal
    total: Decimal


class ParcelOut(Schema):
    id: str = Field(alias="external_id")
    status: str
    carrier: str
    tracking_number: str
    tracking_url: str
    shipped_at: datetime | None
    estimated_delivery: date | None
    delivered_at: datetime | None


class RefundOut(Schema):
    id: str = Field(alias="external_id")
    amount: Decimal
    refunded_at: datetime
    note: str


class OrderOut(Schema):
    id: int
    external_id: str
    store: str
    number: str
    name: str
    contact_id: int | None
    email: str
    currency: str
    total: Decimal
    refunded_total: Decimal
    financial_status: str
    fulfillment_status: str
    placed_at: datetime
    cancelled_at: datetime | None
    status_url: str
    admin_url: str
    lines: list[LineOut]
    fulfillments: list[ParcelOut]
    refunds: list[RefundOut]

    @staticmethod
    def resolve_store(obj: Order) -> str:
        return obj.store.slug

    @staticmethod
    def resolve_lines(obj: Order) -> list[Any]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_fulfillments(obj: Order) -> list[Any]:
        return list(obj.fulfillments.all())

    @staticmethod
    def resolve_refunds(obj: Order) -> list[Any]:
        return list(obj.refunds.all())


class OrderPage(Schema):
    items: list[OrderOut]
    next_cursor: str | None


class OrderFilters(Schema):
    store: str | None = None
    contact: int | None = Field(None, description="A contact's orders")
    email: str | None = None
    number: str | None = Field(None, description='"10234" or "#10234"')
    cursor: int | None = Field(None, ge=1, description="The id after which to continue")
    limit: int = Field(25, ge=1, le=100)


@router.get("/orders", response={200: OrderPage, 403: ErrorOut}, summary="List or find orders")
def list_orders(request: HttpRequest, filters: Query[OrderFilters]) -> dict[str, Any]:
    who = caller(request)
    who.require(ApiScope.SHOP_READ)
    orders = Order.objects.filter(store_id__in=who.store_ids).select_related("store")
    if filters.store:
        orders = orders.filter(store__slug=filters.store)
    if filters.contact:
        orders = orders.filter(contact_id=filters.contact)
    if filters.email:
        orders = orders.filter(email=filters.email.strip().lower())
    if filters.number:
        orders = orders.filter(number=normalize_number(filters.number))
    if filters.cursor:
        orders = orders.filter(pk__lt=filters.cursor)
    rows = list(with_details(orders.order_by("-id"))[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return {"items": rows, "next_cursor": str(rows[-1].pk) if more and rows else None}


@router.get("/orders/{int:order_id}", response={200: OrderOut, 403: ErrorOut, 404: ErrorOut})
def get_order(request: HttpRequest, order_id: int) -> Order:
    who = caller(request)
    who.require(ApiScope.SHOP_READ)
    found = (
        with_details(Order.objects.filter(store_id__in=who.store_ids, pk=order_id))
        .select_related("store")
        .first()
    )
    if found is None:
        raise NotFound()
    return found

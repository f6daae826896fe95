"""The shop's records as every connector hands them over: one shape whatever the platform.

A connector turns a platform's payload (a Shopify order, a WooCommerce product, Tiski's
own format) into these; ``tiski.shop.actions`` stores them. Amounts are ``Decimal`` in
the order's currency, times are aware, statuses are the values of the model's choices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class CustomerRecord:
    external_id: str = ""
    email: str = ""
    name: str = ""
    phone: str = ""
    language: str = ""
    updated_at: datetime | None = None


@dataclass(frozen=True)
class VariantRecord:
    """A variant, inside its product's record or on its own (then ``product_external_id``
    names its product: WooCommerce sends a variable product's variations one by one)."""

    external_id: str
    title: str = ""
    sku: str = ""
    price: Decimal = Decimal("0")
    stock: int | None = None
    inventory_item_id: str = ""
    product_external_id: str = ""
    updated_at: datetime | None = None


@dataclass(frozen=True)
class ProductRecord:
    external_id: str
    title: str
    handle: str = ""
    category: str = ""
    url: str = ""
    image_url: str = ""
    active: bool = True
    # None: the payload does not list them (keep the stored ones); () : it has none.
    variants: tuple[VariantRecord, ...] | None = ()
    updated_at: datetime | None = None


@dataclass(frozen=True)
class InventoryRecord:
    """A variant's stock, named by the variant, its inventory item or its SKU."""

    stock: int
    variant_external_id: str = ""
    inventory_item_id: str = ""
    sku: str = ""
    updated_at: datetime | None = None


@dataclass(frozen=True)
class LineRecord:
    external_id: str
    title: str
    quantity: int
    unit_price: Decimal = Decimal("0")
    total: Decimal = Decimal("0")
    discount_total: Decimal = Decimal("0")
    variant_title: str = ""
    sku: str = ""
    product_external_id: str = ""
    variant_external_id: str = ""


@dataclass(frozen=True)
class FulfillmentRecord:
    external_id: str
    status: str  # a ShipmentStatus value
    carrier: str = ""
    tracking_number: str = ""
    tracking_url: str = ""
    shipped_at: datetime | None = None
    estimated_delivery: date | None = None
    delivered_at: datetime | None = None
    # (the order line's external id, quantity)
    lines: tuple[tuple[str, int], ...] = ()
    updated_at: datetime | None = None
    # Set when the fulfillment arrives on its own, not inside its order.
    order_external_id: str = ""


@dataclass(frozen=True)
class RefundLineRecord:
    line_external_id: str
    quantity: int
    amount: Decimal = Decimal("0")
    restocked: bool = False


@dataclass(frozen=True)
class RefundRecord:
    external_id: str
    amount: Decimal
    refunded_at: datetime
    note: str = ""
    lines: tuple[RefundLineRecord, ...] = ()
    order_external_id: str = ""
    # Tiski's key when Tiski asked the shop for it (see actions.refunds).
    key: str = ""


@dataclass(frozen=True)
class OrderRecord:
    external_id: str
    number: str
    placed_at: datetime
    currency: str
    total: Decimal
    name: str = ""
    customer: CustomerRecord | None = None
    email: str = ""
    phone: str = ""
    language: str = ""
    subtotal: Decimal = Decimal("0")
    discount_total: Decimal = Decimal("0")
    shipping_total: Decimal = Decimal("0")
    tax_total: Decimal = Decimal("0")
    financial_status: str = "pending"  # a FinancialStatus value
    fulfillment_status: str = "unfulfilled"  # a FulfillmentStatus value
    paid_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str = ""
    closed_at: datetime | None = None
    status_url: str = ""
    admin_url: str = ""
    shipping_address: dict[str, Any] = field(default_factory=dict)
    billing_address: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    tags: tuple[str, ...] = ()
    lines: tuple[LineRecord, ...] = ()
    # None: the payload said nothing of them (keep what is stored); () : there are none.
    fulfillments: tuple[FulfillmentRecord, ...] | None = None
    refunds: tuple[RefundRecord, ...] | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class CartRecord:
    external_id: str
    email: str = ""
    customer: CustomerRecord | None = None
    currency: str = ""
    total: Decimal = Decimal("0")
    lines: tuple[dict[str, Any], ...] = ()
    recovery_url: str = ""
    started_at: datetime | None = None
    completed_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Deleted:
    """The shop deleted a record: ``kind`` is "order", "product" or "customer"."""

    kind: str
    external_id: str


Record = (
    CustomerRecord
    | ProductRecord
    | VariantRecord
    | InventoryRecord
    | OrderRecord
    | FulfillmentRecord
    | RefundRecord
    | CartRecord
    | Deleted
)

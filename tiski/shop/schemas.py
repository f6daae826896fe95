"""Tiski's own shop format: what any platform (or a shop's own code) sends to the REST API
and to the generic webhook. Documented in docs/shop.md; the OpenAPI schema at
/api/v1/openapi.json is generated from these."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from tiski.shop.models import FinancialStatus, FulfillmentStatus, ShipmentStatus
from tiski.shop.records import (
    CartRecord,
    CustomerRecord,
    FulfillmentRecord,
    InventoryRecord,
    LineRecord,
    OrderRecord,
    ProductRecord,
    RefundLineRecord,
    RefundRecord,
    VariantRecord,
)

Id = Field(..., min_length=1, max_length=100, description="The shop's own id")
Text = Field("", max_length=255)


class CustomerIn(Schema):
    id: str = Field("", max_length=100, description="The shop's customer id")
    email: str = Field("", max_length=255)
    name: str = Field("", max_length=200)
    phone: str = Field("", max_length=50)
    language: str = Field("", max_length=8)
    updated_at: datetime | None = None

    def record(self) -> CustomerRecord:
        return CustomerRecord(
            external_id=self.id,
            email=self.email,
            name=self.name,
            phone=self.phone,
            language=self.language,
            updated_at=self.updated_at,
        )


class VariantIn(Schema):
    id: str = Id
    title: str = Text
    sku: str = Field("", max_length=100)
    price: Decimal = Field(Decimal("0"), max_digits=14, decimal_places=2)
    stock: int | None = None

    def record(self) -> VariantRecord:
        return VariantRecord(
            external_id=self.id, title=self.title, sku=self.sku, price=self.price, stock=self.stock
        )


class ProductIn(Schema):
    id: str = Id
    title: str = Field(..., min_length=1, max_length=255)
    handle: str = Text
    category: str = Text
    url: str = Field("", max_length=500)
    image_url: str = Field("", max_length=500)
    active: bool = True
    variants: list[VariantIn] = Field(default_factory=list, max_length=500)
    updated_at: datetime | None = None

    def record(self) -> ProductRecord:
        return ProductRecord(
            external_id=self.id,
            title=self.title,
            handle=self.handle,
            category=self.category,
            url=self.url,
            image_url=self.image_url,
            active=self.active,
            variants=tuple(v.record() for v in self.variants),
            updated_at=self.updated_at,
        )


class InventoryIn(Schema):
    variant_id: str = Field("", max_length=100)
    sku: str = Field("", max_length=100)
    stock: int
    updated_at: datetime | None = None

    def record(self) -> InventoryRecord:
        return InventoryRecord(
            stock=self.stock,
            variant_external_id=self.variant_id,
            sku=self.sku,
            updated_at=self.updated_at,
        )


class LineIn(Schema):
    id: str = Id
    title: str = Field(..., min_length=1, max_length=255)
    quantity: int = Field(..., ge=0, le=100_000)
    unit_price: Decimal = Field(Decimal("0"), max_digits=14, decimal_places=2)
    total: Decimal = Field(Decimal("0"), max_digits=14, decimal_places=2)
    discount_total: Decimal = Field(Decimal("0"), max_digits=14, decimal_places=2)
    variant_title: str = Text
    sku: str = Field("", max_length=100)
    product_id: str = Field("", max_length=100)
    variant_id: str = Field("", max_length=100)

    def record(self) -> LineRecord:
        return LineRecord(
            external_id=self.id,
            title=self.title,
            quantity=self.quantity,
            unit_price=self.unit_price,
            total=self.total,
            discount_total=self.discount_total,
            variant_title=self.variant_title,
            sku=self.sku,
            product_external_id=self.product_id,
            variant_external_id=self.variant_id,
        )


class ShippedLineIn(Schema):
    line_id: str = Id
    quantity: int = Field(..., ge=1, le=100_000)


class FulfillmentIn(Schema):
    id: str = Id
    order_id: str = Field("", max_length=100, description="Needed when sent on its own")
    status: ShipmentStatus = ShipmentStatus.PENDING
    carrier: str = Field("", max_length=100)
    tracking_number: str = Field("", max_length=100)
    tracking_url: str = Field("", max_length=1000)
    shipped_at: datetime | None = None
    estimated_delivery: date | None = None
    delivered_at: datetime | None = None
    lines: list[ShippedLineIn] = Field(default_factory=list, max_length=1000)
    updated_at: datetime | None = None

    def record(self) -> FulfillmentRecord:
        return FulfillmentRecord(
            external_id=self.id,
            status=self.status.value,
            carrier=self.carrier,
            tracking_number=self.tracking_number,
            tracking_url=self.tracking_url,
            shipped_at=self.shipped_at,
            estimated_delivery=self.estimated_delivery,
            delivered_at=self.delivered_at,
            lines=tuple((line.line_id, line.quantity) for line in self.lines),
            updated_at=self.updated_at,
            order_external_id=self.order_id,
        )


class RefundLineIn(Schema):
    line_id: str = Id
    quantity: int = Field(..., ge=0, le=100_000)
    amount: Decimal = Field(Decimal("0"), max_digits=14, decimal_places=2)
    restocked: bool = False


class RefundIn(Schema):
    id: str = Id
    order_id: str = Field("", max_length=100, description="Needed when sent on its own")
    amount: Decimal = Field(..., max_digits=14, decimal_places=2, ge=0)
    refunded_at: datetime
    note: str = Field("", max_length=5000)
    lines: list[RefundLineIn] = Field(default_factory=list, max_length=1000)

    def record(self) -> RefundRecord:
        return RefundRecord(
            external_id=self.id,
            amount=self.amount,
            refunded_at=self.refunded_at,
            note=self.note,
            lines=tuple(
                RefundLineRecord(line.line_id, line.quantity, line.amount, line.restocked)
                for line in self.lines
            ),
            order_external_id=self.order_id,
        )


class OrderIn(Schema):
    id: str = Id
    number: str = Field(..., min_length=1, max_length=50, description='"10234" or "#10234"')
    name: str = Field("", max_length=60, description="How the shop shows it, if not #number")
    placed_at: datetime
    updated_at: datetime | None = None
    currency: str = Field(..., min_length=3, max_length=3, description="ISO 4217, e.g. EUR")
    total: Decimal = Field(..., max_digits=14, decimal_places=2)
    subtotal: Decimal = Field(Decimal("0"), max_digits=14, decimal_places=2)
    discount_total: Decimal = Field(Decimal("0"), max_digits=14, decimal_places=2)
    shipping_total: Decimal = Field(Decimal("0"), max_digits=14, decimal_places=2)
    tax_total: Decimal = Field(Decimal("0"), max_digits=14, decimal_places=2)
    financial_status: FinancialStatus = FinancialStatus.PENDING
    fulfillment_status: FulfillmentStatus = FulfillmentStatus.UNFULFILLED
    customer: CustomerIn | None = None
    email: str = Field("", max_length=255)
    phone: str = Field("", max_length=50)
    language: str = Field("", max_length=8)
    paid_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str = Field("", max_length=100)
    closed_at: datetime | None = None
    status_url: str = Field("", max_length=1000, description="The customer's own order page")
    admin_url: str = Field("", max_length=1000, description="The order in the shop's admin")
    shipping_address: dict[str, Any] = Field(default_factory=dict)
    billing_address: dict[str, Any] = Field(default_factory=dict)
    note: str = Field("", max_length=5000)
    tags: list[str] = Field(default_factory=list, max_length=100)
    lines: list[LineIn] = Field(default_factory=list, max_length=1000)
    fulfillments: list[FulfillmentIn] | None = Field(
        None, max_length=100, description="Omit to keep the stored shipments"
    )
    refunds: list[RefundIn] | None = Field(
        None, max_length=100, description="Omit to keep the stored refunds"
    )

    def record(self) -> OrderRecord:
        return OrderRecord(
            external_id=self.id,
            number=self.number,
            name=self.name,
            placed_at=self.placed_at,
            updated_at=self.updated_at,
            currency=self.currency,
            total=self.total,
            subtotal=self.subtotal,
            discount_total=self.discount_total,
            shipping_total=self.shipping_total,
            tax_total=self.tax_total,
            financial_status=self.financial_status.value,
            fulfillment_status=self.fulfillment_status.value,
            customer=self.customer.record() if self.customer else None,
            email=self.email,
            phone=self.phone,
            language=self.language,
            paid_at=self.paid_at,
            cancelled_at=self.cancelled_at,
            cancel_reason=self.cancel_reason,
            closed_at=self.closed_at,
            status_url=self.status_url,
            admin_url=self.admin_url,
            shipping_address=self.shipping_address,
            billing_address=self.billing_address,
            note=self.note,
            tags=tuple(self.tags),
            lines=tuple(line.record() for line in self.lines),
            fulfillments=(
                tuple(f.record() for f in self.fulfillments)
                if self.fulfillments is not None
                else None
            ),
            refunds=tuple(r.record() for r in self.refunds) if self.refunds is not None else None,
        )


class CartIn(Schema):
    id: str = Id
    email: str = Field("", max_length=255)
    customer: CustomerIn | None = None
    currency: str = Field("", max_length=3)
    total: Decimal = Field(Decimal("0"), max_digits=14, decimal_places=2)
    lines: list[dict[str, Any]] = Field(default_factory=list, max_length=500)
    recovery_url: str = Field("", max_length=1000)
    started_at: datetime | None = None
    completed_at: datetime | None = None
    updated_at: datetime | None = None

    def record(self) -> CartRecord:
        return CartRecord(
            external_id=self.id,
            email=self.email,
            customer=self.customer.record() if self.customer else None,
            currency=self.currency,
            total=self.total,
            lines=tuple(self.lines),
            recovery_url=self.recovery_url,
            started_at=self.started_at,
            completed_at=self.completed_at,
            updated_at=self.updated_at,
        )


class DeletedIn(Schema):
    id: str = Id

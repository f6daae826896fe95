"""The shop's side of a customer: orders, what was shipped and refunded, the catalogue,
carts, and every webhook as it arrived.

Rows mirror the shop platform's records. Each keeps the platform's own id
(``external_id``) and the platform's ``updated_at`` (``source_updated_at``): applying is
idempotent, and an older version of a record never overwrites a newer one, whatever the
order webhooks arrive in.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiski.contacts.models import Contact
from tiski.core import clock
from tiski.stores.models import Store

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


def money(verbose_name: str | StrPromise | None = None) -> models.DecimalField[Decimal, Decimal]:
    """An amount in the order's currency."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, default=Decimal("0"))


class Platform(models.TextChoices):
    GENERIC = "generic", _("Any platform (Tiski's own API and webhooks)")
    SHOPIFY = "shopify", "Shopify"
    WOOCOMMERCE = "woocommerce", "WooCommerce"


class ShopConnection(models.Model):
    """How a store's shop talks to Tiski: which platform, and the secrets both ways."""

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="shop_connection")
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    # Shopify: "tunturikettu.myshopify.com"; WooCommerce and others: the shop's base URL.
    shop_url = models.CharField(_("shop address"), max_length=255, blank=True)
    # Verifies webhooks in: Shopify's app secret, WooCommerce's webhook secret, or the
    # secret of Tiski's own format.
    webhook_secret = models.CharField(_("webhook secret"), max_length=255, blank=True)
    # Reads the shop for a backfill: Shopify's Admin API access token, WooCommerce's
    # consumer key and secret.
    api_key = models.CharField(_("API key or access token"), max_length=255, blank=True)
    api_secret = models.CharField(_("API secret"), max_length=255, blank=True)
    # Where an agent opens an order in the shop's admin; "{id}" and "{number}" are
    # filled in. Empty: the platform's usual address.
    admin_order_url = models.CharField(_("order in the shop admin"), max_length=500, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    backfill_state = models.JSONField(default=dict, blank=True)
    last_backfill_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("shop connection")
        verbose_name_plural = _("shop connections")

    def __str__(self) -> str:
        return f"{self.store} ({self.get_platform_display()})"


class Product(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="products")
    external_id = models.CharField(max_length=100)
    title = models.CharField(_("title"), max_length=255)
    handle = models.CharField(max_length=255, blank=True)
    # The shop's product type or main category: what return rules and reports group by.
    category = models.CharField(_("category"), max_length=255, blank=True)
    url = models.URLField(max_length=500, blank=True)
    image_url = models.URLField(max_length=500, blank=True)
    active = models.BooleanField(default=True)
    source_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "external_id"], name="product_store_external")
        ]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.title


class ProductVariant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+", db_index=False)
    external_id = models.CharField(max_length=100)
    title = models.CharField(_("title"), max_length=255, blank=True)
    sku = models.CharField(_("SKU"), max_length=100, blank=True)
    # Shopify counts stock per inventory item, one per variant; its stock webhooks name
    # the item, not the variant.
    inventory_item_id = models.CharField(max_length=100, blank=True)
    price = money(_("price"))
    # None: the shop does not track stock for it.
    stock = models.IntegerField(_("in stock"), null=True, blank=True)
    # Stock changes on a clock of its own (inventory webhooks), apart from the product's.
    stock_updated_at = models.DateTimeField(null=True, blank=True)
    source_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "external_id"], name="variant_store_external")
        ]
        indexes = [models.Index(fields=["store", "sku"], name="variant_store_sku")]
        verbose_name = _("product variant")
        verbose_name_plural = _("product variants")

    def __str__(self) -> str:
        return f"{self.product.title} {self.title}".strip()


class FinancialStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    AUTHORIZED = "authorized", _("Payment authorised")
    PAID = "paid", _("Paid")
    PARTIALLY_PAID = "partially_paid", _("Partly paid")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partly refunded")
    REFUNDED = "refunded", _("Refunded")
    VOIDED = "voided", _("Payment voided")


class FulfillmentStatus(models.TextChoices):
    UNFULFILLED = "unfulfilled", _("Not shipped yet")
    PARTIAL = "partial", _("Partly shipped")
    FULFILLED = "fulfilled", _("Shipped")
    RESTOCKED = "restocked", _("Returned to stock")


class Order(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="orders")
    external_id = models.CharField(max_length=100)
    # What the customer calls it: "10234" (shown as "#10234" or as the shop names it).
    number = models.CharField(_("order number"), max_length=50)
    name = models.CharField(max_length=60, blank=True)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    customer_external_id = models.CharField(max_length=100, blank=True)
    email = models.CharField(_("email"), max_length=255, blank=True)
    customer_name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    language = models.CharField(max_length=8, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    subtotal = money()
    discount_total = money()
    shipping_total = money()
    tax_total = money()
    total = money(_("total"))
    refunded_total = money()
    financial_status = models.CharField(
        _("payment"),
        max_length=20,
        choices=FinancialStatus.choices,
        default=FinancialStatus.PENDING,
    )
    fulfillment_status = models.CharField(
        _("shipping"),
        max_length=20,
        choices=FulfillmentStatus.choices,
        default=FulfillmentStatus.UNFULFILLED,
    )
    placed_at = models.DateTimeField(_("placed"))
    paid_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(max_length=100, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The customer's own order page at the shop, and the order in the shop's admin.
    status_url = models.URLField(max_length=1000, blank=True)
    admin_url = models.URLField(max_length=1000, blank=True)
    shipping_address = models.JSONField(default=dict, blank=True)
    billing_address = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    tags = models.JSONField(default=list, blank=True)
    source_updated_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "external_id"], name="order_store_external")
        ]
        indexes = [
            # The conversation sidebar: a contact's orders, newest first.
            models.Index(fields=["contact", "-placed_at", "-id"], name="order_contact_recent"),
            # "Order 10234": typed by customers, looked up by agents and self-service.
            models.Index(fields=["store", "number"], name="order_store_number"),
            models.Index(fields=["store", "email"], name="order_store_email"),
        ]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return self.name or f"#{self.number}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    external_id = models.CharField(max_length=100)
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    variant = models.ForeignKey(
        ProductVariant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # As sold: the catalogue may change or lose the product later.
    title = models.CharField(_("product"), max_length=255)
    variant_title = models.CharField(max_length=255, blank=True)
    sku = models.CharField(_("SKU"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = money()
    discount_total = money()
    total = money()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "external_id"], name="line_order_external")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"


class ShipmentStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    LABEL_PRINTED = "label_printed", _("Label printed")
    IN_TRANSIT = "in_transit", _("On its way")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
    READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")
    ATTEMPTED_DELIVERY = "attempted_delivery", _("Delivery attempted")
    DELIVERED = "delivered", _("Delivered")
    FAILURE = "failure", _("Delivery problem")
    CANCELLED = "cancelled", pgettext_lazy("shipment", "Cancelled")


class Fulfillment(models.Model):
    """A shipment: some lines of an order, a carrier and a tracking number."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fulfillments")
    external_id = models.CharField(max_length=100)
    status = models.CharField(
        _("status"), max_length=20, choices=ShipmentStatus.choices, default=ShipmentStatus.PENDING
    )
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    tracking_url = models.URLField(_("tracking link"), max_length=1000, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    estimated_delivery = models.DateField(_("expected delivery"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    source_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "shipped_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "external_id"], name="fulfillment_order_external"
            )
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}".strip() or self.external_id


class FulfillmentLine(models.Model):
    fulfillment = models.ForeignKey(Fulfillment, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="shipped")
    quantity = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.quantity} × {self.line_id}"


class Refund(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds")
    external_id = models.CharField(max_length=100)
    amount = money(_("amount"))
    note = models.TextField(blank=True)
    refunded_at = models.DateTimeField(_("refunded"))
    # The key Tiski asked for it with (a return's number): asked again, it is this one.
    # Empty for a refund the shop made on its own.
    key = models.CharField(max_length=100, blank=True, db_index=True)

    class Meta:
        ordering = ["order", "refunded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "external_id"], name="refund_order_external")
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.order.currency}"


class RefundLine(models.Model):
    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="refunded")
    quantity = models.PositiveIntegerField()
    amount = money()
    restocked = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.quantity} × {self.line_id}"


class Cart(models.Model):
    """A cart or checkout the customer left (for abandoned-cart outreach)."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="carts")
    external_id = models.CharField(max_length=100)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="carts"
    )
    email = models.CharField(max_length=255, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    total = money()
    # [{"variant": external id, "sku", "title", "quantity", "price"}], as the shop sent it.
    lines = models.JSONField(default=list, blank=True)
    recovery_url = models.URLField(max_length=1000, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    source_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "external_id"], name="cart_store_external")
        ]
        indexes = [models.Index(fields=["contact", "-started_at"], name="cart_contact_recent")]

    def __str__(self) -> str:
        return self.external_id


class DeliveryStatus(models.TextChoices):
    RECEIVED = "received", _("Not applied yet")
    APPLIED = "applied", _("Applied")
    STALE = "stale", _("Older than what is stored")
    IGNORED = "ignored", _("Ignored (a topic Tiski does not use)")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """A webhook exactly as it arrived, stored before it is applied.

    Applying reads the body from here, so a failure leaves it visible and retryable, and
    the platform's delivery id makes a retry of the same delivery a no-op.
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="webhook_deliveries")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    topic = models.CharField(max_length=100)
    # The platform's id of the delivery (X-Shopify-Webhook-Id and the like); "" if none.
    delivery_id = models.CharField(max_length=100, blank=True)
    triggered_at = models.DateTimeField(null=True, blank=True)
    body = models.BinaryField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.RECEIVED
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField(default=clock.now)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "platform", "delivery_id"],
                condition=~models.Q(delivery_id=""),
                name="delivery_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "received_at"],
                condition=models.Q(status="received"),
                name="delivery_pending",
            )
        ]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.platform} {self.topic} {self.delivery_id or self.pk}"

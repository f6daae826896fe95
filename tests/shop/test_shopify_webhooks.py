"""Shopify's documented webhook payloads (tests/shop/fixtures/shopify, see ORIGINS.md)
through the real endpoint: signed as Shopify signs them, stored, then applied."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.conftest import SYSTEM
from tiski.contacts.models import Contact, IdentityKind
from tiski.shop.actions import apply_pending_deliveries, connect_shop
from tiski.shop.connectors import MalformedPayload, WebhookMeta
from tiski.shop.connectors.shopify import ShopifyConnector, admin_order_url, sign
from tiski.shop.connectors.shopify_fields import shipment_status
from tiski.shop.models import (
    Cart,
    DeliveryStatus,
    FinancialStatus,
    Fulfillment,
    FulfillmentStatus,
    Order,
    Platform,
    Product,
    Refund,
    ShipmentStatus,
    ShopConnection,
    WebhookDelivery,
)
from tiski.shop.records import Deleted, FulfillmentRecord, OrderRecord
from tiski.stores.models import Store

SECRET = "shpss_test_5e1d0a"
FIXTURES = Path(__file__).parent / "fixtures" / "shopify"
ORDER_ID = "820982911946154508"
EST = timezone(timedelta(hours=-5))

Send = Callable[..., Any]


def fixture(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return loaded


@pytest.fixture
def shopify(store: Store) -> ShopConnection:
    return connect_shop(
        store,
        platform=Platform.SHOPIFY,
        actor=SYSTEM,
        webhook_secret=SECRET,
        shop_url="revontuli.myshopify.com",
    )


@pytest.fixture
def send(shopify: ShopConnection, client: Client) -> Send:
    """POST a payload as Shopify does: signed, with a fresh delivery id unless told."""
    ids = itertools.count(1)

    def post(
        topic: str,
        payload: Any = None,
        *,
        delivery: str | None = None,
        secret: str = SECRET,
        raw: bytes | None = None,
        triggered_at: str = "2022-01-01T00:00:00.000000Z",
        headers: dict[str, str | None] | None = None,
    ) -> Any:
        body = raw if raw is not None else json.dumps(payload).encode()
        sent: dict[str, str | None] = {
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": sign(secret, body),
            "X-Shopify-Shop-Domain": "revontuli.myshopify.com",
            "X-Shopify-API-Version": "2025-01",
            "X-Shopify-Webhook-Id": delivery or f"b54557e4-bdd9-4b37-8a5f-{next(ids):012d}",
            "X-Shopify-Triggered-At": triggered_at,
            **(headers or {}),
        }
        return client.post(
            f"/webhooks/shopify/{shopify.store.slug}/",
            data=body,
            content_type="application/json",
            headers={name: value for name, value in sent.items() if value is not None},
        )

    return post


def replay(send: Send, *topics: str) -> None:
    """Send each topic's fixture ("orders/create" → orders_create.json), then apply."""
    for topic in topics:
        answer = send(topic, fixture(topic.replace("/", "_")))
        assert answer.status_code == 200, answer.content
    apply_pending_deliveries()


def statuses() -> dict[str, str]:
    return dict(WebhookDelivery.objects.values_list("topic", "status"))


def test_the_documented_payloads_build_the_whole_order(send: Send) -> None:
    replay(
        send,
        "customers/create",
        "products/create",
        "orders/create",
        "fulfillments/create",
        "refunds/create",
        "inventory_levels/update",
        "checkouts/create",
    )
    assert set(statuses().values()) == {DeliveryStatus.APPLIED}

    order = Order.objects.get()
    assert (order.external_id, order.number, order.display_number) == (ORDER_ID, "1234", "#9999")
    assert (order.currency, order.total, order.subtotal) == (
        "USD",
        Decimal("404.95"),
        Decimal("404.95"),
    )
    assert (order.discount_total, order.shipping_total, order.tax_total) == (
        Decimal("20.00"),
        Decimal("10.00"),
        Decimal("0.00"),
    )
    assert order.financial_status == FinancialStatus.PAID
    assert order.fulfillment_status == FulfillmentStatus.UNFULFILLED  # null in the payload
    assert order.placed_at == datetime(2021, 12, 31, 19, tzinfo=EST)
    assert (order.email, order.language, order.tags) == ("jon@example.com", "en", ["tag1", "tag2"])
    assert order.status_url.startswith("https://jsmith.myshopify.com/548380009/orders/")
    assert order.shipping_address["city"] == "Shippington"
    assert "latitude" not in order.shipping_address and order.cancelled_at is None
    assert order.customer_name == "John Smith"
    assert order.contact is not None
    # Shopify's samples give the checkout's customer (another id) the same address, so
    # the one contact is known by both customer ids.
    assert set(order.contact.identities.values_list("kind", "value")) == {
        (IdentityKind.SHOP_CUSTOMER, "115310627314723954"),
        (IdentityKind.SHOP_CUSTOMER, "603851970716743426"),
        (IdentityKind.EMAIL, "john@example.com"),
    }

    lines = {line.sku: line for line in order.lines.all()}
    assert list(lines) == [
        "SKU2006-001",
        "LENS-PROTECT-2YR",
        "CASE-LEATHER-PREM",
        "SKU2006-020",
        "SKU2006-035",
    ]
    lounger = lines["SKU2006-020"]
    assert (lounger.title, lounger.quantity, lounger.unit_price) == (
        "Mid-century lounger",
        1,
        Decimal("159.99"),
    )
    product = Product.objects.get()
    assert lines["SKU2006-001"].product == product and lines["LENS-PROTECT-2YR"].product is None

    shipment = Fulfillment.objects.get()
    assert (shipment.external_id, shipment.order, shipment.status) == (
        "123456",
        order,
        ShipmentStatus.PENDING,
    )
    assert (shipment.carrier, shipment.tracking_number) == ("UPS", "1z827wk74630")
    assert shipment.tracking_url.startswith("https://www.ups.com/WebTracking")
    assert sorted(shipment.lines.values_list("line__sku", "quantity")) == sorted(
        (sku, 1) for sku in lines
    )

    refund = Refund.objects.get()
    # The money that went back is the two refund transactions, 75.00 and 10.00.
    assert (refund.order, refund.amount, refund.note) == (
        order,
        Decimal("85.00"),
        "Things were damaged",
    )
    assert refund.lines.count() == 5 and not refund.lines.filter(restocked=True).exists()
    assert refund.lines.get(line__sku="SKU2006-001").amount == Decimal("89.99")
    order.refresh_from_db()
    assert order.refunded_total == Decimal("85.00")

    assert (product.external_id, product.title, product.handle, product.category) == (
        "788032119674292922",
        "Example T-Shirt",
        "example-t-shirt",
        "Shirts",
    )
    assert product.active
    stock = {v.title: (v.price, v.stock, v.inventory_item_id) for v in product.variants.all()}
    assert stock == {
        # inventory_levels/update set the small one's stock from 75 to 10.
        "Small": (Decimal("19.99"), 10, "271878346596884015"),
        "Medium": (Decimal("19.99"), 50, "271878346596884016"),
    }

    bob = Contact.objects.get(
        identities__kind=IdentityKind.SHOP_CUSTOMER, identities__value="706405506930370084"
    )
    assert bob.name == "Bob Biller"
    assert bob.identities.filter(kind=IdentityKind.EMAIL, value="bob@biller.com").exists()

    cart = Cart.objects.get()
    assert (cart.external_id, cart.email, cart.currency, cart.total) == (
        "123123123",
        "example@email.com",
        "USD",
        Decimal("421.88"),
    )
    assert cart.recovery_url.endswith("/checkouts/123123123/recover?key=example-secret-token")
    assert cart.lines[0] == {
        "variant": "808950810",
        "sku": "IPOD2008PINK",
        "title": "IPod Nano - 8GB",
        "quantity": 1,
        "price": "199.00",
    }
    assert cart.contact == order.contact and cart.completed_at is None


def test_later_webhooks_move_the_order_on(send: Send) -> None:
    replay(send, "orders/create", "fulfillments/create", "fulfillments/update")
    shipment = Fulfillment.objects.get()
    assert shipment.status == ShipmentStatus.IN_TRANSIT

    # orders/updated carries the order's shipments and refunds inside it.
    replay(send, "orders/updated", "refunds/create")
    order = Order.objects.get()
    assert order.fulfillment_status == FulfillmentStatus.PARTIAL
    assert order.financial_status == FinancialStatus.PARTIALLY_REFUNDED
    assert order.note == "Leave at the back door"
    assert Fulfillment.objects.get().lines.count() == 2  # the order's own word on it
    # The refund came twice (inside the order and on its own): stored once.
    assert Refund.objects.get().amount == Decimal("85.00")
    assert order.refunded_total == Decimal("85.00")

    replay(send, "orders/cancelled")
    order.refresh_from_db()
    assert order.cancelled_at == datetime(2022, 1, 3, 8, tzinfo=EST)
    assert (order.cancel_reason, order.financial_status) == ("customer", FinancialStatus.VOIDED)
    assert set(statuses().values()) == {DeliveryStatus.APPLIED}


@pytest.mark.parametrize(
    ("topic", "changes", "expected"),
    [
        ("orders/paid", {"financial_status": "paid"}, ("paid", "unfulfilled")),
        (
            "orders/partially_fulfilled",
            {"fulfillment_status": "partial"},
            ("paid", "partial"),
        ),
        ("orders/fulfilled", {"fulfillment_status": "fulfilled"}, ("paid", "fulfilled")),
        ("orders/updated", {"financial_status": "refunded"}, ("refunded", "unfulfilled")),
        ("orders/updated", {"fulfillment_status": "restocked"}, ("paid", "restocked")),
        ("orders/updated", {"financial_status": "expired"}, ("voided", "unfulfilled")),
    ],
)
def test_every_order_topic_updates_the_statuses(
    send: Send, topic: str, changes: dict[str, Any], expected: tuple[str, str]
) -> None:
    replay(send, "orders/create")
    payload = {**fixture("orders_create"), **changes, "updated_at": "2022-01-02T08:00:00-05:00"}
    send(topic, payload)
    apply_pending_deliveries()
    order = Order.objects.get()
    assert (order.financial_status, order.fulfillment_status) == expected
    assert (order.paid_at is not None) == (topic == "orders/paid")


def test_deletions(send: Send) -> None:
    replay(send, "customers/create", "products/create", "orders/create")
    replay(send, "orders/delete", "products/delete", "customers/delete")
    assert set(statuses().values()) == {DeliveryStatus.APPLIED}
    assert not Order.objects.exists()
    # Deleted products stay for the orders that sold them, and customers stay contacts.
    assert not Product.objects.get().active
    assert Contact.objects.filter(identities__value="706405506930370084").exists()


def test_updates_of_customers_products_and_checkouts(send: Send) -> None:
    replay(send, "customers/create", "products/create", "checkouts/create")
    replay(send, "customers/update", "products/update", "checkouts/update")
    assert set(statuses().values()) == {DeliveryStatus.APPLIED}
    product = Product.objects.get()
    assert product.title == "Example T-Shirt (organic)"
    assert product.variants.get(title="Medium").price == Decimal("21.99")
    cart = Cart.objects.get()
    assert cart.completed_at is not None and cart.lines[0]["quantity"] == 2
    assert Contact.objects.filter(identities__value="706405506930370084").count() == 1


def test_an_order_edit_is_acknowledged_and_left_to_orders_updated(send: Send) -> None:
    # orders/edited names only the changed lines; Shopify sends orders/updated with the
    # whole order too.
    answer = send("orders/edited", fixture("orders_edited"))
    assert answer.status_code == 200 and answer.json()["status"] == DeliveryStatus.IGNORED


def test_bad_or_missing_signatures_are_refused_and_nothing_is_stored(
    send: Send, shopify: ShopConnection
) -> None:
    order = fixture("orders_create")
    wrong = send("orders/create", order, secret="not-the-secret")
    missing = send("orders/create", order, headers={"X-Shopify-Hmac-Sha256": None})
    other_body = send(
        "orders/create",
        order,
        headers={"X-Shopify-Hmac-Sha256": sign(SECRET, b'{"id": 1}')},
    )
    assert [r.status_code for r in (wrong, missing, other_body)] == [401] * 3
    assert "signature" in wrong.json()["detail"].lower()
    assert "X-Shopify-Hmac-SHA256" in missing.json()["detail"]

    shopify.webhook_secret = ""
    shopify.save(update_fields=["webhook_secret"])
    assert send("orders/create", order, secret="").status_code == 401
    assert not WebhookDelivery.objects.exists() and not Order.objects.exists()


def test_a_delivery_shopify_retries_is_stored_once(send: Send) -> None:
    first = send("orders/create", fixture("orders_create"), delivery="b54557e4-retry")
    again = send("orders/create", fixture("orders_create"), delivery="b54557e4-retry")
    assert first.status_code == again.status_code == 200
    assert again.json() == {**first.json(), "duplicate": True}
    assert WebhookDelivery.objects.count() == 1
    apply_pending_deliveries()
    assert Order.objects.count() == 1


def _updated(note: str, updated_at: str) -> dict[str, Any]:
    return {**fixture("orders_updated"), "note": note, "updated_at": updated_at}


def test_an_older_orders_updated_after_a_newer_one_changes_nothing(send: Send) -> None:
    send("orders/updated", _updated("uusin", "2022-01-02T12:00:00-05:00"), delivery="new")
    send("orders/updated", _updated("vanha", "2022-01-02T09:00:00-05:00"), delivery="old")
    apply_pending_deliveries()
    # ... and the same when the old one arrives after the new one was applied.
    send("orders/updated", _updated("vanhempi", "2022-01-02T08:00:00-05:00"), delivery="older")
    apply_pending_deliveries()
    found = dict(WebhookDelivery.objects.values_list("delivery_id", "status"))
    assert found == {
        "new": DeliveryStatus.APPLIED,
        "old": DeliveryStatus.STALE,
        "older": DeliveryStatus.STALE,
    }
    assert Order.objects.get().note == "uusin"


def test_without_updated_at_the_webhooks_firing_time_orders_the_versions(send: Send) -> None:
    product = fixture("products_create")
    del product["updated_at"]
    send("products/update", product, triggered_at="2022-01-05T10:00:00.000000Z")
    apply_pending_deliveries()
    late_retry = {**product, "title": "Old title"}
    send("products/update", late_retry, triggered_at="2022-01-04T10:00:00.000000Z")
    apply_pending_deliveries()
    assert Product.objects.get().title == "Example T-Shirt"
    assert Product.objects.get().source_updated_at == datetime(2022, 1, 5, 10, tzinfo=UTC)
    first, retry = WebhookDelivery.objects.order_by("id")
    assert (first.status, retry.status) == (DeliveryStatus.APPLIED, DeliveryStatus.STALE)
    assert first.triggered_at == datetime(2022, 1, 5, 10, tzinfo=UTC)

    order = fixture("orders_create")
    del order["updated_at"]
    send("orders/updated", {**order, "note": "new"}, triggered_at="2022-01-05T10:00:00Z")
    send("orders/updated", {**order, "note": "old"}, triggered_at="2022-01-04T10:00:00Z")
    apply_pending_deliveries()
    stored = Order.objects.get()
    assert (stored.note, stored.source_updated_at) == ("new", datetime(2022, 1, 5, 10, tzinfo=UTC))


def test_unknown_topics_are_acknowledged_and_ignored(send: Send) -> None:
    answer = send("themes/publish", {"id": 1})
    assert answer.status_code == 200 and answer.json()["status"] == DeliveryStatus.IGNORED
    assert apply_pending_deliveries() == 0


def test_a_body_that_is_not_json_is_kept_and_answered_400(send: Send) -> None:
    answer = send("orders/create", raw=b'{"id": 820982911946154508, "name": ')
    assert answer.status_code == 400 and "not JSON" in answer.json()["detail"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert bytes(delivery.body).startswith(b'{"id": 8209')


@pytest.mark.parametrize(
    ("topic", "payload", "reason"),
    [
        ("orders/create", [fixture("orders_create")], "not a JSON object"),
        ("orders/create", {"name": "#1001", "created_at": "2024-01-01T10:00:00Z"}, "no id"),
        ("orders/create", {"id": 1, "name": "#1001"}, "no created_at"),
        ("orders/create", {**fixture("orders_create"), "total_price": "many"}, "total_price"),
        ("fulfillments/create", {"id": 123456, "status": "success"}, "no order_id"),
        ("products/update", {"title": "No id"}, "product has no id"),
        ("customers/delete", {}, "customer has no id"),
    ],
)
def test_a_payload_that_cannot_be_read_fails_with_the_reason(
    send: Send, topic: str, payload: Any, reason: str
) -> None:
    assert send(topic, payload).status_code == 200  # stored: it is JSON
    apply_pending_deliveries()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and reason in delivery.error
    assert not Order.objects.exists() and not Product.objects.exists()


def test_unknown_and_missing_fields_are_tolerated(send: Send) -> None:
    order = fixture("orders_create")
    for key in ("customer", "shipping_address", "total_shipping_price_set", "tags", "refunds"):
        del order[key]
    order["line_items"][0]["price"] = None
    order["brand_new_field"] = {"nested": [1, 2, 3]}
    order["financial_status"] = "something_new"
    send("orders/create", order)
    apply_pending_deliveries()
    stored = Order.objects.get()
    assert (stored.financial_status, stored.shipping_total, stored.tags) == (
        FinancialStatus.PENDING,
        Decimal("0.00"),
        [],
    )
    assert stored.contact is not None  # by the order's email
    assert stored.lines.get(sku="SKU2006-001").unit_price == Decimal("0.00")


# The connector's pure parts, without the endpoint.

shopify_connector = ShopifyConnector()


def test_meta_reads_shopifys_headers() -> None:
    meta = shopify_connector.meta(
        {
            "x-shopify-topic": "Orders/Updated",
            "x-shopify-webhook-id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
            "x-shopify-triggered-at": "2025-07-10T16:15:47.000000Z",
        },
        b"{}",
    )
    assert meta == WebhookMeta(
        "orders/updated",
        "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
        datetime(2025, 7, 10, 16, 15, 47, tzinfo=UTC),
    )
    assert shopify_connector.meta({"x-shopify-triggered-at": "yesterday"}, b"").triggered_at is None
    assert not shopify_connector.is_ping({}, b"")


@pytest.mark.parametrize(
    ("status", "carrier_status", "expected"),
    [
        ("pending", None, ShipmentStatus.PENDING),
        ("open", None, ShipmentStatus.PENDING),
        ("success", None, ShipmentStatus.IN_TRANSIT),
        ("success", "label_printed", ShipmentStatus.LABEL_PRINTED),
        ("success", "label_purchased", ShipmentStatus.LABEL_PRINTED),
        ("success", "confirmed", ShipmentStatus.LABEL_PRINTED),
        ("success", "in_transit", ShipmentStatus.IN_TRANSIT),
        ("success", "out_for_delivery", ShipmentStatus.OUT_FOR_DELIVERY),
        ("success", "attempted_delivery", ShipmentStatus.ATTEMPTED_DELIVERY),
        ("success", "ready_for_pickup", ShipmentStatus.READY_FOR_PICKUP),
        ("success", "delivered", ShipmentStatus.DELIVERED),
        ("success", "failure", ShipmentStatus.FAILURE),
        ("cancelled", "in_transit", ShipmentStatus.CANCELLED),
        ("error", None, ShipmentStatus.FAILURE),
        ("SUCCESS", "PICKED_UP", ShipmentStatus.DELIVERED),  # GraphQL's spelling
        ("success", "something_new", ShipmentStatus.IN_TRANSIT),
    ],
)
def test_shipment_statuses(status: str, carrier_status: str | None, expected: str) -> None:
    assert shipment_status(status, carrier_status) == expected


def test_a_delivered_shipment_knows_when_and_its_expected_day() -> None:
    payload = {
        **fixture("fulfillments_update"),
        "shipment_status": "delivered",
        "estimated_delivery_at": "2022-01-04T12:00:00-05:00",
    }
    meta = WebhookMeta("fulfillments/update")
    (record,) = shopify_connector.records("fulfillments/update", payload, meta)
    assert isinstance(record, FulfillmentRecord)
    assert (record.status, record.order_external_id) == (ShipmentStatus.DELIVERED, ORDER_ID)
    assert record.delivered_at == datetime(2022, 1, 1, 12, tzinfo=EST)
    assert record.estimated_delivery == date(2022, 1, 4)


def test_deletions_are_records_of_their_own() -> None:
    meta = WebhookMeta("orders/delete")
    assert shopify_connector.records("orders/delete", fixture("orders_delete"), meta) == [
        Deleted("order", ORDER_ID)
    ]
    with pytest.raises(MalformedPayload):
        shopify_connector.records("orders/delete", {"id": None}, meta)


def test_the_admin_address_of_an_order(shopify: ShopConnection) -> None:
    assert admin_order_url(shopify, ORDER_ID, "1234") == (
        f"https://admin.shopify.com/store/revontuli/orders/{ORDER_ID}"
    )
    shopify.shop_url = "https://www.revontuli.fi"  # a custom domain names no handle
    assert admin_order_url(shopify, ORDER_ID, "1234") == ""
    shopify.admin_order_url = "https://erp.example/orders?shopify={id}&no={number}"
    assert admin_order_url(shopify, ORDER_ID, "1234") == (
        f"https://erp.example/orders?shopify={ORDER_ID}&no=1234"
    )
    # A caller that has the connection gets the address on every order record.
    records = shopify_connector.records(
        "orders/create", fixture("orders_create"), WebhookMeta("orders/create"), shopify
    )
    assert isinstance(records[0], OrderRecord)
    assert records[0].admin_url == f"https://erp.example/orders?shopify={ORDER_ID}&no=1234"

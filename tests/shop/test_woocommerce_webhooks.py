"""WooCommerce's webhooks through the real endpoint, replayed from the examples of
WooCommerce's REST API docs (tests/shop/fixtures/woocommerce): stored before they are
applied, verified, deduplicated, and read into orders, products and contacts."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tests.shop.conftest import WOO_SECRET, Post, woo_body, woo_payload
from tiski.contacts.models import Contact, IdentityKind
from tiski.shop.actions import apply_pending_deliveries
from tiski.shop.connectors import MalformedPayload, WebhookMeta, connector_for
from tiski.shop.connectors.woocommerce import sign as woo_sign
from tiski.shop.models import (
    DeliveryStatus,
    FinancialStatus,
    FulfillmentStatus,
    Order,
    Product,
    ShipmentStatus,
    ShopConnection,
    WebhookDelivery,
)
from tiski.shop.records import OrderRecord, ProductRecord, VariantRecord

D = Decimal


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def statuses() -> dict[str, str]:
    return dict(WebhookDelivery.objects.values_list("topic", "status"))


def test_an_order_is_stored_then_applied_with_its_lines_amounts_and_customer(
    woo_post: Post,
) -> None:
    woo_post("product.created", woo_payload("product_simple"))
    woo_post("product.created", woo_payload("product_variable"))
    woo_post("product.created", woo_payload("product_variation"))
    answer = woo_post("order.created", woo_payload("order"))
    assert answer.status_code == 200 and answer.json()["status"] == DeliveryStatus.RECEIVED
    assert not Order.objects.exists()  # stored first; the worker applies it
    assert apply_pending_deliveries() == 4
    assert set(statuses().values()) == {DeliveryStatus.APPLIED}

    order = Order.objects.get()
    assert (order.external_id, order.display_number, order.currency) == ("727", "#727", "EUR")
    # The shop shows prices with VAT: so do the order's amounts.
    assert (
        order.total,
        order.subtotal,
        order.discount_total,
        order.shipping_total,
        order.tax_total,
    ) == (D("77.00"), D("80.00"), D("10.00"), D("7.00"), D("15.64"))
    assert order.financial_status == FinancialStatus.PAID
    assert order.fulfillment_status == FulfillmentStatus.UNFULFILLED
    assert order.placed_at == at("2026-11-30T08:15:02")
    assert order.paid_at == order.source_updated_at == at("2026-11-30T08:15:09")
    assert order.cancelled_at is None and order.closed_at is None
    assert order.admin_url == "https://kauppa.example/wp-admin/post.php?post=727&action=edit"
    assert order.status_url == ""
    assert (order.note, order.language) == ("Jättäkää paketti ovelle, kiitos.", "fi")
    assert order.shipping_address["city"] == "Helsinki" and "company" not in order.shipping_address
    lines = [
        (line.title, line.variant_title, line.sku, line.quantity) for line in order.lines.all()
    ]
    assert lines == [
        ("Villasukat & pipo -setti", "", "VS-42", 2),
        ("Huppari Tunturi – Sininen, M", "sininen / M", "HT-M-BL", 1),
    ]
    amounts = [(line.unit_price, line.discount_total, line.total) for line in order.lines.all()]
    assert amounts == [(D("10.00"), D("0.00"), D("20.00")), (D("60.00"), D("10.00"), D("50.00"))]
    socks, hoodie = order.lines.all()
    assert socks.product is not None and socks.product.external_id == "93"
    assert socks.variant is not None and socks.variant.external_id == "93"
    assert hoodie.product is not None and hoodie.product.external_id == "799"
    assert hoodie.variant is not None and hoodie.variant.external_id == "800"
    assert order.fulfillments.count() == 0 and order.refunds.count() == 0

    contact = order.contact
    assert contact is not None and contact.name == "Matti Meikäläinen"
    assert set(contact.identities.values_list("kind", "value")) == {
        (IdentityKind.SHOP_CUSTOMER, "25"),
        (IdentityKind.EMAIL, "matti@example.fi"),
    }


def test_a_completed_order_brings_its_parcels_from_the_tracking_plugin(woo_post: Post) -> None:
    woo_post("order.created", woo_payload("order"))
    apply_pending_deliveries()
    woo_post("order.updated", woo_payload("order_completed"))
    apply_pending_deliveries()
    assert statuses() == {
        "order.created": DeliveryStatus.APPLIED,
        "order.updated": DeliveryStatus.APPLIED,
    }
    order = Order.objects.get()
    assert order.fulfillment_status == FulfillmentStatus.FULFILLED
    assert order.closed_at == order.source_updated_at == at("2026-12-01T11:05:44")
    parcels = [
        (f.carrier, f.tracking_number, f.tracking_url, f.status, f.shipped_at)
        for f in order.fulfillments.order_by("tracking_number")
    ]
    assert parcels == [
        ("posti", "JJFI64123400012345678", "", ShipmentStatus.IN_TRANSIT, at("2026-12-01T00:00")),
        (
            "Matkahuolto",
            "MH123456789FI",
            "https://www.matkahuolto.fi/seuranta?parcelNumber=MH123456789FI",
            ShipmentStatus.IN_TRANSIT,
            at("2026-12-01T00:00"),
        ),
    ]


def test_a_guest_order_with_refunds(woo_post: Post) -> None:
    woo_post("order.updated", woo_payload("order_refunded"))
    apply_pending_deliveries()
    order = Order.objects.get()
    assert order.financial_status == FinancialStatus.PARTIALLY_REFUNDED
    assert order.fulfillment_status == FulfillmentStatus.FULFILLED
    assert (order.total, order.refunded_total) == (D("39.00"), D("19.00"))
    # The order's own list of refunds has no dates: the order changed when they were made.
    refunds = {r.external_id: (r.amount, r.note, r.refunded_at) for r in order.refunds.all()}
    assert refunds == {
        "726": (D("10.00"), "Lapaset palautettu", at("2026-11-25T14:54:51")),
        "724": (D("9.00"), "", at("2026-11-25T14:54:51")),
    }
    # customer_id 0: a guest, known by their email, with their name.
    assert order.customer_external_id == "" and order.customer_name == "Liisa Virtanen"
    assert order.contact is not None
    assert list(order.contact.identities.values_list("kind", "value")) == [
        (IdentityKind.EMAIL, "liisa@example.fi")
    ]


def order_as(status: str, **fields: Any) -> OrderRecord | None:
    """What the connector reads from the example order in ``status``."""
    payload = {**woo_payload("order"), "status": status, **fields}
    meta = WebhookMeta("order.updated")
    records = connector_for("woocommerce").records("order.updated", payload, meta)
    if not records:
        return None
    [record] = records
    assert isinstance(record, OrderRecord)
    return record


@pytest.mark.parametrize(
    ("status", "fields", "payment", "shipping"),
    [
        ("pending", {"date_paid_gmt": None}, "pending", "unfulfilled"),
        ("on-hold", {"date_paid_gmt": None}, "pending", "unfulfilled"),
        ("failed", {"date_paid_gmt": None}, "pending", "unfulfilled"),
        ("processing", {}, "paid", "unfulfilled"),
        # Cash on delivery: "processing" before any money, as WooCommerce counts it.
        ("processing", {"date_paid_gmt": None}, "paid", "unfulfilled"),
        ("completed", {}, "paid", "fulfilled"),
        ("refunded", {}, "refunded", "unfulfilled"),
        ("refunded", {"date_completed_gmt": "2026-12-01T11:05:44"}, "refunded", "fulfilled"),
        ("cancelled", {"date_paid_gmt": None}, "voided", "unfulfilled"),
        ("cancelled", {}, "paid", "unfulfilled"),
        (
            "completed",
            {"refunds": [{"id": 9, "reason": "", "total": "-77.00"}]},
            "refunded",
            "fulfilled",
        ),
        (
            "completed",
            {"refunds": [{"id": 9, "reason": "", "total": "-7.00"}]},
            "partially_refunded",
            "fulfilled",
        ),
        # Statuses the shipment-tracking plugins add.
        ("shipped", {}, "paid", "fulfilled"),
        ("partial-shipped", {}, "paid", "partial"),
        ("delivered", {}, "paid", "fulfilled"),
        # A plugin's status Tiski has never heard of: the payment date says enough.
        ("wc-odottaa-noutoa", {}, "paid", "unfulfilled"),
        ("trash", {"date_paid_gmt": None}, "pending", "unfulfilled"),
    ],
)
def test_woocommerce_statuses_as_payment_and_shipping(
    status: str, fields: dict[str, Any], payment: str, shipping: str
) -> None:
    record = order_as(status, **fields)
    assert record is not None
    assert (record.financial_status, record.fulfillment_status) == (payment, shipping)
    assert (record.cancelled_at is not None) == (status == "cancelled")


def test_a_checkout_draft_is_not_an_order_yet() -> None:
    assert order_as("checkout-draft") is None


def test_products_variations_and_stock(woo_post: Post) -> None:
    woo_post("product.created", woo_payload("product_simple"))
    woo_post("product.created", woo_payload("product_variable"))
    apply_pending_deliveries()
    products = {
        p.external_id: (p.title, p.handle, p.category, p.url, p.image_url, p.active)
        for p in Product.objects.all()
    }
    assert products == {
        "93": (
            "Villasukat & pipo -setti",
            "villasukat-pipo-setti",
            "Asusteet & sukat",
            "https://kauppa.example/tuote/villasukat-pipo-setti/",
            "https://kauppa.example/wp-content/uploads/2026/10/T_2_front-4.jpg",
            True,
        ),
        "799": (
            "Huppari Tunturi",
            "huppari-tunturi",
            "Hupparit",
            "https://kauppa.example/tuote/huppari-tunturi/",
            "https://kauppa.example/wp-content/uploads/2017/03/T_4_front-11.jpg",
            True,
        ),
    }

    def variants() -> dict[str, list[tuple[str, str, Decimal, int | None]]]:
        return {
            p.external_id: [
                (v.external_id, v.sku, v.price, v.stock) for v in p.variants.order_by("id")
            ]
            for p in Product.objects.all()
        }

    # A simple product is its own variant; a variable one's variations come one by one.
    assert variants() == {"93": [("93", "VS-42", D("10.00"), 12)], "799": []}
    # A variation sent on its own (a product webhook of type "variation") is the variant,
    # under its parent; the parent sent again keeps it.
    woo_post("product.updated", woo_payload("product_variation"))
    apply_pending_deliveries()
    assert statuses()["product.updated"] == DeliveryStatus.APPLIED
    woo_post("product.updated", {**woo_payload("product_variable"), "name": "Huppari Tunturi 2"})
    apply_pending_deliveries()
    assert variants()["799"] == [("800", "HT-M-BL", D("60.00"), 3)]

    woo_post("product.deleted", {"id": 93})
    apply_pending_deliveries()
    # Kept for the orders that sold it, no longer sold.
    assert not Product.objects.get(external_id="93").active


def test_a_draft_product_is_inactive() -> None:
    payload = {**woo_payload("product_simple"), "status": "draft"}
    [record] = connector_for("woocommerce").records(
        "product.updated", payload, WebhookMeta("product.updated")
    )
    assert isinstance(record, ProductRecord) and not record.active


def test_a_variation_is_a_variant_of_its_parent_with_stock_only_when_counted() -> None:
    meta = WebhookMeta("product.updated")
    counted = woo_payload("product_variation")
    [variant] = connector_for("woocommerce").records("product.updated", counted, meta)
    assert isinstance(variant, VariantRecord)
    assert (variant.external_id, variant.product_external_id, variant.stock) == ("800", "799", 3)
    uncounted = {**counted, "manage_stock": False}
    [variant] = connector_for("woocommerce").records("product.updated", uncounted, meta)
    assert isinstance(variant, VariantRecord) and variant.stock is None
    orphan = {**counted, "parent_id": 0}
    assert connector_for("woocommerce").records("product.updated", orphan, meta) == []


def test_customers_become_contacts_and_stay_when_deleted(woo_post: Post) -> None:
    woo_post("customer.created", woo_payload("customer"))
    staff = {**woo_payload("customer"), "id": 1, "email": "olli@kauppa.example"}
    woo_post("customer.updated", {**staff, "role": "shop_manager"})
    apply_pending_deliveries()
    contact = Contact.objects.get()
    assert contact.name == "Matti Meikäläinen"
    assert set(contact.identities.values_list("kind", "value")) == {
        (IdentityKind.SHOP_CUSTOMER, "25"),
        (IdentityKind.EMAIL, "matti@example.fi"),
    }
    woo_post("customer.deleted", {"id": 25})
    apply_pending_deliveries()
    assert statuses()["customer.deleted"] == DeliveryStatus.APPLIED
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_a_trashed_order_goes_and_a_restored_one_comes_back(woo_post: Post) -> None:
    woo_post("order.created", woo_payload("order"))
    apply_pending_deliveries()
    woo_post("order.deleted", {"id": 727})
    apply_pending_deliveries()
    assert not Order.objects.exists()
    woo_post("order.restored", woo_payload("order"))
    apply_pending_deliveries()
    assert Order.objects.get().number == "727"


def test_the_ping_of_a_new_webhook_is_answered_and_nothing_is_stored(
    woo_shop: ShopConnection, client: Client
) -> None:
    # WC_Webhook::deliver_ping: a form POST, unsigned, no topic; anything but 200 and
    # WooCommerce refuses to save the webhook.
    answer = client.post(
        f"/webhooks/woocommerce/{woo_shop.store.slug}/",
        data=b"webhook_id=12",
        content_type="application/x-www-form-urlencoded",
        headers={"User-Agent": "WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)"},
    )
    assert answer.status_code == 200
    assert not WebhookDelivery.objects.exists()
    # Only exactly that: anything else unsigned is refused.
    other = client.post(
        f"/webhooks/woocommerce/{woo_shop.store.slug}/",
        data=b"webhook_id=12&topic=order.created",
        content_type="application/x-www-form-urlencoded",
    )
    assert other.status_code == 401
    assert not WebhookDelivery.objects.exists()


def test_bad_signatures_are_refused_and_nothing_is_stored(woo_post: Post) -> None:
    order = woo_payload("order")
    wrong = woo_post("order.created", order, secret="not-the-secret")
    unsigned = woo_post("order.created", order, headers={"X-WC-Webhook-Signature": ""})
    # Signed for other bytes: the order, sent with another total.
    signed_for = woo_post(
        "order.created",
        None,
        raw=woo_body({**order, "total": "0.01"}),
        headers={"X-WC-Webhook-Signature": woo_sign(WOO_SECRET, woo_body(order))},
    )
    assert [a.status_code for a in (wrong, unsigned, signed_for)] == [401] * 3
    assert "signature" in wrong.json()["detail"].lower()
    assert not WebhookDelivery.objects.exists() and not Order.objects.exists()


def test_a_secret_saved_with_html_entities_verifies(
    woo_post: Post, woo_shop: ShopConnection
) -> None:
    # WooCommerce signs with wp_specialchars_decode( $secret ): "&amp;" is "&" to it.
    woo_shop.webhook_secret = "kettu&amp;karhu"
    woo_shop.save(update_fields=["webhook_secret"])
    assert woo_post("order.created", woo_payload("order"), secret="kettu&karhu").status_code == 200


def test_the_same_delivery_twice_is_stored_once(woo_post: Post) -> None:
    first = woo_post("order.created", woo_payload("order"), delivery="5f1c7b9e")
    again = woo_post("order.created", woo_payload("order"), delivery="5f1c7b9e")
    assert first.status_code == again.status_code == 200
    assert again.json() == {**first.json(), "duplicate": True}
    assert WebhookDelivery.objects.count() == 1


def test_deliveries_of_one_second_share_an_id_and_are_all_kept(woo_post: Post) -> None:
    # WooCommerce's delivery id is a hash of the webhook id and the second: a bulk edit
    # sends many orders under one id.
    other = {**woo_payload("order_refunded")}
    woo_post("order.updated", woo_payload("order"), delivery="5f1c7b9e")
    woo_post("order.updated", other, delivery="5f1c7b9e")
    assert WebhookDelivery.objects.count() == 2
    apply_pending_deliveries()
    assert set(Order.objects.values_list("external_id", flat=True)) == {"727", "723"}


def test_an_older_update_after_a_newer_one_changes_nothing(woo_post: Post) -> None:
    woo_post("order.updated", woo_payload("order_completed"), delivery="newer")
    apply_pending_deliveries()
    woo_post("order.updated", woo_payload("order"), delivery="older")
    apply_pending_deliveries()
    by_delivery = {d.delivery_id.split(":")[0]: d.status for d in WebhookDelivery.objects.all()}
    assert by_delivery == {"newer": DeliveryStatus.APPLIED, "older": DeliveryStatus.STALE}
    order = Order.objects.get()
    assert order.fulfillment_status == FulfillmentStatus.FULFILLED
    assert order.fulfillments.count() == 2


def test_topics_tiski_does_not_use_are_acknowledged_and_ignored(woo_post: Post) -> None:
    coupon = woo_post("coupon.created", {"id": 720, "code": "talvi10"})
    action = woo_post("action.woocommerce_add_to_cart", {"action": "x", "arg": "abc"})
    for answer in (coupon, action):
        assert answer.status_code == 200 and answer.json()["status"] == DeliveryStatus.IGNORED
    assert apply_pending_deliveries() == 0


def test_a_body_that_is_not_json_is_kept_and_answered_400(woo_post: Post) -> None:
    answer = woo_post("order.created", None, raw=b'{"id": 727, "number": ')
    assert answer.status_code == 400 and "not JSON" in answer.json()["detail"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert bytes(delivery.body) == b'{"id": 727, "number": '
    assert apply_pending_deliveries() == 0


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ([{"id": 727}], "must be a JSON object"),
        ({"number": "727", "status": "processing"}, "without an id"),
        ({"id": "seitsemän"}, "without an id"),
        ({"order": {"id": 727, "created_at": "2026-11-30T08:15:02Z"}}, "Legacy REST API"),
        ({"id": 727, "date_created": "2026-11-30T10:15:02"}, "date_created_gmt"),
    ],
)
def test_a_payload_that_is_no_order_fails_with_the_reason(
    woo_post: Post, payload: Any, reason: str
) -> None:
    woo_post("order.created", payload)
    apply_pending_deliveries()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and reason in delivery.error
    assert not Order.objects.exists()


def test_odd_fields_do_not_stop_an_order(woo_post: Post) -> None:
    odd = copy.deepcopy(woo_payload("order"))
    odd.update(
        total="n/a",
        number=None,
        billing=None,
        shipping=[],
        line_items=[{"id": 1, "name": None, "quantity": "two"}, "x", {"name": "no id"}],
        refunds={"0": {"id": 5, "total": "-1.00"}},
        date_paid_gmt="0000-00-00T00:00:00",
        customer_id=False,
        prices_include_tax="yes",
    )
    odd["meta_data"] = [
        {"key": "_wc_shipment_tracking_items", "value": "not a list"},
        {"key": "wpml_language", "value": {"fi": True}},
    ]
    woo_post("order.updated", odd)
    apply_pending_deliveries()
    assert statuses()["order.updated"] == DeliveryStatus.APPLIED
    order = Order.objects.get()
    assert (order.number, order.total, order.email, order.paid_at) == ("727", D("0"), "", None)
    assert [(line.title, line.quantity) for line in order.lines.all()] == [("?", 0)]
    assert order.refunds.get().amount == D("1.00")
    assert order.fulfillments.count() == 0


def test_records_refuse_what_is_not_an_object() -> None:
    connector = connector_for("woocommerce")
    with pytest.raises(MalformedPayload, match="JSON object"):
        connector.records("product.updated", "793", WebhookMeta("product.updated"))

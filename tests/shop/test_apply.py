"""apply_records: the shop's records stored idempotently, never going back in time."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import SYSTEM
from tests.shop.conftest import order
from tiski.contacts.actions import IdentityInput, create_contact
from tiski.contacts.models import Contact, ContactIdentity, IdentityKind
from tiski.shop.actions import Outcome, apply_records
from tiski.shop.models import (
    Cart,
    Fulfillment,
    Order,
    OrderLine,
    Product,
    ProductVariant,
    Refund,
    ShipmentStatus,
)
from tiski.shop.records import Deleted
from tiski.shop.schemas import CartIn, FulfillmentIn, InventoryIn, OrderIn, ProductIn, RefundIn
from tiski.stores.models import Store


def apply(store: Store, *records: Any) -> list[Outcome]:
    return apply_records(store, list(records), actor=SYSTEM)


def record(payload: dict[str, Any]) -> Any:
    return OrderIn.model_validate(payload).record()


def test_an_order_is_stored_with_its_lines_and_its_customer_as_a_contact(store: Store) -> None:
    assert apply(store, record(order())) == [Outcome.APPLIED]
    stored = Order.objects.get()
    assert (stored.number, stored.display_number, stored.total, stored.currency) == (
        "10234",
        "#10234",
        Decimal("129.90"),
        "EUR",
    )
    assert stored.financial_status == "paid" and stored.fulfillment_status == "unfulfilled"
    assert [(line.title, line.quantity, line.position) for line in stored.lines.all()] == [
        ("Kuoritakki Tunturi", 1, 0),
        ("Villasukat", 2, 1),
    ]
    contact = stored.contact
    assert contact is not None and contact.name == "Matti Meikäläinen"
    assert set(contact.identities.values_list("kind", "value")) == {
        (IdentityKind.SHOP_CUSTOMER, "c-7"),
        (IdentityKind.EMAIL, "matti@example.fi"),
    }


def test_the_customer_who_already_wrote_is_found_by_email(store: Store) -> None:
    writer = create_contact(
        store, actor=SYSTEM, identities=[IdentityInput(IdentityKind.EMAIL, "Matti@Example.fi")]
    )
    apply(store, record(order()))
    assert Order.objects.get().contact == writer
    # ... and now known by the shop's customer id too.
    assert writer.identities.filter(kind=IdentityKind.SHOP_CUSTOMER, value="c-7").exists()
    assert Contact.objects.count() == 1


def test_a_guest_order_links_by_email_and_a_bad_address_loses_only_the_link(
    store: Store,
) -> None:
    guest = order(id="o-2", number="10235", customer_id="", email="liisa@example.fi")
    broken = order(id="o-3", number="10236", customer_id="", email="not an address")
    assert apply(store, record(guest), record(broken)) == [Outcome.APPLIED] * 2
    stored = {o.number: o for o in Order.objects.all()}
    assert stored["10235"].contact is not None
    assert stored["10235"].contact.identities.get().value == "liisa@example.fi"
    assert stored["10236"].contact is None and stored["10236"].email == "not an address"


def test_an_update_changes_the_order_and_keeps_its_lines_ids(store: Store) -> None:
    apply(store, record(order()))
    lines = dict(OrderLine.objects.values_list("external_id", "id"))
    later = order(
        updated_at="2026-12-01T11:00:00+02:00",
        financial_status="refunded",
        lines=[
            {"id": "l-1", "title": "Kuoritakki Tunturi", "quantity": 1, "unit_price": "99.90"},
            {"id": "l-3", "title": "Pipo", "quantity": 1, "unit_price": "19.90"},
        ],
    )
    assert apply(store, record(later)) == [Outcome.APPLIED]
    stored = Order.objects.get()
    assert stored.financial_status == "refunded"
    now = dict(OrderLine.objects.values_list("external_id", "id"))
    # The line that stayed is the same row (returns and refunds point at it); the one
    # removed from the order is gone, the new one added.
    assert now["l-1"] == lines["l-1"] and set(now) == {"l-1", "l-3"}


def test_an_older_version_never_overwrites_a_newer_one(store: Store) -> None:
    newer = order(updated_at="2026-12-01T12:00:00+02:00", financial_status="refunded")
    older = order(updated_at="2026-12-01T10:00:00+02:00", financial_status="paid")
    assert apply(store, record(newer)) == [Outcome.APPLIED]
    assert apply(store, record(older)) == [Outcome.STALE]
    assert Order.objects.get().financial_status == "refunded"
    # Both versions in one batch, older last: the newer still wins.
    Order.objects.all().delete()
    assert apply(store, record(newer), record(older)) == [Outcome.APPLIED, Outcome.STALE]
    assert Order.objects.get().financial_status == "refunded"


def test_applying_the_same_records_again_changes_nothing(store: Store) -> None:
    payload = order(
        fulfillments=[
            {
                "id": "f-1",
                "status": "in_transit",
                "carrier": "Posti",
                "tracking_number": "JJFI64123",
                "lines": [{"line_id": "l-1", "quantity": 1}],
            }
        ],
        refunds=[{"id": "r-1", "amount": "25.00", "refunded_at": "2026-12-02T10:00:00Z"}],
    )
    apply(store, record(payload))
    before = _snapshot()
    assert apply(store, record(payload)) == [Outcome.APPLIED]
    assert _snapshot() == before


def _snapshot() -> tuple[Any, ...]:
    return (
        list(Order.objects.values_list("id", "financial_status", "refunded_total")),
        list(OrderLine.objects.values_list("id", "quantity")),
        list(Fulfillment.objects.values_list("id", "status", "tracking_number")),
        list(Refund.objects.values_list("id", "amount")),
        Contact.objects.count(),
        ContactIdentity.objects.count(),
    )


def test_shipments_and_refunds_sent_on_their_own(store: Store) -> None:
    shipment = FulfillmentIn.model_validate(
        {
            "id": "f-9",
            "order_id": "o-1",
            "status": "delivered",
            "carrier": "Posti",
            "tracking_url": "https://www.posti.fi/fi/seuranta#/lahetys/JJFI1",
            "delivered_at": "2026-12-03T12:00:00+02:00",
            "lines": [{"line_id": "l-2", "quantity": 2}],
        }
    ).record()
    refund = RefundIn.model_validate(
        {
            "id": "r-9",
            "order_id": "o-1",
            "amount": "12.50",
            "refunded_at": "2026-12-04T10:00:00Z",
            "lines": [{"line_id": "l-2", "quantity": 1, "amount": "12.50"}],
        }
    ).record()
    # Before their order is stored: nothing to attach them to yet.
    assert apply(store, shipment, refund) == [Outcome.MISSING, Outcome.MISSING]
    apply(store, record(order()))
    assert apply(store, shipment, refund) == [Outcome.APPLIED, Outcome.APPLIED]
    stored = Order.objects.get()
    fulfillment = stored.fulfillments.get()
    assert fulfillment.status == ShipmentStatus.DELIVERED
    assert [(line.line.external_id, line.quantity) for line in fulfillment.lines.all()] == [
        ("l-2", 2)
    ]
    assert stored.refunded_total == Decimal("12.50")
    assert stored.refunds.get().lines.get().line.external_id == "l-2"


def test_products_variants_and_stock(store: Store) -> None:
    product = ProductIn.model_validate(
        {
            "id": "p-1",
            "title": "Kuoritakki Tunturi",
            "category": "Takit",
            "updated_at": "2026-12-01T10:00:00Z",
            "variants": [
                {"id": "v-1", "title": "M", "sku": "KT-M", "price": "99.90", "stock": 3},
                {"id": "v-2", "title": "L", "sku": "KT-L", "price": "99.90", "stock": 0},
            ],
        }
    ).record()
    assert apply(store, product) == [Outcome.APPLIED]
    restock = InventoryIn.model_validate(
        {"sku": "KT-L", "stock": 12, "updated_at": "2026-12-02T10:00:00Z"}
    ).record()
    unknown = InventoryIn.model_validate({"sku": "NOPE", "stock": 1}).record()
    assert apply(store, restock, unknown) == [Outcome.APPLIED, Outcome.MISSING]
    assert dict(ProductVariant.objects.values_list("sku", "stock")) == {"KT-M": 3, "KT-L": 12}
    # An order line names its variant: linked to the catalogue.
    apply(
        store,
        record(order(lines=[{"id": "l-1", "title": "Takki", "quantity": 1, "variant_id": "v-2"}])),
    )
    line = OrderLine.objects.get()
    assert line.variant is not None and line.variant.sku == "KT-L"
    assert line.product == Product.objects.get()
    # A deleted product stays for the orders that sold it, inactive.
    assert apply(store, Deleted("product", "p-1")) == [Outcome.APPLIED]
    assert Product.objects.get().active is False and OrderLine.objects.get().product is not None


def test_carts_and_deleted_orders(store: Store) -> None:
    cart = CartIn.model_validate(
        {"id": "k-1", "email": "matti@example.fi", "currency": "eur", "total": "45.00"}
    ).record()
    apply(store, cart, record(order()))
    stored = Cart.objects.get()
    assert stored.currency == "EUR" and stored.contact == Order.objects.get().contact
    apply(store, Deleted("order", "o-1"))
    assert not Order.objects.exists() and not OrderLine.objects.exists()


def test_a_batch_takes_the_same_statements_whatever_its_size(store: Store) -> None:
    def count(n: int, start: int) -> int:
        records = [
            record(order(str(start + i), id=f"o-{start + i}", email=f"a{start + i}@example.fi"))
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as captured:
            assert apply(store, *records) == [Outcome.APPLIED] * n
        return len(captured)

    assert count(3, 100) == count(40, 200)
    assert Order.objects.count() == 43 and OrderLine.objects.count() == 86


def test_variants_sent_on_their_own(store: Store) -> None:
    from datetime import UTC, datetime

    from tiski.shop.records import ProductRecord, VariantRecord

    def variant(stamp: int, price: str, stock: int | None) -> VariantRecord:
        return VariantRecord(
            external_id="v-9",
            product_external_id="p-9",
            sku="HT-M",
            price=Decimal(price),
            stock=stock,
            updated_at=datetime(2026, 12, 1, stamp, tzinfo=UTC),
        )

    # Before its product is stored there is nothing to put it under.
    assert apply(store, variant(10, "60.00", 3)) == [Outcome.MISSING]
    # The parent lists no variants (None): it keeps whatever is stored.
    parent = ProductRecord(external_id="p-9", title="Huppari", variants=None)
    assert apply(store, parent, variant(10, "60.00", 3)) == [Outcome.APPLIED] * 2
    assert apply(store, parent) == [Outcome.APPLIED]
    assert apply(store, variant(9, "55.00", 1)) == [Outcome.STALE]
    # A newer version without a stock count keeps the stored count.
    assert apply(store, variant(11, "65.00", None)) == [Outcome.APPLIED]
    stored = ProductVariant.objects.get()
    assert (stored.product.external_id, stored.price, stored.stock) == ("p-9", Decimal("65.00"), 3)


def test_merging_contacts_moves_their_orders_and_carts(store: Store) -> None:
    from tiski.contacts.actions import merge_contacts

    apply(
        store,
        record(order()),
        CartIn.model_validate({"id": "k-1", "email": "matti@example.fi"}).record(),
    )
    shopper = Order.objects.get().contact
    assert shopper is not None
    visitor = create_contact(
        store, actor=SYSTEM, identities=[IdentityInput(IdentityKind.VISITOR, "ab" * 16)]
    )
    merge_contacts(shopper, visitor, actor=SYSTEM)
    assert Order.objects.get().contact == visitor and Cart.objects.get().contact == visitor


def test_links_that_are_not_web_addresses_are_not_kept(store: Store) -> None:
    sneaky = order(
        status_url="javascript:alert(1)",
        admin_url="JavaScript:alert(2)",
        fulfillments=[
            {"id": "f-1", "tracking_url": "data:text/html,<script>", "carrier": "Posti"},
            {"id": "f-2", "tracking_url": "https://www.posti.fi/fi/seuranta#/lahetys/JJFI1"},
        ],
    )
    apply(store, record(sneaky))
    stored = Order.objects.get()
    assert (stored.status_url, stored.admin_url) == ("", "")
    assert dict(stored.fulfillments.values_list("external_id", "tracking_url")) == {
        "f-1": "",
        "f-2": "https://www.posti.fi/fi/seuranta#/lahetys/JJFI1",
    }

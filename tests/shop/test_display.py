"""Orders found by number and email, and how they read to agents and customers."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from tests.conftest import SYSTEM
from tests.shop.conftest import order
from tiski.shop.actions import apply_records
from tiski.shop.display import order_status, summarize, summary_text
from tiski.shop.models import Order
from tiski.shop.queries import contact_orders, find_order, normalize_number, orders_by_number
from tiski.shop.schemas import OrderIn
from tiski.stores.models import Store


def stored(store: Store, **fields: Any) -> Order:
    payload = order(**fields)
    apply_records(store, [OrderIn.model_validate(payload).record()], actor=SYSTEM)
    return Order.objects.get(store=store, external_id=payload["id"])


def parcel(status: str, **fields: Any) -> dict[str, Any]:
    return {"id": f"f-{status}", "status": status, "carrier": "Posti", **fields}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"financial_status": "pending"}, "awaiting_payment"),
        ({}, "being_prepared"),
        ({"cancelled_at": "2026-12-02T10:00:00Z"}, "cancelled"),
        ({"financial_status": "refunded", "fulfillments": [parcel("delivered")]}, "refunded"),
        (
            {"fulfillment_status": "fulfilled", "fulfillments": [parcel("in_transit")]},
            "on_its_way",
        ),
        (
            {"fulfillment_status": "partial", "fulfillments": [parcel("in_transit")]},
            "partly_shipped",
        ),
        ({"fulfillment_status": "fulfilled", "fulfillments": [parcel("delivered")]}, "delivered"),
        (
            {
                "fulfillment_status": "fulfilled",
                "fulfillments": [parcel("delivered"), {**parcel("in_transit"), "id": "f-2"}],
            },
            "partly_delivered",
        ),
        ({"fulfillments": [parcel("cancelled")]}, "being_prepared"),
    ],
)
def test_one_status_for_every_state(store: Store, fields: dict[str, Any], expected: str) -> None:
    assert order_status(stored(store, **fields)) == expected


def test_an_order_is_found_only_by_its_number_and_email_together(store: Store) -> None:
    stored(store)
    assert find_order(store, "#10234", " Matti@Example.FI ") is not None
    assert find_order(store, "nr 10 234", "matti@example.fi") is not None
    assert find_order(store, "10234", "liisa@example.fi") is None
    assert find_order(store, "10235", "matti@example.fi") is None
    assert find_order(store, "", "matti@example.fi") is None
    assert normalize_number(" #No. 10234 ") == "10234"
    assert set(orders_by_number(store, ["#10234", "99"])) == {"10234"}


def test_a_summary_in_the_customers_language(store: Store) -> None:
    shipped = stored(
        store,
        fulfillment_status="fulfilled",
        fulfillments=[
            parcel(
                "in_transit",
                tracking_number="JJFI6412",
                tracking_url="https://www.posti.fi/fi/seuranta#/lahetys/JJFI6412",
                estimated_delivery="2026-12-05",
                lines=[{"line_id": "l-1", "quantity": 1}],
            )
        ],
    )
    [again] = contact_orders(shipped.contact)  # type: ignore[arg-type]
    summary = summarize(again)
    assert summary.parcels[0].items == [("Kuoritakki Tunturi", 1)]
    with translation.override("fi"):
        text = summary_text(again)
        total = summarize(again).total
    assert text.splitlines()[0] == "Tilaus #10234, tehty 1.12.2026: matkalla"
    assert "- 2 × Villasukat" in text
    assert "Posti JJFI6412 https://www.posti.fi/fi/seuranta#/lahetys/JJFI6412" in text
    assert "5.12.2026" in text
    assert total == "129,90 €"
    with translation.override("en"):
        assert summary_text(again).startswith("Order #10234, placed ")

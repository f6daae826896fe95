"""Fraud signals for the agent: each at its threshold, none for an ordinary customer,
nobody else's history counted, and flags only (the return itself is untouched)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string

from tests.conftest import SYSTEM
from tests.returns.test_complaints import file
from tests.returns.test_request import delivered
from tests.shop.test_selfservice import stored
from tiski.core import clock
from tiski.returns.actions import ReturnItem, reject_return, request_return
from tiski.returns.models import Return, ReturnSettings, ReturnStatus
from tiski.returns.signals import (
    Severity,
    Signal,
    SignalCode,
    signals_for,
    signals_for_complaint,
)
from tiski.shop.models import Order, OrderLine
from tiski.stores.models import Store

HELSINKI = ZoneInfo("Europe/Helsinki")
_numbers = iter(range(20_000, 30_000))


def order_of(store: Store, email: str = "matti@example.fi", **fields: Any) -> Order:
    """A delivered order (three days ago) of the customer with ``email``."""
    number = str(next(_numbers))
    defaults: dict[str, Any] = {
        "id": f"o-{number}",
        "number": number,
        "email": email,
        "customer_id": f"c-{email}",
        "placed_at": (clock.now() - timedelta(days=5)).isoformat(),
        "fulfillment_status": "fulfilled",
        "fulfillments": delivered(3),
    }
    return stored(store, **{**defaults, **fields})


def give_back(order: Order, reason: str = "too_small", line: str = "l-1") -> Return:
    sold = OrderLine.objects.get(order=order, external_id=line)
    return request_return(order, items=[ReturnItem(sold.pk, sold.quantity, reason)], actor=SYSTEM)


def codes(case: Return) -> list[SignalCode]:
    return [signal.code for signal in signals_for(case)]


def found(case: Return, code: SignalCode) -> Signal:
    return next(signal for signal in signals_for(case) if signal.code == code)


def test_an_ordinary_customer_raises_nothing(store: Store) -> None:
    order_of(store)
    case = give_back(order_of(store))
    assert signals_for(case) == []
    assert render_to_string("returns/_signals.html", {"signals": []}).strip() == ""


@pytest.mark.parametrize(
    ("orders", "returns", "flagged"),
    [
        (6, 3, True),  # 3 returns, 50 %: both thresholds met
        (7, 3, False),  # 3 returns, 43 %
        (2, 2, False),  # 100 %, but only 2 returns
    ],
)
def test_frequent_returns_need_three_returns_and_half_the_orders(
    store: Store, orders: int, returns: int, flagged: bool
) -> None:
    made = [order_of(store) for _ in range(orders)]
    cases = [give_back(order) for order in made[:returns]]
    if flagged:
        signal = found(cases[-1], SignalCode.FREQUENT_RETURNS)
        assert signal.severity == Severity.WARNING
        assert signal.message == (
            "Returns often: 3 returns of 6 orders in the last 12 months (50%)."
        )
    else:
        assert SignalCode.FREQUENT_RETURNS not in codes(cases[-1])
    # A flag, not a decision: the return waits for the agent like any other.
    assert {case.status for case in cases} == {ReturnStatus.REQUESTED}


def test_rejected_and_old_returns_do_not_count(store: Store) -> None:
    with clock.frozen_at(clock.now() - timedelta(days=400)):
        give_back(order_of(store))  # more than 12 months ago
    made = [order_of(store) for _ in range(4)]
    cases = [give_back(order) for order in made[:3]]
    assert found(cases[-1], SignalCode.FREQUENT_RETURNS).params == {
        "returns": 3,
        "orders": 4,
        "rate": 75,
    }
    reject_return(cases[0], reason="Ei palautusoikeutta.", actor=SYSTEM)
    assert SignalCode.FREQUENT_RETURNS not in codes(cases[-1])


def test_another_customers_history_does_not_count(store: Store, other_store: Store) -> None:
    for _ in range(3):
        give_back(order_of(store, email="liisa@example.fi"), reason="damaged")
        # The same address at another shop is another shop's customer.
        give_back(order_of(other_store), reason="damaged")
    case = give_back(order_of(store), reason="damaged")
    assert signals_for(case) == []


def test_without_a_contact_the_customer_is_their_email_in_any_case(store: Store) -> None:
    made = [order_of(store) for _ in range(3)]
    cases = [give_back(order) for order in made]
    Order.objects.filter(pk__in=[o.pk for o in made]).update(contact=None)
    Order.objects.filter(pk=made[0].pk).update(email="Matti@Example.FI")
    Order.objects.filter(pk=made[1].pk).update(email="liisa@example.fi")
    case = Return.objects.get(pk=cases[2].pk)
    assert SignalCode.FREQUENT_RETURNS not in codes(case)  # 2 returns of 2 orders
    Order.objects.filter(pk=made[1].pk).update(email="matti@example.fi")
    assert found(case, SignalCode.FREQUENT_RETURNS).params["returns"] == 3


def test_two_claims_of_damaged_or_wrong_goods_are_flagged(store: Store) -> None:
    first = give_back(order_of(store), reason="wrong_item")
    assert SignalCode.REPEATED_CLAIMS not in codes(first)
    complaint = file(order_of(store))
    signal = found(first, SignalCode.REPEATED_CLAIMS)
    assert signal.message == (
        "2 claims of damaged, faulty or wrong goods in the last 12 months (complaints and returns)."
    )
    assert [s.code for s in signals_for_complaint(complaint)] == [SignalCode.REPEATED_CLAIMS]
    # Other reasons are not such claims.
    other = give_back(order_of(store), reason="changed_mind")
    assert found(other, SignalCode.REPEATED_CLAIMS).params["claims"] == 2


@pytest.mark.parametrize(("discount", "flagged"), [("40.00", True), ("39.99", False)])
def test_a_line_bought_at_forty_percent_off_is_flagged(
    store: Store, discount: str, flagged: bool
) -> None:
    lines = [
        {
            "id": "l-1",
            "title": "Kuoritakki Tunturi",
            "quantity": 2,
            "unit_price": "50.00",
            "discount_total": discount,
            "total": "60.00",
        }
    ]
    case = give_back(order_of(store, lines=lines, fulfillments=delivered(3, (("l-1", 2),))))
    if flagged:
        signal = found(case, SignalCode.HEAVY_DISCOUNT)
        assert signal.message == "Kuoritakki Tunturi was bought at 40% off."
    else:
        assert codes(case) == []


@pytest.mark.parametrize(
    ("shipping", "billing", "flagged"),
    [
        # Shopify's keys against WooCommerce's: the same place.
        ({"country_code": "FI", "zip": "00100"}, {"country": "FI", "postcode": "00 100"}, False),
        ({"country_code": "FI", "zip": "00100"}, {"country": "FI", "postcode": "33100"}, True),
        ({"country_code": "FI", "zip": "00100"}, {"country_code": "SE", "zip": "00100"}, True),
        ({"country_code": "FI", "zip": "00100"}, {}, False),  # nothing to compare with
    ],
)
def test_shipping_and_billing_in_different_places_are_flagged(
    store: Store, shipping: dict[str, str], billing: dict[str, str], flagged: bool
) -> None:
    order = order_of(store, shipping_address=shipping, billing_address=billing)
    case = give_back(order)
    assert (SignalCode.ADDRESS_MISMATCH in codes(case)) is flagged
    if flagged and billing.get("postcode"):
        assert found(case, SignalCode.ADDRESS_MISMATCH).message == (
            "The shipping and billing addresses differ: shipped to FI 00100, billed to FI 33100."
        )
    complaint = file(order)
    assert (
        SignalCode.ADDRESS_MISMATCH in [s.code for s in signals_for_complaint(complaint)]
    ) is flagged


@pytest.mark.parametrize(
    ("asked_at", "noted"),
    [
        # Received Monday 2 November: the law's 14 days end with Monday 16 November.
        (datetime(2026, 11, 16, 23, 59, tzinfo=HELSINKI), False),
        (datetime(2026, 11, 17, 0, 0, tzinfo=HELSINKI), True),
    ],
)
def test_a_return_after_the_laws_14_days_is_noted(
    store: Store, asked_at: datetime, noted: bool
) -> None:
    ReturnSettings.objects.create(store=store, shop_window_days=30)
    received = datetime(2026, 11, 2, 12, 0, tzinfo=HELSINKI)
    order = order_of(
        store,
        placed_at=datetime(2026, 10, 30, 9, 0, tzinfo=HELSINKI).isoformat(),
        fulfillments=[
            {
                "id": "f-1",
                "status": "delivered",
                "delivered_at": received.isoformat(),
                "lines": [{"line_id": "l-1", "quantity": 1}, {"line_id": "l-2", "quantity": 2}],
            }
        ],
    )
    with clock.frozen_at(asked_at):
        case = give_back(order)
        signals = signals_for(case)
    if noted:
        [signal] = signals
        assert (signal.code, signal.severity) == (SignalCode.BEYOND_STATUTORY, Severity.INFO)
        assert signal.message == (
            "Asked for after the law's 14 days, which ended on 16 November 2026, within the "
            "shop's own return window: the shop's terms apply, a restocking fee included."
        )
    else:
        assert signals == []


def test_warnings_come_first_and_are_shown_as_warnings(store: Store) -> None:
    ReturnSettings.objects.create(store=store, shop_window_days=30)
    order = order_of(
        store,
        placed_at=(clock.now() - timedelta(days=25)).isoformat(),
        fulfillments=delivered(20),
        shipping_address={"country_code": "FI"},
        billing_address={"country_code": "EE"},
    )
    case = give_back(order)
    signals = signals_for(case)
    assert [s.code for s in signals] == [
        SignalCode.ADDRESS_MISMATCH,
        SignalCode.BEYOND_STATUTORY,
    ]
    html = render_to_string("returns/_signals.html", {"signals": signals})
    assert html.count("return-signal-warning") == 1 and html.count("return-signal-info") == 1
    assert "shipped to FI, billed to EE" in html


def test_the_history_costs_the_same_few_queries_however_long(
    store: Store, django_assert_max_num_queries: Any
) -> None:
    for _ in range(4):
        give_back(order_of(store), reason="damaged")
    case = Return.objects.select_related("order__store").latest("pk")
    with django_assert_max_num_queries(5):
        assert len(signals_for(case)) == 2

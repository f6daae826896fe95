"""The returns report, checked against orders and returns counted by hand; and who may
read it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from tests.conftest import SYSTEM, logged_in
from tests.returns.test_request import delivered
from tests.shop.test_selfservice import stored
from tiski.agents.models import Agent
from tiski.core import clock
from tiski.returns.actions import (
    ReturnItem,
    approve_return,
    mark_received,
    reject_return,
    request_return,
    resolve_return,
)
from tiski.returns.models import Resolution, Return
from tiski.returns.reports import ReasonCount, Retained, ReturnsReport, returns_report
from tiski.shop.actions import apply_records
from tiski.shop.models import Order, OrderLine, ProductVariant
from tiski.shop.schemas import ProductIn
from tiski.stores.models import Store

JACKET = {"id": "l-1", "title": "Kuoritakki Tunturi", "product_id": "p-1", "quantity": 1}
SOCKS = {"id": "l-2", "title": "Villasukat", "product_id": "p-2", "quantity": 2}
WRAPPING = {"id": "l-3", "title": "Lahjapaketointi", "quantity": 1, "total": "3.00"}


def products(store: Store) -> None:
    apply_records(
        store,
        [
            ProductIn.model_validate(
                {
                    "id": "p-1",
                    "title": "Kuoritakki Tunturi",
                    "category": "Takit",
                    "variants": [{"id": "v-m", "title": "M"}, {"id": "v-l", "title": "L"}],
                }
            ).record(),
            ProductIn.model_validate(
                {
                    "id": "p-2",
                    "title": "Villasukat",
                    "category": "Sukat",
                    "variants": [{"id": "v-42", "title": "42"}],
                }
            ).record(),
        ],
        actor=SYSTEM,
    )


def order(
    store: Store, number: str, lines: list[dict[str, Any]], *, days_ago: int = 10, **fields: Any
) -> Order:
    return stored(
        store,
        id=f"o-{number}",
        number=number,
        lines=lines,
        placed_at=(clock.now() - timedelta(days=days_ago)).isoformat(),
        fulfillment_status="fulfilled",
        fulfillments=delivered(3, tuple((line["id"], line["quantity"]) for line in lines)),
        **fields,
    )


# The variant each product is exchanged for.
EXCHANGED_FOR = {"p-1": "v-l", "p-2": "v-42"}


def item(placed: Order, line: str, quantity: int, reason: str, exchange: bool) -> ReturnItem:
    sold = OrderLine.objects.select_related("product").get(order=placed, external_id=line)
    variant = None
    if exchange and sold.product is not None:
        variant = ProductVariant.objects.get(
            store=placed.store, external_id=EXCHANGED_FOR[sold.product.external_id]
        ).pk
    return ReturnItem(sold.pk, quantity, reason, variant)


def give_back(
    placed: Order, items: list[tuple[str, int, str]], settled: str | None = None
) -> Return:
    """A return of (line, quantity, reason) and, with ``settled``, settled that way by an
    agent: approved, received and settled through the back office's actions."""
    exchange = settled == Resolution.EXCHANGE
    case = request_return(
        placed,
        items=[item(placed, line, n, reason, exchange) for line, n, reason in items],
        resolution=Resolution.EXCHANGE if exchange else Resolution.REFUND,
        actor=SYSTEM,
    )
    if settled is not None:
        approve_return(case, actor=SYSTEM)
        mark_received(case, actor=SYSTEM)
        # Store credit is the agent's choice here: the shop does not offer it online.
        resolve_return(case, resolution=settled, actor=SYSTEM)
    return Return.objects.get(pk=case.pk)


@pytest.fixture
def shop(store: Store, other_store: Store) -> Store:
    """Four orders in the last 90 days (one in kronor), one older, one at another shop.

    Sold in 90 days: jackets 1+1+1+1 = 4, socks 2+2+2 = 6, gift wrapping 1 (no product).
    Returned (not rejected): jackets 3 (too small 2, changed mind 1), socks 5 (too small
    4, damaged 1). Settled: refund 2, exchange 2, store credit 1.
    """
    products(store)
    jacket = {**JACKET, "unit_price": "99.90", "total": "99.90"}
    socks = {**SOCKS, "unit_price": "12.50", "total": "25.00"}
    a = order(store, "101", [jacket, socks, WRAPPING])
    b = order(store, "102", [jacket, socks])
    c = order(store, "103", [jacket, socks])
    d = order(
        store, "104", [{**JACKET, "unit_price": "1000.00", "total": "1000.00"}], currency="SEK"
    )
    give_back(a, [("l-1", 1, "too_small")], Resolution.EXCHANGE)
    give_back(a, [("l-2", 1, "damaged")], Resolution.STORE_CREDIT)  # half the line: 12.50
    give_back(b, [("l-2", 2, "too_small")], Resolution.REFUND)
    give_back(b, [("l-1", 1, "changed_mind")])  # asked for, not settled yet
    rejected = give_back(c, [("l-1", 1, "wrong_item")])
    reject_return(rejected, reason="Tilattu tuote toimitettiin.", actor=SYSTEM)
    give_back(c, [("l-2", 2, "too_small")], Resolution.REFUND)
    give_back(d, [("l-1", 1, "too_small")], Resolution.EXCHANGE)
    # Outside the 90 days: a jacket sold and exchanged 100 days ago.
    old = order(store, "90", [{**JACKET, "unit_price": "99.90", "total": "99.90"}], days_ago=100)
    give_back(old, [("l-1", 1, "too_large")], Resolution.EXCHANGE)
    # Another shop's jacket, for store credit: none of this store's business.
    elsewhere = order(other_store, "555", [{**JACKET, "product_id": "", "total": "50.00"}])
    give_back(elsewhere, [("l-1", 1, "too_small")], Resolution.STORE_CREDIT)
    return store


def report(store: Store, days: int = 90) -> ReturnsReport:
    return returns_report(store, days=days, now=clock.now())


def rows(table: Any) -> list[tuple[str, int, int, Decimal | None, list[tuple[str, int]]]]:
    return [
        (r.name, r.sold, r.returned, r.rate, [(x.reason, x.quantity) for x in r.reasons])
        for r in table
    ]


def test_return_rates_and_reasons_per_product_and_category(shop: Store) -> None:
    made = report(shop)
    assert (made.sold, made.returned, made.rate) == (11, 8, Decimal("72.7"))
    assert rows(made.products) == [
        ("Villasukat", 6, 5, Decimal("83.3"), [("too_small", 4), ("damaged", 1)]),
        ("Kuoritakki Tunturi", 4, 3, Decimal("75.0"), [("too_small", 2), ("changed_mind", 1)]),
    ]
    assert rows(made.categories) == [
        ("Sukat", 6, 5, Decimal("83.3"), [("too_small", 4), ("damaged", 1)]),
        ("Takit", 4, 3, Decimal("75.0"), [("too_small", 2), ("changed_mind", 1)]),
    ]


def test_how_settled_returns_ended_and_the_money_kept(shop: Store) -> None:
    made = report(shop)
    assert made.settled == 5
    assert [(s.resolution, s.returns, s.percent) for s in made.resolutions] == [
        ("refund", 2, Decimal("40.0")),
        ("exchange", 2, Decimal("40.0")),
        ("store_credit", 1, Decimal("20.0")),
    ]
    assert made.retained == [
        Retained("EUR", exchange=Decimal("99.90"), credit=Decimal("12.50")),
        Retained("SEK", exchange=Decimal("1000.00"), credit=Decimal("0")),
    ]
    assert made.retained[0].total == Decimal("112.40")


def test_a_longer_period_takes_in_older_orders(shop: Store) -> None:
    made = report(shop, days=365)
    assert (made.sold, made.returned) == (12, 9)
    jackets = next(r for r in made.products if r.name == "Kuoritakki Tunturi")
    assert (jackets.sold, jackets.returned) == (5, 4)
    assert jackets.reasons == (
        ReasonCount("too_small", 2),
        ReasonCount("changed_mind", 1),
        ReasonCount("too_large", 1),
    )
    assert made.retained[0].exchange == Decimal("199.80")


def test_a_store_without_returns_reports_nothing(other_store: Store, store: Store) -> None:
    made = report(store)
    assert (made.sold, made.returned, made.rate) == (0, 0, None)
    assert made.products == made.categories == made.resolutions == made.retained == []


def test_few_queries_whatever_the_data(shop: Store, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(7):
        report(shop)


def page(client: Client, query: str = "?store=revontuli&days=90") -> Any:
    return client.get("/reports/returns/" + query)


def test_members_read_the_report(shop: Store, teammate: Agent) -> None:
    with translation.override("en"):
        response = page(logged_in(teammate))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Villasukat" in html and "83.3 %" in html
    assert "€99.90" in html or "99.90 €" in html
    assert 'data-resolution="exchange"' in html


def test_other_agents_get_404_and_bad_periods_400(
    shop: Store, outsider: Agent, owner: Agent
) -> None:
    outsider_client = logged_in(outsider)
    assert page(outsider_client).status_code == 404
    assert page(outsider_client, "?store=no-such-store").status_code == 404
    # Without a store: their own, where none of the Finnish store's figures are.
    own = page(outsider_client, "")
    assert own.status_code == 200 and "Villasukat" not in own.content.decode()
    client = logged_in(owner)
    for bad in ("abc", "0", "-5", "731", "1.5"):
        assert page(client, f"?store=revontuli&days={bad}").status_code == 400
    assert page(Client()).status_code == 302  # to the login page

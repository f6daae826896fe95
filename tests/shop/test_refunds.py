"""refund_order: asked for only when it can be right, and done by hand where the
platform cannot do it (Shopify and WooCommerce refund through their APIs: see their
connector tests)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import SYSTEM
from tests.shop.conftest import order
from tiski.core.errors import ActionError
from tiski.shop.actions import apply_records, refund_order
from tiski.shop.models import Order, ShopConnection
from tiski.shop.schemas import OrderIn
from tiski.stores.models import Store


def stored(store: Store, **fields: Any) -> Order:
    apply_records(store, [OrderIn.model_validate(order(**fields)).record()], actor=SYSTEM)
    return Order.objects.get(store=store)


def test_a_shop_that_only_sends_is_refunded_by_hand(store: Store, shop: ShopConnection) -> None:
    ordered = stored(store)
    outcome = refund_order(ordered, amount=Decimal("10.00"), key="R-1", actor=SYSTEM)
    assert not outcome.done and "do it in the shop" in outcome.manual


def test_a_store_without_a_shop_is_refunded_by_hand(store: Store) -> None:
    outcome = refund_order(stored(store), amount=Decimal("10.00"), key="R-1", actor=SYSTEM)
    assert not outcome.done and "no enabled shop connection" in outcome.manual


@pytest.mark.parametrize(
    ("amount", "lines", "key", "field"),
    [
        (Decimal("0"), {}, "R-1", "amount"),
        (Decimal("129.91"), {}, "R-1", "amount"),  # more than the order's 129.90
        (Decimal("10"), {}, "  ", "key"),
        (Decimal("10"), {999_999: 1}, "R-1", "lines"),  # not this order's line
        (Decimal("10"), "too many", "R-1", "lines"),
    ],
)
def test_a_refund_that_cannot_be_right_is_refused(
    store: Store, shop: ShopConnection, amount: Decimal, lines: object, key: str, field: str
) -> None:
    ordered = stored(
        store, refunds=[{"id": "r-0", "amount": "0", "refunded_at": "2026-12-02T10:00Z"}]
    )
    if lines == "too many":
        socks = ordered.lines.get(external_id="l-2")  # two pairs were bought
        lines = {socks.pk: 3}
    with pytest.raises(ActionError) as refused:
        refund_order(ordered, amount=amount, key=key, lines=lines, actor=SYSTEM)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_asked_again_with_its_key_the_refund_is_the_one_made(
    store: Store, shop: ShopConnection
) -> None:
    from tiski.shop.records import RefundLineRecord, RefundRecord

    ordered = stored(store)
    # The shop's short version first (no lines), then Tiski's answer with the key and
    # the lines: one refund, with both.
    short = RefundRecord("r-7", Decimal("25.00"), ordered.placed_at, order_external_id="o-1")
    full = RefundRecord(
        "r-7",
        Decimal("25.00"),
        ordered.placed_at,
        order_external_id="o-1",
        key="RET-1",
        lines=(RefundLineRecord("l-2", 2, Decimal("25.00"), restocked=True),),
    )
    apply_records(store, [short], actor=SYSTEM)
    apply_records(store, [full], actor=SYSTEM)
    refund = ordered.refunds.get()
    assert refund.key == "RET-1"
    assert [(line.line.external_id, line.quantity) for line in refund.lines.all()] == [("l-2", 2)]
    # All of it refunded already, and still: the same key answers with that refund (the
    # shop is not asked, which here could not even do it).
    outcome = refund_order(ordered, amount=Decimal("129.90"), key=" RET-1 ", actor=SYSTEM)
    assert outcome.done and outcome.external_id == "r-7"

"""A customer's return request: what it stores, the conversation it opens, and every
refusal leaving nothing behind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import TestCase
from django.utils import translation
from django.utils.translation import gettext

from tests.conftest import SYSTEM
from tests.shop.test_selfservice import stored
from tiski.conversations.models import Conversation, Message
from tiski.core import clock
from tiski.core.errors import ActionError
from tiski.returns.actions import ReturnItem, held_quantities, request_return
from tiski.returns.actions.requests import label_url
from tiski.returns.actions.settings import save_return_settings
from tiski.returns.deadlines import is_day_off
from tiski.returns.models import Resolution, Return, ReturnLine, ReturnSettings, ReturnStatus
from tiski.shop.actions import apply_records
from tiski.shop.models import Order, OrderLine, ProductVariant
from tiski.shop.schemas import ProductIn
from tiski.stores.models import Store


def delivered(
    days_ago: float, lines: tuple[tuple[str, int], ...] = (("l-1", 1), ("l-2", 2))
) -> list[dict[str, Any]]:
    at = (clock.now() - timedelta(days=days_ago)).isoformat()
    return [
        {
            "id": "f-1",
            "status": "delivered",
            "carrier": "Posti",
            "delivered_at": at,
            "lines": [{"line_id": line, "quantity": n} for line, n in lines],
        }
    ]


@pytest.fixture
def order(store: Store) -> Order:
    return stored(store, language="fi", fulfillment_status="fulfilled", fulfillments=delivered(3))


def line(order: Order, external_id: str) -> OrderLine:
    return OrderLine.objects.get(order=order, external_id=external_id)


def item(order: Order, external_id: str, quantity: int = 1, **extra: Any) -> ReturnItem:
    return ReturnItem(
        line(order, external_id).pk, quantity, extra.pop("reason", "too_small"), **extra
    )


def nothing_stored() -> bool:
    return not Return.objects.exists() and not ReturnLine.objects.exists()


def test_a_request_is_numbered_and_opens_a_conversation(
    order: Order, record: Callable[[], Any]
) -> None:
    with record() as events, TestCase.captureOnCommitCallbacks(execute=True):
        case = request_return(
            order,
            items=[item(order, "l-1"), item(order, "l-2", 2, reason="changed_mind")],
            actor=SYSTEM,
            comment="Takki on liian pieni.",
        )
    assert (case.reference, case.status, case.resolution) == (
        "R1001",
        ReturnStatus.REQUESTED,
        Resolution.REFUND,
    )
    assert case.language == "fi"
    assert sorted(case.lines.values_list("order_line__external_id", "quantity", "reason")) == [
        ("l-1", 1, "too_small"),
        ("l-2", 2, "changed_mind"),
    ]
    assert case.conversation_id is not None
    conversation = Conversation.objects.get(pk=case.conversation_id)
    with translation.override("fi"):
        expected = gettext("Return %(reference)s, order %(number)s")
    assert conversation.subject == expected % {"reference": "R1001", "number": order.display_number}
    assert conversation.channel == "email" and conversation.contact.name == "Matti Meikäläinen"
    first = Message.objects.filter(conversation=conversation).order_by("pk").first()
    assert first is not None and "Kuoritakki Tunturi" in first.body_text
    assert "return.requested" in [e.type for e in events]
    # The customer is told, by email, in their language.
    confirmation = Message.objects.filter(conversation=conversation, automatic=True).get()
    assert "R1001" in confirmation.body_text
    # With the label: the address answers with the PDF (tests/returns/test_label.py).
    assert label_url(case) in confirmation.body_text and "/label" in label_url(case)


def test_numbers_follow_each_other_per_store(store: Store, order: Order) -> None:
    first = request_return(order, items=[item(order, "l-1")], actor=SYSTEM)
    second = request_return(order, items=[item(order, "l-2")], actor=SYSTEM)
    assert (first.number, second.number) == (1001, 1002)


def test_more_than_bought_or_already_returned_is_refused(order: Order) -> None:
    with pytest.raises(ActionError) as refused:
        request_return(order, items=[item(order, "l-2", 3)], actor=SYSTEM)
    assert refused.value.field == "quantity" and "2" in refused.value.message
    assert nothing_stored()
    request_return(order, items=[item(order, "l-2", 2)], actor=SYSTEM)
    assert held_quantities(order) == {line(order, "l-2").pk: 2}
    with pytest.raises(ActionError) as again:
        request_return(order, items=[item(order, "l-2", 1)], actor=SYSTEM)
    with translation.override("fi"):  # the customer's language
        why = gettext("Already returned or in an open return: %(returned)s of %(bought)s.")
    assert again.value.message == "Villasukat: " + why % {"returned": 2, "bought": 2}
    assert Return.objects.count() == 1


def test_a_rejected_return_frees_its_items(order: Order) -> None:
    case = request_return(order, items=[item(order, "l-1")], actor=SYSTEM)
    Return.objects.filter(pk=case.pk).update(status=ReturnStatus.REJECTED)
    assert held_quantities(order) == {}
    request_return(order, items=[item(order, "l-1")], actor=SYSTEM)


@pytest.mark.parametrize(
    "items",
    [
        [],
        [ReturnItem(999_999, 1, "too_small")],
        "someone else's line",
        "twice",
        "zero",
        "bad reason",
        "long note",
    ],
)
def test_bad_requests_store_nothing(
    store: Store, order: Order, other_store: Store, items: Any
) -> None:
    if items == "someone else's line":
        foreign = stored(other_store, id="o-9", number="555")
        items = [ReturnItem(line(foreign, "l-1").pk, 1, "too_small")]
    elif items == "twice":
        items = [item(order, "l-2"), item(order, "l-2")]
    elif items == "zero":
        items = [item(order, "l-2", 0)]
    elif items == "bad reason":
        items = [item(order, "l-1", reason="'; DROP TABLE")]
    elif items == "long note":
        items = [item(order, "l-1", note="x" * 501)]
    with pytest.raises(ActionError):
        request_return(order, items=items, actor=SYSTEM)
    assert nothing_stored()
    assert not Conversation.objects.exists()


def test_a_cancelled_order_and_a_long_comment_are_refused(order: Order) -> None:
    with pytest.raises(ActionError):
        request_return(order, items=[item(order, "l-1")], actor=SYSTEM, comment="x" * 2001)
    Order.objects.filter(pk=order.pk).update(cancelled_at=order.placed_at)
    with pytest.raises(ActionError):
        request_return(order, items=[item(order, "l-1")], actor=SYSTEM)
    assert nothing_stored()


def test_an_exchange_needs_another_variant_of_the_same_product(store: Store) -> None:
    apply_records(
        store,
        [
            ProductIn.model_validate(
                {
                    "id": "p-1",
                    "title": "Kuoritakki Tunturi",
                    "variants": [
                        {"id": "v-m", "title": "M / sininen", "sku": "TT-KT-M-BL"},
                        {"id": "v-l", "title": "L / sininen", "sku": "TT-KT-L-BL"},
                    ],
                }
            ).record(),
            ProductIn.model_validate(
                {"id": "p-2", "title": "Villasukat", "variants": [{"id": "v-42", "title": "42"}]}
            ).record(),
        ],
        actor=SYSTEM,
    )
    lines = [
        {
            "id": "l-1",
            "title": "Kuoritakki Tunturi",
            "product_id": "p-1",
            "variant_id": "v-m",
            "quantity": 1,
            "unit_price": "99.90",
            "total": "99.90",
        },
    ]
    order = stored(store, lines=lines, fulfillments=delivered(2, (("l-1", 1),)))
    larger = ProductVariant.objects.get(external_id="v-l")
    socks = ProductVariant.objects.get(external_id="v-42")
    with pytest.raises(ActionError) as refused:
        request_return(
            order,
            items=[item(order, "l-1", exchange_variant_id=socks.pk)],
            actor=SYSTEM,
            resolution=Resolution.EXCHANGE,
        )
    assert refused.value.field == "exchange_variant"
    with pytest.raises(ActionError):
        request_return(
            order, items=[item(order, "l-1", exchange_variant_id=larger.pk)], actor=SYSTEM
        )
    case = request_return(
        order,
        items=[item(order, "l-1", exchange_variant_id=larger.pk)],
        actor=SYSTEM,
        resolution=Resolution.EXCHANGE,
    )
    assert case.lines.get().exchange_variant == larger


def test_the_deadlines_are_kept(store: Store, order: Order) -> None:
    case = request_return(order, items=[item(order, "l-1")], actor=SYSTEM)
    received = (clock.now() - timedelta(days=3)).astimezone(ZoneInfo(store.timezone)).date()
    assert case.withdrawal_deadline is not None
    assert case.withdrawal_deadline >= received + timedelta(days=14)
    requested = case.requested_at.astimezone(ZoneInfo(store.timezone)).date()
    # 14 days after the notice, moved off a weekend or holiday (Regulation 1182/71).
    expected = requested + timedelta(days=14)
    while is_day_off(expected, store.country):
        expected += timedelta(days=1)
    assert case.refund_due == expected


def test_what_the_rules_refuse_is_explained(store: Store) -> None:
    waiting = stored(store, id="o-2", number="10235")  # nothing delivered yet
    with pytest.raises(ActionError) as refused:
        request_return(waiting, items=[item(waiting, "l-1")], actor=SYSTEM)
    assert refused.value.field == "quantity" and "Kuoritakki Tunturi:" in refused.value.message
    late = stored(store, id="o-3", number="10236", fulfillments=delivered(40))
    with pytest.raises(ActionError) as too_late:
        request_return(late, items=[item(late, "l-1")], actor=SYSTEM)
    assert "Kuoritakki Tunturi:" in too_late.value.message
    assert nothing_stored()
    # A shop that gives 60 days takes it back.
    ReturnSettings.objects.create(store=store, shop_window_days=60)
    assert request_return(late, items=[item(late, "l-1")], actor=SYSTEM).number == 1001


def test_store_credit_only_where_the_shop_offers_it(store: Store, order: Order) -> None:
    with pytest.raises(ActionError) as refused:
        request_return(
            order, items=[item(order, "l-1")], actor=SYSTEM, resolution=Resolution.STORE_CREDIT
        )
    assert refused.value.field == "resolution"
    ReturnSettings.objects.create(store=store, offers_store_credit=True)
    case = request_return(
        order, items=[item(order, "l-1")], actor=SYSTEM, resolution=Resolution.STORE_CREDIT
    )
    assert case.resolution == Resolution.STORE_CREDIT


def test_an_unsealed_hygiene_item_is_refused(store: Store) -> None:
    apply_records(
        store,
        [
            ProductIn.model_validate(
                {
                    "id": "p-9",
                    "title": "Hammasharja",
                    "category": "Hygienia",
                    "variants": [{"id": "v-9", "title": "Pehmeä"}],
                }
            ).record()
        ],
        actor=SYSTEM,
    )
    ReturnSettings.objects.create(store=store, category_exclusions={"Hygienia": "sealed_hygiene"})
    lines = [
        {
            "id": "l-1",
            "title": "Hammasharja",
            "product_id": "p-9",
            "variant_id": "v-9",
            "quantity": 1,
            "unit_price": "4.90",
            "total": "4.90",
        }
    ]
    brush = stored(
        store, id="o-4", number="10237", lines=lines, fulfillments=delivered(2, (("l-1", 1),))
    )
    with pytest.raises(ActionError):
        request_return(brush, items=[item(brush, "l-1", unsealed=True)], actor=SYSTEM)
    assert request_return(brush, items=[item(brush, "l-1", unsealed=False)], actor=SYSTEM)


def test_return_settings_are_checked(store: Store) -> None:
    saved = save_return_settings(store, actor=SYSTEM, shop_window_days=30, offers_store_credit=True)
    assert (saved.shop_window_days, saved.offers_store_credit) == (30, True)
    for bad in (
        {"shop_window_days": 400},
        {"category_exclusions": {"Hygienia": "smelly"}},
        {"category_exclusions": ["Hygienia"]},
        {"blocked_customers": "matti@example.fi"},
        {"restocking_fee_percent": Decimal("120")},
        {"colour": "red"},
    ):
        with pytest.raises(ActionError):
            save_return_settings(store, actor=SYSTEM, **bad)
    saved.refresh_from_db()
    assert (saved.shop_window_days, saved.category_exclusions) == (30, {})

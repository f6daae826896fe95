"""A customer's return request: what it stores, the conversation it opens, and every
refusal leaving nothing behind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import TestCase
from django.utils import translation
from django.utils.translation import gettext

from tests.conftest import SYSTEM
from tests.shop.test_selfservice import stored
from tiski.conversations.models import Conversation, Message
from tiski.core.errors import ActionError
from tiski.returns.actions import ReturnItem, held_quantities, request_return
from tiski.returns.models import Resolution, Return, ReturnLine, ReturnStatus
from tiski.shop.actions import apply_records
from tiski.shop.models import Order, OrderLine, ProductVariant
from tiski.shop.schemas import ProductIn
from tiski.stores.models import Store


@pytest.fixture
def order(store: Store) -> Order:
    return stored(store, language="fi")


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
    assert "already been returned" in again.value.message
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
    order = stored(store, lines=lines)
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

"""The back office of a return: every step allowed and refused, the events, the customer's
emails in their language, and refunds through the shop's platform or left to do by hand."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.conftest import SYSTEM, inbound
from tests.returns.test_request import delivered, item
from tests.shop.test_selfservice import stored
from tests.shop.test_shopify_refunds import (  # noqa: F401 - fixtures
    FIXTURES,
    ORDER_ID,
    SUNGLASSES,
    FakeShopify,
    connection,
    fake,
    waits,
)
from tiski.agents.models import Agent
from tiski.conversations.models import Kind, Message
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.returns.actions import (
    LineInspection,
    TransitionRefused,
    approve_return,
    close_return,
    mark_in_transit,
    mark_label_sent,
    mark_received,
    record_inspection,
    reject_return,
    request_return,
    resolve_return,
)
from tiski.returns.actions.review import NEXT, refund_amount
from tiski.returns.models import (
    InspectionGrade,
    Resolution,
    Return,
    ReturnLine,
    ReturnStatus,
)
from tiski.shop.actions import apply_records
from tiski.shop.connectors import WebhookMeta
from tiski.shop.connectors import shopify as shopify_module
from tiski.shop.models import Order, ProductVariant, Refund, ShopConnection
from tiski.shop.schemas import ProductIn
from tiski.stores.models import Store

S = ReturnStatus
REASON = "Tuote on käytetty ja ilman hintalappua."


@pytest.fixture
def order(store: Store) -> Order:
    return stored(store, language="fi", fulfillment_status="fulfilled", fulfillments=delivered(3))


@pytest.fixture
def case(order: Order) -> Return:
    """R1001: the whole order 10234 (the jacket and two pairs of socks), in Finnish."""
    return request_return(
        order, items=[item(order, "l-1"), item(order, "l-2", 2)], actor=SYSTEM, language="fi"
    )


@pytest.fixture
def actor(owner: Agent) -> Actor:
    return Actor.for_agent(owner)


def at(case: Return, status: str) -> Return:
    """The return moved to ``status`` (the steps before it are tested on their own)."""
    settled = status in (S.REFUNDED, S.EXCHANGED, S.CREDITED, S.CLOSED)
    Return.objects.filter(pk=case.pk).update(
        status=status, resolved_at=case.requested_at if settled else None
    )
    return Return.objects.get(pk=case.pk)


def with_exchange_variants(case: Return) -> None:
    apply_records(
        case.store,
        [
            ProductIn.model_validate(
                {
                    "id": "p-1",
                    "title": "Kuoritakki Tunturi",
                    "variants": [{"id": "v-l", "title": "L"}],
                }
            ).record()
        ],
        actor=SYSTEM,
    )
    case.lines.update(exchange_variant=ProductVariant.objects.get(external_id="v-l"))


def take(case: Return, to: str, actor: Actor) -> Any:
    """The action that moves a return to ``to``, with valid values."""
    if to == S.APPROVED:
        return approve_return(case, actor=actor)
    if to == S.REJECTED:
        return reject_return(case, reason=REASON, actor=actor)
    if to == S.LABEL_SENT:
        return mark_label_sent(case, actor=actor)
    if to == S.IN_TRANSIT:
        return mark_in_transit(case, actor=actor)
    if to == S.RECEIVED:
        return mark_received(case, actor=actor)
    if to == S.INSPECTED:
        lines = [LineInspection(line.pk, InspectionGrade.AS_NEW) for line in case.lines.all()]
        return record_inspection(case, lines=lines, actor=actor)
    if to == S.REFUNDED:
        return resolve_return(case, resolution=Resolution.REFUND, actor=actor)
    if to == S.EXCHANGED:
        return resolve_return(case, resolution=Resolution.EXCHANGE, actor=actor)
    if to == S.CREDITED:
        return resolve_return(case, resolution=Resolution.STORE_CREDIT, actor=actor)
    if to == S.CLOSED:
        return close_return(case, actor=actor)
    raise AssertionError(to)


TARGETS = [s for s in S.values if s != S.REQUESTED]
ALLOWED = [(f, t) for f in S.values for t in NEXT[f]]
REFUSED = [(f, t) for f in S.values for t in TARGETS if t not in NEXT[f]]


def emails(case: Return) -> list[str]:
    """What the customer was sent, oldest first (the request's confirmation left out)."""
    return list(
        Message.objects.filter(conversation__return_case=case, automatic=True)
        .order_by("seq")
        .values_list("body_text", flat=True)[1:]
    )


def in_finnish(text: str, **values: str) -> str:
    with translation.override("fi"):
        return gettext(text) % values


@pytest.mark.parametrize(("start", "to"), ALLOWED)
def test_every_allowed_step_is_taken_and_announced(
    case: Return, actor: Actor, record: Callable[[], Any], start: str, to: str
) -> None:
    case = at(case, start)
    if to == S.EXCHANGED:
        with_exchange_variants(case)
    with record() as events:
        take(case, to, actor)
    case.refresh_from_db()
    assert case.status == to
    [event] = [e.payload() for e in events if e.type.startswith("return.")]
    assert (event["return_id"], event["status"], event["previous_status"]) == (case.pk, to, start)
    assert event["actor"] == actor.as_dict()
    # The customer hears of every step but the parcel's journey and the inspection.
    told = len(emails(case))
    assert told == (0 if to in (S.IN_TRANSIT, S.INSPECTED) else 1)


@pytest.mark.parametrize(("start", "to"), REFUSED)
def test_every_other_step_is_refused_and_changes_nothing(
    case: Return, actor: Actor, record: Callable[[], Any], start: str, to: str
) -> None:
    case = at(case, start)
    messages = Message.objects.count()
    with record() as events, pytest.raises(TransitionRefused) as refused:
        take(case, to, actor)
    assert refused.value.status_code == 409
    assert "R1001" in refused.value.message
    case.refresh_from_db()
    assert case.status == start
    assert Message.objects.count() == messages
    assert [e for e in events if e.type.startswith("return.")] == []


def test_the_whole_way_tells_the_customer_in_their_language(
    case: Return, actor: Actor, record: Callable[[], Any]
) -> None:
    names = {"reference": "R1001", "number": "#10234"}
    with record() as events:
        approve_return(case, actor=actor)
        mark_label_sent(case, actor=actor)
        mark_in_transit(case, actor=actor)
        mark_received(case, actor=actor)
        lines = list(case.lines.order_by("pk"))
        record_inspection(
            case,
            lines=[
                LineInspection(lines[0].pk, InspectionGrade.AS_NEW),
                LineInspection(lines[1].pk, InspectionGrade.OPENED, "  Pakkaus avattu "),
            ],
            actor=actor,
        )
        settled = resolve_return(case, actor=actor)
        close_return(case, actor=actor)
    case.refresh_from_db()
    assert case.status == S.CLOSED and case.resolved_at is not None
    assert [(line.grade, line.inspection_note) for line in case.lines.order_by("pk")] == [
        ("as_new", ""),
        ("opened", "Pakkaus avattu"),
    ]
    # The whole order came back: its shipping too. No shop connection: done by hand.
    assert settled.amount == Decimal("129.90") and "no enabled shop connection" in settled.by_hand
    assert emails(case) == [
        in_finnish(
            "Your return %(reference)s for order %(number)s is approved.\n\n"
            "Please pack the items securely, write %(reference)s on the parcel and send "
            "it back to us within 14 days. We will email you when it arrives.",
            **names,
        ),
        in_finnish(
            "The return label for %(reference)s is on its way to you. Attach it to the "
            "parcel and hand the parcel to the carrier.",
            **names,
        ),
        in_finnish(
            "We have received the items of your return %(reference)s. We will let you "
            "know as soon as the return is settled.",
            **names,
        ),
        in_finnish(
            "Your refund of %(amount)s for return %(reference)s is approved and will "
            "be paid to your original payment method.",
            # In the customer's number format, whatever the agent's.
            amount="129,90 €",
            **names,
        ),
        in_finnish(
            "Your return %(reference)s is now closed. Thank you for shopping with us.", **names
        ),
    ]
    assert [e.type for e in events if e.type.startswith("return.")] == [
        "return.status_changed",
        "return.status_changed",
        "return.status_changed",
        "return.status_changed",
        "return.inspected",
        "return.resolved",
        "return.status_changed",
    ]
    resolved = next(e for e in events if e.type == "return.resolved")
    assert resolved.payload()["amount"] == "129.90" and resolved.payload()["by_hand"] is True
    inspected = next(e for e in events if e.type == "return.inspected")
    assert inspected.payload()["grades"] == {str(lines[0].pk): "as_new", str(lines[1].pk): "opened"}
    # The staff read who inspected what, and the refund left to them, in internal notes.
    notes = list(
        Message.objects.filter(conversation__return_case=case, kind=Kind.NOTE)
        .order_by("seq")
        .values_list("body_text", flat=True)
    )
    assert len(notes) == 2
    assert "Pakkaus avattu" in notes[0]
    assert "no enabled shop connection" in notes[1] and "R1001" in notes[1]


def test_a_rejection_needs_a_reason_and_tells_it(case: Return, actor: Actor) -> None:
    for reason in ("", "   \n"):
        with pytest.raises(ActionError) as refused:
            reject_return(case, reason=reason, actor=actor)
        assert refused.value.field == "reason"
    with pytest.raises(ActionError):
        reject_return(case, reason="x" * 2001, actor=actor)
    case.refresh_from_db()
    assert (case.status, case.rejection_reason, emails(case)) == (S.REQUESTED, "", [])

    reject_return(case, reason=f"  {REASON} ", actor=actor)
    case.refresh_from_db()
    assert (case.status, case.rejection_reason) == (S.REJECTED, REASON)
    assert emails(case) == [
        in_finnish(
            "We are sorry, but we cannot accept your return %(reference)s for order "
            "%(number)s.\n\nReason: %(reason)s",
            reference="R1001",
            number="#10234",
            reason=REASON,
        )
    ]


@pytest.mark.parametrize(
    "change",
    ["one line left out", "a line of another return", "twice", "no grade", "bad grade", "long"],
)
def test_an_inspection_grades_every_line_or_nothing(
    case: Return, order: Order, actor: Actor, change: str
) -> None:
    case = at(case, S.RECEIVED)
    first, second = case.lines.order_by("pk")
    lines = [LineInspection(first.pk, "as_new"), LineInspection(second.pk, "used")]
    if change == "one line left out":
        lines = lines[:1]
    elif change == "a line of another return":
        other = stored(case.store, id="o-2", number="10235", fulfillments=delivered(2))
        theirs = request_return(other, items=[item(other, "l-1")], actor=SYSTEM)
        lines.append(LineInspection(theirs.lines.get().pk, "as_new"))
    elif change == "twice":
        lines.append(LineInspection(first.pk, "used"))
    elif change == "no grade":
        lines[1] = LineInspection(second.pk, "")
    elif change == "bad grade":
        lines[1] = LineInspection(second.pk, "shiny")
    else:
        lines[1] = LineInspection(second.pk, "used", "x" * 501)
    with pytest.raises(ActionError):
        record_inspection(case, lines=lines, actor=actor)
    case.refresh_from_db()
    assert case.status == S.RECEIVED
    assert set(ReturnLine.objects.values_list("grade", flat=True)) == {""}


def test_what_is_refunded(case: Return, actor: Actor) -> None:
    case = at(case, S.RECEIVED)
    # The whole order: its total, shipping included.
    assert refund_amount(case) == Decimal("129.90")
    # A line not in the parcel is not refunded; a part of an order is its lines' price.
    jacket, socks = case.lines.order_by("pk")
    socks.grade = InspectionGrade.MISSING
    socks.save()
    assert refund_amount(case) == Decimal("99.90")
    ReturnLine.objects.filter(pk=jacket.pk).update(grade=InspectionGrade.MISSING)
    socks.grade, socks.quantity = "", 1
    socks.save()
    assert refund_amount(case) == Decimal("12.50")


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-1"), Decimal("129.91")])
def test_an_amount_that_cannot_be_right_is_refused(
    case: Return, actor: Actor, amount: Decimal
) -> None:
    case = at(case, S.RECEIVED)
    with pytest.raises(ActionError) as refused:
        resolve_return(case, amount=amount, actor=actor)
    assert refused.value.field == "amount"
    case.refresh_from_db()
    assert (case.status, case.resolved_at, emails(case)) == (S.RECEIVED, None, [])


def test_a_settlement_the_return_cannot_have_is_refused(case: Return, actor: Actor) -> None:
    case = at(case, S.RECEIVED)
    with pytest.raises(ActionError) as refused:
        resolve_return(case, resolution=Resolution.EXCHANGE, actor=actor)
    assert refused.value.field == "resolution"  # no size or colour was chosen
    with pytest.raises(ActionError):
        resolve_return(case, resolution="gift", actor=actor)
    case.refresh_from_db()
    assert (case.status, case.resolution, emails(case)) == (S.RECEIVED, Resolution.REFUND, [])


def test_store_credit_is_recorded_for_the_shop_to_give(case: Return, actor: Actor) -> None:
    case = at(case, S.RECEIVED)
    settled = resolve_return(
        case, resolution=Resolution.STORE_CREDIT, amount=Decimal("100"), actor=actor
    )
    case.refresh_from_db()
    assert (case.status, case.resolution) == (S.CREDITED, Resolution.STORE_CREDIT)
    assert settled.by_hand and not Refund.objects.exists()
    assert emails(case) == [
        in_finnish(
            "Your return %(reference)s is settled with store credit of %(amount)s. We will "
            "send you the details of how to use it.",
            reference="R1001",
            amount="100,00 €",
        )
    ]


def test_an_exchange_names_what_is_sent(case: Return, actor: Actor) -> None:
    case = at(case, S.RECEIVED)
    with_exchange_variants(case)
    resolve_return(case, resolution=Resolution.EXCHANGE, actor=actor)
    case.refresh_from_db()
    assert (case.status, case.resolution) == (S.EXCHANGED, Resolution.EXCHANGE)
    assert emails(case) == [
        in_finnish(
            "Your exchange for return %(reference)s is on its way. We are sending you:\n\n"
            "%(items)s",
            reference="R1001",
            items="1 × Kuoritakki Tunturi (L)\n2 × Villasukat (L)",
        )
    ]


# -- through Shopify (the stand-in of tests/shop/test_shopify_refunds.py) -------------------


@pytest.fixture
def shopify_return(store: Store, connection: ShopConnection) -> Return:  # noqa: F811
    """The sunglasses of Shopify's documented sample order, back at the shop. Stored
    directly: the sample order was never delivered, so no request could be made."""
    payload = json.loads((FIXTURES / "orders_create.json").read_text())
    records = shopify_module.connector.records(
        "orders/create", payload, WebhookMeta(topic="orders/create"), connection
    )
    apply_records(store, records, actor=SYSTEM)
    order = Order.objects.get(store=store, external_id=ORDER_ID)
    conversation = inbound(store, "Palautus", email="jon@example.com").conversation
    case = Return.objects.create(
        store=store,
        order=order,
        conversation=conversation,
        number=1001,
        status=S.RECEIVED,
        language="fi",
        requested_at=order.placed_at,
    )
    ReturnLine.objects.create(
        return_case=case, order_line=order.lines.get(external_id=SUNGLASSES), quantity=1,
        reason="too_small",
    )  # fmt: skip
    return case


def test_a_refund_goes_through_shopify_once(
    shopify_return: Return,
    fake: FakeShopify,  # noqa: F811
    actor: Actor,
    record: Callable[[], Any],
) -> None:
    with record() as events:
        settled = resolve_return(shopify_return, actor=actor)
    assert (settled.amount, settled.by_hand) == (Decimal("89.99"), "")
    [create] = fake.sent("TiskiRefundCreate")
    assert create["input"]["transactions"][0]["amount"] == "89.99"
    assert create["input"]["notify"] is False  # Tiski tells the customer itself
    refund = Refund.objects.get()
    assert (refund.key, refund.amount) == ("R1001", Decimal("89.99"))
    case = Return.objects.get(pk=shopify_return.pk)
    assert case.status == S.REFUNDED and case.resolved_at is not None
    assert emails_all(case) == [
        in_finnish(
            "We have refunded %(amount)s for your return %(reference)s to your original "
            "payment method. It may take a few days to show on your account.",
            amount="$89,99",
            reference="R1001",
        )
    ]
    [resolved] = [e for e in events if e.type == "return.resolved"]
    assert resolved.payload()["refund_id"] == refund.external_id
    assert resolved.payload()["by_hand"] is False
    # Asked again (a double click): refused, and Shopify refunded once.
    with pytest.raises(TransitionRefused):
        resolve_return(case, actor=actor)
    assert len(fake.order.refunds) == 1


def test_a_refund_shopify_refuses_leaves_the_return_as_it_was(
    shopify_return: Return,
    fake: FakeShopify,  # noqa: F811
    actor: Actor,
) -> None:
    fake.order.refundable[SUNGLASSES] = 0  # refunded in Shopify's admin already
    with pytest.raises(ActionError) as refused:
        resolve_return(shopify_return, actor=actor)
    assert "The shop did not make the refund" in refused.value.message
    case = Return.objects.get(pk=shopify_return.pk)
    assert (case.status, case.resolved_at, emails_all(case)) == (S.RECEIVED, None, [])


def emails_all(case: Return) -> list[str]:
    return list(
        Message.objects.filter(conversation__return_case=case, automatic=True)
        .order_by("seq")
        .values_list("body_text", flat=True)
    )

"""Complaints about faulty goods: filing with photos, the Polish answer clock and its
warnings, and the answer on a durable medium."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.formats import date_format

from tests.conftest import SYSTEM, make_agent
from tests.returns.test_request import delivered
from tests.shop.test_selfservice import stored
from tiski.agents.models import Role
from tiski.conversations.attachments import IncomingFile
from tiski.conversations.models import Kind, Message
from tiski.core import clock
from tiski.core.errors import ActionError
from tiski.returns.actions.complaints import (
    ComplaintItem,
    answer_complaint,
    file_complaint,
    warn_due_complaints,
)
from tiski.returns.models import Complaint, ComplaintLine, ComplaintStatus, Remedy
from tiski.shop.models import Order, OrderLine
from tiski.stores.models import Store

# The smallest valid PNG: a photo as far as the type check can tell.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00"
    b"\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PHOTO = IncomingFile("vika.png", PNG, "image/png")
DESCRIPTION = "Vetoketju hajosi toisella käyttökerralla."
WARSAW = ZoneInfo("Europe/Warsaw")


def line(order: Order, external_id: str = "l-1") -> OrderLine:
    return OrderLine.objects.get(order=order, external_id=external_id)


def file(order: Order, **extra: object) -> Complaint:
    return file_complaint(
        order,
        items=extra.pop("items", [ComplaintItem(line(order).pk)]),  # type: ignore[arg-type]
        description=str(extra.pop("description", DESCRIPTION)),
        requested_remedy=str(extra.pop("remedy", Remedy.REPLACEMENT)),
        photos=extra.pop("photos", [PHOTO]),  # type: ignore[arg-type]
        actor=SYSTEM,
    )


@pytest.fixture
def finnish_order(store: Store) -> Order:
    return stored(store, language="fi", fulfillments=delivered(200))


@pytest.fixture
def polish_order(other_store: Store) -> Order:
    return stored(other_store, id="o-pl", number="555", language="pl", fulfillments=delivered(30))


def test_a_finnish_complaint_opens_a_conversation_with_photos_and_notes(
    finnish_order: Order,
) -> None:
    complaint = file(finnish_order)
    assert (complaint.reference, complaint.status) == ("C1001", ComplaintStatus.RECEIVED)
    assert complaint.answer_due is None  # no statutory answer date in Finland
    assert list(ComplaintLine.objects.values_list("order_line__external_id", "quantity")) == [
        ("l-1", 1)
    ]
    assert complaint.conversation is not None
    messages = Message.objects.filter(conversation=complaint.conversation).order_by("pk")
    first = messages[0]
    assert DESCRIPTION in first.body_text and first.attachments.count() == 1
    notes = messages.filter(kind=Kind.NOTE)
    assert notes.count() == 1  # the legal points, for the agents
    assert messages.filter(automatic=True).count() == 1  # the confirmation to the customer


def test_a_polish_complaint_must_be_answered_within_14_calendar_days(
    polish_order: Order, other_store: Store
) -> None:
    complaint = file(polish_order)
    received = complaint.received_at.astimezone(WARSAW).date()
    assert complaint.answer_due is not None
    # 14 calendar days, moved only off a Saturday, Sunday or holiday: never less.
    assert received + timedelta(days=14) <= complaint.answer_due <= received + timedelta(days=18)
    assert complaint.conversation is not None
    confirmation = Message.objects.get(conversation=complaint.conversation, automatic=True)
    with translation.override("pl"):
        assert date_format(complaint.answer_due) in confirmation.body_text


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"description": "zepsute"}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"remedy": "money back twice"}, "remedy"),
        ({"photos": []}, "photos"),
        ({"photos": [IncomingFile("vika.png", b"%PDF-1.4 not a photo", "image/png")]}, "photos"),
        ({"photos": [PHOTO] * 11}, "photos"),
        ({"items": []}, "items"),
        ({"items": [ComplaintItem(999_999)]}, "items"),
    ],
)
def test_bad_complaints_store_nothing(
    finnish_order: Order, extra: dict[str, object], field: str
) -> None:
    with pytest.raises(ActionError) as refused:
        file(finnish_order, **extra)
    assert refused.value.field == field
    assert not Complaint.objects.exists() and not Message.objects.exists()


def test_an_undelivered_or_over_counted_item_is_refused(store: Store, finnish_order: Order) -> None:
    with pytest.raises(ActionError):
        file(finnish_order, items=[ComplaintItem(line(finnish_order).pk, 2)])
    waiting = stored(store, id="o-2", number="10235")
    with pytest.raises(ActionError):
        file(waiting)
    assert not Complaint.objects.exists()


def test_the_answer_is_sent_and_recorded(finnish_order: Order, store: Store) -> None:
    agent = make_agent("agent@revontuli.example", "Aino Agentti", store, Role.AGENT)
    complaint = file(finnish_order)
    with pytest.raises(ActionError):
        answer_complaint(
            complaint, accepted=True, text="Vaihdamme tuotteen.", author=agent, actor=SYSTEM
        )
    answered = answer_complaint(
        complaint,
        accepted=True,
        remedy=Remedy.REPLACEMENT,
        text="Vaihdamme tuotteen uuteen.",
        author=agent,
        actor=SYSTEM,
    )
    assert (answered.status, answered.decided_remedy) == (ComplaintStatus.ACCEPTED, "replacement")
    assert answered.answered_at is not None and answered.answer_message is not None
    assert answered.answer_message.body_text == "Vaihdamme tuotteen uuteen."
    with pytest.raises(ActionError):
        answer_complaint(answered, accepted=False, text="Ei.", author=agent, actor=SYSTEM)


def test_warnings_come_once_per_stage_and_raise_the_priority(polish_order: Order) -> None:
    with clock.frozen_at(datetime(2026, 12, 7, 10, 0, tzinfo=WARSAW)):  # a Monday
        complaint = file(polish_order)
    assert complaint.answer_due is not None
    due = complaint.answer_due
    conversation = complaint.conversation
    assert conversation is not None

    def notes() -> list[str]:
        return list(
            Message.objects.filter(conversation=conversation, kind=Kind.NOTE)
            .order_by("pk")
            .values_list("body_text", flat=True)
        )

    before = len(notes())
    assert warn_due_complaints(datetime(2026, 12, 8, 12, 0, tzinfo=WARSAW)) == 0
    soon = datetime.combine(due - timedelta(days=2), datetime.min.time(), WARSAW)
    assert warn_due_complaints(soon) == 1
    assert warn_due_complaints(soon + timedelta(hours=1)) == 0  # once
    conversation.refresh_from_db()
    assert conversation.priority == "high"
    late = datetime.combine(due + timedelta(days=1), datetime.min.time(), WARSAW)
    assert warn_due_complaints(late) == 1
    conversation.refresh_from_db()
    assert conversation.priority == "urgent"
    assert len(notes()) == before + 2
    assert "C1001" in notes()[-1]

"""The complaint beside its conversation: what the agent needs to answer it, and in time.

Read in the agent's language (the active one). The Polish answer clock is the one the
worker warns by (``deadlines.polish_complaint_answer_due`` from the complaint's
receipt); the legal notes are worked out again from the delivery, as on filing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiski.conversations.models import DeliveryStatus
from tiski.core import clock
from tiski.returns.actions.complaints import OPEN
from tiski.returns.deadlines import (
    DeadlineStatus,
    complaint_window,
    deadline_state,
    done_in_time,
    polish_complaint_answer_due,
)
from tiski.returns.models import Complaint, ComplaintLine, Remedy

if TYPE_CHECKING:
    from tiski.conversations.models import Conversation


@dataclass(frozen=True)
class AnswerClock:
    due: date
    status: str  # a DeadlineStatus: ok, due_soon, due_today, overdue
    text: str


@dataclass(frozen=True)
class ComplaintPanel:
    complaint: Complaint
    lines: list[ComplaintLine]
    # Poland's answer date while no answer has gone out.
    clock: AnswerClock | None
    # Once answered where an answer date applies: whether the answer kept it (None
    # when its email failed: then it has not reached the customer at all).
    answered_in_time: bool | None
    # The answer's email could not be delivered: it must reach the customer another way.
    answer_failed: bool
    notes: list[str]
    can_answer: bool
    remedies: list[tuple[str, str]]


def answer_clock(complaint: Complaint) -> AnswerClock:
    state = deadline_state(polish_complaint_answer_due(complaint.received_at), clock.now())
    days = state.days_left
    if state.status == DeadlineStatus.OVERDUE:
        late = max(-days, 1)  # overdue from the day after the last one
        text = ngettext("Overdue by %(days)d day", "Overdue by %(days)d days", late) % {
            "days": late
        }
    elif state.status == DeadlineStatus.DUE_TODAY:
        text = _("Due today")
    else:
        text = ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}
    return AnswerClock(state.deadline.last_day, str(state.status), text)


def complaint_panel(conversation: Conversation) -> ComplaintPanel | None:
    """The panel of the complaint handled in ``conversation``, or None for any other
    conversation. The complaint is looked up in the conversation's own store only."""
    complaint = (
        Complaint.objects.filter(conversation_id=conversation.pk, store_id=conversation.store_id)
        .select_related("store", "order", "answer_message")
        .first()
    )
    if complaint is None:
        return None
    return build_complaint_panel(complaint)


def build_complaint_panel(complaint: Complaint) -> ComplaintPanel:
    store = complaint.store
    polish = complaint.answer_due is not None
    open_ = complaint.status in OPEN and complaint.answered_at is None
    in_time = None
    # Polish law takes an answer as given when it reaches the customer (Kodeks cywilny
    # art. 61); an email does at once, unless it bounces.
    failed = (
        complaint.answer_message is not None
        and complaint.answer_message.status == DeliveryStatus.FAILED
    )
    if polish and complaint.answered_at is not None and not failed:
        in_time = done_in_time(
            polish_complaint_answer_due(complaint.received_at), complaint.answered_at
        )
    notes: list[str] = []
    if complaint.delivered_at is not None:
        # When the customer noticed the fault is not kept: the day it reached the shop
        # stands in for it (never later than the truth, so no presumption is lost).
        window = complaint_window(
            store.country or "FI",
            complaint.delivered_at,
            clock.now(),
            noticed_at=complaint.received_at,
            received_at=complaint.received_at,
            tz=store.timezone,
        )
        notes = [note.text for note in window.notes]
    return ComplaintPanel(
        complaint=complaint,
        lines=list(
            complaint.lines.select_related("order_line").order_by("order_line__position", "pk")
        ),
        clock=answer_clock(complaint) if polish and open_ else None,
        answered_in_time=in_time,
        answer_failed=failed,
        notes=notes,
        can_answer=open_,
        remedies=[(str(value), str(label)) for value, label in Remedy.choices],
    )

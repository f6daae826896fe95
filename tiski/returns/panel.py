"""The return beside its conversation: what the panel shows and which steps it offers.

Read in the agent's language (the active one). Two queries: the return with its order
and store, and its lines with what they point at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tiski.returns.actions.review import (
    SETTLES_AS,
    allowed_steps,
    amounts,
    refund_due_for,
    refund_key,
)
from tiski.returns.customer_texts import percent
from tiski.returns.models import (
    InspectionGrade,
    Resolution,
    Return,
    ReturnLine,
    ReturnStatus,
)
from tiski.returns.reasons import reason_label, reason_labels
from tiski.shop.display import money
from tiski.shop.models import Refund

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from tiski.conversations.models import Conversation

# Days before the refund's last day when the panel starts warning.
WARN_DAYS = 3

S = ReturnStatus


@dataclass(frozen=True)
class Step:
    """A button: the URL's step name, its label, and whether it is the one to press."""

    name: str
    label: Promise
    primary: bool = False


# The simple steps, in the order they usually follow each other. Reject, inspect and
# settle have forms of their own.
BUTTONS: dict[str, Step] = {
    S.APPROVED: Step("approve", _("Approve"), primary=True),
    S.LABEL_SENT: Step("label-sent", _("Label sent")),
    S.IN_TRANSIT: Step("in-transit", _("On its way back")),
    S.RECEIVED: Step("received", _("Received")),
    S.CLOSED: Step("close", _("Close")),
}


@dataclass(frozen=True)
class PanelLine:
    line: ReturnLine
    title: str
    variant: str
    exchange: str
    reason: str
    grade: str
    grade_label: str


@dataclass(frozen=True)
class RefundClock:
    due: date
    days_left: int  # negative when overdue
    state: str  # "ok", "soon", "today", "overdue"
    text: str


@dataclass(frozen=True)
class ReturnPanel:
    case: Return
    lines: list[PanelLine]
    buttons: list[Step]
    can_reject: bool
    can_inspect: bool
    can_settle: bool
    # The refund clock, while a refund may still be owed.
    clock: RefundClock | None
    # What settling without an amount gives: for the customer's choice (the field's
    # placeholder), a refund and store credit.
    suggested_amount: Decimal | None
    amount_text: str
    credit_text: str
    # The restocking fee a refund is less by, and why, or "".
    fee_text: str
    fee_percent: str
    # Settled as a refund that the shop's platform did not make: to do in its admin.
    refund_by_hand: bool
    grades: list[tuple[str, str]]
    resolutions: list[tuple[str, str]]


def refund_clock(case: Return, today: date) -> RefundClock:
    due = refund_due_for(case)
    days = (due - today).days
    if days < 0:
        state = "overdue"
        text = ngettext("Overdue by %(days)d day", "Overdue by %(days)d days", -days) % {
            "days": -days
        }
    elif days == 0:
        state, text = "today", str(_("Due today"))
    else:
        state = "soon" if days <= WARN_DAYS else "ok"
        text = ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}
    return RefundClock(due, days, state, text)


def _owes_refund(case: Return) -> bool:
    return case.status not in (S.REJECTED, S.CLOSED) and case.resolved_at is None


def return_panel(conversation: Conversation) -> ReturnPanel | None:
    """The panel of the return handled in ``conversation``, or None for any other
    conversation. The return is looked up in the conversation's own store only."""
    case = (
        Return.objects.filter(conversation_id=conversation.pk, store_id=conversation.store_id)
        .select_related("store", "order")
        .first()
    )
    if case is None:
        return None
    return build_panel(case)


def build_panel(case: Return) -> ReturnPanel:
    lines = list(
        case.lines.select_related("order_line", "exchange_variant").order_by(
            "order_line__position", "pk"
        )
    )
    steps = allowed_steps(case)
    labels = reason_labels(case.store)
    today = timezone.localtime(timezone.now(), timezone=ZoneInfo(case.store.timezone)).date()
    can_settle = any(to in steps for to in SETTLES_AS.values())
    usual = amounts(case) if can_settle else None
    refund = usual.refund if usual else None
    credit = usual.credit if usual else None
    suggested = credit if case.resolution == Resolution.STORE_CREDIT else refund
    fee = usual.fee if usual else Decimal(0)
    currency = case.order.currency
    return ReturnPanel(
        case=case,
        lines=[
            PanelLine(
                line=line,
                title=line.order_line.title,
                variant=line.order_line.variant_title,
                exchange=line.exchange_variant.title if line.exchange_variant else "",
                reason=reason_label(case.store, line.reason, labels),
                grade=line.grade,
                grade_label=line.get_grade_display() if line.grade else "",
            )
            for line in lines
        ],
        buttons=[button for status, button in BUTTONS.items() if status in steps],
        can_reject=S.REJECTED in steps,
        can_inspect=S.INSPECTED in steps,
        can_settle=can_settle,
        clock=refund_clock(case, today) if _owes_refund(case) else None,
        suggested_amount=suggested,
        amount_text=money(refund, currency) if refund is not None else "",
        credit_text=money(credit, currency) if credit is not None else "",
        fee_text=_(
            "The refund is %(fee)s less: a restocking fee of %(percent)s %% for a return "
            "asked for after the law's 14 days."
        )
        % {"fee": money(fee, currency), "percent": percent(case.restocking_fee_percent)}
        if fee
        else "",
        fee_percent=percent(case.restocking_fee_percent),
        refund_by_hand=case.status in (S.REFUNDED, S.CLOSED)
        and case.resolution == Resolution.REFUND
        and case.resolved_at is not None
        and not _refunded_by_shop(case),
        grades=[(str(value), str(label)) for value, label in InspectionGrade.choices],
        resolutions=[(str(value), str(label)) for value, label in Resolution.choices],
    )


def _refunded_by_shop(case: Return) -> bool:
    # The shop's refund carries the return's key when refund_order made it.
    return Refund.objects.filter(order_id=case.order_id, key=refund_key(case)).exists()

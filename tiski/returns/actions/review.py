"""The back office of a return: an agent approves or rejects it, follows the parcel back,
inspects it and settles it, and the customer hears of every step that concerns them by
email, in the return's language.

The steps an agent may take (``NEXT``)::

    requested             → approved | rejected
    approved              → label_sent | in_transit | received | rejected
    label_sent            → in_transit | received
    in_transit            → received | refunded | exchanged | credited
    received              → inspected | refunded | exchanged | credited
    inspected             → refunded | exchanged | credited
    refunded | exchanged | credited → closed

Why these shortcuts, and no others:

* **approved → in_transit or received**: not every return needs a label from us; the
  customer may send the parcel with their own carrier or bring it to the shop.
* **approved → rejected**: an approval made by mistake (the order turns out to be
  outside the withdrawal period) can be taken back while the goods have not left.
  Once they travel, the return is settled, not refused.
* **in_transit → settled**: the shop may hold the refund until it has the goods back
  *or the customer has shown they sent them*, whichever is earlier (Directive
  2011/83/EU art. 13(3)); an agent holding the proof of sending may refund.
* **received → settled, without inspection**: inspecting is the shop's own step, not a
  condition of the refund, and small shops skip it.
* **rejected is final**: a rejected return frees its items for another request
  (``HOLDING``); closing it would hold them again. **closed** is final too.

Anything else raises ``TransitionRefused`` (an ``ActionError``; views answer 409).

Settling by refund goes through the shop's platform (``refund_order``) where it can.
That call is not inside our transaction: it goes over the network, and the shop's
refund is not ours to roll back. The refund's key is the return's reference, so
settling again after a failure refunds once. Where the platform cannot refund (a
generic shop, a cash-on-delivery payment), the return is still marked refunded and an
internal note tells the agents to make the refund by hand in the shop's admin. An
exchange or store credit is always given by hand in the shop: Tiski records it.

The amount, unless the agent types another: the returned lines' price after discounts,
or the order's total (shipping included, as the law wants on a full withdrawal) when
the whole order comes back; lines inspected as not in the parcel are left out. A
return asked for after the law's 14 days, under the shop's longer window, has the
shop's restocking fee taken off a refund (the percentage kept on the return when it was
asked for); store credit carries the shop's bonus instead, and no fee. The
shop is asked not to email the customer: Tiski tells them, in their language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tiski.conversations.actions import add_note, send_automatic_reply
from tiski.core import clock
from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.events import publish
from tiski.returns.customer_texts import (
    approved_text,
    closed_text,
    credited_text,
    exchanged_text,
    label_sent_text,
    received_text,
    refunded_text,
    rejected_text,
)
from tiski.returns.deadlines import refund_due
from tiski.returns.events import (
    ReturnInspected,
    ReturnRejected,
    ReturnResolved,
    ReturnStatusChanged,
)
from tiski.returns.models import (
    InspectionGrade,
    Resolution,
    Return,
    ReturnLine,
    ReturnStatus,
)
from tiski.shop.actions.refunds import RefundOutcome, refund_order
from tiski.shop.display import money

S = ReturnStatus
SETTLED = (S.REFUNDED, S.EXCHANGED, S.CREDITED)

NEXT: dict[str, tuple[str, ...]] = {
    S.REQUESTED: (S.APPROVED, S.REJECTED),
    S.APPROVED: (S.LABEL_SENT, S.IN_TRANSIT, S.RECEIVED, S.REJECTED),
    S.LABEL_SENT: (S.IN_TRANSIT, S.RECEIVED),
    S.IN_TRANSIT: (S.RECEIVED, *SETTLED),
    S.RECEIVED: (S.INSPECTED, *SETTLED),
    S.INSPECTED: SETTLED,
    S.REFUNDED: (S.CLOSED,),
    S.EXCHANGED: (S.CLOSED,),
    S.CREDITED: (S.CLOSED,),
    S.REJECTED: (),
    S.CLOSED: (),
}

# What each resolution ends in.
SETTLES_AS: dict[str, str] = {
    Resolution.REFUND: S.REFUNDED,
    Resolution.EXCHANGE: S.EXCHANGED,
    Resolution.STORE_CREDIT: S.CREDITED,
}

MAX_REASON = 2000
MAX_INSPECTION_NOTE = 500
CENT = Decimal("0.01")


class TransitionRefused(ActionError):
    """The step is not one the return can take now (another agent may have moved it)."""

    status_code = 409

    def __init__(self, message: str) -> None:
        super().__init__(message, field="status", code="conflict")


def refund_due_for(case: Return) -> date:
    """The last day to refund: as stored when the return was asked for, or else counted
    from the customer's notice the same way (``deadlines.refund_due``)."""
    if case.refund_due is not None:
        return case.refund_due
    store = case.store
    return refund_due(case.requested_at, store.timezone, store.country or "FI").last_day


def allowed_steps(case: Return) -> tuple[str, ...]:
    return NEXT.get(case.status, ())


def _locked(case: Return) -> Return:
    """The return's row, locked and fresh: two agents clicking at once take turns, and
    the second sees the first one's status."""
    return (
        Return.objects.select_for_update(of=("self",))
        .select_related("store", "order", "conversation")
        .get(pk=case.pk)
    )


def _check_step(case: Return, to: str) -> None:
    if to not in allowed_steps(case):
        raise TransitionRefused(
            _("Return %(reference)s is %(status)s: it cannot be marked %(to)s now.")
            % {
                "reference": case.reference,
                "status": str(S(case.status).label).lower(),
                "to": str(S(to).label).lower(),
            }
        )


def _tell_customer(case: Return, actor: Actor, text: str) -> None:
    """Email the customer in the return's conversation (none when the order had no
    address: then nobody can be told, and the step still counts)."""
    if case.conversation is not None:
        send_automatic_reply(case.conversation, actor=actor, text=text)


def _move(case: Return, to: str, *fields: str) -> str:
    previous = case.status
    case.status = to
    case.save(update_fields=["status", "updated_at", *fields])
    return previous


def _fields(case: Return, previous: str, actor: Actor) -> dict[str, Any]:
    """What every return event carries."""
    return {
        "store_id": case.store_id,
        "actor": actor,
        "return_id": case.pk,
        "number": case.number,
        "conversation_id": case.conversation_id,
        "status": case.status,
        "previous_status": previous,
    }


def _changed(case: Return, previous: str, actor: Actor) -> ReturnStatusChanged:
    return ReturnStatusChanged(**_fields(case, previous, actor))


# -- the steps ----------------------------------------------------------------------------


@transaction.atomic
def approve_return(case: Return, *, actor: Actor) -> Return:
    """Accept the return: the customer gets the instructions to send the items back."""
    case = _locked(case)
    _check_step(case, S.APPROVED)
    previous = _move(case, S.APPROVED)
    _tell_customer(case, actor, approved_text(case))
    publish(_changed(case, previous, actor))
    return case


@transaction.atomic
def reject_return(case: Return, *, reason: str, actor: Actor) -> Return:
    """Refuse the return, saying why (the customer reads the reason as written)."""
    case = _locked(case)
    _check_step(case, S.REJECTED)
    reason = reason.strip()
    if not reason:
        raise ActionError(
            _("Say why the return is rejected: the customer reads it."), field="reason"
        )
    if len(reason) > MAX_REASON:
        raise ActionError(
            _("A reason is at most %(n)d characters.") % {"n": MAX_REASON}, field="reason"
        )
    case.rejection_reason = reason
    previous = _move(case, S.REJECTED, "rejection_reason")
    _tell_customer(case, actor, rejected_text(case))
    publish(
        ReturnRejected(
            **_fields(case, previous, actor),
            reason=reason,
        )
    )
    return case


@transaction.atomic
def mark_label_sent(case: Return, *, actor: Actor) -> Return:
    """The return label went to the customer."""
    case = _locked(case)
    _check_step(case, S.LABEL_SENT)
    previous = _move(case, S.LABEL_SENT)
    _tell_customer(case, actor, label_sent_text(case))
    publish(_changed(case, previous, actor))
    return case


@transaction.atomic
def mark_in_transit(case: Return, *, actor: Actor) -> Return:
    """The parcel is on its way back (tracking or the customer's proof of sending).
    The customer sent it, so they are not told."""
    case = _locked(case)
    _check_step(case, S.IN_TRANSIT)
    previous = _move(case, S.IN_TRANSIT)
    publish(_changed(case, previous, actor))
    return case


@transaction.atomic
def mark_received(case: Return, *, actor: Actor) -> Return:
    """The parcel is back at the shop."""
    case = _locked(case)
    _check_step(case, S.RECEIVED)
    previous = _move(case, S.RECEIVED)
    _tell_customer(case, actor, received_text(case))
    publish(_changed(case, previous, actor))
    return case


@dataclass(frozen=True)
class LineInspection:
    """What the warehouse found of one returned line."""

    line_id: int
    grade: str
    note: str = ""


@transaction.atomic
def record_inspection(case: Return, *, lines: Sequence[LineInspection], actor: Actor) -> Return:
    """Grade every line of the returned parcel. All lines at once, or nothing: a half
    inspected return is not inspected. The grades go into an internal note too, so the
    timeline says who inspected what; the customer is told when the return is settled."""
    case = _locked(case)
    _check_step(case, S.INSPECTED)
    own = {line.pk: line for line in case.lines.select_related("order_line")}
    given: dict[int, LineInspection] = {}
    for item in lines:
        if item.line_id not in own:
            raise ActionError(_("That item is not in this return."), field="lines")
        if item.line_id in given:
            raise ActionError(_("Each item may be graded once."), field="lines")
        if item.grade not in InspectionGrade.values:
            raise ActionError(_("Choose a grade for each item."), field="grade")
        if len(item.note.strip()) > MAX_INSPECTION_NOTE:
            raise ActionError(
                _("A note is at most %(n)d characters.") % {"n": MAX_INSPECTION_NOTE},
                field="note",
            )
        given[item.line_id] = item
    if given.keys() != own.keys():
        raise ActionError(_("Choose a grade for each item."), field="grade")
    for pk, line in own.items():
        line.grade = given[pk].grade
        line.inspection_note = given[pk].note.strip()
    ReturnLine.objects.bulk_update(list(own.values()), ["grade", "inspection_note"])
    previous = _move(case, S.INSPECTED)
    if case.conversation is not None:
        # In the store's language: the note is for the staff.
        with translation.override(case.store.default_language):
            summary = "\n".join(
                [_("Inspection of return %(reference)s:") % {"reference": case.reference}]
                + [
                    f"- {line.quantity} × {line.order_line.title}: "
                    f"{InspectionGrade(line.grade).label}"
                    + (f" ({line.inspection_note})" if line.inspection_note else "")
                    for line in own.values()
                ]
            )
        add_note(case.conversation, actor=actor, text=summary)
    publish(
        ReturnInspected(
            **_fields(case, previous, actor),
            grades={str(pk): line.grade for pk, line in own.items()},
        )
    )
    return case


# -- settling -----------------------------------------------------------------------------


def returned_quantities(case: Return) -> dict[int, int]:
    """Order line id → quantity to settle: the items that came back (a line inspected as
    not in the parcel is left out)."""
    return {
        line.order_line_id: line.quantity
        for line in case.lines.all()
        if line.grade != InspectionGrade.MISSING
    }


def _percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    return (amount * percent / 100).quantize(CENT, ROUND_HALF_UP)


def _returned_value(case: Return) -> tuple[Decimal, Decimal]:
    """What the returned items cost the customer (after discounts), and what the law
    refunds: the same, or the order's total (its standard delivery included) when the
    whole order comes back."""
    order = case.order
    lines = {line.pk: line for line in order.lines.all()}
    returned = returned_quantities(case)
    items = sum(
        (
            (lines[pk].total * quantity / lines[pk].quantity).quantize(CENT, ROUND_HALF_UP)
            for pk, quantity in returned.items()
            if lines[pk].quantity
        ),
        Decimal("0"),
    )
    whole = bool(lines) and all(returned.get(pk) == line.quantity for pk, line in lines.items())
    return items, order.total if whole else items


@dataclass(frozen=True)
class Amounts:
    """What settling a return gives by default, each way."""

    # The returned items' price, with the order's delivery when the whole order comes
    # back, less the fee; never more than is left to refund.
    refund: Decimal
    # Store credit: the full value with the shop's bonus, and no restocking fee (the
    # money stays in the shop, which the fee is meant to encourage).
    credit: Decimal
    # The shop's fee on a return asked for after the law's 14 days (its percentage is
    # kept on the return, 0 within them), of the items' price, never of the delivery.
    fee: Decimal


def amounts(case: Return) -> Amounts:
    items, value = _returned_value(case)
    left = case.order.total - case.order.refunded_total
    fee = _percent_of(items, case.restocking_fee_percent)
    credited = min(value, left)
    return Amounts(
        refund=max(Decimal("0"), min(value - fee, left)),
        credit=max(Decimal("0"), credited + _percent_of(credited, case.credit_bonus_percent)),
        fee=fee,
    )


def refund_amount(case: Return) -> Decimal:
    return amounts(case).refund


def refund_key(case: Return) -> str:
    """The refund's idempotency key: one refund per return, however often it is asked."""
    return case.reference


@dataclass(frozen=True)
class Settlement:
    """How a return was settled. ``by_hand`` says why the shop must still act in its own
    admin (the platform could not refund, or an exchange or credit), else empty."""

    return_case: Return
    amount: Decimal | None
    by_hand: str


def resolve_return(
    case: Return,
    *,
    actor: Actor,
    resolution: str = "",
    amount: Decimal | None = None,
) -> Settlement:
    """Settle the return as the customer asked (``Return.resolution``) or as the agent
    chose instead (``resolution``): refund through the shop's platform where it can,
    otherwise recorded for the shop to do by hand; an exchange or store credit recorded.
    ``amount`` defaults to the usual refund or credit (``amounts``).

    Not one transaction: see the module's docstring. Refused (nothing written, nothing
    refunded) when the step is not allowed or the values are wrong.
    """
    case = Return.objects.select_related("store", "order").get(pk=case.pk)
    resolution = resolution or case.resolution
    if resolution not in SETTLES_AS:
        raise ActionError(_("Choose how to settle the return."), field="resolution")
    to = SETTLES_AS[resolution]
    _check_step(case, to)
    lines = list(case.lines.select_related("order_line", "exchange_variant"))
    if resolution == Resolution.EXCHANGE:
        amount = None
        if any(line.exchange_variant is None for line in lines):
            raise ActionError(
                _("An exchange needs the size or colour wanted for every item."),
                field="resolution",
            )
    else:
        credit = resolution == Resolution.STORE_CREDIT
        if amount is None:
            usual = amounts(case)
            amount = usual.credit if credit else usual.refund
        left = case.order.total - case.order.refunded_total
        if credit:
            # Credit is not money paid back: the bonus may take it past what was paid.
            left += _percent_of(left, case.credit_bonus_percent)
        if amount <= 0 or amount > left:
            raise ActionError(
                _("The amount must be more than zero and at most %(left)s.")
                % {"left": money(left, case.order.currency)},
                field="amount",
            )
    outcome: RefundOutcome | None = None
    if resolution == Resolution.REFUND:
        assert amount is not None
        outcome = refund_order(
            case.order,
            amount=amount,
            key=refund_key(case),
            lines=returned_quantities(case),
            note=_("Return %(reference)s") % {"reference": case.reference},
            # Tiski tells the customer itself, in their language.
            notify_customer=False,
            actor=actor,
        )
    return _settle(case, resolution, amount, outcome, lines, actor)


@transaction.atomic
def _settle(
    case: Return,
    resolution: str,
    amount: Decimal | None,
    outcome: RefundOutcome | None,
    lines: Sequence[ReturnLine],
    actor: Actor,
) -> Settlement:
    case = _locked(case)
    to = SETTLES_AS[resolution]
    _check_step(case, to)  # another agent may have settled it while the shop answered
    if resolution == Resolution.REFUND:
        assert outcome is not None
        by_hand = outcome.manual if not outcome.done else ""
        text = refunded_text(case, amount, by_hand=bool(by_hand))
    elif resolution == Resolution.EXCHANGE:
        by_hand = _("Send the exchange from the shop's admin.")
        text = exchanged_text(case, lines)
    else:
        assert amount is not None
        by_hand = _("Give the store credit in the shop's admin.")
        text = credited_text(case, amount)
    case.resolution = resolution
    case.resolved_at = clock.now()
    previous = _move(case, to, "resolution", "resolved_at")
    if by_hand and case.conversation is not None:
        with translation.override(case.store.default_language):
            note = _by_hand_note(case, resolution, amount, by_hand)
        add_note(case.conversation, actor=actor, text=note)
    _tell_customer(case, actor, text)
    publish(
        ReturnResolved(
            **_fields(case, previous, actor),
            resolution=resolution,
            amount=str(amount) if amount is not None else "",
            currency=case.order.currency,
            refund_id=outcome.external_id if outcome is not None and outcome.done else "",
            by_hand=bool(by_hand),
        )
    )
    return Settlement(case, amount, by_hand)


def _by_hand_note(case: Return, resolution: str, amount: Decimal | None, why: str) -> str:
    if resolution == Resolution.REFUND:
        assert amount is not None
        return _(
            "Refund by hand in the shop's admin: %(amount)s for return %(reference)s. "
            "Tiski could not make it: %(why)s"
        ) % {"amount": money(amount, case.order.currency), "reference": case.reference, "why": why}
    return _("Return %(reference)s: %(what)s") % {"reference": case.reference, "what": why}


@transaction.atomic
def close_return(case: Return, *, actor: Actor) -> Return:
    """Nothing more to do: the return is settled and filed."""
    case = _locked(case)
    _check_step(case, S.CLOSED)
    previous = _move(case, S.CLOSED)
    _tell_customer(case, actor, closed_text(case))
    publish(_changed(case, previous, actor))
    return case

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tiski.events import Event


@dataclass(frozen=True, kw_only=True)
class ReturnRequested(Event):
    type: ClassVar[str] = "return.requested"
    return_id: int
    number: int
    order_id: int
    conversation_id: int | None


# The back office (actions/review.py): every status an agent moves a return to.


@dataclass(frozen=True, kw_only=True)
class ReturnStatusChanged(Event):
    type: ClassVar[str] = "return.status_changed"
    return_id: int
    number: int
    conversation_id: int | None
    status: str
    previous_status: str


@dataclass(frozen=True, kw_only=True)
class ReturnRejected(ReturnStatusChanged):
    type: ClassVar[str] = "return.rejected"
    reason: str


@dataclass(frozen=True, kw_only=True)
class ReturnInspected(ReturnStatusChanged):
    type: ClassVar[str] = "return.inspected"
    # Return line id (as a string: JSON keys) → InspectionGrade.
    grades: dict[str, str]


@dataclass(frozen=True, kw_only=True)
class ReturnResolved(ReturnStatusChanged):
    type: ClassVar[str] = "return.resolved"
    resolution: str
    amount: str  # "" for an exchange
    currency: str
    # The shop's refund, when the connector made it; "" when it is left to do by hand.
    refund_id: str
    by_hand: bool


@dataclass(frozen=True, kw_only=True)
class ComplaintFiled(Event):
    type: ClassVar[str] = "complaint.filed"
    complaint_id: int
    number: int
    order_id: int
    answer_due: str


@dataclass(frozen=True, kw_only=True)
class ComplaintAnswered(Event):
    type: ClassVar[str] = "complaint.answered"
    complaint_id: int
    accepted: bool
    on_time: bool

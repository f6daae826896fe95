"""Every write to returns and complaints, one module per part of the flow."""

from tiski.returns.actions.requests import ReturnItem, request_return
from tiski.returns.actions.review import (
    LineInspection,
    Settlement,
    TransitionRefused,
    approve_return,
    close_return,
    mark_in_transit,
    mark_label_sent,
    mark_received,
    record_inspection,
    reject_return,
    resolve_return,
)
from tiski.returns.queries import held_quantities

__all__ = [
    "LineInspection",
    "ReturnItem",
    "Settlement",
    "TransitionRefused",
    "approve_return",
    "close_return",
    "held_quantities",
    "mark_in_transit",
    "mark_label_sent",
    "mark_received",
    "record_inspection",
    "reject_return",
    "request_return",
    "resolve_return",
]

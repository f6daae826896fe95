"""Every write of the shop app: records from a connector stored, webhooks kept and applied."""

from tiski.shop.actions.applying import Outcome, apply_records
from tiski.shop.actions.backfill import BackfillResult, backfill_shop
from tiski.shop.actions.connection import connect_shop
from tiski.shop.actions.deliveries import (
    DeliveryIn,
    apply_pending_deliveries,
    receive_delivery,
    retry_delivery,
)
from tiski.shop.actions.refunds import RefundOutcome, refund_order

__all__ = [
    "BackfillResult",
    "DeliveryIn",
    "Outcome",
    "RefundOutcome",
    "apply_pending_deliveries",
    "apply_records",
    "backfill_shop",
    "connect_shop",
    "receive_delivery",
    "refund_order",
    "retry_delivery",
]

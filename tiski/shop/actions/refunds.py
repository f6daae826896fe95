"""Money back to a customer, through the shop's own platform where it can."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from tiski.core.actors import Actor
from tiski.core.errors import ActionError
from tiski.shop.actions.applying import apply_records
from tiski.shop.connectors import (
    ActionFailed,
    ActionNotSupported,
    RefundRequest,
    connector_for,
)
from tiski.shop.models import Order, Refund, RefundLine, ShopConnection
from tiski.shop.records import RefundRecord


@dataclass(frozen=True)
class RefundOutcome:
    """``done``: the shop refunded it (``external_id`` is its refund). Otherwise the shop
    must do it by hand, and ``manual`` says why."""

    done: bool
    external_id: str = ""
    manual: str = ""


def refund_order(
    order: Order,
    *,
    amount: Decimal,
    key: str,
    actor: Actor,
    lines: dict[int, int] | None = None,
    restock: bool = False,
    note: str = "",
    notify_customer: bool = True,
) -> RefundOutcome:
    """Refund ``amount`` of ``order`` (for ``lines``: order line id → quantity) to the
    original payment, through the shop's platform. The shop's answer (its refund) is
    stored like any record it sends. ``key`` (a return's number) makes asking twice
    refund once. Raises ActionError when the refund cannot be asked for or the shop
    refused it; a platform that cannot refund through its API gives ``manual``.
    """
    asked = Refund.objects.filter(order=order, key=key.strip()[:100]).exclude(key="").first()
    if asked is not None:
        # Asked before and done: the same refund, not a second one.
        return RefundOutcome(True, external_id=asked.external_id)
    request = _request(order, amount, key, lines or {}, restock, note, notify_customer)
    connection = ShopConnection.objects.filter(store_id=order.store_id, enabled=True).first()
    if connection is None:
        return RefundOutcome(False, manual=_("This store has no enabled shop connection."))
    connector = connector_for(connection.platform)
    try:
        # Not in a transaction: the shop is asked over the network, which may take
        # seconds, and nothing here is ours to roll back if it says no.
        done = connector.perform(connection, request)
    except ActionNotSupported as exc:
        return RefundOutcome(False, manual=str(exc))
    except ActionFailed as exc:
        raise ActionError(
            _("The shop did not make the refund: %(reason)s") % {"reason": exc}, field="amount"
        ) from exc
    keyed = [
        replace(record, key=request.key) if isinstance(record, RefundRecord) else record
        for record in done.records
    ]
    with transaction.atomic():
        apply_records(order.store, keyed, actor=actor)
    return RefundOutcome(True, external_id=done.external_id)


def _request(
    order: Order,
    amount: Decimal,
    key: str,
    lines: dict[int, int],
    restock: bool,
    note: str,
    notify_customer: bool,
) -> RefundRequest:
    if amount <= 0:
        raise ActionError(_("The refund amount must be more than zero."), field="amount")
    left = order.total - order.refunded_total
    if amount > left:
        raise ActionError(
            _("At most %(left)s %(currency)s of this order is left to refund.")
            % {"left": left, "currency": order.currency},
            field="amount",
        )
    if not key.strip():
        raise ActionError(
            _("A refund needs a key (such as the return's number) so that it is made only once."),
            field="key",
        )
    by_id = {line.pk: line for line in order.lines.all()}
    refunded = dict(
        RefundLine.objects.filter(line__order=order)
        .values_list("line")
        .annotate(total=Sum("quantity"))
        .values_list("line", "total")
    )
    chosen: list[tuple[str, int]] = []
    for line_id, quantity in lines.items():
        line = by_id.get(line_id)
        if line is None:
            raise ActionError(_("That line is not in this order."), field="lines")
        if quantity < 1 or quantity > line.quantity - refunded.get(line_id, 0):
            raise ActionError(
                _("%(title)s: at most %(n)d can be refunded.")
                % {"title": line.title, "n": line.quantity - refunded.get(line_id, 0)},
                field="lines",
            )
        chosen.append((line.external_id, quantity))
    return RefundRequest(
        order_external_id=order.external_id,
        amount=amount,
        currency=order.currency,
        key=key.strip()[:100],
        lines=tuple(chosen),
        restock=restock,
        note=note.strip()[:1000],
        notify_customer=notify_customer,
    )

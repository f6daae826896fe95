"""What an order offers for return, from the database to the pure rules in
``eligibility.py`` and back."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Max, Sum

from tiski.returns.eligibility import (
    Exclusion,
    LineEligibility,
    LineFacts,
    OrderFacts,
    ReturnEligibility,
    ReturnRules,
    check_return,
)
from tiski.returns.models import HOLDING, ReturnLine, ReturnSettings
from tiski.shop.models import FulfillmentLine, Order, OrderLine, RefundLine
from tiski.stores.models import Store


def rules_for(store: Store) -> ReturnRules:
    settings = ReturnSettings.objects.filter(store=store).first()
    zone, country = store.timezone, store.country or "FI"
    if settings is None:
        return ReturnRules(time_zone=zone, country=country)
    exclusions = {
        str(category): Exclusion(kind)
        for category, kind in dict(settings.category_exclusions).items()
        if kind in Exclusion.__members__.values()
    }
    return ReturnRules(
        time_zone=zone,
        country=country,
        shop_window_days=settings.shop_window_days,
        category_exclusions=exclusions,
        blocked_customers=frozenset(str(v).lower() for v in settings.blocked_customers),
        blocked_products=frozenset(map(str, settings.blocked_products)),
        blocked_orders=frozenset(map(str, settings.blocked_orders)),
        allowed_customers=frozenset(str(v).lower() for v in settings.allowed_customers),
        allowed_products=frozenset(map(str, settings.allowed_products)),
        allowed_orders=frozenset(map(str, settings.allowed_orders)),
        customer_pays_return_shipping=settings.customer_pays_return_shipping,
        restocking_fee_percent=Decimal(settings.restocking_fee_percent),
    )


@dataclass(frozen=True)
class LineOption:
    line: OrderLine
    eligibility: LineEligibility


@dataclass(frozen=True)
class ReturnOptions:
    order: Order
    eligibility: ReturnEligibility
    lines: list[LineOption]

    def for_line(self, line_id: int) -> LineOption | None:
        return next((o for o in self.lines if o.line.pk == line_id), None)


def held_quantities(order: Order) -> dict[int, int]:
    """Per order line, how many items returns already ask for (rejected ones do not)."""
    rows = (
        ReturnLine.objects.filter(order_line__order=order, return_case__status__in=HOLDING)
        .values("order_line_id")
        .annotate(held=Sum("quantity"))
    )
    return {row["order_line_id"]: int(row["held"]) for row in rows}


def order_facts(
    order: Order, unsealed: dict[int, bool | None] | None = None
) -> tuple[OrderFacts, list[OrderLine]]:
    lines = list(
        OrderLine.objects.filter(order=order).select_related("product").order_by("position", "pk")
    )
    held: dict[int, int] = defaultdict(int, held_quantities(order))
    # Refunded or cancelled items are gone from what can be sent back.
    for refunded in (
        RefundLine.objects.filter(line__order=order).values("line_id").annotate(n=Sum("quantity"))
    ):
        held[refunded["line_id"]] += int(refunded["n"])
    delivered = {
        row["line_id"]: row["at"]
        for row in FulfillmentLine.objects.filter(
            line__order=order, fulfillment__delivered_at__isnull=False
        )
        .values("line_id")
        .annotate(at=Max("fulfillment__delivered_at"))
    }
    wanted = unsealed or {}
    facts = OrderFacts(
        order_id=order.number,
        customer_key=order.email.lower(),
        placed_at=order.placed_at,
        lines=tuple(
            LineFacts(
                line_id=str(line.pk),
                product_id=line.product.external_id if line.product else "",
                category=line.product.category if line.product else "",
                quantity=line.quantity,
                returned_quantity=min(held.get(line.pk, 0), line.quantity),
                delivered_at=delivered.get(line.pk),
                unsealed=wanted.get(line.pk),
            )
            for line in lines
        ),
    )
    return facts, lines


def return_options(
    order: Order, now: datetime, unsealed: dict[int, bool | None] | None = None
) -> ReturnOptions:
    """Each line of ``order`` with what may be returned of it now, and why not."""
    facts, lines = order_facts(order, unsealed)
    result = check_return(facts, rules_for(order.store), now)
    by_id = {int(line.line_id): line for line in result.lines}
    return ReturnOptions(order, result, [LineOption(line, by_id[line.pk]) for line in lines])

"""The returns report: what comes back, why, and how it was settled.

Everything is about one cohort, the store's orders **placed** in the period (cancelled
ones left out: nothing of them was sold): how many of their items were sold, how many
of those came back in a return that was not rejected, and how the settled returns among
them ended. A return asked for next month still counts for this month's orders, so a
recent period's rate climbs for a few weeks as its returns arrive.

Each table is one or two aggregate queries (six in all, and one for the store's reason
labels), whatever the number of orders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, FloatField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.utils.functional import Promise

from tiski.returns.models import Resolution, Return, ReturnLine, ReturnStatus
from tiski.returns.reasons import reason_labels
from tiski.shop.display import money
from tiski.shop.models import OrderLine
from tiski.stores.models import Store

TOP = 20  # rows per table
TOP_REASONS = 3  # reasons shown per row
DEFAULT_DAYS = 90
MAX_DAYS = 730
# Settled for the customer in a way that keeps the money in the shop.
RETAINING = (Resolution.EXCHANGE, Resolution.STORE_CREDIT)


@dataclass(frozen=True)
class ReasonCount:
    reason: str
    quantity: int
    # The store's words for the code (a retired code shows as itself).
    label: str = field(default="", compare=False)


@dataclass(frozen=True)
class RateRow:
    """A product or a category: items sold in the period and how many came back."""

    name: str
    sold: int
    returned: int
    reasons: tuple[ReasonCount, ...]  # most returned first, at most TOP_REASONS

    @property
    def rate(self) -> Decimal | None:
        """Percent of the sold items returned, one decimal; None when none were sold
        (a line of the order kept no quantity)."""
        if self.sold <= 0:
            return None
        return _percent(self.returned, self.sold)


@dataclass(frozen=True)
class ResolutionShare:
    resolution: str
    returns: int
    percent: Decimal

    @property
    def label(self) -> str | Promise:
        return Resolution(self.resolution).label


@dataclass(frozen=True)
class Retained:
    """The value of returned items settled by exchange or store credit, in one currency."""

    currency: str
    exchange: Decimal
    credit: Decimal

    @property
    def total(self) -> Decimal:
        return self.exchange + self.credit

    # Formatted when shown, in the reader's language.
    @property
    def exchange_display(self) -> str:
        return money(self.exchange, self.currency)

    @property
    def credit_display(self) -> str:
        return money(self.credit, self.currency)

    @property
    def total_display(self) -> str:
        return money(self.total, self.currency)


@dataclass(frozen=True)
class ReturnsReport:
    store: Store
    days: int
    since: datetime
    until: datetime
    sold: int
    returned: int
    products: list[RateRow]
    categories: list[RateRow]
    resolutions: list[ResolutionShare]  # of the settled returns, most first
    settled: int
    retained: list[Retained]  # by currency

    @property
    def rate(self) -> Decimal | None:
        return _percent(self.returned, self.sold) if self.sold else None


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _sold_lines(store: Store, since: datetime, until: datetime) -> QuerySet[OrderLine]:
    return OrderLine.objects.filter(
        order__store=store,
        order__placed_at__gte=since,
        order__placed_at__lte=until,
        order__cancelled_at__isnull=True,
    )


def _returned_lines(store: Store, since: datetime, until: datetime) -> QuerySet[ReturnLine]:
    return ReturnLine.objects.filter(
        return_case__store=store,
        order_line__order__store=store,
        order_line__order__placed_at__gte=since,
        order_line__order__placed_at__lte=until,
        order_line__order__cancelled_at__isnull=True,
    ).exclude(return_case__status=ReturnStatus.REJECTED)


def _rows(
    sold: Mapping[Any, int],
    returned: Iterable[Mapping[str, Any]],
    names: Mapping[Any, str],
    labels: dict[str, str],
) -> list[RateRow]:
    """Rows of the keys that had returns, the most returned first."""
    by_key: dict[Any, list[ReasonCount]] = defaultdict(list)
    for row in returned:
        # A code neither the store nor Tiski knows (a retired one) shows as itself.
        label = labels.get(row["reason"], row["reason"])
        by_key[row["key"]].append(ReasonCount(row["reason"], int(row["n"]), label))
    rows = []
    for key, reasons in by_key.items():
        reasons.sort(key=lambda r: (-r.quantity, r.reason))
        rows.append(
            RateRow(
                name=names[key],
                sold=sold.get(key, 0),
                returned=sum(r.quantity for r in reasons),
                reasons=tuple(reasons[:TOP_REASONS]),
            )
        )
    rows.sort(key=lambda r: (-r.returned, -(r.rate or 0), r.name.casefold()))
    return rows[:TOP]


def _products(
    store: Store, since: datetime, until: datetime, labels: dict[str, str]
) -> list[RateRow]:
    # A product as the catalogue names it; a line whose product the shop never sent
    # (or deleted) is known by the title it was sold under.
    returned: list[dict[str, Any]] = [
        {**row, "key": (row["product"], None if row["product"] else row["name"])}
        for row in _returned_lines(store, since, until)
        .annotate(
            product=F("order_line__product_id"),
            name=Coalesce("order_line__product__title", "order_line__title"),
        )
        .values("product", "name", "reason")
        .annotate(n=Sum("quantity"))
    ]
    ids = {row["product"] for row in returned if row["product"]}
    titles = {row["name"] for row in returned if not row["product"]}
    # Sold counts only of what came back: the table lists nothing else.
    sold_rows = (
        _sold_lines(store, since, until)
        .filter(Q(product_id__in=ids) | Q(product__isnull=True, title__in=titles))
        .values("product_id", "title")
        .annotate(n=Sum("quantity"))
    )
    sold: dict[Any, int] = defaultdict(int)
    for sold_row in sold_rows:
        product = sold_row["product_id"]
        sold[(product, None if product else sold_row["title"])] += int(sold_row["n"])
    names = {row["key"]: row["name"] for row in returned}
    return _rows(sold, returned, names, labels)


def _categories(
    store: Store, since: datetime, until: datetime, labels: dict[str, str]
) -> tuple[list[RateRow], int, int]:
    """The top categories, and all items sold and returned (every category together)."""
    category = Coalesce("product__category", Value(""))
    sold = {
        row["category"]: int(row["n"])
        for row in _sold_lines(store, since, until)
        .annotate(category=category)
        .values("category")
        .annotate(n=Sum("quantity"))
    }
    returned = list(
        _returned_lines(store, since, until)
        .annotate(key=Coalesce("order_line__product__category", Value("")))
        .values("key", "reason")
        .annotate(n=Sum("quantity"))
    )
    names = {row["key"]: row["key"] for row in returned}
    rows = _rows(sold, returned, names, labels)
    return rows, sum(sold.values()), sum(int(r["n"]) for r in returned)


def _resolutions(store: Store, since: datetime, until: datetime) -> list[ResolutionShare]:
    counts = {
        row["resolution"]: int(row["n"])
        for row in Return.objects.filter(
            store=store,
            order__placed_at__gte=since,
            order__placed_at__lte=until,
            order__cancelled_at__isnull=True,
            resolved_at__isnull=False,
        )
        .exclude(status=ReturnStatus.REJECTED)
        .values("resolution")
        .annotate(n=Count("pk"))
    }
    settled = sum(counts.values())
    shares = [
        ResolutionShare(r, counts.get(r, 0), _percent(counts.get(r, 0), settled))
        for r in Resolution.values
        if settled
    ]
    return sorted(shares, key=lambda s: -s.returns)


def _retained(store: Store, since: datetime, until: datetime) -> list[Retained]:
    # A returned part of a line is worth its share of what the line cost after its
    # discount. Floating point in the database: SQLite keeps 25.00 as the integer 25
    # and would divide it as one; the sum is rounded to cents afterwards.
    value = Cast(F("order_line__total") * F("quantity"), FloatField()) / F("order_line__quantity")
    rows = (
        _returned_lines(store, since, until)
        .filter(return_case__resolved_at__isnull=False, return_case__resolution__in=RETAINING)
        .values("order_line__order__currency", "return_case__resolution")
        .annotate(amount=Sum(value))
    )
    amounts: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:
        cents = Decimal(str(row["amount"] or 0)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        amounts[row["order_line__order__currency"]][row["return_case__resolution"]] += cents
    return [
        Retained(
            currency,
            exchange=by[Resolution.EXCHANGE],
            credit=by[Resolution.STORE_CREDIT],
        )
        for currency, by in sorted(amounts.items())
    ]


def returns_report(store: Store, *, days: int, now: datetime) -> ReturnsReport:
    """The report for ``store`` over the ``days`` before ``now`` (aware)."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days out of range: {days}")
    since = now - timedelta(days=days)
    labels = reason_labels(store)
    categories, sold, returned = _categories(store, since, now, labels)
    resolutions = _resolutions(store, since, now)
    return ReturnsReport(
        store=store,
        days=days,
        since=since,
        until=now,
        sold=sold,
        returned=returned,
        products=_products(store, since, now, labels),
        categories=categories,
        resolutions=resolutions,
        settled=sum(s.returns for s in resolutions),
        retained=_retained(store, since, now),
    )

"""Which order lines a customer may return, how many, until when, and why not.

A pure function of plain facts (``OrderFacts``), the shop's rules (``ReturnRules``) and
the moment (``now``): no database, no clock. Every "no" (and every limit on a "yes")
comes as a ``Reason``: a stable code and a translatable English text with placeholders.

The law it follows:

* **Right of withdrawal, 14 days** from the day the consumer, or a third party they
  named, acquires physical possession of the goods; for several goods ordered together
  and delivered separately, from the day the **last** of them is received. Directive
  2011/83/EU art. 9(1), 9(2)(b); Finland: Kuluttajansuojalaki 6:14; Poland: ustawa
  o prawach konsumenta art. 27 and 28.
* **Counting** by Regulation (EEC, Euratom) No 1182/71, which the directive's recital
  41 applies: the day of receipt is not counted (art. 3(1)); the period covers calendar
  days (art. 3(3)) and ends with the last hour of its last day (art. 3(2)(b)); when the
  last day is a public holiday, a Saturday or a Sunday, it ends with the last hour of
  the next working day (art. 3(4)). Days and hours are the store's local ones; the
  public holidays are those of the store's country as the ``holidays`` package lists
  them (Finnish Christmas Eve and Midsummer Eve included, as the Finnish time-limits
  act 150/1930 §5 also moves deadlines off them; Polish Christmas Eve from 2025).
* **Exceptions** (directive art. 16): goods made to the consumer's specifications or
  clearly personalised (c), goods liable to deteriorate or expire rapidly (d), sealed
  goods unsuitable for return for health or hygiene reasons once unsealed after
  delivery (e), sealed audio or video recordings or software once unsealed (i). They
  hold only if the shop told the customer before the purchase (art. 6(1)(k)); the
  shop's ``category_exclusions`` are taken to be what it told them.
* **No waiver** (art. 25): the shop cannot take the 14 days away by contract.

Choices made here:

* **Partly delivered orders.** The period starts only when the last line arrives, but
  the consumer may withdraw before that (art. 9(3)). So delivered lines are returnable
  now with no deadline yet (``deadline`` is None, ``all_delivered`` False); lines still
  in transit are not returnable (there is nothing to send back) and say so with a
  reason that offers cancelling instead. An undelivered line whose whole quantity is
  already cancelled or returned does not hold the period open: it is no longer part of
  what is being delivered. A delivery recorded after ``now`` counts as not yet made.
* **The shop's own window** (``shop_window_days``) runs from the same day and is counted
  the same way, weekend and holiday rule included: it is contractual, and one rule is
  easier for customers to trust. The customer gets whichever period ends later.
* **Block lists** can only take away what the shop gives beyond the law (art. 25): a
  blocked customer, product or order keeps the statutory 14 days and loses the shop's
  longer window. A shop that needs a hard block (a business buyer, a sale on its
  premises) has no right of withdrawal to respect, which these facts do not model.
* **Allow lists** are the shop choosing to be more generous, which it may: an
  allow-listed customer, product or order wins over any block and over the category
  exclusions. The period still applies.
* **Sealed goods** whose seal state is unknown (``unsealed`` None) or intact are
  returnable on the condition that they come back sealed (``requires_seal``).
* Who pays return shipping and the restocking fee are echoed for the portal, not used
  here. A flat restocking fee cannot be charged on a statutory withdrawal (art. 13,
  14(2) allow only diminished value from handling beyond what was needed), so it is
  charged only when the return is asked for after the law's 14 days, under the shop's
  own longer window (``beyond_statutory``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tiski.returns.deadlines import is_day_off

STATUTORY_DAYS = 14


class Exclusion(StrEnum):
    """Directive 2011/83/EU art. 16 exceptions a product category can fall under."""

    SEALED_HYGIENE = "sealed_hygiene"  # art. 16(e)
    MADE_TO_ORDER = "made_to_order"  # art. 16(c)
    PERISHABLE = "perishable"  # art. 16(d)
    SEALED_MEDIA = "sealed_media"  # art. 16(i)


# Excluded only once the seal is broken; until then returnable, sealed.
SEALED = frozenset({Exclusion.SEALED_HYGIENE, Exclusion.SEALED_MEDIA})


class ReasonCode(StrEnum):
    NOT_DELIVERED = "not_delivered"
    PERIOD_ENDED = "period_ended"
    ALREADY_RETURNED = "already_returned"
    UNSEALED_HYGIENE = "unsealed_hygiene"
    UNSEALED_MEDIA = "unsealed_media"
    MADE_TO_ORDER = "made_to_order"
    PERISHABLE = "perishable"
    BLOCKED_CUSTOMER = "blocked_customer"
    BLOCKED_PRODUCT = "blocked_product"
    BLOCKED_ORDER = "blocked_order"


MESSAGES: Mapping[ReasonCode, Promise] = {
    ReasonCode.NOT_DELIVERED: _(
        "This item has not been delivered yet. You can cancel it now, or return it once "
        "it has arrived."
    ),
    ReasonCode.PERIOD_ENDED: _("The return period ended on %(date)s."),
    ReasonCode.ALREADY_RETURNED: _(
        "Already returned or in an open return: %(returned)s of %(bought)s."
    ),
    ReasonCode.UNSEALED_HYGIENE: _(
        "This item cannot be returned once its seal is broken, for health and hygiene reasons."
    ),
    ReasonCode.UNSEALED_MEDIA: _(
        "Sealed recordings and software cannot be returned once the seal is broken."
    ),
    ReasonCode.MADE_TO_ORDER: _(
        "This item was made to your specifications or personalised, so it cannot be returned."
    ),
    ReasonCode.PERISHABLE: _("This item can spoil or expire quickly, so it cannot be returned."),
    ReasonCode.BLOCKED_CUSTOMER: _(
        "The shop's longer return period does not cover your purchases; the statutory "
        "period of %(days)s days applies."
    ),
    ReasonCode.BLOCKED_PRODUCT: _(
        "The shop's longer return period does not cover this product; the statutory "
        "period of %(days)s days applies."
    ),
    ReasonCode.BLOCKED_ORDER: _(
        "The shop's longer return period does not cover this order; the statutory "
        "period of %(days)s days applies."
    ),
}

EXCLUSION_REASONS: Mapping[Exclusion, ReasonCode] = {
    Exclusion.SEALED_HYGIENE: ReasonCode.UNSEALED_HYGIENE,
    Exclusion.SEALED_MEDIA: ReasonCode.UNSEALED_MEDIA,
    Exclusion.MADE_TO_ORDER: ReasonCode.MADE_TO_ORDER,
    Exclusion.PERISHABLE: ReasonCode.PERISHABLE,
}


@dataclass(frozen=True)
class Reason:
    code: ReasonCode
    params: Mapping[str, date | int | str] = field(default_factory=dict)

    @property
    def template(self) -> Promise:
        """The English source text, translated when rendered."""
        return MESSAGES[self.code]

    @property
    def message(self) -> str:
        """The text in the active language, dates in its format."""
        rendered = {
            key: formats.date_format(value) if isinstance(value, date) else str(value)
            for key, value in self.params.items()
        }
        return str(self.template) % rendered


class PeriodKind(StrEnum):
    STATUTORY = "statutory"
    SHOP = "shop"


@dataclass(frozen=True)
class Deadline:
    kind: PeriodKind
    received_on: date  # the local day of (the last) receipt, itself not counted
    last_day: date  # local; already moved past a weekend or holiday
    ends_at: datetime  # aware, 00:00 local after last_day: from this instant it is too late
    moved_from: date | None = None  # the nominal last day, when it fell on a day off


@dataclass(frozen=True)
class ReturnRules:
    time_zone: str  # the store's, e.g. "Europe/Helsinki"
    country: str  # ISO 3166 code for public holidays, e.g. "FI"
    shop_window_days: int = 0  # the shop's own window from receipt; 0 = the law's only
    category_exclusions: Mapping[str, Exclusion] = field(default_factory=dict)
    blocked_customers: Collection[str] = ()
    blocked_products: Collection[str] = ()
    blocked_orders: Collection[str] = ()
    allowed_customers: Collection[str] = ()
    allowed_products: Collection[str] = ()
    allowed_orders: Collection[str] = ()
    # Echoed for the portal, not part of the decision.
    customer_pays_return_shipping: bool = True
    restocking_fee_percent: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        ZoneInfo(self.time_zone)  # an unknown zone fails here, not on a customer's request
        if not 0 <= self.shop_window_days <= 3660:
            raise ValueError(f"shop_window_days out of range: {self.shop_window_days}")
        is_day_off(date(2000, 1, 3), self.country)  # a Monday: an unknown country raises


@dataclass(frozen=True)
class LineFacts:
    line_id: str
    product_id: str
    category: str
    quantity: int
    returned_quantity: int = 0  # returned, cancelled or in an open return
    delivered_at: datetime | None = None  # when its parcel arrived; None = not yet
    unsealed: bool | None = None  # the customer's word, for sealed categories

    def __post_init__(self) -> None:
        if self.quantity < 0 or self.returned_quantity < 0:
            raise ValueError(f"line {self.line_id}: negative quantity")
        _require_aware(self.delivered_at, f"line {self.line_id} delivered_at")


@dataclass(frozen=True)
class OrderFacts:
    order_id: str
    customer_key: str
    placed_at: datetime
    lines: tuple[LineFacts, ...]

    def __post_init__(self) -> None:
        _require_aware(self.placed_at, "placed_at")


@dataclass(frozen=True)
class LineEligibility:
    line_id: str
    returnable_quantity: int
    # The period this line is held to; None while part of the order is undelivered.
    deadline: Deadline | None
    # Everything that limits the line; never empty when nothing is returnable.
    reasons: tuple[Reason, ...] = ()
    requires_seal: bool = False  # returnable only with its seal intact

    @property
    def returnable(self) -> bool:
        return self.returnable_quantity > 0


@dataclass(frozen=True)
class ReturnEligibility:
    order_id: str
    all_delivered: bool
    # The order's period (the later of the law's and the shop's); None until all arrived.
    deadline: Deadline | None
    lines: tuple[LineEligibility, ...]
    customer_pays_return_shipping: bool
    restocking_fee_percent: Decimal
    # The law's 14 days alone; after them only the shop's own window (and terms) apply.
    statutory_deadline: Deadline | None = None

    @property
    def returnable(self) -> bool:
        return any(line.returnable for line in self.lines)

    def beyond_statutory(self, now: datetime) -> bool:
        """Whether the law's 14 days are over at ``now``: a return still possible then
        rests on the shop's longer window, on its terms (a restocking fee may apply)."""
        return self.statutory_deadline is not None and now >= self.statutory_deadline.ends_at

    def line(self, line_id: str) -> LineEligibility:
        return next(line for line in self.lines if line.line_id == line_id)


def _require_aware(value: datetime | None, what: str) -> None:
    if value is not None and value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")


def period_deadline(received_on: date, days: int, rules: ReturnRules, kind: PeriodKind) -> Deadline:
    """The period of ``days`` after the local day ``received_on``, counted by Regulation
    1182/71: the receipt day not counted, a last day off moved to the next working day,
    the end at 24:00 store time of the last day."""
    nominal = received_on + timedelta(days=days)
    last_day = nominal
    while is_day_off(last_day, rules.country):
        last_day += timedelta(days=1)
    ends_at = datetime.combine(last_day + timedelta(days=1), time(0), ZoneInfo(rules.time_zone))
    return Deadline(
        kind=kind,
        received_on=received_on,
        last_day=last_day,
        ends_at=ends_at,
        moved_from=nominal if nominal != last_day else None,
    )


def _local_day(moment: datetime, rules: ReturnRules) -> date:
    return moment.astimezone(ZoneInfo(rules.time_zone)).date()


def _delivered(line: LineFacts, now: datetime) -> bool:
    return line.delivered_at is not None and line.delivered_at <= now


def _received_on(order: OrderFacts, rules: ReturnRules, now: datetime) -> date | None:
    """The local day the last good arrived (art. 9(2)(b)); None while one is on its way."""
    days: list[date] = []
    for line in order.lines:
        if _delivered(line, now):
            assert line.delivered_at is not None
            days.append(_local_day(line.delivered_at, rules))
        elif line.quantity > line.returned_quantity:
            return None
    return max(days) if days else None


def _blocks(order: OrderFacts, line: LineFacts, rules: ReturnRules) -> list[ReasonCode]:
    found = []
    if order.customer_key in rules.blocked_customers:
        found.append(ReasonCode.BLOCKED_CUSTOMER)
    if line.product_id in rules.blocked_products:
        found.append(ReasonCode.BLOCKED_PRODUCT)
    if order.order_id in rules.blocked_orders:
        found.append(ReasonCode.BLOCKED_ORDER)
    return found


def _allowed(order: OrderFacts, line: LineFacts, rules: ReturnRules) -> bool:
    return (
        order.customer_key in rules.allowed_customers
        or line.product_id in rules.allowed_products
        or order.order_id in rules.allowed_orders
    )


def _check_line(
    order: OrderFacts,
    line: LineFacts,
    rules: ReturnRules,
    now: datetime,
    statutory: Deadline | None,
    longest: Deadline | None,
) -> LineEligibility:
    reasons: list[Reason] = []
    allowed = _allowed(order, line, rules)
    exclusion = None if allowed else rules.category_exclusions.get(line.category)
    requires_seal = exclusion in SEALED
    excluded = exclusion is not None and (exclusion not in SEALED or line.unsealed is True)
    if excluded:
        assert exclusion is not None
        reasons.append(Reason(EXCLUSION_REASONS[exclusion]))

    deadline = longest
    blocks = [] if allowed else _blocks(order, line, rules)
    # A block takes away only the shop's extra days; the law's 14 stay (art. 25).
    if blocks and rules.shop_window_days > STATUTORY_DAYS:
        deadline = statutory
        reasons.extend(Reason(code, {"days": STATUTORY_DAYS}) for code in blocks)

    delivered = _delivered(line, now)
    if not delivered and line.quantity > line.returned_quantity:
        reasons.append(Reason(ReasonCode.NOT_DELIVERED))
    late = deadline is not None and now >= deadline.ends_at
    if late:
        assert deadline is not None
        reasons.append(Reason(ReasonCode.PERIOD_ENDED, {"date": deadline.last_day}))

    left = max(line.quantity - line.returned_quantity, 0)
    if line.returned_quantity > 0 or left == 0:
        reasons.append(
            Reason(
                ReasonCode.ALREADY_RETURNED,
                {"returned": min(line.returned_quantity, line.quantity), "bought": line.quantity},
            )
        )

    returnable = 0 if excluded or late or not delivered else left
    return LineEligibility(
        line_id=line.line_id,
        returnable_quantity=returnable,
        deadline=deadline,
        reasons=tuple(reasons),
        requires_seal=requires_seal and returnable > 0,
    )


def check_return(order: OrderFacts, rules: ReturnRules, now: datetime) -> ReturnEligibility:
    """What each line of ``order`` may be returned, as of ``now`` (timezone-aware)."""
    _require_aware(now, "now")
    received_on = _received_on(order, rules, now)
    statutory = longest = None
    if received_on is not None:
        statutory = longest = period_deadline(
            received_on, STATUTORY_DAYS, rules, PeriodKind.STATUTORY
        )
        if rules.shop_window_days > STATUTORY_DAYS:
            shop = period_deadline(received_on, rules.shop_window_days, rules, PeriodKind.SHOP)
            if shop.ends_at > statutory.ends_at:
                longest = shop
    return ReturnEligibility(
        order_id=order.order_id,
        all_delivered=received_on is not None,
        deadline=longest,
        lines=tuple(
            _check_line(order, line, rules, now, statutory, longest) for line in order.lines
        ),
        customer_pays_return_shipping=rules.customer_pays_return_shipping,
        restocking_fee_percent=rules.restocking_fee_percent,
        statutory_deadline=statutory,
    )

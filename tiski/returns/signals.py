"""Things an agent may want to know before deciding a return or a complaint.

Signals are **flags, never decisions**: nothing here refuses, holds or slows a request.
A customer who returns often may simply be buying two sizes; a gift has a billing
address far from where it is shipped. The agent reads the signal beside the request
and decides. Each ``Signal`` is a stable code, a severity and a translatable English
text with parameters, formatted in the reader's language when shown.

The thresholds (documented constants, per store, over the last ``LOOKBACK_DAYS``):

* **Return rate**: warned at ``RETURN_COUNT_MIN`` returns or more that are not rejected
  *and* a rate of returns to orders of ``RETURN_RATE_MIN`` or more. Both are needed: three
  returns of thirty orders is a loyal customer, one return of one order says nothing.
* **Repeated claims** that the goods came damaged, faulty or wrong: ``CLAIMS_MIN`` or
  more complaints and returns giving such a reason (rejected ones count too: a claim
  was made either way).
* **Heavy discount**: a returned line whose discount is ``DISCOUNT_MIN`` or more of its
  price before the discount (bought in a sale, returned for full credit elsewhere).
* **Addresses apart**: the order's shipping and billing addresses name different
  countries or postal codes (when both name one).
* **After the law's 14 days** (information only): the request came after the statutory
  withdrawal period but within the shop's longer window. The shop's own terms then
  govern (a restocking fee may apply), which the law forbids on a statutory
  withdrawal (Directive 2011/83/EU art. 13 and 14(2); see ``eligibility.py``).

"The customer" is the order's contact when it has one, else the order's email address
(case-insensitive), within the same store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Count, Q
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tiski.core import clock
from tiski.returns.eligibility import STATUTORY_DAYS, PeriodKind, check_return, period_deadline
from tiski.returns.models import Complaint, Return, ReturnReason, ReturnStatus
from tiski.returns.queries import order_facts, rules_for
from tiski.shop.models import Order

LOOKBACK_DAYS = 365
RETURN_COUNT_MIN = 3
RETURN_RATE_MIN = Decimal("0.5")
CLAIMS_MIN = 2
DISCOUNT_MIN = Decimal("0.4")
# Reasons that say "it was not what should have arrived", the claims worth counting.
CLAIM_REASONS = (ReturnReason.DAMAGED, ReturnReason.WRONG_ITEM)


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"


class SignalCode(StrEnum):
    FREQUENT_RETURNS = "frequent_returns"
    REPEATED_CLAIMS = "repeated_claims"
    HEAVY_DISCOUNT = "heavy_discount"
    ADDRESS_MISMATCH = "address_mismatch"
    BEYOND_STATUTORY = "beyond_statutory"


MESSAGES: Mapping[SignalCode, Promise] = {
    SignalCode.FREQUENT_RETURNS: _(
        "Returns often: %(returns)s returns of %(orders)s orders in the last 12 months "
        "(%(rate)s%%)."
    ),
    SignalCode.REPEATED_CLAIMS: _(
        "%(claims)s claims of damaged, faulty or wrong goods in the last 12 months "
        "(complaints and returns)."
    ),
    SignalCode.HEAVY_DISCOUNT: _("%(item)s was bought at %(percent)s%% off."),
    SignalCode.ADDRESS_MISMATCH: _(
        "The shipping and billing addresses differ: shipped to %(shipping)s, billed to %(billing)s."
    ),
    SignalCode.BEYOND_STATUTORY: _(
        "Asked for after the law's %(days)s days, which ended on %(date)s, within the "
        "shop's own return window: the shop's terms apply, a restocking fee included."
    ),
}


@dataclass(frozen=True)
class Signal:
    code: SignalCode
    severity: Severity
    params: Mapping[str, date | int | str] = field(default_factory=dict)

    @property
    def template(self) -> Promise:
        return MESSAGES[self.code]

    @property
    def message(self) -> str:
        """The text in the active language, dates and numbers in its format."""
        rendered = {
            key: formats.date_format(value)
            if isinstance(value, date)
            else formats.number_format(value)
            if isinstance(value, int)
            else value
            for key, value in self.params.items()
        }
        return str(self.template) % rendered

    @property
    def is_warning(self) -> bool:
        return self.severity == Severity.WARNING


def _customer(order: Order) -> Q | None:
    """The orders of the same customer in the same store; None when nobody is known."""
    if order.contact_id is not None:
        return Q(store_id=order.store_id, contact_id=order.contact_id)
    if order.email:
        return Q(store_id=order.store_id, email__iexact=order.email.strip())
    return None


def _history(order: Order, now: datetime) -> list[Signal]:
    """Return rate and repeated claims: three queries whatever the history's size."""
    customer = _customer(order)
    if customer is None:
        return []
    since = now - timedelta(days=LOOKBACK_DAYS)
    orders = Order.objects.filter(customer, placed_at__gte=since).count()
    theirs = Order.objects.filter(customer).values("pk")
    counts = Return.objects.filter(order__in=theirs, requested_at__gte=since).aggregate(
        returns=Count("pk", distinct=True, filter=~Q(status=ReturnStatus.REJECTED)),
        claims=Count("pk", distinct=True, filter=Q(lines__reason__in=CLAIM_REASONS)),
    )
    complaints = Complaint.objects.filter(order__in=theirs, received_at__gte=since).count()
    found = []
    returns = int(counts["returns"])
    # Orders placed before the window can have returns inside it: never above 100 %.
    rate = Decimal(returns) / max(orders, returns, 1)
    if returns >= RETURN_COUNT_MIN and rate >= RETURN_RATE_MIN:
        found.append(
            Signal(
                SignalCode.FREQUENT_RETURNS,
                Severity.WARNING,
                {"returns": returns, "orders": max(orders, returns), "rate": round(rate * 100)},
            )
        )
    claims = int(counts["claims"]) + complaints
    if claims >= CLAIMS_MIN:
        found.append(Signal(SignalCode.REPEATED_CLAIMS, Severity.WARNING, {"claims": claims}))
    return found


# The keys the connectors store addresses with: Shopify's REST names (country_code,
# zip), WooCommerce's (country as a code, postcode), and what a shop using Tiski's own
# format is likely to send.
_COUNTRY_KEYS = ("country_code", "country")
_POSTAL_KEYS = ("zip", "postcode", "postal_code", "postalCode")


def _part(address: Any, keys: tuple[str, ...]) -> str:
    if not isinstance(address, dict):
        return ""
    for key in keys:
        value = address.get(key)
        if isinstance(value, str) and value.strip():
            # "00 100", "00-100" and "00100" are one code, whatever the shop typed.
            return "".join(ch for ch in value.upper() if ch.isalnum())
    return ""


def _addresses(order: Order) -> list[Signal]:
    shipping, billing = order.shipping_address, order.billing_address
    differs = False
    for keys in (_COUNTRY_KEYS, _POSTAL_KEYS):
        ship, bill = _part(shipping, keys), _part(billing, keys)
        differs = differs or bool(ship and bill and ship != bill)
    if not differs:
        return []

    def shown(address: Any) -> str:
        parts = (_part(address, _COUNTRY_KEYS), _part(address, _POSTAL_KEYS))
        return " ".join(part for part in parts if part)

    return [
        Signal(
            SignalCode.ADDRESS_MISMATCH,
            Severity.WARNING,
            {"shipping": shown(shipping), "billing": shown(billing)},
        )
    ]


def _discounts(case: Return) -> list[Signal]:
    found = []
    for line in case.lines.select_related("order_line").order_by("order_line__position", "pk"):
        sold = line.order_line
        before = sold.unit_price * sold.quantity
        if before <= 0:
            continue  # a free gift has no discount to speak of
        share = sold.discount_total / before
        if share >= DISCOUNT_MIN:
            found.append(
                Signal(
                    SignalCode.HEAVY_DISCOUNT,
                    Severity.WARNING,
                    {"item": sold.title, "percent": round(share * 100)},
                )
            )
    return found


def _beyond_statutory(case: Return) -> list[Signal]:
    rules = rules_for(case.order.store)
    if rules.shop_window_days <= STATUTORY_DAYS:
        return []  # only the law's period: no request can come after it
    facts, _lines = order_facts(case.order)
    deadline = check_return(facts, rules, case.requested_at).deadline
    if deadline is None:
        return []
    statutory = period_deadline(deadline.received_on, STATUTORY_DAYS, rules, PeriodKind.STATUTORY)
    if case.requested_at < statutory.ends_at:
        return []
    return [
        Signal(
            SignalCode.BEYOND_STATUTORY,
            Severity.INFO,
            {"days": STATUTORY_DAYS, "date": statutory.last_day},
        )
    ]


def signals_for(case: Return, now: datetime | None = None) -> list[Signal]:
    """What the agent should weigh on ``case``, warnings first. The 12 months looked
    back over end ``now`` (aware; the clock's by default)."""
    order = case.order
    found = [
        *_history(order, now or clock.now()),
        *_discounts(case),
        *_addresses(order),
        *_beyond_statutory(case),
    ]
    return sorted(found, key=lambda s: not s.is_warning)


def signals_for_complaint(complaint: Complaint, now: datetime | None = None) -> list[Signal]:
    """The customer's history and the order's addresses; a complaint about a fault has
    no withdrawal period and its discount says nothing."""
    order = complaint.order
    return [*_history(order, now or clock.now()), *_addresses(order)]

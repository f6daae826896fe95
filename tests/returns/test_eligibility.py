"""Return eligibility as dated cases: the 14 days from the last parcel, counted in the
store's time zone and moved off weekends and public holidays, the shop's longer window,
excluded categories, allow and block lists, quantities, and a reason for every "no"."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
from django.utils import translation

from tiski.returns.eligibility import (
    Exclusion,
    LineFacts,
    OrderFacts,
    PeriodKind,
    ReasonCode,
    ReturnEligibility,
    ReturnRules,
    check_return,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
WARSAW = ZoneInfo("Europe/Warsaw")

FI = ReturnRules(time_zone="Europe/Helsinki", country="FI")
PL = ReturnRules(time_zone="Europe/Warsaw", country="PL")

CATEGORIES = {
    "underwear": Exclusion.SEALED_HYGIENE,
    "engraved": Exclusion.MADE_TO_ORDER,
    "flowers": Exclusion.PERISHABLE,
    "games": Exclusion.SEALED_MEDIA,
}


def at(
    zone: tzinfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=zone)


def hel(*parts: int) -> datetime:
    return at(HELSINKI, *parts)


def waw(*parts: int) -> datetime:
    return at(WARSAW, *parts)


def utc(*parts: int) -> datetime:
    return at(UTC, *parts)


def line(line_id: str = "l1", delivered_at: datetime | None = None, **extra: Any) -> LineFacts:
    extra.setdefault("product_id", f"p-{line_id}")
    extra.setdefault("category", "shirts")
    extra.setdefault("quantity", 1)
    return LineFacts(line_id=line_id, delivered_at=delivered_at, **extra)


def order(*lines: LineFacts, order_id: str = "o1", customer: str = "c1") -> OrderFacts:
    return OrderFacts(
        order_id=order_id, customer_key=customer, placed_at=hel(2025, 10, 30, 9), lines=lines
    )


def codes(result: ReturnEligibility, line_id: str = "l1") -> list[ReasonCode]:
    return [reason.code for reason in result.line(line_id).reasons]


def rules(**changes: Any) -> ReturnRules:
    return replace(FI, **changes)


# Monday 3 November 2025, noon in Helsinki; the 14th day after is Monday 17 November.
MONDAY = hel(2025, 11, 3, 12)


def test_received_13_days_ago_is_in_time_15_days_ago_is_late() -> None:
    bought = order(line(delivered_at=MONDAY))

    in_time = check_return(bought, FI, hel(2025, 11, 16, 12))
    assert in_time.line("l1").returnable_quantity == 1
    assert in_time.line("l1").reasons == ()
    assert in_time.deadline is not None
    assert in_time.deadline.received_on == date(2025, 11, 3)
    assert in_time.deadline.last_day == date(2025, 11, 17)
    assert in_time.deadline.kind == PeriodKind.STATUTORY

    late = check_return(bought, FI, hel(2025, 11, 18, 12))
    assert late.line("l1").returnable_quantity == 0
    assert codes(late) == [ReasonCode.PERIOD_ENDED]
    with translation.override("en"):
        assert late.line("l1").reasons[0].message == "The return period ended on 17 November 2025."


def test_the_period_ends_at_midnight_store_time_after_the_last_day() -> None:
    bought = order(line(delivered_at=MONDAY))
    result = check_return(bought, FI, MONDAY)
    assert result.deadline is not None
    assert result.deadline.ends_at == hel(2025, 11, 18, 0, 0)
    assert result.deadline.ends_at.utcoffset() == hel(2025, 11, 18).utcoffset()

    assert check_return(bought, FI, hel(2025, 11, 17, 23, 59, 59)).returnable
    assert not check_return(bought, FI, hel(2025, 11, 18, 0, 0)).returnable
    # The same instants written in UTC (Helsinki is UTC+2 in November).
    assert check_return(bought, FI, utc(2025, 11, 17, 21, 59, 59)).returnable
    assert not check_return(bought, FI, utc(2025, 11, 17, 22, 0)).returnable


@pytest.mark.parametrize(
    ("store", "delivered_at", "last_day"),
    [
        # Helsinki, UTC+2 in winter: 21:59 UTC is 23:59 on the 3rd, 22:01 is 00:01 on the 4th.
        (FI, utc(2025, 11, 3, 21, 59), date(2025, 11, 17)),
        (FI, utc(2025, 11, 3, 22, 1), date(2025, 11, 18)),
        # Warsaw, UTC+1 in winter.
        (PL, utc(2025, 11, 3, 22, 59), date(2025, 11, 17)),
        (PL, utc(2025, 11, 3, 23, 1), date(2025, 11, 18)),
        # One instant, two stores: already the 4th in Helsinki, still the 3rd in Warsaw.
        (FI, utc(2025, 11, 3, 22, 30), date(2025, 11, 18)),
        (PL, utc(2025, 11, 3, 22, 30), date(2025, 11, 17)),
        # Written in another zone altogether: 17:30 in New York is 00:30 in Helsinki.
        (
            FI,
            datetime(2025, 11, 3, 17, 30, tzinfo=ZoneInfo("America/New_York")),
            date(2025, 11, 18),
        ),
        # Summer time: Helsinki is UTC+3, Warsaw UTC+2.
        (FI, utc(2025, 6, 2, 20, 59), date(2025, 6, 16)),
        (FI, utc(2025, 6, 2, 21, 1), date(2025, 6, 17)),
        (PL, utc(2025, 6, 2, 21, 59), date(2025, 6, 16)),
        (PL, utc(2025, 6, 2, 22, 1), date(2025, 6, 17)),
    ],
)
def test_the_day_of_receipt_is_the_store_local_day(
    store: ReturnRules, delivered_at: datetime, last_day: date
) -> None:
    result = check_return(order(line(delivered_at=delivered_at)), store, delivered_at)
    assert result.deadline is not None
    assert result.deadline.last_day == last_day


def test_summer_deadline_ends_at_local_midnight_with_the_summer_offset() -> None:
    result = check_return(order(line(delivered_at=utc(2025, 6, 2, 9))), FI, utc(2025, 6, 2, 9))
    assert result.deadline is not None
    assert result.deadline.ends_at == utc(2025, 6, 16, 21, 0)  # 00:00 on the 17th, UTC+3


@pytest.mark.parametrize(
    ("store", "delivered", "nominal", "last_day"),
    [
        # Saturday 22 November 2025 → Monday 24th.
        (FI, date(2025, 11, 8), date(2025, 11, 22), date(2025, 11, 24)),
        (PL, date(2025, 11, 8), date(2025, 11, 22), date(2025, 11, 24)),
        # Finnish Independence Day, a Friday in 2024 → Monday 9 December.
        (FI, date(2024, 11, 22), date(2024, 12, 6), date(2024, 12, 9)),
        # Midsummer Eve (Friday) and Day (Saturday), then Sunday → Monday 23 June 2025.
        (FI, date(2025, 6, 6), date(2025, 6, 20), date(2025, 6, 23)),
        # New Year's Day 2025 (Wednesday), across the year → Thursday 2 January.
        (FI, date(2024, 12, 18), date(2025, 1, 1), date(2025, 1, 2)),
        # Polish Independence Day, Tuesday 11 November 2025 → Wednesday 12th.
        (PL, date(2025, 10, 28), date(2025, 11, 11), date(2025, 11, 12)),
        # Christmas 2025 in Poland: Eve (a holiday from 2025), 25th, 26th, weekend → 29th.
        (PL, date(2025, 12, 10), date(2025, 12, 24), date(2025, 12, 29)),
        # Christmas Day 2024 (Wednesday), then the 26th → Friday 27 December.
        (PL, date(2024, 12, 11), date(2024, 12, 25), date(2024, 12, 27)),
    ],
)
def test_a_last_day_off_moves_to_the_next_working_day(
    store: ReturnRules, delivered: date, nominal: date, last_day: date
) -> None:
    zone = ZoneInfo(store.time_zone)
    delivered_at = datetime(delivered.year, delivered.month, delivered.day, 10, tzinfo=zone)
    bought = order(line(delivered_at=delivered_at))
    result = check_return(bought, store, delivered_at)
    assert result.deadline is not None
    assert result.deadline.moved_from == nominal
    assert result.deadline.last_day == last_day

    def at(day: date, hour: int, minute: int = 0) -> datetime:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)

    assert check_return(bought, store, at(last_day, 23, 59)).returnable
    after = last_day.toordinal() + 1
    assert not check_return(bought, store, at(date.fromordinal(after), 0)).returnable


def test_christmas_eve_2024_was_a_working_day_in_poland() -> None:
    bought = order(line(delivered_at=waw(2024, 12, 10, 10)))
    result = check_return(bought, PL, waw(2024, 12, 10, 10))
    assert result.deadline is not None
    assert result.deadline.last_day == date(2024, 12, 24)
    assert result.deadline.moved_from is None
    assert not check_return(bought, PL, waw(2024, 12, 25, 0)).returnable


def test_split_delivery_counts_from_the_last_parcel() -> None:
    bought = order(line("a", MONDAY), line("b", hel(2025, 11, 5, 16)))

    # a's own 14 days ended on the 17th, but the order's run to Wednesday 19 November.
    on_18th = check_return(bought, FI, hel(2025, 11, 18, 12))
    assert on_18th.deadline is not None
    assert on_18th.deadline.last_day == date(2025, 11, 19)
    assert on_18th.line("a").returnable_quantity == 1
    assert on_18th.line("b").returnable_quantity == 1

    on_20th = check_return(bought, FI, hel(2025, 11, 20, 0))
    assert not on_20th.returnable
    assert codes(on_20th, "a") == codes(on_20th, "b") == [ReasonCode.PERIOD_ENDED]


def test_a_line_in_transit_holds_the_period_open() -> None:
    bought = order(line("a", MONDAY), line("b", None))
    result = check_return(bought, FI, hel(2025, 12, 20, 12))  # long after a arrived

    assert not result.all_delivered
    assert result.deadline is None
    assert result.line("a").returnable_quantity == 1
    assert result.line("a").deadline is None
    assert result.line("b").returnable_quantity == 0
    assert codes(result, "b") == [ReasonCode.NOT_DELIVERED]


def test_a_delivery_recorded_after_now_is_not_yet_made() -> None:
    bought = order(line("a", MONDAY), line("b", hel(2025, 11, 10, 12)))
    result = check_return(bought, FI, hel(2025, 11, 7, 12))
    assert result.deadline is None
    assert codes(result, "b") == [ReasonCode.NOT_DELIVERED]


def test_a_cancelled_undelivered_line_does_not_hold_the_period_open() -> None:
    bought = order(line("a", MONDAY), line("b", None, quantity=2, returned_quantity=2))
    result = check_return(bought, FI, hel(2025, 11, 18, 12))
    assert result.all_delivered
    assert result.deadline is not None
    assert result.deadline.last_day == date(2025, 11, 17)
    assert codes(result, "a") == [ReasonCode.PERIOD_ENDED]
    assert codes(result, "b") == [ReasonCode.PERIOD_ENDED, ReasonCode.ALREADY_RETURNED]


def test_a_longer_shop_window_extends_the_period() -> None:
    shop = rules(shop_window_days=30)
    bought = order(line(delivered_at=MONDAY))

    day_28 = check_return(bought, shop, hel(2025, 12, 1, 12))
    assert day_28.line("l1").returnable_quantity == 1
    assert day_28.deadline is not None
    assert day_28.deadline.kind == PeriodKind.SHOP
    assert day_28.deadline.last_day == date(2025, 12, 3)

    assert check_return(bought, shop, hel(2025, 12, 3, 23, 59)).returnable
    late = check_return(bought, shop, hel(2025, 12, 4, 0))
    assert late.line("l1").reasons[0].params == {"date": date(2025, 12, 3)}


def test_a_shorter_shop_window_never_cuts_the_statutory_14_days() -> None:
    bought = order(line(delivered_at=MONDAY))
    result = check_return(bought, rules(shop_window_days=7), hel(2025, 11, 17, 12))
    assert result.line("l1").returnable_quantity == 1
    assert result.deadline is not None
    assert result.deadline.kind == PeriodKind.STATUTORY


def test_the_shop_window_moves_off_weekends_and_holidays_too() -> None:
    # Thursday 6 November + 30 = Saturday 6 December 2025, Independence Day → Monday 8th.
    bought = order(line(delivered_at=hel(2025, 11, 6, 12)))
    result = check_return(bought, rules(shop_window_days=30), hel(2025, 11, 6, 12))
    assert result.deadline is not None
    assert result.deadline.moved_from == date(2025, 12, 6)
    assert result.deadline.last_day == date(2025, 12, 8)


@pytest.mark.parametrize(
    ("category", "unsealed", "returnable", "requires_seal", "reason"),
    [
        ("underwear", True, 0, False, ReasonCode.UNSEALED_HYGIENE),
        ("underwear", False, 1, True, None),
        ("underwear", None, 1, True, None),
        ("games", True, 0, False, ReasonCode.UNSEALED_MEDIA),
        ("games", False, 1, True, None),
        ("engraved", None, 0, False, ReasonCode.MADE_TO_ORDER),
        ("flowers", False, 0, False, ReasonCode.PERISHABLE),
        ("shirts", True, 1, False, None),
    ],
)
def test_excluded_categories(
    category: str,
    unsealed: bool | None,
    returnable: int,
    requires_seal: bool,
    reason: ReasonCode | None,
) -> None:
    shop = rules(category_exclusions=CATEGORIES, shop_window_days=30)
    bought = order(line(delivered_at=MONDAY, category=category, unsealed=unsealed))
    result = check_return(bought, shop, hel(2025, 11, 4, 12)).line("l1")
    assert result.returnable_quantity == returnable
    assert result.requires_seal is requires_seal
    assert [r.code for r in result.reasons] == ([reason] if reason else [])


def test_a_blocked_customer_keeps_the_statutory_period_but_not_the_shops() -> None:
    shop = rules(shop_window_days=30, blocked_customers={"c1"})
    bought = order(line(delivered_at=MONDAY))

    day_10 = check_return(bought, shop, hel(2025, 11, 13, 12)).line("l1")
    assert day_10.returnable_quantity == 1
    assert day_10.deadline is not None
    assert day_10.deadline.kind == PeriodKind.STATUTORY
    assert [r.code for r in day_10.reasons] == [ReasonCode.BLOCKED_CUSTOMER]

    day_20 = check_return(bought, shop, hel(2025, 11, 23, 12))
    assert day_20.line("l1").returnable_quantity == 0
    assert codes(day_20) == [ReasonCode.BLOCKED_CUSTOMER, ReasonCode.PERIOD_ENDED]
    # Another customer still has the shop's 30 days.
    other = order(line(delivered_at=MONDAY), customer="c2")
    assert check_return(other, shop, hel(2025, 11, 23, 12)).returnable


def test_a_blocked_product_or_order_limits_only_what_it_names() -> None:
    bought = order(line("a", MONDAY, product_id="p1"), line("b", MONDAY, product_id="p2"))
    day_20 = hel(2025, 11, 23, 12)

    by_product = check_return(bought, rules(shop_window_days=30, blocked_products={"p1"}), day_20)
    assert codes(by_product, "a") == [ReasonCode.BLOCKED_PRODUCT, ReasonCode.PERIOD_ENDED]
    assert by_product.line("b").returnable_quantity == 1
    assert by_product.deadline is not None
    assert by_product.deadline.kind == PeriodKind.SHOP

    by_order = check_return(bought, rules(shop_window_days=30, blocked_orders={"o1"}), day_20)
    assert not by_order.returnable
    assert codes(by_order, "b") == [ReasonCode.BLOCKED_ORDER, ReasonCode.PERIOD_ENDED]


def test_a_block_cannot_take_away_the_statutory_right() -> None:
    shop = rules(blocked_customers={"c1"}, blocked_products={"p-l1"}, blocked_orders={"o1"})
    result = check_return(order(line(delivered_at=MONDAY)), shop, hel(2025, 11, 17, 12))
    assert result.line("l1").returnable_quantity == 1
    assert result.line("l1").reasons == ()


def test_allow_lists_win_over_blocks_and_exclusions_but_not_the_period() -> None:
    shop = rules(
        shop_window_days=30,
        category_exclusions=CATEGORIES,
        blocked_customers={"c1"},
        allowed_customers={"c1"},
        allowed_products={"p-roses"},
        allowed_orders={"o2"},
    )
    roses = line("roses", MONDAY, category="flowers")
    result = check_return(order(roses), shop, hel(2025, 11, 23, 12))
    assert result.line("roses").returnable_quantity == 1
    assert result.line("roses").reasons == ()

    ring = line("ring", MONDAY, category="engraved")
    assert check_return(order(ring, order_id="o2", customer="c9"), shop, MONDAY).returnable
    assert not check_return(order(ring, customer="c9"), shop, MONDAY).returnable

    late = check_return(order(roses), shop, hel(2025, 12, 4, 0))
    assert codes(late, "roses") == [ReasonCode.PERIOD_ENDED]


def test_quantities_already_returned() -> None:
    now = hel(2025, 11, 5, 12)
    some = check_return(order(line(delivered_at=MONDAY, quantity=3, returned_quantity=1)), FI, now)
    assert some.line("l1").returnable_quantity == 2
    assert some.line("l1").reasons[0].params == {"returned": 1, "bought": 3}

    everything = check_return(
        order(line(delivered_at=MONDAY, quantity=3, returned_quantity=3)), FI, now
    )
    assert everything.line("l1").returnable_quantity == 0
    assert codes(everything) == [ReasonCode.ALREADY_RETURNED]
    with translation.override("en"):
        assert everything.line("l1").reasons[0].message == (
            "Already returned or in an open return: 3 of 3."
        )

    overcounted = check_return(
        order(line(delivered_at=MONDAY, quantity=1, returned_quantity=2)), FI, now
    )
    assert overcounted.line("l1").returnable_quantity == 0


@pytest.mark.parametrize("language", ["en", "fi", "pl", "sv"])
def test_every_line_that_cannot_be_returned_says_why(language: str) -> None:
    shop = rules(shop_window_days=30, category_exclusions=CATEGORIES, blocked_products={"p-x"})
    lines = (
        line("underwear", MONDAY, category="underwear", unsealed=True),
        line("games", MONDAY, category="games", unsealed=True),
        line("engraved", MONDAY, category="engraved"),
        line("flowers", MONDAY, category="flowers"),
        line("returned", MONDAY, quantity=2, returned_quantity=2),
        line("x", MONDAY),
        line("shirt", MONDAY),
    )
    cases = [
        check_return(order(*lines), shop, hel(2025, 11, 5, 12)),
        check_return(order(*lines), shop, hel(2025, 11, 23, 12)),
        check_return(order(*lines), shop, hel(2026, 1, 5, 12)),
        check_return(order(*lines, line("transit", None)), shop, hel(2025, 11, 5, 12)),
    ]
    unreturnable = [ln for result in cases for ln in result.lines if not ln.returnable]
    assert len(unreturnable) == 5 + 6 + 7 + 6
    with translation.override(language):
        for result_line in unreturnable:
            assert result_line.reasons, result_line.line_id
            for reason in result_line.reasons:
                assert reason.message.strip(), reason.code
                assert "%(" not in reason.message


def test_shipping_and_restocking_settings_are_echoed() -> None:
    shop = rules(customer_pays_return_shipping=False, restocking_fee_percent=Decimal("10"))
    result = check_return(order(line(delivered_at=MONDAY)), shop, MONDAY)
    assert result.customer_pays_return_shipping is False
    assert result.restocking_fee_percent == Decimal("10")


def test_bad_input_is_refused() -> None:
    bought = order(line(delivered_at=MONDAY))
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        check_return(bought, FI, datetime(2025, 11, 5, 12))
    with pytest.raises(ValueError, match="delivered_at must be timezone-aware"):
        line(delivered_at=datetime(2025, 11, 5, 12))
    with pytest.raises(ValueError, match="negative quantity"):
        line(delivered_at=MONDAY, quantity=-1)
    with pytest.raises(ValueError, match="no public holidays known"):
        ReturnRules(time_zone="Europe/Helsinki", country="XX")
    with pytest.raises(ValueError, match="shop_window_days"):
        rules(shop_window_days=-1)
    with pytest.raises(ZoneInfoNotFoundError):
        ReturnRules(time_zone="Europe/Nowhere", country="FI")

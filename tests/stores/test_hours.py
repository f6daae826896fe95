from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from tiski.stores.hours import parse_business_hours

HELSINKI = ZoneInfo("Europe/Helsinki")
WEEKDAYS = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=HELSINKI)


def test_open_and_closed() -> None:
    hours = parse_business_hours({**WEEKDAYS, "sat": [["10:00", "14:00"]]})
    assert hours.is_open(at("2026-11-23 09:00"), HELSINKI)  # Monday
    assert not hours.is_open(at("2026-11-23 17:00"), HELSINKI)
    assert hours.is_open(at("2026-11-28 13:59"), HELSINKI)  # Saturday
    assert not hours.is_open(at("2026-11-29 12:00"), HELSINKI)  # Sunday


def test_next_opening_skips_closed_days_and_follows_dst() -> None:
    hours = parse_business_hours(WEEKDAYS)
    assert hours.next_opening(at("2026-11-27 18:00"), HELSINKI) == at("2026-11-30 09:00")
    assert hours.next_opening(at("2026-11-23 10:00"), HELSINKI) == at("2026-11-23 10:00")
    # Summer time starts on Sunday 29 March 2026 in Finland: Monday opens at 09:00 EEST.
    opening = hours.next_opening(at("2026-03-28 12:00"), HELSINKI)
    assert opening is not None and opening.utcoffset().total_seconds() == 3 * 3600  # type: ignore[union-attr]
    assert opening.hour == 9


def test_never_open() -> None:
    assert parse_business_hours({}).next_opening(at("2026-11-23 10:00"), HELSINKI) is None


@pytest.mark.parametrize(
    "bad",
    [
        {"monday": [["09:00", "17:00"]]},
        {"mon": [["17:00", "09:00"]]},
        {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]},
        {"mon": [["9", "17:00"]]},
        {"mon": [["25:00", "26:00"]]},
        {"mon": "09-17"},
        ["mon"],
    ],
)
def test_bad_hours_are_refused_with_a_reason(bad: object) -> None:
    with pytest.raises(ValidationError):
        parse_business_hours(bad)

"""Opening hours and public holidays as the contact page tells them (pure functions)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import translation

from tiski.helpcenter.opening import (
    clock_time,
    contact_facts,
    holiday_language,
    public_holidays,
    today_hours,
    week_hours,
)
from tiski.stores.hours import parse_business_hours
from tiski.stores.models import Store

HELSINKI = ZoneInfo("Europe/Helsinki")
WEEKDAYS = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def test_times_in_the_visitors_format() -> None:
    with translation.override("fi"):
        assert clock_time(9 * 60) == "9.00"
        assert clock_time(24 * 60) == "24.00"
    with translation.override("en"):
        assert clock_time(9 * 60 + 30) == "09:30"
        assert clock_time(24 * 60) == "24:00"


def test_the_week_in_the_visitors_language() -> None:
    hours = parse_business_hours({**WEEKDAYS, "sat": [["10:00", "14:00"], ["15:00", "24:00"]]})
    with translation.override("sv"):
        week = week_hours(hours, date(2026, 12, 5))
    assert [d.name for d in week][:2] == ["måndag", "tisdag"]
    assert week[5].intervals == ("10:00–14:00", "15:00–24:00") and week[5].today
    assert week[6].intervals == () and not week[6].today


def test_holiday_names_come_in_the_nearest_language() -> None:
    assert holiday_language("FI", "fi") == "fi"
    assert holiday_language("FI", "sv") == "sv_FI"
    assert holiday_language("FI", "en") == "en_US"
    assert holiday_language("FI", "pl") == "en_US"
    assert holiday_language("PL", "pl") == "pl"
    assert holiday_language("ZZ", "fi") is None


def test_public_holidays_in_a_window() -> None:
    found = public_holidays("FI", date(2026, 12, 6), date(2027, 1, 6), "sv")
    assert found[0].day == date(2026, 12, 6) and found[0].name == "Självständighetsdagen"
    assert found[-1].day == date(2027, 1, 6)
    polish = public_holidays("PL", date(2026, 12, 24), date(2026, 12, 26), "pl")
    assert polish[0].name == "Wigilia Bożego Narodzenia"
    assert public_holidays("ZZ", date(2026, 1, 1), date(2026, 12, 31), "fi") == ()


def test_today_on_a_holiday() -> None:
    hours = parse_business_hours({**WEEKDAYS, "sun": [["10:00", "16:00"]]})
    with translation.override("fi"):
        closed = today_hours(hours, date(2026, 12, 6), "Itsenäisyyspäivä", closed_on_holidays=True)
        opened = today_hours(hours, date(2026, 12, 6), "Itsenäisyyspäivä", closed_on_holidays=False)
        ordinary = today_hours(hours, date(2026, 12, 7), "", closed_on_holidays=True)
    assert not closed.open and closed.holiday == "Itsenäisyyspäivä"
    assert opened.open and opened.intervals == ("10.00–16.00",)
    assert ordinary.open and ordinary.intervals == ("9.00–17.00",)


def test_contact_facts_for_a_store() -> None:
    store = Store(country="FI", business_hours=WEEKDAYS, closed_on_holidays=True)
    # Christmas Eve 2026 is a Thursday: open by the week, closed as a holiday.
    at = datetime(2026, 12, 24, 8, 0, tzinfo=HELSINKI)
    with translation.override("fi"):
        facts = contact_facts(store, at, HELSINKI, "fi")
    assert facts.today is not None and not facts.today.open
    assert facts.today.holiday == "Jouluaatto"
    assert [d.today for d in facts.week].index(True) == 3
    assert facts.holidays[0].name == "Jouluaatto"
    # Late at night UTC is already the next day in Helsinki.
    late = datetime(2026, 12, 6, 23, 30, tzinfo=ZoneInfo("UTC"))
    with translation.override("fi"):
        monday = contact_facts(store, late, HELSINKI, "fi")
    assert monday.today is not None and monday.today.open and monday.today.holiday == ""


def test_a_store_without_hours_says_nothing_about_them() -> None:
    store = Store(country="FI", business_hours={}, closed_on_holidays=True)
    facts = contact_facts(store, datetime(2026, 12, 6, 12, tzinfo=HELSINKI), HELSINKI, "en")
    assert facts.week == () and facts.today is None
    assert facts.holidays[0].name == "Independence Day"
    broken = Store(country="FI", business_hours={"mon": "nonsense"}, closed_on_holidays=True)
    assert contact_facts(broken, datetime(2026, 12, 6, tzinfo=HELSINKI), HELSINKI, "en").week == ()

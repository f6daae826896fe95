"""When the shop's customer service is open, as the contact page tells a customer: the
week's hours, today's hours and the coming public holidays of the store's country, in
the visitor's language.

Pure functions of the hours, the moment and the country, so they are tested without a
database; ``contact_facts`` gathers them for one store. Times are the store's local
time: a customer abroad reads the shop's hours, which is what the shop writes down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.dates import WEEKDAYS

from tiski.stores.hours import BusinessHours, parse_business_hours
from tiski.stores.models import Store

# Far enough ahead for Christmas and Easter to show up in time, not a whole year.
HOLIDAYS_AHEAD = timedelta(days=60)
MAX_HOLIDAYS = 6
MIDNIGHT = 24 * 60


@dataclass(frozen=True)
class DayHours:
    weekday: int  # 0 = Monday
    name: str
    intervals: tuple[str, ...]  # "9.00-17.00" in the active language; empty = closed
    today: bool


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str


@dataclass(frozen=True)
class Today:
    open: bool
    intervals: tuple[str, ...]
    # The public holiday today, if there is one (the desk may still be open on it).
    holiday: str = ""


@dataclass(frozen=True)
class ContactFacts:
    week: tuple[DayHours, ...]  # empty when the store has set no hours
    today: Today | None
    holidays: tuple[Holiday, ...]
    closed_on_holidays: bool


def clock_time(minutes: int) -> str:
    """A time of day in the active language's format; 24:00 (closing at midnight) too."""
    if minutes >= MIDNIGHT:
        # No time object holds 24:00; the format puts the hour where 23 would be.
        return formats.time_format(time(23, 0)).replace("23", "24", 1)
    return formats.time_format(time(minutes // 60, minutes % 60))


def interval_text(start: int, end: int) -> str:
    return f"{clock_time(start)}–{clock_time(end)}"


def week_hours(hours: BusinessHours, today: date) -> tuple[DayHours, ...]:
    """Monday to Sunday with their opening times; ``today`` marks its weekday."""
    return tuple(
        DayHours(
            weekday=weekday,
            name=str(WEEKDAYS[weekday]),
            intervals=tuple(interval_text(s, e) for s, e in hours.week[weekday]),
            today=weekday == today.weekday(),
        )
        for weekday in range(7)
    )


@lru_cache(maxsize=256)
def holiday_language(country: str, language: str) -> str | None:
    """The holidays package's name for ``language`` in ``country`` (fi, sv_FI, en_US…)."""
    try:
        supported: tuple[str, ...] = holidays.country_holidays(country.upper()).supported_languages
    except NotImplementedError:
        return None
    wanted = [language, f"{language}_{country.upper()}", "en_US" if language == "en" else ""]
    for code in wanted:
        if code and code in supported:
            return code
    for code in supported:
        if code.split("_")[0] == language:
            return code
    return "en_US" if "en_US" in supported else None


@lru_cache(maxsize=256)
def _holidays(country: str, year: int, language: str | None) -> tuple[tuple[date, str], ...]:
    try:
        found = holidays.country_holidays(country.upper(), years=year, language=language)
    except NotImplementedError:
        return ()
    return tuple(sorted(found.items()))


def public_holidays(country: str, start: date, end: date, language: str) -> tuple[Holiday, ...]:
    """The public holidays of ``country`` from ``start`` to ``end`` (inclusive), named in
    ``language`` when the package has that language (else English, else its own)."""
    name_language = holiday_language(country, language)
    found: list[Holiday] = []
    for year in range(start.year, end.year + 1):
        for day, name in _holidays(country, year, name_language):
            if start <= day <= end:
                found.append(Holiday(day, name))
    return tuple(found)


def today_hours(
    hours: BusinessHours, today: date, holiday: str, *, closed_on_holidays: bool
) -> Today:
    if holiday and closed_on_holidays:
        return Today(open=False, intervals=(), holiday=holiday)
    intervals = tuple(interval_text(s, e) for s, e in hours.week[today.weekday()])
    return Today(open=bool(intervals), intervals=intervals, holiday=holiday)


def contact_facts(store: Store, now: datetime, zone: ZoneInfo, language: str) -> ContactFacts:
    """Everything the contact page says about opening hours, for ``store`` at ``now``.

    Call it with ``language`` active (weekday names and time formats come from it).
    """
    try:
        hours = parse_business_hours(store.business_hours)
    except ValidationError:  # saved before a stricter rule: show no hours, not a 500
        hours = parse_business_hours({})
    today = now.astimezone(zone).date()
    coming = public_holidays(store.country, today, today + HOLIDAYS_AHEAD, language)
    holiday_today = next((h.name for h in coming if h.day == today), "")
    if hours.always_closed:
        # No hours set is "not told", not "never open": say nothing about hours.
        return ContactFacts((), None, coming[:MAX_HOLIDAYS], store.closed_on_holidays)
    return ContactFacts(
        week=week_hours(hours, today),
        today=today_hours(hours, today, holiday_today, closed_on_holidays=store.closed_on_holidays),
        holidays=coming[:MAX_HOLIDAYS],
        closed_on_holidays=store.closed_on_holidays,
    )

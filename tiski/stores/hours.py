"""A store's weekly opening hours, in the store's own time zone.

Stored as JSON: ``{"mon": [["09:00", "17:00"]], ..., "sun": []}``. A missing day is
closed. Intervals may not overlap; "24:00" closes at midnight.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def validate_timezone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("%(zone)s is not a known time zone.") % {"zone": value}) from exc


def _parse_time(value: Any) -> int:
    """Minutes after midnight; "24:00" is allowed as the end of a day."""
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        raise ValidationError(_('Times look like 09:00, not "%(value)s".') % {"value": value})
    try:
        hours, minutes = int(value[:2]), int(value[3:])
    except ValueError as exc:
        raise ValidationError(
            _('Times look like 09:00, not "%(value)s".') % {"value": value}
        ) from exc
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or (hours == 24 and minutes):
        raise ValidationError(_("%(value)s is not a time of day.") % {"value": value})
    return hours * 60 + minutes


def validate_business_hours(value: Any) -> None:
    parse_business_hours(value)


@dataclass(frozen=True)
class BusinessHours:
    # Per weekday (0 = Monday), sorted (start, end) minute pairs.
    week: tuple[tuple[tuple[int, int], ...], ...]

    @property
    def always_closed(self) -> bool:
        return not any(self.week)

    def is_open(self, at: datetime, tz: ZoneInfo) -> bool:
        local = at.astimezone(tz)
        minute = local.hour * 60 + local.minute
        return any(start <= minute < end for start, end in self.week[local.weekday()])

    def next_opening(self, at: datetime, tz: ZoneInfo) -> datetime | None:
        """When the desk next opens at or after ``at`` (None if it never opens)."""
        if self.always_closed:
            return None
        local = at.astimezone(tz)
        minute = local.hour * 60 + local.minute
        for offset in range(8):
            day = local.date() + timedelta(days=offset)
            for start, end in self.week[day.weekday()]:
                if offset == 0 and minute >= end:
                    continue
                if offset == 0 and start <= minute:
                    return at
                opening = datetime.combine(day, time(start // 60, start % 60), tzinfo=tz)
                return opening
        return None


def parse_business_hours(value: Any) -> BusinessHours:
    if value in (None, ""):
        value = {}
    if not isinstance(value, dict):
        raise ValidationError(_("Business hours must map weekdays to lists of intervals."))
    unknown = set(value) - set(DAYS)
    if unknown:
        raise ValidationError(
            _("Unknown weekday: %(days)s. Use mon, tue, wed, thu, fri, sat, sun.")
            % {"days": ", ".join(sorted(unknown))}
        )
    week: list[tuple[tuple[int, int], ...]] = []
    for day in DAYS:
        intervals = value.get(day) or []
        if not isinstance(intervals, list):
            raise ValidationError(_("%(day)s must be a list of [start, end] pairs.") % {"day": day})
        parsed: list[tuple[int, int]] = []
        for interval in intervals:
            if not isinstance(interval, list | tuple) or len(interval) != 2:
                raise ValidationError(
                    _("%(day)s must be a list of [start, end] pairs.") % {"day": day}
                )
            start, end = _parse_time(interval[0]), _parse_time(interval[1])
            if start >= end:
                raise ValidationError(
                    _("On %(day)s an interval ends before it starts.") % {"day": day}
                )
            parsed.append((start, end))
        parsed.sort()
        for (_s1, e1), (s2, _e2) in itertools.pairwise(parsed):
            if s2 < e1:
                raise ValidationError(_("On %(day)s two intervals overlap.") % {"day": day})
        week.append(tuple(parsed))
    return BusinessHours(tuple(week))

"""The complaint and refund clocks: dated cases in Warsaw and Helsinki time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from django.utils import translation

from tiski.returns.deadlines import (
    AgentNote,
    DeadlineStatus,
    NoteCode,
    WindowStatus,
    add_period,
    complaint_window,
    deadline_state,
    done_in_time,
    is_day_off,
    polish_complaint_answer_due,
    refund_due,
    refund_state,
    years_after,
)

WAW = ZoneInfo("Europe/Warsaw")
HEL = ZoneInfo("Europe/Helsinki")


def waw(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    return datetime(year, month, day, hour, minute, second, tzinfo=WAW)


def hel(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    return datetime(year, month, day, hour, minute, second, tzinfo=HEL)


def codes(notes: tuple[AgentNote, ...]) -> list[NoteCode]:
    return [note.code for note in notes]


# Days off


def test_the_holidays_calendar_has_no_ordinary_sundays() -> None:
    # Why Saturdays and Sundays are tested by weekday: the package lists only holidays.
    assert date(2026, 3, 8) not in holidays.country_holidays("PL", years=2026)
    assert date(2026, 3, 8) not in holidays.country_holidays("FI", years=2026)


@pytest.mark.parametrize(
    ("day", "country", "off"),
    [
        (date(2026, 3, 6), "PL", False),  # a Friday
        (date(2026, 3, 7), "PL", True),  # a Saturday
        (date(2026, 3, 8), "PL", True),  # an ordinary Sunday
        (date(2026, 11, 11), "PL", True),  # Independence Day, a Wednesday
        (date(2026, 12, 24), "PL", True),  # Christmas Eve, a day off since 2025
        (date(2026, 4, 3), "PL", False),  # Good Friday is a working day in Poland
        (date(2026, 4, 3), "FI", True),  # but not in Finland
        (date(2026, 6, 19), "FI", True),  # Midsummer Eve
        (date(2026, 6, 19), "PL", False),
        (date(2026, 12, 6), "FI", True),  # Independence Day (a Sunday in 2026)
        (date(2027, 12, 6), "FI", True),  # and a Monday in 2027
        (date(2027, 12, 6), "PL", False),
    ],
)
def test_days_off(day: date, country: str, off: bool) -> None:
    assert is_day_off(day, country) is off


# add_period: the counting rule, once and thoroughly


@pytest.mark.parametrize(
    ("start", "country", "last_day"),
    [
        # The start day is not counted: Monday + 14 is the Monday two weeks on.
        (waw(2026, 3, 2, 9), "PL", date(2026, 3, 16)),
        # Ends on a Saturday: moves over Sunday to Monday.
        (waw(2026, 3, 7, 9), "PL", date(2026, 3, 23)),
        # Independence Day (Wed 11 Nov 2026, Thu 11 Nov 2027): the next day.
        (waw(2026, 10, 28, 9), "PL", date(2026, 11, 12)),
        (waw(2027, 10, 28, 9), "PL", date(2027, 11, 12)),
        # Christmas 2026: Thu 24, Fri 25 (holidays), Sat 26 (holiday), Sun 27 -> Mon 28.
        (waw(2026, 12, 10, 9), "PL", date(2026, 12, 28)),
        (waw(2026, 12, 11, 9), "PL", date(2026, 12, 28)),
        # Christmas 2027: Fri 24, Sat 25, Sun 26 -> Mon 27.
        (waw(2027, 12, 10, 9), "PL", date(2027, 12, 27)),
        # New Year 2027 (a Friday) into the next year's calendar: Mon 4 January.
        (waw(2026, 12, 18, 9), "PL", date(2027, 1, 4)),
        # 31 December is a working day: no move.
        (waw(2027, 12, 17, 9), "PL", date(2027, 12, 31)),
        # 1 May (Fri), Sat 2, 3 May (Sun, a holiday too) -> Mon 4 May 2026.
        (waw(2026, 4, 17, 9), "PL", date(2026, 5, 4)),
        # Corpus Christi, Thu 4 June 2026 -> Fri 5 June.
        (waw(2026, 5, 21, 9), "PL", date(2026, 6, 5)),
        # Easter Monday 29 March 2027 -> Tue 30 March; All Saints' Mon 1 Nov 2027 -> Tue.
        (waw(2027, 3, 15, 9), "PL", date(2027, 3, 30)),
        (waw(2027, 10, 18, 9), "PL", date(2027, 11, 2)),
        # The same Friday, 3 April 2026: Good Friday is off in Finland only.
        (waw(2026, 3, 20, 9), "PL", date(2026, 4, 3)),
        (hel(2026, 3, 20, 9), "FI", date(2026, 4, 7)),
        # Midsummer Eve and Day 2026 (Fri 19, Sat 20), Sun 21 -> Mon 22 June.
        (hel(2026, 6, 5, 9), "FI", date(2026, 6, 22)),
    ],
)
def test_add_period_moves_past_days_off(start: datetime, country: str, last_day: date) -> None:
    zone = "Europe/Warsaw" if country == "PL" else "Europe/Helsinki"
    deadline = add_period(start, 14, zone, country)
    assert deadline.started_on == start.date()
    assert deadline.last_day == last_day
    nominal = start.date() + timedelta(days=14)
    assert deadline.moved_from == (nominal if nominal != last_day else None)
    assert deadline.ends_at == datetime.combine(
        last_day + timedelta(days=1), datetime.min.time(), ZoneInfo(zone)
    )


def test_add_period_without_the_extension_ends_on_the_day_off() -> None:
    deadline = add_period(waw(2026, 3, 7, 9), 14, "Europe/Warsaw", extend_past_days_off=False)
    assert deadline.last_day == date(2026, 3, 21)  # a Saturday
    assert deadline.moved_from is None


def test_add_period_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        add_period(datetime(2026, 3, 2, 9), 14, "Europe/Warsaw", "PL")
    with pytest.raises(ValueError, match="at least one day"):
        add_period(waw(2026, 3, 2, 9), 0, "Europe/Warsaw", "PL")
    with pytest.raises(ValueError, match="needs a country"):
        add_period(waw(2026, 3, 2, 9), 14, "Europe/Warsaw")
    with pytest.raises(ValueError, match="no public holidays known"):
        add_period(waw(2026, 3, 2, 9), 14, "Europe/Warsaw", "XX")


# Poland: answering a complaint


def test_polish_answer_is_due_after_14_calendar_days_not_working_days() -> None:
    deadline = polish_complaint_answer_due(waw(2026, 3, 2, 10))  # a Monday
    assert deadline.last_day == date(2026, 3, 16)
    # Fourteen working days would have reached Friday 20 March.
    assert deadline.last_day != date(2026, 3, 20)
    assert deadline.time_zone == "Europe/Warsaw"


def test_polish_answer_on_a_saturday_moves_to_monday() -> None:
    deadline = polish_complaint_answer_due(waw(2026, 3, 7, 18))
    assert (deadline.moved_from, deadline.last_day) == (date(2026, 3, 21), date(2026, 3, 23))


@pytest.mark.parametrize(
    ("received", "last_day"),
    [
        (waw(2026, 10, 28, 12), date(2026, 11, 12)),  # 11 November
        (waw(2026, 12, 11, 12), date(2026, 12, 28)),  # 25 December and the run after it
        (waw(2027, 12, 11, 12), date(2027, 12, 27)),  # 25 December 2027, a Saturday
    ],
)
def test_polish_answer_moves_past_holidays(received: datetime, last_day: date) -> None:
    assert polish_complaint_answer_due(received).last_day == last_day


def test_the_day_of_receipt_is_the_warsaw_day() -> None:
    late_evening = polish_complaint_answer_due(waw(2026, 1, 5, 23, 30))  # 22:30 UTC
    after_midnight = polish_complaint_answer_due(waw(2026, 1, 6, 0, 30))  # 23:30 UTC on the 5th
    assert late_evening.started_on == date(2026, 1, 5)
    assert late_evening.last_day == date(2026, 1, 19)
    assert after_midnight.started_on == date(2026, 1, 6)
    assert after_midnight.last_day == date(2026, 1, 20)
    # The same instant given in UTC is still read on the Warsaw calendar.
    in_utc = polish_complaint_answer_due(datetime(2026, 1, 5, 23, 30, tzinfo=UTC))
    assert in_utc.last_day == date(2026, 1, 20)


def test_summer_time_does_not_shift_the_date() -> None:
    # Received in winter time, due after the clocks go forward on 29 March 2026.
    spring = polish_complaint_answer_due(waw(2026, 3, 20, 12))
    assert spring.last_day == date(2026, 4, 3)
    assert spring.ends_at == datetime(2026, 4, 3, 22, 0, tzinfo=UTC)  # 24:00 at UTC+2
    # Received in summer time, due after they go back on 25 October 2026.
    autumn = polish_complaint_answer_due(waw(2026, 10, 20, 12))
    assert autumn.last_day == date(2026, 11, 3)
    assert autumn.ends_at == datetime(2026, 11, 3, 23, 0, tzinfo=UTC)  # 24:00 at UTC+1
    # Received in the hour the clocks go back (02:30 comes twice): still 25 October.
    fold = polish_complaint_answer_due(datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
    assert fold.started_on == date(2026, 10, 25)
    assert fold.last_day == date(2026, 11, 9)  # 8 November is a Sunday


def test_an_answer_sent_before_midnight_is_in_time() -> None:
    deadline = polish_complaint_answer_due(waw(2026, 3, 2, 10))
    assert done_in_time(deadline, waw(2026, 3, 16, 23, 59, 59))
    assert not done_in_time(deadline, waw(2026, 3, 17, 0, 0))
    assert not done_in_time(deadline, datetime(2026, 3, 16, 23, 0, tzinfo=UTC))


# deadline_state


@pytest.mark.parametrize(
    ("now", "status", "days_left"),
    [
        (waw(2026, 3, 2, 10), DeadlineStatus.OK, 14),
        (waw(2026, 3, 12, 10), DeadlineStatus.OK, 4),
        (waw(2026, 3, 13, 0, 0), DeadlineStatus.DUE_SOON, 3),
        (waw(2026, 3, 15, 23, 59), DeadlineStatus.DUE_SOON, 1),
        (waw(2026, 3, 16, 0, 0), DeadlineStatus.DUE_TODAY, 0),
        (waw(2026, 3, 16, 23, 59, 59), DeadlineStatus.DUE_TODAY, 0),
        (waw(2026, 3, 17, 0, 0), DeadlineStatus.OVERDUE, -1),
        # 23:30 UTC on the 16th is already the 17th in Warsaw.
        (datetime(2026, 3, 16, 23, 30, tzinfo=UTC), DeadlineStatus.OVERDUE, -1),
        (waw(2026, 4, 1, 12), DeadlineStatus.OVERDUE, -16),
    ],
)
def test_deadline_state(now: datetime, status: DeadlineStatus, days_left: int) -> None:
    deadline = polish_complaint_answer_due(waw(2026, 3, 2, 10))
    state = deadline_state(deadline, now)
    assert (state.status, state.days_left) == (status, days_left)
    assert state.deadline == deadline


def test_deadline_state_warning_days() -> None:
    deadline = polish_complaint_answer_due(waw(2026, 3, 2, 10))
    assert deadline_state(deadline, waw(2026, 3, 15, 9), warn_days=0).status == DeadlineStatus.OK
    soon = deadline_state(deadline, waw(2026, 3, 9, 9), warn_days=7).status
    assert soon == DeadlineStatus.DUE_SOON
    with pytest.raises(ValueError, match="negative"):
        deadline_state(deadline, waw(2026, 3, 9, 9), warn_days=-1)
    with pytest.raises(ValueError, match="timezone-aware"):
        deadline_state(deadline, datetime(2026, 3, 9, 9))


def test_deadline_state_across_the_spring_clock_change() -> None:
    deadline = polish_complaint_answer_due(waw(2026, 3, 20, 12))  # due Fri 3 April
    assert deadline_state(deadline, waw(2026, 4, 3, 23, 59)).status == DeadlineStatus.DUE_TODAY
    assert deadline_state(deadline, waw(2026, 4, 4, 0, 0)).status == DeadlineStatus.OVERDUE


# How long after delivery: the complaint window and the presumption


def test_years_after() -> None:
    assert years_after(date(2024, 3, 10), 2) == date(2026, 3, 10)
    assert years_after(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert years_after(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_poland_on_the_last_day_of_two_years() -> None:
    window = complaint_window("PL", waw(2024, 3, 10, 14), waw(2026, 3, 10, 20))
    assert window.status == WindowStatus.WITHIN
    assert window.within_window
    assert window.liability_until == date(2026, 3, 10)
    assert window.presumed_until == date(2026, 3, 10)
    assert window.presumed_at_delivery
    assert codes(window.notes) == [NoteCode.PL_ANSWER_DUE, NoteCode.PRESUMED_AT_DELIVERY]
    assert window.notes[1].params == {"date": date(2026, 3, 10)}
    # Received Tuesday 10 March 2026: answer by Tuesday 24 March.
    assert window.answer_due is not None
    assert window.answer_due.last_day == date(2026, 3, 24)
    assert window.notes[0].params == {"date": date(2026, 3, 24)}


def test_poland_the_day_after_two_years() -> None:
    window = complaint_window("PL", waw(2024, 3, 10, 14), waw(2026, 3, 11, 0, 5))
    assert window.status == WindowStatus.PAST
    assert not window.within_window
    assert not window.presumed_at_delivery
    # A late complaint still has to be answered, or it is deemed accepted.
    assert codes(window.notes) == [NoteCode.PL_ANSWER_DUE, NoteCode.LIABILITY_ENDED]
    assert window.notes[1].params == {"date": date(2026, 3, 10)}


def test_poland_delivery_day_is_the_warsaw_day() -> None:
    # 23:30 UTC on 10 March 2024 is 00:30 on the 11th in Warsaw.
    delivered = datetime(2024, 3, 10, 23, 30, tzinfo=UTC)
    window = complaint_window("PL", delivered, waw(2026, 3, 11, 12))
    assert window.delivered_on == date(2024, 3, 11)
    assert window.status == WindowStatus.WITHIN
    assert window.presumed_at_delivery


def test_poland_delivered_on_29_february() -> None:
    on_time = complaint_window("PL", waw(2024, 2, 29, 12), waw(2026, 2, 28, 12))
    late = complaint_window("PL", waw(2024, 2, 29, 12), waw(2026, 3, 1, 12))
    assert on_time.within_window
    assert not late.within_window


def test_a_defect_that_appeared_in_time_may_be_complained_of_later() -> None:
    window = complaint_window(
        "PL",
        waw(2024, 3, 10, 14),
        now=waw(2026, 6, 1, 9),
        noticed_at=waw(2026, 3, 1, 9),
        received_at=waw(2026, 6, 1, 9),
    )
    assert window.noticed_on == date(2026, 3, 1)
    assert window.status == WindowStatus.WITHIN
    assert window.presumed_at_delivery
    assert window.answer_due is not None
    assert window.answer_due.last_day == date(2026, 6, 15)


def test_finland_presumes_for_one_year() -> None:
    within = complaint_window("FI", hel(2025, 3, 10, 14), hel(2026, 3, 10, 23, 59))
    after = complaint_window("FI", hel(2025, 3, 10, 14), hel(2026, 3, 11, 0, 1))
    assert within.presumed_until == date(2026, 3, 10)
    assert within.presumed_at_delivery
    assert codes(within.notes) == [NoteCode.FI_REASONABLE_TIME, NoteCode.PRESUMED_AT_DELIVERY]
    assert not after.presumed_at_delivery
    assert codes(after.notes) == [NoteCode.FI_REASONABLE_TIME, NoteCode.NOT_PRESUMED]
    assert after.notes[1].params == {"date": date(2026, 3, 10)}


def test_finland_has_no_fixed_cut_off() -> None:
    for years in (2, 5):
        window = complaint_window("FI", hel(2020, 5, 4, 12), hel(2020 + years, 5, 5, 12))
        assert window.status == WindowStatus.NO_FIXED_LIMIT
        assert window.within_window
        assert window.liability_until is None
        assert window.answer_due is None
        assert NoteCode.PL_ANSWER_DUE not in codes(window.notes)


def test_another_eu_country_gets_two_years_and_a_check() -> None:
    window = complaint_window(
        "de",
        datetime(2024, 3, 10, 12, tzinfo=UTC),
        datetime(2025, 9, 1, 12, tzinfo=UTC),
        tz="Europe/Berlin",
    )
    assert window.country == "DE"
    assert window.status == WindowStatus.WITHIN
    assert window.presumed_at_delivery
    assert window.liability_until == date(2026, 3, 10)
    assert codes(window.notes) == [NoteCode.PRESUMED_AT_DELIVERY, NoteCode.CHECK_LOCAL_LAW]
    assert window.notes[1].params == {"country": "DE"}
    with pytest.raises(ValueError, match="time zone"):
        complaint_window("DE", waw(2024, 3, 10, 12), waw(2025, 9, 1, 12))


def test_notes_render_in_the_readers_language() -> None:
    window = complaint_window("PL", waw(2024, 3, 10, 14), waw(2026, 3, 10, 20))
    with translation.override("en"):
        assert window.notes[0].text == (
            "In Poland the answer is due by 24 March 2026; without an answer the complaint "
            "is deemed accepted. Send it on paper or another durable medium, such as email."
        )
        assert "10 March 2026" in window.notes[1].text
    with translation.override("pl"):
        assert "24 marca 2026" in window.notes[0].text


# Refunds after a withdrawal


def test_refund_due_moves_past_the_stores_holidays() -> None:
    finnish = refund_due(hel(2026, 3, 20, 10), "Europe/Helsinki", "FI")
    assert finnish.last_day == date(2026, 4, 7)  # past Good Friday to Easter Monday
    assert finnish.moved_from == date(2026, 4, 3)
    polish = refund_due(waw(2026, 3, 20, 10), "Europe/Warsaw", "PL")
    assert polish.last_day == date(2026, 4, 3)
    assert polish.moved_from is None


def test_refund_may_wait_for_the_goods() -> None:
    due = refund_due(hel(2026, 3, 20, 10), "Europe/Helsinki", "FI")
    early = refund_state(due, hel(2026, 3, 25, 9), goods_or_proof_at=None)
    assert early.state.status == DeadlineStatus.OK
    assert early.waiting_for_goods
    assert codes(early.notes) == [NoteCode.REFUND_DUE, NoteCode.REFUND_MAY_WAIT]
    assert early.notes[0].params == {"date": date(2026, 4, 7)}
    late = refund_state(due, hel(2026, 4, 8, 9), goods_or_proof_at=None)
    assert late.state.status == DeadlineStatus.ON_HOLD
    assert late.state.days_left == -1
    # Proof of sending dated after now has not happened yet.
    future = refund_state(due, hel(2026, 4, 8, 9), goods_or_proof_at=hel(2026, 4, 9, 9))
    assert future.state.status == DeadlineStatus.ON_HOLD


def test_a_shop_that_collects_cannot_wait() -> None:
    due = refund_due(hel(2026, 3, 20, 10), "Europe/Helsinki", "FI")
    state = refund_state(due, hel(2026, 4, 8, 9), goods_or_proof_at=None, shop_collects=True)
    assert state.state.status == DeadlineStatus.OVERDUE
    assert not state.waiting_for_goods
    assert codes(state.notes) == [NoteCode.REFUND_DUE]


def test_goods_back_in_time_keep_the_14_days() -> None:
    due = refund_due(hel(2026, 3, 20, 10), "Europe/Helsinki", "FI")
    state = refund_state(due, hel(2026, 4, 6, 9), goods_or_proof_at=hel(2026, 3, 30, 12))
    assert state.state.status == DeadlineStatus.DUE_SOON
    assert state.state.days_left == 1
    assert state.state.deadline.last_day == date(2026, 4, 7)
    assert not state.waiting_for_goods


def test_goods_back_after_the_14_days_make_the_refund_due_that_day() -> None:
    due = refund_due(hel(2026, 3, 20, 10), "Europe/Helsinki", "FI")
    back = hel(2026, 4, 10, 10)
    same_day = refund_state(due, hel(2026, 4, 10, 15), goods_or_proof_at=back)
    assert same_day.state.status == DeadlineStatus.DUE_TODAY
    assert same_day.state.deadline.last_day == date(2026, 4, 10)
    assert same_day.notes[0].params == {"date": date(2026, 4, 10)}
    next_day = refund_state(due, hel(2026, 4, 11, 9), goods_or_proof_at=back)
    assert next_day.state.status == DeadlineStatus.OVERDUE

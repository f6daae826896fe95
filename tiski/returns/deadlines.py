"""The clocks of complaints and refunds, and the notes an agent reads about them.

Pure functions of aware datetimes, a time zone and a country: no database, no clock.
Every text an agent sees is an ``AgentNote``: a stable code and a translatable English
text whose ``%(date)s`` is formatted in the reader's language when shown.

The law it follows:

* **Counting periods in days.** The day of the event is not counted; a period of days
  ends with the end of its last day; when that day is a Saturday, a Sunday or a public
  holiday, the period ends with the next working day. EU: Regulation (EEC, Euratom)
  No 1182/71 art. 3(1), 3(2)(b), 3(4), applied to Directive 2011/83/EU by its recital
  41. Poland: Kodeks cywilny art. 111 §2 and art. 115 ("dzień uznany ustawowo za wolny
  od pracy lub sobota"; Sundays and the holidays of the ustawa o dniach wolnych od
  pracy art. 1, Christmas Eve from 2025). Finland: laki säädettyjen määräaikain
  laskemisesta 150/1930 §5 (Saturdays, Sundays, church holidays, Independence Day,
  May Day, Christmas Eve and Midsummer Eve). The ``holidays`` package lists none of the
  ordinary Sundays, so Saturdays and Sundays are tested here by weekday, and its
  public calendar of the country adds the rest (it matches both lists above).
* **A period in years** ends on the day of the last year with the same date as the
  starting day, or on the last day of that month when there is none (29 February):
  Kodeks cywilny art. 112, Regulation 1182/71 art. 3(2)(c).
* **Poland, answering a complaint**: within 14 days of receiving it, on paper or another
  durable medium; without an answer in time the complaint is deemed accepted (ustawa
  o prawach konsumenta art. 7a, 14 days since 1 January 2023). Counted in calendar
  days as above, not working days.
* **Liability for lack of conformity**: the seller is liable for a lack of conformity
  that exists at delivery and becomes apparent within two years (Directive (EU)
  2019/771 art. 10(1); Member States may give longer, art. 10(3)). A lack of conformity
  appearing within one year is presumed to have existed at delivery, which Member
  States may extend to two years (art. 11). Poland: two years for both, unless the
  stated shelf life is longer (ustawa o prawach konsumenta art. 43c). Finland: no fixed
  limit, the seller answers for goods lasting as long as such goods reasonably should;
  the buyer must notify within a reasonable time of noticing the defect, two months
  being always in time (kuluttajansuojalaki 5:16); the presumption is **one** year
  from delivery for sales since 1 January 2022 (5:15, HE 180/2021), six months before.
* **Refund after a withdrawal**: all payments, including the standard delivery cost,
  without undue delay and not later than 14 days from the day the trader is informed
  of the withdrawal; the trader may withhold it until it has the goods back or the
  consumer has shown they sent them, whichever is earlier, unless it offered to collect
  them (Directive 2011/83/EU art. 13(1), 13(3); Poland art. 32 of the ustawa o prawach
  konsumenta; Finland kuluttajansuojalaki 6:17).

Choices made here:

* **The refund's 14 days are extended past a closing Saturday, Sunday or public
  holiday**, as Regulation 1182/71 art. 3(4) does for every period of the directive and
  as the Polish and Finnish counting laws do for their transpositions. The holidays are
  those of the country where the shop pays (art. 2(1)): the store's. The statutory
  duty is "without undue delay"; the date is the outer limit, which is what a clock
  can show. When the goods (or proof of sending) arrive after that date, the refund is
  due on the day they arrive: the 14 days are over and the only reason to wait is gone.
* **The two-year windows are not extended past days off**: they bound when a defect
  may appear, which is not an act to be done by a day. A complaint may be made after
  them about a defect that appeared within them (``noticed_at``).
* **Countries other than Finland and Poland** get the directive's two-year liability
  and, so as never to be shorter than a law, a two-year presumption, with a note asking
  the agent to check that country's law before refusing. ``country`` is the country
  whose consumer law governs the sale, usually the customer's (Rome I art. 6).
* Deadlines end at 24:00 of their last day in the given time zone; ``ends_at`` is that
  instant (00:00 of the next day), the first moment that is too late.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.db import models
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COMPLAINT_ANSWER_DAYS = 14
REFUND_DAYS = 14
WARN_DAYS = 3
POLAND_ZONE = "Europe/Warsaw"
# The zone a country's dates are read in when the caller does not name one.
COUNTRY_ZONES: Mapping[str, str] = {"FI": "Europe/Helsinki", "PL": POLAND_ZONE}


class NoteCode(StrEnum):
    PL_ANSWER_DUE = "pl_answer_due"
    PRESUMED_AT_DELIVERY = "presumed_at_delivery"
    NOT_PRESUMED = "not_presumed"
    LIABILITY_ENDED = "liability_ended"
    FI_REASONABLE_TIME = "fi_reasonable_time"
    CHECK_LOCAL_LAW = "check_local_law"
    REFUND_DUE = "refund_due"
    REFUND_MAY_WAIT = "refund_may_wait"


NOTE_TEXTS: Mapping[NoteCode, Promise] = {
    NoteCode.PL_ANSWER_DUE: _(
        "In Poland the answer is due by %(date)s; without an answer the complaint is "
        "deemed accepted. Send it on paper or another durable medium, such as email."
    ),
    NoteCode.PRESUMED_AT_DELIVERY: _(
        "A defect that appears by %(date)s is presumed to have existed at delivery; the "
        "shop must prove otherwise."
    ),
    NoteCode.NOT_PRESUMED: _(
        "A defect that appears after %(date)s is no longer presumed to have existed at "
        "delivery: the customer must show it did, for example that the goods did not "
        "last as long as such goods should."
    ),
    NoteCode.LIABILITY_ENDED: _(
        "The shop's statutory liability covers defects that appear by %(date)s. A longer "
        "guarantee or a longer stated shelf life may still cover this one."
    ),
    NoteCode.FI_REASONABLE_TIME: _(
        "Finnish law has no fixed deadline: the shop is liable as long as such goods "
        "should last, and the customer must complain within a reasonable time of "
        "noticing the defect (within two months is always in time)."
    ),
    NoteCode.CHECK_LOCAL_LAW: _(
        "These dates follow the EU directive; the law of %(country)s may give the "
        "customer more. Check it before refusing."
    ),
    NoteCode.REFUND_DUE: _(
        "Refund all payments, including the standard delivery cost, by %(date)s."
    ),
    NoteCode.REFUND_MAY_WAIT: _(
        "You may hold the refund until the goods are back or the customer has shown "
        "that they sent them, whichever comes first."
    ),
}


@dataclass(frozen=True)
class AgentNote:
    code: NoteCode
    params: Mapping[str, date | int | str] = field(default_factory=dict)

    @property
    def template(self) -> Promise:
        """The English source text, translated when rendered."""
        return NOTE_TEXTS[self.code]

    @property
    def text(self) -> str:
        """The text in the active language, dates in its format."""
        rendered = {
            key: formats.date_format(value) if isinstance(value, date) else str(value)
            for key, value in self.params.items()
        }
        return str(self.template) % rendered


@dataclass(frozen=True)
class Deadline:
    started_on: date  # the local day of the event, itself not counted
    last_day: date  # local; already moved past days off where the rule asks for it
    ends_at: datetime  # aware, 00:00 local after last_day: from this instant it is late
    time_zone: str
    moved_from: date | None = None  # the nominal last day, when it fell on a day off


class DeadlineStatus(models.TextChoices):
    OK = "ok", _("On time")
    DUE_SOON = "due_soon", _("Due soon")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE = "overdue", _("Overdue")
    # Refunds only: the 14 days are over, but the shop may lawfully wait for the goods.
    ON_HOLD = "on_hold", _("Waiting for the goods")


@dataclass(frozen=True)
class DeadlineState:
    status: DeadlineStatus
    days_left: int  # calendar days from today (local) to the last day; negative when late
    deadline: Deadline


def _require_aware(value: datetime, what: str) -> None:
    if value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")


@lru_cache(maxsize=256)
def _public_holidays(country: str, year: int) -> frozenset[date]:
    try:
        return frozenset(holidays.country_holidays(country.upper(), years=year))
    except NotImplementedError as error:
        raise ValueError(f"no public holidays known for country {country!r}") from error


def is_day_off(day: date, country: str) -> bool:
    """A Saturday, a Sunday or a public holiday of ``country``: a day a period of days
    may not end on (Regulation 1182/71 art. 3(4), Kodeks cywilny art. 115)."""
    return day.weekday() >= 5 or day in _public_holidays(country, day.year)


def _end_of(day: date, zone: ZoneInfo) -> datetime:
    # Midnight always exists in European zones: their clocks change at 1-3 o'clock.
    return datetime.combine(day + timedelta(days=1), time(0), zone)


def add_period(
    start: datetime,
    days: int,
    tz: str,
    country: str | None = None,
    *,
    extend_past_days_off: bool = True,
) -> Deadline:
    """The period of ``days`` calendar days after the event at ``start``.

    The local day of ``start`` is not counted; the period ends at 24:00 local time of
    its last day. With ``extend_past_days_off`` a last day that is a Saturday, a Sunday
    or a public holiday of ``country`` moves to the next day that is none of them.
    """
    _require_aware(start, "start")
    if days < 1:
        raise ValueError(f"a period needs at least one day, not {days}")
    if extend_past_days_off and not country:
        raise ValueError("moving past public holidays needs a country")
    zone = ZoneInfo(tz)
    started_on = start.astimezone(zone).date()
    nominal = started_on + timedelta(days=days)
    last_day = nominal
    if extend_past_days_off:
        assert country is not None
        while is_day_off(last_day, country):
            last_day += timedelta(days=1)
    return Deadline(
        started_on=started_on,
        last_day=last_day,
        ends_at=_end_of(last_day, zone),
        time_zone=tz,
        moved_from=nominal if nominal != last_day else None,
    )


def deadline_state(deadline: Deadline, now: datetime, warn_days: int = WARN_DAYS) -> DeadlineState:
    """How ``deadline`` stands at ``now``: due today on its last local day, due soon
    within ``warn_days`` days before it, overdue from ``ends_at`` on."""
    _require_aware(now, "now")
    if warn_days < 0:
        raise ValueError(f"warn_days cannot be negative: {warn_days}")
    today = now.astimezone(ZoneInfo(deadline.time_zone)).date()
    days_left = (deadline.last_day - today).days
    if now >= deadline.ends_at:
        status = DeadlineStatus.OVERDUE
    elif days_left == 0:
        status = DeadlineStatus.DUE_TODAY
    elif days_left <= warn_days:
        status = DeadlineStatus.DUE_SOON
    else:
        status = DeadlineStatus.OK
    return DeadlineState(status=status, days_left=days_left, deadline=deadline)


def done_in_time(deadline: Deadline, done_at: datetime) -> bool:
    """Whether something done at ``done_at`` (an answer sent, a refund paid) kept it."""
    _require_aware(done_at, "done_at")
    return done_at < deadline.ends_at


# Complaints: Poland's answer clock


def polish_complaint_answer_due(received_at: datetime, tz: str = POLAND_ZONE) -> Deadline:
    """The day by which a Polish shop must answer a consumer's complaint received at
    ``received_at``: 14 calendar days, moved past a closing Saturday, Sunday or Polish
    public holiday (ustawa o prawach konsumenta art. 7a; Kodeks cywilny art. 111, 115).

    Whether the answer must only be sent or must also have reached the customer by
    then is argued both ways; send it early (``deadline_state`` warns).
    """
    return add_period(received_at, COMPLAINT_ANSWER_DAYS, tz, "PL", extend_past_days_off=True)


# Complaints: how long after delivery


@dataclass(frozen=True)
class ConformityRules:
    liability_years: int | None  # None: no fixed limit (the goods' expected lifetime)
    presumption_years: int
    known: bool = True  # False: the directive's rules, standing in for an unknown law


CONFORMITY_RULES: Mapping[str, ConformityRules] = {
    "FI": ConformityRules(liability_years=None, presumption_years=1),
    "PL": ConformityRules(liability_years=2, presumption_years=2),
}
# Two-year presumption rather than the directive's one: never shorter than a law.
EU_DEFAULT = ConformityRules(liability_years=2, presumption_years=2, known=False)


class WindowStatus(models.TextChoices):
    WITHIN = "within", _("Within the statutory liability period")
    PAST = "past", _("After the statutory liability period")
    NO_FIXED_LIMIT = "no_fixed_limit", _("No fixed limit: judge a reasonable time")


@dataclass(frozen=True)
class ComplaintWindow:
    country: str
    delivered_on: date  # local
    noticed_on: date  # local: when the defect appeared, as the customer says
    status: WindowStatus
    liability_until: date | None  # the last day a defect may appear; None: no fixed limit
    presumed_until: date  # a defect appearing by this day is presumed to be from delivery
    presumed_at_delivery: bool
    answer_due: Deadline | None  # Poland only
    notes: tuple[AgentNote, ...]

    @property
    def within_window(self) -> bool:
        """Whether the complaint is in time by the law's fixed windows (always in
        Finland, where the agent judges a reasonable time instead)."""
        return self.status != WindowStatus.PAST


def years_after(day: date, years: int) -> date:
    """The same date ``years`` later; 28 February for a 29 February that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year: the month's last day
        return day.replace(year=day.year + years, day=28)


def _zone_for(country: str, tz: str | None) -> str:
    if tz:
        return tz
    try:
        return COUNTRY_ZONES[country]
    except KeyError:
        raise ValueError(f"name the time zone for country {country!r}") from None


def complaint_window(
    country: str,
    delivered_at: datetime,
    now: datetime,
    *,
    noticed_at: datetime | None = None,
    received_at: datetime | None = None,
    tz: str | None = None,
) -> ComplaintWindow:
    """Where a complaint about goods delivered at ``delivered_at`` stands under the
    law of ``country``: within the statutory window, whether the defect is presumed to
    have existed at delivery, and the notes the agent should read.

    ``noticed_at`` is when the defect appeared (the customer's word; ``now`` when not
    given): the law asks when it appeared, not when the complaint came. ``received_at``
    is when the complaint reached the shop (``now`` when not given): Poland's answer
    clock runs from it.
    """
    country = country.upper()
    for value, what in ((delivered_at, "delivered_at"), (now, "now")):
        _require_aware(value, what)
    noticed_at = noticed_at or now
    received_at = received_at or now
    _require_aware(noticed_at, "noticed_at")
    _require_aware(received_at, "received_at")
    zone_name = _zone_for(country, tz)
    zone = ZoneInfo(zone_name)
    rules = CONFORMITY_RULES.get(country, EU_DEFAULT)

    delivered_on = delivered_at.astimezone(zone).date()
    noticed_on = noticed_at.astimezone(zone).date()
    presumed_until = years_after(delivered_on, rules.presumption_years)
    presumed = noticed_on <= presumed_until
    liability_until = None
    if rules.liability_years is None:
        status = WindowStatus.NO_FIXED_LIMIT
    else:
        liability_until = years_after(delivered_on, rules.liability_years)
        status = WindowStatus.WITHIN if noticed_on <= liability_until else WindowStatus.PAST

    notes: list[AgentNote] = []
    answer_due = None
    if country == "PL":
        answer_due = polish_complaint_answer_due(received_at, zone_name)
        notes.append(AgentNote(NoteCode.PL_ANSWER_DUE, {"date": answer_due.last_day}))
    if status == WindowStatus.NO_FIXED_LIMIT:
        notes.append(AgentNote(NoteCode.FI_REASONABLE_TIME))
    if status == WindowStatus.PAST:
        assert liability_until is not None
        # The presumption ended no later than the liability: one note says it all.
        notes.append(AgentNote(NoteCode.LIABILITY_ENDED, {"date": liability_until}))
    elif presumed:
        notes.append(AgentNote(NoteCode.PRESUMED_AT_DELIVERY, {"date": presumed_until}))
    else:
        notes.append(AgentNote(NoteCode.NOT_PRESUMED, {"date": presumed_until}))
    if not rules.known:
        notes.append(AgentNote(NoteCode.CHECK_LOCAL_LAW, {"country": country}))

    return ComplaintWindow(
        country=country,
        delivered_on=delivered_on,
        noticed_on=noticed_on,
        status=status,
        liability_until=liability_until,
        presumed_until=presumed_until,
        presumed_at_delivery=presumed,
        answer_due=answer_due,
        notes=tuple(notes),
    )


# Refunds after a withdrawal


def refund_due(notified_at: datetime, tz: str, country: str) -> Deadline:
    """The last day to refund a withdrawal the shop learnt of at ``notified_at``: 14
    days, moved past a closing Saturday, Sunday or public holiday of ``country`` (the
    store's) as Regulation 1182/71 art. 3(4) does (Directive 2011/83/EU art. 13(1))."""
    return add_period(notified_at, REFUND_DAYS, tz, country, extend_past_days_off=True)


@dataclass(frozen=True)
class RefundState:
    state: DeadlineState  # its deadline is the one in force: later when goods came back late
    waiting_for_goods: bool  # the shop may hold the refund until the goods or proof arrive
    notes: tuple[AgentNote, ...]


def refund_state(
    due: Deadline,
    now: datetime,
    *,
    goods_or_proof_at: datetime | None,
    shop_collects: bool = False,
    warn_days: int = WARN_DAYS,
) -> RefundState:
    """How the refund clock ``due`` (from ``refund_due``) stands at ``now``.

    ``goods_or_proof_at`` is the earlier of the goods arriving back and the customer
    showing they sent them (art. 13(3)); a time after ``now`` counts as not yet. A shop
    that offered to collect the goods (``shop_collects``) may not wait for them.
    """
    _require_aware(now, "now")
    if goods_or_proof_at is not None:
        _require_aware(goods_or_proof_at, "goods_or_proof_at")
    arrived = goods_or_proof_at is not None and goods_or_proof_at <= now
    waiting = not shop_collects and not arrived
    deadline = due
    if arrived:
        assert goods_or_proof_at is not None
        zone = ZoneInfo(due.time_zone)
        back_on = goods_or_proof_at.astimezone(zone).date()
        if back_on > due.last_day:
            deadline = replace(
                due, last_day=back_on, ends_at=_end_of(back_on, zone), moved_from=None
            )
    state = deadline_state(deadline, now, warn_days)
    if waiting and state.status == DeadlineStatus.OVERDUE:
        state = replace(state, status=DeadlineStatus.ON_HOLD)
    notes = [AgentNote(NoteCode.REFUND_DUE, {"date": deadline.last_day})]
    if waiting:
        notes.append(AgentNote(NoteCode.REFUND_MAY_WAIT))
    return RefundState(state=state, waiting_for_goods=waiting, notes=tuple(notes))

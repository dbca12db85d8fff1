"""SLA arithmetic over a WorkingCalendar: due dates, elapsed working days and the SLA flag.

Instants are UTC (a naive datetime is read as UTC, as the database stores them); days are
Bangkok local dates. The conventions follow app.domain.calendar:

- A case opened on local day S is on working day 1 on the first working day after S, so a case
  opened on a Saturday, or on Friday 23:00 UTC (already Saturday in Bangkok), starts on Monday.
- Elapsed working days on local day T: working days in (S, T], less paused working days.
- A pause from local day P to local day R (or to today while it lasts) pauses the working days in
  (P, R]; overlapping pauses count once.
- Due date: the (target + paused)-th working day after S. The case is breached from the start of
  the next local day on (``due_at``), so a Saturday after a Friday due date is already breached.
- At risk: elapsed working days reach ``at_risk_after_days(target, share)``, the smallest whole
  number of days that is at least share x target (12 of 15 at 0.8).

In the calendar table, with idx the workday index: due is the working day whose idx is
idx(S) + target + paused, and elapsed is idx(T) - idx(S) - paused.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from app.domain.calendar import WorkingCalendar
from app.domain.local_time import local_date, start_of_local_day
from app.domain.statuses import CLOSED_STATUSES, SlaFlag, Status

DEFAULT_AT_RISK_SHARE = 0.8

PauseInterval = tuple[datetime, datetime | None]
# A case's stopped clock: paused working days of pauses that ended, since when it waits on its
# applicant (or None), since when it is closed (or None).
ClockStops = tuple[int, datetime | None, datetime | None]
_WAITING = Status.WAITING_APPLICANT


@dataclass(frozen=True)
class SlaTarget:
    """What a case type promises: a target in working days, the share of it after which a case is
    at risk, and optionally a first-response target in working days."""

    days: int
    at_risk_share: float = DEFAULT_AT_RISK_SHARE
    first_response_days: int | None = None

    def __post_init__(self):
        if self.days < 1:
            raise ValueError(f"SLA target must be at least one working day, got {self.days}")
        if not 0 < self.at_risk_share <= 1:
            raise ValueError(f"at-risk share must be in (0, 1], got {self.at_risk_share}")
        if self.first_response_days is not None and self.first_response_days < 1:
            raise ValueError(
                f"first-response target must be at least one working day, got {self.first_response_days}"
            )

    @property
    def at_risk_after_days(self) -> int:
        return at_risk_after_days(self.days, self.at_risk_share)


def paused_working_days(
    intervals: Iterable[PauseInterval], calendar: WorkingCalendar, now: datetime
) -> int:
    """Working days paused by (start, end) intervals, an end of None meaning still paused.

    Each pause covers the working days in (local start, local end]; a pause that starts and ends
    on the same local day pauses nothing. Pauses are cut at ``now`` and overlaps count once.
    Give a closed case its closing instant as ``now``.
    """
    today = local_date(now)
    spans = []
    for start, end in intervals:
        first = local_date(start)
        last = today if end is None else min(local_date(end), today)
        if last > first:
            spans.append((first, last))
    total = 0
    counted_until: date | None = None
    for first, last in sorted(spans):
        if counted_until is not None:
            first = max(first, counted_until)
        if last > first:
            total += calendar.working_days_between(first, last)
            counted_until = last
    return total


def clock_after_move(stops: ClockStops, previous: str, target: str, at: datetime,
                     calendar: WorkingCalendar) -> ClockStops:
    """The clock's stops after a status move at `at`, for every way a case moves (on screen, by
    the requester's link, from a departmental system, by import):

    - leaving waiting on the applicant ends that pause: its working days are paused;
    - reopening (closed to open) ends the stop the closing was: the working days the case stood
      closed are paused too;
    - moving to waiting starts a pause; closing stops the clock, and a move from one closed status
      to another is no new closing (it stopped at the first); reopening clears the closing.
    """
    paused_days, paused_since, closed_at = stops
    paused_days = paused_days or 0
    if previous == _WAITING and paused_since is not None:
        paused_days += paused_working_days([(paused_since, at)], calendar, at)
        paused_since = None
    if target == _WAITING:
        paused_since = at
    if target in CLOSED_STATUSES:
        if previous not in CLOSED_STATUSES or closed_at is None:
            closed_at = at
    elif previous in CLOSED_STATUSES:
        if closed_at is not None:
            paused_days += paused_working_days([(closed_at, at)], calendar, at)
        closed_at = None
    return paused_days, paused_since, closed_at


def elapsed_working_days(
    now: datetime, submitted_at: datetime, paused_days: int, calendar: WorkingCalendar
) -> int:
    """Working days in (submitted day, today], less the paused ones; never below zero."""
    return elapsed_on_days(local_date(submitted_at), local_date(now), paused_days, calendar)


def elapsed_on_days(start: date, as_of: date, paused_days: int, calendar: WorkingCalendar) -> int:
    """elapsed_working_days on local days: working days in (start, as_of], less the paused ones."""
    return max(0, calendar.working_days_between(start, as_of) - paused_days)


def due_date(
    submitted_at: datetime, target_days: int, paused_days: int, calendar: WorkingCalendar
) -> date:
    """Local due date: the (target + paused)-th working day after the local submission day."""
    return calendar.add_working_days(local_date(submitted_at), target_days + paused_days)


def due_at(
    submitted_at: datetime, target_days: int, paused_days: int, calendar: WorkingCalendar
) -> datetime:
    """Deadline as an exclusive UTC instant: 00:00 Bangkok on the day after the due date.

    The case is on time while now < due_at and breached from due_at on.
    """
    return deadline_of(due_date(submitted_at, target_days, paused_days, calendar))


def deadline_of(due_day: date) -> datetime:
    """due_at of a local due date: 00:00 Bangkok on the day after it, in UTC."""
    return start_of_local_day(due_day + timedelta(days=1))


def last_day(due_at: datetime | None) -> date | None:
    """The local due date a deadline stands for, the one people are shown: the day before the
    Bangkok day at whose start due_at falls (deadline_of's inverse)."""
    return None if due_at is None else local_date(due_at - timedelta(microseconds=1))


def used_share(
    now: datetime,
    submitted_at: datetime,
    target_days: int,
    paused_days: int,
    calendar: WorkingCalendar,
) -> float:
    """Elapsed working days over the target, for display: 0.8 when 12 of 15 are used; may pass 1."""
    return elapsed_working_days(now, submitted_at, paused_days, calendar) / target_days


def at_risk_after_days(target_days: int, at_risk_share: float = DEFAULT_AT_RISK_SHARE) -> int:
    """Smallest whole number of elapsed working days that is at least share x target.

    Done in decimal so that 0.7 x 10 is 7, not 7.000000000000001 rounded up to 8; the SLA job can
    store or compute this threshold and compare it with elapsed days in SQL.
    """
    return math.ceil(Decimal(str(at_risk_share)) * target_days)


def sla_flag(
    now: datetime,
    submitted_at: datetime,
    target_days: int,
    paused_days: int,
    calendar: WorkingCalendar,
    at_risk_share: float = DEFAULT_AT_RISK_SHARE,
    closed_at: datetime | None = None,
) -> SlaFlag:
    """on_track, at_risk or breached as of ``now``, or as of ``closed_at`` for a closed case, which
    keeps the flag it had when it closed (breached if it closed after its due date).

    ``paused_days`` must be counted up to the same instant (see paused_working_days).
    Breached once the local date is past the due date; otherwise at risk once the elapsed
    working days reach at_risk_after_days(target_days, at_risk_share).
    """
    as_of = closed_at if closed_at is not None else now
    return flag_on_days(local_date(submitted_at), local_date(as_of),
                        due_date(submitted_at, target_days, paused_days, calendar),
                        at_risk_after_days(target_days, at_risk_share), paused_days, calendar)


def flag_on_days(start: date, as_of: date, due: date, at_risk_after: int, paused_days: int,
                 calendar: WorkingCalendar) -> SlaFlag:
    """sla_flag on local days: a case whose clock started on `start`, judged on `as_of`."""
    if as_of > due:
        return SlaFlag.BREACHED
    if elapsed_on_days(start, as_of, paused_days, calendar) >= at_risk_after:
        return SlaFlag.AT_RISK
    return SlaFlag.ON_TRACK


class SlaMemo:
    """Due instants and flags of many cases at once (a bulk load, an import), as due_at and
    sla_flag give them. Both depend only on local days, the target, the pause and the at-risk
    share, so the due date is worked out once per (start day, working days) and the flag once
    per combination; `now` judges the open cases."""

    def __init__(self, calendar: WorkingCalendar, now: datetime):
        self.calendar = calendar
        self.today = local_date(now)
        self._due: dict[tuple[date, int], tuple[date, datetime]] = {}
        self._flags: dict[tuple, str] = {}
        self._at_risk_after: dict[tuple[int, float], int] = {}

    def __call__(self, start: datetime, target_days: int, paused_days: int,
                 at_risk_share: float = DEFAULT_AT_RISK_SHARE, closed_at: datetime | None = None
                 ) -> tuple[datetime, str]:
        """(due_at, flag value) of a case whose clock started at `start`."""
        first = local_date(start)
        days = target_days + paused_days
        due = self._due.get((first, days))
        if due is None:
            day = self.calendar.add_working_days(first, days)
            due = self._due[(first, days)] = (day, deadline_of(day))
        as_of = self.today if closed_at is None else local_date(closed_at)
        key = (first, as_of, target_days, paused_days, at_risk_share)
        flag = self._flags.get(key)
        if flag is None:
            at_risk_after = self._at_risk_after.get((target_days, at_risk_share))
            if at_risk_after is None:
                at_risk_after = self._at_risk_after[(target_days, at_risk_share)] = at_risk_after_days(
                    target_days, at_risk_share)
            flag = self._flags[key] = flag_on_days(first, as_of, due[0], at_risk_after, paused_days,
                                                   self.calendar).value
        return due[1], flag


def first_response_due(
    submitted_at: datetime, first_response_days: int, calendar: WorkingCalendar
) -> date:
    """Local date by which the first response is due; pauses do not move it."""
    return calendar.add_working_days(local_date(submitted_at), first_response_days)


class FirstResponse(StrEnum):
    """Where a case stands against its type's first-response target."""

    ON_TIME = "on_time"      # answered by the due date
    LATE = "late"            # answered after it
    AWAITED = "awaited"      # not answered yet, still within it
    OVERDUE = "overdue"      # not answered, and the date is past


FIRST_RESPONSE_LABELS = {
    FirstResponse.ON_TIME: ("ตอบรับตามกำหนด", "Answered in time"),
    FirstResponse.LATE: ("ตอบรับล่าช้า", "Answered late"),
    FirstResponse.AWAITED: ("รอตอบรับ", "Awaiting a first response"),
    FirstResponse.OVERDUE: ("ยังไม่ตอบรับ เกินกำหนด", "No first response, overdue"),
}


def first_response_state(
    now: datetime,
    submitted_at: datetime,
    first_response_days: int,
    calendar: WorkingCalendar,
    responded_at: datetime | None = None,
) -> tuple[date, FirstResponse]:
    """The first response's due date, and where the case stands against it."""
    due = first_response_due(submitted_at, first_response_days, calendar)
    late = first_response_late(now, submitted_at, first_response_days, calendar, responded_at)
    if responded_at is not None:
        return due, FirstResponse.LATE if late else FirstResponse.ON_TIME
    return due, FirstResponse.OVERDUE if late else FirstResponse.AWAITED


def first_response_late(
    now: datetime,
    submitted_at: datetime,
    first_response_days: int,
    calendar: WorkingCalendar,
    responded_at: datetime | None = None,
) -> bool:
    """True when the first response came after its due date, or has not come and that date is
    past (judged on local dates, like sla_flag)."""
    answered_or_now = responded_at if responded_at is not None else now
    return local_date(answered_or_now) > first_response_due(submitted_at, first_response_days, calendar)

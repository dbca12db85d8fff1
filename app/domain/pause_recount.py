"""Paused working days counted again when the calendar changes under pauses that have ended.

A case stores the working days its clock stood still (``paused_days``): each wait for the
applicant that has ended, and each time it was closed and then reopened, counted with the
calendar of the day the pause ended. When a day inside such a pause later becomes a day off (an
extra holiday added afterwards, a holidays-package upgrade) or stops being one, the stored count
is a day off: the day left the working days of the case's clock and of its pause at once, so the
due date moved a day later. The pauses are read back from the case's timeline, its moves into
and out of waiting on the applicant and into and out of the closed statuses since its clock
started, and counted again with the new calendar.

A count is only replaced when the timeline accounts for it: counted with the calendar before the
change, the pauses must give exactly what is stored. A case whose count came from elsewhere (a
history loaded in bulk, a count an older calendar left) is left as it is, never guessed at.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from app.domain import sla as sla_rules
from app.domain.calendar import WorkingCalendar
from app.domain.statuses import CLOSED_STATUSES, Status

WAITING = Status.WAITING_APPLICANT.value
CLOSED = frozenset(str(status) for status in CLOSED_STATUSES)
# The statuses a pause starts in: the moves out of them are the ones that end a pause.
STOPPED = frozenset({WAITING}) | CLOSED

# One move on a case's timeline: (at, from_status, to_status), in the timeline's order.
StatusMove = tuple[datetime, str | None, str | None]


def changed_days(before: Iterable[tuple[date, bool, int]], after: Iterable[tuple[date, bool, int]]) -> dict[date, bool]:
    """{day: it was a working day} for the days both calendar-table row sets hold whose
    working-day flag differs (rows are (day, is_working, workday_index))."""
    was = {day: bool(working) for day, working, _ in before}
    return {day: was[day] for day, working, _ in after if day in was and was[day] != bool(working)}


def calendar_before(after: WorkingCalendar, changed: Mapping[date, bool]) -> WorkingCalendar:
    """The calendar as it was before ``changed`` days changed, from the calendar after it."""
    names = dict(after.holidays)
    for day, was_working in changed.items():
        if was_working:
            names.pop(day, None)
        else:
            names.setdefault(day, "")
    return WorkingCalendar(names)


def ended_pauses(moves: Iterable[StatusMove], clock_started_at: datetime) -> list[sla_rules.PauseInterval]:
    """The pauses that started and ended since the clock started, as the moves counted them
    (app/services/sla.on_status_change): a wait for the applicant, from the move into it to the
    move out of it; a closing, from the move into a closed status to the reopening."""
    pauses: list[sla_rules.PauseInterval] = []
    waiting_since: datetime | None = None
    closed_since: datetime | None = None
    for at, from_status, to_status in moves:
        if at < clock_started_at:
            continue
        if waiting_since is not None and from_status == WAITING and to_status != WAITING:
            pauses.append((waiting_since, at))
            waiting_since = None
        if closed_since is not None and from_status in CLOSED and to_status not in CLOSED:
            pauses.append((closed_since, at))
            closed_since = None
        if waiting_since is None and to_status == WAITING and from_status != WAITING:
            waiting_since = at
        if closed_since is None and to_status in CLOSED and from_status not in CLOSED:
            closed_since = at
    return pauses


def recounted(stored: int, pauses: list[sla_rules.PauseInterval], before: WorkingCalendar,
              after: WorkingCalendar) -> int | None:
    """The paused working days of ``pauses`` with the calendar ``after``, when ``before`` gives
    ``stored`` for them; None when it does not (the count is then not the timeline's)."""
    if not pauses:
        return None
    until = max(end for _, end in pauses)
    if sla_rules.paused_working_days(pauses, before, until) != stored:
        return None
    return sla_rules.paused_working_days(pauses, after, until)

"""The calendar_day table: the working-day index the SLA job joins against.

It is derived data: the rows of app.domain.calendar's ``index_rows`` for the working calendar
that app.services.sla uses (Thai holidays plus the extra days off administrators add). Rather than
trusting that every change reached it, ``ensure_calendar`` compares the table with what it should
hold and rewrites it when they differ (a new extra holiday, a holidays-package upgrade, a wider
date range): cheap next to the SLA job itself (about ten thousand small rows), and it leaves no
way for the table to drift. The administrators' holiday screen calls ``rebuild_calendar`` at once,
so a change is in place before the next run too. Where a rewrite turns a day inside a pause that
has ended into a day off, or back, the paused working days of the cases it paused are counted
again (app/services/pause_recount.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, insert, select, text

from app.domain.jobs import lock_key
from app.domain.pause_recount import changed_days
from app.models.calendar import CalendarDay
from app.services import sla as sla_service
from app.services.db import is_postgresql
from app.services.pause_recount import recount_pauses

# The years whose Thai holidays the calendar knows; the table covers at least these.
DEFAULT_FIRST_DAY = date(min(sla_service.CALENDAR_YEARS), 1, 1)
DEFAULT_LAST_DAY = date(max(sla_service.CALENDAR_YEARS), 12, 31)
_INSERT_BATCH = 5000


@dataclass(frozen=True)
class CalendarCheck:
    first: date
    last: date
    rebuilt: bool
    days: int
    # Cases whose paused working days were counted again, for days that changed inside pauses.
    recounted: int = 0


def _serialise_rebuilds(session) -> None:
    """Two rebuilds at once (the holiday screen and the job) would both delete and insert:
    on PostgreSQL the second waits for the first. SQLite already runs one writer at a time."""
    if is_postgresql(session):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key("calendar_day")})


def _stored_rows(session) -> list[tuple[date, bool, int]]:
    rows = session.execute(
        select(CalendarDay.day, CalendarDay.is_working, CalendarDay.workday_index).order_by(CalendarDay.day)
    ).all()
    return [(row.day, bool(row.is_working), row.workday_index) for row in rows]


def _write(session, rows: list[tuple[date, bool, int]]) -> None:
    session.execute(delete(CalendarDay))
    for start in range(0, len(rows), _INSERT_BATCH):
        batch = rows[start:start + _INSERT_BATCH]
        session.execute(insert(CalendarDay), [
            {"day": day, "is_working": working, "workday_index": index} for day, working, index in batch
        ])


def stored_range(session) -> tuple[date | None, date | None]:
    row = session.execute(select(func.min(CalendarDay.day), func.max(CalendarDay.day))).one()
    return row[0], row[1]


def ensure_calendar(session, first: date | None = None, last: date | None = None) -> CalendarCheck:
    """Make the table hold exactly the index rows over at least [first, last] (and never less
    than the default years, nor less than it already covers). Does not commit."""
    _serialise_rebuilds(session)
    stored_first, stored_last = stored_range(session)
    want_first = min(d for d in (first, stored_first, DEFAULT_FIRST_DAY) if d is not None)
    want_last = max(d for d in (last, stored_last, DEFAULT_LAST_DAY) if d is not None)
    calendar = sla_service.calendar(session)
    wanted = list(calendar.index_rows(want_first, want_last))
    stored = _stored_rows(session)
    rebuilt = stored != wanted
    recounted = 0
    if rebuilt:
        _write(session, wanted)
        recounted = recount_pauses(session, changed_days(stored, wanted), calendar)
    return CalendarCheck(want_first, want_last, rebuilt, len(wanted), recounted)


def rebuild_calendar(session) -> CalendarCheck:
    """Rewrite the table for the current holidays over the range it covers. Does not commit."""
    return ensure_calendar(session)

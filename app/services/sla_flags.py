"""Due dates and SLA flags of every open case, recomputed in set-based SQL.

The SQL is the pure rules of app.domain.sla written against the calendar_day table, where idx is
a day's workday_index (working days counted from the table's first day through that day):

- S = Bangkok date of the clock's start (sla_started_at, else submitted_at);
- paused = paused_days + the running pause of a case waiting on its applicant:
  max(0, idx(today) - idx(Bangkok date of paused_since));
- due date = S when target + paused is 0, else the working day whose idx is idx(S) + target + paused;
  due_at = 00:00 Bangkok on the day after it;
- elapsed = idx(today) - idx(S) - paused, never below zero;
- flag = breached when today > due date; else at_risk when elapsed >= at_risk_after_days(target,
  share) (computed in Python per case type, in decimal, exactly as the pure rule does); else
  on_track.

Only rows whose due_at or flag changes are written. The case's version is not bumped and
updated_at is not touched: the clock moving is not an edit, and an officer's open form must not
turn stale every few minutes. Closed cases keep the flag they closed with.

PostgreSQL reads calendar_day once into two arrays (day -> idx, idx -> working day) and updates
the case table in a single pass with no join back to it: a million open cases are read in a
couple of seconds, and only the rows that change are written. SQLite, which has no arrays, joins
calendar_day three times; the tests check both against the pure rules.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Date, bindparam, select, text

from app.domain import sla as sla_rules
from app.domain.local_time import BANGKOK, local_date
from app.domain.statuses import OPEN_STATUSES, SlaFlag
from app.models.agency import CaseType
from app.services.calendar_days import CalendarCheck, ensure_calendar

# The calendar never reaches further than this, whatever odd dates a legacy import brought.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2200, 12, 31)

# Bangkok is UTC+7 all year (no daylight saving), as app.domain.sla takes it.
_OFFSET_HOURS = int(BANGKOK.utcoffset(None).total_seconds() // 3600)
# A due date's deadline, 00:00 Bangkok the next day, as a UTC time of day on the due date itself.
_DEADLINE_UTC_TIME = (datetime.min + timedelta(days=1) - BANGKOK.utcoffset(None)).strftime("%H:%M:%S")
_OPEN = ", ".join(f"'{status.value}'" for status in sorted(OPEN_STATUSES))

Target = tuple[int, int, int]  # case type id, target days, at-risk threshold in days


@dataclass
class SlaFlagsResult:
    open_cases: int
    changed: int
    flags: dict[str, int] = field(default_factory=dict)
    calendar: CalendarCheck | None = None


def _target_rows(targets: list[Target]) -> str:
    # Whole numbers computed here, so inlining them is safe and keeps the decimal threshold exact.
    return " UNION ALL ".join(
        f"SELECT {int(type_id)} AS case_type_id, {int(days)} AS sla_days, {int(after)} AS at_risk_after"
        for type_id, days, after in targets
    )


def _flag(due_day: str, elapsed: str) -> str:
    return (f"CASE WHEN :today > {due_day} THEN '{SlaFlag.BREACHED.value}' "
            f"WHEN (CASE WHEN {elapsed} > 0 THEN {elapsed} ELSE 0 END) >= t.at_risk_after "
            f"THEN '{SlaFlag.AT_RISK.value}' ELSE '{SlaFlag.ON_TRACK.value}' END")


def _postgresql_update(targets: list[Target]) -> str:
    def local_date(column: str) -> str:
        return f"((({column}) + interval '{_OFFSET_HOURS} hours') AT TIME ZONE 'UTC')::date"

    def index_of(day: str) -> str:
        return f"cal.idx[{day} - cal.first_day + 1]"

    start_day = local_date("COALESCE(c.sla_started_at, c.submitted_at)")
    running_pause = (f"CASE WHEN c.paused_since IS NULL THEN 0 "
                     f"ELSE GREATEST(0, :today_index - {index_of(local_date('c.paused_since'))}) END")
    paused = f"(c.paused_days + {running_pause})"
    due_day = (f"(CASE WHEN t.sla_days + {paused} <= 0 THEN {start_day} "
               f"ELSE cal.working_day[{index_of(start_day)} + t.sla_days + {paused}] END)")
    due_at = f"(({due_day}) + time '{_DEADLINE_UTC_TIME}') AT TIME ZONE 'UTC'"
    flag = _flag(due_day, f"(:today_index - {index_of(start_day)} - {paused})")
    return f"""UPDATE "case" AS c SET due_at = {due_at}, sla_flag = {flag}
FROM ({_target_rows(targets)}) AS t,
     (SELECT MIN(day) AS first_day, ARRAY_AGG(workday_index ORDER BY day) AS idx,
             (SELECT ARRAY_AGG(day ORDER BY workday_index) FROM calendar_day WHERE is_working) AS working_day
      FROM calendar_day) AS cal
WHERE t.case_type_id = c.case_type_id AND c.status IN ({_OPEN})
  AND (c.due_at IS DISTINCT FROM {due_at} OR c.sla_flag IS DISTINCT FROM {flag})"""


def _sqlite_update(targets: list[Target]) -> str:
    # SQLite keeps UTC timestamps as 'YYYY-MM-DD HH:MM:SS.ffffff' text and dates as 'YYYY-MM-DD'.
    def local_date(column: str) -> str:
        # Whole seconds only: SQLite rounds a fraction to milliseconds first, which put the last
        # half-millisecond of a Bangkok day (16:59:59.9996 UTC) into the next day.
        return f"date(substr({column}, 1, 19), '+{_OFFSET_HOURS} hours')"

    # The statement starts with UPDATE, its WITH inside: Python's sqlite3 reports no row count
    # for a statement that starts with WITH.
    return f"""UPDATE "case" SET due_at = result.new_due_at, sla_flag = result.new_flag
FROM (
WITH target AS ({_target_rows(targets)}),
open_case AS (
    SELECT c.id, c.due_at AS old_due_at, c.sla_flag AS old_flag, t.sla_days, t.at_risk_after,
           cs.day AS start_day, cs.workday_index AS start_index,
           c.paused_days + CASE WHEN cp.workday_index IS NULL OR :today_index <= cp.workday_index THEN 0
                                ELSE :today_index - cp.workday_index END AS paused
    FROM "case" c
    JOIN target t ON t.case_type_id = c.case_type_id
    JOIN calendar_day cs ON cs.day = {local_date("COALESCE(c.sla_started_at, c.submitted_at)")}
    LEFT JOIN calendar_day cp ON c.paused_since IS NOT NULL AND cp.day = {local_date("c.paused_since")}
    WHERE c.status IN ({_OPEN})
),
computed AS (
    SELECT o.id, o.old_due_at, o.old_flag, o.at_risk_after,
           CASE WHEN o.sla_days + o.paused <= 0 THEN o.start_day ELSE cd.day END AS due_day,
           :today_index - o.start_index - o.paused AS elapsed
    FROM open_case o
    LEFT JOIN calendar_day cd ON cd.workday_index = o.start_index + o.sla_days + o.paused AND cd.is_working
)
SELECT t.id, t.old_due_at, t.old_flag, t.due_day || ' {_DEADLINE_UTC_TIME}.000000' AS new_due_at,
       {_flag("t.due_day", "t.elapsed")} AS new_flag
FROM computed AS t
) AS result
WHERE "case".id = result.id AND (result.old_due_at IS NOT result.new_due_at OR result.old_flag IS NOT result.new_flag)"""


@dataclass(frozen=True)
class DialectSql:
    update: Callable[[list[Target]], str]
    # Settings for the job's transaction only.
    setup: tuple[str, ...] = ()


DIALECT_SQL = {
    # JIT compilation costs more than it saves on this single pass; a little more memory keeps
    # the calendar arrays and the case-type hash off disk.
    "postgresql": DialectSql(_postgresql_update, ("SET LOCAL jit = off", "SET LOCAL work_mem = '64MB'")),
    "sqlite": DialectSql(_sqlite_update),
}


def _dialect(session) -> DialectSql:
    return DIALECT_SQL[session.get_bind().dialect.name]


def _as_datetime(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value)).replace(tzinfo=timezone.utc)  # SQLite: naive UTC text


def _targets(session) -> list[Target]:
    rows = session.execute(select(CaseType.id, CaseType.sla_days, CaseType.at_risk_share)).all()
    return [
        (row.id, row.sla_days,
         sla_rules.at_risk_after_days(row.sla_days, row.at_risk_share or sla_rules.DEFAULT_AT_RISK_SHARE))
        for row in rows
    ]


def _needed_range(session, today: date, targets: list[Target]) -> tuple[date, date]:
    """The days the calendar must cover for every open case: from the earliest clock start or
    pause to beyond the latest possible due date (working days are more than half of all days)."""
    row = session.execute(text(
        'SELECT MIN(COALESCE(sla_started_at, submitted_at)), MAX(COALESCE(sla_started_at, submitted_at)), '
        f'MIN(paused_since), MAX(paused_days) FROM "case" WHERE status IN ({_OPEN})'
    )).one()
    first_start, last_start, first_pause = (_as_datetime(value) for value in row[:3])
    most_paused = row[3] or 0
    # A day either side: the Bangkok date of an instant is never more than a day off its UTC date.
    starts = [local_date(moment) for moment in (first_start, last_start, first_pause) if moment]
    longest_target = max((days for _, days, _ in targets), default=0)
    running_pause = max(0, (today - local_date(first_pause)).days) if first_pause else 0
    reach = 2 * (max(longest_target, 0) + max(most_paused, 0) + running_pause) + 31
    first = min([today, *starts])
    last = max([today, *starts]) + timedelta(days=min(reach, 200 * 366))
    return max(first, EARLIEST_DAY), min(last, LATEST_DAY)


def flag_counts(session) -> dict[str, int]:
    rows = session.execute(text(
        f'SELECT sla_flag, COUNT(*) FROM "case" WHERE status IN ({_OPEN}) GROUP BY sla_flag'
    )).all()
    return {str(flag or "none"): int(count) for flag, count in rows}


def recompute_open_cases(session, now: datetime) -> SlaFlagsResult:
    """Bring due_at and sla_flag of every open case up to date as of ``now``. Does not commit:
    the caller's transaction makes the whole recomputation land at once or not at all."""
    dialect = _dialect(session)
    for statement in dialect.setup:
        session.execute(text(statement))
    today = local_date(now)
    targets = _targets(session)
    check = ensure_calendar(session, *_needed_range(session, today, targets))
    today_index = session.execute(text("SELECT workday_index FROM calendar_day WHERE day = :today")
                                  .bindparams(bindparam("today", type_=Date)), {"today": today}).scalar_one()
    changed = 0
    if targets:
        statement = text(dialect.update(targets)).bindparams(bindparam("today", type_=Date))
        changed = session.execute(statement, {"today": today, "today_index": today_index}).rowcount
    flags = flag_counts(session)
    return SlaFlagsResult(open_cases=sum(flags.values()), changed=max(changed, 0), flags=flags, calendar=check)

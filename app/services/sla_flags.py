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
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Date, bindparam, select, text

from app.domain import sla as sla_rules
from app.domain.statuses import OPEN_STATUSES, SlaFlag
from app.models.agency import CaseType
from app.services.calendar_days import CalendarCheck, ensure_calendar

# The calendar never reaches further than this, whatever odd dates a legacy import brought.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2200, 12, 31)

_OFFSET = sla_rules.BANGKOK.utcoffset(None)
# A due date's deadline, 00:00 Bangkok the next day, as a UTC time of day on the due date itself.
_DEADLINE_UTC_TIME = (datetime.min + timedelta(days=1) - _OFFSET).strftime("%H:%M:%S")


@dataclass(frozen=True)
class DialectSql:
    """The few expressions that differ between the databases."""

    local_date: str  # Bangkok date of a UTC timestamp column, {x}
    deadline: str  # UTC instant of 00:00 Bangkok on the day after the date {d}
    distinct: str  # null-safe "differs": {a}, {b}


DIALECT_SQL = {
    "postgresql": DialectSql(
        local_date="(({x}) AT TIME ZONE 'Asia/Bangkok')::date",
        deadline=f"(({{d}}) + time '{_DEADLINE_UTC_TIME}') AT TIME ZONE 'UTC'",
        distinct="{a} IS DISTINCT FROM {b}",
    ),
    # SQLite keeps UTC timestamps as 'YYYY-MM-DD HH:MM:SS.ffffff' text and dates as 'YYYY-MM-DD'.
    "sqlite": DialectSql(
        local_date=f"date({{x}}, '+{int(_OFFSET.total_seconds() // 3600)} hours')",
        deadline=f"({{d}}) || ' {_DEADLINE_UTC_TIME}.000000'",
        distinct="{a} IS NOT {b}",
    ),
}


@dataclass
class SlaFlagsResult:
    open_cases: int
    changed: int
    flags: dict[str, int] = field(default_factory=dict)
    calendar: CalendarCheck | None = None


def _sql(session) -> DialectSql:
    return DIALECT_SQL[session.get_bind().dialect.name]


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _open_status_list() -> str:
    return ", ".join(f"'{status.value}'" for status in sorted(OPEN_STATUSES))


def _targets(session) -> list[tuple[int, int, int]]:
    """(case type id, target days, at-risk threshold in days) of every case type."""
    rows = session.execute(select(CaseType.id, CaseType.sla_days, CaseType.at_risk_share)).all()
    return [
        (int(row.id), int(row.sla_days),
         int(sla_rules.at_risk_after_days(row.sla_days, row.at_risk_share or sla_rules.DEFAULT_AT_RISK_SHARE)))
        for row in rows
    ]


def _needed_range(session, sql: DialectSql, today: date, targets) -> tuple[date, date]:
    """The days the calendar must cover for every open case: from the earliest clock start or
    pause to beyond the latest possible due date (working days are more than half of all days)."""
    start = sql.local_date.format(x='COALESCE(sla_started_at, submitted_at)')
    paused = sql.local_date.format(x="paused_since")
    row = session.execute(text(
        f'SELECT MIN({start}), MAX({start}), MIN({paused}), MAX(paused_days) '
        f'FROM "case" WHERE status IN ({_open_status_list()})'
    )).one()
    first_start, last_start, first_pause, most_paused = (_as_date(row[0]), _as_date(row[1]),
                                                         _as_date(row[2]), row[3] or 0)
    longest_target = max((days for _, days, _ in targets), default=0)
    running_pause = (today - first_pause).days if first_pause and first_pause < today else 0
    reach = 2 * (max(longest_target, 0) + max(most_paused, 0) + running_pause) + 31
    first = min(d for d in (first_start, first_pause, today) if d is not None)
    last = max(d for d in (last_start, today) if d is not None) + timedelta(days=min(reach, 200 * 366))
    return max(first, EARLIEST_DAY), min(last, LATEST_DAY)


def _update_statement(sql: DialectSql, targets) -> str:
    target_rows = " UNION ALL ".join(
        f"SELECT {type_id} AS case_type_id, {days} AS sla_days, {after} AS at_risk_after"
        for type_id, days, after in targets
    )
    start = sql.local_date.format(x="COALESCE(c.sla_started_at, c.submitted_at)")
    paused_day = sql.local_date.format(x="c.paused_since")
    # It starts with UPDATE, the WITH inside: Python's sqlite3 reports no row count for a
    # statement that starts with WITH.
    return f"""UPDATE "case" SET due_at = result.new_due_at, sla_flag = result.new_flag
FROM (
WITH target AS ({target_rows}),
open_case AS (
    SELECT c.id, c.due_at AS old_due_at, c.sla_flag AS old_flag, t.at_risk_after,
           cs.day AS start_day, cs.workday_index AS start_index,
           c.paused_days + CASE WHEN cp.workday_index IS NULL OR :today_index <= cp.workday_index THEN 0
                                ELSE :today_index - cp.workday_index END AS paused,
           t.sla_days
    FROM "case" c
    JOIN target t ON t.case_type_id = c.case_type_id
    JOIN calendar_day cs ON cs.day = {start}
    LEFT JOIN calendar_day cp ON c.paused_since IS NOT NULL AND cp.day = {paused_day}
    WHERE c.status IN ({_open_status_list()})
),
computed AS (
    SELECT o.id, o.old_due_at, o.old_flag, o.at_risk_after,
           CASE WHEN o.sla_days + o.paused <= 0 THEN o.start_day ELSE cd.day END AS due_day,
           :today_index - o.start_index - o.paused AS elapsed
    FROM open_case o
    LEFT JOIN calendar_day cd ON cd.workday_index = o.start_index + o.sla_days + o.paused AND cd.is_working
)
SELECT id, old_due_at, old_flag,
       {sql.deadline.format(d="due_day")} AS new_due_at,
       CASE WHEN :today > due_day THEN '{SlaFlag.BREACHED.value}'
            WHEN (CASE WHEN elapsed > 0 THEN elapsed ELSE 0 END) >= at_risk_after THEN '{SlaFlag.AT_RISK.value}'
            ELSE '{SlaFlag.ON_TRACK.value}' END AS new_flag
FROM computed
) AS result
WHERE "case".id = result.id
  AND ({sql.distinct.format(a="result.old_due_at", b="result.new_due_at")}
       OR {sql.distinct.format(a="result.old_flag", b="result.new_flag")})
"""


def flag_counts(session) -> dict[str, int]:
    rows = session.execute(text(
        f'SELECT sla_flag, COUNT(*) FROM "case" WHERE status IN ({_open_status_list()}) GROUP BY sla_flag'
    )).all()
    return {str(flag or "none"): int(count) for flag, count in rows}


def recompute_open_cases(session, now: datetime) -> SlaFlagsResult:
    """Bring due_at and sla_flag of every open case up to date as of ``now``. Does not commit:
    the caller's transaction makes the whole recomputation land at once or not at all."""
    sql = _sql(session)
    today = sla_rules.local_date(now)
    targets = _targets(session)
    first, last = _needed_range(session, sql, today, targets)
    check = ensure_calendar(session, first, last)
    today_index = session.execute(text("SELECT workday_index FROM calendar_day WHERE day = :today")
                                  .bindparams(bindparam("today", type_=Date)), {"today": today}).scalar_one()
    changed = 0
    if targets:
        statement = text(_update_statement(sql, targets)).bindparams(bindparam("today", type_=Date))
        changed = session.execute(statement, {"today": today, "today_index": today_index}).rowcount
    flags = flag_counts(session)
    return SlaFlagsResult(open_cases=sum(flags.values()), changed=max(changed, 0), flags=flags, calendar=check)

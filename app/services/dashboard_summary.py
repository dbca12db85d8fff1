"""Keeping the dashboard summaries (models/dashboard.py) current, set-based.

Triggers on the case table (migration 0006) put every cell a write touches, before and after, in
dashboard_dirty, whoever writes: screens, API, import, sync, the SLA-flags job, bulk loads.
`refresh` takes dirty cells, recomputes their day rows from the case table with one grouped
INSERT ... SELECT per summary, then their months from those day rows. A write that lands while a
refresh runs marks its cell again, so the next refresh picks it up: the summaries converge and a
refresh never blocks a writer for long. On PostgreSQL each writing transaction marks a cell with
a row of its own (its transaction id): a refresh removes only the marks it can see, so a write
still open while a refresh recomputes its cell keeps its mark for the next refresh.

Callers: the dashboards before they read (bounded, so a page never waits on a backlog),
`flask dashboards refresh`, and the benchmark after a bulk load.
"""
from __future__ import annotations

import time

from sqlalchemy import text

from app.domain.statuses import CLOSED_STATUSES
from app.services.db import is_postgresql

_CLOSED_SQL = ", ".join(f"'{s.value}'" for s in sorted(CLOSED_STATUSES))
# One refresh at a time per database (PostgreSQL); SQLite's BEGIN IMMEDIATE already serialises.
_LOCK_KEY = 7_236_110_401
# From this many dirty cells on, a refresh is rebuilding after a bulk load.
_BULK_CELLS = 1000


# Per database: the Bangkok date of a UTC timestamp column, the UTC bounds of a Bangkok day,
# the first of a date's month and the next month, and the days between two dates.
_SQL = {
    "postgresql": {
        "local_day": "(({col}) AT TIME ZONE 'Asia/Bangkok')::date",
        "day_start": "(({day})::timestamp AT TIME ZONE 'Asia/Bangkok')",
        "next_day_start": "((({day}) + 1)::timestamp AT TIME ZONE 'Asia/Bangkok')",
        "month": "date_trunc('month', {day})::date",
        "next_month": "(date_trunc('month', {day}) + interval '1 month')::date",
        "days_between": "(({end}) - ({start}))",
        "temp": "CREATE TEMPORARY TABLE {name} ON COMMIT DROP AS ",
        "mark": "txid_current()",
    },
    "sqlite": {
        "local_day": "date({col}, '+7 hours')",
        "day_start": "datetime({day}, '-7 hours')",
        "next_day_start": "datetime({day}, '+1 day', '-7 hours')",
        "month": "date({day}, 'start of month')",
        "next_month": "date({day}, 'start of month', '+1 month')",
        "days_between": "CAST(julianday({end}) - julianday({start}) AS INTEGER)",
        "temp": "CREATE TEMPORARY TABLE {name} AS ",
        "mark": "0",
    },
}


def _sql(session) -> dict:
    return _SQL[session.get_bind().dialect.name]


def pending(session) -> int:
    """Cells waiting for a refresh (a cell written by several transactions has a mark from each)."""
    return session.execute(text(
        "SELECT count(*) FROM (SELECT DISTINCT agency_id, case_type_id, day FROM dashboard_dirty) cells")).scalar_one()


def mark_all_dirty(session) -> None:
    """Every cell that holds a case, e.g. after summaries were emptied or rules changed."""
    day = _sql(session)["local_day"].format(col="submitted_at")
    session.execute(text("DELETE FROM dashboard_dirty"))
    session.execute(text(
        f'INSERT INTO dashboard_dirty (agency_id, case_type_id, day) '
        f'SELECT DISTINCT agency_id, case_type_id, {day} FROM "case"'
    ))


def mark_dirty_between(session, first_id: int, last_id: int) -> None:
    """The cells of the cases whose ids run from first_id to last_id, marked as the dashboards'
    insert trigger marks them: for bulk writes that set the trigger aside."""
    sql = _sql(session)
    day = sql["local_day"].format(col="submitted_at")
    session.execute(text(
        f'INSERT INTO dashboard_dirty (agency_id, case_type_id, day, mark) '
        f'SELECT DISTINCT agency_id, case_type_id, {day}, {sql["mark"]} FROM "case" WHERE id BETWEEN :first AND :last '
        f'ON CONFLICT DO NOTHING'), {"first": first_id, "last": last_id})


def rebuild(session) -> dict:
    """Empty the summaries and recompute them all (the caller commits). Waits for a refresh
    under way first: emptied summaries must not be left for a refresh that gave way."""
    _take_lock(session, wait=True)
    for table in ("dashboard_status", "dashboard_closed", "dashboard_close_days", "dashboard_province"):
        session.execute(text(f"DELETE FROM {table}"))
    mark_all_dirty(session)
    return refresh(session, limit=None, wait=True)


def _take_lock(session, wait: bool = False) -> bool:
    """The refresh lock, for this transaction (taken again by the same transaction, it is held)."""
    if not is_postgresql(session):
        return True
    if wait:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        return True
    return bool(session.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _LOCK_KEY}).scalar())


def refresh(session, limit: int | None = 2000, wait: bool = False) -> dict:
    """Recompute up to `limit` dirty cells (all when None), in the caller's transaction; the
    caller commits. Returns how many cells were refreshed, how many remain, and the time taken.
    While another refresh runs, a page's or the job's refresh gives way (skipped); one asked for
    by hand (`wait`) waits for it and then does its work."""
    started = time.perf_counter()
    # The common case on a page view: nothing was written since the last refresh.
    if session.execute(text("SELECT 1 FROM dashboard_dirty LIMIT 1")).first() is None:
        return {"cells": 0, "pending": 0, "skipped": False, "seconds": round(time.perf_counter() - started, 3)}
    if not _take_lock(session, wait):
        return {"cells": 0, "pending": None, "skipped": True, "seconds": 0.0}
    sql = _sql(session)
    postgresql = is_postgresql(session)
    # Temporary tables of the same name may remain on a pooled SQLite connection.
    for name in ("dashboard_work", "dashboard_month_work"):
        session.execute(text(f"DROP TABLE IF EXISTS {name}" if postgresql else f"DROP TABLE IF EXISTS temp.{name}"))
    limit_sql = f" LIMIT {int(limit)}" if limit else ""
    session.execute(text(
        sql["temp"].format(name="dashboard_work")
        + f"SELECT agency_id, case_type_id, day, {sql['day_start'].format(day='day')} AS t0, "
          f"{sql['next_day_start'].format(day='day')} AS t1 "
          "FROM (SELECT DISTINCT agency_id, case_type_id, day FROM dashboard_dirty) cells "
          "ORDER BY day, agency_id, case_type_id"
        + limit_sql
    ))
    cells = session.execute(text("SELECT count(*) FROM dashboard_work")).scalar_one()
    if postgresql:
        # A temporary table has no statistics until analysed; without them the planner guesses
        # a plan that suits neither one new case nor a rebuild of every cell. A large backlog
        # follows a bulk load, which autovacuum may not have analysed yet.
        session.execute(text("ANALYZE dashboard_work"))
        if cells >= _BULK_CELLS:
            session.execute(text('ANALYZE "case"'))
    if not cells:
        return {"cells": 0, "pending": 0, "skipped": False, "seconds": round(time.perf_counter() - started, 3)}

    in_work = ("EXISTS (SELECT 1 FROM dashboard_work w WHERE w.agency_id = {t}.agency_id "
               "AND w.case_type_id = {t}.case_type_id AND w.day = {t}.{day})")
    session.execute(text("DELETE FROM dashboard_dirty WHERE " + in_work.format(t="dashboard_dirty", day="day")))
    for table in ("dashboard_status", "dashboard_closed", "dashboard_province"):
        session.execute(text(f"DELETE FROM {table} WHERE grain = 'd' AND " + in_work.format(t=table, day="period")))

    # The day's bounds let a few cells use the index on (agency_id, submitted_at); the day itself
    # lets many cells (a rebuild) hash-join one scan of the table.
    cases_of_cell = ('FROM dashboard_work w JOIN "case" c ON c.agency_id = w.agency_id '
                     "AND c.case_type_id = w.case_type_id AND c.submitted_at >= w.t0 AND c.submitted_at < w.t1 "
                     f"AND {sql['local_day'].format(col='c.submitted_at')} = w.day ")
    session.execute(text(
        "INSERT INTO dashboard_status (grain, period, agency_id, case_type_id, kind, status, sla_flag, n, on_time, "
        "ratings, satisfaction_sum) "
        "SELECT 'd', w.day, c.agency_id, c.case_type_id, c.kind, c.status, COALESCE(c.sla_flag, ''), count(*), "
        f"SUM(CASE WHEN c.status IN ({_CLOSED_SQL}) AND c.closed_at <= c.due_at THEN 1 ELSE 0 END), "
        "count(c.satisfaction), COALESCE(SUM(c.satisfaction), 0) "
        + cases_of_cell
        + "GROUP BY w.day, c.agency_id, c.case_type_id, c.kind, c.status, COALESCE(c.sla_flag, '')"
    ))
    closed_day = sql["local_day"].format(col="c.closed_at")
    session.execute(text(
        "INSERT INTO dashboard_closed (grain, period, agency_id, case_type_id, kind, closed_day, n) "
        f"SELECT 'd', w.day, c.agency_id, c.case_type_id, c.kind, {closed_day}, count(*) "
        + cases_of_cell
        + f"WHERE c.status IN ({_CLOSED_SQL}) AND c.closed_at IS NOT NULL "
        f"GROUP BY w.day, c.agency_id, c.case_type_id, c.kind, {closed_day}"
    ))
    session.execute(text(
        "INSERT INTO dashboard_province (grain, period, agency_id, case_type_id, kind, province, n) "
        "SELECT 'd', w.day, c.agency_id, c.case_type_id, c.kind, c.province, count(*) "
        + cases_of_cell
        + "WHERE c.province IS NOT NULL GROUP BY w.day, c.agency_id, c.case_type_id, c.kind, c.province"
    ))

    # The months those days belong to: the sums of their day rows.
    session.execute(text(
        sql["temp"].format(name="dashboard_month_work")
        + f"SELECT DISTINCT agency_id, case_type_id, {sql['month'].format(day='day')} AS month, "
          f"{sql['next_month'].format(day='day')} AS month_end FROM dashboard_work"
    ))
    if postgresql:
        session.execute(text("ANALYZE dashboard_month_work"))
    in_months = ("EXISTS (SELECT 1 FROM dashboard_month_work m WHERE m.agency_id = {t}.agency_id "
                 "AND m.case_type_id = {t}.case_type_id AND m.month = {t}.period)")
    for table in ("dashboard_status", "dashboard_closed", "dashboard_province"):
        session.execute(text(f"DELETE FROM {table} WHERE grain = 'm' AND " + in_months.format(t=table)))
    session.execute(text("DELETE FROM dashboard_close_days WHERE " + in_months.format(t="dashboard_close_days")))
    days_of_month = ("FROM dashboard_month_work m JOIN {t} d ON d.grain = 'd' AND d.agency_id = m.agency_id "
                     "AND d.case_type_id = m.case_type_id AND d.period >= m.month AND d.period < m.month_end ")
    session.execute(text(
        "INSERT INTO dashboard_status (grain, period, agency_id, case_type_id, kind, status, sla_flag, n, on_time, "
        "ratings, satisfaction_sum) "
        "SELECT 'm', m.month, d.agency_id, d.case_type_id, d.kind, d.status, d.sla_flag, SUM(d.n), SUM(d.on_time), "
        "SUM(d.ratings), SUM(d.satisfaction_sum) "
        + days_of_month.format(t="dashboard_status")
        + "GROUP BY m.month, d.agency_id, d.case_type_id, d.kind, d.status, d.sla_flag"
    ))
    session.execute(text(
        "INSERT INTO dashboard_closed (grain, period, agency_id, case_type_id, kind, closed_day, n) "
        "SELECT 'm', m.month, d.agency_id, d.case_type_id, d.kind, d.closed_day, SUM(d.n) "
        + days_of_month.format(t="dashboard_closed")
        + "GROUP BY m.month, d.agency_id, d.case_type_id, d.kind, d.closed_day"
    ))
    days_taken = sql["days_between"].format(start="d.period", end="d.closed_day")
    session.execute(text(
        "INSERT INTO dashboard_close_days (period, agency_id, case_type_id, kind, days, n) "
        f"SELECT m.month, d.agency_id, d.case_type_id, d.kind, {days_taken}, SUM(d.n) "
        + days_of_month.format(t="dashboard_closed")
        + f"GROUP BY m.month, d.agency_id, d.case_type_id, d.kind, {days_taken}"
    ))
    session.execute(text(
        "INSERT INTO dashboard_province (grain, period, agency_id, case_type_id, kind, province, n) "
        "SELECT 'm', m.month, d.agency_id, d.case_type_id, d.kind, d.province, SUM(d.n) "
        + days_of_month.format(t="dashboard_province")
        + "GROUP BY m.month, d.agency_id, d.case_type_id, d.kind, d.province"
    ))
    for name in ("dashboard_work", "dashboard_month_work"):
        session.execute(text(f"DROP TABLE {name}"))
    return {"cells": cells, "pending": pending(session), "skipped": False,
            "seconds": round(time.perf_counter() - started, 3)}

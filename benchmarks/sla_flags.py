"""The sla-flags job over 1,000,000 open cases on PostgreSQL.

Target (issue 3): under 10 seconds. Three situations, each the median of 3 runs of the job
end to end (lock, run record, calendar check, the set-based UPDATE, flag counts):

- cold: every case's due date and flag are missing, so every row is written (the first run
  after a bulk import, the worst case);
- steady: nothing changed since the last run (the job's every-five-minutes tick);
- next day: the clock moved on by a day, so the flags that cross a threshold, and the due dates
  of cases waiting on their applicant, are rewritten.

    .venv/bin/python benchmarks/sla_flags.py [--cases 1000000]
"""
from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime, timedelta, timezone

from _support import make_app, scratch_database

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)


def load_cases(db, count: int) -> float:
    """Open cases spread over the 150 days before NOW, one in ten waiting on the applicant,
    generated inside PostgreSQL (INSERT ... SELECT generate_series)."""
    started = time.perf_counter()
    db.session.execute(db.text("""
        INSERT INTO "case" (tracking_code, agency_id, case_type_id, kind, channel, title, status, priority,
                            submitted_at, sla_started_at, paused_days, paused_since, reopen_count,
                            created_at, updated_at, version)
        SELECT 'B-' || lpad(n::text, 8, '0'), t.agency_id, t.id, t.kind, 'web', 'benchmark case',
               CASE WHEN n % 10 = 0 THEN 'waiting_applicant' WHEN n % 3 = 0 THEN 'received' ELSE 'in_progress' END,
               'normal',
               :now - (n % 216000) * interval '1 minute',
               CASE WHEN n % 7 = 0 THEN :now - (n % 100000) * interval '1 minute' END,
               n % 4,
               CASE WHEN n % 10 = 0 THEN :now - (n % 20000) * interval '1 minute' END,
               0, :now, :now, 1
        FROM generate_series(1, :count) AS n
        JOIN (SELECT id, agency_id, kind, row_number() OVER (ORDER BY id) - 1 AS k,
                     count(*) OVER () AS types FROM case_type) t
          ON t.k = n % t.types
    """), {"count": count, "now": NOW})
    db.session.commit()
    return time.perf_counter() - started


def vacuum(db) -> None:
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(db.text('VACUUM ANALYZE "case"'))


def timed_run(now: datetime) -> tuple[float, object]:
    from app.jobs.runner import run_job

    started = time.perf_counter()
    [result] = run_job("sla-flags", now=now)
    elapsed = time.perf_counter() - started
    assert result.status == "succeeded", result.message
    return elapsed, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    args = parser.parse_args()

    application = make_app(scratch_database("rueang_bench_sla_flags"))
    from app.extensions import db

    with application.app_context():
        load_seconds = load_cases(db, args.cases)
        vacuum(db)
        print(f"loaded {args.cases:,} open cases in {load_seconds:.1f} s")

        cold, steady, next_day = [], [], []
        for attempt in range(3):
            db.session.execute(db.text('UPDATE "case" SET due_at = NULL, sla_flag = NULL'))
            db.session.commit()
            vacuum(db)
            seconds, result = timed_run(NOW)
            cold.append(seconds)
            print(f"  cold run {attempt + 1}: {seconds:.2f} s, {result.changed:,} of {result.fetched:,} rows written")
        for attempt in range(3):
            seconds, result = timed_run(NOW + timedelta(minutes=5 * (attempt + 1)))
            steady.append(seconds)
            print(f"  steady run {attempt + 1}: {seconds:.2f} s, {result.changed:,} rows written")
        for attempt in range(3):
            seconds, result = timed_run(NOW + timedelta(days=attempt + 1))
            next_day.append(seconds)
            print(f"  next-day run {attempt + 1}: {seconds:.2f} s, {result.changed:,} rows written")

    cold_median, steady_median, day_median = (statistics.median(x) for x in (cold, steady, next_day))
    print(f"sla-flags over {args.cases:,} open cases, median of 3 (target < 10 s):")
    print(f"  cold (every row written): {cold_median:.2f} s ({args.cases / cold_median:,.0f} cases/s)")
    print(f"  steady (nothing to write): {steady_median:.2f} s")
    print(f"  next day: {day_median:.2f} s")
    print(f"ratio cold / steady: {cold_median / steady_median:.1f}; next day / steady: {day_median / steady_median:.1f}")


if __name__ == "__main__":
    main()

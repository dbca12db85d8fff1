"""How fast the sync-status job applies a departmental feed on PostgreSQL, against fetching it alone.

Makes a scratch PostgreSQL database with 100,000 open DIW cases whose departmental references
are DIW-EXT-000001..., starts the simulator on loopback with 100,000 updates for them (one per
case: in progress, waiting for the applicant, or resolved, so every update moves a case), then:

* times the sync-status job end to end for DIW (`jobs run`'s code path: job lock, run record,
  one transaction, fetch, decide, write, commit) three times, putting every case and the
  agency's cursor back between runs;
* times fetching and parsing the same pages alone (list(connector.fetch_updates(since)))
  three times, in the same process, against the same simulator.

It prints the medians, updates per second and the ratio of the two (targets: at least 5,000
updates/s, at most 2x the fetch), and the CPU seconds each used (this process, and the
PostgreSQL backends of the scratch database), which say what the run costs whatever else the
machine is doing.

    .venv/bin/python benchmarks/sync_status.py [--cases N] [--page-size M] [--batch-size B] [--runs R]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from _support import make_app, scratch_database

DATABASE = "rueang_bench_sync"
SINCE = datetime(2000, 1, 1, tzinfo=UTC)
# Thirds of the cases, and the status their update brings.
STATUS_SHARES = (("in_progress", 0.4), ("waiting_applicant", 0.3), ("resolved", 0.3))


def load_cases(application, count: int) -> None:
    """`count` open DIW cases, received 20 days ago, referenced DIW-EXT-000001..., by COPY."""
    from sqlalchemy import select, text

    from app.extensions import db
    from app.models import Agency, CaseType
    from app.services import sla as sla_service
    from app.domain import sla as sla_rules

    with application.app_context():
        session = db.session
        agency = session.execute(select(Agency).where(Agency.code == "DIW")).scalar_one()
        case_type = session.execute(select(CaseType).where(CaseType.agency_id == agency.id)
                                    .order_by(CaseType.id)).scalars().first()
        submitted = datetime.now(UTC) - timedelta(days=20)
        cal = sla_service.calendar(session)
        due = sla_rules.due_at(submitted, case_type.sla_days, 0, cal)
        flag = str(sla_rules.sla_flag(datetime.now(UTC), submitted, case_type.sla_days, 0, cal))
        columns = ("tracking_code", "agency_id", "case_type_id", "kind", "channel", "title", "status", "priority",
                   "external_ref", "external_agency_id", "submitted_at", "sla_started_at", "due_at", "sla_flag", "paused_days",
                   "reopen_count", "created_at", "updated_at", "version")
        raw = session.connection().connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f'COPY "case" ({", ".join(columns)}) FROM STDIN') as copy:
            for i in range(1, count + 1):
                copy.write_row((f"DIW-2569-{i:06d}", agency.id, case_type.id, case_type.kind, "department",
                                f"คำขอใบอนุญาตประกอบกิจการโรงงาน ลำดับ {i}", "received", "normal",
                                f"DIW-EXT-{i:06d}", agency.id, submitted, submitted, due, flag, 0, 0, submitted, submitted, 1))
        session.commit()
        session.execute(text('ANALYZE "case"'))
        session.commit()


def reset(application) -> None:
    """Every case back to received with no sync history; the agency never synced."""
    from sqlalchemy import text

    from app.extensions import db

    with application.app_context():
        session = db.session
        session.execute(text("DELETE FROM case_event WHERE source = 'sync'"))
        session.execute(text(
            "UPDATE \"case\" SET status = 'received', external_updated_at = NULL, paused_since = NULL, "
            "paused_days = 0, closed_at = NULL, first_response_at = NULL, reopen_count = 0, version = 1 "
            "WHERE external_updated_at IS NOT NULL"))
        session.execute(text("UPDATE agency SET sync_cursor = NULL, last_synced_at = NULL WHERE code = 'DIW'"))
        session.execute(text("DELETE FROM job_run"))
        session.commit()
        connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        connection.execute(text('VACUUM ANALYZE "case"'))
        connection.execute(text("VACUUM ANALYZE case_event"))
        connection.close()


def configure(application, settings: dict) -> None:
    from sqlalchemy import update

    from app.extensions import db
    from app.models import Agency

    with application.app_context():
        db.session.execute(update(Agency).where(Agency.code == "DIW").values(
            connector_kind="rest_json", connector_settings=settings, status_map=None, sync_enabled=True,
            sync_cursor=None))
        db.session.commit()


def database_cpu_seconds() -> float | None:
    """CPU seconds used so far by the PostgreSQL backends serving the benchmark's database, read
    from /proc (the server runs on this machine); None where that cannot be read."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    try:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                command = (entry / "cmdline").read_bytes().decode(errors="replace")
                if not command.startswith("postgres:") or f" {DATABASE} " not in command:
                    continue
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick
    except OSError:
        return None
    return total


def run_job(application) -> dict:
    from app.jobs.runner import run_job as run

    with application.app_context():
        began = time.perf_counter()
        python_began, database_began = time.process_time(), database_cpu_seconds()
        (result,) = run("sync-status", "DIW")
        elapsed = time.perf_counter() - began
        python_cpu = time.process_time() - python_began
        database_after = database_cpu_seconds()
        database_cpu = None if database_after is None else database_after - database_began
        if result.status != "succeeded":
            raise SystemExit(f"sync-status failed: {result.message}")
        details = last_details(application)
        outcome = (f"fetched {result.fetched:,}, changed {result.changed:,}, errors {result.errors}; "
                   f"waited for the feed {details['feed_wait_seconds']:.2f} s, applied batches "
                   f"{details['apply_seconds']:.2f} s")
    return {"seconds": elapsed, "outcome": outcome, "python_cpu": python_cpu, "database_cpu": database_cpu}


def last_details(application) -> dict:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import JobRun

    details = db.session.execute(select(JobRun.details).order_by(JobRun.id.desc())).scalars().first()
    db.session.rollback()
    return details


def storing_floor(application, runs: int) -> tuple[float, float]:
    """Median seconds PostgreSQL alone takes to store what one run writes: every case moved to a
    new status (the columns a sync writes, version and updated_at included) by one UPDATE, and one
    timeline event per case by one INSERT ... SELECT ... ON CONFLICT DO NOTHING, committed.
    Nothing crosses the wire but the two statements, so it is a lower bound on applying a feed.
    Also returned: the same two statements with only the keys indexed (primary keys and unique
    constraints; the lists' indexes dropped in a transaction that is rolled back)."""
    from sqlalchemy import text

    from app.extensions import db

    moved = (
        "UPDATE \"case\" SET status = CASE WHEN id % 10 < 4 THEN 'in_progress' WHEN id % 10 < 7 "
        "THEN 'waiting_applicant' ELSE 'resolved' END, external_updated_at = now(), "
        "paused_since = CASE WHEN id % 10 BETWEEN 4 AND 6 THEN now() END, "
        "closed_at = CASE WHEN id % 10 >= 7 THEN now() END, first_response_at = now(), "
        "due_at = due_at + interval '1 day', sla_flag = 'on_track', updated_at = now(), version = version + 1"
    )
    events = (
        "INSERT INTO case_event (case_id, at, kind, source, actor_label, from_status, to_status, public, "
        "external_id, origin) SELECT id, now(), 'status', 'sync', 'floor', 'received', status, true, "
        "'floor-' || id, 'floor' FROM \"case\" ON CONFLICT (case_id, external_id) DO NOTHING"
    )
    timings, keys_only = [], []
    for _ in range(runs):
        for measured, only_keys in ((timings, False), (keys_only, True)):
            reset(application)
            with application.app_context(), db.engine.connect() as connection:
                connection.execute(text("SET jit = off"))
                if only_keys:
                    # The indexes that back no key are dropped in a transaction that is rolled back.
                    for (name,) in connection.execute(text(
                            "SELECT indexname FROM pg_indexes WHERE tablename IN ('case', 'case_event') "
                            "AND indexdef NOT LIKE 'CREATE UNIQUE %'")).all():
                        connection.execute(text(f'DROP INDEX "{name}"'))
                started = time.perf_counter()
                connection.execute(text(moved))
                connection.execute(text(events))
                if not only_keys:
                    connection.commit()
                measured.append(time.perf_counter() - started)
                connection.rollback()
    reset(application)
    return statistics.median(timings), statistics.median(keys_only)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    url = scratch_database(DATABASE)
    application = make_app(url)
    began = time.perf_counter()
    load_cases(application, args.cases)
    print(f"loaded {args.cases:,} open cases in {time.perf_counter() - began:.1f} s")

    from app.connectors import build_connector
    from app.services import sync_status
    from app.simulator.server import running_simulator

    if args.batch_size:
        sync_status.BATCH_SIZE = args.batch_size
    with running_simulator(populate=False) as sim:
        first = 1
        for status, share in STATUS_SHARES:
            count = round(args.cases * share) if status != STATUS_SHARES[-1][0] else args.cases - first + 1
            answer = requests.post(f"{sim.url}/_control/generate", timeout=300, json={
                "agency": "DIW", "count": count, "first_index": first, "statuses": [status]})
            answer.raise_for_status()
            first += count
        settings = {"base_url": sim.rest_url("DIW"), "token": sim.token, "page_size": args.page_size}
        configure(application, settings)

        sync_timings, sync_python_cpu, sync_database_cpu = [], [], []
        for run in range(1, args.runs + 1):
            reset(application)
            result = run_job(application)
            sync_timings.append(result["seconds"])
            sync_python_cpu.append(result["python_cpu"])
            sync_database_cpu.append(result["database_cpu"])
            print(f"sync run {run}: {result['seconds']:.3f} s = {args.cases / result['seconds']:,.0f} updates/s "
                  f"({result['outcome']}; CPU: this process {result['python_cpu']:.2f} s, "
                  f"PostgreSQL {_seconds(result['database_cpu'])})")

        fetch_timings, fetch_python_cpu = [], []
        for run in range(1, args.runs + 1):
            with build_connector("rest_json", settings) as connector:
                began, python_began = time.perf_counter(), time.process_time()
                fetched = len(list(connector.fetch_updates(SINCE)))
                elapsed = time.perf_counter() - began
                fetch_python_cpu.append(time.process_time() - python_began)
            if fetched != args.cases:
                raise SystemExit(f"fetch run {run}: {fetched} updates, expected {args.cases}")
            fetch_timings.append(elapsed)
            print(f"fetch run {run}: {elapsed:.3f} s = {fetched / elapsed:,.0f} updates/s")

    floor, keys_only = storing_floor(application, args.runs)
    print(f"PostgreSQL alone storing the same moves and events, median of {args.runs}: {floor:.3f} s; "
          f"with only the keys indexed: {keys_only:.3f} s")

    sync_median = statistics.median(sync_timings)
    fetch_median = statistics.median(fetch_timings)
    ratio = sync_median / fetch_median
    print(f"sync-status, median of {args.runs}: {sync_median:.3f} s = {args.cases / sync_median:,.0f} updates/s "
          f"(target >= 5,000)")
    print(f"fetch + parse alone, median of {args.runs}: {fetch_median:.3f} s = "
          f"{args.cases / fetch_median:,.0f} updates/s")
    print(f"ratio sync / fetch: {ratio:.2f}x (target <= 2x); PostgreSQL alone storing the same writes: "
          f"{floor / fetch_median:.2f}x the fetch, or {keys_only / fetch_median:.2f}x with only the keys indexed")
    database_cpu = [c for c in sync_database_cpu if c is not None]
    print(f"CPU, medians: sync {statistics.median(sync_python_cpu):.2f} s in this process (the simulator's threads "
          f"included) + {_seconds(statistics.median(database_cpu) if database_cpu else None)} in PostgreSQL; "
          f"fetch alone {statistics.median(fetch_python_cpu):.2f} s in this process; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(json.dumps({
        "benchmark": "sync_status",
        "cases": args.cases,
        "updates": args.cases,
        "page_size": args.page_size,
        "batch_size": sync_status.BATCH_SIZE,
        "sync_runs": [round(t, 3) for t in sync_timings],
        "fetch_runs": [round(t, 3) for t in fetch_timings],
        "sync_median_seconds": round(sync_median, 3),
        "fetch_median_seconds": round(fetch_median, 3),
        "sync_updates_per_second": round(args.cases / sync_median),
        "fetch_updates_per_second": round(args.cases / fetch_median),
        "ratio": round(ratio, 2),
        "storing_floor_seconds": round(floor, 3),
        "ratio_storing_floor_to_fetch": round(floor / fetch_median, 2),
        "storing_floor_keys_only_seconds": round(keys_only, 3),
        "ratio_storing_floor_keys_only_to_fetch": round(keys_only / fetch_median, 2),
        "sync_python_cpu_median": round(statistics.median(sync_python_cpu), 3),
        "sync_database_cpu_median": round(statistics.median(database_cpu), 3) if database_cpu else None,
        "fetch_python_cpu_median": round(statistics.median(fetch_python_cpu), 3),
    }))


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f} s"


if __name__ == "__main__":
    main()

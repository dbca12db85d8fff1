"""Excel import speed: a 100,000-row x 14-column register with Thai text, read by python-calamine
alone, then imported (read in the guarded child process, every row checked, 100,000 cases and
their events written set-based) on SQLite and on a scratch PostgreSQL database, in the same run.

Target (issue 4): import time <= 3 x calamine's read time, the import reading in process as the
sheet reader allows for benchmarks. Also shown: importing the same file again (every row found
unchanged, nothing written), and the import reading in the memory- and time-limited child
process, as uploads and `flask cases import` do. And a floor: the database alone storing the
same cases and events (INSERT ... SELECT from the imported tables into empty twins), with their
indexes and with only their keys, which bounds how close any import could come to the target.

    .venv/bin/python benchmarks/excel_import.py [--rows 100000] [--repeat 3] [--db sqlite,postgresql]

Each database runs in its own process (the app binds one database per process). Runs alternate
read and import so that a busy machine slows both alike; medians are printed.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import ROOT, make_app, scratch_database  # noqa: E402

BANGKOK = timezone(timedelta(hours=7))
HEADER = ["เลขอ้างอิง", "ประเภทเรื่อง", "เรื่อง", "รายละเอียด", "ชื่อผู้ร้อง", "เบอร์โทร", "เลขประจำตัวประชาชน",
          "จังหวัด", "อำเภอ", "ตำบล", "สถานะ", "ช่องทาง", "วันที่รับเรื่อง", "วันที่ปิดเรื่อง"]
TYPES = ["เหตุเดือดร้อนรำคาญจากโรงงาน (กลิ่น เสียง น้ำเสีย)", "ขอใบอนุญาตประกอบกิจการโรงงาน (ร.ง.4)", "ขอขยายโรงงาน"]


def build_sheet(path: Path, rows: int) -> None:
    """A DIW register as Excel saves one (shared strings): a title row, Thai headers, phone numbers
    and IDs stored as numbers, dates half as Excel dates and half as B.E. text."""
    import xlsxwriter

    from app.domain.demo_corpus import generate_cases
    from app.domain.statuses import CHANNEL_LABELS, STATUS_LABELS

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("ทะเบียน")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet.write_string(0, 0, "ทะเบียนรับเรื่อง กรมโรงงานอุตสาหกรรม")
    for col, text in enumerate(HEADER):
        sheet.write_string(2, col, text)
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    for i, case in enumerate(generate_cases(rows, seed=7, now=now)):
        r = i + 3
        submitted = case["submitted_at"].astimezone(BANGKOK).replace(tzinfo=None)
        sheet.write_string(r, 0, f"DIW-REG-{i + 1:07d}")
        sheet.write_string(r, 1, TYPES[i % 3])
        sheet.write_string(r, 2, case["title"])
        sheet.write_string(r, 3, case["description"] or "")
        sheet.write_string(r, 4, case["requester_name"] or "")
        if case["requester_phone"]:
            sheet.write_number(r, 5, int(case["requester_phone"]))
        if case["requester_id"]:
            if i % 2:
                sheet.write_number(r, 6, int(case["requester_id"]))
            else:
                sheet.write_string(r, 6, case["requester_id"])
        sheet.write_string(r, 7, case["province"])
        sheet.write_string(r, 8, case["district"] or "")
        sheet.write_string(r, 9, case["subdistrict"] or "")
        sheet.write_string(r, 10, STATUS_LABELS[case["status"]][0] if case["status"] != "forwarded" else "กำลังดำเนินการ")
        sheet.write_string(r, 11, CHANNEL_LABELS[case["channel"]][0])
        if i % 2:
            sheet.write_datetime(r, 12, submitted, date_format)
        else:
            sheet.write_string(r, 12, f"{submitted.day}/{submitted.month}/{submitted.year + 543} {submitted:%H:%M}")
        if case["closed_at"]:
            sheet.write_datetime(r, 13, case["closed_at"].astimezone(BANGKOK).replace(tzinfo=None), date_format)
    workbook.close()


def calamine_read(path: Path) -> float:
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    workbook = CalamineWorkbook.from_path(str(path))
    rows = workbook.get_sheet_by_index(0).to_python()
    elapsed = time.perf_counter() - started
    assert len(rows) > 3
    return elapsed


def _empty_cases(app) -> None:
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context():
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(text('TRUNCATE case_event, "case", tracking_counter, dashboard_dirty CASCADE'))
        else:
            for table in ("case_event", '"case"', "tracking_counter", "dashboard_dirty"):
                db.session.execute(text(f"DELETE FROM {table}"))
        db.session.commit()


def storing_floor(app, repeat: int) -> tuple[float, float]:
    """Median seconds the database alone takes to store the rows an import wrote: the cases and
    events now in the tables, copied by one INSERT ... SELECT each into empty tables of the same
    shape (no foreign keys or triggers), committed. No Python value touches it, so it is a lower
    bound on writing them from a sheet. Measured with the tables' indexes, and with only their
    keys (primary keys and unique constraints): what no trade of the lists' indexes goes below."""
    from app.extensions import db

    full, keys_only = [], []
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:
                for _ in range(repeat):
                    for timings, keys in ((full, False), (keys_only, True)):
                        timings.append(_postgresql_floor(connection, keys))
            return statistics.median(full), statistics.median(keys_only)
        for _ in range(repeat):
            for timings, keys in ((full, False), (keys_only, True)):
                timings.append(_sqlite_floor(engine.url.database, keys))
    return statistics.median(full), statistics.median(keys_only)


def _postgresql_floor(connection, keys_only: bool) -> float:
    from sqlalchemy import text

    for table in ('"case"', "case_event"):
        name = "floor_" + table.strip('"')
        connection.execute(text(f"DROP TABLE IF EXISTS {name}"))
        connection.execute(text(f"CREATE TABLE {name} (LIKE {table} INCLUDING ALL)"))
    if keys_only:
        for (index,) in connection.execute(text(
                "SELECT indexname FROM pg_indexes WHERE tablename IN ('floor_case', 'floor_case_event') "
                "AND indexdef NOT LIKE 'CREATE UNIQUE %'")):
            connection.execute(text(f'DROP INDEX "{index}"'))
    connection.commit()
    started = time.perf_counter()
    connection.execute(text('INSERT INTO floor_case SELECT * FROM "case"'))
    connection.execute(text("INSERT INTO floor_case_event SELECT * FROM case_event"))
    connection.commit()
    elapsed = time.perf_counter() - started
    connection.execute(text("DROP TABLE floor_case, floor_case_event"))
    connection.commit()
    return elapsed


def _sqlite_floor(database: str, keys_only: bool) -> float:
    import sqlite3

    kinds = "('table')" if keys_only else "('table', 'index')"
    connection = sqlite3.connect(database, isolation_level=None)
    schema = [sql for (sql,) in connection.execute(
        f"SELECT sql FROM sqlite_master WHERE tbl_name IN ('case', 'case_event') AND type IN {kinds} "
        "AND sql IS NOT NULL ORDER BY type DESC")]
    folder = tempfile.mkdtemp(prefix="rueang-bench-floor-")
    connection.execute(f"ATTACH DATABASE '{folder}/floor.db' AS floor")
    connection.execute("PRAGMA floor.journal_mode = WAL")
    connection.execute("PRAGMA floor.cache_size = -256000")  # as the import sets it
    for sql in schema:
        connection.execute(sql.replace('TABLE "case"', 'TABLE floor."case"')
                           .replace("TABLE case_event", "TABLE floor.case_event")
                           .replace("INDEX ", "INDEX floor.", 1))
    started = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    # The WHERE keeps SQLite from copying the tables' pages wholesale (its transfer optimisation
    # for INSERT ... SELECT * into an empty twin), which no import can do.
    connection.execute('INSERT INTO floor."case" SELECT * FROM main."case" WHERE id > 0')
    connection.execute("INSERT INTO floor.case_event SELECT * FROM main.case_event WHERE id > 0")
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def run_database(kind: str, sheet: Path, repeat: int, rows: int) -> dict:
    if kind == "sqlite":
        url = f"sqlite:///{tempfile.mkdtemp(prefix='rueang-bench-excel-')}/bench.db"
    else:
        url = scratch_database("rueang_bench_excel")
    app = make_app(url)
    from app.services.case_import import command_line_actor, run_import

    reads, first, again, guarded = [], [], [], []

    def timed(isolated: bool, expect: str) -> tuple[float, dict]:
        with app.app_context():
            started = time.perf_counter()
            plan = run_import(command_line_actor(), sheet, agency_code="DIW", isolated=isolated)
            elapsed = time.perf_counter() - started
            assert getattr(plan.counts, expect) == rows and not plan.bad, plan.counts
            return elapsed, {"read": plan.seconds_read, "check": plan.seconds_checked, "write": plan.seconds_written}

    for _ in range(repeat):
        _empty_cases(app)
        reads.append(calamine_read(sheet))
        elapsed, breakdown = timed(False, "new")
        first.append(elapsed)
        reads.append(calamine_read(sheet))
        again.append(timed(False, "unchanged")[0])
        _empty_cases(app)
        reads.append(calamine_read(sheet))
        guarded.append(timed(True, "new")[0])
    read = statistics.median(reads)
    floor, keys_only = storing_floor(app, repeat)
    return {"db": kind, "calamine_read_s": round(read, 2), "import_s": round(statistics.median(first), 2),
            "reimport_unchanged_s": round(statistics.median(again), 2),
            "import_isolated_read_s": round(statistics.median(guarded), 2),
            "ratio_import_to_read": round(statistics.median(first) / read, 2),
            "ratio_reimport_to_read": round(statistics.median(again) / read, 2),
            "ratio_isolated_import_to_read": round(statistics.median(guarded) / read, 2),
            "storing_floor_s": round(floor, 2), "ratio_storing_floor_to_read": round(floor / read, 2),
            "storing_floor_keys_only_s": round(keys_only, 2),
            "ratio_storing_floor_keys_only_to_read": round(keys_only / read, 2),
            "last_import_breakdown_s": {key: round(value, 2) for key, value in breakdown.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--sheet", type=Path, help="reuse a sheet built by an earlier run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_database(args.child, args.sheet, args.repeat, args.rows)))
        return
    os.environ.setdefault("RUEANG_ENV", "test")
    folder = Path(tempfile.mkdtemp(prefix="rueang-bench-sheet-"))
    sheet = args.sheet or folder / "register.xlsx"
    if not sheet.exists():
        started = time.perf_counter()
        build_sheet(sheet, args.rows)
        print(f"built {sheet} ({sheet.stat().st_size / 2**20:.1f} MB, {args.rows:,} rows x {len(HEADER)} columns) "
              f"in {time.perf_counter() - started:.1f} s")
    for kind in args.db.split(","):
        output = subprocess.run([sys.executable, __file__, "--child", kind, "--sheet", str(sheet), "--repeat",
                                 str(args.repeat), "--rows", str(args.rows)], cwd=ROOT, capture_output=True, text=True)
        if output.returncode != 0:
            print(f"{kind}: failed\n{output.stderr[-3000:]}")
            continue
        result = json.loads(output.stdout.strip().splitlines()[-1])
        split = result["last_import_breakdown_s"]
        print(f"{kind:10s} calamine read {result['calamine_read_s']:.2f} s | import {result['import_s']:.2f} s "
              f"(ratio {result['ratio_import_to_read']:.2f}, target <= 3; read {split['read']:.2f} + check "
              f"{split['check']:.2f} + write {split['write']:.2f} s) | same file again "
              f"{result['reimport_unchanged_s']:.2f} s (ratio {result['ratio_reimport_to_read']:.2f}) | "
              f"reading in the guarded child process as uploads do: {result['import_isolated_read_s']:.2f} s "
              f"(ratio {result['ratio_isolated_import_to_read']:.2f}) | the database alone storing the same "
              f"cases and events: {result['storing_floor_s']:.2f} s (ratio {result['ratio_storing_floor_to_read']:.2f}), "
              f"with only the keys indexed {result['storing_floor_keys_only_s']:.2f} s "
              f"(ratio {result['ratio_storing_floor_keys_only_to_read']:.2f})")


if __name__ == "__main__":
    main()

"""Excel export speed and memory: 100,000 demo cases exported as the screen and `cases export` do
(rows streamed from the database, every text through excel_safety, xlsxwriter constant_memory),
against writing the same cells, already in memory, with xlsxwriter in constant-memory mode alone.
Then the export's peak memory at 10,000 and at 100,000 rows, each size in a fresh process.

Targets (issue 4): export time <= 1.3 x the bare writer's; peak at 100,000 within 50 MB of the
peak at 10,000.

    .venv/bin/python benchmarks/excel_export.py [--cases 100000] [--repeat 3] [--db sqlite,postgresql]
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import ROOT, make_app, scratch_database  # noqa: E402


def _url(kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{Path(tempfile.gettempdir()) / 'rueang-bench-export.db'}"
    return f"{os.environ.get('BENCH_PG', 'postgresql+psycopg://postgres@127.0.0.1:5432')}/rueang_bench_excel_export"


def prepare(kind: str, cases: int) -> None:
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(_url(kind)[len("sqlite:///"):] + suffix).unlink(missing_ok=True)
        url = _url(kind)
    else:
        url = scratch_database("rueang_bench_excel_export")
    app = make_app(url)
    from app.services.demo import load_cases

    with app.app_context():
        load_cases(cases, seed=11)


def _bare_write(path: str, rows: list[list]) -> float:
    """The same cells with xlsxwriter alone: same columns, formats, widths, header, autofilter."""
    import xlsxwriter

    from app.domain.excel_safety import QUOTE_PREFIX, WORKBOOK_OPTIONS
    from app.services.case_export import DATE_FORMATS, EXPORT_COLUMNS

    started = time.perf_counter()
    workbook = xlsxwriter.Workbook(path, {**WORKBOOK_OPTIONS, "tmpdir": os.path.dirname(path)})
    sheet = workbook.add_worksheet("Cases")
    formats = {"datetime": workbook.add_format({"num_format": DATE_FORMATS["th"][0]}),
               "date": workbook.add_format({"num_format": DATE_FORMATS["th"][1]})}
    bold = workbook.add_format({"bold": True})
    quoted = workbook.add_format(QUOTE_PREFIX)
    kinds = [kind for _, kind, _ in EXPORT_COLUMNS]
    for col, (name, _, width) in enumerate(EXPORT_COLUMNS):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, name, bold)
    sheet.freeze_panes(1, 0)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            kind = kinds[c]
            if kind == "text":
                if type(value) is str:
                    sheet.write_string(r, c, value)
                else:  # a formula-like text, as excel_safety.safe_cell gave it
                    sheet.write_string(r, c, value.text, quoted if value.neutralised else None)
            elif kind == "number":
                sheet.write_number(r, c, value)
            else:
                sheet.write_datetime(r, c, value, formats[kind])
    sheet.autofilter(0, 0, len(rows), len(kinds) - 1)
    workbook.close()
    return time.perf_counter() - started


def speed(kind: str, repeat: int) -> dict:
    app = make_app(_url(kind))
    from app.domain.excel_safety import safe_cell
    from app.extensions import db
    from app.services.case_export import EXPORT_COLUMNS, export_cases, export_statement, row_values
    from app.services.case_import import command_line_actor

    folder = tempfile.mkdtemp(prefix="rueang-bench-export-")
    actor = command_line_actor()
    with app.app_context():
        values = row_values("th")
        texts = [kind == "text" for _, kind, _ in EXPORT_COLUMNS]
        cells = [[safe_cell(v) if is_text and v is not None else v for v, is_text in zip(values(row), texts)]
                 for row in db.session.execute(export_statement(actor))]
        exports, bare = [], []
        for n in range(repeat):
            bare.append(_bare_write(f"{folder}/bare-{n}.xlsx", cells))
            started = time.perf_counter()
            written = export_cases(db.session, actor, f"{folder}/export-{n}.xlsx", lang="th")
            exports.append(time.perf_counter() - started)
            db.session.rollback()
    return {"rows": written, "export_s": statistics.median(exports), "bare_s": statistics.median(bare),
            "size_mb": os.path.getsize(f"{folder}/export-0.xlsx") / 2**20}


def peak_memory(kind: str, limit: int) -> dict:
    """Run in a fresh process: export `limit` cases, report the process's peak RSS and the
    Python heap's peak (tracemalloc) during the export alone."""
    import resource
    import tracemalloc

    app = make_app(_url(kind))
    from app.extensions import db
    from app.services.case_export import export_statement, write_cases
    from app.services.case_import import command_line_actor

    folder = tempfile.mkdtemp(prefix="rueang-bench-export-mem-")
    with app.app_context():
        statement = export_statement(command_line_actor()).limit(limit)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        written = write_cases(db.session, f"{folder}/export.xlsx", statement, lang="th")
        _, heap_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {"rows": written, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "maxrss_before_mb": before / 1024, "heap_peak_mb": heap_peak / 2**20}


def _child(*args: str) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", *args], cwd=ROOT, capture_output=True, text=True)
    if output.returncode != 0:
        raise SystemExit(output.stderr[-3000:])
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("RUEANG_ENV", "test")
    if args.child:
        task, kind, number = args.child
        result = {"prepare": lambda: prepare(kind, int(number)) or {}, "speed": lambda: speed(kind, int(number)),
                  "memory": lambda: peak_memory(kind, int(number))}[task]()
        print(json.dumps(result))
        return
    for kind in args.db.split(","):
        started = time.perf_counter()
        _child("prepare", kind, str(args.cases))
        print(f"{kind}: loaded {args.cases:,} demo cases in {time.perf_counter() - started:.0f} s")
        result = _child("speed", kind, str(args.repeat))
        print(f"{kind:10s} export {result['rows']:,} cases {result['export_s']:.2f} s | xlsxwriter alone "
              f"{result['bare_s']:.2f} s | ratio {result['export_s'] / result['bare_s']:.2f} (target <= 1.3) | "
              f"file {result['size_mb']:.1f} MB")
        small = _child("memory", kind, str(args.small))
        large = _child("memory", kind, str(args.cases))
        print(f"{kind:10s} peak RSS {small['maxrss_mb']:.0f} MB at {small['rows']:,} rows, {large['maxrss_mb']:.0f} MB "
              f"at {large['rows']:,} | difference {large['maxrss_mb'] - small['maxrss_mb']:.1f} MB (target <= 50) | "
              f"Python heap peak during the export {small['heap_peak_mb']:.1f} MB vs {large['heap_peak_mb']:.1f} MB")


if __name__ == "__main__":
    main()

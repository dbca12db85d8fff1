"""The first page of the case list, as an agency officer, at 1,000 and at 1,000,000 cases on
PostgreSQL; and how long loading 1,000,000 demo cases takes.

Targets (issue "The case register"): page at 1M <= 1.5 x page at 1K, and < 60 ms median at 1M;
loading 1M demo cases < 60 s.

    .venv/bin/python benchmarks/case_list.py [--cases 1000000]
"""
from __future__ import annotations

import argparse
import time

from _support import login, make_app, median_ms, scratch_database


def vacuum_analyze() -> None:
    """What autovacuum does to a table soon after a bulk load: statistics and the visibility map
    (so counts can read the index alone)."""
    from app.extensions import db

    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql('VACUUM ANALYZE "case"')


def measure(application, label: str) -> dict:
    client = login(application, "diw.officer")

    def list_page():
        response = client.get("/cases/list/")
        assert response.status_code == 200

    def api_page():
        response = client.get("/api/v1/cases/")
        assert response.status_code == 200

    figures = {"screen_ms": median_ms(list_page), "api_ms": median_ms(api_page)}
    print(f"{label}: list page median {figures['screen_ms']:.1f} ms, API first page median {figures['api_ms']:.1f} ms")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=1_000)
    args = parser.parse_args()

    from app.extensions import db
    from app.services.demo import load_cases

    small_app = make_app(scratch_database("rueang_bench_list_small"))
    with small_app.app_context():
        load_cases(args.small)
        db.session.commit()
        vacuum_analyze()
    small = measure(small_app, f"{args.small:,} cases")

    big_app = make_app(scratch_database("rueang_bench_list_big"))
    with big_app.app_context():
        started = time.perf_counter()
        load_cases(args.cases)
        load_seconds = time.perf_counter() - started
        db.session.commit()
        vacuum_analyze()
    print(f"loading {args.cases:,} demo cases (COPY, events, counters): {load_seconds:.1f} s")
    big = measure(big_app, f"{args.cases:,} cases")

    print(f"ratio list page {args.cases:,} / {args.small:,}: {big['screen_ms'] / small['screen_ms']:.2f} (target <= 1.5)")
    print(f"ratio API page {args.cases:,} / {args.small:,}: {big['api_ms'] / small['api_ms']:.2f}")
    print(f"list page at {args.cases:,}: {big['screen_ms']:.1f} ms median (target < 60 ms)")
    print(f"load of {args.cases:,}: {load_seconds:.1f} s (target < 60 s)")


if __name__ == "__main__":
    main()

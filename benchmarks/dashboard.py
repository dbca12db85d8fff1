"""The dashboards' JSON data at 10,000 and at 1,000,000 demo cases on PostgreSQL, in one run.

Targets (issue "Dashboards"): median < 300 ms at 1M, and at most 3 x the median at 10K.

For each size: load the demo cases (COPY), bring the summaries up to date as the
dashboard-summaries job or `flask dashboards refresh` would, then take the median of 20 requests
(server-side cache off, so every request computes its figures; the two sizes take turns request
by request, so that other load on the machine weighs on both alike) for:
  - the ministry dashboard's data, every agency, no filter;
  - the ministry dashboard's data with a date range, an agency and a kind;
  - an agency manager's dashboard data;
  - the ministry dashboard's data right after one case changed (the read takes in that write);
  - the public transparency data as its visitors get it (cached in process for 30 s).

    .venv/bin/python benchmarks/dashboard.py [--cases 1000000] [--small 10000] [--reuse]
"""
from __future__ import annotations

import argparse
import statistics
import time

from _support import PG_SERVER, login, make_app, scratch_database


def prepare(cases: int, name: str, reuse: bool):
    from app.extensions import db
    from app.services import dashboard_summary
    from app.services.demo import load_cases

    if reuse:
        application = make_app(f"{PG_SERVER}/{name}")
    else:
        application = make_app(scratch_database(name))
    application.config["DASHBOARD_CACHE_SECONDS"] = 0
    with application.app_context():
        loaded = 0.0
        if not reuse:
            started = time.perf_counter()
            load_cases(cases)
            loaded = time.perf_counter() - started
        started = time.perf_counter()
        result = dashboard_summary.refresh(db.session, limit=None)
        db.session.commit()
        refreshed = time.perf_counter() - started
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        total = db.session.execute(db.text('SELECT count(*) FROM "case"')).scalar_one()
    print(f"{total:,} cases: loaded in {loaded:.1f} s; summaries of {result['cells']:,} cells built in "
          f"{refreshed:.1f} s")
    return application


def requests_of(application) -> dict:
    """One call per figure measured, for one database."""
    from app.extensions import db

    ministry = login(application, "ministry")
    manager = login(application, "diw.manager")
    public = application.test_client()
    with application.app_context():
        agency = db.session.execute(db.text("SELECT id FROM agency WHERE code = 'DIW'")).scalar_one()
        newest = db.session.execute(db.text('SELECT max(submitted_at) FROM "case"')).scalar_one()
        case_ids = [row[0] for row in db.session.execute(db.text('SELECT id FROM "case" ORDER BY id DESC LIMIT 60'))]
    last = newest.date()
    filtered = f"/dashboards/ministry/data?from={last.replace(year=last.year - 1, day=15)}&to={last}" \
               f"&agency={agency}&kind=complaint"
    touched = iter(case_ids)

    def get(client, url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, response.status_code
        return call

    def after_a_write():
        with application.app_context():
            db.session.execute(db.text('UPDATE "case" SET priority = CASE WHEN priority = \'high\' THEN \'normal\' '
                                       "ELSE 'high' END WHERE id = :id"), {"id": next(touched)})
            db.session.commit()
        get(ministry, "/dashboards/ministry/data")()

    application.config["PUBLIC_DASHBOARD_CACHE_SECONDS"] = 30
    return {
        "ministry": get(ministry, "/dashboards/ministry/data"),
        "filtered": get(ministry, filtered),
        "agency": get(manager, "/dashboards/agency/data"),
        "after_write": after_a_write,
        "public": get(public, "/transparency/data"),
    }


def interleaved_medians(calls_by_size: dict, repeat: int = 20, warmup: int = 3) -> dict:
    """Median ms per size and figure, the sizes taking turns request by request, so that whatever
    else the machine is doing weighs on both alike."""
    samples = {size: {name: [] for name in calls} for size, calls in calls_by_size.items()}
    names = list(next(iter(calls_by_size.values())))
    for round_ in range(warmup + repeat):
        for name in names:
            for size, calls in calls_by_size.items():
                started = time.perf_counter()
                calls[name]()
                if round_ >= warmup:
                    samples[size][name].append((time.perf_counter() - started) * 1000)
    return {size: {name: statistics.median(values) for name, values in figures.items()}
            for size, figures in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--reuse", action="store_true", help="use the scratch databases a previous run loaded")
    args = parser.parse_args()

    small_app = prepare(args.small, "rueang_bench_dash_small", args.reuse)
    big_app = prepare(args.cases, "rueang_bench_dash_big", args.reuse)
    medians = interleaved_medians({"small": requests_of(small_app), "big": requests_of(big_app)})
    for size, label in (("small", f"{args.small:,} cases"), ("big", f"{args.cases:,} cases")):
        m = medians[size]
        print(f"{label}: ministry data {m['ministry']:.1f} ms, with date/agency/kind filter {m['filtered']:.1f} ms, "
              f"agency manager {m['agency']:.1f} ms, right after a write {m['after_write']:.1f} ms, "
              f"public page data (cached) {m['public']:.2f} ms (medians of 20)")
    for key, name in (("ministry", "ministry data"), ("filtered", "filtered ministry data"),
                      ("agency", "agency data"), ("after_write", "data right after a write")):
        print(f"ratio {name} {args.cases:,} / {args.small:,}: {medians['big'][key] / medians['small'][key]:.2f} "
              f"(target <= 3)")
    print(f"ministry data at {args.cases:,}: {medians['big']['ministry']:.1f} ms median (target < 300 ms)")


if __name__ == "__main__":
    main()

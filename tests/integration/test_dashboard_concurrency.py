"""The dashboards' summaries while other transactions write (PostgreSQL, where writers and a
refresh run side by side; SQLite lets one writer at a time in, so a refresh never sees a write
half-done). A write still open while a refresh runs must reach the figures once it commits."""
from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest
from sqlalchemy import text

from app.domain import dashboard as rules
from app.services.actor import Actor


@pytest.fixture()
def pg_app(app):
    from app.extensions import db

    with app.app_context():
        if db.session.get_bind().dialect.name != "postgresql":
            pytest.skip("writers and a refresh only run side by side on PostgreSQL")
    return app


def _close_case_uncommitted(connection, case_id: int) -> None:
    """What a status change does to the row, left uncommitted on its own connection."""
    connection.execute(text(
        "UPDATE \"case\" SET status = 'resolved', closed_at = :now, version = version + 1 WHERE id = :id"),
        {"now": datetime.now(timezone.utc), "id": case_id})


def _closed_figure(app) -> int:
    from app.extensions import db
    from app.services import dashboard

    with app.app_context():
        data = dashboard.current_figures(db.session, Actor.system("tests"), rules.DashboardFilters())
        db.session.commit()
        return data["tiles"]["closed"]


def _refresh(app) -> dict:
    from app.extensions import db
    from app.services import dashboard_summary

    with app.app_context():
        result = dashboard_summary.refresh(db.session)
        db.session.commit()
        return result


def test_a_write_open_while_a_refresh_runs_reaches_the_figures(pg_app, make_case):
    """The cell of the case was already waiting for a refresh when a writer changed the case;
    the refresh ran before the writer committed. The figures must show the change after."""
    from app.extensions import db

    case = make_case("DIW")  # its cell waits in dashboard_dirty
    with pg_app.app_context():
        writer = db.engine.connect()
    try:
        transaction = writer.begin()
        _close_case_uncommitted(writer, case["id"])
        _refresh(pg_app)  # runs between the writer's change and its commit
        transaction.commit()
    finally:
        writer.close()
    assert _closed_figure(pg_app) == 1


def test_writers_to_one_cell_and_a_refresh_never_wait_for_each_other(pg_app, make_case):
    """Two open writes to cases of the same agency, type and day, and a refresh meanwhile: none
    waits for another (each would otherwise hold up a clerk's save behind a long import or job)."""
    from app.extensions import db

    first, second = make_case("DIW"), make_case("DIW")
    with pg_app.app_context():
        writers = [db.engine.connect(), db.engine.connect()]
    try:
        transactions = [writer.begin() for writer in writers]
        for writer, case in zip(writers, (first, second)):
            writer.execute(text("SET LOCAL lock_timeout = '2s'"))
            _close_case_uncommitted(writer, case["id"])
        refreshed = _refresh(pg_app)
        assert not refreshed["skipped"]
        for transaction in transactions:
            transaction.commit()
    finally:
        for writer in writers:
            writer.close()
    assert _closed_figure(pg_app) == 2


def test_figures_equal_the_case_table_after_writers_and_refreshes_run_side_by_side(pg_app):
    """Three writers closing and reopening random cases while a refresh runs over and over, as the
    job, the pages and a sync batch do at once: afterwards every count is the case table's."""
    import random
    import threading

    from app.extensions import db
    from app.services import dashboard, dashboard_summary
    from app.services.demo import load_cases
    from tests.integration.test_dashboard_changes import sql_counts

    with pg_app.app_context():
        load_cases(400, seed=3)
        dashboard_summary.refresh(db.session, limit=None)
        db.session.commit()
        case_ids = [row[0] for row in db.session.execute(text('SELECT id FROM "case"'))]
    done, failures = threading.Event(), []

    def write(seed: int) -> None:
        chance = random.Random(seed)
        with pg_app.app_context():
            for _ in range(150):
                try:
                    db.session.execute(text(
                        "UPDATE \"case\" SET status = CAST(:status AS varchar), closed_at = CASE WHEN "
                        "CAST(:status AS varchar) IN ('resolved', 'rejected') THEN now() END WHERE id = ANY(:ids)"),
                        {"status": chance.choice(["resolved", "in_progress", "received", "rejected"]),
                         "ids": chance.sample(case_ids, 5)})
                    db.session.execute(text("SELECT pg_sleep(0.005)"))  # the rest of the writer's work
                    db.session.commit()
                except Exception as error:  # noqa: BLE001 - reported below
                    db.session.rollback()
                    failures.append(repr(error))

    def refresh() -> None:
        with pg_app.app_context():
            while not done.is_set():
                dashboard_summary.refresh(db.session)
                db.session.commit()

    writers = [threading.Thread(target=write, args=(seed,)) for seed in range(3)]
    refresher = threading.Thread(target=refresh)
    for thread in (refresher, *writers):
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    refresher.join()
    assert not failures, failures[:3]
    with pg_app.app_context():
        data = dashboard.current_figures(db.session, Actor.system("tests"), rules.DashboardFilters())
        db.session.commit()
    want = sql_counts(pg_app)
    assert {r["status"]: r["count"] for r in data["by_status"] if r["count"]} == want["by_status"]
    for name, value in want["tiles"].items():
        assert data["tiles"][name] == value, name


@pytest.mark.parametrize("options", [["--rebuild"], []])
def test_the_refresh_command_waits_for_a_refresh_under_way_and_then_does_its_work(pg_app, make_case, options):
    """`flask dashboards refresh [--rebuild]` while the job or a page is refreshing: it waits for
    that refresh and then does all its work, instead of skipping it (a rebuild that skipped had
    already emptied every summary)."""
    import threading

    from app.extensions import db
    from app.services import dashboard_summary

    for _ in range(3):
        make_case("DIW")
    _refresh(pg_app)
    make_case("OPS")
    with pg_app.app_context():
        other = db.engine.connect()
    result = {}
    try:
        holding = other.begin()
        other.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": dashboard_summary._LOCK_KEY})
        command = threading.Thread(target=lambda: result.update(
            out=pg_app.test_cli_runner().invoke(args=["dashboards", "refresh", *options])))
        command.start()
        time.sleep(1)
        holding.commit()
        command.join(20)
    finally:
        other.close()
    assert result["out"].exit_code == 0, result["out"].output
    assert '"skipped": false' in result["out"].output.replace("False", "false"), result["out"].output
    with pg_app.app_context():
        assert dashboard_summary.pending(db.session) == 0
        totals = db.session.execute(text(
            "SELECT COALESCE(SUM(n), 0) FROM dashboard_status WHERE grain = 'd'")).scalar_one()
        db.session.rollback()
    assert totals == 4


def test_one_payload_reads_its_figures_from_one_moment(pg_app, make_case, monkeypatch):
    """A refresh that commits while a page is between its queries must not give the page tiles
    from before it and charts from after it: a closed case counted in the weekly chart and not in
    the closed tile, say."""
    from app.extensions import db
    from app.services import dashboard

    case = make_case("DIW")
    _refresh(pg_app)
    with pg_app.app_context():
        other = db.engine.connect()
    original = dashboard._Query.closed_per_day

    def closed_per_day_after_a_refresh_commits(self):
        with other.begin():
            _close_case_uncommitted(other, case["id"])
        _refresh_on(other)
        return original(self)

    monkeypatch.setattr(dashboard._Query, "closed_per_day", closed_per_day_after_a_refresh_commits)
    try:
        with pg_app.app_context():
            data = dashboard.current_figures(db.session, Actor.system("tests"), rules.DashboardFilters())
            db.session.rollback()
    finally:
        other.close()
    assert sum(week["closed"] for week in data["weekly"]) == data["tiles"]["closed"] == data["tiles"]["closed_month"]


def _refresh_on(connection) -> None:
    """A refresh in another connection, as the job's would run."""
    from sqlalchemy.orm import Session

    from app.services import dashboard_summary

    with Session(bind=connection) as session:
        dashboard_summary.refresh(session)
        session.commit()

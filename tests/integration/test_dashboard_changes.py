"""Every dashboard figure against direct SQL over the case table, after each kind of change the
platform makes: a bulk load, a form edit, a move by the API, a forward, a reopen, the SLA-flags
job, an import, a sync run against the simulator, cases deleted, and a bulk load followed by
`flask dashboards refresh`. The ministry dashboard, every agency manager's dashboard and the
public page are read after each."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from app.domain.statuses import CLOSED_STATUSES, OPEN_STATUSES
from tests.conftest import AGENCY_CODES, PASSWORD
from tests.integration.test_dashboards import assert_matches, case_rows, expected, get_json, ids, now_of

OPEN_SQL = ", ".join(f"'{s.value}'" for s in OPEN_STATUSES)
CLOSED_SQL = ", ".join(f"'{s.value}'" for s in CLOSED_STATUSES)


@pytest.fixture()
def live(dash_app):
    """Uncached dashboards; the agencies' sync settings, job runs and unknown statuses put back after."""
    from tests.integration.jobs_support import reset_sync_state

    yield dash_app
    reset_sync_state(dash_app)


def sql_counts(app, agency_id: int | None = None) -> dict:
    """The plain counts, straight from "case" in SQL."""
    from app.extensions import db

    where = "" if agency_id is None else f"WHERE agency_id = {int(agency_id)}"
    with app.app_context():
        run = lambda sql: db.session.execute(text(sql)).all()  # noqa: E731
        counts = {
            "by_status": dict(run(f'SELECT status, count(*) FROM "case" {where} GROUP BY status')),
            "by_agency": dict(run(f'SELECT agency_id, count(*) FROM "case" {where} GROUP BY agency_id')),
            "by_type": dict(run(f'SELECT case_type_id, count(*) FROM "case" {where} GROUP BY case_type_id')),
            "tiles": dict(run(
                f'SELECT \'open\', count(*) FROM "case" WHERE status IN ({OPEN_SQL}) {where.replace("WHERE", "AND")} '
                f'UNION ALL SELECT \'closed\', count(*) FROM "case" WHERE status IN ({CLOSED_SQL}) '
                f'{where.replace("WHERE", "AND")} '
                f'UNION ALL SELECT \'on_time\', count(*) FROM "case" WHERE status IN ({CLOSED_SQL}) '
                f'AND closed_at <= due_at {where.replace("WHERE", "AND")} '
                f'UNION ALL SELECT \'breached\', count(*) FROM "case" WHERE status IN ({OPEN_SQL}) '
                f'AND sla_flag = \'breached\' {where.replace("WHERE", "AND")} '
                f'UNION ALL SELECT \'at_risk\', count(*) FROM "case" WHERE status IN ({OPEN_SQL}) '
                f'AND sla_flag = \'at_risk\' {where.replace("WHERE", "AND")} '
                f'UNION ALL SELECT \'total\', count(*) FROM "case" {where}')),
        }
        db.session.rollback()
    return counts


def check_everything(app, users: dict, step: str) -> None:
    agencies, _ = ids(app)
    rows = case_rows(app)
    ministry = get_json(users["ministry"], "/dashboards/ministry/data")
    assert_matches(ministry, expected(rows, now_of(ministry)))
    whole = sql_counts(app)
    assert {r["status"]: r["count"] for r in ministry["by_status"] if r["count"]} == whole["by_status"], step
    assert {r["agency_id"]: r["count"] for r in ministry["by_agency"]} == whole["by_agency"], step
    assert {r["case_type_id"]: r["count"] for r in ministry["by_type"]} == whole["by_type"], step
    for name, value in whole["tiles"].items():
        assert ministry["tiles"][name] == value, (step, name)
    for code in AGENCY_CODES:
        agency_id = agencies[code]
        data = get_json(users[code], "/dashboards/agency/data")
        assert_matches(data, expected(rows, now_of(data), agency_id=agency_id))
        own = sql_counts(app, agency_id)
        for name, value in own["tiles"].items():
            assert data["tiles"][name] == value, (step, code, name)
        assert {a["agency_id"] for a in data["by_agency"]} <= {agency_id}, (step, code)
        filtered = get_json(users["ministry"], f"/dashboards/ministry/data?agency={agency_id}")
        assert filtered["tiles"] == data["tiles"], (step, code)
    public = users["public"].get("/transparency/data").get_json()
    for key, value in public["tiles"].items():
        assert ministry["tiles"][key] == value, (step, key)
    assert [(r["status"], r["count"]) for r in public["by_status"]] == \
        [(r["status"], r["count"]) for r in ministry["by_status"]], step
    assert [(r["agency_id"], r["count"], r["closed"], r["on_time"]) for r in public["by_agency"]] == \
        [(r["agency_id"], r["count"], r["closed"], r["on_time"]) for r in ministry["by_agency"]], step
    assert [(w["new"], w["closed"]) for w in public["weekly"]] == \
        [(w["new"], w["closed"]) for w in ministry["weekly"]], step
    assert [(p["province"], p["count"]) for p in public["top_provinces"]] == \
        [(p["province"], p["count"]) for p in ministry["top_provinces"]], step


def _first(app, sql: str, **params):
    from app.extensions import db

    with app.app_context():
        row = db.session.execute(text(sql), params).first()
        db.session.rollback()
    return row


def test_figures_match_the_case_table_after_every_kind_of_change(live, browser, client, tmp_path):
    from app.extensions import db
    from app.jobs.runner import run_job
    from app.services.demo import load_cases, load_demo_data
    from app.simulator.server import running_simulator
    from tests.integration.excel_support import legacy_rows, write_register
    from tests.integration.test_excel_import import _run
    from tests.integration.test_scoping import _type_id

    app = live
    agencies, _ = ids(app)
    # A sync run against the simulator, over the demo data set it serves.
    with running_simulator() as sim:
        original = app.config["DEPARTMENTS_URL"]
        app.config["DEPARTMENTS_URL"] = sim.url
        try:
            with app.app_context():
                load_demo_data(case_count=300, password=PASSWORD)
        finally:
            app.config["DEPARTMENTS_URL"] = original
        # The demo data sets the demo accounts' passwords: sign in after it.
        users = {"ministry": browser("ministry"), "public": client}
        users.update({code: browser(f"{code.lower()}.manager") for code in AGENCY_CODES})
        manager = users["DIW"]
        check_everything(app, users, "demo data")
        with app.app_context():
            results = run_job("sync-status")
        assert {r.status for r in results} == {"succeeded"}
    check_everything(app, users, "sync")

    # A form edit that changes the type and the province.
    case = _first(app, 'SELECT id, version FROM "case" WHERE agency_id = :a '
                       'AND status IN (\'received\', \'in_progress\') ORDER BY id LIMIT 1', a=agencies["DIW"])
    form = {"version": case.version, "channel": "web", "priority": "normal", "title": "แก้ไขจากแบบฟอร์ม",
            "case_type": _type_id(app, "DIW-RNG4"), "province": "น่าน"}
    assert manager.post(f"/cases/edit/{case.id}", data=form).status_code == 302
    check_everything(app, users, "form edit")

    # Moves by the API: to work, closed, forwarded, reopened.
    open_case = _first(app, 'SELECT id, status FROM "case" WHERE agency_id = :a '
                            'AND status IN (\'received\', \'in_progress\') ORDER BY id DESC', a=agencies["DIW"])
    if open_case.status == "received":
        assert manager.api("POST", f"/api/v1/cases/{open_case.id}/status",
                           json={"status": "in_progress"}).status_code == 200
    assert manager.api("POST", f"/api/v1/cases/{open_case.id}/status",
                       json={"status": "resolved", "note": "แก้ไขแล้ว"}).status_code == 200
    check_everything(app, users, "API move")
    to_forward = _first(app, 'SELECT id FROM "case" WHERE agency_id = :a '
                             'AND status IN (\'received\', \'in_progress\') ORDER BY id', a=agencies["DIW"])
    assert manager.api("POST", f"/api/v1/cases/{to_forward.id}/forward",
                       json={"agency": "OPS", "note": "ส่งต่อ"}).status_code == 200
    check_everything(app, users, "forward")
    assert manager.api("POST", f"/api/v1/cases/{open_case.id}/reopen", json={"note": "ยังไม่เรียบร้อย"}).status_code == 200
    check_everything(app, users, "reopen")

    # The SLA-flags job.
    with app.app_context():
        db.session.execute(text('UPDATE "case" SET sla_flag = NULL'))
        db.session.commit()
    check_everything(app, users, "flags cleared")
    with app.app_context():
        run_job("sla-flags")
    check_everything(app, users, "sla flags")

    # An import of a register.
    with app.app_context():
        report = _run(write_register(tmp_path / "register.xlsx", legacy_rows()))
        db.session.commit()
    assert report.counts.as_dict()["new"] == 4
    check_everything(app, users, "import")

    # Cases deleted from the table.
    with app.app_context():
        gone = [r.id for r in db.session.execute(text('SELECT id FROM "case" ORDER BY id DESC LIMIT 5'))]
        for table, column in (("case_event", "case_id"), ("case_attachment", "case_id"),
                              ("requester_link", "case_id"), ("case_link", "case_id"), ("case_link", "linked_case_id")):
            db.session.execute(text(f"DELETE FROM {table} WHERE {column} IN ({','.join(map(str, gone))})"))
        db.session.execute(text(f'DELETE FROM "case" WHERE id IN ({",".join(map(str, gone))})'))
        db.session.commit()
    check_everything(app, users, "delete")

    # A bulk load followed by the refresh command.
    with app.app_context():
        load_cases(400, seed=29)
    result = app.test_cli_runner().invoke(args=["dashboards", "refresh"])
    assert result.exit_code == 0, result.output
    check_everything(app, users, "bulk load")
    result = app.test_cli_runner().invoke(args=["dashboards", "refresh", "--rebuild"])
    assert result.exit_code == 0, result.output
    check_everything(app, users, "rebuild")


def test_bangkok_day_month_and_week_boundaries(live, browser, make_case):
    """Cases half an hour either side of a Bangkok midnight that is a UTC evening: the first of
    this month, this Monday, and the first of a past month; whole-month and partial ranges."""
    from datetime import datetime, timedelta, timezone

    from app.domain import dashboard as rules
    from app.domain.local_time import start_of_local_day
    from app.extensions import db
    from app.models import Case
    from tests.integration.test_dashboards import list_count

    now = datetime.now(timezone.utc)
    periods = rules.periods_at(now)
    past_month = (periods.month_date - timedelta(days=70)).replace(day=1)
    midnights = [periods.month, periods.week, start_of_local_day(past_month)]
    made = []
    for midnight in midnights:
        for shift in (-30, 30):
            moment = midnight + timedelta(minutes=shift)
            if moment > now:
                continue
            made.append((make_case("DIW", province="ตาก")["id"], moment))
    with live.app_context():
        for n, (case_id, moment) in enumerate(made):
            row = db.session.get(Case, case_id)
            row.submitted_at = moment - timedelta(days=3) if n % 2 else moment
            if n % 2:  # closed at the boundary, submitted before it
                row.status, row.closed_at, row.due_at = "resolved", moment, moment + timedelta(days=1)
        db.session.commit()
    rows = case_rows(live)
    user = browser("ministry")
    last_of_past = (past_month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    ranges = [(None, None), (past_month, last_of_past), (past_month - timedelta(days=1), last_of_past),
              (past_month, past_month), (periods.month_date, None), (None, periods.month_date - timedelta(days=1)),
              (periods.week_date, periods.today_date)]
    for first, last in ranges:
        query = "&".join(f"{k}={v.isoformat()}" for k, v in (("from", first), ("to", last)) if v)
        data = get_json(user, f"/dashboards/ministry/data?{query}")
        assert_matches(data, expected(rows, now_of(data), date_from=first, date_to=last))
        for tile in ("total", "new_today", "new_week", "closed_month", "closed"):
            assert list_count(user, data["links"][tile]) == data["tiles"][tile], (first, last, tile)
        for week in data["weekly"][-12:]:
            if week["new"] or week["closed"]:
                assert list_count(user, week["new_href"]) == week["new"], (first, last, week["week"])
                assert list_count(user, week["closed_href"]) == week["closed"], (first, last, week["week"])

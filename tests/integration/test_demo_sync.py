"""demo-data points the agencies at the simulator and gives its cases the simulator's references,
so a sync run moves demo cases, as it does under `make run`."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.jobs.runner import run_job
from app.models import Agency, Case, CaseEvent
from app.services import demo_sync
from app.services.demo import load_demo_data
from app.simulator.server import running_simulator
from tests.conftest import PASSWORD
from tests.integration.jobs_support import reset_sync_state


@pytest.fixture(autouse=True)
def no_sync_settings(app):
    yield
    reset_sync_state(app)


def references(app, agency: str) -> dict[int, str]:
    with app.app_context():
        rows = db.session.execute(select(Case.id, Case.external_ref).join(Agency, Agency.id == Case.agency_id)
                                  .where(Agency.code == agency, Case.external_ref.is_not(None))).all()
        db.session.rollback()
        return dict(rows)


def test_the_most_recent_cases_take_the_simulators_references(app, make_case):
    old = make_case("DIW", external_ref="DIW-EXT-000001")["id"]
    older = make_case("DIW", external_ref="DIW-EXT-000002")["id"]
    recent = [make_case("DIW", external_ref=f"DIW-EXT-{i:06d}")["id"] for i in (7, 8, 9)]
    other = make_case("DIW", external_ref="LEGACY-1")["id"]
    with app.app_context():
        db.session.execute(text('UPDATE "case" SET submitted_at = :at WHERE id IN (:a, :b)'),
                           {"at": "2024-01-01 00:00:00", "a": old, "b": older})
        db.session.commit()
        aligned = demo_sync.align_demo_references(db.session, cases_per_agency=3, traffy_tickets=0)
        db.session.commit()
    assert aligned["DIW"] == 3
    refs = references(app, "DIW")
    assert sorted(refs[i] for i in recent) == ["DIW-EXT-000001", "DIW-EXT-000002", "DIW-EXT-000003"]
    assert sorted((refs[old], refs[older])) != ["DIW-EXT-000001", "DIW-EXT-000002"]
    assert refs[other] == "LEGACY-1"
    assert len(set(refs.values())) == len(refs)


def test_demo_cases_move_when_synced_with_the_simulator(app):
    with running_simulator() as sim:  # the demo's data set: 40 cases per agency, 30 Traffy tickets
        original = app.config["DEPARTMENTS_URL"]
        app.config["DEPARTMENTS_URL"] = sim.url
        try:
            with app.app_context():
                summary = load_demo_data(case_count=800, password=PASSWORD)
        finally:
            app.config["DEPARTMENTS_URL"] = original
        assert summary["sync_configured"] == ["DIPROM", "DIW", "DPIM", "OPS", "TISI"]
        with app.app_context():
            agencies = {a.code: a for a in db.session.execute(select(Agency)).scalars()}
            assert agencies["OPS"].connector_kind == "traffy"
            assert agencies["OPS"].connector_settings["base_url"] == f"{sim.url}/traffy/exchange-api"
            assert agencies["DIW"].connector_settings == {"base_url": f"{sim.url}/rest/DIW", "token": "sim-token"}
            assert agencies["DIW"].status_map["resolved"] == "resolved"
            assert {(a.sync_enabled, a.sync_interval_minutes) for a in agencies.values()} == {(True, 1)}
            db.session.rollback()
            results = run_job("sync-status")
        assert {r.agency: r.status for r in results} == dict.fromkeys(["DIPROM", "DIW", "DPIM", "OPS", "TISI"],
                                                                      "succeeded")
        with app.app_context():
            moved = dict(db.session.execute(
                select(Agency.code, func.count(func.distinct(CaseEvent.case_id)))
                .join(Case, Case.id == CaseEvent.case_id).join(Agency, Agency.id == Case.agency_id)
                .where(CaseEvent.source == "sync").group_by(Agency.code)).all())
            db.session.rollback()
        assert set(moved) == {"DIPROM", "DIW", "DPIM", "OPS", "TISI"}, moved
        # Every case the simulator serves has its demo case (those opened "later" have no update yet).
        assert all(r.errors == 0 for r in results), [(r.agency, r.message) for r in results]
        assert moved["OPS"] >= 20 and all(moved[code] >= 25 for code in ("DIPROM", "DIW", "DPIM", "TISI"))
        assert "TF-000001" in references(app, "OPS").values()
        with app.app_context():
            # The demo's own staff moves stand: every case a person moved carries when, and no
            # update dated before that moved it back.
            undone = db.session.execute(text(
                'SELECT count(*) FROM case_event e JOIN "case" c ON c.id = e.case_id '
                "WHERE e.source = 'sync' AND e.from_status IS NOT NULL AND e.at < c.moved_on_platform_at"
            )).scalar_one()
            staff_moved = db.session.execute(text(
                'SELECT count(*) FROM "case" c WHERE c.moved_on_platform_at IS NULL AND EXISTS (SELECT 1 FROM '
                "case_event e WHERE e.case_id = c.id AND e.kind = 'status' AND e.source = 'screen')")).scalar_one()
            db.session.rollback()
        assert (undone, staff_moved) == (0, 0)


def test_the_simulators_references_go_to_open_cases_before_closed_ones(app, make_case):
    """The simulator's updates begin a case's life; given to a case closed long ago, they reopen it."""
    closed = make_case("DIW", external_ref="DIW-EXT-000001")
    opened = [make_case("DIW") for _ in range(2)]
    with app.app_context():
        db.session.execute(text("UPDATE \"case\" SET status = 'resolved' WHERE id = :id"), {"id": closed["id"]})
        db.session.commit()
        demo_sync.align_demo_references(db.session, cases_per_agency=2, traffy_tickets=0)
        db.session.commit()
    refs = references(app, "DIW")
    assert sorted(refs[case["id"]] for case in opened) == ["DIW-EXT-000001", "DIW-EXT-000002"]
    assert refs.get(closed["id"]) not in ("DIW-EXT-000001", "DIW-EXT-000002")

"""The sync-status job against the departmental-system simulator over loopback.

One simulator serves the module, empty (tests add the cases they need through its control API)
and on the wall clock, so updates a few hours old are visible at once. Runs go through the jobs
runner, as `flask jobs run sync-status` does: job lock, run record, one transaction.
"""
from __future__ import annotations

import functools
import socket
from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlalchemy import create_engine, select, text, update

from app.domain import sla as sla_rules
from app.domain.local_time import local_date
from app.extensions import db
from app.jobs import sync_status as sync_job
from app.jobs.runner import run_job
from app.models import Agency, Case, CaseEvent, JobRun, UnknownExternalStatus
from app.services import sla as sla_service
from app.services.sync_status import sync_agency
from app.simulator.server import running_simulator
from tests.integration.jobs_support import reset_sync_state

FAST = {"timeout": 0.4, "max_retries": 1, "backoff": 0.01}


@pytest.fixture(scope="module")
def sim():
    with running_simulator(populate=False) as server:
        yield server


@pytest.fixture(autouse=True)
def fresh(app, sim):
    control(sim, "reset", {"empty": True})
    reset_sync_state(app)
    yield
    reset_sync_state(app)


# ---- helpers ---------------------------------------------------------------------------------

NOW = datetime.now(UTC).replace(microsecond=0)


def ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


def control(sim, name: str, payload=None) -> dict:
    answer = requests.post(f"{sim.url}/_control/{name}", json=payload, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def feed(sim, reference: str, *updates: tuple[str, datetime], agency: str = "DIW", system: str = "rest",
         note: str | None = None) -> None:
    """Updates (status, time) for one reference of one departmental system."""
    control(sim, "cases", [{"agency": agency, "reference": reference, "system": system, "updates": [
        {"status": status, "at": at.isoformat(), "note": note or f"{status} note"} for status, at in updates]}])


def configure(app, sim, agency: str = "DIW", *, kind: str = "rest_json", status_map=None, **settings) -> None:
    base = sim.traffy_url if kind == "traffy" else sim.rest_url(agency)
    with app.app_context():
        db.session.execute(update(Agency).where(Agency.code == agency).values(
            connector_kind=kind, connector_settings={"base_url": base, "token": sim.token, **FAST, **settings},
            status_map=status_map, sync_enabled=True, sync_interval_minutes=1))
        db.session.commit()


def make_cases(app, make_case, agency: str, *references: str, submitted_days_ago: int = 20) -> dict[str, int]:
    """Cases carrying those departmental references, submitted some working days ago."""
    ids = {reference: make_case(agency, external_ref=reference)["id"] for reference in references}
    submitted = NOW - timedelta(days=submitted_days_ago)
    with app.app_context():
        db.session.execute(update(Case).where(Case.id.in_(ids.values())).values(
            submitted_at=submitted, sla_started_at=submitted))
        db.session.commit()
    return ids


def sync(app, agency: str | None = "DIW", **options):
    with app.app_context():
        results = run_job("sync-status", agency, options=options)
    return results[0] if agency else results


def last_run(app) -> JobRun:
    with app.app_context():
        run = db.session.execute(select(JobRun).order_by(JobRun.id.desc())).scalars().first()
        db.session.expunge_all()
        db.session.rollback()
        return run


def case_row(app, case_id: int) -> dict:
    with app.app_context():
        case = db.session.get(Case, case_id)
        row = {c.name: getattr(case, c.name) for c in Case.__table__.columns}
        db.session.rollback()
        return row


def sync_events(app, case_id: int | None = None) -> list[dict]:
    with app.app_context():
        stmt = select(CaseEvent).where(CaseEvent.source == "sync").order_by(CaseEvent.case_id, CaseEvent.at,
                                                                              CaseEvent.id)
        if case_id is not None:
            stmt = stmt.where(CaseEvent.case_id == case_id)
        rows = [{c.name: getattr(e, c.name) for c in CaseEvent.__table__.columns}
                for e in db.session.execute(stmt).scalars()]
        db.session.rollback()
        return rows


def cursor_of(app, agency: str = "DIW"):
    with app.app_context():
        value = db.session.execute(select(Agency.sync_cursor).where(Agency.code == agency)).scalar_one()
        db.session.rollback()
        return value


def snapshot(app) -> tuple:
    """Everything a run may change: cases, events, the agencies' cursors, unknown statuses."""
    with app.app_context():
        cases = db.session.execute(text('SELECT * FROM "case" ORDER BY id')).all()
        events = db.session.execute(text("SELECT * FROM case_event ORDER BY id")).all()
        agencies = db.session.execute(text("SELECT code, sync_cursor, last_synced_at FROM agency ORDER BY id")).all()
        unknown = db.session.execute(text("SELECT * FROM unknown_external_status ORDER BY id")).all()
        db.session.rollback()
        return cases, events, agencies, unknown


# ---- the happy path ----------------------------------------------------------------------------

def test_statuses_move_with_timeline_events_from_sync(app, sim, make_case):
    ids = make_cases(app, make_case, "DIW", "DIW-EXT-000001", "DIW-EXT-000002")
    feed(sim, "DIW-EXT-000001", ("received", ago(30)), ("in_progress", ago(29)), ("resolved", ago(5)))
    feed(sim, "DIW-EXT-000002", ("in_progress", ago(28)))
    configure(app, sim)

    result = sync(app)

    assert (result.status, result.fetched, result.changed, result.errors) == ("succeeded", 4, 3, 0)
    first, second = case_row(app, ids["DIW-EXT-000001"]), case_row(app, ids["DIW-EXT-000002"])
    assert (first["status"], second["status"]) == ("resolved", "in_progress")
    assert first["closed_at"] == ago(5) and first["first_response_at"] == ago(29)
    assert first["external_updated_at"] == ago(5)
    events = sync_events(app, ids["DIW-EXT-000001"])
    assert [(e["kind"], e["from_status"], e["to_status"], e["at"]) for e in events] == [
        ("status", None, "received", ago(30)),
        ("status", "received", "in_progress", ago(29)),
        ("status", "in_progress", "resolved", ago(5)),
    ]
    assert {e["actor_label"] for e in events} == {"sync:rest_json"}
    assert events[-1]["origin"] == "rest_json:DIW-EXT-000001:3"
    assert events[-1]["external_id"] == "DIW-EXT-000001:3"
    assert events[-1]["note"] == "resolved note" and events[-1]["public"] is False
    run = last_run(app)
    assert (run.job, run.status, run.fetched, run.changed, run.errors) == ("sync-status", "succeeded", 4, 3, 0)
    assert run.details["events_written"] == 4
    assert cursor_of(app) == ago(5)


def test_a_pause_while_the_applicant_is_awaited_moves_the_due_date(app, sim, make_case):
    ids = make_cases(app, make_case, "DIW", "DIW-EXT-000001", "DIW-EXT-000002", submitted_days_ago=30)
    feed(sim, "DIW-EXT-000001", ("in_progress", ago(29 * 24)))
    feed(sim, "DIW-EXT-000002", ("in_progress", ago(29 * 24)), ("waiting_applicant", ago(21 * 24)),
         ("in_progress", ago(7 * 24)))
    configure(app, sim)
    assert sync(app).status == "succeeded"

    plain, paused = case_row(app, ids["DIW-EXT-000001"]), case_row(app, ids["DIW-EXT-000002"])
    with app.app_context():
        cal = sla_service.calendar(db.session)
        expected_pause = sla_rules.paused_working_days([(ago(21 * 24), ago(7 * 24))], cal, NOW)
        db.session.rollback()
    assert expected_pause >= 8
    assert paused["paused_days"] == expected_pause and paused["paused_since"] is None
    assert cal.working_days_between(local_date(plain["due_at"]),
                                    local_date(paused["due_at"])) == expected_pause
    assert plain["sla_flag"] == "breached" and paused["sla_flag"] in ("at_risk", "on_track", "breached")
    assert paused["sla_flag"] == str(sla_rules.sla_flag(
        datetime.now(UTC), paused["sla_started_at"], 15, expected_pause, cal))


def test_a_case_waiting_on_its_applicant_is_paused_until_now(app, sim, make_case):
    ids = make_cases(app, make_case, "DIW", "DIW-EXT-000001")
    feed(sim, "DIW-EXT-000001", ("waiting_applicant", ago(48)))
    configure(app, sim)
    sync(app)
    row = case_row(app, ids["DIW-EXT-000001"])
    assert (row["status"], row["paused_since"], row["paused_days"]) == ("waiting_applicant", ago(48), 0)


def test_a_moved_case_gets_a_new_version_so_stale_forms_are_refused(app, sim, make_case):
    ids = make_cases(app, make_case, "DIW", "DIW-EXT-000001", "DIW-EXT-000002")
    feed(sim, "DIW-EXT-000001", ("in_progress", ago(2)))
    feed(sim, "DIW-EXT-000002", ("received", ago(2)))  # same status: touched, not moved
    configure(app, sim)
    before = case_row(app, ids["DIW-EXT-000002"])
    sync(app)
    assert case_row(app, ids["DIW-EXT-000001"])["version"] == 2
    after = case_row(app, ids["DIW-EXT-000002"])
    assert (after["version"], after["updated_at"]) == (before["version"], before["updated_at"])
    assert after["external_updated_at"] == ago(2)


# ---- idempotence and order ---------------------------------------------------------------------

def test_the_same_updates_twice_make_one_event_each(app, sim, make_case):
    ids = make_cases(app, make_case, "DIW", "DIW-EXT-000001")
    feed(sim, "DIW-EXT-000001", ("in_progress", ago(3)), ("waiting_applicant", ago(2)), ("in_progress", ago(0.05)))
    configure(app, sim)
    first = sync(app)
    row = case_row(app, ids["DIW-EXT-000001"])
    second = sync(app)  # the overlap re-reads the last update
    third = sync(app, catch_up="yes")  # the wide window re-reads all of them
    assert (first.changed, second.changed, third.changed) == (3, 0, 0)
    assert second.fetched == 1 and third.fetched == 3
    assert len(sync_events(app, ids["DIW-EXT-000001"])) == 3
    assert case_row(app, ids["DIW-EXT-000001"]) == row
    assert last_run(app).details["catch_up"] is True


def test_duplicated_updates_within_and_across_pages_make_one_event(app, sim, make_case):
    references = [f"DIW-EXT-{i:06d}" for i in range(1, 7)]
    ids = make_cases(app, make_case, "DIW", *references)
    for n, reference in enumerate(references):
        feed(sim, reference, ("in_progress", ago(10 - n)), ("resolved", ago(4 - n * 0.1)))
    control(sim, "faults", {"mode": "duplicates", "items": 3})
    configure(app, sim, page_size=4)
    result = sync(app)
    assert result.status == "succeeded" and result.fetched > 12
    assert len(sync_events(app)) == 12
    assert last_run(app).details["repeated"] + last_run(app).details["stale"] == result.fetched - 12
    assert {case_row(app, i)["status"] for i in ids.values()} == {"resolved"}


def test_an_older_update_never_overwrites_a_newer_status(app, sim, make_case, monkeypatch):
    ids = make_cases(app, make_case, "DIW", "DIW-EXT-000001", "DIW-EXT-000002")
    # Served newest first: the in_progress of each case arrives after its resolved.
    feed(sim, "DIW-EXT-000001", ("in_progress", ago(3)), ("resolved", ago(2)))
    feed(sim, "DIW-EXT-000002", ("in_progress", ago(3)), ("resolved", ago(2)))
    control(sim, "faults", {"mode": "out_of_order"})
    configure(app, sim)
    # Each update a batch of its own: the older one is applied after the newer was written.
    monkeypatch.setattr(sync_job, "sync_agency", functools.partial(sync_agency, batch_size=1))
    assert sync(app).status == "succeeded"
    for case_id in ids.values():
        row = case_row(app, case_id)
        assert (row["status"], row["external_updated_at"]) == ("resolved", ago(2))
        # Events sort by time: the older update keeps its place, without a "from".
        assert [(e["from_status"], e["to_status"]) for e in sync_events(app, case_id)] == [
            (None, "in_progress"), ("received", "resolved")]

    # A later run brings an update older than the one applied: its event, no change.
    control(sim, "faults", {"mode": "off"})
    feed(sim, "DIW-EXT-000001", ("waiting_applicant", ago(2.05)))
    result = sync(app)
    assert (result.status, result.changed) == ("succeeded", 0)
    assert case_row(app, ids["DIW-EXT-000001"])["status"] == "resolved"
    assert (None, "waiting_applicant") in [(e["from_status"], e["to_status"])
                                           for e in sync_events(app, ids["DIW-EXT-000001"])]
    assert last_run(app).details["stale"] >= 1


def test_the_departmental_system_may_reopen_a_case_it_closed(app, sim, make_case):
    ids = make_cases(app, make_case, "DIW", "DIW-EXT-000001")
    feed(sim, "DIW-EXT-000001", ("resolved", ago(5)), ("in_progress", ago(1)), ("forwarded", ago(0.5)))
    configure(app, sim)
    sync(app)
    row = case_row(app, ids["DIW-EXT-000001"])
    assert (row["status"], row["reopen_count"], row["closed_at"]) == ("in_progress", 1, None)
    kinds = [(e["kind"], e["from_status"], e["to_status"]) for e in sync_events(app, ids["DIW-EXT-000001"])]
    assert kinds == [("status", "received", "resolved"), ("reopen", "resolved", "in_progress"),
                     ("status", None, "forwarded")]


# ---- what sync cannot use --------------------------------------------------------------------

def test_unknown_references_and_statuses_are_recorded_not_fatal(app, sim, make_case):
    ids = make_cases(app, make_case, "DIW", "DIW-EXT-000001", "DIW-EXT-000002")
    feed(sim, "DIW-EXT-000001", ("APPROVED", ago(3)))
    feed(sim, "DIW-EXT-000002", ("ON_HOLD", ago(3)), ("ON_HOLD", ago(2)))
    control(sim, "faults", {"mode": "unknown_refs", "items": 2})
    configure(app, sim, status_map={"APPROVED": "resolved"})
    result = sync(app)
    assert result.status == "succeeded"
    assert case_row(app, ids["DIW-EXT-000001"])["status"] == "resolved"
    assert case_row(app, ids["DIW-EXT-000002"])["status"] == "received"
    assert sync_events(app, ids["DIW-EXT-000002"]) == []
    assert result.errors == 4  # two unknown references, two unknown statuses
    details = last_run(app).details
    assert (details["unknown_refs"], details["unmapped"], details["unknown_statuses"]) == (2, 2, ["ON_HOLD"])
    assert details["unknown_ref_examples"][0].startswith("DIW-UNKNOWN-")
    with app.app_context():
        (seen,) = db.session.execute(select(UnknownExternalStatus)).scalars()
        assert (seen.external_status, seen.count, seen.example_ref, seen.last_seen) == (
            "ON_HOLD", 2, "DIW-EXT-000002", ago(2))
        db.session.rollback()

    # Read again through the overlap, the same updates are not tallied twice; a new one is.
    control(sim, "faults", {"mode": "off"})
    feed(sim, "DIW-EXT-000002", ("ON_HOLD", ago(0.01)))
    sync(app, catch_up="yes")
    with app.app_context():
        assert db.session.execute(select(UnknownExternalStatus.count)).scalar_one() == 3
        db.session.rollback()

    # Once an administrator maps it, the very next run (not only the nightly catch-up) reads back
    # to the first update that carried it and applies it; the record of the unknown status goes.
    sync(app)
    assert case_row(app, ids["DIW-EXT-000002"])["status"] == "received"
    configure(app, sim, status_map={"APPROVED": "resolved", "ON_HOLD": "waiting_applicant"})
    result = sync(app)
    assert result.changed == 1
    assert last_run(app).details["remapped"] == ["ON_HOLD"]
    assert last_run(app).details["since"] <= (ago(3) - timedelta(minutes=10)).isoformat()
    assert case_row(app, ids["DIW-EXT-000002"])["status"] == "waiting_applicant"
    with app.app_context():
        assert db.session.execute(select(UnknownExternalStatus)).first() is None
        db.session.rollback()
    # And the run after it reads from its cursor again.
    sync(app)
    assert last_run(app).details["remapped"] == []
    assert last_run(app).details["since"] > ago(1).isoformat()


def test_an_unusable_status_map_fails_the_run_with_its_reason(app, sim, make_case):
    make_cases(app, make_case, "DIW", "DIW-EXT-000001")
    feed(sim, "DIW-EXT-000001", ("in_progress", ago(3)))
    configure(app, sim, status_map={"APPROVED": "approved"})
    result = sync(app)
    assert result.status == "failed"
    assert "status map" in result.message and "'approved'" in result.message


def test_traffy_tickets_move_ops_cases_with_public_notes(app, sim, make_case):
    ids = make_cases(app, make_case, "OPS", "TF-000001", "TF-000002")
    feed(sim, "TF-000001", ("start", ago(30)), ("inprogress", ago(20)), ("finish", ago(2)),
         agency="OPS", system="traffy", note="ทีมงานลงพื้นที่แล้ว")
    feed(sim, "TF-000002", ("start", ago(30)), ("รอตรวจสอบพิเศษ", ago(3)), agency="OPS", system="traffy")
    configure(app, sim, "OPS", kind="traffy")
    result = sync(app, "OPS")
    assert result.status == "succeeded", result.message
    assert case_row(app, ids["TF-000001"])["status"] == "resolved"
    events = sync_events(app, ids["TF-000001"])
    assert [e["to_status"] for e in events] == ["received", "in_progress", "resolved"]
    assert all(e["public"] for e in events) and events[-1]["note"] == "ทีมงานลงพื้นที่แล้ว"
    assert events[-1]["actor_label"] == "sync:traffy"
    assert case_row(app, ids["TF-000002"])["status"] == "received"
    assert last_run(app).details["unknown_statuses"] == ["รอตรวจสอบพิเศษ"]


def test_a_traffy_note_with_personal_data_stays_off_the_status_page(app, sim, make_case, client):
    """Traffy Fondue's notes are published as they come; one giving the requester's name and
    mobile number showed them on the public status page. Now it is kept on the staff timeline."""
    case = make_case("OPS", external_ref="TF-000011", requester_name="นางสาวมาลี ศรีสุข")
    feed(sim, "TF-000011", ("inprogress", ago(3)), agency="OPS", system="traffy",
         note="เจ้าหน้าที่โทรหาคุณมาลี 089 123 4567 แล้ว")
    feed(sim, "TF-000012", ("inprogress", ago(3)), agency="OPS", system="traffy", note="ทีมงานลงพื้นที่แล้ว")
    other = make_case("OPS", external_ref="TF-000012", requester_name="นายสมศักดิ์ ทองดี")
    configure(app, sim, "OPS", kind="traffy")
    assert sync(app, "OPS").status == "succeeded"
    kept, = sync_events(app, case["id"])
    assert kept["note"] == "เจ้าหน้าที่โทรหาคุณมาลี 089 123 4567 แล้ว" and kept["public"] is False
    assert sync_events(app, other["id"])[0]["public"] is True
    page = client.get(f"/track/{case['tracking_code']}").get_data(as_text=True)
    assert "089 123 4567" not in page and "มาลี" not in page
    assert "ทีมงานลงพื้นที่แล้ว" in client.get(f"/track/{other['tracking_code']}").get_data(as_text=True)


def test_a_ticket_forwarded_to_another_agency_is_still_followed(app, sim, make_case):
    """OPS takes a Traffy Fondue complaint and forwards it to DIW: the ticket keeps moving in
    Traffy, and OPS's sync keeps following it, on the case DIW now holds."""
    from app.services import cases
    from app.services.actor import Actor

    ids = make_cases(app, make_case, "OPS", "TF-000007")
    with app.app_context():
        cases.forward_case(Actor.system("tests"), ids["TF-000007"], "DIW", note="เป็นเรื่องของโรงงาน")
        # Forwarded a week ago: the ticket's moves below came after it.
        db.session.execute(update(Case).where(Case.id == ids["TF-000007"]).values(moved_on_platform_at=ago(7 * 24)))
        db.session.commit()
    # DIW's own system may use the same number for something else: it is another system's number.
    own = make_case("DIW", external_ref="TF-000007")["id"]
    feed(sim, "TF-000007", ("inprogress", ago(5)), ("finish", ago(1)), agency="OPS", system="traffy",
         note="โรงงานแก้ไขแล้ว")
    configure(app, sim, "OPS", kind="traffy")
    result = sync(app, "OPS")
    assert result.status == "succeeded", result.message
    forwarded = case_row(app, ids["TF-000007"])
    assert forwarded["agency_id"] == case_row(app, own)["agency_id"]  # DIW holds both now
    assert forwarded["status"] == "resolved"
    assert [e["to_status"] for e in sync_events(app, ids["TF-000007"])] == ["in_progress", "resolved"]
    assert last_run(app).details["unknown_refs"] == 0
    assert case_row(app, own)["status"] == "received" and sync_events(app, own) == []


def test_an_update_older_than_a_move_made_on_the_platform_does_not_undo_it(app, sim, make_case):
    """An officer closed the case an hour ago; the departmental system, behind, says it was in
    progress three hours ago. The officer's close stands; the update is on the timeline."""
    from app.services import cases
    from app.services.actor import Actor

    ids = make_cases(app, make_case, "DIW", "DIW-EXT-000042")
    with app.app_context():
        cases.change_status(Actor.system("tests"), ids["DIW-EXT-000042"], "resolved")
    feed(sim, "DIW-EXT-000042", ("in_progress", ago(3)))
    configure(app, sim, "DIW")
    assert sync(app, "DIW").status == "succeeded"
    row = case_row(app, ids["DIW-EXT-000042"])
    assert (row["status"], row["reopen_count"]) == ("resolved", 0) and row["closed_at"] is not None
    assert [e["to_status"] for e in sync_events(app, ids["DIW-EXT-000042"])] == ["in_progress"]
    assert last_run(app).details["stale"] == 1


# ---- faults: the run fails, nothing changes, the next run applies everything once --------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _prepare_feed(app, sim, make_case, count: int = 8) -> dict[str, int]:
    references = [f"DIW-EXT-{i:06d}" for i in range(1, count + 1)]
    ids = make_cases(app, make_case, "DIW", *references)
    for n, reference in enumerate(references):
        feed(sim, reference, ("in_progress", ago(6 - n * 0.1)), ("resolved", ago(3 - n * 0.1)))
    return ids


def _assert_failed_and_untouched(app, result, before, *words):
    assert result.status == "failed"
    for word in words:
        assert word in result.message, result.message
    assert "Nothing of this run was applied" in result.message
    run = last_run(app)
    assert (run.status, run.message) == ("failed", result.message)
    assert snapshot(app) == before


def _assert_recovers(app, sim, ids):
    control(sim, "faults", {"mode": "off"})
    result = sync(app)
    assert (result.status, result.changed) == ("succeeded", 2 * len(ids)), result.message
    assert len(sync_events(app)) == 2 * len(ids)
    assert {case_row(app, i)["status"] for i in ids.values()} == {"resolved"}
    assert sync(app).changed == 0


@pytest.mark.parametrize("fault, words", [
    ({"mode": "error500"}, ["did not answer", "HTTP 500", "after 2 attempts"]),
    ({"mode": "timeout", "delay": 1.0}, ["did not answer", "no answer within 0.4 s"]),
    ({"mode": "slow", "delay": 1.0}, ["did not answer", "no answer within"]),
    ({"mode": "malformed"}, ["broken answer", "malformed JSON"]),
    ({"mode": "truncated", "variant": "short"}, ["broken answer", "truncated page"]),
    ({"mode": "truncated", "variant": "cut"}, ["broken answer"]),
    ({"mode": "auth"}, ["refused our credentials", "401"]),
], ids=lambda value: value.get("mode", "") + value.get("variant", "") if isinstance(value, dict) else "")
def test_a_failing_departmental_system_changes_nothing(app, sim, make_case, fault, words):
    ids = _prepare_feed(app, sim, make_case)
    configure(app, sim)
    before = snapshot(app)
    control(sim, "faults", fault)
    _assert_failed_and_untouched(app, sync(app), before, *words)
    _assert_recovers(app, sim, ids)


def test_a_departmental_system_that_is_down_changes_nothing(app, sim, make_case):
    ids = _prepare_feed(app, sim, make_case)
    configure(app, sim, base_url=f"http://127.0.0.1:{_free_port()}/rest/DIW")
    before = snapshot(app)
    _assert_failed_and_untouched(app, sync(app), before, "did not answer", "cannot connect")
    configure(app, sim)
    _assert_recovers(app, sim, ids)


def test_a_few_500s_are_retried_within_the_run(app, sim, make_case):
    ids = _prepare_feed(app, sim, make_case)
    configure(app, sim, max_retries=2)
    control(sim, "faults", {"mode": "error500", "count": 2})
    result = sync(app)
    assert (result.status, result.changed) == ("succeeded", 2 * len(ids))


@pytest.fixture()
def between_batches(monkeypatch):
    """Runs the job with small pages and batches, calling `hook(n)` after each written batch."""
    hooks = []
    monkeypatch.setattr(sync_job, "sync_agency", functools.partial(
        sync_agency, batch_size=2, between_batches=lambda n: [hook(n) for hook in hooks]))
    return hooks


@pytest.mark.parametrize("fault", [
    {"mode": "truncated", "variant": "disconnect"},
    {"mode": "malformed"},
    {"mode": "error500"},
], ids=lambda fault: fault["mode"])
def test_a_fault_half_way_through_rolls_back_the_batches_already_written(app, sim, make_case, between_batches, fault):
    ids = _prepare_feed(app, sim, make_case, count=10)
    configure(app, sim, page_size=2)
    before = snapshot(app)
    written = []

    def break_the_feed(n):
        written.append(n)
        if n == 1:
            control(sim, "faults", fault)

    between_batches.append(break_the_feed)
    result = sync(app)
    assert written and written[0] == 1
    _assert_failed_and_untouched(app, result, before, "departmental system")
    between_batches.clear()
    _assert_recovers(app, sim, ids)


def test_the_database_going_away_mid_run_rolls_the_run_back(app, sim, make_case, between_batches):
    ids = _prepare_feed(app, sim, make_case, count=10)
    configure(app, sim, page_size=2)
    before = snapshot(app)

    def kill_the_connection(n):
        if n != 2:
            return
        if db.session.get_bind().dialect.name != "postgresql":
            from sqlalchemy.exc import OperationalError

            raise OperationalError("SELECT 1", {}, Exception("the database went away"))
        pid = db.session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
        killer = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], isolation_level="AUTOCOMMIT")
        with killer.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        killer.dispose()

    between_batches.append(kill_the_connection)
    result = sync(app)
    _assert_failed_and_untouched(app, result, before, "The database failed during the run")
    between_batches.clear()
    _assert_recovers(app, sim, ids)


# ---- per agency ----------------------------------------------------------------------------------

def test_one_agencys_failure_does_not_stop_the_others(app, sim, make_case):
    diw = make_cases(app, make_case, "DIW", "DIW-EXT-000001")
    tisi = make_cases(app, make_case, "TISI", "TISI-EXT-000001")
    feed(sim, "DIW-EXT-000001", ("in_progress", ago(2)))
    feed(sim, "TISI-EXT-000001", ("in_progress", ago(2)), agency="TISI")
    configure(app, sim, "DIW", base_url=f"http://127.0.0.1:{_free_port()}/rest/DIW")
    configure(app, sim, "TISI")
    results = {r.agency: r for r in sync(app, None)}
    assert set(results) == {"DIW", "TISI"}
    assert (results["DIW"].status, results["TISI"].status) == ("failed", "succeeded")
    assert case_row(app, tisi["TISI-EXT-000001"])["status"] == "in_progress"
    assert case_row(app, diw["DIW-EXT-000001"])["status"] == "received"


def test_an_agency_without_a_connector_fails_clearly(app):
    with app.app_context():
        results = run_job("sync-status", "DPIM")
    assert results[0].status == "failed"
    assert "no departmental system configured" in results[0].message


def test_the_command_line_runs_a_catch_up(app, sim, make_case):
    make_cases(app, make_case, "DIW", "DIW-EXT-000001")
    feed(sim, "DIW-EXT-000001", ("in_progress", ago(2)))
    configure(app, sim)
    runner = app.test_cli_runner()
    out = runner.invoke(args=["jobs", "run", "sync-status", "--agency", "DIW", "--option", "catch_up=yes"])
    assert out.exit_code == 0, out.output
    assert '"status": "succeeded"' in out.output.splitlines()[-1]
    assert last_run(app).details["catch_up"] is True
    bad = runner.invoke(args=["jobs", "run", "sync-status", "--agency", "DIW", "--option", "catch_up"])
    assert bad.exit_code == 2


def test_a_case_saved_by_an_officer_during_the_run_is_not_overwritten(app, sim, make_case, monkeypatch):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite lets one writer in at a time: an officer's save waits for the run")
    from app.domain.status_sync import SyncDecider

    ids = make_cases(app, make_case, "DIW", "DIW-EXT-000001")
    feed(sim, "DIW-EXT-000001", ("resolved", ago(2)))
    configure(app, sim)
    plan = SyncDecider.plan

    def officer_saves_first(self, updates, cases, recorded=frozenset()):
        other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with other.begin() as connection:
            connection.execute(text("UPDATE \"case\" SET status = 'in_progress', version = version + 1 "
                                    "WHERE id = :id"), {"id": ids["DIW-EXT-000001"]})
        other.dispose()
        return plan(self, updates, cases, recorded)

    monkeypatch.setattr(SyncDecider, "plan", officer_saves_first)
    result = sync(app)
    assert result.status == "failed" and "changed by someone else" in result.message
    row = case_row(app, ids["DIW-EXT-000001"])
    assert (row["status"], row["version"], row["external_updated_at"]) == ("in_progress", 2, None)
    assert sync_events(app) == []
    monkeypatch.setattr(SyncDecider, "plan", plan)
    assert sync(app).changed == 1
    assert case_row(app, ids["DIW-EXT-000001"])["status"] == "resolved"


def test_a_note_the_database_could_not_store_does_not_block_the_run(app, sim, make_case):
    ids = make_cases(app, make_case, "DIW", "DIW-EXT-000001")
    feed(sim, "DIW-EXT-000001", ("in_progress", ago(2)), note="ตรวจแล้ว\x00")
    configure(app, sim)
    assert sync(app).status == "succeeded"
    assert sync_events(app, ids["DIW-EXT-000001"])[0]["note"] == "ตรวจแล้ว"


def test_sync_never_dates_a_case_before_it_was_received(app, sim, make_case):
    ids = make_cases(app, make_case, "DIW", "DIW-EXT-000001", "DIW-EXT-000002", submitted_days_ago=1)
    feed(sim, "DIW-EXT-000001", ("in_progress", ago(96)), ("resolved", ago(72)))
    feed(sim, "DIW-EXT-000002", ("waiting_applicant", ago(72)))
    configure(app, sim)
    assert sync(app).status == "succeeded"
    closed, waiting = case_row(app, ids["DIW-EXT-000001"]), case_row(app, ids["DIW-EXT-000002"])
    received = closed["submitted_at"]
    assert closed["status"] == "resolved"
    assert closed["closed_at"] == closed["first_response_at"] == received
    assert waiting["paused_since"] == waiting["first_response_at"] == waiting["submitted_at"]
    assert {event["at"] for event in sync_events(app, ids["DIW-EXT-000001"])} == {received}
    # The departmental times still order the updates.
    assert closed["external_updated_at"] == ago(72)


def unknown_rows(app) -> list[tuple[str, int]]:
    with app.app_context():
        rows = db.session.execute(select(UnknownExternalStatus.external_status, UnknownExternalStatus.count)
                                  .order_by(UnknownExternalStatus.external_status)).all()
        db.session.rollback()
        return [tuple(row) for row in rows]


def test_a_status_with_a_nul_character_does_not_block_the_agency(app, sim, make_case):
    ids = make_cases(app, make_case, "DIW", "DIW-EXT-000001", "DIW-EXT-000002")
    feed(sim, "DIW-EXT-000001", ("in_progress", ago(3)))
    feed(sim, "DIW-EXT-000002", ("on\x00hold", ago(2)), ("in_\x01progress", ago(1)))
    configure(app, sim)
    result = sync(app)
    assert result.status == "succeeded", result.message
    # Shown as an administrator can type it into the map; a control character hid a known status.
    assert last_run(app).details["unknown_statuses"] == ["onhold"]
    for _ in range(2):
        result = sync(app, catch_up="yes")
        assert result.status == "succeeded", result.message
    assert case_row(app, ids["DIW-EXT-000001"])["status"] == "in_progress"
    assert cursor_of(app) == ago(1)
    assert unknown_rows(app) == [("onhold", 1)]
    assert case_row(app, ids["DIW-EXT-000002"])["status"] == "in_progress"

    # Mapped as shown, the update is applied.
    configure(app, sim, status_map={"onhold": "waiting_applicant"})
    feed(sim, "DIW-EXT-000001", ("on\x00hold", ago(0.5)))
    assert sync(app).status == "succeeded"
    assert case_row(app, ids["DIW-EXT-000001"])["status"] == "waiting_applicant"
    assert unknown_rows(app) == []


def test_a_reference_with_a_nul_character_does_not_block_the_agency(app, sim, make_case):
    ids = make_cases(app, make_case, "DIW", "DIW-EXT-000001", "DIW-EXT-000002")
    feed(sim, "DIW-EXT-000001", ("in_progress", ago(3)))
    feed(sim, "DIW-\x00GHOST", ("in_progress", ago(2)))
    feed(sim, "DIW-EXT-\x00000002", ("ON_HOLD", ago(2)))
    configure(app, sim)
    for _ in range(3):
        result = sync(app)
        assert result.status == "succeeded", result.message
    assert case_row(app, ids["DIW-EXT-000001"])["status"] == "in_progress"
    details = last_run(app).details
    assert details["unknown_ref_examples"] == ["DIW-GHOST"]
    with app.app_context():
        assert db.session.execute(select(UnknownExternalStatus.example_ref)).scalar_one() == "DIW-EXT-000002"
        db.session.rollback()


def test_a_late_published_unknown_status_is_listed_for_the_administrators(app, sim, make_case):
    make_cases(app, make_case, "DIW", "DIW-EXT-000001", "DIW-EXT-000002")
    feed(sim, "DIW-EXT-000001", ("in_progress", ago(1)))
    configure(app, sim)
    assert sync(app).status == "succeeded" and cursor_of(app) == ago(1)
    # Published after that run, dated before its cursor: read through the overlap.
    feed(sim, "DIW-EXT-000002", ("ON_HOLD", ago(1) - timedelta(minutes=5)))
    assert sync(app).status == "succeeded"
    assert last_run(app).details["unknown_statuses"] == ["ON_HOLD"]
    assert unknown_rows(app) == [("ON_HOLD", 1)]
    # Read again by the next run's overlap and by the nightly catch-up, it is still one update.
    sync(app)
    sync(app, catch_up="yes")
    assert last_run(app).details["unknown_statuses"] == ["ON_HOLD"]
    assert unknown_rows(app) == [("ON_HOLD", 1)]
    # One published late and dated before anything recorded is counted, found by the catch-up.
    feed(sim, "DIW-EXT-000001", ("ON_HOLD", ago(30)))
    sync(app, catch_up="yes")
    assert unknown_rows(app) == [("ON_HOLD", 2)]
    with app.app_context():
        seen = db.session.execute(select(UnknownExternalStatus)).scalar_one()
        assert (seen.first_seen, seen.last_seen, seen.example_ref) == (
            ago(30), ago(1) - timedelta(minutes=5), "DIW-EXT-000002")
        db.session.rollback()


def test_an_update_dated_in_the_future_does_not_push_the_cursor_past_now(app, sim, make_case):
    ids = make_cases(app, make_case, "DIW", "DIW-EXT-000001", "DIW-EXT-000002")
    # One update dated a day ahead (a clock set wrong, a mistyped date): the system serves it now.
    control(sim, "clock", {"advance": 26 * 3600})
    feed(sim, "DIW-EXT-000001", ("in_progress", ago(2)), ("resolved", NOW + timedelta(days=1)))
    configure(app, sim)
    result = sync(app)
    assert result.status == "succeeded", result.message
    assert cursor_of(app) == ago(2)
    first = case_row(app, ids["DIW-EXT-000001"])
    assert (first["status"], first["external_updated_at"]) == ("in_progress", ago(2))
    assert last_run(app).details["future"] == 1
    assert "1 dated in the future" in last_run(app).message

    # Later updates of that case and of others are applied; the future one still waits.
    feed(sim, "DIW-EXT-000002", ("in_progress", ago(0)))
    feed(sim, "DIW-EXT-000001", ("waiting_applicant", ago(0)))
    assert sync(app).status == "succeeded"
    assert cursor_of(app) == ago(0) <= datetime.now(UTC)
    assert case_row(app, ids["DIW-EXT-000002"])["status"] == "in_progress"
    assert case_row(app, ids["DIW-EXT-000001"])["status"] == "waiting_applicant"
    assert last_run(app).details["future"] == 1
    assert [e["to_status"] for e in sync_events(app, ids["DIW-EXT-000001"])] == ["in_progress", "waiting_applicant"]

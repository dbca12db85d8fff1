"""Demo cases as loaded: each timeline reaches the case's status through moves the workflow
allows, at times within the case's dates, by the actors the screens would name; the SLA fields,
the SLA job, the dashboards' summaries and the public status page agree with those timelines."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select, text

from app.domain import workflow
from app.domain.local_time import local_date
from app.domain.statuses import CLOSED_STATUSES, EventKind, Status

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=timezone.utc)
MOVES = {EventKind.STATUS, EventKind.REOPEN, EventKind.FORWARD_IN}


@pytest.fixture()
def loaded(app):
    """1,200 demo cases loaded as of NOW; returns their rows and their events in timeline order."""
    from app.extensions import db
    from app.models import Case, CaseEvent
    from app.services.demo import load_cases

    with app.app_context():
        load_cases(1200, seed=31, now=NOW)
        cases = {row.id: row for row in db.session.execute(select(Case.__table__)).all()}
        events = defaultdict(list)
        for event in db.session.execute(select(CaseEvent.__table__).order_by(CaseEvent.case_id, CaseEvent.at,
                                                                              CaseEvent.id)).all():
            events[event.case_id].append(event)
    return cases, events


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def test_every_timeline_reaches_its_cases_status_through_allowed_moves(loaded):
    cases, events = loaded
    assert {case.status for case in cases.values()} == set(Status)
    for case_id, case in cases.items():
        timeline = events[case_id]
        assert timeline[0].kind == EventKind.CREATED and timeline[0].to_status == Status.RECEIVED
        status = Status.RECEIVED
        for event in timeline[1:]:
            if event.kind == EventKind.STATUS:
                workflow.check_transition(status, event.to_status)
            elif event.kind == EventKind.REOPEN:
                workflow.check_reopen(status)
            if event.kind in MOVES:
                assert event.from_status == status, (case.tracking_code, event)
                status = event.to_status
        assert status == case.status, case.tracking_code
        assert sum(e.kind == EventKind.REOPEN for e in timeline) == case.reopen_count


def test_times_are_ordered_and_within_the_cases_dates(loaded):
    cases, events = loaded
    for case_id, case in cases.items():
        timeline = events[case_id]
        submitted = _utc(case.submitted_at)
        times = [_utc(e.at) for e in timeline]
        assert times[0] == submitted and submitted <= min(times) and max(times) <= NOW
        assert _utc(case.updated_at) == max(times)
        moved = [_utc(e.at) for e in timeline if e.kind in MOVES]
        if case.status == Status.RECEIVED:
            assert not moved and case.first_response_at is None
            continue
        assert moved[0] == _utc(case.first_response_at)
        if case.status in CLOSED_STATUSES:
            assert moved[-1] == _utc(case.closed_at)
            assert [e.kind for e in timeline if _utc(e.at) > _utc(case.closed_at)] in ([], [EventKind.RATING])
        else:
            assert case.closed_at is None


def test_events_name_the_demo_accounts_and_the_public_as_the_screens_do(app, loaded):
    from app.extensions import db
    from app.models import Agency, StaffUser

    cases, events = loaded
    with app.app_context():
        users = {u.id: (u.username, u.agency_id) for u in db.session.execute(select(StaffUser)).scalars()}
        agency_codes = dict(db.session.execute(select(Agency.id, Agency.code)).all())
    seen = set()
    for case_id, case in cases.items():
        for event in events[case_id]:
            assert event.actor_label and event.actor_label != "demo-data"
            if event.actor_id is not None:
                username, agency_id = users[event.actor_id]
                assert event.actor_label == username
                acting_for = event.from_agency_id if event.kind.startswith("forward") else (
                    event.to_agency_id if event.kind == EventKind.CREATED else case.agency_id)
                assert agency_id == acting_for and username.startswith(agency_codes[agency_id].lower() + ".")
                assert event.source == ("import" if username.endswith(".clerk") else "screen")
            else:
                assert (event.actor_label, event.source) in {("public", "public"), ("requester (private link)", "public")}
            # What the screens write: the created event and the rating are not public, every move is.
            assert event.public == (event.kind not in (EventKind.CREATED, EventKind.RATING))
            seen.add((event.kind, event.actor_label.split(".")[-1]))
    assert {("created", "public"), ("created", "clerk"), ("created", "officer"), ("status", "officer"),
            ("status", "manager"), ("rating", "requester (private link)"), ("forward_in", "officer")} <= seen


def test_forwarded_cases_come_from_another_agency_and_keep_its_code(app, loaded):
    from app.extensions import db
    from app.models import Agency

    cases, events = loaded
    with app.app_context():
        codes = dict(db.session.execute(select(Agency.id, Agency.code)).all())
    forwarded = [case for case in cases.values() if case.status == Status.FORWARDED]
    assert forwarded
    for case in forwarded:
        created, out, in_ = events[case.id]
        assert (out.kind, in_.kind) == (EventKind.FORWARD_OUT, EventKind.FORWARD_IN)
        assert created.to_agency_id == in_.from_agency_id != in_.to_agency_id == case.agency_id
        assert case.tracking_code.startswith(codes[created.to_agency_id] + "-")
        # Its clock started when it arrived.
        assert _utc(case.sla_started_at) == _utc(in_.at) == _utc(case.first_response_at)
    others = [case for case in cases.values() if case.status != Status.FORWARDED]
    assert all(case.tracking_code.startswith(codes[case.agency_id] + "-") for case in others)
    assert all(_utc(case.sla_started_at) == _utc(case.submitted_at) for case in others)


def test_a_forwarded_case_is_under_the_type_forwarding_gives_whatever_it_was_filed_as(app):
    """Seed 3 forwards a factory expansion request and a poor-service complaint, which
    forwarding puts under DIW's licence request and OPS's general complaint."""
    from app.domain.demo_corpus import generate_cases
    from app.extensions import db
    from app.models import Case, CaseType
    from app.services.cases import receiving_type
    from app.services.demo import load_cases

    filed_as = [case["case_type_code"] for case in generate_cases(300, seed=3, now=NOW)
                if case["status"] == Status.FORWARDED]
    assert {"DIW-EXPANSION", "OPS-SERVICE"} <= set(filed_as)
    with app.app_context():
        before = db.session.execute(select(func.coalesce(func.max(Case.id), 0))).scalar_one()
        load_cases(300, seed=3, now=NOW)
        forwarded = db.session.execute(
            select(Case.agency_id, Case.kind, CaseType.code)
            .join(CaseType, CaseType.id == Case.case_type_id)
            .where(Case.id > before, Case.status == Status.FORWARDED)).all()
        assert len(forwarded) == len(filed_as)
        for agency_id, kind, code in forwarded:
            assert code == receiving_type(db.session, agency_id, kind).code
        assert {"DIW-RNG4", "OPS-GENERAL"} <= {code for _, _, code in forwarded}


def test_sla_fields_follow_the_timeline_and_the_sla_job_agrees(app, loaded):
    from app.extensions import db
    from app.services import sla as sla_service
    from app.services.sla_flags import recompute_open_cases

    cases, events = loaded
    with app.app_context():
        calendar = sla_service.calendar(db.session)
    waiting = paused_closed = reopened = 0
    for case in cases.values():
        timeline = events[case.id]
        waits = [i for i, e in enumerate(timeline) if e.to_status == Status.WAITING_APPLICANT and e.kind in MOVES]
        if case.status == Status.WAITING_APPLICANT:
            waiting += 1
            assert _utc(case.paused_since) == _utc(timeline[waits[-1]].at)
        else:
            assert case.paused_since is None
        # The clock stands still while the applicant is awaited and while the case is closed: each
        # wait that ended and each closing followed by a reopening counts its working days.
        stood_still, wait_day, closed_day = 0, None, None
        for event in (e for e in timeline if e.kind in MOVES):
            day = local_date(_utc(event.at))
            if wait_day is not None and event.from_status == Status.WAITING_APPLICANT:
                stood_still += calendar.working_days_between(wait_day, day)
                wait_day = None
            if closed_day is not None and event.from_status in CLOSED_STATUSES:
                stood_still += calendar.working_days_between(closed_day, day)
                closed_day = None
            if event.to_status == Status.WAITING_APPLICANT:
                wait_day = day
            if event.to_status in CLOSED_STATUSES:
                closed_day = day
        assert case.paused_days == stood_still, case.tracking_code
        paused_closed += bool(waits) and case.status != Status.WAITING_APPLICANT and stood_still > 0
        reopened += case.reopen_count > 0 and stood_still > 0
    assert waiting and paused_closed and reopened
    with app.app_context():
        result = recompute_open_cases(db.session, NOW)
        db.session.rollback()
    assert result.open_cases > 0 and result.changed == 0


def test_the_dashboards_summaries_match_the_cases(app, loaded):
    from app.extensions import db
    from app.services import dashboard_summary

    with app.app_context():
        dashboard_summary.refresh(db.session, limit=None)
        db.session.commit()
        direct = set(db.session.execute(text(
            "SELECT agency_id, case_type_id, status, COALESCE(sla_flag, ''), count(*), "
            "SUM(CASE WHEN status IN ('resolved', 'rejected', 'cancelled') AND closed_at <= due_at THEN 1 ELSE 0 END), "
            'count(satisfaction) FROM "case" GROUP BY 1, 2, 3, 4')).all())
        summary = set(db.session.execute(text(
            "SELECT agency_id, case_type_id, status, sla_flag, SUM(n), SUM(on_time), SUM(ratings) "
            "FROM dashboard_status WHERE grain = 'm' GROUP BY 1, 2, 3, 4")).all())
    assert summary == direct and len(direct) > 50


def test_the_public_status_page_shows_the_status_being_reached(app, loaded):
    from app.services import public_status

    cases, _events = loaded
    by_status = {}
    for case in cases.values():
        by_status.setdefault(case.status, case)
    with app.app_context():
        for status, case in by_status.items():
            found = public_status.find(case.tracking_code)
            reached = [entry.to_status for entry in found.entries if entry.to_status]
            assert reached[-1] == status, (status, found.entries)
            if status != Status.RECEIVED:
                assert len(reached) >= 2


def test_the_case_page_names_each_actor_in_the_readers_language(app, loaded, browser):
    cases, events = loaded
    from app.extensions import db
    from app.models import Agency

    with app.app_context():
        diw = db.session.execute(select(Agency.id).where(Agency.code == "DIW")).scalar_one()
    web = next(c for c in cases.values() if c.agency_id == diw and c.channel == "web" and c.status == "resolved"
               and c.satisfaction is not None)
    officer = browser("diw.officer")
    page = officer.get(f"/cases/show/{web.id}").get_data(as_text=True)
    assert "ผู้ร้องเรียนผ่านแบบฟอร์มออนไลน์" in page and "ผู้ยื่นเรื่อง (ลิงก์ส่วนตัว)" in page
    assert "diw.officer" in page and "demo-data" not in page
    officer.get("/lang/en")
    english = officer.get(f"/cases/show/{web.id}").get_data(as_text=True)
    assert "Complainant (online form)" in english and "Requester (private link)" in english

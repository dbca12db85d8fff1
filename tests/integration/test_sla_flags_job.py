"""The sla-flags job: its set-based SQL gives exactly what the pure SLA rules give."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from app.domain import sla as sla_rules
from app.domain.local_time import local_date
from app.domain.jobs import RunStatus
from app.domain.statuses import Status
from app.extensions import db
from app.models import Case, CaseType, ExtraHoliday
from app.services import sla as sla_service
from app.services import sla_flags as sla_flags_service
from tests.integration.jobs_support import (
    case_clocks, case_types, clear_job_runs, dialect, insert_cases, job_runs, run, utc,
)

VARIED_TYPES = [(1, 0.8), (3, 0.5), (10, 0.7), (15, 0.8), (30, 0.9), (60, 0.33), (7, 1.0), (5, 0.2)]
OPEN = [Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING_APPLICANT, Status.FORWARDED]


def _varied_cases(agency_id: int, type_ids: list[int], count: int, now: datetime, seed: int) -> list[dict]:
    """Clocks started over the five months before ``now`` (New Year and Songkran included), at any
    hour (so across Bangkok's midnight), some paused, some waiting on the applicant now."""
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        started = now - timedelta(minutes=rng.randrange(-24 * 60, 150 * 24 * 60))
        submitted = started - timedelta(minutes=rng.randrange(0, 30 * 24 * 60)) if rng.random() < 0.5 else started
        status = rng.choice(OPEN)
        paused_since = None
        if status == Status.WAITING_APPLICANT and rng.random() < 0.85:
            paused_since = started + (now - started) * rng.random()
        rows.append({
            "agency_id": agency_id, "case_type_id": rng.choice(type_ids), "status": status.value,
            "submitted_at": submitted, "sla_started_at": started if submitted != started else rng.choice([None, started]),
            "paused_days": rng.choice([0, 0, 0, 1, 2, 5, 12]), "paused_since": paused_since,
            # Stale or missing values the job must put right.
            "due_at": rng.choice([None, started]), "sla_flag": rng.choice([None, "on_track", "breached"]),
        })
    return rows


def _expected(session, now: datetime) -> dict[int, tuple]:
    """What app.services.sla.refresh (the pure rules) says for every open case."""
    cal = sla_service.calendar(session)
    expected = {}
    cases = session.execute(select(Case).where(Case.status.in_([s.value for s in OPEN]))).scalars().all()
    for case in cases:
        case_type = session.get(CaseType, case.case_type_id)
        start = case.sla_started_at or case.submitted_at
        paused = case.paused_days
        if case.paused_since is not None:
            paused += sla_rules.paused_working_days([(case.paused_since, None)], cal, now)
        expected[case.id] = (
            sla_rules.due_at(start, case_type.sla_days, paused, cal),
            sla_rules.sla_flag(now, start, case_type.sla_days, paused, cal, case_type.at_risk_share),
        )
    return expected


@pytest.mark.parametrize("now", [utc(2025, 4, 20, 3, 0), utc(2025, 1, 2, 18, 30)],
                         ids=["after-songkran", "bangkok-new-year-week"])
def test_the_job_gives_what_the_pure_rules_give(app, now):
    with case_types(app, VARIED_TYPES) as (agency_id, type_ids):
        insert_cases(app, _varied_cases(agency_id, type_ids, 400, now, seed=now.day))
        [result] = run(app, "sla-flags", now=now)
        assert result.status == RunStatus.SUCCEEDED, result.message
        assert result.fetched == 400
        with app.app_context():
            expected = _expected(db.session, now)
            db.session.rollback()
        actual = case_clocks(app)
        mismatches = {case_id: (actual[case_id], want) for case_id, want in expected.items()
                      if actual[case_id] != want}
        assert not mismatches, f"{len(mismatches)} of {len(expected)} differ, e.g. {list(mismatches.items())[:3]}"
        flags = {flag for _, flag in expected.values()}
        assert flags == {"on_track", "at_risk", "breached"}, "the sample should exercise every flag"

        [again] = run(app, "sla-flags", now=now)
        assert again.status == RunStatus.SUCCEEDED and again.changed == 0, "a second run has nothing to change"


def _one_case(app, type_id, agency_id, **fields):
    insert_cases(app, [{"agency_id": agency_id, "case_type_id": type_id, "status": "in_progress", **fields}])
    with app.app_context():
        case_id = db.session.execute(select(Case.id).order_by(Case.id.desc())).scalars().first()
        db.session.rollback()
    return case_id


def _due_date(app, case_id) -> date:
    due_at, _flag = case_clocks(app)[case_id]
    return local_date(due_at - timedelta(microseconds=1))


def test_the_last_instant_of_a_bangkok_day_is_that_day(app):
    """SQLite rounded 23:59:59.9996 Bangkok to the next millisecond, the next day, before taking
    the date: the job's due date was a working day later than the pure rules' (and the page's)."""
    now = utc(2025, 6, 10, 3, 0)
    submitted = utc(2025, 6, 4, 16, 59, 59) + timedelta(microseconds=999_600)  # Wed 4 Jun, 23:59:59.9996
    with case_types(app, [(10, 0.8)]) as (agency_id, [type_id]):
        insert_cases(app, [{"agency_id": agency_id, "case_type_id": type_id, "status": "in_progress",
                            "submitted_at": submitted}])
        run(app, "sla-flags", now=now)
        [(due, flag)] = case_clocks(app).values()
        with app.app_context():
            calendar = sla_service.calendar(db.session)
            db.session.rollback()
        assert due == sla_rules.due_at(submitted, 10, 0, calendar)
        assert flag == str(sla_rules.sla_flag(now, submitted, 10, 0, calendar, 0.8))


def test_a_case_waiting_on_its_applicant_has_its_due_date_pushed_back(app):
    # Opened Monday 16 June 2025, 09:00 Bangkok; target 10 working days: due Monday 30 June.
    opened = utc(2025, 6, 16, 2, 0)
    with case_types(app, [(10, 0.8)]) as (agency_id, [type_id]):
        running = _one_case(app, type_id, agency_id, submitted_at=opened)
        paused = _one_case(app, type_id, agency_id, submitted_at=opened, status="waiting_applicant",
                           paused_since=utc(2025, 6, 18, 3, 0))
        run(app, "sla-flags", now=utc(2025, 6, 25, 5, 0))
        assert _due_date(app, running) == date(2025, 6, 30)
        # Waiting since Wednesday 18th: 19, 20, 23, 24, 25 June stood still, so due 5 working days later.
        assert _due_date(app, paused) == date(2025, 7, 7)
        clocks = case_clocks(app)
        assert clocks[running][1] == "on_track" and clocks[paused][1] == "on_track"
        # On 27 June the running case has used 9 of 10 days (at risk); the paused one 2.
        run(app, "sla-flags", now=utc(2025, 6, 27, 5, 0))
        clocks = case_clocks(app)
        assert clocks[running][1] == "at_risk" and clocks[paused][1] == "on_track"
        assert _due_date(app, paused) == date(2025, 7, 9)
        # 1 July 00:00 Bangkok: the running case is breached.
        run(app, "sla-flags", now=utc(2025, 6, 30, 17, 0))
        assert case_clocks(app)[running][1] == "breached"


def test_closed_cases_keep_their_flag(app):
    with case_types(app, [(3, 0.8)]) as (agency_id, [type_id]):
        closed = _one_case(app, type_id, agency_id, status="resolved", submitted_at=utc(2025, 1, 6, 2, 0),
                           closed_at=utc(2025, 1, 7, 2, 0), due_at=utc(2025, 1, 9, 17, 0), sla_flag="on_track")
        run(app, "sla-flags", now=utc(2025, 6, 1, 2, 0))
        assert case_clocks(app)[closed] == (utc(2025, 1, 9, 17, 0), "on_track")


def test_an_extra_holiday_added_on_the_admin_screen_moves_due_dates_at_the_next_run(app, browser):
    opened = utc(2025, 6, 16, 2, 0)
    with case_types(app, [(10, 0.8)]) as (agency_id, [type_id]):
        case_id = _one_case(app, type_id, agency_id, submitted_at=opened)
        run(app, "sla-flags", now=utc(2025, 6, 17, 2, 0))
        assert _due_date(app, case_id) == date(2025, 6, 30)

        admin = browser("admin")
        response = admin.post("/extra-holidays/add", data={"day": "2025-06-20", "name_th": "วันหยุดพิเศษทดสอบ",
                                                           "name_en": "Test special holiday"})
        assert response.status_code == 302
        with app.app_context():
            assert db.session.execute(select(ExtraHoliday.day)).scalars().all() == [date(2025, 6, 20)]
            row = db.session.execute(text("SELECT is_working FROM calendar_day WHERE day = :d"),
                                     {"d": date(2025, 6, 20)}).scalar_one()
            db.session.rollback()
        assert not row, "the calendar table is rebuilt as the holiday is saved"

        run(app, "sla-flags", now=utc(2025, 6, 17, 2, 5))
        assert _due_date(app, case_id) == date(2025, 7, 1)

        with app.app_context():
            holiday_id = db.session.execute(select(ExtraHoliday.id)).scalar_one()
            db.session.rollback()
        assert admin.post(f"/extra-holidays/delete/{holiday_id}").status_code == 302
        run(app, "sla-flags", now=utc(2025, 6, 17, 2, 10))
        assert _due_date(app, case_id) == date(2025, 6, 30)


def test_a_holiday_change_that_bypassed_the_screen_is_still_picked_up(app):
    """The job checks the calendar table against the holidays before every run."""
    with case_types(app, [(10, 0.8)]) as (agency_id, [type_id]):
        case_id = _one_case(app, type_id, agency_id, submitted_at=utc(2025, 6, 16, 2, 0))
        with app.app_context():
            db.session.add(ExtraHoliday(day=date(2025, 6, 20), name_th="วันหยุดพิเศษ", name_en="Special holiday"))
            db.session.commit()
        [result] = run(app, "sla-flags", now=utc(2025, 6, 17, 2, 0))
        assert _due_date(app, case_id) == date(2025, 7, 1)
        assert result.status == RunStatus.SUCCEEDED


def _kill_connection(session) -> None:
    """The database going away under the job, mid-transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
    else:
        session.connection().connection.dbapi_connection.close()


@pytest.mark.parametrize("failure", ["error", "connection-lost"])
def test_a_failure_mid_run_rolls_everything_back_is_recorded_and_the_next_run_works(app, monkeypatch, failure):
    clear_job_runs(app)
    opened = utc(2025, 6, 16, 2, 0)
    with case_types(app, [(10, 0.8)]) as (agency_id, [type_id]):
        case_ids = [_one_case(app, type_id, agency_id, submitted_at=opened, sla_flag="on_track",
                              due_at=utc(2030, 1, 1)) for _ in range(3)]
        before = case_clocks(app)
        original = sla_flags_service.flag_counts

        def fail_after_the_update(session):
            if failure == "error":
                raise RuntimeError("disk full while writing flags")
            _kill_connection(session)
            return original(session)

        monkeypatch.setattr(sla_flags_service, "flag_counts", fail_after_the_update)
        [failed] = run(app, "sla-flags", now=utc(2025, 7, 10, 2, 0))
        assert failed.status == RunStatus.FAILED
        assert case_clocks(app) == before, "no flag of the failed run is left behind"
        [record] = job_runs(app, "sla-flags")
        assert record.status == "failed" and record.finished_at is not None
        assert record.message and ("disk full" in record.message if failure == "error" else record.message)

        monkeypatch.setattr(sla_flags_service, "flag_counts", original)
        [ok] = run(app, "sla-flags", now=utc(2025, 7, 10, 2, 5))
        assert ok.status == RunStatus.SUCCEEDED and ok.changed == 3
        clocks = case_clocks(app)
        assert all(clocks[case_id][1] == "breached" for case_id in case_ids)


def test_runs_are_recorded_with_counts(app):
    clear_job_runs(app)
    with case_types(app, [(10, 0.8)]) as (agency_id, [type_id]):
        _one_case(app, type_id, agency_id, submitted_at=utc(2025, 6, 16, 2, 0))
        run(app, "sla-flags", now=utc(2025, 6, 17, 2, 0))
    [record] = job_runs(app, "sla-flags")
    assert (record.status, record.fetched, record.changed, record.errors) == ("succeeded", 1, 1, 0)
    assert record.agency_id is None and record.finished_at >= record.started_at
    assert record.details["flags"] == {"on_track": 1}
    assert dialect(app) in record.runner or ":" in record.runner

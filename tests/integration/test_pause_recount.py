"""An extra holiday added (or removed) inside a pause that has already ended leaves the due date
where it was: the paused working days are counted again from the case's timeline."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select

from app.domain.local_time import local_date
from app.extensions import db
from app.models import Case, CaseEvent, ExtraHoliday
from app.services import cases
from app.services.actor import Actor
from tests.integration.jobs_support import case_types, insert_cases, job_runs, run, utc

# Bangkok is UTC+7: 03:00 UTC is 10:00 in Bangkok, the same day.
OPENED = utc(2025, 6, 2, 2, 0)        # Monday 2 June 2025 (Tuesday 3 June is a public holiday)
PAUSED = utc(2025, 6, 4, 3, 0)        # Wednesday 4 June: waiting on the applicant
RESUMED = utc(2025, 6, 10, 3, 0)      # Tuesday 10 June: 5, 6, 9 and 10 June stood still
NOW = utc(2025, 6, 16, 3, 0)
HOLIDAY = "2025-06-05"                # Thursday 5 June, inside the pause
OUTSIDE = "2025-06-12"                # Thursday 12 June, after it


@pytest.fixture()
def paused_case(app, monkeypatch):
    """A 10-working-day case paused and resumed by an officer's moves, on the dates above."""
    clock = {"now": OPENED}
    monkeypatch.setattr(cases, "utcnow", lambda: clock["now"])
    actor = Actor.system("tests")
    with case_types(app, [(10, 0.8)]) as (_agency_id, [type_id]):
        with app.app_context():
            case = cases.create_case(actor, {"title": "รอเอกสารจากผู้ยื่นคำขอ", "case_type_id": type_id})
            case_id = case.id
            for at, status in ((PAUSED, "waiting_applicant"), (RESUMED, "in_progress")):
                clock["now"] = at
                cases.change_status(actor, case_id, status)
        yield case_id
        with app.app_context():
            db.session.execute(delete(ExtraHoliday))
            db.session.commit()


def _clock(app, case_id) -> tuple[int, date]:
    with app.app_context():
        paused, due_at = db.session.execute(select(Case.paused_days, Case.due_at).where(Case.id == case_id)).one()
        db.session.rollback()
    return paused, local_date(due_at - timedelta(microseconds=1))


def _holiday_id(app, day: str) -> int:
    with app.app_context():
        found = db.session.execute(select(ExtraHoliday.id).where(ExtraHoliday.day == date.fromisoformat(day)))
        holiday_id = found.scalar_one()
        db.session.rollback()
    return holiday_id


def test_a_holiday_added_inside_an_ended_pause_keeps_the_due_date(app, browser, paused_case):
    run(app, "sla-flags", now=NOW)
    # 10 working days + 4 paused after 2 June (3 June a holiday): due Monday 23 June.
    assert _clock(app, paused_case) == (4, date(2025, 6, 23))

    admin = browser("admin")
    page = admin.post("/extra-holidays/add", data={"day": HOLIDAY, "name_th": "วันหยุดพิเศษ", "name_en": "Special"},
                      follow_redirects=True).get_data(as_text=True)
    assert "นับวันทำการที่พักไว้ของ 1 เรื่องใหม่" in page
    assert _clock(app, paused_case)[0] == 3, "the 5th is no longer a paused working day"
    run(app, "sla-flags", now=NOW)
    assert _clock(app, paused_case) == (3, date(2025, 6, 23)), "the day left the clock and the pause at once"

    # Moved to a day after the pause: the pause gets its day back, the clock loses one.
    holiday_id = _holiday_id(app, HOLIDAY)
    assert admin.post(f"/extra-holidays/edit/{holiday_id}", data={"day": OUTSIDE, "name_th": "วันหยุดพิเศษ",
                                                                  "name_en": "Special"}).status_code == 302
    run(app, "sla-flags", now=NOW)
    assert _clock(app, paused_case) == (4, date(2025, 6, 24))

    assert admin.post(f"/extra-holidays/delete/{holiday_id}").status_code == 302
    run(app, "sla-flags", now=NOW)
    assert _clock(app, paused_case) == (4, date(2025, 6, 23))


def test_a_holiday_that_reaches_the_calendar_by_the_job_is_counted_there(app, paused_case):
    """A day off that bypassed the screen (or came with a holidays-package upgrade) reaches the
    calendar table at the SLA job's next run, which counts the pauses again before the due dates."""
    run(app, "sla-flags", now=NOW)
    with app.app_context():
        db.session.add(ExtraHoliday(day=date.fromisoformat(HOLIDAY), name_th="วันหยุดพิเศษ", name_en="Special"))
        db.session.commit()
    run(app, "sla-flags", now=NOW)
    assert _clock(app, paused_case) == (3, date(2025, 6, 23))
    assert job_runs(app, "sla-flags")[-1].details["calendar"]["recounted"] == 1


def test_a_count_the_timeline_does_not_explain_is_left_alone(app, browser):
    """A paused count that the timeline's pauses do not give (a history loaded in bulk, a count
    an older calendar left) is not guessed at."""
    with case_types(app, [(10, 0.8)]) as (agency_id, [type_id]):
        insert_cases(app, [{"agency_id": agency_id, "case_type_id": type_id, "status": "in_progress",
                            "submitted_at": OPENED, "paused_days": paused} for paused in (4, 6)])
        with app.app_context():
            explained, unexplained = db.session.execute(
                select(Case.id).where(Case.case_type_id == type_id).order_by(Case.paused_days)).scalars().all()
            for case_id in (explained, unexplained):
                db.session.add_all([
                    CaseEvent(case_id=case_id, at=PAUSED, kind="status", source="import",
                              from_status="in_progress", to_status="waiting_applicant"),
                    CaseEvent(case_id=case_id, at=RESUMED, kind="status", source="import",
                              from_status="waiting_applicant", to_status="in_progress"),
                ])
            db.session.commit()
        run(app, "sla-flags", now=NOW)
        try:
            assert browser("admin").post("/extra-holidays/add", data={
                "day": HOLIDAY, "name_th": "วันหยุดพิเศษ", "name_en": "Special"}).status_code == 302
            assert _clock(app, explained)[0] == 3
            assert _clock(app, unexplained)[0] == 6
        finally:
            with app.app_context():
                db.session.execute(delete(ExtraHoliday))
                db.session.commit()


def test_a_pause_over_days_off_only_gets_its_day_when_one_becomes_a_working_day(app, browser, monkeypatch):
    """A wait from Wednesday 4 to Thursday 5 June with the 5th declared off paused no working day
    (a count of 0). When the 5th stops being a day off, it joins the clock and the pause at once."""
    clock = {"now": OPENED}
    monkeypatch.setattr(cases, "utcnow", lambda: clock["now"])
    actor = Actor.system("tests")
    admin = browser("admin")
    assert admin.post("/extra-holidays/add", data={"day": HOLIDAY, "name_th": "วันหยุดพิเศษ",
                                                   "name_en": "Special"}).status_code == 302
    try:
        with case_types(app, [(10, 0.8)]) as (_agency_id, [type_id]):
            with app.app_context():
                case_id = cases.create_case(actor, {"title": "รอเอกสาร", "case_type_id": type_id}).id
                for at, status in ((PAUSED, "waiting_applicant"), (utc(2025, 6, 5, 3, 0), "in_progress")):
                    clock["now"] = at
                    cases.change_status(actor, case_id, status)
            run(app, "sla-flags", now=NOW)
            assert _clock(app, case_id) == (0, date(2025, 6, 18))
            admin.post(f"/extra-holidays/delete/{_holiday_id(app, HOLIDAY)}")
            run(app, "sla-flags", now=NOW)
            assert _clock(app, case_id) == (1, date(2025, 6, 18))
    finally:
        with app.app_context():
            db.session.execute(delete(ExtraHoliday))
            db.session.commit()

"""The SLA clock stops when a case closes and runs again when it is reopened: the working days it
stood closed do not count against it, whichever way it was reopened."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select

from app.domain.local_time import local_date
from app.extensions import db
from app.models import Case, ExtraHoliday
from app.services import cases
from app.services.actor import Actor
from tests.integration.jobs_support import case_types, run, utc

# Bangkok is UTC+7: 03:00 UTC is 10:00 in Bangkok, the same day.
OPENED = utc(2025, 6, 2, 2, 0)      # Monday 2 June 2025 (Tuesday 3 June is a public holiday)
RESOLVED = utc(2025, 6, 4, 3, 0)    # Wednesday 4 June
REOPENED = utc(2025, 6, 16, 3, 0)   # Monday 16 June: 5, 6, 9 to 13 and 16 June stood closed (8 days)
NOW = utc(2025, 6, 17, 3, 0)


@pytest.fixture()
def clock(monkeypatch):
    now = {"at": OPENED}
    monkeypatch.setattr(cases, "utcnow", lambda: now["at"])
    return now


def _clock(app, case_id) -> tuple[int, date, str]:
    with app.app_context():
        paused, due_at, flag = db.session.execute(
            select(Case.paused_days, Case.due_at, Case.sla_flag).where(Case.id == case_id)).one()
        db.session.rollback()
    return paused, local_date(due_at - timedelta(microseconds=1)), flag


def test_a_reopened_case_is_not_charged_for_the_days_it_stood_closed(app, clock):
    actor = Actor.system("tests")
    with case_types(app, [(10, 0.8)]) as (_agency_id, [type_id]):
        with app.app_context():
            case_id = cases.create_case(actor, {"title": "ขอใบอนุญาต", "case_type_id": type_id}).id
            clock["at"] = RESOLVED
            cases.change_status(actor, case_id, "resolved")
        # 10 working days after 2 June, the 3rd a holiday: due Tuesday 17 June.
        assert _clock(app, case_id)[:2] == (0, date(2025, 6, 17))
        with app.app_context():
            clock["at"] = REOPENED
            cases.reopen_case(actor, case_id, note="ผู้ยื่นส่งเอกสารเพิ่ม")
        run(app, "sla-flags", now=NOW)
        # One working day used before the closing (the 4th): 9 left from the 16th, so due 27 June.
        assert _clock(app, case_id) == (8, date(2025, 6, 27), "on_track")

        # A day off declared afterwards inside the closed days moves nothing.
        with app.app_context():
            db.session.add(ExtraHoliday(day=date(2025, 6, 10), name_th="วันหยุดพิเศษ", name_en="Special"))
            db.session.commit()
        try:
            run(app, "sla-flags", now=NOW)
            assert _clock(app, case_id) == (7, date(2025, 6, 27), "on_track")
        finally:
            with app.app_context():
                db.session.execute(delete(ExtraHoliday))
                db.session.commit()

"""Counts again the paused working days of cases whose ended pauses (waits for the applicant,
closings followed by a reopening) cover days that changed from working days to days off or back (the rules: app/domain/pause_recount.py).

Called where the calendar table is rewritten (app/services/calendar_days.py), in the same
transaction, so the due dates the SLA job computes next use the new counts. A count is not an
edit: neither the case's version nor its updated_at moves, as for the SLA job's own updates.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from itertools import groupby

from sqlalchemy import bindparam, func, or_, select, update

from app.domain import pause_recount as rules
from app.domain.calendar import WorkingCalendar
from app.domain.local_time import start_of_local_day
from app.models.case import Case, CaseEvent

CHUNK = 1000


def _candidates(session, changed: Mapping[date, bool]) -> list[int]:
    """Cases with a pause that ended on or after the first changed day (their count may be 0: a
    pause over days off only, one of which becomes a working day)."""
    since = start_of_local_day(min(changed))
    return list(session.execute(
        select(CaseEvent.case_id).distinct()
        .where(CaseEvent.from_status.in_(rules.STOPPED), CaseEvent.at >= since)
    ).scalars())


def recount_pauses(session, changed: Mapping[date, bool], after: WorkingCalendar) -> int:
    """Replace the paused-day counts the change of ``changed`` days ({day: it was a working day})
    makes wrong, with ``after`` the calendar now; returns how many cases changed. Does not commit."""
    if not changed:
        return 0
    before = rules.calendar_before(after, changed)
    ids = _candidates(session, changed)
    statement = (
        update(Case.__table__)
        .where(Case.__table__.c.id == bindparam("case_id"), Case.__table__.c.paused_days == bindparam("stored"))
        .values(paused_days=bindparam("counted"))
    )
    recounted = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        cases = {row.id: row for row in session.execute(
            select(Case.id, Case.paused_days, func.coalesce(Case.sla_started_at, Case.submitted_at).label("clock"))
            .where(Case.id.in_(chunk))
        )}
        moves = session.execute(
            select(CaseEvent.case_id, CaseEvent.at, CaseEvent.from_status, CaseEvent.to_status)
            .where(CaseEvent.case_id.in_(chunk),
                   or_(CaseEvent.from_status.in_(rules.STOPPED), CaseEvent.to_status.in_(rules.STOPPED)))
            .order_by(CaseEvent.case_id, CaseEvent.at, CaseEvent.id)
        )
        params = []
        for case_id, rows in groupby(moves, key=lambda row: row.case_id):
            case = cases.get(case_id)
            if case is None:
                continue
            pauses = rules.ended_pauses(((row.at, row.from_status, row.to_status) for row in rows), case.clock)
            counted = rules.recounted(case.paused_days, pauses, before, after)
            if counted is not None and counted != case.paused_days:
                params.append({"case_id": case_id, "stored": case.paused_days, "counted": counted})
        if params:
            written = session.execute(statement, params).rowcount
            recounted += written if written >= 0 else len(params)
    return recounted

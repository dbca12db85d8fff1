"""SLA bookkeeping on a single case as it is created and moved (the job recomputes in bulk)."""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from app.domain import sla as sla_rules
from app.domain.calendar import WorkingCalendar, thai_calendar
from app.domain.statuses import Status

CALENDAR_YEARS = range(2015, 2041)


@lru_cache(maxsize=4)
def _calendar(extra: tuple[tuple[date, str], ...]) -> WorkingCalendar:
    return thai_calendar(CALENDAR_YEARS, extra)


def calendar(session=None) -> WorkingCalendar:
    """The working-day calendar: Thai holidays plus the extra days off administrators add."""
    extra: tuple = ()
    if session is not None:
        from app.services import holidays as holiday_service

        # Reading holidays is no reason to write a case being changed (its version would move twice).
        with session.no_autoflush:
            extra = holiday_service.extra_days(session)
    return _calendar(extra)


def refresh(session, case, case_type, now: datetime, cal: WorkingCalendar | None = None) -> None:
    cal = cal or calendar(session)
    start = case.sla_started_at or case.submitted_at
    paused = case.paused_days or 0
    if case.paused_since is not None:
        paused += sla_rules.paused_working_days([(case.paused_since, None)], cal, now)
    case.due_at = sla_rules.due_at(start, case_type.sla_days, paused, cal)
    case.sla_flag = sla_rules.sla_flag(now, start, case_type.sla_days, paused, cal,
                                       case_type.at_risk_share or sla_rules.DEFAULT_AT_RISK_SHARE,
                                       closed_at=case.closed_at)


def first_response(session, case, now: datetime) -> tuple[date, sla_rules.FirstResponse] | None:
    """The first response's due date and where the case stands, when its type sets a target."""
    days = case.case_type.first_response_days if case.case_type is not None else None
    if not days or case.submitted_at is None:
        return None
    return sla_rules.first_response_state(now, case.submitted_at, days, calendar(session), case.first_response_at)


def apply_due(session, case, case_type, now: datetime) -> None:
    if case.sla_started_at is None:
        case.sla_started_at = case.submitted_at
    refresh(session, case, case_type, now)


def on_status_change(session, case, previous: Status, target: Status, now: datetime) -> None:
    """Pause the clock while the applicant is awaited; stop it on closing; let it run again on
    reopening, the working days the case spent closed counted as paused."""
    cal = calendar(session)
    case.paused_days, case.paused_since, case.closed_at = sla_rules.clock_after_move(
        (case.paused_days, case.paused_since, case.closed_at), previous, target, now, cal)
    refresh(session, case, case.case_type, now, cal)


def restart_clock(session, case, case_type, now: datetime) -> None:
    """A forwarded case starts a fresh clock at the agency that receives it."""
    case.sla_started_at = now
    case.paused_days = 0
    case.paused_since = None
    refresh(session, case, case_type, now)

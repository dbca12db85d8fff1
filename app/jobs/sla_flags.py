"""`sla-flags`: due dates and SLA flags of every open case, every few minutes."""
from __future__ import annotations

from app.domain.jobs import JobOutcome
from app.jobs.registry import JobContext, JobSpec
from app.services import sla_flags
from app.services.db import transaction


def run(context: JobContext) -> JobOutcome:
    with transaction() as session:
        result = sla_flags.recompute_open_cases(session, context.now)
    details = {"flags": result.flags}
    if result.calendar is not None:
        details["calendar"] = {"first": result.calendar.first.isoformat(), "last": result.calendar.last.isoformat(),
                               "rebuilt": result.calendar.rebuilt}
        if result.calendar.recounted:
            details["calendar"]["recounted"] = result.calendar.recounted
    return JobOutcome(fetched=result.open_cases, changed=result.changed, details=details)


JOB = JobSpec(
    name="sla-flags",
    run=run,
    description="Recompute due dates and SLA flags (on track, at risk, breached) of all open cases.",
    interval_minutes=5,
)

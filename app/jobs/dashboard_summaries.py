"""`dashboard-summaries`: take in every write since the last run, so the first dashboard view
after a busy spell (an import, a sync, the SLA-flags job) finds the summaries already current."""
from __future__ import annotations

from app.domain.jobs import JobOutcome
from app.jobs.registry import JobContext, JobSpec
from app.services import dashboard_summary
from app.services.db import transaction


def run(context: JobContext) -> JobOutcome:
    with transaction() as session:
        result = dashboard_summary.refresh(session, limit=None)
    return JobOutcome(changed=result["cells"], details=result)


JOB = JobSpec(
    name="dashboard-summaries",
    run=run,
    description="Recompute the dashboard summaries of the cells that cases were written to since the last run.",
    interval_minutes=1,
)

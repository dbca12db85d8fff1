"""Running a job once: take its lock, record the run, call it, record how it ended.

Shared by `flask jobs run` and the scheduler. A run that finds its lock taken does not wait: it
is recorded as skipped (so an administrator sees two schedulers competing) and returns at once.
Every failure, the database's included, ends as a result with a reason instead of an exception,
so a per-agency loop always goes on to the next agency.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select

from app.domain.job_messages import SKIPPED_REASON
from app.domain.jobs import JobFailed, JobOutcome, RunStatus, failure_reason, lock_name
from app.domain.statuses import EventSource
from app.jobs import registry
from app.jobs.registry import AgencyTarget, JobContext, JobSpec
from app.models.types import utcnow
from app.services import job_runs
from app.services.actor import Actor
from app.services.locks import job_lock

log = logging.getLogger(__name__)



class JobUsageError(ValueError):
    """The command asked for something the job cannot do (an unknown agency, --agency on a
    ministry-wide job)."""


@dataclass
class RunResult:
    job: str
    agency: str | None
    status: str
    run_id: int | None
    fetched: int = 0
    changed: int = 0
    errors: int = 0
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.status in (RunStatus.SUCCEEDED, RunStatus.SKIPPED)

    def as_dict(self) -> dict:
        return asdict(self)


def _session():
    from app.extensions import db

    return db.session


def _end_job_transaction() -> None:
    """Whatever the job left open is rolled back, so the run record can be written (SQLite lets
    one writer in at a time) and the next job starts clean."""
    try:
        _session().rollback()
    except Exception:
        log.warning("could not roll back after a job", exc_info=True)
    try:
        _session().close()
    except Exception:
        log.warning("could not close the job's session", exc_info=True)


def run_one(spec: JobSpec, agency: AgencyTarget | None = None, now: datetime | None = None,
            options: Mapping[str, str] | None = None) -> RunResult:
    agency_id = agency.id if agency else None
    agency_code = agency.code if agency else None
    result = RunResult(spec.name, agency_code, RunStatus.FAILED.value, None)
    try:
        with job_lock(lock_name(spec.name, agency_code)) as held:
            if not held:
                result.run_id = job_runs.record_skipped(spec.name, agency_id, SKIPPED_REASON)
                result.status, result.message = RunStatus.SKIPPED.value, SKIPPED_REASON
                return result
            job_runs.close_interrupted(spec.name, agency_id)
            started = now or utcnow()
            result.run_id = job_runs.start_run(spec.name, agency_id, started)
            actor = Actor.system(f"job:{spec.name}", source=EventSource.SYNC if spec.per_agency else EventSource.SYSTEM,
                                 origin=agency_code)
            context = JobContext(job=spec.name, now=started, run_id=result.run_id, actor=actor, agency=agency,
                                 options=dict(options or {}))
            try:
                outcome = spec.run(context) or JobOutcome()
            except Exception as error:
                _end_job_transaction()
                outcome = error.outcome if isinstance(error, JobFailed) else JobOutcome()
                reason = failure_reason(error)
                log.warning("job %s failed: %s", lock_name(spec.name, agency_code), reason,
                            exc_info=not isinstance(error, JobFailed))
                job_runs.fail_run(result.run_id, reason, outcome)
                _copy(result, outcome, RunStatus.FAILED, reason)
                return result
            _end_job_transaction()
            job_runs.finish_run(result.run_id, outcome)
            _copy(result, outcome, RunStatus.SUCCEEDED, outcome.message)
            return result
    except Exception as error:  # the lock or the run record could not be written: the database is down
        _end_job_transaction()
        result.status, result.message = RunStatus.FAILED.value, failure_reason(error)
        log.error("job %s could not run: %s", lock_name(spec.name, agency_code), result.message)
        return result


def _copy(result: RunResult, outcome: JobOutcome, status: RunStatus, message: str | None) -> None:
    result.status = status.value
    result.fetched, result.changed, result.errors = outcome.fetched, outcome.changed, outcome.errors
    result.message = message


def agency_target(code: str) -> AgencyTarget:
    from app.models.agency import Agency

    row = _session().execute(
        select(Agency.id, Agency.code, Agency.sync_interval_minutes).where(Agency.code == code.strip().upper())
    ).first()
    _end_job_transaction()
    if row is None:
        raise JobUsageError(f"no agency with the code {code!r}")
    return AgencyTarget(row.id, row.code, int(row.sync_interval_minutes or 15))


def targets_of(spec: JobSpec) -> list[AgencyTarget]:
    try:
        return spec.agencies(_session())
    finally:
        _end_job_transaction()


def run_job(name: str, agency_code: str | None = None, now: datetime | None = None,
            options: Mapping[str, str] | None = None) -> list[RunResult]:
    """Run a job once: a ministry-wide job once, a per-agency job for the given agency or for
    every agency it selects, one after the other, each on its own whatever the others do."""
    spec = registry.get_job(name)
    if not spec.per_agency:
        if agency_code:
            raise JobUsageError(f"{name} works across all agencies; it takes no --agency")
        return [run_one(spec, None, now, options)]
    targets = [agency_target(agency_code)] if agency_code else targets_of(spec)
    return [run_one(spec, target, now, options) for target in targets]


def summary(name: str, results: list[RunResult]) -> dict:
    """The one-line JSON the command prints last."""
    worst = "succeeded"
    if any(r.status == RunStatus.FAILED for r in results):
        worst = "failed"
    elif results and all(r.status == RunStatus.SKIPPED for r in results):
        worst = "skipped"
    return {
        "job": name,
        "status": worst,
        "runs": len(results),
        "fetched": sum(r.fetched for r in results),
        "changed": sum(r.changed for r in results),
        "errors": sum(r.errors for r in results),
        "results": [r.as_dict() for r in results],
    }

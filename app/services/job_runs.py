"""Job-run records: started, finished, failed or skipped, with counts and the reason of a failure.

Each write is its own short transaction on its own session, so a record survives whatever the
job's transaction does (a rollback, or a connection that died). The job's session must have
ended its transaction before a record is written: on SQLite a second writer would wait for it.
"""
from __future__ import annotations

import logging
import os
import socket
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.domain.job_messages import INTERRUPTED_REASON
from app.domain.jobs import JobOutcome, RunStatus
from app.models.job import JobRun
from app.models.types import utcnow

log = logging.getLogger(__name__)



def runner_label() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


@contextmanager
def _record_session():
    """A session of its own on a connection of its own: commits at the end, rolls back on error."""
    from app.extensions import db

    with Session(db.engine, expire_on_commit=False) as session, session.begin():
        yield session


def start_run(job: str, agency_id: int | None, now: datetime | None = None) -> int:
    with _record_session() as session:
        run = JobRun(job=job, agency_id=agency_id, started_at=now or utcnow(), status=RunStatus.RUNNING.value,
                     fetched=0, changed=0, errors=0, runner=runner_label())
        session.add(run)
        session.flush()
        return run.id


def _end(run_id: int, status: RunStatus, outcome: JobOutcome, message: str | None) -> None:
    with _record_session() as session:
        session.execute(update(JobRun).where(JobRun.id == run_id).values(
            status=status.value, finished_at=utcnow(), fetched=outcome.fetched, changed=outcome.changed,
            errors=outcome.errors, message=message, details=outcome.details or None,
        ))


def finish_run(run_id: int, outcome: JobOutcome) -> None:
    _end(run_id, RunStatus.SUCCEEDED, outcome, outcome.message)


def fail_run(run_id: int, reason: str, outcome: JobOutcome | None = None) -> bool:
    """Record the failure; False when even that failed (the database is gone): the record stays
    'running' until the next run of the job closes it as interrupted."""
    try:
        _end(run_id, RunStatus.FAILED, outcome or JobOutcome(), reason)
    except Exception:
        log.exception("could not record the failure of job run %s", run_id)
        return False
    return True


def record_skipped(job: str, agency_id: int | None, reason: str) -> int:
    now = utcnow()
    with _record_session() as session:
        run = JobRun(job=job, agency_id=agency_id, started_at=now, finished_at=now, status=RunStatus.SKIPPED.value,
                     fetched=0, changed=0, errors=0, message=reason, runner=runner_label())
        session.add(run)
        session.flush()
        return run.id


def close_interrupted(job: str, agency_id: int | None) -> int:
    """Mark as failed the runs of this job still shown as running. Call it holding the job's
    lock: then no other process is running it, so such a record belongs to a run that died."""
    agency_match = JobRun.agency_id.is_(None) if agency_id is None else JobRun.agency_id == agency_id
    with _record_session() as session:
        result = session.execute(update(JobRun).where(
            JobRun.job == job, agency_match, JobRun.status == RunStatus.RUNNING.value,
        ).values(status=RunStatus.FAILED.value, finished_at=utcnow(), message=INTERRUPTED_REASON))
        return result.rowcount or 0

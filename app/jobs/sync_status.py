"""`sync-status`: pull case statuses from each agency's departmental system.

Per agency with sync switched on, every `sync_interval_minutes`; the first run after 02:30
Bangkok each night is a catch-up over a wide window (or `jobs run sync-status --option
catch_up=yes`). A failed run changed nothing; its reason is recorded and the next tick tries
the same window again.
"""
from __future__ import annotations

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from config import yes_or_no

from app.connectors import (
    ConnectorAuthError,
    ConnectorConfigError,
    ConnectorError,
    ConnectorProtocolError,
    ConnectorRemoteError,
    ConnectorUnavailable,
)
from app.domain.job_messages import NOTHING_APPLIED, RUN_FAILED, SYNC_FAILURE_HEADINGS
from app.domain.jobs import JobFailed, JobOutcome
from app.domain.status_mapping import StatusMapError
from app.jobs.registry import JobContext, JobSpec, sync_enabled_agencies
from app.services.sync_status import sync_agency
from app.services.sync_store import CaseChangedDuringSync

# What an administrator reads first on a failed run, by the kind of failure (most specific first);
# app.domain.job_messages holds the words, in English and Thai.
FAILURE_HEADINGS = tuple((kind, SYNC_FAILURE_HEADINGS[key][0]) for kind, key in (
    (ConnectorConfigError, "config"),
    (StatusMapError, "status_map"),
    (ConnectorAuthError, "auth"),
    (ConnectorUnavailable, "unavailable"),
    (ConnectorProtocolError, "protocol"),
    (ConnectorRemoteError, "remote"),
    (ConnectorError, "connector"),
    (CaseChangedDuringSync, "changed"),
    (DBAPIError, "database"),
    (SQLAlchemyError, "database"),
))

# The settings one run takes (`jobs run sync-status --option KEY=VALUE`), each with how its value
# is read; `jobs run` refuses any other key, and a value its reader refuses (catch_up=maybe ran an
# ordinary sync, read as no), before the run starts.
OPTIONS = {"catch_up": yes_or_no}


def failure_heading(error: BaseException) -> str:
    for kind, heading in FAILURE_HEADINGS:
        if isinstance(error, kind):
            return heading
    return RUN_FAILED


def _option_flag(options, name: str) -> bool | None:
    value = options.get(name)
    if value is None:
        return None
    return OPTIONS[name](value)


def run(context: JobContext) -> JobOutcome:
    catch_up = _option_flag(context.options, "catch_up")
    try:
        report = sync_agency(context.agency.id, catch_up=catch_up, now=context.now)
    except Exception as error:
        detail = str(error).strip() or type(error).__name__
        if isinstance(error, DBAPIError):
            detail = str(error.orig).strip() or type(error.orig).__name__
        raise JobFailed(f"{failure_heading(error)}: {detail.rstrip('.')}. {NOTHING_APPLIED}") from error
    return JobOutcome(fetched=report.fetched, changed=report.status_changes, errors=report.problems,
                      message=report.summary(), details=report.as_dict())


JOB = JobSpec(
    name="sync-status",
    run=run,
    description="Pull case statuses from each agency's departmental system (overlapping window, nightly catch-up).",
    per_agency=True,
    agencies=sync_enabled_agencies,
    options=OPTIONS,
)

"""Every job, registered once by name, for the command line (`jobs run`) and the scheduler.

A job module defines ``JOB = JobSpec(...)``; listing the module in JOB_MODULES is all it takes
to make it runnable and scheduled. A ministry-wide job runs on a fixed interval; a per-agency job
runs once per agency that ``agencies`` selects, each on that agency's own interval, under its own
lock and with its own run record, so one agency's failure never stops another's.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from app.domain.jobs import JobOutcome
from app.services.actor import Actor

# The modules that define a JOB. Add a job here: one line.
JOB_MODULES = (
    "app.jobs.sla_flags",
    "app.jobs.sync_status",
    "app.jobs.dashboard_summaries",
    "app.jobs.purge_work_files",
)


@dataclass(frozen=True)
class AgencyTarget:
    id: int
    code: str
    interval_minutes: int


@dataclass(frozen=True)
class JobContext:
    """What a running job is told: who it runs as, for which agency, as of when, and its run."""

    job: str
    now: datetime
    run_id: int
    actor: Actor
    agency: AgencyTarget | None = None
    # Extra settings of one run, from `jobs run NAME --option KEY=VALUE` (e.g. catch_up=yes).
    options: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class JobSpec:
    name: str
    run: Callable[[JobContext], JobOutcome]
    description: str
    # Ministry-wide jobs: minutes between runs. Per-agency jobs take each agency's interval.
    interval_minutes: int | None = None
    per_agency: bool = False
    # Per-agency jobs: which agencies take part, and how often each runs.
    agencies: Callable[[object], list[AgencyTarget]] | None = None
    run_at_start: bool = True
    # The settings one run takes (`jobs run NAME --option KEY=VALUE`), each with the reader of its
    # value (it raises ValueError for one it refuses); `jobs run` refuses any other key.
    options: Mapping[str, Callable[[str], object]] = field(default_factory=dict)

    def __post_init__(self):
        if self.per_agency == (self.interval_minutes is not None):
            raise ValueError(f"job {self.name!r}: give an interval (ministry-wide) or per_agency, not both")
        if self.per_agency and self.agencies is None:
            raise ValueError(f"job {self.name!r}: a per-agency job needs an agencies selector")


def sync_enabled_agencies(session) -> list[AgencyTarget]:
    """Active agencies with sync switched on and a connector chosen, on their own interval."""
    from app.models.agency import Agency

    rows = session.execute(
        select(Agency.id, Agency.code, Agency.sync_interval_minutes)
        .where(Agency.active.is_(True), Agency.sync_enabled.is_(True), Agency.connector_kind.is_not(None))
        .order_by(Agency.code)
    ).all()
    return [AgencyTarget(row.id, row.code, max(1, int(row.sync_interval_minutes or 15))) for row in rows]


class UnknownJob(LookupError):
    def __init__(self, name: str, known: list[str]):
        super().__init__(f"no job called {name!r}; the jobs are: {', '.join(known) or 'none'}")
        self.name = name
        self.known = known


_jobs: dict[str, JobSpec] | None = None


def _load() -> dict[str, JobSpec]:
    global _jobs
    if _jobs is None:
        loaded: dict[str, JobSpec] = {}
        for module_name in JOB_MODULES:
            spec = importlib.import_module(module_name).JOB
            if spec.name in loaded:
                raise ValueError(f"two jobs are called {spec.name!r}")
            loaded[spec.name] = spec
        _jobs = loaded
    return _jobs


def all_jobs() -> list[JobSpec]:
    return list(_load().values())


def job_names() -> list[str]:
    return list(_load())


def get_job(name: str) -> JobSpec:
    jobs = _load()
    try:
        return jobs[name]
    except KeyError:
        raise UnknownJob(name, list(jobs)) from None


def register(spec: JobSpec) -> None:
    """Add or replace a job at run time (tests, plug-ins); modules use JOB_MODULES."""
    _load()[spec.name] = spec


def unregister(name: str) -> None:
    _load().pop(name, None)

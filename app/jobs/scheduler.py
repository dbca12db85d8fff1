"""The scheduler process (`flask scheduler`): every registered job on its interval.

APScheduler runs the jobs in a thread pool, each with coalescing (runs missed while the process
was busy or asleep collapse into one) and at most one instance at a time in this process. The
database lock taken by the runner keeps runs from overlapping across processes and machines too.
Ministry-wide jobs are planned once; per-agency jobs are re-planned every minute from the
agencies' settings, so switching an agency's sync on or off or changing its interval takes effect
without a restart. SIGTERM or SIGINT stops scheduling and waits for running jobs to finish.
"""
from __future__ import annotations

import logging
import signal
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from app.domain.jobs import lock_name
from app.jobs import registry, runner
from app.jobs.registry import AgencyTarget, JobSpec

log = logging.getLogger(__name__)

REPLAN_SECONDS = 60
REPLAN_JOB_ID = "_replan"
JOB_DEFAULTS = {
    "coalesce": True,
    "max_instances": 1,
    # A run that is late (the process was busy or the machine slept) still runs, once.
    "misfire_grace_time": None,
}


@dataclass(frozen=True)
class PlannedJob:
    id: str
    job: str
    agency_code: str | None
    interval_minutes: int
    run_at_start: bool


def plan_jobs(specs: list[JobSpec], targets_of) -> dict[str, PlannedJob]:
    """What should be scheduled: each ministry-wide job once, each per-agency job once per
    agency that ``targets_of(spec)`` returns, keyed by the job's lock name."""
    planned: dict[str, PlannedJob] = {}
    for spec in specs:
        if not spec.per_agency:
            planned[spec.name] = PlannedJob(spec.name, spec.name, None, int(spec.interval_minutes), spec.run_at_start)
            continue
        for target in targets_of(spec):
            job_id = lock_name(spec.name, target.code)
            planned[job_id] = PlannedJob(job_id, spec.name, target.code, target.interval_minutes, spec.run_at_start)
    return planned


def plan_changes(scheduled: dict[str, int], wanted: dict[str, PlannedJob]):
    """(to add, to reschedule, to remove) from {job id: interval minutes} now scheduled."""
    to_add = [job for job_id, job in wanted.items() if job_id not in scheduled]
    to_change = [job for job_id, job in wanted.items()
                 if job_id in scheduled and scheduled[job_id] != job.interval_minutes]
    to_remove = [job_id for job_id in scheduled if job_id not in wanted]
    return to_add, to_change, to_remove


class JobScheduler:
    def __init__(self, app, scheduler=None):
        self.app = app
        self.scheduler = scheduler or BlockingScheduler(timezone=timezone.utc, job_defaults=JOB_DEFAULTS)
        self._intervals: dict[str, int] = {}
        self._lock = threading.Lock()
        # Set by the first stop: a signal may come before the scheduler runs, or twice.
        self._stop_requested = False
        self._shutting_down = False

    # ---- what runs -------------------------------------------------------------------------

    def run_planned(self, job: str, agency_code: str | None) -> None:
        """One scheduled run, in its own application context (its own database session)."""
        with self.app.app_context():
            try:
                spec = registry.get_job(job)
                target: AgencyTarget | None = runner.agency_target(agency_code) if agency_code else None
                result = runner.run_one(spec, target)
            except Exception:
                log.exception("scheduled run of %s could not start", lock_name(job, agency_code))
                return
            level = logging.INFO if result.ok else logging.WARNING
            log.log(level, "%s %s: fetched %s, changed %s, errors %s%s", result.status, lock_name(job, agency_code),
                    result.fetched, result.changed, result.errors, f" ({result.message})" if result.message else "")

    # ---- planning --------------------------------------------------------------------------

    def replan(self) -> dict[str, PlannedJob]:
        """Bring the schedule in line with the registry and the agencies' settings."""
        with self.app.app_context():
            wanted = plan_jobs(registry.all_jobs(), self._targets)
        with self._lock:
            to_add, to_change, to_remove = plan_changes(self._intervals, wanted)
            now = datetime.now(timezone.utc)
            for job in to_add:
                # A job that does not run at start waits its first interval. (APScheduler reads a
                # next_run_time of None as "paused": such a job never ran.)
                wait = timedelta(seconds=1) if job.run_at_start else timedelta(minutes=job.interval_minutes)
                self.scheduler.add_job(
                    self.run_planned, IntervalTrigger(minutes=job.interval_minutes), args=(job.job, job.agency_code),
                    id=job.id, name=job.id, replace_existing=True, next_run_time=now + wait,
                )
                self._intervals[job.id] = job.interval_minutes
            for job in to_change:
                self.scheduler.reschedule_job(job.id, trigger=IntervalTrigger(minutes=job.interval_minutes))
                self._intervals[job.id] = job.interval_minutes
            for job_id in to_remove:
                self.scheduler.remove_job(job_id)
                del self._intervals[job_id]
            if to_add or to_change or to_remove:
                log.info("schedule: %s", ", ".join(f"{j.id} every {j.interval_minutes} min" for j in wanted.values()))
        return wanted

    def _targets(self, spec: JobSpec) -> list[AgencyTarget]:
        try:
            return runner.targets_of(spec)
        except Exception:
            # Keep what is scheduled for this job rather than dropping it on a passing error.
            log.exception("could not read the agencies of %s; keeping its schedule", spec.name)
            return [AgencyTarget(0, job_id.split(":", 1)[1], minutes) for job_id, minutes in self._intervals.items()
                    if job_id.startswith(spec.name + ":")]

    def _safe_replan(self) -> None:
        try:
            self.replan()
        except Exception:
            log.exception("could not re-plan the schedule")

    # ---- running the process ------------------------------------------------------------------

    def start(self) -> None:
        """Plan, then run in the foreground until SIGTERM or SIGINT."""
        self._safe_replan()
        self.scheduler.add_job(self._safe_replan, IntervalTrigger(seconds=REPLAN_SECONDS), id=REPLAN_JOB_ID,
                               name="re-plan the schedule", replace_existing=True)
        # A stop asked for before the scheduler ran (a signal during the planning above) is
        # carried out as soon as it runs, instead of being lost.
        self.scheduler.add_listener(lambda _event: self._stop_requested and self.stop(), EVENT_SCHEDULER_STARTED)
        self._install_signal_handlers()
        log.info("scheduler started")
        self.scheduler.start()
        log.info("scheduler stopped")

    def stop(self) -> None:
        """Stops after the running jobs finish; once, however many times it is asked."""
        self._stop_requested = True
        if self._shutting_down or self.scheduler.state == STATE_STOPPED:
            return
        self._shutting_down = True
        # From a thread of its own: shutdown(wait=True) waits for running jobs, and a signal
        # handler must return to let the main loop see the stop.
        threading.Thread(target=self._shutdown, name="scheduler-stop").start()

    def _shutdown(self) -> None:
        try:
            self.scheduler.shutdown(wait=True)
        except SchedulerNotRunningError:
            pass  # it had stopped meanwhile

    def _install_signal_handlers(self) -> None:
        def handle(signum, _frame):
            log.info("received %s: stopping after the running jobs finish", signal.Signals(signum).name)
            self.stop()

        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, handle)

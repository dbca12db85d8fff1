"""The scheduler: plans every registered job, per agency where it applies, and stops cleanly."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import select

from app.domain.jobs import JobOutcome, RunStatus
from app.extensions import db
from app.jobs import registry
from app.jobs.registry import JobSpec, sync_enabled_agencies
from app.jobs.scheduler import JOB_DEFAULTS, JobScheduler
from app.models import Agency
from tests.integration.jobs_support import clear_job_runs, job_runs, run

ROOT = Path(__file__).resolve().parents[2]
SYNC_FIELDS = ("connector_kind", "sync_enabled", "sync_interval_minutes")


@pytest.fixture()
def per_agency_job(app):
    """A per-agency job that fails for OPS, and agencies DIW and OPS switched on for it."""
    calls = []

    def work(context):
        calls.append(context.agency.code)
        if context.agency.code == "OPS":
            raise ConnectionError("the OPS system refused the connection")
        return JobOutcome(fetched=2, changed=1)

    registry.register(JobSpec(name="test-sync", run=work, description="test", per_agency=True,
                              agencies=sync_enabled_agencies))
    with app.app_context():
        agencies = db.session.execute(select(Agency)).scalars().all()
        saved = {a.id: tuple(getattr(a, f) for f in SYNC_FIELDS) for a in agencies}
        for agency in agencies:
            on = agency.code in ("DIW", "OPS")
            agency.connector_kind, agency.sync_enabled = ("rest_json" if on else None), on
            agency.sync_interval_minutes = 10 if agency.code == "DIW" else 20
        db.session.commit()
    clear_job_runs(app)
    yield calls
    registry.unregister("test-sync")
    with app.app_context():
        for agency in db.session.execute(select(Agency)).scalars():
            for field, value in zip(SYNC_FIELDS, saved[agency.id]):
                setattr(agency, field, value)
        db.session.commit()
    clear_job_runs(app)


def test_one_agencys_failure_does_not_stop_the_others(app, per_agency_job):
    results = run(app, "test-sync")
    assert [(r.agency, r.status) for r in results] == [("DIW", RunStatus.SUCCEEDED), ("OPS", RunStatus.FAILED)]
    assert per_agency_job == ["DIW", "OPS"]
    records = {r.agency_id: r for r in job_runs(app, "test-sync")}
    assert len(records) == 2
    failed = [r for r in records.values() if r.status == "failed"][0]
    assert failed.message == "ConnectionError: the OPS system refused the connection"
    [only] = run(app, "test-sync", agency_code="DIW")
    assert only.status == RunStatus.SUCCEEDED and only.changed == 1


def test_the_schedule_follows_the_agencies_settings(app, per_agency_job):
    background = BackgroundScheduler(job_defaults=JOB_DEFAULTS)
    background.start(paused=True)
    try:
        scheduler = JobScheduler(app, background)
        planned = scheduler.replan()
        assert {"sla-flags", "test-sync:DIW", "test-sync:OPS"} <= set(planned)
        jobs = {job.id: job for job in background.get_jobs()}
        assert jobs["test-sync:DIW"].trigger.interval.total_seconds() == 600
        assert jobs["sla-flags"].trigger.interval.total_seconds() == 300
        assert jobs["sla-flags"].max_instances == 1 and jobs["sla-flags"].coalesce

        with app.app_context():
            diw = db.session.execute(select(Agency).where(Agency.code == "DIW")).scalar_one()
            diw.sync_interval_minutes = 3
            ops = db.session.execute(select(Agency).where(Agency.code == "OPS")).scalar_one()
            ops.sync_enabled = False
            db.session.commit()
        scheduler.replan()
        jobs = {job.id: job for job in background.get_jobs()}
        assert "test-sync:OPS" not in jobs
        assert jobs["test-sync:DIW"].trigger.interval.total_seconds() == 180

        scheduler.run_planned("test-sync", "DIW")
        assert [r.status for r in job_runs(app, "test-sync")] == ["succeeded"]
    finally:
        background.shutdown(wait=False)


def test_a_stop_asked_for_before_the_scheduler_runs_is_carried_out_once_it_runs(app):
    """A SIGTERM while the schedule is being planned, before APScheduler runs: it was dropped (the
    scheduler was not running yet), and the process then ran until killed."""
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    scheduler = JobScheduler(app, BlockingScheduler(job_defaults=JOB_DEFAULTS))
    # Ends the test if the stop is lost, instead of leaving it blocked.
    watchdog = threading.Timer(30, lambda: scheduler.scheduler.shutdown(wait=False))
    try:
        scheduler.stop()
        watchdog.start()
        scheduler.start()
        assert watchdog.is_alive(), "the stop asked for before the start was lost"
    finally:
        watchdog.cancel()
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


def test_stopping_twice_shuts_down_once(app):
    failures = []
    hook, threading.excepthook = threading.excepthook, failures.append
    background = BackgroundScheduler(job_defaults=JOB_DEFAULTS)
    background.start(paused=True)
    try:
        scheduler = JobScheduler(app, background)
        scheduler.stop()
        scheduler.stop()
        for thread in threading.enumerate():
            if thread.name == "scheduler-stop":
                thread.join(10)
    finally:
        threading.excepthook = hook
    assert background.state == STATE_STOPPED and failures == []


def test_the_scheduler_process_runs_sla_flags_at_start_and_stops_on_sigterm(app):
    clear_job_runs(app)
    env = {**os.environ, "RUEANG_ENV": "test"}
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "scheduler"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        while not any(r.status == "succeeded" for r in job_runs(app, "sla-flags")):
            assert process.poll() is None, process.stdout.read()[-3000:]
            assert time.monotonic() < deadline, "sla-flags did not run after the scheduler started"
            time.sleep(0.2)
        # A service manager's stop and a Ctrl-C can both come: the second is a no-op, not a
        # second shutdown (which APScheduler refuses with a traceback).
        process.send_signal(signal.SIGTERM)
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, output[-3000:]
    assert "scheduler stopped" in output
    assert "Traceback" not in output, output[-3000:]


def test_a_job_that_does_not_run_at_start_is_scheduled_after_its_interval(app):
    """An explicit next_run_time of None makes APScheduler add the job paused: it never ran."""
    registry.register(JobSpec(name="test-later", run=lambda context: JobOutcome(), description="test",
                              interval_minutes=7, run_at_start=False))
    background = BackgroundScheduler(job_defaults=JOB_DEFAULTS)
    background.start(paused=True)
    try:
        before = datetime.now(timezone.utc)
        JobScheduler(app, background).replan()
        job = background.get_job("test-later")
        assert job.next_run_time is not None, "not paused"
        assert job.next_run_time - before >= timedelta(minutes=7) - timedelta(seconds=1), "after its interval"
        assert background.get_job("sla-flags").next_run_time - before < timedelta(seconds=30), "sla-flags at start"
    finally:
        background.shutdown(wait=False)
        registry.unregister("test-later")

"""Runs of one job never overlap: not in one process, not across processes (the database lock)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from app.domain.jobs import RunStatus
from app.extensions import db
from app.services import job_runs as job_run_service
from app.services.locks import job_lock, make_lock
from tests.integration.jobs_support import clear_job_runs, job_runs, run

ROOT = Path(__file__).resolve().parents[2]
HOLDER = Path(__file__).with_name("job_lock_holder.py")


def _env() -> dict:
    return {**os.environ, "RUEANG_ENV": "test", "PYTHONPATH": str(ROOT)}


def _start_holder(tmp_path) -> tuple[subprocess.Popen, Path]:
    ready, release = tmp_path / "ready", tmp_path / "release"
    holder = subprocess.Popen([sys.executable, str(HOLDER), str(ready), str(release)], cwd=ROOT, env=_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    while not ready.exists():
        if holder.poll() is not None:
            raise AssertionError(f"the lock holder stopped: {holder.stderr.read()[-3000:]}")
        assert time.monotonic() < deadline, "the lock holder never took the lock"
        time.sleep(0.05)
    return holder, release


def _last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def test_locks_of_one_name_exclude_each_other_and_other_names_do_not(app):
    with app.app_context():
        first, second, other = (make_lock(db.engine, "lock-test"), make_lock(db.engine, "lock-test"),
                                make_lock(db.engine, "lock-test:DIW"))
        assert first.acquire()
        try:
            assert not second.acquire()
            assert other.acquire()
            other.release()
        finally:
            first.release()
        assert second.acquire()
        second.release()


def test_a_run_that_finds_the_lock_taken_is_skipped_and_recorded(app):
    clear_job_runs(app)
    with app.app_context(), job_lock("sla-flags") as held:
        assert held
        [skipped] = run(app, "sla-flags")
    assert skipped.status == RunStatus.SKIPPED
    [ok] = run(app, "sla-flags")
    assert ok.status == RunStatus.SUCCEEDED
    assert [r.status for r in job_runs(app, "sla-flags")] == ["skipped", "succeeded"]


def test_two_processes_never_run_the_job_at_the_same_time(app, tmp_path):
    clear_job_runs(app)
    holder, release = _start_holder(tmp_path)
    try:
        other = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "jobs", "run", "sla-flags"], cwd=ROOT,
                               env=_env(), capture_output=True, text=True, timeout=120)
        assert other.returncode == 0, other.stderr[-3000:]
        assert _last_json(other.stdout)["status"] == "skipped"
    finally:
        release.write_text("go")
        out, err = holder.communicate(timeout=120)
    assert holder.returncode == 0, err[-3000:]
    assert _last_json(out)["status"] == "succeeded"
    assert sorted(r.status for r in job_runs(app, "sla-flags")) == ["skipped", "succeeded"]


def test_a_killed_run_frees_its_lock_and_is_closed_as_interrupted(app, tmp_path):
    clear_job_runs(app)
    holder, _release = _start_holder(tmp_path)
    holder.kill()
    holder.communicate(timeout=30)
    # The server notices the dropped connection (PostgreSQL) or the kernel drops the flock (SQLite).
    deadline = time.monotonic() + 20
    while True:
        [result] = run(app, "sla-flags")
        if result.status != RunStatus.SKIPPED or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert result.status == RunStatus.SUCCEEDED
    runs = [r for r in job_runs(app, "sla-flags") if r.status != "skipped"]
    assert [(r.status, r.message) for r in runs] == [
        ("failed", job_run_service.INTERRUPTED_REASON), ("succeeded", None)]

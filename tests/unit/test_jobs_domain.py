"""Job runs, lock names and keys, schedule planning: pure rules, table-driven."""
from __future__ import annotations

import pytest

from app.domain.jobs import JobFailed, JobOutcome, MAX_REASON_CHARS, failure_reason, lock_key, lock_name
from app.jobs.registry import AgencyTarget, JobSpec
from app.jobs.scheduler import PlannedJob, plan_changes, plan_jobs


@pytest.mark.parametrize("job, agency, expected", [
    ("sla-flags", None, "sla-flags"),
    ("sync-status", "DIW", "sync-status:DIW"),
    ("sync-status", "diw", "sync-status:DIW"),
    ("sync-status", "", "sync-status"),
])
def test_lock_names(job, agency, expected):
    assert lock_name(job, agency) == expected


def test_lock_keys_are_stable_signed_bigints_and_differ_by_name():
    keys = {name: lock_key(name) for name in ("sla-flags", "sync-status:DIW", "sync-status:OPS", "calendar_day")}
    assert len(set(keys.values())) == len(keys)
    assert all(-(2 ** 63) <= key < 2 ** 63 for key in keys.values())
    # The same in every process and on every machine (not Python's salted hash()).
    assert lock_key("sla-flags") == -8482764130564252619


@pytest.mark.parametrize("error, expected", [
    (RuntimeError("disk full"), "RuntimeError: disk full"),
    (ValueError(), "ValueError"),
    (JobFailed("the departmental system answered 503"), "the departmental system answered 503"),
])
def test_failure_reasons(error, expected):
    assert failure_reason(error) == expected


def test_failure_reasons_are_cut_to_a_readable_length():
    reason = failure_reason(RuntimeError("x" * 10_000))
    assert len(reason) == MAX_REASON_CHARS and reason.endswith("…")


def test_a_job_failure_carries_what_was_done_before_it():
    outcome = JobOutcome(fetched=10, changed=3, errors=1)
    assert JobFailed("timeout", outcome).outcome is outcome
    assert JobFailed("timeout").outcome == JobOutcome()


def _noop(_context):
    return JobOutcome()


@pytest.mark.parametrize("kwargs", [
    {},  # neither interval nor per-agency
    {"interval_minutes": 5, "per_agency": True, "agencies": lambda s: []},  # both
    {"per_agency": True},  # per-agency without a selector
])
def test_job_specs_must_say_how_they_are_scheduled(kwargs):
    with pytest.raises(ValueError):
        JobSpec(name="x", run=_noop, description="", **kwargs)


def test_the_plan_has_each_ministry_wide_job_once_and_per_agency_jobs_per_agency():
    specs = [
        JobSpec(name="sla-flags", run=_noop, description="", interval_minutes=5),
        JobSpec(name="sync-status", run=_noop, description="", per_agency=True, agencies=lambda s: []),
    ]
    targets = [AgencyTarget(1, "OPS", 15), AgencyTarget(2, "DIW", 5)]
    plan = plan_jobs(specs, lambda spec: targets)
    assert plan == {
        "sla-flags": PlannedJob("sla-flags", "sla-flags", None, 5, True),
        "sync-status:OPS": PlannedJob("sync-status:OPS", "sync-status", "OPS", 15, True),
        "sync-status:DIW": PlannedJob("sync-status:DIW", "sync-status", "DIW", 5, True),
    }


@pytest.mark.parametrize("scheduled, wanted, expected", [
    ({}, {"a": 5}, (["a"], [], [])),
    ({"a": 5}, {"a": 5}, ([], [], [])),
    ({"a": 5}, {"a": 10}, ([], ["a"], [])),
    ({"a": 5, "b": 15}, {"a": 5}, ([], [], ["b"])),
    ({"a": 5, "b": 15}, {"b": 30, "c": 1}, (["c"], ["b"], ["a"])),
])
def test_plan_changes(scheduled, wanted, expected):
    planned = {job_id: PlannedJob(job_id, job_id, None, minutes, True) for job_id, minutes in wanted.items()}
    to_add, to_change, to_remove = plan_changes(scheduled, planned)
    assert ([j.id for j in to_add], [j.id for j in to_change], to_remove) == expected


def test_a_database_failure_reads_as_the_drivers_line_without_the_sql():
    import sqlite3

    from sqlalchemy.exc import OperationalError

    error = OperationalError("UPDATE job_run SET status=?", ("failed",), sqlite3.OperationalError("no such table: job_run"))
    assert failure_reason(error) == "OperationalError: no such table: job_run"

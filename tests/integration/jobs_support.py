"""Helpers for the jobs tests: bulk-made cases with chosen clocks, test case types, run records."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone

from sqlalchemy import delete, insert, select, text, update

from app.extensions import db
from app.models import Agency, Case, CaseType, JobRun

UTC = timezone.utc
TEST_TYPE_PREFIX = "TSLA-"


SYNC_COLUMNS = dict(connector_kind=None, connector_settings=None, status_map=None, sync_enabled=False,
                    sync_interval_minutes=15, sync_cursor=None, last_synced_at=None, last_catch_up_at=None)


def reset_sync_state(app) -> None:
    """Every agency back to no connector, and no run records or unknown statuses left over."""
    with app.app_context():
        db.session.execute(update(Agency).values(**SYNC_COLUMNS))
        db.session.execute(text("DELETE FROM unknown_external_status"))
        db.session.execute(text("DELETE FROM job_run"))
        db.session.commit()


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@contextmanager
def case_types(app, specs: list[tuple[int, float]]):
    """Case types with the given (target days, at-risk share), removed afterwards with their cases."""
    with app.app_context():
        agency_id = db.session.execute(select(Agency.id).where(Agency.code == "DIW")).scalar_one()
        ids = []
        for number, (days, share) in enumerate(specs):
            case_type = CaseType(code=f"{TEST_TYPE_PREFIX}{number}", agency_id=agency_id, kind="complaint",
                                 name_th=f"ทดสอบ {days}", name_en=f"Test {days}", sla_days=days, at_risk_share=share)
            db.session.add(case_type)
            db.session.flush()
            ids.append(case_type.id)
        db.session.commit()
    try:
        yield agency_id, ids
    finally:
        with app.app_context():
            db.session.rollback()
            db.session.execute(delete(Case).where(Case.case_type_id.in_(ids)))
            db.session.execute(delete(CaseType).where(CaseType.id.in_(ids)))
            db.session.commit()


def insert_cases(app, rows: list[dict]) -> None:
    """Insert cases as given (agency_id, case_type_id, status, submitted_at, sla_started_at,
    paused_days, paused_since, due_at, sla_flag...), with numbered tracking codes."""
    with app.app_context():
        start = db.session.execute(text('SELECT COUNT(*) FROM "case"')).scalar_one()
        full = []
        for offset, row in enumerate(rows):
            full.append({
                "tracking_code": f"T-{start + offset:07d}", "kind": "complaint", "channel": "web",
                "title": "ทดสอบกำหนดเวลา", "priority": "normal", "paused_days": 0, "paused_since": None,
                "sla_started_at": None, "due_at": None, "sla_flag": None, "reopen_count": 0, "closed_at": None,
                "version": 1, **row,
            })
        db.session.execute(insert(Case.__table__), full)
        db.session.commit()


def case_clocks(app) -> dict[int, tuple]:
    with app.app_context():
        rows = db.session.execute(select(Case.id, Case.due_at, Case.sla_flag)).all()
        db.session.rollback()
        return {row.id: (row.due_at, row.sla_flag) for row in rows}


def clear_job_runs(app) -> None:
    with app.app_context():
        db.session.execute(delete(JobRun))
        db.session.commit()


def job_runs(app, job: str | None = None) -> list[JobRun]:
    with app.app_context():
        stmt = select(JobRun).order_by(JobRun.id)
        if job:
            stmt = stmt.where(JobRun.job == job)
        runs = db.session.execute(stmt).scalars().all()
        db.session.expunge_all()
        db.session.rollback()
        return runs


def dialect(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


def run(app, name: str, **kwargs):
    """Run a job once, as `flask jobs run` does, in an application context of its own."""
    from app.jobs.runner import run_job

    with app.app_context():
        return run_job(name, **kwargs)

"""Records of job runs: what each run of a scheduled or command-line job did."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.agency import Agency
from app.models.types import BigId, UTCDateTime, utcnow


class JobRun(Model):
    """One run of a job (for one agency, or ministry-wide when agency_id is empty)."""

    __tablename__ = "job_run"
    __table_args__ = (
        Index("ix_job_run_job_agency_started", "job", "agency_id", "started_at"),
        Index("ix_job_run_started", "started_at"),
        CheckConstraint("status IN ('running', 'succeeded', 'failed', 'skipped')", name="ck_job_run_status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    job: Mapped[str] = mapped_column(String(40), nullable=False)
    agency_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agency.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="running")
    fetched: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    changed: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    errors: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Why a run failed or was skipped, in words an administrator can act on.
    message: Mapped[Optional[str]] = mapped_column(Text)
    details: Mapped[Optional[dict]] = mapped_column(JSON)
    # host:pid of the process that ran it, to tell two schedulers apart.
    runner: Mapped[Optional[str]] = mapped_column(String(200))

    agency: Mapped[Optional[Agency]] = relationship(lazy="joined")

    @property
    def report(self) -> tuple[str, str | None, dict | None]:
        """What the screens word in the reader's language (app.domain.job_messages.shown)."""
        return self.job, self.message, self.details

    @property
    def duration(self) -> float | None:
        """Seconds from start to end; None while running."""
        if self.finished_at is None or self.started_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    def __repr__(self) -> str:
        return f"{self.job} #{self.id} {self.status}"

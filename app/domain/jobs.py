"""What a job run is and how it ends: statuses, outcomes, lock names. Pure: no Flask or database."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.database_errors import database_error_detail


class RunStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"


RUN_STATUS_LABELS = {
    RunStatus.RUNNING: ("กำลังทำงาน", "Running"),
    RunStatus.SUCCEEDED: ("สำเร็จ", "Succeeded"),
    RunStatus.FAILED: ("ล้มเหลว", "Failed"),
    RunStatus.SKIPPED: ("ข้าม (มีรอบอื่นกำลังทำงาน)", "Skipped (another run holds the lock)"),
}

# Failure reasons are shown on a screen and stored in a text column: keep them readable.
MAX_REASON_CHARS = 2000


@dataclass
class JobOutcome:
    """What a job reports when it ends normally; `errors` counts items it could not apply."""

    fetched: int = 0
    changed: int = 0
    errors: int = 0
    message: str | None = None
    details: dict = field(default_factory=dict)


class JobFailed(Exception):
    """Raised by a job that could not do its work, with what it managed before it stopped.

    Its message is the reason an administrator reads on the job-runs screen.
    """

    def __init__(self, reason: str, outcome: JobOutcome | None = None):
        super().__init__(reason)
        self.reason = reason
        self.outcome = outcome or JobOutcome()


def lock_name(job: str, agency_code: str | None = None) -> str:
    """One lock per job, and per agency for per-agency jobs: 'sla-flags', 'sync-status:DIW'."""
    return job if not agency_code else f"{job}:{agency_code.upper()}"


def lock_key(name: str) -> int:
    """A stable signed 64-bit number for a lock name (PostgreSQL advisory locks take a bigint).

    A hash, not Python's hash(), so that every process and machine derives the same key.
    """
    digest = hashlib.sha256(b"rueang-job:" + name.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def failure_reason(error: BaseException) -> str:
    """'ErrorType: message', cut to a length a screen can show."""
    text = str(error).strip()
    if getattr(error, "orig", None) is not None:  # a database error: the driver's line, not SQL and parameters
        text = database_error_detail(error)
    reason = f"{type(error).__name__}: {text}" if text else type(error).__name__
    if isinstance(error, JobFailed):
        reason = error.reason
    if len(reason) > MAX_REASON_CHARS:
        reason = reason[: MAX_REASON_CHARS - 1] + "…"
    return reason

"""`purge-work-files`: remove the Excel uploads and exports past their two hours.

They hold names, phone numbers and ID numbers. Each new upload or export purged its own folder
as it started, so a quiet week kept them all that time; this job removes them whether or not
anyone uploads or exports again."""
from __future__ import annotations

from app.domain.jobs import JobOutcome
from app.jobs.registry import JobContext, JobSpec
from app.services import export_runs, import_uploads
from app.services.work_files import purge_expired


def run(context: JobContext) -> JobOutcome:
    uploads = purge_expired(import_uploads.upload_dir(), import_uploads.UPLOAD_TTL_SECONDS)
    exports = purge_expired(export_runs.export_dir(), export_runs.EXPORT_TTL_SECONDS)
    return JobOutcome(changed=uploads + exports, details={"uploads_removed": uploads, "exports_removed": exports})


JOB = JobSpec(
    name="purge-work-files",
    run=run,
    description="Remove the Excel uploads and exports (names, phones, IDs) past their two hours.",
    interval_minutes=15,
)

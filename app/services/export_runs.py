"""Exports too long to make while the browser waits. The list's export starts one in the
background (app.services.background) when the list holds more rows than a quick export; it is
written to instance/exports/ while the page that follows it polls its status and progress, and
downloaded by the user who asked for it, within EXPORT_TTL_SECONDS (app.services.work_files)."""
from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Select

from app.domain.errors import RuleError
from app.services.case_export import write_cases
from app.services.db import begin_read_only
from app.services.work_files import WorkFiles, belongs_to, work_dir

log = logging.getLogger(__name__)

EXPORT_TTL_SECONDS = 2 * 3600


class ExportGone(RuleError):
    code = "export_gone"
    http_status = 404

    def __init__(self):
        super().__init__("This export has expired or was never made; export the list again.",
                         "ไฟล์ส่งออกนี้หมดอายุแล้วหรือไม่มีอยู่ กรุณาส่งออกรายการอีกครั้ง")


def export_dir() -> Path:
    return work_dir("EXCEL_EXPORT_DIR", "exports")


class StoredExport(WorkFiles):
    """One export: <token>.xlsx (the workbook, once written) and <token>.json (status)."""

    ttl_seconds = EXPORT_TTL_SECONDS
    busy_states = frozenset({"writing"})
    gone = ExportGone
    interrupted = {"state": "failed", "code": "interrupted",
                   "message_en": "The server stopped while this export was being written; export the list again.",
                   "message_th": "เครื่องแม่ข่ายหยุดทำงานระหว่างสร้างไฟล์ส่งออกนี้ กรุณาส่งออกรายการอีกครั้ง"}

    def __init__(self, folder: Path, token: str):
        super().__init__(folder, token)
        self.sheet = folder / f"{token}.xlsx"

    def files(self) -> list[Path]:
        return [self.sheet, *super().files()]

    @classmethod
    def running_of(cls, folder: Path, owner: dict) -> "StoredExport | None":
        """The export `owner` has still being written, if any (a few status files to read)."""
        for path in sorted(folder.glob("*.json")):
            try:
                export = cls(folder, path.stem)
            except ExportGone:
                continue
            status = export.status()
            if belongs_to(status, owner) and status.get("state") == "writing":
                return export
        return None

    @classmethod
    def begin(cls, folder: Path, *, owner: dict, download_name: str) -> "StoredExport":
        return cls.start(folder, {"state": "writing", **owner, "download_name": download_name,
                                  "progress": {"stage": "export", "done": 0, "total": 0}})


def make_export(export: StoredExport, statement: Select, count_statement: Select, lang: str) -> None:
    """Write the statement's cases into the export's workbook, reporting progress as it goes.
    The statement carries the user's scope and filters: it was built while serving their request.
    The workbook appears only once whole (case_export.workbook_at): a run that fails or is stopped
    leaves no partial file for the download page to send, and none of the writer's temporary files."""
    from app.extensions import db

    try:
        begin_read_only(db.session)
        total = db.session.execute(count_statement).scalar_one()
        export.progress("export", 0, total)
        written = write_cases(db.session, export.sheet, statement, lang=lang, progress=export.progress, total=total)
        db.session.rollback()
        export.write_status({"state": "done", "rows": written,
                             "progress": {"stage": "export", "done": written, "total": written}}, force=True)
    except BaseException as error:  # the page must say what happened, whatever it was, a stop too
        db.session.rollback()
        log.exception("export failed")
        export.sheet.unlink(missing_ok=True)  # written whole, but the run failed after: not for download
        export.write_status({"state": "failed", "message_en": "The export failed unexpectedly; try again.",
                             "message_th": "การส่งออกล้มเหลวโดยไม่คาดคิด กรุณาลองอีกครั้ง"}, force=True)
        if not isinstance(error, Exception):
            raise

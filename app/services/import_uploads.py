"""Uploads waiting between preview and commit, and the background work that checks and writes them
(started through app.services.background).

Each upload lives under instance/imports/ with a random name, beside a small JSON status file
that any worker process can read (the page polls it; app.services.work_files). Uploads belong to
the user who sent them and expire after UPLOAD_TTL_SECONDS; expired files are removed whenever a
new upload arrives.
"""
from __future__ import annotations

import logging
from pathlib import Path

from app.domain.errors import RuleError
from app.services.actor import Actor
from app.services.db import begin_read_only
from app.services.work_files import WorkFiles, work_dir

log = logging.getLogger(__name__)

UPLOAD_TTL_SECONDS = 2 * 3600


class FileTooLarge(RuleError):
    code = "file_too_large"

    def __init__(self, max_bytes: int):
        size = f"{max_bytes / 2**20:,.0f}"
        super().__init__(f"The file is larger than {size} MB; split it into smaller files.",
                         f"ไฟล์ใหญ่เกิน {size} MB กรุณาแบ่งเป็นไฟล์ที่เล็กลง")


class UploadGone(RuleError):
    code = "upload_gone"
    http_status = 404

    def __init__(self):
        super().__init__("This upload has expired or was cancelled; upload the file again.",
                         "ไฟล์ที่อัปโหลดหมดอายุหรือถูกยกเลิกแล้ว กรุณาอัปโหลดใหม่")


def upload_dir() -> Path:
    return work_dir("EXCEL_IMPORT_DIR", "imports")


class StoredUpload(WorkFiles):
    """One upload: <token>.sheet (the file), <token>.json (status), <token>.errors.xlsx."""

    ttl_seconds = UPLOAD_TTL_SECONDS
    busy_states = frozenset({"checking", "committing"})
    gone = UploadGone
    interrupted = {
        "state": "failed", "code": "interrupted",
        "message_en": "The server stopped while this file was being checked or imported. Look at the case list, "
                      "then import the file again: importing the same file twice changes nothing the second time.",
        "message_th": "เครื่องแม่ข่ายหยุดทำงานระหว่างตรวจสอบหรือนำเข้าไฟล์นี้ กรุณาตรวจดูรายการเรื่อง แล้วนำเข้าไฟล์อีกครั้ง "
                      "การนำเข้าไฟล์เดิมซ้ำจะไม่เปลี่ยนแปลงข้อมูลที่นำเข้าไปแล้ว",
    }

    def __init__(self, folder: Path, token: str):
        super().__init__(folder, token)
        self.sheet = folder / f"{token}.sheet"
        self.errors = folder / f"{token}.errors.xlsx"

    def files(self) -> list[Path]:
        return [self.sheet, self.errors, *super().files()]

    @classmethod
    def create(cls, folder: Path, data_stream, *, owner: dict, agency_code: str | None, file_name: str,
               max_bytes: int) -> "StoredUpload":
        upload = cls.start(folder, {"state": "receiving", **owner, "agency_code": agency_code,
                                    "file_name": file_name})
        size = 0
        try:
            with open(upload.sheet, "wb") as out:
                while chunk := data_stream.read(1 << 20):
                    size += len(chunk)
                    if size > max_bytes:
                        break
                    out.write(chunk)
        except BaseException:  # a full disk, the client gone mid-upload: nothing half received stays
            upload.remove()
            raise
        if size > max_bytes:
            upload.remove()
            raise FileTooLarge(max_bytes)
        upload.write_status({"state": "checking", "size": size, "progress": {"stage": "read", "done": 0, "total": 0}},
                            force=True)
        return upload


def _issues(plan, limit: int = 50) -> list[dict]:
    return [issue.as_dict() for issue in plan.first_errors(limit)]


def _plan_status(plan) -> dict:
    return {"counts": plan.counts.as_dict(), "empty_rows": plan.empty_rows, "header_row": plan.header_row,
            "errors": _issues(plan), "notices": plan.notices, "agency_code": plan.agency_code}


def _failure(error: Exception) -> dict:
    if isinstance(error, RuleError):
        return {"state": "failed", "message_en": error.message_en, "message_th": error.message_th, "code": error.code}
    log.exception("import failed")
    return {"state": "failed", "code": "internal", "message_en": "The import failed unexpectedly; nothing was written.",
            "message_th": "การนำเข้าล้มเหลวโดยไม่คาดคิด ยังไม่มีการบันทึกข้อมูลใด ๆ"}


def check_upload(actor: Actor, upload: StoredUpload, agency_code: str | None, file_name: str) -> None:
    """The preview: read and check every row, keep counts, first errors and the errors workbook."""
    from app.extensions import db
    from app.services.case_import import plan_import, read_sheet
    from app.services.import_files import write_errors_workbook

    try:
        begin_read_only(db.session)  # the preview writes nothing: it must not hold up others' saves
        sheet = read_sheet(upload.sheet)
        plan = plan_import(db.session, actor, upload.sheet, file_name=file_name, agency_code=agency_code, sheet=sheet,
                           progress=upload.progress)
        db.session.rollback()
        produce = (lambda: write_errors_workbook(upload.errors, plan, sheet.rows)) if plan.bad else None
        upload.move(("checking",), {"state": "ready", **_plan_status(plan)}, produce)
    except Exception as error:  # the page must say what happened, whatever it was
        db.session.rollback()
        upload.move(("checking",), _failure(error))


def commit_upload(actor: Actor, upload: StoredUpload, agency_code: str | None, file_name: str,
                  valid_only: bool) -> None:
    from app.services.case_import import run_import

    try:
        plan = run_import(actor, upload.sheet, file_name=file_name, agency_code=agency_code, valid_only=valid_only,
                          progress=upload.progress)
        upload.write_status({"state": "done", "valid_only": valid_only, **_plan_status(plan)}, force=True)
        upload.sheet.unlink(missing_ok=True)
    except Exception as error:
        changes = _failure(error)
        plan = getattr(error, "plan", None)
        if plan is not None:
            changes.update(_plan_status(plan))
        upload.write_status(changes, force=True)

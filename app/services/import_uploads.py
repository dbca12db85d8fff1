"""Uploads waiting between preview and commit, and the background work that checks and writes them
(started through app.services.background).

Each upload lives under instance/imports/ with a random name, beside a small JSON status file
that any worker process can read (the page polls it). Uploads belong to the user who sent them
and expire after UPLOAD_TTL_SECONDS; expired files are removed whenever a new upload arrives.
"""
from __future__ import annotations

import json
import logging
import os
import secrets
import time
from pathlib import Path

from app.domain.errors import RuleError
from app.services.actor import Actor

log = logging.getLogger(__name__)

UPLOAD_TTL_SECONDS = 2 * 3600
STATUS_WRITE_INTERVAL = 0.5
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


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
    from flask import current_app

    configured = current_app.config.get("EXCEL_IMPORT_DIR")
    folder = Path(configured) if configured else Path(current_app.root_path).parent / "instance" / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class StoredUpload:
    """One upload: <token>.sheet (the file), <token>.json (status), <token>.errors.xlsx."""

    def __init__(self, folder: Path, token: str):
        if not token or len(token) > 64 or not set(token) <= _TOKEN_CHARS:
            raise UploadGone()
        self.folder, self.token = folder, token
        self.sheet = folder / f"{token}.sheet"
        self.status_path = folder / f"{token}.json"
        self.errors = folder / f"{token}.errors.xlsx"
        self._last_write = 0.0

    @classmethod
    def create(cls, folder: Path, data_stream, *, user_id: int | None, agency_code: str | None, file_name: str,
               max_bytes: int) -> "StoredUpload":
        purge_expired(folder)
        upload = cls(folder, secrets.token_urlsafe(24))
        size = 0
        with open(upload.sheet, "wb") as out:
            while chunk := data_stream.read(1 << 20):
                size += len(chunk)
                if size > max_bytes:
                    break
                out.write(chunk)
        if size > max_bytes:
            upload.sheet.unlink(missing_ok=True)
            raise FileTooLarge(max_bytes)
        upload.write_status({"state": "checking", "user_id": user_id, "agency_code": agency_code,
                             "file_name": file_name, "created": time.time(), "size": size,
                             "progress": {"stage": "read", "done": 0, "total": 0}}, force=True)
        return upload

    @classmethod
    def find(cls, folder: Path, token: str, user_id: int | None) -> "StoredUpload":
        upload = cls(folder, token)
        status = upload.status()
        if status is None or status.get("user_id") != user_id:
            raise UploadGone()
        if time.time() - status.get("created", 0) > UPLOAD_TTL_SECONDS and status.get("state") != "committing":
            upload.remove()
            raise UploadGone()
        return upload

    def status(self) -> dict | None:
        try:
            return json.loads(self.status_path.read_text("utf-8"))
        except (OSError, ValueError):
            return None

    def write_status(self, changes: dict, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_write < STATUS_WRITE_INTERVAL:
            return
        self._last_write = now
        status = self.status() or {}
        status.update(changes)
        temporary = self.status_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(status, ensure_ascii=False, default=str), "utf-8")
        os.replace(temporary, self.status_path)

    def progress(self, stage: str, done: int, total: int) -> None:
        self.write_status({"progress": {"stage": stage, "done": done, "total": total}})

    def remove(self) -> None:
        for path in (self.sheet, self.status_path, self.errors):
            path.unlink(missing_ok=True)


def purge_expired(folder: Path) -> int:
    removed = 0
    limit = time.time() - UPLOAD_TTL_SECONDS
    for path in folder.glob("*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
                removed += 1
        except OSError:
            continue
    return removed


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
        rows = read_sheet(upload.sheet)
        plan = plan_import(db.session, actor, upload.sheet, file_name=file_name, agency_code=agency_code, rows=rows,
                           progress=upload.progress)
        db.session.rollback()
        if plan.bad:
            write_errors_workbook(upload.errors, plan, rows)
        upload.write_status({"state": "ready", **_plan_status(plan)}, force=True)
    except Exception as error:  # the page must say what happened, whatever it was
        db.session.rollback()
        upload.write_status(_failure(error), force=True)


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

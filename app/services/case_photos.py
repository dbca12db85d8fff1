"""Photos sent with cases: stored under random names outside the web root, shown to staff only.

Files live in the upload directory (UPLOAD_DIR, instance/uploads by default) as
<two hex characters>/<32 hex characters>.jpg; the database row says which case each belongs to.
A file is written just before its row is committed and removed again if the commit fails.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.domain.photos import Photo
from app.models import Case, CaseAttachment
from app.services.actor import Actor
from app.services.errors import NotFound
from app.services.scope import agency_clause


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def _path(root: Path, stored_name: str) -> Path:
    return root / stored_name[:2] / stored_name


@dataclass
class PhotoWriter:
    """Writes photos for one case inside the caller's transaction; `discard()` undoes the files."""

    root: Path
    written: list[Path]

    @classmethod
    def at(cls, root: Path) -> "PhotoWriter":
        return cls(root=root, written=[])

    def add(self, session, case: Case, photo: Photo, source: str) -> CaseAttachment:
        stored_name = secrets.token_hex(16) + ".jpg"
        path = _path(self.root, stored_name)
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: never overwrite a file, however unlikely a clash of 128 random bits is.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        self.written.append(path)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(photo.data)
        attachment = CaseAttachment(case_id=case.id, stored_name=stored_name, content_type=photo.content_type,
                                    size_bytes=len(photo.data), width=photo.width, height=photo.height,
                                    source=source)
        session.add(attachment)
        return attachment

    def discard(self) -> None:
        for path in self.written:
            path.unlink(missing_ok=True)
        self.written.clear()


def photos_of(session, actor: Actor, case_id: int) -> list[CaseAttachment]:
    """The photos of a case the actor may read (none for a case outside their scope)."""
    stmt = (select(CaseAttachment).join(Case, Case.id == CaseAttachment.case_id)
            .where(CaseAttachment.case_id == case_id, agency_clause(actor, Case.agency_id))
            .order_by(CaseAttachment.id))
    return list(session.execute(stmt).scalars())


def photo_file(session, actor: Actor, photo_id) -> tuple[Path, str]:
    """Path and content type of one photo in the actor's scope; NotFound otherwise."""
    try:
        key = int(photo_id)
    except (TypeError, ValueError):
        raise NotFound("photo", "รูปภาพ") from None
    stmt = (select(CaseAttachment.stored_name, CaseAttachment.content_type)
            .join(Case, Case.id == CaseAttachment.case_id)
            .where(CaseAttachment.id == key, agency_clause(actor, Case.agency_id)))
    row = session.execute(stmt).first()
    if row is None:
        raise NotFound("photo", "รูปภาพ")
    path = _path(upload_dir(), row.stored_name)
    if not path.is_file():
        raise NotFound("photo", "รูปภาพ")
    return path, row.content_type

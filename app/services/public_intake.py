"""Filing a complaint without an account: check everything, then create the case, its photos and the
requester's private link in one transaction through the case service.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Mapping, Sequence

from sqlalchemy import select

from app.domain import photos as photo_rules
from app.domain.case_rules import ValidationFailed
from app.domain.errors import RuleError
from app.domain.public_form import complaint_fields
from app.domain.secret_tokens import digest, new_secret
from app.domain.statuses import EventSource, Kind
from app.extensions import db
from app.models import Agency, CaseType, RequesterLink
from app.services import cases as case_service
from app.services.actor import Actor
from app.services.case_photos import PhotoWriter, upload_dir


@dataclass(frozen=True)
class TypeOption:
    id: int
    code: str
    name_th: str
    name_en: str
    agency_code: str
    agency_name_th: str
    agency_name_en: str


@dataclass(frozen=True)
class Upload:
    """One file as received: what the sender called it and at most max+1 of its bytes."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class Filed:
    tracking_code: str
    link_token: str


def complaint_types(session=None) -> list[TypeOption]:
    """The complaint types offered on the public form, agency by agency."""
    session = session or db.session
    stmt = (select(CaseType.id, CaseType.code, CaseType.name_th, CaseType.name_en, Agency.code,
                   Agency.name_th, Agency.name_en)
            .join(Agency, Agency.id == CaseType.agency_id)
            .where(CaseType.public.is_(True), CaseType.active.is_(True), CaseType.kind == Kind.COMPLAINT,
                   Agency.active.is_(True))
            .order_by(Agency.id, CaseType.id))
    return [TypeOption(*row) for row in session.execute(stmt)]


# One photo decoded at a time in a process: a large picture takes up to a few hundred MB while it
# is decoded, and a worker's threads filing complaints at once must not add those up.
_DECODING = threading.BoundedSemaphore(1)


def _checked_photos(uploads: Sequence[Upload], max_photos: int, max_bytes: int) -> tuple[list, list[RuleError]]:
    chosen = [u for u in uploads if u.filename or u.data]
    if len(chosen) > max_photos:
        return [], [photo_rules.too_many(len(chosen), max_photos)]
    cleaned, errors = [], []
    for position, upload in enumerate(chosen, start=1):
        try:
            with _DECODING:
                cleaned.append(photo_rules.reencode(upload.data, position, max_bytes=max_bytes))
        except RuleError as error:
            errors.append(error)
    return cleaned, errors


def file_complaint(form: Mapping[str, str], uploads: Sequence[Upload], *, origin: str | None,
                   max_photos: int = photo_rules.MAX_PHOTOS,
                   max_photo_bytes: int = photo_rules.MAX_PHOTO_BYTES) -> Filed:
    """Create the case; ValidationFailed (every bad field and photo) or LooksAutomated otherwise.

    Nothing is written unless every check passes.
    """
    type_ids = {option.id for option in complaint_types()}
    errors: list[RuleError] = []
    fields = None
    try:
        fields = complaint_fields(form, type_ids)
    except ValidationFailed as failed:
        errors.extend(failed.errors)
    cleaned, photo_errors = _checked_photos(uploads, max_photos, max_photo_bytes)
    errors.extend(photo_errors)
    if errors:
        raise ValidationFailed(errors)

    token = new_secret()
    writer = PhotoWriter.at(upload_dir())

    def write_related(session, case) -> None:
        for photo in cleaned:
            writer.add(session, case, photo, EventSource.PUBLIC)
        session.add(RequesterLink(case_id=case.id, token_hash=digest(token)))

    actor = Actor.for_user(None, origin=origin)
    try:
        case = case_service.create_case(actor, fields, on_write=write_related)
    except BaseException:
        writer.discard()
        raise
    return Filed(case.tracking_code, token)

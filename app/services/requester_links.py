"""What a requester's private link allows: rate the case once it is closed, and reopen it once.

The link is the authorisation: tracking code plus a 256-bit token whose hash the case keeps. A
wrong or missing token is simply "not found", like an unknown code.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from app.domain import roles
from app.domain.case_rules import MAX_LENGTHS, clean_text
from app.domain.errors import RuleError
from app.domain.secret_tokens import matches
from app.domain.statuses import CLOSED_STATUSES, REQUESTER_ACTOR, EventKind, EventSource
from app.extensions import db
from app.models import Case, CaseEvent, RequesterLink
from app.models.types import utcnow
from app.services import cases as case_service
from app.services.actor import Actor
from app.services.db import transaction
from app.services.errors import NotFound
from app.services.public_status import canonical_code

REQUESTER_LABEL = REQUESTER_ACTOR


class LinkUsed(RuleError):
    code = "link_used"
    http_status = 409

    def __init__(self):
        super().__init__("This link has already been used to reopen the case once. Please contact the agency.",
                         "ลิงก์นี้ใช้เปิดเรื่องใหม่ไปแล้วหนึ่งครั้ง กรุณาติดต่อหน่วยงาน")


class NotClosed(RuleError):
    code = "not_closed"
    http_status = 409

    def __init__(self, what_en: str, what_th: str):
        super().__init__(f"You can {what_en} once the case is closed.", f"ท่าน{what_th}ได้เมื่อเรื่องปิดแล้ว")


@dataclass(frozen=True)
class LinkState:
    case_id: int
    agency_id: int
    status: str
    satisfaction: int | None
    rated_at: datetime | None
    reopened_at: datetime | None

    @property
    def closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def may_reopen(self) -> bool:
        return self.closed and self.reopened_at is None


def check(code: str | None, token: str | None, session=None) -> LinkState:
    """The case behind a private link; NotFound for an unknown code or a wrong token."""
    canonical = canonical_code(code)
    if canonical is None or not token or len(token) > 100:
        raise NotFound()
    session = session or db.session
    row = session.execute(
        select(RequesterLink.token_hash, Case.id, Case.agency_id, Case.status, Case.satisfaction,
               RequesterLink.rated_at, RequesterLink.reopened_at)
        .join(Case, Case.id == RequesterLink.case_id)
        .where(Case.tracking_code == canonical)
    ).first()
    if row is None or not matches(token, row[0]):
        raise NotFound()
    return LinkState(*row[1:])


def _stars(value) -> int:
    text = str(value or "").strip()
    if text not in {"1", "2", "3", "4", "5"}:
        raise RuleError("Rating: choose from 1 to 5 stars.", "ความพึงพอใจ: กรุณาเลือก 1 ถึง 5 ดาว",
                        code="bad_rating", field="stars")
    return int(text)


def rate(code: str, token: str, stars, *, origin: str | None) -> int:
    value = _stars(stars)
    with transaction() as session:
        state = check(code, token, session)
        if not state.closed:
            raise NotClosed("rate the service", "ให้คะแนนความพึงพอใจ")
        case = session.get(Case, state.case_id)
        old = case.satisfaction
        case.satisfaction = value
        now = utcnow()
        session.execute(update(RequesterLink).where(RequesterLink.case_id == state.case_id).values(rated_at=now))
        session.add(CaseEvent(case_id=case.id, at=now, kind=EventKind.RATING, source=EventSource.PUBLIC,
                              actor_label=REQUESTER_LABEL, origin=(origin or "")[:300] or None, public=False,
                              changes={"satisfaction": [old, value]}))
    return value


def _reason(note) -> str:
    text = clean_text(note)
    if not text:
        raise RuleError("Reason: please say why the case should be reopened.",
                        "เหตุผล: กรุณาระบุเหตุผลที่ขอเปิดเรื่องใหม่", code="required", field="note")
    if len(text) > MAX_LENGTHS["note"]:
        raise RuleError(f"Reason: too long (at most {MAX_LENGTHS['note']:,} characters).",
                        f"เหตุผล: ยาวเกินไป (ไม่เกิน {MAX_LENGTHS['note']:,} ตัวอักษร)", code="too_long",
                        field="note")
    return text


def reopen(code: str, token: str, note, *, origin: str | None) -> None:
    reason = _reason(note)
    state = check(code, token)
    if state.reopened_at is not None:
        raise LinkUsed()
    if not state.closed:
        raise NotClosed("reopen the case", "ขอเปิดเรื่องใหม่")
    # The link grants this one reopening of this one case, in the agency that holds it now.
    actor = Actor(user_id=None, agency_id=state.agency_id, role_names=frozenset({roles.PUBLIC}),
                  label=REQUESTER_LABEL, source=EventSource.PUBLIC, origin=origin,
                  grants=frozenset({case_service.WRITE}))

    def claim_link(session, case) -> None:
        # Conditional update: of two reopenings racing on one link, only one finds it unused.
        claimed = session.execute(
            update(RequesterLink)
            .where(RequesterLink.case_id == case.id, RequesterLink.reopened_at.is_(None))
            .values(reopened_at=utcnow())
        ).rowcount
        if claimed != 1:
            raise LinkUsed()

    # The requester's own words may name or reach people: staff read them, the public page does not.
    case_service.reopen_case(actor, state.case_id, note=reason, public=False, on_write=claim_link)

"""Linking cases across agencies: make a link, remove one, and list a case's links as its reader
may see them (app/domain/case_links.py has the rules)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.domain.case_links import LinkKind, check_duplicate, check_link, link_kind, link_note
from app.domain.case_rules import ValidationFailed, all_or_none
from app.domain.errors import RuleError
from app.domain.public_status import canonical_code
from app.domain.statuses import EventKind
from app.models import Case, CaseLink
from app.services.actor import Actor
from app.services.cases import check_writable, load_case, may_write_case, new_event
from app.services.db import is_postgresql, transaction
from app.services.errors import NotFound
from app.services.scope import agency_clause


@dataclass(frozen=True)
class LinkedCase:
    """One link as the case page shows it. Of a case the reader may not open, only what the
    public status page shows: code, agency, type and status."""

    link_id: int
    kind: str
    made_here: bool
    case_id: int
    tracking_code: str
    agency_code: str
    case_type_code: str
    case_type_th: str
    case_type_en: str
    status: str
    title: str | None  # only when the reader may open the case
    note: str | None
    made_by: str | None
    made_at: datetime
    may_open: bool
    may_remove: bool


def _other_case(session, typed_code: Any) -> Case:
    code = canonical_code(str(typed_code or ""))
    case = session.execute(select(Case).where(Case.tracking_code == code)).scalar_one_or_none() if code else None
    if case is None:
        typed = str(typed_code or "").strip()[:40]
        raise ValidationFailed([RuleError(f"No case has the tracking code '{typed}'.",
                                          f"ไม่พบเรื่องที่มีเลขที่เรื่อง '{typed}'",
                                          code="unknown_tracking_code", field="code")])
    return case


def _linked_ids(session, case_id: int) -> set[int]:
    rows = session.execute(select(CaseLink.case_id, CaseLink.linked_case_id).where(
        or_(CaseLink.case_id == case_id, CaseLink.linked_case_id == case_id))).all()
    return {other for pair in rows for other in pair if other != case_id}


def _originals(session, case_id: int, most: int = 10_000) -> set[int]:
    """Every case `case_id` is a duplicate of, step by step (a duplicate of a duplicate...)."""
    found: set[int] = set()
    step = {case_id}
    while step and len(found) < most:
        step = set(session.execute(select(CaseLink.linked_case_id).where(
            CaseLink.case_id.in_(step), CaseLink.kind == LinkKind.DUPLICATE.value)).scalars()) - found
        found |= step
    return found


def link_cases(actor: Actor, case_id: Any, other_code: Any, kind: Any, *, note: Any = None) -> CaseLink:
    """Links the actor's case to any case by its tracking code; the timeline of the actor's case
    records it (internal). The typed fields are refused together (422), a link the rules do not
    allow (to itself, twice, too many) after them (400)."""
    with transaction() as session:
        case = load_case(session, actor, case_id)
        check_writable(actor, case)
        other, chosen, text = all_or_none(lambda: _other_case(session, other_code), lambda: link_kind(kind),
                                          lambda: link_note(note))
        if is_postgresql(session):
            # Both cases' links hold still until this one is in. Locked in the order of their ids:
            # two officers linking A to B and B to A at once would otherwise each hold one and wait
            # for the other. The case is read again under its lock (it may have been forwarded).
            session.execute(select(Case.id).where(Case.id.in_({case.id, other.id})).order_by(Case.id)
                            .with_for_update())
            session.refresh(case)
            check_writable(actor, case)
        check_link(case.id, other.id, _linked_ids(session, case.id), _linked_ids(session, other.id),
                   other.tracking_code)
        if chosen == LinkKind.DUPLICATE:
            check_duplicate(case.id, _originals(session, other.id), other.tracking_code)
        link = CaseLink(case_id=case.id, linked_case_id=other.id, kind=chosen, note=text,
                        created_by_id=actor.user_id, created_by_label=actor.label or None)
        session.add(link)
        session.add(new_event(case, actor, EventKind.LINK, public=False,
                           note=" ".join(part for part in (other.tracking_code, text) if part)))
        session.flush()
    return link


def unlink(actor: Actor, case_id: Any, link_id: Any) -> None:
    """Removes a link made from the actor's case; its timeline records it."""
    with transaction() as session:
        case = load_case(session, actor, case_id, for_update=True)
        check_writable(actor, case)
        try:
            key = int(link_id)
        except (TypeError, ValueError):
            raise NotFound("link", "การเชื่อมโยง") from None
        link = session.get(CaseLink, key)
        if link is None or link.case_id != case.id:
            raise NotFound("link", "การเชื่อมโยง")
        other_code = link.linked_case.tracking_code
        session.delete(link)
        session.add(new_event(case, actor, EventKind.UNLINK, public=False, note=other_code))
        session.flush()


def links_of_case(actor: Actor, case_id: Any) -> list[LinkedCase]:
    """The links of a case the actor reads (404 otherwise)."""
    from app.extensions import db

    case = load_case(db.session, actor, case_id)
    return links_of(db.session, actor, case, may_write=may_write_case(actor, case))


def links_of(session, actor: Actor, case: Case, *, may_write: bool) -> list[LinkedCase]:
    """Every link of a case the actor reads, made from it or pointing at it, oldest first."""
    links = session.execute(select(CaseLink).where(
        or_(CaseLink.case_id == case.id, CaseLink.linked_case_id == case.id)).order_by(CaseLink.id)
        .options(selectinload(CaseLink.case), selectinload(CaseLink.linked_case))).scalars().all()
    if not links:
        return []
    others = {link.linked_case_id if link.case_id == case.id else link.case_id for link in links}
    readable = set(session.execute(select(Case.id).where(Case.id.in_(others),
                                                         agency_clause(actor, Case.agency_id))).scalars())
    shown = []
    for link in links:
        made_here = link.case_id == case.id
        other = link.linked_case if made_here else link.case
        may_open = other.id in readable
        shown.append(LinkedCase(
            link_id=link.id, kind=link.kind, made_here=made_here, case_id=other.id,
            tracking_code=other.tracking_code, agency_code=other.agency.code, case_type_code=other.case_type.code,
            case_type_th=other.case_type.name_th, case_type_en=other.case_type.name_en, status=other.status,
            title=other.title if may_open else None, note=link.note, made_by=link.created_by_label,
            made_at=link.created_at, may_open=may_open, may_remove=may_write and made_here,
        ))
    return shown

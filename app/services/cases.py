"""Use cases on a case: create, edit, move, forward, reopen, note, assign.

Each validates first, then acts in one transaction, and writes the timeline event that
records who did what, when and from where. Agency scoping is applied when the case is
loaded, so a case of another agency is simply not found.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.domain import personal_data, roles
from app.domain.case_rules import (
    MAX_LENGTHS, ValidationFailed, all_or_none, clean_text, is_text_value, validate_case_fields,
)
from app.domain.errors import RuleError
from app.domain.statuses import OPEN_STATUSES, Channel, EventKind, EventSource, Status
from app.domain import workflow
from app.domain.whole_numbers import whole_number
from app.models import Agency, Case, CaseEvent, CaseType, StaffUser
from app.models.types import utcnow
from app.services import sla as sla_service
from app.services import tracking
from app.services.actor import Actor
from app.services.db import is_postgresql, transaction
from app.services.errors import Conflict, Forbidden, NotFound
from app.services.scope import agency_clause

# What each kind of write needs, as (permission, resource) in domain.roles.ROLE_PERMISSIONS.
WRITE = ("can_write", "Case")
ASSIGN = ("can_assign", "Case")
IMPORT = ("can_import", "Case")
_TRUSTED_SOURCES = {EventSource.SYSTEM, EventSource.SYNC}


def may(actor: Actor, permission: tuple[str, str]) -> bool:
    if actor.is_admin or actor.source in _TRUSTED_SOURCES or permission in actor.grants:
        return True
    return any(permission in roles.ROLE_PERMISSIONS.get(r, ()) for r in actor.role_names)


def require(actor: Actor, permission: tuple[str, str]) -> None:
    if not may(actor, permission):
        raise Forbidden()


def may_write_case(actor: Actor, case: Case) -> bool:
    """Whether the case page offers the actor its actions: write permission, on their agency's case."""
    return may(actor, WRITE) and (actor.is_admin or case.agency_id == actor.agency_id)


def scoped_case_query(actor: Actor):
    return select(Case).where(agency_clause(actor, Case.agency_id))


def load_case(session, actor: Actor, case_id: Any, *, for_update: bool = False) -> Case:
    key = whole_number(case_id)
    if key is None:
        raise NotFound()
    stmt = scoped_case_query(actor).where(Case.id == key)
    if for_update and is_postgresql(session):
        stmt = stmt.with_for_update(of=Case)
    case = session.execute(stmt).unique().scalar_one_or_none()
    if case is None:
        raise NotFound()
    return case


def new_event(case: Case, actor: Actor, kind: EventKind, **fields) -> CaseEvent:
    event = CaseEvent(
        case=case,
        at=fields.pop("at", None) or utcnow(),
        kind=kind,
        source=actor.source,
        actor_id=actor.user_id,
        actor_label=actor.label or None,
        origin=(actor.origin or "")[:300] or None,
        **fields,
    )
    return event


def _check_version(case: Case, expected_version: Any) -> None:
    if expected_version in (None, ""):
        return
    try:
        if isinstance(expected_version, (bool, float)):
            raise TypeError  # JSON true is not version 1, nor 2.5 version 2
        expected = int(expected_version)
    except (TypeError, ValueError):
        # Not a stale version but no version at all: the caller's mistake, not someone else's save.
        raise ValidationFailed([RuleError(
            "Version: must be the whole number the case showed when you read it.",
            "เวอร์ชัน: ต้องเป็นเลขจำนวนเต็มตามที่เรื่องแสดงเมื่อท่านเปิดอ่าน",
            code="not_a_number", field="version")]) from None
    if expected != case.version:
        raise Conflict()


def check_writable(actor: Actor, case: Case) -> None:
    require(actor, WRITE if actor.source != EventSource.IMPORT else IMPORT)
    if not actor.is_admin and actor.source not in _TRUSTED_SOURCES and case.agency_id != actor.agency_id:
        raise NotFound()


def _case_type_for(session, actor: Actor, case_type_id: int) -> CaseType:
    case_type = session.get(CaseType, case_type_id)
    if case_type is None or not case_type.active:
        raise ValidationFailed([RuleError(
            "Case type: no such case type.", "ประเภทเรื่อง: ไม่พบประเภทเรื่องนี้",
            code="unknown_case_type", field="case_type_id")])
    if actor.is_public:
        # The public files with any agency, but only under the types offered to the public.
        if not case_type.public:
            raise ValidationFailed([RuleError(
                "Case type: no such case type.", "ประเภทเรื่อง: ไม่พบประเภทเรื่องนี้",
                code="unknown_case_type", field="case_type_id")])
        return case_type
    if not actor.ministry_wide and case_type.agency_id != actor.agency_id:
        # A type of another agency would move the case there: only forwarding may do that.
        raise ValidationFailed([RuleError(
            "Case type: this type belongs to another agency.",
            "ประเภทเรื่อง: ประเภทนี้เป็นของหน่วยงานอื่น", code="other_agency_type", field="case_type_id")])
    return case_type


def _commit(session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise Conflict() from None


def create_case(actor: Actor, data: dict, *, submitted_at: datetime | None = None,
                on_write: Callable[[Any, Case], None] | None = None) -> Case:
    """`on_write(session, case)` adds the caller's own rows (photos, links) in the same transaction."""
    if actor.is_ministry_viewer:
        raise Forbidden()
    if not actor.is_public:
        require(actor, IMPORT if actor.source == EventSource.IMPORT else WRITE)
    fields = validate_case_fields(data, creating=True)
    with transaction() as session:
        case_type = _case_type_for(session, actor, fields["case_type_id"])
        agency = case_type.agency
        if not actor.ministry_wide and not actor.is_public and agency.id != actor.agency_id:
            raise Forbidden()
        _check_external_ref_free(session, agency.id, fields.get("external_ref"))
        now = utcnow()
        submitted = submitted_at or now
        code = tracking.allocate(session, agency.code, submitted)[0]
        case = Case(
            tracking_code=code,
            agency_id=agency.id,
            kind=case_type.kind,
            status=Status.RECEIVED,
            channel=fields.pop("channel", None) or (Channel.WEB if actor.is_public else Channel.WALK_IN),
            priority=fields.pop("priority", None) or "normal",
            submitted_at=submitted,
            created_at=now,
            updated_at=now,
            **{k: v for k, v in fields.items() if k not in ("channel", "priority")},
        )
        case.case_type = case_type
        case.agency = agency
        if case.external_ref:
            case.external_agency_id = agency.id
        sla_service.apply_due(session, case, case_type, now)
        session.add(case)
        session.add(new_event(case, actor, EventKind.CREATED, to_status=Status.RECEIVED, to_agency_id=agency.id))
        _commit(session)
        if on_write is not None:
            on_write(session, case)
            _commit(session)
    return case


def _check_external_ref_free(session, agency_id: int, external_ref: str | None, case_id: int | None = None) -> None:
    if not external_ref:
        return
    stmt = select(Case.id).where(Case.external_agency_id == agency_id, Case.external_ref == external_ref)
    if case_id is not None:
        stmt = stmt.where(Case.id != case_id)
    if session.execute(stmt).first():
        raise ValidationFailed([RuleError(
            f"Departmental reference: '{external_ref}' is already used by another case of this agency.",
            f"เลขอ้างอิงระบบของกรม: '{external_ref}' ถูกใช้กับเรื่องอื่นของหน่วยงานนี้แล้ว",
            code="duplicate_reference", field="external_ref")])


def _display(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def update_case(actor: Actor, case_id: Any, data: dict, *, expected_version: Any = None) -> Case:
    fields = validate_case_fields(data, creating=False)
    with transaction() as session:
        case = load_case(session, actor, case_id, for_update=True)
        check_writable(actor, case)
        _check_version(case, expected_version)
        # Read before anything moves: a query on the way (the calendar's) may flush the new type.
        before = {field: getattr(case, field) for field in fields}
        old_kind = case.kind
        if "case_type_id" in fields and fields["case_type_id"] != case.case_type_id:
            case_type = _case_type_for(session, actor, fields["case_type_id"])
            if case_type.agency_id != case.agency_id:
                raise ValidationFailed([RuleError(
                    "Case type: this type belongs to another agency; forward the case instead.",
                    "ประเภทเรื่อง: ประเภทนี้เป็นของหน่วยงานอื่น กรุณาใช้การส่งต่อ",
                    code="other_agency_type", field="case_type_id")])
            case.case_type = case_type
            case.kind = case_type.kind
            sla_service.apply_due(session, case, case_type, utcnow())
        if "external_ref" in fields and fields["external_ref"] != case.external_ref:
            # A new reference is a number in the departmental system of the agency holding the case.
            _check_external_ref_free(session, case.agency_id, fields["external_ref"], case.id)
            case.external_agency_id = case.agency_id if fields["external_ref"] else None
        changes = {}
        for field, value in fields.items():
            old = before[field]
            if old != value:
                changes[field] = [_display(old), _display(value)]
                setattr(case, field, value)
        if case.kind != old_kind:
            changes["kind"] = [old_kind, case.kind]
        if changes:
            session.add(new_event(case, actor, EventKind.EDIT, changes=changes))
            _commit(session)
    return case


def _note_text(note: Any) -> str | None:
    if not is_text_value(note):
        raise ValidationFailed([RuleError("Note: must be text.", "บันทึก: ต้องเป็นข้อความ", code="wrong_type",
                                          field="note")])
    text = clean_text(note)
    if text and len(text) > MAX_LENGTHS["note"]:
        raise ValidationFailed([RuleError(
            f"Note: too long (at most {MAX_LENGTHS['note']:,} characters).",
            f"บันทึก: ยาวเกินไป (ไม่เกิน {MAX_LENGTHS['note']:,} ตัวอักษร)", code="too_long", field="note")])
    return text


def _set_status(session, case: Case, target: Status, now: datetime) -> None:
    previous = Status(case.status)
    case.status = target
    case.moved_on_platform_at = now
    sla_service.on_status_change(session, case, previous, target, now)
    if case.first_response_at is None and target != Status.RECEIVED:
        case.first_response_at = now


def change_status(actor: Actor, case_id: Any, target: str, *, note: Any = None, public: bool = True,
                  expected_version: Any = None) -> Case:
    text = _note_text(note)
    with transaction() as session:
        case = load_case(session, actor, case_id, for_update=True)
        check_writable(actor, case)
        _check_version(case, expected_version)
        new = workflow.check_transition(case.status, target)
        _check_public_text(case, text, public)
        old = case.status
        now = utcnow()
        _set_status(session, case, new, now)
        session.add(new_event(case, actor, EventKind.STATUS, from_status=old, to_status=new, note=text,
                           public=bool(public), at=now))
        _commit(session)
    return case


def _check_public_text(case: Case, text: str | None, public: bool) -> None:
    """A note or reason shown on the status page must not show anyone's personal data
    (app/domain/personal_data.py); kept for staff, it may."""
    findings = personal_data.personal_data_in(text, case.requester_name) if public else []
    if findings:
        english, thai = personal_data.described(findings)
        raise ValidationFailed([RuleError(
            f"Note: it shows {english}, and the status page shows no personal data. Take it out, or untick "
            "the box that shows it to the public to keep it for staff only.",
            f"บันทึก: มี{thai} ซึ่งหน้าติดตามสถานะต้องไม่แสดงข้อมูลส่วนบุคคล กรุณาลบออก "
            "หรือยกเลิกการเลือกช่องแสดงต่อสาธารณะ เพื่อเก็บไว้สำหรับเจ้าหน้าที่เท่านั้น", code="personal_data",
            field="note")])


def _reason_text(note: Any, what_en: str, what_th: str) -> str:
    """A forwarding or a reopening says why: the receiving agency, the officer who takes the case
    next and the record all need to know."""
    text = _note_text(note)
    if not text:
        raise ValidationFailed([RuleError(
            f"Reason: please say why the case is {what_en}.", f"เหตุผล: กรุณาระบุเหตุผลที่{what_th}",
            code="required", field="note")])
    return text


def forward_case(actor: Actor, case_id: Any, to_agency: Any, *, note: Any = None, public: bool = False,
                 expected_version: Any = None) -> Case:
    """Move the case to another agency. The move itself always shows on the status page; its reason
    only when staff say so (it is often about the requester, or between agencies)."""
    with transaction() as session:
        case = load_case(session, actor, case_id, for_update=True)
        check_writable(actor, case)
        _check_version(case, expected_version)
        target, text = all_or_none(lambda: _agency(session, to_agency),
                                    lambda: _reason_text(note, "forwarded", "ส่งต่อเรื่อง"))
        workflow.check_forward(case.status, case.agency.code, target.code)
        _check_public_text(case, text, public)
        old_status, old_agency = case.status, case.agency
        # What the move changes besides the agency, for the receiving side's timeline.
        old_type_id, old_kind = case.case_type_id, case.kind
        old_assignee = case.assignee.username if case.assignee is not None else None
        now = utcnow()
        _set_status(session, case, Status.FORWARDED, now)
        case.agency = target
        case.agency_id = target.id
        case.assignee_id = None
        new_type = receiving_type(session, target.id, case.kind)
        if new_type is None:
            raise ValidationFailed([RuleError(
                f"Agency {target.code} has no case types yet.", f"หน่วยงาน {target.code} ยังไม่มีประเภทเรื่อง",
                code="no_case_type", field="agency")])
        case.case_type = new_type
        case.kind = new_type.kind
        sla_service.restart_clock(session, case, new_type, now)
        common = dict(from_status=old_status, to_status=Status.FORWARDED, from_agency_id=old_agency.id,
                      to_agency_id=target.id, note=text, public=bool(public), at=now)
        changes = {"case_type_id": [old_type_id, new_type.id]}
        if new_type.kind != old_kind:
            changes["kind"] = [old_kind, new_type.kind]
        if old_assignee is not None:
            changes["assignee"] = [old_assignee, None]
        session.add(new_event(case, actor, EventKind.FORWARD_OUT, **common))
        session.add(new_event(case, actor, EventKind.FORWARD_IN, changes=changes, **common))
        _commit(session)
    return case


def receiving_type(session, agency_id: int, kind: str) -> CaseType | None:
    """The type a case forwarded to the agency is worked under until its staff retype it: the
    agency's first active type of the same kind (its general one), else its first active type."""
    active = select(CaseType).where(CaseType.agency_id == agency_id, CaseType.active.is_(True)).order_by(CaseType.id)
    return (session.execute(active.where(CaseType.kind == kind)).scalars().first()
            or session.execute(active).scalars().first())


def _agency(session, key: Any) -> Agency:
    stmt = select(Agency)
    number = whole_number(key)
    if number is not None:
        stmt = stmt.where(Agency.id == number)
    else:
        stmt = stmt.where(Agency.code == str(key or "").strip().upper())
    agency = session.execute(stmt).scalar_one_or_none()
    if agency is None or not agency.active:
        raise ValidationFailed([RuleError(
            f"Agency: '{key}' is not an agency.", f"หน่วยงาน: ไม่พบหน่วยงาน '{key}'",
            code="unknown_agency", field="agency")])
    return agency


def reopen_case(actor: Actor, case_id: Any, *, note: Any = None, public: bool = False, expected_version: Any = None,
                on_write: Callable[[Any, Case], None] | None = None) -> Case:
    """Reopen a closed case; as with forwarding, its reason shows publicly only when asked."""
    with transaction() as session:
        case = load_case(session, actor, case_id, for_update=True)
        check_writable(actor, case)
        _check_version(case, expected_version)
        text = _reason_text(note, "reopened", "เปิดเรื่องใหม่")
        _check_public_text(case, text, public)
        target = workflow.check_reopen(case.status)
        old = case.status
        now = utcnow()
        _set_status(session, case, target, now)
        case.reopen_count += 1
        session.add(new_event(case, actor, EventKind.REOPEN, from_status=old, to_status=target, note=text,
                           public=bool(public), at=now))
        if on_write is not None:
            on_write(session, case)
        _commit(session)
    return case


def add_note(actor: Actor, case_id: Any, note: Any, *, public: bool = False) -> CaseEvent:
    text = _note_text(note)
    if not text:
        raise ValidationFailed([RuleError("Note: is required.", "บันทึก: ต้องกรอก", code="required", field="note")])
    with transaction() as session:
        case = load_case(session, actor, case_id)
        check_writable(actor, case)
        _check_public_text(case, text, public)
        event = new_event(case, actor, EventKind.PUBLIC_NOTE if public else EventKind.INTERNAL_NOTE,
                       note=text, public=bool(public))
        session.add(event)
        case.updated_at = utcnow()
        _commit(session)
    return event


def assignable_staff(session, agency_id: int) -> list[StaffUser]:
    """Whom a case of the agency may be given to: its active staff who work cases, by name."""
    users = session.execute(select(StaffUser).where(StaffUser.agency_id == agency_id, StaffUser.active.is_(True))
                            .options(selectinload(StaffUser.roles))  # one query for every user's roles
                            .order_by(StaffUser.first_name, StaffUser.last_name)).scalars().all()
    return [user for user in users if roles.works_cases(role.name for role in user.roles)]


def assign_case(actor: Actor, case_id: Any, assignee_id: Any, *, expected_version: Any = None) -> Case:
    require(actor, ASSIGN)
    with transaction() as session:
        case = load_case(session, actor, case_id, for_update=True)
        check_writable(actor, case)
        _check_version(case, expected_version)
        assignee = None
        if assignee_id not in (None, ""):
            wanted = whole_number(assignee_id)
            assignee = next((user for user in assignable_staff(session, case.agency_id) if user.id == wanted), None)
            if assignee is None:
                raise ValidationFailed([RuleError(
                    "Assignee: choose an active officer of this case's agency.",
                    "ผู้รับผิดชอบ: กรุณาเลือกเจ้าหน้าที่ของหน่วยงานเจ้าของเรื่อง",
                    code="bad_assignee", field="assignee_id")])
        if (assignee.id if assignee else None) == case.assignee_id:
            return case  # assigned as it was: nothing to record
        old = case.assignee.username if case.assignee else None
        case.assignee = assignee
        case.assignee_id = assignee.id if assignee else None
        session.add(new_event(case, actor, EventKind.ASSIGNMENT,
                           changes={"assignee": [old, assignee.username if assignee else None]}))
        _commit(session)
    return case


def release_assignments(actor: Actor, user_id: int) -> int:
    """The open cases assigned to an account that may no longer work them (switched off, moved to
    another agency or to none, or given a role that does not work cases) are left unassigned,
    each with its timeline entry: the account could not open them, and nobody's "my open cases"
    showed them. Closed cases keep whom they were assigned to. Returns how many were released."""
    with transaction() as session:
        user = session.get(StaffUser, user_id)
        if user is None:
            return 0
        stmt = select(Case).where(Case.assignee_id == user.id, Case.status.in_(sorted(str(s) for s in OPEN_STATUSES)))
        if user.active and user.agency_id is not None and roles.works_cases(role.name for role in user.roles):
            stmt = stmt.where(Case.agency_id != user.agency_id)
        released = session.execute(stmt.order_by(Case.id)).unique().scalars().all()
        for case in released:
            case.assignee = None
            case.assignee_id = None
            session.add(new_event(case, actor, EventKind.ASSIGNMENT, changes={"assignee": [user.username, None]}))
        _commit(session)
    return len(released)


def timeline(actor: Actor, case_id: Any, *, public_only: bool = False) -> list[CaseEvent]:
    from app.extensions import db

    case = load_case(db.session, actor, case_id)
    stmt = (select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.at, CaseEvent.id)
            .options(selectinload(CaseEvent.actor), selectinload(CaseEvent.from_agency),
                     selectinload(CaseEvent.to_agency)))  # named on the page: read in one go, not per event
    if public_only:
        stmt = stmt.where(CaseEvent.public.is_(True))
    return list(db.session.execute(stmt).scalars())

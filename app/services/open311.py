"""Open311 GeoReport v2 over the case register: services are the public case types, service
requests are the cases filed under them, identified by their tracking codes.

Reads select plain columns; of the requester's details only the name, to keep it out of the
district and the notes, and it is not returned. Writes go through the case service as the
registered client (source api, channel web).
"""
from __future__ import annotations

from datetime import datetime
from typing import Mapping

from sqlalchemy import func, or_, select

from app.domain import roles
from app.domain.case_rules import ValidationFailed, errors_of
from app.domain.errors import RuleError
from app.domain.open311 import (
    Open311Error, RequestQuery, RequestRow, ServiceType, parse_post,
)
from app.domain.public_status import SHOWN_KINDS, shown_district, shown_note
from app.domain.statuses import EventKind, EventSource
from app.extensions import db
from app.models import Agency, Case, CaseEvent, CaseType, Open311Client
from app.models.types import utcnow
from app.services import cases as case_service
from app.services import open311_clients
from app.services.actor import Actor
from app.services.public_status import canonical_code

_SERVICE_COLUMNS = (CaseType.code, CaseType.kind, CaseType.name_th, CaseType.name_en, CaseType.sla_days,
                    Agency.code, Agency.name_th, Agency.name_en, Agency.short_th)
_PUBLIC_TYPES = (select(*_SERVICE_COLUMNS, CaseType.id, CaseType.agency_id)
                 .join(Agency, Agency.id == CaseType.agency_id)
                 .where(CaseType.public.is_(True), CaseType.active.is_(True), Agency.active.is_(True)))


def services(session=None) -> list[ServiceType]:
    session = session or db.session
    rows = session.execute(_PUBLIC_TYPES.order_by(Agency.id, CaseType.id))
    return [ServiceType(*row[:9]) for row in rows]


def service(code: str, session=None) -> ServiceType:
    session = session or db.session
    row = session.execute(_PUBLIC_TYPES.where(CaseType.code == code)).first()
    if row is None:
        raise Open311Error(404, f"service_code: '{code[:60]}' is not a service of this jurisdiction. / "
                                f"service_code: '{code[:60]}' ไม่ใช่บริการของหน่วยงานนี้")
    return ServiceType(*row[:9])


# When the public last saw the case move (a status change, a forwarding, a reopening, a public
# note), not when it was last saved: an internal note, an assignment or an edit is the agency's own.
_LAST_PUBLIC_EVENT = (select(func.max(CaseEvent.at))
                      .where(CaseEvent.case_id == Case.id, CaseEvent.kind.in_([str(k) for k in SHOWN_KINDS]),
                             or_(CaseEvent.kind != str(EventKind.PUBLIC_NOTE), CaseEvent.public.is_(True)))
                      .correlate(Case).scalar_subquery())
_REQUEST_COLUMNS = (Case.id, Case.tracking_code, Case.status, CaseType.code, CaseType.name_th, CaseType.name_en,
                    Agency.name_th, Agency.name_en, Case.submitted_at, _LAST_PUBLIC_EVENT, Case.closed_at, Case.due_at,
                    Case.province, Case.district, Case.latitude, Case.longitude, Case.requester_name)
_CASES = (select(*_REQUEST_COLUMNS)
          .join(CaseType, CaseType.id == Case.case_type_id)
          .join(Agency, Agency.id == Case.agency_id))
# A list shows the cases of the types on the public form. A request asked for by its id is found
# whatever its type now, as on the status page: forwarding a case to another agency's type, or
# taking a type off the public form, must not lose a client the request it filed.
_LISTED_CASES = _CASES.where(CaseType.public.is_(True))


def _latest_public_notes(session, requesters: dict[int, str | None]) -> dict[int, str]:
    """The newest public note of each case (by id, with its requester's name) that the public may
    read, in one query for the whole page: a newer note withheld for personal data leaves the one
    before it, as on the status page."""
    if not requesters:
        return {}
    rows = session.execute(
        select(CaseEvent.case_id, CaseEvent.note)
        .where(CaseEvent.case_id.in_(list(requesters)), CaseEvent.public.is_(True), CaseEvent.note.is_not(None),
               CaseEvent.kind.in_([str(k) for k in SHOWN_KINDS]))
        .order_by(CaseEvent.case_id, CaseEvent.at.desc(), CaseEvent.id.desc()))
    notes: dict[int, str] = {}
    for case_id, note in rows:
        if case_id not in notes and shown_note(note, requesters[case_id]):
            notes[case_id] = note
    return notes


def _rows(session, stmt) -> list[RequestRow]:
    rows = session.execute(stmt).all()
    notes = _latest_public_notes(session, {row[0]: row[-1] for row in rows})
    found = []
    for case_id, *columns, province, district, latitude, longitude, requester_name in rows:
        # The requester's name only keeps itself out of the district and the note.
        found.append(RequestRow(*columns, province, shown_district(province, district, requester_name), latitude,
                                longitude, public_note=notes.get(case_id)))
    return found


def requests(query: RequestQuery, session=None) -> list[RequestRow]:
    session = session or db.session
    if query.ids:
        codes = [c for c in (canonical_code(i) for i in query.ids) if c]
        stmt = _CASES.where(Case.tracking_code.in_(codes or [""]))
    else:
        stmt = _LISTED_CASES
        if query.service_codes:
            stmt = stmt.where(CaseType.code.in_(query.service_codes))
        if query.statuses:
            stmt = stmt.where(Case.status.in_(sorted(query.statuses)))
        stmt = stmt.where(Case.submitted_at >= query.start, Case.submitted_at <= query.end)
    stmt = (stmt.order_by(Case.submitted_at.desc(), Case.id.desc())
            .offset(query.offset).limit(query.page_size))
    return _rows(session, stmt)


def request(service_request_id: str, session=None) -> RequestRow:
    session = session or db.session
    code = canonical_code(service_request_id)
    found = _rows(session, _CASES.where(Case.tracking_code == code)) if code else []
    if not found:
        raise Open311Error(404, f"service_request_id: '{service_request_id[:40]}' was not found. / "
                                f"service_request_id: ไม่พบเรื่อง '{service_request_id[:40]}'")
    return found[0]


def _field_errors(failed: RuleError) -> list[str]:
    return [f"{item.message_en} / {item.message_th}" for item in errors_of(failed)]


def create_request(form: Mapping[str, str], *, origin: str | None,
                   now: datetime | None = None) -> tuple[str, ServiceType]:
    """Create a case for a registered client: its tracking code and the service it was filed under."""
    client = open311_clients.authenticate(form.get("api_key"))
    if client is None:
        raise Open311Error(403, "api_key: missing, unknown or disabled. Ask the ministry's administrators for one. / "
                                "api_key: ไม่มี ไม่รู้จัก หรือถูกระงับ ขอได้จากผู้ดูแลระบบของกระทรวง")
    posted = parse_post(form)
    chosen = service(posted.service_code)
    if client.agency_id is not None:
        agency_id = db.session.execute(select(CaseType.agency_id).where(CaseType.code == chosen.code)).scalar_one()
        if agency_id != client.agency_id:
            raise Open311Error(403, f"api_key: this key may not post to service_code '{chosen.code}'. / "
                                    f"api_key: คีย์นี้ส่งเรื่องของบริการ '{chosen.code}' ไม่ได้")
    fields = dict(posted.fields)
    fields["title"] = fields.get("title") or chosen.name_th
    fields["case_type_id"] = db.session.execute(select(CaseType.id).where(CaseType.code == chosen.code)).scalar_one()
    actor = Actor(user_id=None, agency_id=client.agency_id, role_names=frozenset({roles.PUBLIC}),
                  label=f"Open311: {client.name}"[:200], source=EventSource.API, origin=origin)
    client_id = client.id

    def note_use(session, case) -> None:
        session.get(Open311Client, client_id).last_used_at = now or utcnow()

    try:
        case = case_service.create_case(actor, fields, on_write=note_use)
    except ValidationFailed as failed:
        raise Open311Error(400, *_field_errors(failed)) from None
    except RuleError as error:
        raise Open311Error(400 if error.http_status not in (403, 404) else error.http_status,
                           *_field_errors(error)) from None
    return case.tracking_code, chosen

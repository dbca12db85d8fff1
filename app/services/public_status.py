"""The public status of a case, by tracking code: one indexed lookup and its public events.

Reads plain columns (no ORM objects, no relationships), so what leaves this module is exactly
what the public may see plus the case's internal id for the caller's own follow-up queries. The
requester's name is read only to keep it off the page (a district or a public note naming them),
and does not leave.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, bindparam, literal_column, select
from sqlalchemy.orm import aliased

from app.domain.agency_contact import tel_href
from app.domain.sla import last_day
from app.domain.public_status import SHOWN_KINDS, EventRow, PublicEntry, canonical_code, public_entries, shown_district
from app.models import Agency, Case, CaseEvent, CaseType
from app.services import hot_reads


@dataclass(frozen=True)
class AgencyContact:
    phone: str | None
    email: str | None
    office: str | None

    @property
    def phone_href(self) -> str | None:
        return tel_href(self.phone) if self.phone else None


@dataclass(frozen=True)
class PublicCase:
    case_id: int
    tracking_code: str
    status: str
    kind: str
    agency: tuple[str, str]
    case_type: tuple[str, str]
    province: str | None
    district: str | None
    submitted_at: datetime
    due_at: datetime | None
    closed_at: datetime | None
    satisfaction: int | None
    entries: list[PublicEntry]
    # How to reach the agency holding it (phone, email, office), as its administrators set it.
    contact: AgencyContact | None = None

    @property
    def due_date(self) -> date | None:
        """The expected date as people read it (due_at is the start of the day after)."""
        return last_day(self.due_at)


_FROM = aliased(Agency)
_TO = aliased(Agency)
_EVENT_COLUMNS = (CaseEvent.at, CaseEvent.kind, CaseEvent.from_status, CaseEvent.to_status, CaseEvent.note,
                  CaseEvent.public, _FROM.name_th, _FROM.name_en, _TO.name_th, _TO.name_en)
# One statement for the whole page: the case (by its unique tracking code) and its public events.
_PAGE = (select(Case.id, Case.tracking_code, Case.status, Case.kind, Agency.name_th, Agency.name_en,
                CaseType.name_th, CaseType.name_en, Case.province, Case.district, Case.submitted_at,
                Case.due_at, Case.closed_at, Case.satisfaction, Agency.contact_phone, Agency.contact_email,
                Agency.contact_office, Case.requester_name, *_EVENT_COLUMNS)
         .join(Agency, Agency.id == Case.agency_id)
         .join(CaseType, CaseType.id == Case.case_type_id)
         # The kinds are our own constants, written into the SQL so it compiles once, with one parameter.
         .outerjoin(CaseEvent, and_(CaseEvent.case_id == Case.id,
                                    CaseEvent.kind.in_([literal_column(f"'{k}'") for k in SHOWN_KINDS])))
         .outerjoin(_FROM, _FROM.id == CaseEvent.from_agency_id)
         .outerjoin(_TO, _TO.id == CaseEvent.to_agency_id)
         .where(Case.tracking_code == bindparam("code"))
         .order_by(CaseEvent.at, CaseEvent.id))
_CASE_PART = 18


def find(code: str | None) -> PublicCase | None:
    """The public view of the case with this tracking code, or None."""
    canonical = canonical_code(code)
    if canonical is None:
        return None
    rows = hot_reads.rows(_PAGE, {"code": canonical})
    if not rows:
        return None
    (case_id, tracking_code, status, kind, agency_th, agency_en, type_th, type_en, province, district,
     submitted_at, due_at, closed_at, satisfaction, phone, email, office, requester_name) = rows[0][:_CASE_PART]
    events = [EventRow(at, kind_, from_status, to_status, note, bool(public),
                       (f_th, f_en) if f_th else None, (t_th, t_en) if t_th else None)
              for at, kind_, from_status, to_status, note, public, f_th, f_en, t_th, t_en
              in (row[_CASE_PART:] for row in rows) if at is not None]
    return PublicCase(case_id, tracking_code, status, kind, (agency_th, agency_en), (type_th, type_en),
                      province, shown_district(province, district, requester_name), submitted_at, due_at, closed_at,
                      satisfaction, public_entries(events, requester_name),
                      AgencyContact(phone, email, office) if phone or email or office else None)

"""Open311 GeoReport v2, field by field: query arguments in, service and request entries out.

Pure rules, no Flask or database: the API module reads the arguments and the rows, these functions
decide what they mean and what the spec's answer looks like (GeoReport/v2 on open311.org).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from app.domain import geo
from app.domain.local_time import BANGKOK
from app.domain.public_status import public_address, public_place_name
from app.domain.statuses import CLOSED_STATUSES, KIND_LABELS, OPEN_STATUSES, STATUS_LABELS, label, open311_status
from app.domain.whole_numbers import whole_number

FORMATS = ("json", "xml")
# "Default query limit is a span of 90 days or first 1000 requests returned, whichever is smallest."
DEFAULT_SPAN = timedelta(days=90)
MAX_SPAN = timedelta(days=90)
MAX_REQUESTS = 1000
MAX_IDS = 100
OPEN311_STATUSES = {"open": OPEN_STATUSES, "closed": CLOSED_STATUSES}
# Open311 descriptions are "free form text limited to 4,000 characters".
MAX_DESCRIPTION = 4000
# Three decimals is about 110 m: enough to find the factory, too coarse to point at a home.
COORDINATE_DECIMALS = 3
# The dates a query may name.
FIRST_YEAR, LAST_YEAR = 1970, 2999


class Open311Error(Exception):
    """An answer of the spec's error list: 400 bad request, 403 api_key, 404 not found."""

    def __init__(self, status: int, *descriptions: str):
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = descriptions or ("Error.",)

    def entries(self) -> list[dict]:
        return [{"code": self.status, "description": text} for text in self.descriptions]


def w3_datetime(moment: datetime | None) -> str | None:
    """ISO 8601 as the W3C note has it, in Bangkok time: 2026-01-05T09:30:00+07:00."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(BANGKOK).isoformat(timespec="seconds")


# "+07:00" put in an address unencoded arrives as " 07:00": the plus read as a space.
_PLUS_READ_AS_SPACE = re.compile(r"^(\d{4}-\d{2}-\d{2}T[\d:.]+) (\d{2}(?::?\d{2})?)$")


def parse_datetime(text: str, name: str, *, end_of_day: bool = False) -> datetime:
    """A W3C date-time (or a bare date); without an offset it is read as Bangkok time. A bare date
    is its first moment, or with `end_of_day` its last (an end_date of 2026-01-31 takes in the 31st)."""
    value = _PLUS_READ_AS_SPACE.sub(r"\1+\2", text.strip())
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise Open311Error(400, f"{name}: '{text[:40]}' is not a date-time; use the W3C format, "
                                f"e.g. 2026-01-01T00:00:00+07:00. / {name}: '{text[:40]}' ไม่ใช่วันเวลา "
                                "ให้ใช้รูปแบบ W3C เช่น 2026-01-01T00:00:00+07:00") from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        # Near year 1 or 9999 the 90 days' arithmetic and the time zones overflow.
        raise Open311Error(400, f"{name}: must be in the years {FIRST_YEAR} to {LAST_YEAR}. / "
                                f"{name}: ต้องอยู่ในปี ค.ศ. {FIRST_YEAR} ถึง {LAST_YEAR}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BANGKOK)
    if end_of_day and "T" not in value.upper():
        moment += timedelta(days=1, microseconds=-1)
    return moment


def _comma_list(args: Mapping[str, str], name: str) -> list[str]:
    raw = args.get(name) or ""
    return [part.strip() for part in raw.split(",") if part.strip()]


def _positive_int(args: Mapping[str, str], name: str, default: int, maximum: int) -> int:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    number = whole_number(raw)
    if number is None or number < 1:
        raise Open311Error(400, f"{name}: must be a whole number from 1 to {maximum:,}. / "
                                f"{name}: ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง {maximum:,}")
    return min(number, maximum)


@dataclass(frozen=True)
class RequestQuery:
    """What GET requests asks for, with the spec's defaults filled in."""

    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    statuses: frozenset[str] = field(default_factory=frozenset)  # our statuses, empty for all
    start: datetime | None = None
    end: datetime | None = None
    page: int = 1
    page_size: int = MAX_REQUESTS

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


def parse_request_query(args: Mapping[str, str], now: datetime) -> RequestQuery:
    """The GET requests arguments; service_request_id overrides all the others."""
    page = _positive_int(args, "page", 1, 1_000_000)
    page_size = _positive_int(args, "page_size", MAX_REQUESTS, MAX_REQUESTS)
    ids = _comma_list(args, "service_request_id")
    if ids:
        if len(ids) > MAX_IDS:
            raise Open311Error(400, f"service_request_id: at most {MAX_IDS} ids at once. / "
                                    f"service_request_id: ขอได้ครั้งละไม่เกิน {MAX_IDS} เลขที่")
        return RequestQuery(ids=tuple(dict.fromkeys(i.upper() for i in ids)), page=page, page_size=page_size)

    statuses: set[str] = set()
    for name in _comma_list(args, "status"):
        if name.lower() not in OPEN311_STATUSES:
            raise Open311Error(400, f"status: '{name[:20]}' is not a status; use open or closed. / "
                                    f"status: '{name[:20]}' ไม่ใช่สถานะ ให้ใช้ open หรือ closed")
        statuses |= OPEN311_STATUSES[name.lower()]

    start = parse_datetime(args["start_date"], "start_date") if (args.get("start_date") or "").strip() else None
    end = parse_datetime(args["end_date"], "end_date", end_of_day=True) if (args.get("end_date") or "").strip() else None
    if start is None and end is None:
        end = now
        start = now - DEFAULT_SPAN
    elif start is None:
        start = end - DEFAULT_SPAN
    elif end is None:
        end = min(start + DEFAULT_SPAN, max(now, start))
    if end < start:
        raise Open311Error(400, "end_date: must not be before start_date. / end_date: ต้องไม่ก่อน start_date")
    if end - start > MAX_SPAN:
        raise Open311Error(400, "start_date and end_date: the range may not span more than 90 days. / "
                                "start_date และ end_date: ช่วงวันต้องไม่เกิน 90 วัน")
    return RequestQuery(service_codes=tuple(_comma_list(args, "service_code")), statuses=frozenset(statuses),
                        start=start, end=end, page=page, page_size=page_size)


# ---- services ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ServiceType:
    code: str
    kind: str
    name_th: str
    name_en: str
    sla_days: int
    agency_code: str
    agency_name_th: str
    agency_name_en: str
    agency_short_th: str | None = None


def _pick(lang: str, thai: str, english: str) -> str:
    return thai if lang == "th" else english


def service_entry(service: ServiceType, lang: str) -> dict[str, Any]:
    kind = label(KIND_LABELS, service.kind, lang)
    agency = _pick(lang, service.agency_name_th, service.agency_name_en)
    if lang == "th":
        description = f"{kind}: {service.name_th} — {agency} ดำเนินการภายใน {service.sla_days} วันทำการ"
    else:
        description = f"{kind}: {service.name_en} — handled by the {agency} within {service.sla_days} working days"
    keywords = [service.agency_code, *(k for k in (service.agency_short_th,) if k), kind,
                service.name_en if lang == "th" else service.name_th]
    return {
        "service_code": service.code,
        "service_name": _pick(lang, service.name_th, service.name_en),
        "description": description,
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join(keywords),
        "group": agency,
    }


def service_definition(service: ServiceType) -> dict[str, Any]:
    # Every service takes the spec's standard arguments only: no extra attributes.
    return {"service_code": service.code, "attributes": []}


# ---- requests ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class RequestRow:
    """What the public may know of one case: nothing that names, reaches or locates a person."""

    tracking_code: str
    status: str
    service_code: str
    service_name_th: str
    service_name_en: str
    agency_name_th: str
    agency_name_en: str
    submitted_at: datetime
    updated_at: datetime | None
    closed_at: datetime | None
    due_at: datetime | None
    province: str | None
    district: str | None
    latitude: float | None
    longitude: float | None
    public_note: str | None = None


def _coordinate(value: float | None) -> float | None:
    return None if value is None else round(float(value), COORDINATE_DECIMALS)


def request_entry(row: RequestRow, lang: str) -> dict[str, Any]:
    closed = open311_status(row.status) == "closed"
    updated = row.closed_at if closed and row.closed_at else row.updated_at
    return {
        "service_request_id": row.tracking_code,
        "status": open311_status(row.status),
        "status_notes": row.public_note,
        "service_name": _pick(lang, row.service_name_th, row.service_name_en),
        "service_code": row.service_code,
        # The requester's own words can name or reach people: they stay with the agency.
        "description": None,
        "agency_responsible": _pick(lang, row.agency_name_th, row.agency_name_en),
        "service_notice": label(STATUS_LABELS, row.status, lang),
        "requested_datetime": w3_datetime(row.submitted_at),
        "updated_datetime": w3_datetime(updated or row.submitted_at),
        # The end of the due date (due_at is the start of the next day, which a client showing
        # dates only would read as one day late).
        "expected_datetime": w3_datetime(row.due_at - timedelta(seconds=1)) if row.due_at else None,
        "address": public_address(row.province, row.district, lang),
        "lat": _coordinate(row.latitude),
        "long": _coordinate(row.longitude),
    }


def created_entry(tracking_code: str, notice: str | None) -> dict[str, Any]:
    return {"service_request_id": tracking_code, "service_notice": notice, "account_id": None}


# ---- POST requests ----------------------------------------------------------------------------

TITLE_LENGTH = 120


@dataclass(frozen=True)
class PostedRequest:
    service_code: str
    fields: dict[str, Any]  # case fields for the case service, title still to fill when None


def _place_from_address(address: str, requester_name: str | None) -> tuple[str | None, str | None]:
    """Province and district named in an address written most specific first. The part before
    the province is taken as the district only when it is one, or looks like one: it is often
    the house number and street, which must not become the case's public district."""
    parts = [p.strip() for p in address.replace("\n", ",").split(",") if p.strip()]
    for index, part in enumerate(parts):
        province = geo.province_by_name(part)
        if province is not None:
            before = parts[index - 1] if index > 0 else None
            known = geo.district_by_name(province, before)
            district = known.name_th if known is not None else public_place_name(before, requester_name)
            return province.name_th, district
    return None, None


def parse_post(form: Mapping[str, str]) -> PostedRequest:
    """The POST requests arguments as case fields; 400 when a required one is missing or malformed."""
    def text(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    # Described in English and Thai, as the case rules' refusals are: an app may show them as they are.
    errors = []
    service_code = text("service_code")
    if not service_code:
        errors.append("service_code: is required. / ประเภทบริการ (service_code): ต้องระบุ")
    lat, long_, address, address_id = text("lat"), text("long"), text("address_string"), text("address_id")
    if not ((lat and long_) or address or address_id):
        errors.append("location: send lat and long, or address_string, or address_id. / "
                      "สถานที่: กรุณาระบุพิกัด (lat และ long) หรือที่อยู่ (address_string หรือ address_id)")
    if (lat and not long_) or (long_ and not lat):
        errors.append("lat and long: send both, or neither. / ละติจูดและลองจิจูด: ต้องระบุทั้งคู่ หรือไม่ระบุทั้งคู่")
    description = text("description")
    if len(description) > MAX_DESCRIPTION:
        errors.append(f"description: at most {MAX_DESCRIPTION:,} characters ({len(description):,} given). / "
                      f"รายละเอียด: ยาวได้ไม่เกิน {MAX_DESCRIPTION:,} ตัวอักษร (ส่งมา {len(description):,} ตัวอักษร)")
    if errors:
        raise Open311Error(400, *errors)

    name = " ".join(x for x in (text("first_name"), text("last_name")) if x)
    province, district = text("province") or None, text("district") or None
    if address and not province:
        province, found_district = _place_from_address(address, name)
        district = district or found_district
    details = description
    if address or address_id:
        given = "; ".join(x for x in (address, f"address_id {address_id}" if address_id else "") if x)
        details = f"{description}\n\nสถานที่ตามที่แจ้ง / Address given: {given}".strip()
    first_line = description.splitlines()[0].strip() if description else ""
    title = (first_line[: TITLE_LENGTH - 1] + "…") if len(first_line) > TITLE_LENGTH else first_line
    fields: dict[str, Any] = {
        "title": title or None,
        "description": details or None,
        "province": province,
        "district": district,
        "latitude": lat or None,
        "longitude": long_ or None,
        "requester_name": name or None,
        "requester_email": text("email") or None,
        "requester_phone": text("phone") or None,
        "channel": "web",
    }
    return PostedRequest(service_code, {k: v for k, v in fields.items() if v is not None or k == "title"})

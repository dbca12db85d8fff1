"""The simulator's deterministic data: the cases the agencies' systems hold, event by event.

For each agency code (OPS, DIW, DIPROM, TISI, DPIM) the generic REST system holds
`cases_per_agency` cases with references `f"{AGENCY}-EXT-{i:06d}"` (i from 1). Traffy Fondue
holds `traffy_tickets` tickets `f"TF-{i:06d}"`, all opened with OPS (the office that
receives the public's complaints), some forwarded to another agency's Traffy organisation.

Each case's timeline is drawn from a random generator seeded with the seed and the case's
reference, so the same seed gives the same cases, statuses, notes and update ids
(`f"{reference}:{n}"`, n from 1) whatever else changes. Times are laid out on a plan around
the `epoch` (the moment the simulator starts): most cases opened during the `history_days`
before it, the rest arrive after it, and every event planned after the epoch is brought
closer by `speed` (`epoch + (planned - epoch) / speed`). An event is visible once the
simulator's clock reaches its time, so with `speed=1440` a case planned to move three days
after the start moves three minutes after it: the demo's cases keep moving while one watches,
and every timestamp served is a real moment no later than the simulator's present.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.domain.defaults import AGENCIES
from app.domain.statuses import Status

DEFAULT_SEED = 2569
AGENCY_CODES = tuple(agency.code for agency in AGENCIES)
AGENCY_SHORT_NAMES = {agency.code: agency.short_th for agency in AGENCIES}
AGENCY_NAMES = {agency.code: agency.name_th for agency in AGENCIES}

TRAFFY_AGENCY = "OPS"
# Traffy Fondue organisation ids of the agencies, as the simulator numbers them.
TRAFFY_ORG_IDS = {code: 70001 + index for index, code in enumerate(AGENCY_CODES)}

REST = "rest"
TRAFFY = "traffy"
SYSTEMS = (REST, TRAFFY)

NOTES = {
    Status.RECEIVED: ("รับเรื่องเข้าระบบแล้ว", "ลงทะเบียนรับคำขอแล้ว", "รับคำร้องผ่านระบบออนไลน์"),
    Status.IN_PROGRESS: ("เจ้าหน้าที่กำลังพิจารณา", "อยู่ระหว่างตรวจสอบข้อเท็จจริง", "นัดตรวจสถานที่แล้ว",
                         "อยู่ระหว่างเสนอผู้มีอำนาจลงนาม"),
    Status.WAITING_APPLICANT: ("ขอเอกสารเพิ่มเติมจากผู้ยื่น", "รอผู้ยื่นแก้ไขแบบคำขอ", "รอผู้ร้องยืนยันข้อมูลติดต่อ"),
    Status.FORWARDED: ("ส่งต่อหน่วยงานที่รับผิดชอบ",),
    Status.RESOLVED: ("ดำเนินการแล้วเสร็จ", "อนุมัติและออกใบอนุญาตแล้ว", "แจ้งผลการตรวจสอบแก่ผู้ร้องแล้ว"),
    Status.REJECTED: ("ไม่อนุมัติ เอกสารไม่ครบถ้วน", "ไม่อยู่ในอำนาจหน้าที่ของหน่วยงาน"),
    Status.CANCELLED: ("ผู้ยื่นขอยกเลิกคำขอ",),
}

TRAFFY_TYPES = ("กลิ่นเหม็น", "เสียงดัง", "น้ำเสีย", "ฝุ่นควัน", "สารเคมีรั่วไหล")
TRAFFY_PLACES = (
    ("บางปูใหม่", "เมืองสมุทรปราการ", "สมุทรปราการ", 13.5236, 100.6532),
    ("มาบตาพุด", "เมืองระยอง", "ระยอง", 12.6833, 101.1500),
    ("คลองหนึ่ง", "คลองหลวง", "ปทุมธานี", 14.0604, 100.5961),
    ("บางพลีใหญ่", "บางพลี", "สมุทรปราการ", 13.6035, 100.7071),
    ("ท่าทราย", "เมืองสมุทรสาคร", "สมุทรสาคร", 13.5475, 100.2744),
    ("บ้านเลน", "บางปะอิน", "พระนครศรีอยุธยา", 14.2361, 100.5768),
)


@dataclass(frozen=True, slots=True)
class PlannedEvent:
    update_id: str
    status: str
    at: datetime  # aware UTC; the event is visible from this moment on
    note: str | None = None
    organisation: str | None = None  # who acted: an agency's short name, or its Traffy org name
    org_id: int | None = None  # Traffy organisation id of who acted


@dataclass(frozen=True)
class PlannedCase:
    system: str  # REST or TRAFFY
    agency: str
    reference: str
    events: tuple[PlannedEvent, ...]
    details: dict = field(default_factory=dict)  # Traffy ticket fields (type, place, ...)


def compress(planned: datetime, epoch: datetime, speed: float) -> datetime:
    """When an event planned at `planned` happens in the demo: the future runs `speed` times faster."""
    if planned <= epoch or speed == 1:
        return planned
    return epoch + (planned - epoch) / speed


def rest_reference(agency: str, index: int) -> str:
    return f"{agency}-EXT-{index:06d}"


def traffy_ticket_id(index: int) -> str:
    return f"TF-{index:06d}"


def build_dataset(
    seed: int = DEFAULT_SEED,
    *,
    epoch: datetime,
    speed: float = 1.0,
    cases_per_agency: int = 40,
    traffy_tickets: int = 30,
    history_days: float = 45.0,
) -> list[PlannedCase]:
    cases = []
    for agency in AGENCY_CODES:
        for index in range(1, cases_per_agency + 1):
            reference = rest_reference(agency, index)
            rng = random.Random(f"rueang-simulator:{seed}:{reference}")
            plan = _plan_statuses(rng, forward_allowed=agency == TRAFFY_AGENCY, history_days=history_days)
            events = tuple(
                PlannedEvent(
                    f"{reference}:{n}",
                    str(status),
                    compress(epoch + offset, epoch, speed),
                    rng.choice(NOTES[status]),
                    AGENCY_SHORT_NAMES[agency],
                )
                for n, (status, offset) in enumerate(plan, start=1)
            )
            cases.append(PlannedCase(REST, agency, reference, events))
    for index in range(1, traffy_tickets + 1):
        cases.append(_traffy_ticket(seed, index, epoch, speed, history_days))
    return cases


def _plan_statuses(rng: random.Random, *, forward_allowed: bool, history_days: float) -> list[tuple[Status, timedelta]]:
    """A plausible life of a case: statuses with their offsets from the epoch."""
    if rng.random() < 0.8:
        at = -timedelta(days=rng.uniform(0, history_days))
    else:
        at = timedelta(days=rng.uniform(0, 20))
    plan = [(Status.RECEIVED, at)]

    def then(status: Status, low_hours: float, high_hours: float) -> None:
        nonlocal at
        at += timedelta(hours=rng.uniform(low_hours, high_hours))
        plan.append((status, at))

    then(Status.IN_PROGRESS, 1, 72)
    if rng.random() < 0.3:
        then(Status.WAITING_APPLICANT, 24, 144)
        then(Status.IN_PROGRESS, 12, 120)
    if forward_allowed and rng.random() < 0.25:
        then(Status.FORWARDED, 4, 48)
        then(Status.IN_PROGRESS, 4, 72)
    ending = rng.random()
    if ending < 0.62:
        then(Status.RESOLVED, 24, 600)
    elif ending < 0.74:
        then(Status.REJECTED, 24, 400)
    elif ending < 0.80:
        then(Status.CANCELLED, 12, 200)
    return plan


def _traffy_ticket(seed: int, index: int, epoch: datetime, speed: float, history_days: float) -> PlannedCase:
    ticket_id = traffy_ticket_id(index)
    rng = random.Random(f"rueang-simulator:{seed}:{ticket_id}")
    plan = _plan_statuses(rng, forward_allowed=True, history_days=history_days)
    # Traffy has no "cancelled": a withdrawn report is closed as not relevant.
    plan = [(Status.REJECTED if status is Status.CANCELLED else status, offset) for status, offset in plan]
    kind = rng.choice(TRAFFY_TYPES)
    subdistrict, district, province, latitude, longitude = rng.choice(TRAFFY_PLACES)
    description = f"{kind}จากโรงงานในพื้นที่ {subdistrict} รบกวนชาวบ้าน"
    acting = TRAFFY_AGENCY
    events = []
    for n, (status, offset) in enumerate(plan, start=1):
        if status is Status.RECEIVED:
            # Traffy's first timeline entry is the citizen's report: no organisation yet.
            note, organisation, org_id = description, None, None
        else:
            note = rng.choice(NOTES[status])
            organisation, org_id = AGENCY_NAMES[acting], TRAFFY_ORG_IDS[acting]
        events.append(
            PlannedEvent(f"{ticket_id}:{n}", str(status), compress(epoch + offset, epoch, speed), note, organisation, org_id)
        )
        if status is Status.FORWARDED:
            acting = rng.choice([code for code in AGENCY_CODES if code != TRAFFY_AGENCY])
    details = {
        "type": kind,
        "description": description,
        "latitude": round(latitude + rng.uniform(-0.02, 0.02), 6),
        "longitude": round(longitude + rng.uniform(-0.02, 0.02), 6),
        "address": f"ตำบล{subdistrict} อำเภอ{district} จังหวัด{province}",
        "subdistrict": subdistrict,
        "district": district,
        "province": province,
    }
    return PlannedCase(TRAFFY, TRAFFY_AGENCY, ticket_id, tuple(events), details)

"""Case statuses, kinds, channels and SLA flags: the vocabulary of GLOSSARY.md.

Pure data: no Flask or database imports, so every layer (models, rules, connectors, Excel,
Open311) can share one spelling of each value.
"""
from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    WAITING_APPLICANT = "waiting_applicant"
    FORWARDED = "forwarded"
    RESOLVED = "resolved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


OPEN_STATUSES = frozenset(
    {Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING_APPLICANT, Status.FORWARDED}
)
CLOSED_STATUSES = frozenset({Status.RESOLVED, Status.REJECTED, Status.CANCELLED})
# The SLA clock stands still while the case waits on its applicant, and after it closes.
PAUSED_STATUSES = frozenset({Status.WAITING_APPLICANT})

STATUS_LABELS = {
    Status.RECEIVED: ("รอรับเรื่อง", "Received"),
    Status.IN_PROGRESS: ("กำลังดำเนินการ", "In progress"),
    Status.WAITING_APPLICANT: ("รอข้อมูล/เอกสารจากผู้ยื่น", "Waiting for the applicant"),
    Status.FORWARDED: ("ส่งต่อ", "Forwarded"),
    Status.RESOLVED: ("เสร็จสิ้น", "Resolved"),
    Status.REJECTED: ("ไม่อนุมัติ / ไม่เกี่ยวข้อง", "Rejected / not relevant"),
    Status.CANCELLED: ("ยกเลิก", "Cancelled"),
}

# Traffy Fondue states and Open311 states, as in GLOSSARY.md.
TRAFFY_STATE = {
    Status.RECEIVED: "start",
    Status.IN_PROGRESS: "inprogress",
    Status.WAITING_APPLICANT: "follow",
    Status.FORWARDED: "forward",
    Status.RESOLVED: "finish",
    Status.REJECTED: "irrelevant",
    Status.CANCELLED: "irrelevant",
}


def open311_status(status: str) -> str:
    return "closed" if Status(status) in CLOSED_STATUSES else "open"


class Kind(StrEnum):
    COMPLAINT = "complaint"
    REQUEST = "request"


KIND_LABELS = {
    Kind.COMPLAINT: ("เรื่องร้องเรียน", "Complaint"),
    Kind.REQUEST: ("คำขอ", "Request"),
}


class Channel(StrEnum):
    WEB = "web"
    PHONE = "phone"
    LETTER = "letter"
    WALK_IN = "walk_in"
    LINE = "line"
    TRAFFY = "traffy"
    DEPARTMENT = "department"
    IMPORT = "import"


CHANNEL_LABELS = {
    Channel.WEB: ("เว็บไซต์", "Web"),
    Channel.PHONE: ("โทรศัพท์", "Phone"),
    Channel.LETTER: ("หนังสือ", "Letter"),
    Channel.WALK_IN: ("ยื่นด้วยตนเอง", "Walk-in"),
    Channel.LINE: ("LINE", "LINE"),
    Channel.TRAFFY: ("Traffy Fondue", "Traffy Fondue"),
    Channel.DEPARTMENT: ("ระบบของกรม", "Departmental system"),
    Channel.IMPORT: ("นำเข้าจาก Excel", "Excel import"),
}


class SlaFlag(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"


SLA_FLAG_LABELS = {
    SlaFlag.ON_TRACK: ("ปกติ", "On track"),
    SlaFlag.AT_RISK: ("ใกล้ครบกำหนด", "At risk"),
    SlaFlag.BREACHED: ("เกินกำหนด", "Breached"),
}


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


PRIORITY_LABELS = {
    Priority.LOW: ("ต่ำ", "Low"),
    Priority.NORMAL: ("ปกติ", "Normal"),
    Priority.HIGH: ("สูง", "High"),
    Priority.URGENT: ("ด่วนที่สุด", "Urgent"),
}


class EventKind(StrEnum):
    CREATED = "created"
    STATUS = "status"
    PUBLIC_NOTE = "public_note"
    INTERNAL_NOTE = "internal_note"
    FORWARD_OUT = "forward_out"
    FORWARD_IN = "forward_in"
    ASSIGNMENT = "assignment"
    EDIT = "edit"
    REOPEN = "reopen"
    RATING = "rating"
    LINK = "link"
    UNLINK = "unlink"


EVENT_KIND_LABELS = {
    EventKind.CREATED: ("รับเรื่อง", "Created"),
    EventKind.STATUS: ("เปลี่ยนสถานะ", "Status changed"),
    EventKind.PUBLIC_NOTE: ("บันทึกเผยแพร่", "Public note"),
    EventKind.INTERNAL_NOTE: ("บันทึกภายใน", "Internal note"),
    EventKind.FORWARD_OUT: ("ส่งต่อออก", "Forwarded out"),
    EventKind.FORWARD_IN: ("รับเรื่องส่งต่อ", "Forwarded in"),
    EventKind.ASSIGNMENT: ("มอบหมายงาน", "Assigned"),
    EventKind.EDIT: ("แก้ไขข้อมูล", "Edited"),
    EventKind.REOPEN: ("เปิดเรื่องใหม่", "Reopened"),
    EventKind.RATING: ("ประเมินความพึงพอใจ", "Rated"),
    EventKind.LINK: ("เชื่อมโยงเรื่อง", "Linked a case"),
    EventKind.UNLINK: ("ยกเลิกการเชื่อมโยง", "Unlinked a case"),
}


class EventSource(StrEnum):
    SCREEN = "screen"
    API = "api"
    IMPORT = "import"
    SYNC = "sync"
    PUBLIC = "public"
    SYSTEM = "system"


EVENT_SOURCE_LABELS = {
    EventSource.SCREEN: ("หน้าจอ", "Screen"),
    EventSource.API: ("API", "API"),
    EventSource.IMPORT: ("นำเข้า Excel", "Import"),
    EventSource.SYNC: ("ระบบของกรม", "Departmental system"),
    EventSource.PUBLIC: ("ประชาชน", "Public"),
    EventSource.SYSTEM: ("ระบบ", "System"),
}


# What events name as their actor when no staff account acted (a staff account is named by its
# username): the public complaint form, and a requester's private link.
PUBLIC_ACTOR = "public"
REQUESTER_ACTOR = "requester (private link)"
ACTOR_LABELS = {
    PUBLIC_ACTOR: ("ผู้ร้องเรียนผ่านแบบฟอร์มออนไลน์", "Complainant (online form)"),
    REQUESTER_ACTOR: ("ผู้ยื่นเรื่อง (ลิงก์ส่วนตัว)", "Requester (private link)"),
}

# A true-or-false value in words, not Python's True and False.
YES_NO_LABELS = {True: ("ใช่", "Yes"), False: ("ไม่", "No")}


def by_language(table: dict[str, tuple[str, str]]) -> dict[str, dict[str, str]]:
    """{"th": {key: Thai}, "en": {key: English}} from a table of {key: (Thai, English)}: one
    ready dictionary per language, made once, for screens and templates to index."""
    return {"th": {key: pair[0] for key, pair in table.items()},
            "en": {key: pair[1] for key, pair in table.items()}}


def label(labels: dict, value: str, lang: str) -> str:
    """Thai or English label of an enum value; the raw value when unknown."""
    pair = labels.get(value)
    if pair is None:
        return str(value)
    return pair[0] if lang == "th" else pair[1]

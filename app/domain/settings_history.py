"""The settings history: what an administrator's change to agencies, case types, holidays, Open311
clients and staff accounts did, field by field, with secrets never written down.

A due date moves when a case type's SLA target or a holiday changes, a sync stops when a token
changes, an account gains a role: the ministry needs to know who did it and when. The records
are made where the change is saved (app/services/settings_history.py); this module decides what a
change is and how it reads.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

CREATED, CHANGED, DELETED = "created", "changed", "deleted"
ACTION_LABELS = {CREATED: ("สร้าง", "Created"), CHANGED: ("แก้ไข", "Changed"), DELETED: ("ลบ", "Deleted")}

# What a secret's entry holds instead of its value.
SET, REPLACED, REMOVED = "set", "replaced", "removed"
SECRET_LABELS = {SET: ("ตั้งค่าแล้ว", "set"), REPLACED: ("เปลี่ยนแล้ว", "replaced"), REMOVED: ("ลบแล้ว", "removed")}
NONE_LABEL = ("(ไม่มี)", "(none)")
YES_NO = {True: ("ใช่", "yes"), False: ("ไม่ใช่", "no")}


@dataclass(frozen=True)
class Tracked:
    """One kind of record the history follows."""

    entity: str
    fields: tuple[str, ...]
    # JSON objects compared key by key (a status map, connector settings).
    keyed: frozenset[str] = frozenset()
    # Fields whose value is a secret: only that it was set, replaced or removed is recorded.
    secret_fields: frozenset[str] = frozenset()
    # Keys of the keyed fields that are secrets.
    secret_keys: frozenset[str] = frozenset()


ENTITY_LABELS = {
    "agency": ("หน่วยงาน", "Agency"),
    "case_type": ("ประเภทเรื่อง", "Case type"),
    "extra_holiday": ("วันหยุดพิเศษ", "Extra holiday"),
    "open311_client": ("ระบบที่ส่งเรื่องผ่าน Open311", "Open311 client"),
    "user": ("บัญชีเจ้าหน้าที่", "Staff account"),
}

FIELD_LABELS = {
    "code": ("รหัส", "Code"),
    "short_th": ("ชื่อย่อ", "Abbreviation"),
    "name_th": ("ชื่อภาษาไทย", "Thai name"),
    "name_en": ("ชื่อภาษาอังกฤษ", "English name"),
    "description": ("คำอธิบาย", "Description"),
    "active": ("ใช้งาน", "Active"),
    "contact_phone": ("โทรศัพท์สำหรับประชาชน", "Public phone"),
    "contact_email": ("อีเมลสำหรับประชาชน", "Public email"),
    "contact_office": ("สำนักงานและเวลาทำการ", "Office and hours"),
    "connector_kind": ("ชนิดตัวเชื่อมต่อ", "Connector kind"),
    "connector_settings": ("การตั้งค่าตัวเชื่อมต่อ", "Connector settings"),
    "status_map": ("ตารางเทียบสถานะ", "Status map"),
    "sync_interval_minutes": ("ซิงก์ทุก (นาที)", "Sync every (minutes)"),
    "sync_enabled": ("เปิดการซิงก์", "Sync enabled"),
    "agency": ("หน่วยงาน", "Agency"),
    "kind": ("ลักษณะ", "Kind"),
    "sla_days": ("เป้าหมาย SLA (วันทำการ)", "SLA target (working days)"),
    "at_risk_share": ("สัดส่วนที่ถือว่าใกล้ครบกำหนด", "At-risk share"),
    "first_response_days": ("ตอบกลับครั้งแรก (วันทำการ)", "First response (working days)"),
    "public": ("อยู่ในแบบฟอร์มสาธารณะ", "On the public form"),
    "day": ("วันที่", "Date"),
    "name": ("ชื่อ", "Name"),
    "api_key_hash": ("API key", "API key"),
    "username": ("ชื่อผู้ใช้", "User name"),
    "first_name": ("ชื่อ", "First name"),
    "last_name": ("นามสกุล", "Last name"),
    "email": ("อีเมล", "Email"),
    "password": ("รหัสผ่าน", "Password"),
    "roles": ("บทบาท", "Roles"),
}


def plain(value):
    """A value as JSON can hold it: dates as ISO text, collections as sorted lists of text,
    related records by their name."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return sorted(str(item) for item in value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    return str(value)


def _secret_state(old, new) -> tuple[str | None, str | None] | None:
    """(old, new) as recorded for a secret, or None when it did not change."""
    had, has = old not in (None, ""), new not in (None, "")
    if old == new or (not had and not has):
        return None
    if not had:
        return None, SET
    if not has:
        return SET, REMOVED
    return SET, REPLACED


def changes(tracked: Tracked, before: dict, after: dict) -> list[dict]:
    """The entries of one change: {"field", "old", "new"} (and "key" for one key of a keyed
    field, "secret": true where the values are only set/replaced/removed), in the fields' order;
    nothing for a field that did not change."""
    entries = []
    for field in tracked.fields:
        old, new = plain(before.get(field)), plain(after.get(field))
        if field in tracked.keyed and (isinstance(old, dict) or isinstance(new, dict)):
            entries.extend(_keyed_changes(tracked, field, old or {}, new or {}))
        elif field in tracked.secret_fields:
            state = _secret_state(old, new)
            if state is not None:
                entries.append({"field": field, "old": state[0], "new": state[1], "secret": True})
        elif old != new:
            entries.append({"field": field, "old": old, "new": new})
    return entries


def _keyed_changes(tracked: Tracked, field: str, old: dict, new: dict) -> list[dict]:
    entries = []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if key in tracked.secret_keys:
            state = _secret_state(before, after)
            if state is not None:
                entries.append({"field": field, "key": key, "old": state[0], "new": state[1], "secret": True})
        elif before != after:
            entries.append({"field": field, "key": key, "old": before, "new": after})
    return entries


def _pick(labels: tuple[str, str], lang: str) -> str:
    return labels[0] if lang == "th" else labels[1]


def field_label(entry: dict, lang: str) -> str:
    labels = FIELD_LABELS.get(entry["field"])
    name = _pick(labels, lang) if labels else entry["field"]
    return f"{name}, {entry['key']}" if entry.get("key") is not None else name


def value_text(value, lang: str, *, secret: bool = False, translate=None) -> str:
    """One recorded value as a reader sees it; `translate` may word values a field names (our
    statuses in a status map, role names)."""
    if value is None:
        return _pick(NONE_LABEL, lang)
    if secret:
        return _pick(SECRET_LABELS.get(value, (value, value)), lang)
    if isinstance(value, bool):
        return _pick(YES_NO[value], lang)
    if isinstance(value, list):
        words = [translate(item) if translate is not None else str(item) for item in value]
        return ", ".join(words) if words else _pick(NONE_LABEL, lang)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    if translate is not None:
        return translate(value)
    return str(value)


def entry_text(entry: dict, lang: str, translate=None) -> str:
    """"Field: old → new" for one entry; a secret reads "API key: replaced"."""
    name = field_label(entry, lang)
    if entry.get("secret"):
        return f"{name}: {value_text(entry['new'] or entry['old'], lang, secret=True)}"
    old = value_text(entry.get("old"), lang, translate=translate)
    new = value_text(entry.get("new"), lang, translate=translate)
    return f"{name}: {old} → {new}"


def summary(entries: list[dict] | None, lang: str, *, limit: int = 3) -> str:
    """The changed fields' names for a list: at most `limit`, then how many more."""
    names = []
    for entry in entries or ():
        name = field_label({"field": entry["field"]}, lang)
        if name not in names:
            names.append(name)
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        more = len(names) - limit
        shown += f" และอีก {more} รายการ" if lang == "th" else f" and {more} more"
    return shown


def action_label(action: str, lang: str) -> str:
    return _pick(ACTION_LABELS.get(action, (action, action)), lang)


def entity_label(entity: str, lang: str) -> str:
    return _pick(ENTITY_LABELS.get(entity, (entity, entity)), lang)

"""Systems allowed to post service requests through Open311, each with its own api_key.

A key is shown once, when it is made; the database keeps its SHA-256 hash and its first characters.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.domain.case_rules import clean_text
from app.domain.errors import RuleError
from app.domain.secret_tokens import digest, new_secret
from app.domain.whole_numbers import whole_number
from app.extensions import db
from app.models import Agency, Open311Client
from app.services.db import transaction
from app.services.errors import NotFound

KEY_PREFIX = "r311_"
SHOWN_PREFIX_LENGTH = len(KEY_PREFIX) + 6


def _new_key() -> tuple[str, str, str]:
    key = new_secret(KEY_PREFIX)
    return key, digest(key), key[:SHOWN_PREFIX_LENGTH]


def client_name(value: Any) -> str:
    """A client's name as kept: trimmed, not empty, at most 100 characters (on adding and editing)."""
    name = clean_text(value)
    if not name or len(name) > 100:
        raise RuleError("Name: give the client a name of at most 100 characters.",
                        "ชื่อ: กรุณาตั้งชื่อไม่เกิน 100 ตัวอักษร", code="bad_name", field="name")
    return name


def create_client(name: Any, agency_id: int | None = None, active: bool = True) -> tuple[Open311Client, str]:
    """The new client and its api_key, which nobody can read back later."""
    clean = client_name(name)
    with transaction() as session:
        if session.execute(select(Open311Client.id).where(Open311Client.name == clean)).first():
            raise RuleError(f"Name: a client called '{clean}' already exists.",
                            f"ชื่อ: มีระบบชื่อ '{clean}' อยู่แล้ว", code="duplicate_name", field="name")
        if agency_id is not None and session.get(Agency, agency_id) is None:
            raise RuleError("Agency: no such agency.", "หน่วยงาน: ไม่พบหน่วยงาน", code="unknown_agency",
                            field="agency")
        key, key_hash, prefix = _new_key()
        client = Open311Client(name=clean, api_key_hash=key_hash, key_prefix=prefix, agency_id=agency_id,
                               active=bool(active))
        session.add(client)
        session.flush()
    return client, key


def replace_key(client_id: Any) -> tuple[Open311Client, str]:
    """A new api_key for the client; the old one stops working at once."""
    with transaction() as session:
        number = whole_number(client_id)
        client = session.get(Open311Client, number) if number is not None else None
        if client is None:
            raise NotFound("Open311 client", "ระบบที่ลงทะเบียน")
        key, client.api_key_hash, client.key_prefix = _new_key()
    return client, key


def authenticate(api_key: str | None, session=None) -> Open311Client | None:
    """The active client holding this key, or None."""
    if not api_key or len(api_key) > 200:
        return None
    session = session or db.session
    client = session.execute(select(Open311Client).where(Open311Client.api_key_hash == digest(api_key.strip()))
                             ).scalar_one_or_none()
    if client is None or not client.active:
        return None
    return client

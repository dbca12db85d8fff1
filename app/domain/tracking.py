"""Tracking codes (เลขที่เรื่อง): AGENCY-BEYEAR-SEQUENCE, e.g. DIW-2569-000123."""
from __future__ import annotations

import re
from datetime import datetime

from app.domain.errors import RuleError
from app.domain.local_time import BANGKOK

BE_OFFSET = 543
_CODE = re.compile(r"^([A-Z]{2,12})-(\d{4})-(\d{6,})$")


_AGENCY_CODE = re.compile(r"^[A-Z]{2,12}$")


def check_agency_code(text: str | None) -> str:
    """An agency's code as its tracking codes begin with it, in capitals ('dlt' is DLT); RuleError
    for anything else: the jobs, the scheduler and /track look agencies up by it in capitals."""
    code = (text or "").strip().upper()
    if not _AGENCY_CODE.match(code):
        raise RuleError("Code: 2 to 12 letters A to Z, as the agency's tracking codes begin (DIW-2569-000123).",
                        "รหัส: ตัวอักษรภาษาอังกฤษ A ถึง Z จำนวน 2 ถึง 12 ตัว ตามที่ขึ้นต้นเลขที่เรื่องของหน่วยงาน "
                        "(เช่น DIW-2569-000123)", code="bad_agency_code", field="code")
    return code


def be_year(moment: datetime) -> int:
    """Buddhist-Era year of an instant, as the calendar reads in Bangkok."""
    if moment.tzinfo is None:
        raise ValueError("be_year needs an aware datetime")
    return moment.astimezone(BANGKOK).year + BE_OFFSET


def format_tracking_code(agency_code: str, year_be: int, sequence: int) -> str:
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{agency_code.upper()}-{year_be}-{sequence:06d}"


def parse_tracking_code(code: str) -> tuple[str, int, int] | None:
    """(agency, B.E. year, sequence) of a well-formed code, else None. Tolerates case and spaces."""
    match = _CODE.match((code or "").strip().upper())
    if not match:
        return None
    return match.group(1), int(match.group(2)), int(match.group(3))

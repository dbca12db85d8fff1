"""Whether a text meant for the public status page shows someone's personal data.

The status page shows no personal data (the requester's name, phone, ID, email), but a note that
staff mark public is theirs to word, and "โทรแจ้งคุณสมชาย 081-234-5678 แล้ว" is an easy thing to
type. What is looked for, and what is let through on purpose:

- a mobile number (06, 08 or 09 and eight more digits, or +66 6/8/9): people's phones are
  mobiles; an office's landline (02 ..., 0 and a province code) may be published;
- a 13-digit citizen ID with a valid check digit (first digit 1 to 8); a juristic person's ID
  starts with 0 and is a business's public number;
- an email address, except on the government's domains (.go.th), which are offices';
- the requester's own first or last name (titles set aside), unless the requester is a business.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.case_rules import thai_id_checksum_ok
from app.domain.thai_dates import thai_digits_to_ascii

_SEPARATOR = r"[\s\-.]?"
_MOBILE = re.compile(r"(?<![\d+])(?:0|\+?66" + _SEPARATOR + r")[689](?:" + _SEPARATOR + r"\d){8}(?!\d)")
_THIRTEEN = re.compile(r"(?<!\d)\d(?:" + _SEPARATOR + r"\d){12}(?!\d)")
_EMAIL = re.compile(r"[\w.+\-]+@([\w\-]+(?:\.[\w\-]+)+)")
# Thai titles are often written on to the name ("นายสมชาย"); English ones stand apart.
_THAI_TITLES = ("นางสาว", "นาง", "นาย", "น.ส.", "ด.ช.", "ด.ญ.", "คุณ")
_TITLES = (*_THAI_TITLES, "mr.", "mrs.", "ms.", "miss", "mr", "mrs", "ms", "dr.", "dr")
_BUSINESS = ("บริษัท", "บจก", "ห้างหุ้นส่วน", "หจก", "จำกัด", "สหกรณ์", "มูลนิธิ", "สมาคม", "co.", "ltd", "inc",
             "company", "limited")
# Shorter name parts are too likely to be part of other words (Thai is written without spaces).
MIN_NAME_CHARS = 3


@dataclass(frozen=True)
class Finding:
    kind: str   # "phone", "national_id", "email" or "name"
    text: str   # what was found, as it was written


def _name_parts(requester_name: str | None) -> list[str]:
    name = " ".join((requester_name or "").split())
    lowered = name.casefold()
    if not name or any(word in lowered for word in _BUSINESS):
        return []
    parts = []
    for part in name.split(" "):
        for title in _THAI_TITLES:
            if part.startswith(title):
                part = part[len(title):]
                break
        if part.casefold() not in _TITLES and len(part) >= MIN_NAME_CHARS:
            parts.append(part)
    return parts


def personal_data_in(text: str | None, requester_name: str | None = None) -> list[Finding]:
    """What in `text` is someone's personal data, in the order found; empty when nothing is."""
    if not text:
        return []
    plain = thai_digits_to_ascii(text)  # same length: positions match the text as written
    found: list[Finding] = []
    for match in _MOBILE.finditer(plain):
        found.append(Finding("phone", text[match.start():match.end()]))
    for match in _THIRTEEN.finditer(plain):
        digits = re.sub(r"\D", "", match.group())
        if digits[0] in "12345678" and thai_id_checksum_ok(digits):
            found.append(Finding("national_id", text[match.start():match.end()]))
    for match in _EMAIL.finditer(plain):
        if not match.group(1).casefold().endswith(".go.th"):
            found.append(Finding("email", text[match.start():match.end()]))
    lowered = text.casefold()
    for part in _name_parts(requester_name):
        if part.casefold() in lowered:
            found.append(Finding("name", part))
    return found


_WHAT = {
    "phone": ("a mobile phone number", "หมายเลขโทรศัพท์มือถือ"),
    "national_id": ("a citizen ID number", "เลขประจำตัวประชาชน"),
    "email": ("an email address", "อีเมล"),
    "name": ("the requester's name", "ชื่อผู้ร้อง"),
}


def described(findings: list[Finding]) -> tuple[str, str]:
    """What was found, in English and Thai: "a mobile phone number (081-234-5678)"."""
    english, thai = [], []
    for finding in findings:
        en, th = _WHAT[finding.kind]
        english.append(f"{en} ({finding.text})")
        thai.append(f"{th} ({finding.text})")
    return ", ".join(english), ", ".join(thai)

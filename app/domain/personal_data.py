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

Numbers are looked for however they are typed: Thai or full-width digits, Word's dashes, spaces
(between every digit too), underscores, brackets ("(081) 234-5678"), a slash after the first three
digits ("081/2345678") and the zero-width spaces Thai text often carries between words.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.domain.case_rules import thai_id_checksum_ok
from app.domain.thai_dates import thai_digits_to_ascii

# Between two digits of one number; '/' in an ID, and in a mobile number only after its first
# three digits ("081/2345678"), since dates are written with it ("08/12/2567 10.30").
_SEPARATOR = r"[\s\-.()_]{0,3}"
_AFTER_PREFIX = r"[\s\-.()_/]{0,3}"
_ID_SEPARATOR = r"[\s\-./_]{0,2}"
_MOBILE = re.compile(r"(?<![\d+(])\(?(?:0|\+?66)" + _SEPARATOR + r"[689]" + _SEPARATOR + r"\d" + _AFTER_PREFIX
                     + r"\d(?:" + _SEPARATOR + r"\d){6}(?!\d)")
_THIRTEEN = re.compile(r"(?<!\d)\d(?:" + _ID_SEPARATOR + r"\d){12}(?!\d)")
_EMAIL = re.compile(r"[\w.+\-]+@([\w\-]+(?:\.[\w\-]+)+)")
# Thai titles are often written on to the name ("นายสมชาย"); English ones stand apart.
_THAI_TITLES = ("นางสาว", "นาง", "นาย", "น.ส.", "ด.ช.", "ด.ญ.", "คุณ")
_TITLES = (*_THAI_TITLES, "mr.", "mrs.", "ms.", "miss", "mr", "mrs", "ms", "dr.", "dr")
# Thai is written without spaces, so its words are found anywhere; English ones as whole words
# ("Vincent" is a person, "Inc." a business).
_THAI_BUSINESS = ("บริษัท", "บจก", "ห้างหุ้นส่วน", "หจก", "จำกัด", "สหกรณ์", "มูลนิธิ", "สมาคม")
_ENGLISH_BUSINESS = re.compile(r"(?<![a-z])(?:co\.|ltd|inc|corp|plc|company|limited|corporation|partnership)(?![a-z])")
_DROPPED = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d")
# Shorter name parts are too likely to be part of other words (Thai is written without spaces).
MIN_NAME_CHARS = 3


@dataclass(frozen=True)
class Finding:
    kind: str   # "phone", "national_id", "email" or "name"
    text: str   # what was found, as it was written


def _folded(text: str) -> tuple[str, list[int]]:
    """text with Thai and full-width digits as ASCII, dashes as '-', zero-width characters gone
    (NFKC, one character at a time), and for each character the index it came from in text."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(thai_digits_to_ascii(text)):
        if char in _DROPPED:
            continue
        for each in "-" if char in _DASHES else unicodedata.normalize("NFKC", char):
            folded.append(each)
            origin.append(index)
    return "".join(folded), origin


def is_business(name: str | None) -> bool:
    """Whether a requester's name is a business's or an organisation's, not a person's."""
    lowered = " ".join((name or "").split()).casefold()
    return any(word in lowered for word in _THAI_BUSINESS) or bool(_ENGLISH_BUSINESS.search(lowered))


def _name_parts(requester_name: str | None) -> list[str]:
    name = " ".join((requester_name or "").split())
    if not name or is_business(name):
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
    plain, origin = _folded(text)

    def written(match: re.Match) -> str:
        return text[origin[match.start()]:origin[match.end() - 1] + 1]

    found: list[Finding] = []
    for match in _MOBILE.finditer(plain):
        found.append(Finding("phone", written(match)))
    for match in _THIRTEEN.finditer(plain):
        digits = re.sub(r"\D", "", match.group())
        if digits[0] in "12345678" and thai_id_checksum_ok(digits):
            found.append(Finding("national_id", written(match)))
    for match in _EMAIL.finditer(plain):
        if not match.group(1).casefold().endswith(".go.th"):
            found.append(Finding("email", written(match)))
    found.extend(Finding("name", part) for part in _names_in(plain, requester_name))
    return found


def _names_in(plain: str, requester_name: str | None) -> list[str]:
    """The requester's name parts found in `plain` (text as _folded() gives it)."""
    lowered = plain.casefold()
    return [part for part in _name_parts(requester_name) if _folded(part)[0].casefold() in lowered]


def names_requester(text: str | None, requester_name: str | None) -> bool:
    """Whether text holds the requester's first or last name (a person's, titles set aside)."""
    return bool(text and requester_name and _names_in(_folded(text)[0], requester_name))


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

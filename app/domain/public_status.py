"""What the public status page may show of a case's timeline.

Status changes always show (the current status is public anyway); a note shows only when staff
marked it public, and not even then when it shows personal data (a phone, a citizen ID, a personal
email: domain/personal_data.py). New notes with such data cannot be made public, by staff or by a
sync; the check here keeps it off the public pages for notes published before those rules.
Internal notes, assignments, edits and ratings never show, nor does who acted or from where.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from app.domain import geo
from app.domain.personal_data import names_requester, personal_data_in
from app.domain.statuses import EventKind
from app.domain.thai_dates import thai_digits_to_ascii
from app.domain.tracking import format_tracking_code

# Forwarding writes one event per side; the receiving side tells the public all there is.
SHOWN_KINDS = (EventKind.CREATED, EventKind.STATUS, EventKind.REOPEN, EventKind.FORWARD_IN, EventKind.PUBLIC_NOTE)
_NOTE_ONLY_KINDS = frozenset({EventKind.PUBLIC_NOTE})


@dataclass(frozen=True)
class EventRow:
    at: datetime
    kind: str
    from_status: str | None
    to_status: str | None
    note: str | None
    public: bool
    from_agency: tuple[str, str] | None = None  # (Thai name, English name)
    to_agency: tuple[str, str] | None = None


@dataclass(frozen=True)
class PublicEntry:
    at: datetime
    kind: str
    to_status: str | None
    note: str | None
    from_agency: tuple[str, str] | None
    to_agency: tuple[str, str] | None


def shown_note(note: str | None, requester_name: str | None = None) -> str | None:
    """A public note as the public may read it: None when it shows personal data (the
    requester's name among it, when given)."""
    return note if note and not personal_data_in(note, requester_name) else None


def public_entries(events: list[EventRow], requester_name: str | None = None) -> list[PublicEntry]:
    entries = []
    for event in events:
        if event.kind not in SHOWN_KINDS:
            continue
        note = shown_note(event.note, requester_name) if event.public else None
        if event.kind in _NOTE_ONLY_KINDS and note is None:
            continue
        forwarded = event.kind == EventKind.FORWARD_IN
        entries.append(PublicEntry(
            at=event.at, kind=event.kind, to_status=event.to_status, note=note,
            from_agency=event.from_agency if forwarded else None,
            to_agency=event.to_agency if forwarded else None,
        ))
    return entries


def latest_public_note(events: list[EventRow], requester_name: str | None = None) -> str | None:
    notes = [e.note for e in events if e.public and shown_note(e.note, requester_name) and e.kind in SHOWN_KINDS]
    return notes[-1] if notes else None


# A district's Thai name is one word of Thai letters and marks: อำเภอ and เขต names have no spaces.
_THAI_PLACE_NAME = re.compile(r"^[\u0E01-\u0E2E\u0E30-\u0E3A\u0E40-\u0E4E\u0E2F]{2,40}$")
# How a person's name or a house address begins, never a district's, but for these three.
_PERSON_PREFIXES = ("นาย", "นาง", "คุณ", "ด.ช.", "ด.ญ.", "น.ส.")
_HOUSE_PREFIXES = ("บ้านเลขที่", "เลขที่", "หมู่", "ซอย", "ถนน", "โทร")
_DISTRICTS_LIKE_A_NAME = frozenset({"นางรอง", "นายายอาม", "นายูง"})


def public_place_name(name: str | None, requester_name: str | None = None) -> str | None:
    """`name` if it can be a district the list lacks, else None. Free text typed as a district (a
    house number, a street, a person's name or phone) is not published: only one Thai word that
    begins as no name or address does and holds none of the requester's names. Thai names are
    mostly written with their title ("นายสมชาย"), and without one a name has a place's shape, so
    a district the list lacks in English is not published either."""
    if not name:
        return None
    text = " ".join(name.split())
    if not _THAI_PLACE_NAME.match(text) or text.startswith(_HOUSE_PREFIXES):
        return None
    if text.startswith(_PERSON_PREFIXES) and text not in _DISTRICTS_LIKE_A_NAME:
        return None
    if names_requester(text, requester_name):
        return None
    return text


def shown_district(province: str | None, district: str | None, requester_name: str | None) -> str | None:
    """The stored district when the public may see it: a listed district of the province, or
    what public_place_name() lets through; the requester's name is asked for only to keep it out."""
    found = geo.province_by_name(province) if province else None
    if found is not None and geo.district_by_name(found, district) is not None:
        return district
    return public_place_name(district, requester_name)


def public_address(province: str | None, district: str | None, lang: str) -> str | None:
    """District then province, most specific first as the spec asks; nothing finer. Only what
    names a place is shown: a known province, a listed district of it by its own name, or a
    district the list lacks that public_place_name() lets through."""
    found = geo.province_by_name(province) if province else None
    if found is None:
        return None
    known = geo.district_by_name(found, district)
    if known is not None:
        district_name = known.name_th if lang == "th" else known.name_en
    else:
        district_name = public_place_name(district)
    province_name = found.name_th if lang == "th" else found.name_en
    return ", ".join(p for p in (district_name, province_name) if p)


# What people type: any case, spaces or en dashes around the parts, Thai digits, short numbers.
_TYPED_CODE = re.compile(r"^([A-Z]{2,12})\s*[-\u2013]\s*(\d{4})\s*[-\u2013]\s*(\d{1,9})$")


def canonical_code(typed: str | None) -> str | None:
    """DIW-2569-000123 from ' diw-๒๕๖๙-123 '; None when it cannot be a tracking code."""
    if not typed or len(typed) > 40:
        return None
    match = _TYPED_CODE.match(thai_digits_to_ascii(typed.strip().upper()))
    if match is None or int(match.group(3)) < 1:
        return None
    return format_tracking_code(match.group(1), int(match.group(2)), int(match.group(3)))

"""What the public timeline shows: status changes always, notes only when public, never the rest."""
from datetime import datetime, timedelta, timezone

import pytest

from app.domain.public_status import EventRow, latest_public_note, public_address, public_entries

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=timezone.utc)


def row(kind, public=True, note=None, to_status=None, minutes=0, **kw):
    return EventRow(T0 + timedelta(minutes=minutes), kind, None, to_status, note, public, **kw)


@pytest.mark.parametrize("event, shown, note", [
    (row("created", to_status="received"), True, None),
    (row("status", to_status="in_progress", note="ลงพื้นที่ตรวจสอบแล้ว"), True, "ลงพื้นที่ตรวจสอบแล้ว"),
    (row("status", public=False, to_status="in_progress", note="ผู้ร้องชื่อสมชาย โทร 0812345678"), True, None),
    (row("reopen", to_status="in_progress", note="ยังมีกลิ่น"), True, "ยังมีกลิ่น"),
    (row("public_note", note="นัดตรวจวันจันทร์"), True, "นัดตรวจวันจันทร์"),
    (row("public_note", public=False, note="ภายใน"), False, None),
    # Published before a public note could not hold personal data: the note is held back.
    (row("status", to_status="in_progress", note="ติดต่อผู้ร้องที่ 081-234-5678 แล้ว"), True, None),
    (row("public_note", note="ส่งสำเนาไปที่ somchai.p@gmail.com แล้ว"), False, None),
    (row("public_note", note="สอบถามเพิ่มเติมที่ saraban@diw.go.th"), True, "สอบถามเพิ่มเติมที่ saraban@diw.go.th"),
    (row("internal_note", public=False, note="ผู้ร้องเป็นญาติเจ้าของโรงงาน"), False, None),
    (row("internal_note", public=True, note="marked public by mistake"), False, None),
    (row("assignment", public=False), False, None),
    (row("edit", public=False), False, None),
    (row("rating", public=False), False, None),
    (row("forward_out", to_status="forwarded"), False, None),
    (row("forward_in", to_status="forwarded", from_agency=("สปอ", "OPS"), to_agency=("กรอ", "DIW")), True, None),
])
def test_which_events_show(event, shown, note):
    entries = public_entries([event])
    assert bool(entries) == shown
    if shown:
        assert entries[0].note == note


def test_forwarding_names_the_agencies_only_on_the_receiving_side():
    entry = public_entries([row("forward_in", from_agency=("ก", "A"), to_agency=("ข", "B"))])[0]
    assert (entry.from_agency, entry.to_agency) == (("ก", "A"), ("ข", "B"))


def test_latest_public_note_skips_internal_ones():
    events = [row("status", note="แรก", minutes=1), row("public_note", note="ล่าสุด", minutes=2),
              row("internal_note", public=False, note="ลับ", minutes=3)]
    assert latest_public_note(events) == "ล่าสุด"
    events.append(row("public_note", note="โทรหาผู้ร้อง ๐๘๑๒๓๔๕๖๗๘ แล้ว", minutes=4))
    assert latest_public_note(events) == "ล่าสุด"


@pytest.mark.parametrize("province, district, lang, expected", [
    ("ระยอง", "เมืองระยอง", "th", "เมืองระยอง, ระยอง"),
    ("ระยอง", "เมืองระยอง", "en", "Mueang Rayong, Rayong"),
    ("ระยอง", None, "en", "Rayong"),
    (None, None, "th", None),
    ("ระยอง", "ตำบลที่ไม่มีในรายการ", "en", "ตำบลที่ไม่มีในรายการ, Rayong"),
    # Listed districts however they are written.
    ("จ.ระยอง", "อ.เมืองระยอง", "en", "Mueang Rayong, Rayong"),
    ("กรุงเทพฯ", "เขตบางนา", "th", "บางนา, กรุงเทพมหานคร"),
    ("Buri Ram", "Nang Rong District", "th", "นางรอง, บุรีรัมย์"),
    ("บุรีรัมย์", "นางรอง", "en", "Nang Rong, Buri Ram"),  # begins as นาง does, still a district
    # Free text typed where the district goes: a house, a street, a person, a phone.
    ("ระยอง", "บ้านเลขที่ 99/1 หมู่ 5 ซอยวัดใหม่", "th", "ระยอง"),
    ("ระยอง", "12/3 ถ.สุขุมวิท บ้านนายสมชาย โทร 0812345678", "th", "ระยอง"),
    ("ระยอง", "นาย สมชาย ใจดี", "th", "ระยอง"),
    ("ระยอง", "somchai@example.com", "en", "Rayong"),
    ("ระยอง", "ซอย วัดใหม่", "th", "ระยอง"),
    ("ระยอง", "หมู่ ๕", "th", "ระยอง"),
    ("ระยอง", "นายสมชาย", "th", "ระยอง"),  # Thai titles are written on to the name
    ("ระยอง", "สมชาย ใจดี", "th", "ระยอง"),  # district names are one word
    ("ระยอง", "Somchai Jaidee", "en", "Rayong"),  # unlisted English: not told from a name
    ("ระยอง", "ซอยวัดใหม่", "th", "ระยอง"),
    ("อุดรธานี", "นายูง", "th", "นายูง, อุดรธานี"),  # unlisted, and begins as นาย does
    # A province that is not one is not shown at all, nor its district.
    ("บ้านนายสมชาย", "เมืองระยอง", "th", None),
])
def test_public_address_is_district_and_province_only(province, district, lang, expected):
    assert public_address(province, district, lang) == expected


@pytest.mark.parametrize("typed, canonical", [
    ("DIW-2569-000123", "DIW-2569-000123"),
    ("  diw-2569-123 ", "DIW-2569-000123"),
    ("DIW - ๒๕๖๙ - ๑๒๓", "DIW-2569-000123"),
    ("tisi–2568–7", "TISI-2568-000007"),
    ("DIW-2569-1234567", "DIW-2569-1234567"),
    ("DIW-2569-0", None), ("DIW-2569", None), ("2569-000123", None), ("", None), (None, None),
    ("DIW-2569-000123; DROP", None), ("D-2569-000001", None), ("x" * 41, None),
])
def test_canonical_code(typed, canonical):
    from app.domain.public_status import canonical_code

    assert canonical_code(typed) == canonical


@pytest.mark.parametrize("province, district, requester, shown", [
    ("ระยอง", "ใจดี", "นายสมชาย ใจดี", None),
    ("ระยอง", "ใจดี", None, "ใจดี"),
    ("ระยอง", "บ้านฉาง", "นายบ้านฉาง ใจดี", "บ้านฉาง"),  # a listed district stays, whoever filed it
    ("ระยอง", "ท่าใหม่", "บริษัท ท่าใหม่ จำกัด", "ท่าใหม่"),  # a business's name is not personal
])
def test_shown_district_keeps_the_requesters_name_out(province, district, requester, shown):
    from app.domain.public_status import shown_district

    assert shown_district(province, district, requester) == shown


def test_latest_public_note_skips_one_naming_the_requester():
    events = [row("public_note", note="ตรวจแล้ว", minutes=1), row("public_note", note="Told Mr Tanaka", minutes=2)]
    assert latest_public_note(events) == "Told Mr Tanaka"
    assert latest_public_note(events, "Vincent Tanaka") == "ตรวจแล้ว"

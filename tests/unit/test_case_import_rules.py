"""The import's row rules, table-driven: cells in, fields or (column, code) out."""
from __future__ import annotations

import datetime as dt

import pytest

from app.domain.case_import import (
    ImportContext, ImportRow, RowReader, TypeRef, changes_for, check_with_stored, missing_for_new, status_change_kind,
)
from app.domain.sheet_headers import find_header_row, normalise_header

UTC = dt.timezone.utc
BANGKOK = dt.timezone(dt.timedelta(hours=7))
TYPES = [
    TypeRef(1, "DIW-NUISANCE", "DIW", "complaint", 15, 0.8, "เหตุเดือดร้อนรำคาญจากโรงงาน", "Factory nuisance"),
    TypeRef(2, "DIW-RNG4", "DIW", "request", 30, 0.8, "ขอใบอนุญาต ร.ง.4", "Factory licence"),
    TypeRef(3, "OPS-GENERAL", "OPS", "complaint", 15, 0.8, "ร้องเรียนทั่วไป", "General complaint"),
]
CONTEXT = ImportContext("DIW", 2, TYPES, {normalise_header(n): c for n, c in
                                          (("DIW", "DIW"), ("OPS", "OPS"), ("กรมโรงงานอุตสาหกรรม", "DIW"))},
                        today=dt.date(2025, 6, 1))
HEADER = ["เลขที่เรื่อง", "เลขอ้างอิง", "ประเภทเรื่อง", "เรื่อง", "เบอร์โทร", "เลขประจำตัวประชาชน", "จังหวัด",
          "สถานะ", "ช่องทาง", "ความเร่งด่วน", "วันที่รับเรื่อง", "วันที่ปิดเรื่อง", "หน่วยงาน"]


def _reader() -> RowReader:
    header = find_header_row([HEADER])
    return RowReader(header, HEADER, CONTEXT)


def _row(**cells) -> list:
    names = ["tracking_code", "external_ref", "case_type", "title", "phone", "id", "province", "status", "channel",
             "priority", "submitted", "closed", "agency"]
    return [cells.get(name) for name in names]


@pytest.mark.parametrize("cells, expected", [
    ({"case_type": "DIW-NUISANCE"}, {"case_type_id": 1}),
    ({"case_type": "  เหตุเดือดร้อนรำคาญจากโรงงาน "}, {"case_type_id": 1}),
    ({"case_type": "factory LICENCE"}, {"case_type_id": 2}),
    ({"phone": 812345678.0}, {"requester_phone": "0812345678"}),
    ({"phone": "๐๒-๒๐๒-๓๐๐๐"}, {"requester_phone": "022023000"}),
    ({"id": 105556012341}, {"requester_id": "0105556012341"}),
    ({"province": "กทม."}, {"province": "กรุงเทพมหานคร"}),
    ({"province": "Chiang Mai"}, {"province": "เชียงใหม่"}),
    ({"channel": "โทรศัพท์"}, {"channel": "phone"}),
    ({"channel": "Walk-in"}, {"channel": "walk_in"}),
    ({"priority": "ด่วนที่สุด"}, {"priority": "urgent"}),
    ({"external_ref": 12345.0}, {"external_ref": "12345"}),
    ({"title": "  ชื่อเรื่อง\u00a0"}, {"title": "ชื่อเรื่อง"}),
])
def test_cells_become_fields(cells, expected):
    row = _reader().read(5, _row(**cells))
    assert row.issues == []
    assert {key: row.values[key] for key in expected} == expected


@pytest.mark.parametrize("status, expected", [
    ("รอรับเรื่อง", "received"), ("กำลังดำเนินการ", "in_progress"), ("In progress", "in_progress"),
    ("อยู่ระหว่างดำเนินการ", "in_progress"), ("ไม่อนุมัติ", "rejected"), ("ไม่เกี่ยวข้อง", "rejected"),
    ("waiting_applicant", "waiting_applicant"), ("ยกเลิก", "cancelled"),
])
def test_status_words(status, expected):
    closed = "1/5/2568" if expected in ("rejected", "cancelled") else None
    row = _reader().read(5, _row(status=status, submitted="1/4/2568", closed=closed))
    assert row.status == expected and row.issues == []


@pytest.mark.parametrize("submitted, expected", [
    ("18/12/2567", dt.datetime(2024, 12, 18, tzinfo=BANGKOK)),
    ("18 ธ.ค. 67", dt.datetime(2024, 12, 18, tzinfo=BANGKOK)),
    ("๑๘/๑๒/๒๕๖๗ ๑๔.๓๐ น.", dt.datetime(2024, 12, 18, 14, 30, tzinfo=BANGKOK)),
    (dt.datetime(2024, 12, 18, 9, 0), dt.datetime(2024, 12, 18, 9, 0, tzinfo=BANGKOK)),
    (45644.0, dt.datetime(2024, 12, 18, tzinfo=BANGKOK)),
])
def test_dates_become_utc_instants(submitted, expected):
    row = _reader().read(5, _row(submitted=submitted))
    assert row.issues == [] and row.submitted_at == expected and row.submitted_at.tzinfo == UTC


@pytest.mark.parametrize("cells, column, code", [
    ({"case_type": "OPS-GENERAL"}, "ประเภทเรื่อง", "other_agency_type"),
    ({"case_type": "ไม่มีประเภทนี้"}, "ประเภทเรื่อง", "unknown_case_type"),
    ({"phone": "12345"}, "เบอร์โทร", "phone_invalid"),
    ({"id": "1234567890123"}, "เลขประจำตัวประชาชน", "id_checksum"),
    ({"province": "แอตแลนติส"}, "จังหวัด", "unknown_province"),
    ({"status": "ไม่รู้"}, "สถานะ", "unknown_status"),
    ({"channel": "นกพิราบ"}, "ช่องทาง", "unknown_channel"),
    ({"submitted": "31/02/2568"}, "วันที่รับเรื่อง", "date_nonexistent"),
    ({"submitted": "1/1/2570"}, "วันที่รับเรื่อง", "date_in_future"),
    ({"tracking_code": "ABC"}, "เลขที่เรื่อง", "bad_tracking_code"),
    ({"agency": "OPS"}, "หน่วยงาน", "other_agency"),
    ({"title": "ก" * 301}, "เรื่อง", "text_too_long"),
    ({"status": "เสร็จสิ้น", "submitted": "1/4/2568"}, "วันที่ปิดเรื่อง", "closed_without_date"),
    ({"status": "รอรับเรื่อง", "submitted": "1/4/2568", "closed": "2/4/2568"}, "วันที่ปิดเรื่อง", "open_with_closing_date"),
    ({"submitted": "5/4/2568", "closed": "1/4/2568"}, "วันที่ปิดเรื่อง", "closed_before_submitted"),
])
def test_bad_cells_name_row_column_and_reason(cells, column, code):
    row = _reader().read(7, _row(**cells))
    assert [(issue.row, issue.column, issue.code) for issue in row.issues] == [(7, column, code)]
    assert row.issues[0].message("th") and row.issues[0].message("en")
    # The message follows its column's name: it does not say it a second time.
    assert not row.issues[0].message("th").startswith(column + ":")


@pytest.mark.parametrize("stored_status, refused", [
    (None, True), ("in_progress", True), ("resolved", True), ("forwarded", False),
])
def test_a_row_cannot_forward_a_case_but_may_say_it_is_forwarded(stored_status, refused):
    """Forwarding names the receiving agency, on the case's page; a case forwarded here is
    'Forwarded' until taken up, and its exported row says so."""
    reader = _reader()
    row = reader.read(7, _row(status="ส่งต่อ"))
    assert row.issues == [] and row.status == "forwarded"
    issue = reader.forwarding_refused(row, stored_status)
    assert (issue is not None) == refused
    if refused:
        assert (issue.row, issue.column, issue.code) == (7, "สถานะ", "forwarded_by_import")
    assert reader.forwarding_refused(reader.read(7, _row(status="กำลังดำเนินการ")), None) is None


def test_a_message_from_the_case_rules_is_given_without_the_field_name():
    """The preview and the errors workbook read "จังหวัด: จังหวัด: ไม่พบจังหวัด ..." under the column's name."""
    [issue] = _reader().read(7, _row(province="แอตแลนติส")).issues
    assert issue.column == "จังหวัด"
    assert (issue.message("th"), issue.message("en")) == ("ไม่พบจังหวัด 'แอตแลนติส'",
                                                          "'แอตแลนติส' is not a province of Thailand.")


@pytest.mark.parametrize("submitted, refused", [
    ("1/6/2568", False),
    ("1/6/2568 12:09", False),
    (dt.datetime(2025, 6, 1, 11, 0), False),
    ("1/6/2568 23:59", True),
    ("1/6/2568 12:10", True),
    (dt.datetime(2025, 6, 1, 18, 0), True),
    ("2/6/2568", True),
])
def test_a_date_received_later_than_now_is_refused(submitted, refused):
    """Imported at 12:09 Bangkok on 1 June 2025: later today is still the future."""
    import dataclasses

    context = dataclasses.replace(CONTEXT, now=dt.datetime(2025, 6, 1, 5, 9, 45, tzinfo=UTC))
    reader = RowReader(find_header_row([HEADER]), HEADER, context)
    row = reader.read(7, _row(submitted=submitted))
    assert [issue.code for issue in row.issues] == (["date_in_future"] if refused else [])


def test_an_empty_row_reads_as_nothing():
    assert _reader().read(3, ["", None, "   ", None]) is None
    assert _reader().read(3, []) is None


def test_a_new_row_needs_type_title_date_and_reference():
    row = _reader().read(4, _row(title="มีแต่ชื่อเรื่อง"))
    codes = [(issue.field, issue.code) for issue in missing_for_new(row, _reader())]
    assert codes == [("case_type", "required_for_new"), ("submitted_at", "required_for_new"),
                     ("external_ref", "reference_required")]


def test_a_new_row_with_a_closing_date_needs_a_closed_status():
    """Without a status the new case is received: its closing date would be dropped unsaid, and
    the same file imported again refused for it."""
    fields = dict(title="ปิดแล้ว", case_type="DIW-NUISANCE", external_ref="R-5", submitted="1/12/2567",
                  closed="5/12/2567")
    row = _reader().read(4, _row(**fields))
    [issue] = missing_for_new(row, _reader())
    assert (issue.field, issue.code) == ("closed_at", "open_with_closing_date")
    assert "'รอรับเรื่อง'" in issue.message_th and "closed status" in issue.message_en
    assert missing_for_new(_reader().read(4, _row(**fields, status="เสร็จสิ้น")), _reader()) == []


STORED = {"title": "เดิม", "requester_phone": "0812345678", "status": "received", "latitude": 13.7,
          "submitted_at": dt.datetime(2024, 12, 18, tzinfo=UTC), "closed_at": None}


@pytest.mark.parametrize("values, status, closed, expected", [
    ({"title": "เดิม"}, None, None, {}),
    ({}, "received", None, {}),
    ({"latitude": 13.7000000000001}, None, None, {}),
    ({"title": "ใหม่"}, None, None, {"title": ("เดิม", "ใหม่")}),
    ({}, "resolved", dt.datetime(2025, 1, 2, tzinfo=UTC),
     {"status": ("received", "resolved"), "closed_at": (None, dt.datetime(2025, 1, 2, tzinfo=UTC))}),
])
def test_changes_compare_only_what_the_row_gives(values, status, closed, expected):
    row = ImportRow(row=5, cells=[], values=values, status=status, closed_at=closed)
    assert changes_for(STORED, row) == expected


STORED_TIME = dt.datetime(2024, 12, 18, 4, 59, 14, 373430, tzinfo=UTC)


@pytest.mark.parametrize("imported, changed", [
    (dt.datetime(2024, 12, 18, 4, 59, 14, 373000, tzinfo=UTC), False),  # what Excel keeps: milliseconds
    (dt.datetime(2024, 12, 18, 4, 59, 14, 374000, tzinfo=UTC), False),
    (STORED_TIME, False),
    (dt.datetime(2024, 12, 18, 4, 59, 14, 375000, tzinfo=UTC), True),
    (dt.datetime(2024, 12, 18, 4, 59, 14, tzinfo=UTC), True),
    (dt.datetime(2024, 12, 18, 4, 59, 15, 373000, tzinfo=UTC), True),
])
def test_times_are_compared_at_the_milliseconds_a_sheet_holds(imported, changed):
    stored = {**STORED, "submitted_at": STORED_TIME}
    row = ImportRow(row=5, cells=[], submitted_at=imported)
    assert changes_for(stored, row) == ({"submitted_at": (STORED_TIME, imported)} if changed else {})


@pytest.mark.parametrize("old, new, kind", [
    ("received", "in_progress", "status"), ("in_progress", "resolved", "status"),
    ("resolved", "in_progress", "reopen"), ("cancelled", "received", "reopen"), ("resolved", "rejected", "status"),
])
def test_status_change_kinds(old, new, kind):
    assert status_change_kind(old, new) == kind


@pytest.mark.parametrize("latitude, longitude, code", [
    (13.75, None, "incomplete_point"),
    (None, 100.5, "incomplete_point"),
    (13.75, 100.5, None),
])
def test_the_point_is_checked_as_a_pair(latitude, longitude, code):
    header = ["เรื่อง", "ละติจูด", "ลองจิจูด", "จังหวัด"]
    reader = RowReader(find_header_row([header]), header, CONTEXT)
    row = reader.read(2, ["ชื่อ", latitude, longitude, None])
    assert [issue.code for issue in row.issues] == ([code] if code else [])


@pytest.mark.parametrize("field_name, cell", [
    ("title", "  กลิ่นเหม็น\u00a0จากโรงงาน\u200b "), ("title", "ก" * 300), ("description", "บรรทัดหนึ่ง\r\nบรรทัดสอง\x07"),
    ("requester_name", "นาย\tสมชาย"), ("district", "บางพลี"), ("subdistrict", " บางแก้ว"), ("external_ref", 12345.0),
    ("requester_phone", 812345678.0), ("requester_phone", "+66 2 202 3000"), ("requester_id", 105556012341),
    ("requester_id", "1-1017-00230-70-8"),
])
def test_fields_the_cell_parsers_check_pass_case_rules_unchanged(field_name, cell):
    """The parsers of CELL_CHECKED fields are at least as strict as validate_case_fields: what they
    give, it accepts as is. If case_rules gains a rule for one of them, this fails."""
    from app.domain.case_import import CELL_CHECKED, CELL_PARSERS
    from app.domain.case_rules import validate_case_fields

    assert field_name in CELL_CHECKED
    value = CELL_PARSERS[field_name](cell, CONTEXT)
    assert validate_case_fields({field_name: value}, creating=False) == {field_name: value}


def test_texts_too_long_for_case_rules_are_refused_by_the_cell_parser():
    from app.domain.case_import import CELL_CHECKED, CELL_PARSERS
    from app.domain.case_rules import MAX_LENGTHS
    from app.domain.excel_cells import CellError

    for field_name in CELL_CHECKED - {"requester_phone", "requester_id"}:
        with pytest.raises(CellError):
            CELL_PARSERS[field_name]("ก" * (MAX_LENGTHS[field_name] + 1), CONTEXT)


def test_a_column_headed_over_two_lines_is_named_on_one():
    """'วันที่รับ⏎เรื่อง' is one header wrapped in its cell: the preview, the command line and the
    errors workbook name it 'วันที่รับ เรื่อง', not over two lines."""
    header = ["เลขอ้างอิง", "ประเภท\nเรื่อง", "เรื่อง", " วันที่รับ\r\nเรื่อง  "]
    reader = RowReader(find_header_row([header]), header, CONTEXT)
    row = reader.read(9, ["R-1", "DIW-NUISANCE", "กลิ่น", "31/02/2568"])
    assert [(issue.row, issue.column) for issue in row.issues] == [(9, "วันที่รับ เรื่อง")]
    assert reader.column_title("case_type") == "ประเภท เรื่อง"


@pytest.mark.parametrize("agency, code", [
    ("DIW", None),
    ("กรมโรงงานอุตสาหกรรม", None),
    ("กรมโรงงานฯ", None),  # the abbreviation mark: any one agency whose name starts so
    ("กรมโรงงานอุตสาหกรรม จังหวัดระยอง", None),
    ("OPS", "other_agency"),
    ("สำนักงานปลัดฯ", "other_agency"),
    ("กรมฯ", "unknown_agency"),  # more than one agency starts so
    ("หน่วยงานลึกลับ", "unknown_agency"),
])
def test_the_agency_column(agency, code):
    import dataclasses

    names = {normalise_header(name): agency_code for name, agency_code in (
        ("DIW", "DIW"), ("กรมโรงงานอุตสาหกรรม", "DIW"), ("OPS", "OPS"), ("สำนักงานปลัดกระทรวงอุตสาหกรรม", "OPS"),
        ("กรมส่งเสริมอุตสาหกรรม", "DIPROM"))}
    context = dataclasses.replace(CONTEXT, agency_names=names)
    reader = RowReader(find_header_row([HEADER]), HEADER, context)
    row = reader.read(7, _row(agency=agency, title="กลิ่น"))
    assert [issue.code for issue in row.issues] == ([code] if code else [])
    if code == "unknown_agency":
        assert agency in row.issues[0].message("th") and agency in row.issues[0].message("en")


@pytest.mark.parametrize("column, word, expected", [
    ("status", "ยุติ", "resolved"), ("status", "ยุติเรื่องแล้ว", "resolved"), ("status", "เรียบร้อยแล้ว", "resolved"),
    ("status", "ดำเนินการเรียบร้อย", "resolved"), ("status", "ดำเนินการเสร็จสิ้น", "resolved"),
    ("status", "เสร็จสิ้นแล้ว", "resolved"), ("status", "ปิดเรื่องแล้ว", "resolved"), ("status", "ปิดเรื่อง", "resolved"),
    ("status", "อนุมัติ", "resolved"), ("status", "อนุญาตแล้ว", "resolved"), ("status", "Completed", "resolved"),
    ("status", "อยู่ระหว่างพิจารณา", "in_progress"), ("status", "อยู่ระหว่างตรวจสอบ", "in_progress"),
    ("status", "รอพิจารณา", "received"), ("status", "Pending", "received"), ("status", "Canceled", "cancelled"),
    ("channel", "สายด่วน 1569", "phone"), ("channel", "1111", "phone"), ("channel", "โทรสาร", "letter"),
    ("channel", "แฟกซ์", "letter"), ("channel", "ร้องเรียนด้วยตนเอง", "walk_in"), ("channel", "LINE OA", "line"),
    ("channel", "ไลน์@", "line"),
    ("priority", "เร่งด่วน", "high"), ("priority", "ด่วนพิเศษ", "urgent"),
])
def test_words_registers_use_for_statuses_channels_and_priorities(column, word, expected):
    closed = "2/4/2568" if expected in ("resolved", "cancelled") else None
    row = _reader().read(5, _row(**{column: word}, submitted="1/4/2568", closed=closed))
    assert row.issues == []
    assert (row.status if column == "status" else row.values[column]) == expected


@pytest.mark.parametrize("submitted, refused", [
    (dt.datetime(1967, 12, 18), True),   # '18/12/67' typed in Excel, meant as B.E. 2567
    (dt.datetime(1968, 1, 5, 9, 30), True),
    (24825.0, True),                     # the same day as a serial in a cell formatted General
    (dt.datetime(1985, 1, 1), False),    # B.E. 2585 has not come: a real 1985
    ("18/12/67", False),                 # as text, 67 is read as B.E. 2567 already
    (dt.datetime(2024, 12, 18), False),
])
def test_a_two_digit_buddhist_year_excel_read_as_the_1900s_is_refused(submitted, refused):
    row = _reader().read(7, _row(submitted=submitted))
    assert [issue.code for issue in row.issues] == (["two_digit_year"] if refused else [])
    if refused:
        issue = row.issues[0]
        assert issue.column == "วันที่รับเรื่อง"
        assert "2567" in issue.message("th") or "2568" in issue.message("th")
        assert "two-digit" in issue.message("en")


@pytest.mark.parametrize("typed", ["DIW-2567-000006", "diw-2567-000006", "DIW–2567–000006", "DIW—2567—000006",
                                   "DIW - 2567 - 000006", "DIW 2567 000006", "DIW-2567-6", "DIW-๒๕๖๗-๖"])
def test_a_tracking_code_as_clerks_type_or_paste_it(typed):
    """Pasted from a letter in Word (en or em dashes), spaced, or without the leading zeros."""
    row = _reader().read(5, _row(tracking_code=typed))
    assert row.issues == [] and row.tracking_code == "DIW-2567-000006"


@pytest.mark.parametrize("typed", ["DIW/2567/000006", "DIW-67-000006", "2567-000006", "DIW-2567-"])
def test_a_tracking_code_that_is_not_one(typed):
    assert [issue.code for issue in _reader().read(5, _row(tracking_code=typed)).issues] == ["bad_tracking_code"]


def test_a_column_the_file_lacks_is_named_in_both_languages():
    """An issue on a column the file does not have ('required' with no title column) is shown
    on Thai and English screens alike: it is named in both."""
    header = ["เลขอ้างอิง", "ประเภทเรื่อง", "วันที่รับเรื่อง"]
    reader = RowReader(find_header_row([header]), header, CONTEXT)
    row = reader.read(4, ["R-1", "DIW-NUISANCE", "1/4/2568"])
    [issue] = missing_for_new(row, reader)
    assert (issue.column, issue.field) == ("เรื่อง / Title", "title")
    assert reader.column_title("case_type") == "ประเภทเรื่อง"  # in the file: its own header


@pytest.mark.parametrize("clock, expected", [
    ("14:30", dt.time(14, 30)), ("14.30 น.", dt.time(14, 30)), ("๑๔.๓๐ น.", dt.time(14, 30)),
    ("2:30 PM", dt.time(14, 30)), (dt.time(9, 5), dt.time(9, 5)), (0.5, dt.time(12, 0)),
    (dt.timedelta(hours=8, minutes=15), dt.time(8, 15)), (None, dt.time(0, 0)),
])
def test_a_time_column_beside_the_date_received(clock, expected):
    """Registers often keep the time in its own column ('เวลา'): it completes the date received."""
    header = ["เลขอ้างอิง", "ประเภทเรื่อง", "เรื่อง", "วันที่รับเรื่อง", "เวลา"]
    reader = RowReader(find_header_row([header]), header, CONTEXT)
    row = reader.read(4, ["R-1", "DIW-NUISANCE", "กลิ่น", "1/4/2568", clock])
    assert row.issues == []
    assert row.submitted_at.astimezone(BANGKOK) == dt.datetime.combine(dt.date(2025, 4, 1), expected, BANGKOK)


@pytest.mark.parametrize("date, clock, code", [
    ("1/4/2568", "25:00", "time_invalid"),
    ("1/4/2568", "บ่าย", "time_invalid"),
    (None, "14:30", "time_without_date"),
    ("1/6/2568", "23:59", "date_in_future"),   # CONTEXT: 1 June 2568; later today is the future
])
def test_a_time_column_that_cannot_complete_the_date(date, clock, code):
    import dataclasses

    context = dataclasses.replace(CONTEXT, now=dt.datetime(2025, 6, 1, 5, 0, tzinfo=UTC))
    header = ["เลขที่เรื่อง", "เรื่อง", "วันที่รับเรื่อง", "เวลาที่รับเรื่อง"]
    reader = RowReader(find_header_row([header]), header, context)
    row = reader.read(4, ["DIW-2568-000001", "กลิ่น", date, clock])
    assert [issue.code for issue in row.issues] == [code]


def test_a_type_name_two_agencies_share_is_the_importing_agencys():
    """Type names are unique within an agency only: OPS's 'General complaint' does not hide DIW's."""
    types = [TYPES[2], TypeRef(7, "DIW-GENERAL", "DIW", "complaint", 15, 0.8, "ร้องเรียนทั่วไป", "General complaint")]
    diw = ImportContext("DIW", 2, types, {}, today=dt.date(2025, 6, 1))
    ops = ImportContext("OPS", 1, types, {}, today=dt.date(2025, 6, 1))
    assert diw.case_type("ร้องเรียนทั่วไป").code == "DIW-GENERAL"
    assert ops.case_type("General complaint").code == "OPS-GENERAL"


def test_a_retired_type_names_its_own_cases_and_no_new_or_moved_one():
    retired = TypeRef(8, "DIW-OLD", "DIW", "complaint", 15, 0.8, "ประเภทเก่า", "Old type", active=False)
    context = ImportContext("DIW", 2, [*TYPES, retired], {}, today=dt.date(2025, 6, 1))
    reader = RowReader(find_header_row([HEADER]), HEADER, context)
    row = reader.read(4, _row(case_type="ประเภทเก่า", title="เรื่อง", external_ref="R-9", submitted="1/12/2567"))
    assert row.case_type.code == "DIW-OLD" and not row.issues
    [issue] = missing_for_new(row, reader)
    assert (issue.field, issue.code) == ("case_type", "inactive_case_type") and "ประเภทเก่า" in issue.message_th
    assert check_with_stored({**STORED, "case_type_id": 8}, row, reader) == []
    [moved] = check_with_stored({**STORED, "case_type_id": 1}, row, reader)
    assert moved.code == "inactive_case_type" and "no longer in use" in moved.message_en

"""Header aliases and finding the header row under merged title rows."""
from __future__ import annotations

import pytest

from app.domain.sheet_headers import (
    ALIAS_INDEX,
    COLUMNS,
    EXPORT_HEADERS,
    IMPORT_FIELDS,
    REQUIRED_FIELDS,
    ROW_NUMBER,
    HeaderNotFound,
    find_header_row,
    header_label,
    match_header,
    normalise_header,
    template_headers,
)


@pytest.mark.parametrize(
    "text, field",
    [
        ("เลขที่เรื่อง", "tracking_code"),
        ("Tracking code", "tracking_code"),
        ("tracking no.", "tracking_code"),
        ("TRACKING  NO", "tracking_code"),
        ("เลขที่เรื่อง / Tracking code", "tracking_code"),
        ("เลขที่เรื่อง (Tracking code)", "tracking_code"),
        ("เลขอ้างอิงระบบกรม", "external_ref"),
        ("Reference", "external_ref"),
        ("ประเภทเรื่อง", "case_type"),
        ("Case type", "case_type"),
        ("เรื่อง", "title"),
        ("หัวเรื่อง", "title"),
        ("Title", "title"),
        ("Subject", "title"),
        ("รายละเอียด", "description"),
        ("ชื่อผู้ร้อง", "requester_name"),
        ("ชื่อผู้ยื่น", "requester_name"),
        ("ชื่อ-สกุล", "requester_name"),
        ("Requester", "requester_name"),
        ("เบอร์โทร", "requester_phone"),
        ("เบอร์โทร*", "requester_phone"),
        ("โทรศัพท์", "requester_phone"),
        ("Phone", "requester_phone"),
        ("E-mail", "requester_email"),
        ("email", "requester_email"),
        ("เลขประจำตัวประชาชน", "requester_id"),
        ("เลขทะเบียนนิติบุคคล", "requester_id"),
        ("ID", "requester_id"),
        ("จังหวัด", "province"),
        ("อำเภอ", "district"),
        ("เขต", "district"),
        ("อำเภอ/เขต", "district"),
        ("ตำบล", "subdistrict"),
        ("แขวง", "subdistrict"),
        ("ตำบล / แขวง", "subdistrict"),
        ("latitude", "latitude"),
        ("Longitude", "longitude"),
        ("สถานะ", "status"),
        ("ความเร่งด่วน", "priority"),
        ("ช่องทาง", "channel"),
        ("วันที่รับเรื่อง", "submitted_at"),
        ("วันที่รับเรื่อง (วว/ดด/ปปปป)", "submitted_at"),
        ("วันที่ยื่น", "submitted_at"),
        ("Submitted", "submitted_at"),
        ("วันที่ปิดเรื่อง", "closed_at"),
        ("หมายเหตุ", "note"),
        ("  หมายเหตุ\u00a0", "note"),
        ("note", "note"),  # the field name itself
        ("หน่วยงาน", "agency"),  # export-only, still recognised
        ("ไม่มีคอลัมน์นี้", None),
        ("เรื่อง / Phone", None),  # halves that disagree
        ("", None),
        (None, None),
        (42, None),
    ],
)
def test_match_header(text, field):
    assert match_header(text) == field


def test_normalise_header_drops_case_spaces_punctuation_and_thai_digits():
    assert normalise_header(" Tracking-No. ") == "trackingno"
    assert normalise_header("ช่องทาง ๑") == normalise_header("ช่องทาง1")
    assert normalise_header("ชื่อ-สกุล") == "ชื่อสกุล"


def test_no_alias_names_two_fields_and_every_label_matches_its_field():
    assert len(ALIAS_INDEX) > 100
    for column in COLUMNS:
        assert match_header(column.th) == column.field
        assert match_header(column.en) == column.field
        assert match_header(column.field) == column.field


def test_export_headers_cover_every_column_in_order():
    assert list(EXPORT_HEADERS) == [column.field for column in COLUMNS]
    assert header_label("submitted_at", "th") == "วันที่รับเรื่อง"
    assert header_label("submitted_at", "en") == "Submitted"
    assert template_headers("en")[: 3] == ["Tracking code", "Department reference", "Case type"]
    assert len(template_headers("th")) == len(IMPORT_FIELDS)
    assert "agency" not in IMPORT_FIELDS
    assert set(REQUIRED_FIELDS) <= set(IMPORT_FIELDS)


def test_header_row_is_found_below_merged_title_rows():
    rows = [
        ["ทะเบียนรับเรื่องร้องเรียน กรมโรงงานอุตสาหกรรม", "", "", ""],  # merged: one value, blanks
        ["ประจำปีงบประมาณ พ.ศ. ๒๕๖๗", "", "", ""],
        ["", "", "", ""],
        ["ลำดับ", "เลขที่เรื่อง", "ประเภทเรื่อง", "เรื่อง", "วันที่รับเรื่อง", "เบอร์โทร"],
        [1, "DIW-2567-000001", "เหตุเดือดร้อนรำคาญ", "กลิ่นเหม็น", "18/12/2567", 812345678.0],
    ]
    found = find_header_row(rows)
    assert found.row_index == 3
    assert found.columns == {1: "tracking_code", 2: "case_type", 3: "title", 4: "submitted_at", 5: "requester_phone"}
    assert found.column_of["title"] == 3
    assert found.ignored == [(0, ROW_NUMBER)]
    assert found.unknown == [] and found.duplicates == {} and found.missing_required == []


def test_unknown_duplicate_export_only_and_missing_columns_are_reported():
    rows = [["เลขที่เรื่อง", "เรื่อง", "หมายเหตุ", "สีโปรด", "Note", "หน่วยงาน", 2567]]
    found = find_header_row(rows)
    assert found.row_index == 0
    assert found.columns == {0: "tracking_code", 1: "title", 2: "note"}
    assert found.unknown == [(3, "สีโปรด"), (6, "2567")]
    assert found.duplicates == {"note": [2, 4]}
    assert found.ignored == [(5, "agency")]
    assert found.missing_required == ["case_type", "submitted_at"]


def test_an_exported_sheet_imports_again():
    # The export's columns: all but those read only when a register has them (the time column).
    exported = {name: labels for name, labels in EXPORT_HEADERS.items()
                if next(column for column in COLUMNS if column.field == name).in_template}
    rows = [[th for th, _ in exported.values()]]
    found = find_header_row(rows)
    assert sorted(found.columns.values()) == sorted(IMPORT_FIELDS)
    assert found.unknown == [] and found.missing_required == []
    rows = [[en for _, en in exported.values()]]
    assert sorted(find_header_row(rows).columns.values()) == sorted(IMPORT_FIELDS)


def test_title_row_with_a_single_alias_is_not_taken_for_the_header():
    rows = [["เรื่อง", "", ""], ["เลขที่เรื่อง", "เรื่อง", "วันที่รับเรื่อง"]]
    assert find_header_row(rows).row_index == 1


def test_header_row_beyond_the_scan_is_not_found():
    rows = [["title"]] * 5 + [["เลขที่เรื่อง", "เรื่อง", "วันที่รับเรื่อง"]]
    assert find_header_row(rows, max_scan=10).row_index == 5
    with pytest.raises(HeaderNotFound) as caught:
        find_header_row(rows, max_scan=5)
    assert caught.value.code == "header_not_found"
    assert caught.value.message_th and caught.value.message_en


def test_min_matches_is_adjustable():
    rows = [["เลขที่เรื่อง", "เรื่อง"]]
    with pytest.raises(HeaderNotFound):
        find_header_row(rows)
    assert find_header_row(rows, min_matches=2).row_index == 0


def test_empty_sheet_has_no_header():
    with pytest.raises(HeaderNotFound):
        find_header_row([])


@pytest.mark.parametrize("index, letters", [(0, "A"), (4, "E"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"),
                                            (701, "ZZ"), (702, "AAA"), (16383, "XFD")])
def test_column_letters_as_excel_names_them(index, letters):
    from app.domain.sheet_headers import column_letter

    assert column_letter(index) == letters


@pytest.mark.parametrize("text, field", [
    # A name, phone or email column qualified by whose it is, or by "to contact".
    ("ชื่อ - สกุล ผู้ร้อง", "requester_name"),
    ("ชื่อ-สกุล ผู้ร้องเรียน", "requester_name"),
    ("ชื่อ-นามสกุล ผู้ยื่นคำขอ", "requester_name"),
    ("เบอร์โทรผู้ร้อง", "requester_phone"),
    ("โทรศัพท์ผู้ร้องเรียน", "requester_phone"),
    ("เบอร์โทรศัพท์ติดต่อ", "requester_phone"),
    ("หมายเลขโทรศัพท์ติดต่อผู้ร้อง", "requester_phone"),
    ("โทรศัพท์มือถือ", "requester_phone"),
    ("อีเมล์ผู้ร้อง", "requester_email"),
    ("E-mail ผู้ร้องเรียน", "requester_email"),
    ("เลขประจำตัวประชาชน 13 หลัก", "requester_id"),
    ("เลขบัตรประชาชนผู้ยื่น", "requester_id"),
    ("Complainant name", "requester_name"),
    ("Requester phone", "requester_phone"),
    # The office's incoming-mail register number is its reference.
    ("เลขทะเบียนรับ", "external_ref"),
    ("เลขรับ", "external_ref"),
    ("เลขที่รับ", "external_ref"),
    ("เลขรับที่", "external_ref"),
    # Dates as registers head them.
    ("ว/ด/ป ที่รับเรื่อง", "submitted_at"),
    ("วัน/เดือน/ปี ที่รับเรื่อง", "submitted_at"),
    ("วันที่รับแจ้ง", "submitted_at"),
    ("วันที่ลงรับ", "submitted_at"),
    ("วันที่รับคำร้อง", "submitted_at"),
    ("วันที่รับเรื่องร้องเรียน", "submitted_at"),
    ("วันที่ยุติเรื่อง", "closed_at"),
    ("วันที่ดำเนินการเสร็จ", "closed_at"),
    ("ว/ด/ป ที่ปิดเรื่อง", "closed_at"),
    # The rest.
    ("เรื่องร้องเรียน", "title"),
    ("ประเด็นร้องเรียน", "title"),
    ("เรื่องที่ร้องเรียน", "title"),
    ("ข้อเท็จจริง", "description"),
    ("ประเภทคำร้อง", "case_type"),
    ("ประเภทการร้องเรียน", "case_type"),
    ("สถานะการดำเนินการ", "status"),
    ("ช่องทางการรับเรื่อง", "channel"),
    ("ช่องทางที่รับเรื่อง", "channel"),
    ("ชั้นความเร็ว", "priority"),
    ("จังหวัดที่เกิดเหตุ", "province"),
])
def test_headers_as_thai_registers_write_them(text, field):
    assert match_header(text) == field


@pytest.mark.parametrize("text", ["ติดต่อ", "13 หลัก", "ที่อยู่ผู้ร้อง", "ผลการดำเนินการ", "ชื่อหน่วยงาน", "เลขที่หนังสือ",
                                  "ประเภทผู้ร้อง", "สถานะผู้ร้อง", "จังหวัดผู้ร้อง", "Requester type"])
def test_a_qualifier_alone_or_an_unknown_column_still_names_nothing(text):
    assert match_header(text) is None


def test_a_two_level_header_is_read_as_one():
    from app.domain.sheet_headers import find_header_row

    rows = [
        ["ทะเบียนรับเรื่อง", None, None, None, None, None],
        ["เลขอ้างอิง", "ผู้ร้อง", None, "วันที่", None, "ผลการดำเนินการ"],
        [None, "ชื่อ-สกุล", "โทรศัพท์", "รับเรื่อง", "ปิดเรื่อง", "สถานะ"],
        ["R-1", "นายหนึ่ง", "0812345678", "1/12/2567", None, "รอรับเรื่อง"],
    ]
    merged = [(0, 0, 0, 5), (1, 0, 2, 0), (1, 1, 1, 2), (1, 3, 1, 4), (1, 5, 1, 5)]
    found = find_header_row(rows, merged=merged)
    assert found.row_index == 2
    assert found.columns == {0: "external_ref", 1: "requester_name", 2: "requester_phone", 3: "submitted_at",
                             4: "closed_at", 5: "status"}
    assert found.cells[:5] == ["เลขอ้างอิง", "ชื่อ-สกุล ผู้ร้อง", "โทรศัพท์ ผู้ร้อง", "วันที่ รับเรื่อง", "วันที่ ปิดเรื่อง"]
    # 'สถานะ' under 'ผลการดำเนินการ', a label nothing is merged over, names its column
    assert found.cells[5] == "สถานะ"
    # Without the merged ranges the second row alone is the header (its 'รับเรื่อง' means nothing).
    assert find_header_row(rows).columns == {1: "requester_name", 2: "requester_phone", 5: "status"}
    # With a group whose row below is empty, the first row is the header if it names enough.
    rows[1][3] = "วันที่รับเรื่อง"
    rows[2] = [None] * 6
    assert find_header_row(rows, merged=merged).row_index == 1
    # A header cell merged across two columns for width, the first case right under it.
    wide = [["เลขอ้างอิง", "เรื่อง", None, "วันที่รับเรื่อง"], ["R-1", "กลิ่นเหม็น", None, "1/12/2567"]]
    found = find_header_row(wide, merged=[(0, 1, 0, 2)])
    assert found.row_index == 0 and found.columns == {0: "external_ref", 1: "title", 3: "submitted_at"}
    wide[1][0] = None  # even with the row's first cell empty: its text is no label
    assert find_header_row(wide, merged=[(0, 1, 0, 2)]).row_index == 0
    # A title merged across the top is not a group.
    title_only = [["ทะเบียน"], ["เลขอ้างอิง", "เรื่อง", "วันที่รับเรื่อง"], ["R-1", "กลิ่น", "1/12/2567"]]
    assert find_header_row(title_only, merged=[(0, 0, 0, 2)]).row_index == 1


ROWS_BELOW = [["h"], ["R-1", "1/12/2567", "x"], ["R-2", None, "y"], ["R-3", None, "z"]]


@pytest.mark.parametrize("rows, merged, expected", [
    # a date merged down over three cases
    (ROWS_BELOW, [(1, 1, 3, 1)],
     [["h"], ["R-1", "1/12/2567", "x"], ["R-2", "1/12/2567", "y"], ["R-3", "1/12/2567", "z"]]),
    # a divider merged across the row, nothing else in it
    ([["h"], ["เดือนธันวาคม", None, None], ["R-2", None, "y"]], [(1, 0, 1, 2)], [["h"], [], ["R-2", None, "y"]]),
    # merged across two columns only: kept as it is
    ([["h"], ["เดือนธันวาคม", None, None], ["R-2", None, "y"]], [(1, 0, 1, 1)],
     [["h"], ["เดือนธันวาคม", None, None], ["R-2", None, "y"]]),
    # a merge that starts at the header row is the header's own
    (ROWS_BELOW, [(0, 1, 3, 1)], ROWS_BELOW),
    # merged over rows that hold nothing else: they stay empty
    ([["h"], ["R-1", "ดูหมายเหตุ"], [None, None], ["", None]], [(1, 1, 3, 1)],
     [["h"], ["R-1", "ดูหมายเหตุ"], [None, None], ["", None]]),
    # a value typed in a covered cell is the clerk's: kept
    ([["h"], ["R-1", "รอรับเรื่อง"], ["R-2", "เสร็จสิ้น"]], [(1, 1, 2, 1)],
     [["h"], ["R-1", "รอรับเรื่อง"], ["R-2", "เสร็จสิ้น"]]),
])
def test_merged_cells_below_the_header(rows, merged, expected):
    from app.domain.sheet_headers import spread_merged_cells

    rows = [list(row) for row in rows]
    spread_merged_cells(rows, merged, 0)
    assert rows == expected


@pytest.mark.parametrize("text, field", [
    ("เวลา", "submitted_time"), ("เวลาที่รับเรื่อง", "submitted_time"), ("Time", "submitted_time"),
    ("วัน/เวลา", "submitted_at"), ("วันที่/เวลา", "submitted_at"), ("วันที่ / เวลา", "submitted_at"),
    ("วันเวลาที่รับเรื่อง", "submitted_at"), ("วัน/เวลา ที่รับเรื่อง", "submitted_at"),
    ("วันที่และเวลา", "submitted_at"), ("Date/time", "submitted_at"), ("Date & time", "submitted_at"),
    ("ระยะเวลา", None), ("เวลาที่ใช้", None),
])
def test_a_date_and_time_column_is_not_the_time_column(text, field):
    assert match_header(text) == field

"""OpenDocument spreadsheets (.ods, LibreOffice's own format) through the guarded sheet reader:
known by their bytes, hidden tables skipped, error cells and merged ranges placed across repeated
rows and cells, and the hostile ones (repeats adding up to billions of cells, a far cell, a DTD)
refused or confined to the child process."""
from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from app.domain.excel_cells import ErrorCell
from app.services import ods_sheet, sheet_reader
from app.services.sheet_reader import SheetError, inspect_upload, read_sheet
from tests.integration.excel_support import (
    _ODS_MANIFEST, _ODS_NAMESPACES, FailedFormula, legacy_rows, write_ods, write_register_ods,
)


def raw_ods(path, tables: str, *, prolog: str = "", members: dict[str, str] | None = None):
    """An .ods whose spreadsheet body is written by hand, so that hostile content stays small."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<office:document-content {_ODS_NAMESPACES}>'
               f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
               "</office:document-content>")
    parts = {"content.xml": content, "META-INF/manifest.xml": _ODS_MANIFEST, **(members or {})}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        for name, text in parts.items():
            if text is not None:
                archive.writestr(name, text)
    return path


def _text(value: str) -> str:
    return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'


def test_an_ods_is_known_by_its_bytes_whatever_its_name(tmp_path):
    path = write_register_ods(tmp_path / "ทะเบียน.xlsx", legacy_rows())
    info = inspect_upload(path)
    assert (info.format, info.sheet_part, info.sheet_name) == ("ods", "content.xml", None)


def test_the_register_reads_from_a1_past_its_hidden_lookup_sheet(tmp_path):
    """Title rows merged across the top, numbers as LibreOffice stores them, runs of spaces kept
    as <text:s/>, the empty row, and the 1,048,576-row tail LibreOffice writes, read as nothing."""
    sheet = read_sheet(write_register_ods(tmp_path / "register.ods", legacy_rows()))
    assert (sheet.name, sheet.names, sheet.number) == ("ทะเบียน", ("ทะเบียน",), 0)
    assert sheet.merged == ((0, 0, 0, 12), (1, 0, 1, 12))
    assert len(sheet.rows) == 9 and sheet.rows[0][0].startswith("ทะเบียนรับเรื่อง") and sheet.rows[0][1] == ""
    first = sheet.rows[4]
    assert first[4] == "กลิ่นเหม็นจากโรงงานผลิตอาหารสัตว์  " and first[6] == 812345678
    assert sheet.rows[5][10] == dt.datetime(2024, 12, 19, 9, 30) and sheet.rows[6] == [""] * 13


def test_any_visible_table_is_read_by_its_number_and_keeps_its_own_errors(tmp_path):
    """Errors and merges of one table are not placed on another; a name with & is matched as
    LibreOffice escapes it."""
    cover = [["วิธีกรอก"], [FailedFormula("=1/0", "#DIV/0!")]]
    register = [["ทะเบียน"], ["เลขอ้างอิง", "เรื่อง"], ["R-1", FailedFormula("=NA()", "#N/A")]]
    path = write_ods(tmp_path / "book.ods", [
        ("รายการ", [[FailedFormula("=#REF!", "#REF!")]], ((0, 0, 1, 1),), True),
        ("คำอธิบาย", cover, (), False),
        ("ทะเบียน & สรุป", register, ((0, 0, 0, 1),), False),
    ])
    first = read_sheet(path)
    assert (first.name, first.names) == ("คำอธิบาย", ("คำอธิบาย", "ทะเบียน & สรุป"))
    assert first.rows == [["วิธีกรอก"], [ErrorCell("#DIV/0!")]] and first.merged == ()
    second = read_sheet(path, sheet=1)
    assert (second.name, second.number, second.merged) == ("ทะเบียน & สรุป", 1, ((0, 0, 0, 1),))
    assert second.rows[2] == ["R-1", ErrorCell("#N/A")]
    with pytest.raises(SheetError) as caught:
        read_sheet(path, sheet=2)
    assert caught.value.code == "no_more_sheets"


_REPEATS = (
    '<table:table table:name="S">'
    '<table:table-row>' + _text("a") + '<table:table-cell table:number-columns-spanned="2" '
    'table:number-rows-spanned="3" office:value-type="string"><text:p>merged</text:p></table:table-cell>'
    '<table:covered-table-cell/>' + _text("b") + '</table:table-row>'
    # Two rows at once, each with a covered pair, then an error repeated over two columns.
    '<table:table-row table:number-rows-repeated="2"><table:table-cell/><table:covered-table-cell '
    'table:number-columns-repeated="2"/><table:table-cell table:number-columns-repeated="2" '
    'office:value-type="float" office:value="0" calcext:value-type="error" table:formula="of:=1/0">'
    '<text:p>#DIV/0!</text:p></table:table-cell></table:table-row>'
    '<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="5"/>'
    '</table:table-row>'
    # An error whose text is an entity, one without text, and one in a self-closing cell.
    '<table:table-row><table:table-cell calcext:value-type="error" office:value-type="string" '
    'office:string-value=""><text:p>Err:&lt;502&gt;</text:p></table:table-cell><table:table-cell '
    'calcext:value-type="error" office:value-type="string"></table:table-cell>'
    '<table:table-cell calcext:value-type="error"/>' + _text("c") + '</table:table-row>'
    '</table:table>'
)


def test_error_cells_and_merges_are_placed_through_repeats_and_covered_cells(tmp_path, monkeypatch):
    path = raw_ods(tmp_path / "repeats.ods", _REPEATS)
    sheet = read_sheet(path)
    assert sheet.merged == ((0, 1, 2, 2),)
    assert sheet.rows[1] == ["", "", "", ErrorCell("#DIV/0!"), ErrorCell("#DIV/0!")]
    assert sheet.rows[2] == sheet.rows[1] and sheet.rows[3] == [""] * 5
    assert sheet.rows[6][:4] == [ErrorCell("Err:<502>"), ErrorCell("#VALUE!"), ErrorCell("#VALUE!"), "c"]
    # Rows cut anywhere between two reads of the stream are placed the same.
    whole = ods_sheet.scan(str(path), "S", 100, 100)
    for size in (7, 64, 301):
        monkeypatch.setattr(ods_sheet, "CHUNK_BYTES", size)
        assert ods_sheet.scan(str(path), "S", 100, 100) == whole
    # Within the bounds asked for only.
    assert ods_sheet.scan(str(path), "S", 2, 4) == ods_sheet.Marks([(1, 3, "#DIV/0!")], [(0, 1, 1, 2)])


def test_a_sheet_without_errors_or_merges_is_only_searched_for_them(tmp_path, monkeypatch):
    path = raw_ods(tmp_path / "plain.ods", '<table:table table:name="S"><table:table-row>' + _text("a") +
                   '</table:table-row></table:table>')
    monkeypatch.setattr(ods_sheet, "_Table", None)  # reading rows would fail
    assert ods_sheet.scan(str(path), "S", 10, 10) == ods_sheet.Marks()


def test_what_xml_allows_inside_a_tag_or_a_name_does_not_misplace_a_mark(tmp_path):
    """A '>' inside an attribute's value (a formula; other writers than LibreOffice need not
    escape it), a sheet name with one or with a character reference, and a comment in an error
    cell: XML's rules, not a tag's first '>' and not HTML's entities."""
    error = ('<table:table-cell table:formula="of:=IF([.A1]>0;1/0;0)" office:value-type="float" '
             'office:value="0" calcext:value-type="error"><office:annotation><dc:creator>สมชาย</dc:creator>'
             '<text:p>ตรวจสูตรด้วย</text:p></office:annotation><text:p>#DIV/0!</text:p></table:table-cell>')
    for name, escaped in (("a>b", "a>b"), ("a>b", "a&gt;b"), ("\x80x", "&#x80;x"), ("ก & ข", "ก &amp; ข")):
        path = raw_ods(tmp_path / "odd.ods", f'<table:table table:name="{escaped}"><table:table-row>'
                       + _text("a") + error + "</table:table-row></table:table>")
        sheet = read_sheet(path)
        assert sheet.name == name and sheet.rows == [["a", ErrorCell("#DIV/0!")]], escaped


def test_tabs_and_line_breaks_in_a_text_are_kept(tmp_path):
    """calamine drops <text:tab/> and <text:line-break/>, gluing the words on either side."""
    path = raw_ods(tmp_path / "breaks.ods", '<table:table table:name="S"><table:table-row>'
                   '<table:table-cell office:value-type="string"><text:p>บ้านเลขที่ 9<text:line-break/>'
                   'ถนนสุขุมวิท<text:tab/>ระยอง</text:p><text:p>a <text:s text:c="2"/>b</text:p></table:table-cell>'
                   + _text("เดิม") + "</table:table-row></table:table>")
    assert read_sheet(path).rows == [["บ้านเลขที่ 9\nถนนสุขุมวิท\tระยอง\na   b", "เดิม"]]


def test_a_drawing_anchored_in_a_cell_is_not_part_of_its_text(tmp_path):
    path = raw_ods(tmp_path / "shape.ods", '<table:table table:name="S"><table:table-row>'
                   '<table:table-cell office:value-type="string"><draw:frame draw:z-index="0"><draw:text-box>'
                   '<text:p>ลูกศร</text:p></draw:text-box></draw:frame><text:p>กลิ่นเหม็น</text:p></table:table-cell>'
                   "</table:table-row></table:table>")
    assert read_sheet(path).rows == [["กลิ่นเหม็น"]]


def test_more_marks_than_any_sheet_within_the_bounds_holds_are_refused(tmp_path, monkeypatch):
    path = raw_ods(tmp_path / "repeats.ods", _REPEATS)
    monkeypatch.setattr(ods_sheet, "MAX_FOUND", 3)
    with pytest.raises(ods_sheet.TooManyMarks):
        ods_sheet.scan(str(path), "S", 100, 100)
    scan = sheet_reader._ErrorScan(ods_sheet.scan, str(path), "S", 100, 100)
    scan.start()
    with pytest.raises(SheetError) as caught:
        scan.result()
    assert caught.value.code == "file_too_complex" and "more than 3 error cells" in caught.value.message_en


def test_a_tiny_ods_of_millions_of_cells_is_refused_before_its_rows_are_sent(tmp_path):
    """One row of 100 numbers repeated 199,999 times is within 200,000 rows and 100 columns, and is
    20 million cells: the web worker would hold gigabytes of them."""
    path = raw_ods(tmp_path / "many.ods", '<table:table table:name="S"><table:table-row '
                   'table:number-rows-repeated="199999"><table:table-cell table:number-columns-repeated="100" '
                   'office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
                   "</table:table-row></table:table>")
    assert path.stat().st_size < 2000
    with pytest.raises(SheetError) as caught:
        read_sheet(path)
    assert caught.value.code == "too_many_cells" and "19,999,900 cells" in caught.value.message_en
    assert "19,999,900 เซลล์" in caught.value.message_th


def test_an_ods_is_read_in_the_child_even_when_asked_in_process(tmp_path):
    """96 million repeated cells are within calamine's own bound and take gigabytes: the child
    dies at its memory limit and the server does not."""
    path = raw_ods(tmp_path / "heavy.ods", '<table:table table:name="S"><table:table-row '
                   'table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16000" '
                   'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>')
    with pytest.raises(SheetError) as caught:
        read_sheet(path, isolated=False, memory_limit=512 * 2**20)
    assert caught.value.code == "sheet_too_large"


def test_repeats_adding_up_beyond_calamines_bound_are_refused(tmp_path):
    path = raw_ods(tmp_path / "bomb.ods", '<table:table table:name="S"><table:table-row '
                   'table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" '
                   'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>')
    assert path.stat().st_size < 2000
    with pytest.raises(SheetError) as caught:
        read_sheet(path)
    assert caught.value.code == "file_too_complex"
    assert "17,179,869,184 cells" in caught.value.message_en and "17,179,869,184 เซลล์" in caught.value.message_th


def test_a_far_cell_is_refused_by_the_real_extent(tmp_path):
    path = raw_ods(tmp_path / "far.ods", '<table:table table:name="S"><table:table-row '
                   'table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/>'
                   '</table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16000"/>'
                   + _text("x") + "</table:table-row></table:table>")
    with pytest.raises(SheetError) as caught:
        read_sheet(path)
    assert caught.value.code == "too_many_rows" and "1,048,571" in caught.value.message_en


@pytest.mark.parametrize("prolog, members, detail", [
    ('<!DOCTYPE x [<!ENTITY a "aaaa">]>', None, "DTD in content.xml"),
    ("", {"content.xml": None}, "missing content.xml"),
])
def test_a_dtd_or_a_missing_content_part_is_damaged(tmp_path, prolog, members, detail):
    path = raw_ods(tmp_path / "odd.ods", '<table:table table:name="S"/>', prolog=prolog, members=members)
    with pytest.raises(SheetError) as caught:
        inspect_upload(path)
    assert caught.value.code == "damaged" and detail in caught.value.message_en
    assert "LibreOffice" in caught.value.message_th


def test_an_ods_may_expand_twice_as_far_as_an_xlsx(tmp_path, monkeypatch):
    """No shared strings: the same register takes about twice the XML, so the bound is twice."""
    path = write_register_ods(tmp_path / "register.ods", legacy_rows())
    size = sum(info.file_size for info in zipfile.ZipFile(path).infolist())
    monkeypatch.setattr(sheet_reader, "MAX_UNCOMPRESSED_BYTES", size - 1)
    monkeypatch.setattr(sheet_reader, "MAX_ODS_UNCOMPRESSED_BYTES", size)
    assert inspect_upload(path).format == "ods"
    monkeypatch.setattr(sheet_reader, "MAX_ODS_UNCOMPRESSED_BYTES", size - 1)
    with pytest.raises(SheetError) as caught:
        inspect_upload(path)
    assert caught.value.code == "file_too_complex"


def test_a_number_that_is_not_one_makes_its_row_bad_and_comes_back_in_the_errors_workbook(app, tmp_path):
    """LibreOffice stores NaN and infinity as numbers; xlsxwriter cannot write them as such."""
    import openpyxl

    from app.services.case_import import run_import
    from app.services.import_files import write_errors_workbook
    from tests.integration.excel_support import NUISANCE

    rows = legacy_rows()[:1] + [[2, None, "R-INF", NUISANCE, float("nan"), None, float("inf"), None, None, None,
                                 "1/12/2567", None, None]]
    path = write_register_ods(tmp_path / "odd.ods", rows)
    with app.app_context():
        from sqlalchemy import select

        from app.extensions import db
        from app.models import StaffUser
        from app.services.case_import import import_actor

        clerk = db.session.execute(select(StaffUser).where(StaffUser.username == "diw.clerk")).scalar_one()
        plan = run_import(import_actor(clerk), path, dry_run=True)
        assert plan.counts.as_dict() == {"new": 1, "updated": 0, "unchanged": 0, "errors": 1}
        assert {issue.code for issue in plan.bad[0].issues} == {"not_a_number", "phone_invalid"}
        sheet = read_sheet(path)
        write_errors_workbook(tmp_path / "errors.xlsx", plan, sheet.rows)
    written = openpyxl.load_workbook(tmp_path / "errors.xlsx").active
    assert [written.cell(2, 2 + 5).value, written.cell(2, 2 + 7).value] == ["NaN", "INF"]

"""The guarded sheet reader against real files built here: xlsxwriter and openpyxl workbooks,
hand-written hostile .xlsx parts, zip bombs, impostors, and a hand-made .xls (OLE2 + BIFF8)."""
from __future__ import annotations

import datetime as dt
import io
import os
import pickle
import struct
import zipfile

import pytest

from app.domain.excel_cells import parse_date, parse_national_id, parse_phone
from app.domain.sheet_headers import find_header_row
from app.services import sheet_reader
from app.services.sheet_reader import SheetError, inspect_upload, read_rows

BOTH_MODES = pytest.mark.parametrize("isolated", [True, False], ids=["isolated", "in-process"])

# --- building files -------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def raw_xlsx(path, sheet_data: str, dimension: str | None = None, extra: dict[str, bytes] | None = None,
             workbook: str = _WORKBOOK):
    """A minimal .xlsx written part by part, so that hostile content stays a few hundred bytes."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dim}'
        f"<sheetData>{sheet_data}</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def patch_central_directory(path, member: str, *, file_size=None, compress_size=None, flag_bits=None):
    """Rewrite what the zip directory declares about one member, as a hostile file would."""
    data = bytearray(path.read_bytes())
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46: at + 46 + name_length].decode() == member:
            if flag_bits is not None:
                struct.pack_into("<H", data, at + 8, flag_bits)
            if compress_size is not None:
                struct.pack_into("<I", data, at + 20, compress_size)
            if file_size is not None:
                struct.pack_into("<I", data, at + 24, file_size)
        at += 46
    path.write_bytes(data)


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))


class XlsError:
    """An error cell for biff8_workbook: a constant (BOOLERR) or a formula's cached result (FORMULA)."""

    def __init__(self, code: int, formula: bool = False):
        self.code, self.formula = code, formula


def biff8_workbook(sheet_name: str, rows: list[list]) -> bytes:
    """Workbook stream of a BIFF8 (.xls) file: shared strings, numbers, dates via XF 2 (format 14),
    and error cells (XlsError)."""
    return biff8_workbook_sheets([(sheet_name, rows, False)])


def biff8_workbook_sheets(sheets: list[tuple[str, list[list], bool]]) -> bytes:
    """The same with several worksheets, each (name, rows, hidden), sharing one string table."""
    strings: dict[str, int] = {}
    streams = []
    for _name, rows, _hidden in sheets:
        cells = b""
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, XlsError) and value.formula:
                    result = struct.pack("<BBBBHH", 2, 0, value.code, 0, 0, 0xFFFF)
                    expression = bytes([0x1C, value.code])  # ptgErr: the formula is the error itself
                    cells += _record(0x0006, struct.pack("<HHH", r, c, 1) + result + struct.pack("<HIH", 0, 0, 2)
                                     + expression)
                elif isinstance(value, XlsError):
                    cells += _record(0x0205, struct.pack("<HHHBB", r, c, 1, value.code, 1))  # BOOLERR
                elif isinstance(value, str):
                    index = strings.setdefault(value, len(strings))
                    cells += _record(0x00FD, struct.pack("<HHHI", r, c, 1, index))  # LABELSST
                elif isinstance(value, dt.date):
                    serial = float((value - dt.date(1899, 12, 30)).days)
                    cells += _record(0x0203, struct.pack("<HHHd", r, c, 2, serial))  # NUMBER, date XF
                else:
                    cells += _record(0x0203, struct.pack("<HHHd", r, c, 1, float(value)))
        width = max((len(row) for row in rows), default=0)
        streams.append(_bof(0x0010) + _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
                       + cells + _record(0x000A))
    sst = _record(0x00FC, struct.pack("<II", len(strings), len(strings)) + b"".join(
        struct.pack("<HB", len(text), 1) + text.encode("utf-16-le") for text in strings))
    font = _record(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0)
                   + struct.pack("<BB", 5, 0) + b"Arial")

    def xf(number_format: int, style: bool) -> bytes:
        return _record(0x00E0, struct.pack("<HHH", 0, number_format, 0xFFF5 if style else 0x0001) + bytes(14))

    def workbook_globals(offsets: list[int]) -> bytes:
        boundsheets = b""
        for (name, _rows, hidden), offset in zip(sheets, offsets):
            boundsheets += _record(0x0085, struct.pack("<IBBBB", offset, 1 if hidden else 0, 0, len(name), 1)
                                   + name.encode("utf-16-le"))
        return (_bof(0x0005) + _record(0x0042, struct.pack("<H", 1200)) + font
                + xf(0, True) + xf(0, False) + xf(14, False) + boundsheets + sst + _record(0x000A))

    at = len(workbook_globals([0] * len(sheets)))
    offsets = []
    for stream in streams:
        offsets.append(at)
        at += len(stream)
    return workbook_globals(offsets) + b"".join(streams)


def ole2_file(stream_name: str, data: bytes) -> bytes:
    """Compound file (version 3) with one stream, padded past 4096 bytes to stay out of the mini stream."""
    end_of_chain, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    data += bytes(max(0, 4096 - len(data)))
    data += bytes(-len(data) % 512)
    sectors = len(data) // 512
    assert sectors <= 126
    fat = [fat_sector, end_of_chain] + [3 + i for i in range(sectors - 1)] + [end_of_chain]
    fat += [free] * (128 - len(fat))
    header = (sheet_reader.OLE2_MAGIC + bytes(16) + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<9I", 0, 1, 1, 0, 4096, end_of_chain, 0, end_of_chain, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)

    def entry(name: str, kind: int, color: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, color)
                + struct.pack("<III", no_stream, no_stream, child) + bytes(20) + bytes(16)
                + struct.pack("<IQ", start, size))

    directory = (entry("Root Entry", 5, 1, 1, end_of_chain, 0) + entry(stream_name, 2, 1, no_stream, 2, len(data))
                 + entry("", 0, 0, no_stream, 0, 0) * 2)
    return header + struct.pack("<128I", *fat) + directory + data


@pytest.fixture
def register_xlsx(tmp_path):
    """A clerk's register: merged title rows, an empty row, Thai text, numbers that lost zeros."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "register.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "tmpdir": str(tmp_path)})
    sheet = workbook.add_worksheet("ทะเบียน")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.merge_range("A1:F1", "ทะเบียนรับเรื่องร้องเรียน กรมโรงงานอุตสาหกรรม")
    sheet.merge_range("A2:F2", "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗")
    for col, text in enumerate(["เลขที่เรื่อง", "เรื่อง", "วันที่รับเรื่อง", "เบอร์โทร", "เลขประจำตัวประชาชน", "หมายเหตุ"]):
        sheet.write_string(3, col, text)
    sheet.write_string(4, 0, "DIW-2567-000001")
    sheet.write_string(4, 1, "กลิ่นเหม็นจากโรงงาน\u00a0")
    sheet.write_datetime(4, 2, dt.datetime(2024, 12, 18), date_format)
    sheet.write_number(4, 3, 812345678)
    sheet.write_number(4, 4, 105556012341)
    sheet.write_string(5, 0, "DIW-2567-000002")
    sheet.write_string(5, 1, "เสียงดังกลางคืน")
    sheet.write_string(5, 2, "๑๙/๑๒/๒๕๖๗")
    sheet.write_string(5, 3, "02-202-3000")
    sheet.write_string(5, 4, "1101700230708")
    sheet.write_string(5, 5, "ร้องซ้ำ")
    workbook.close()
    return path


# --- normal files ---------------------------------------------------------------------------


@BOTH_MODES
def test_register_with_merged_title_rows_reads_from_a1(register_xlsx, isolated):
    rows = read_rows(register_xlsx, isolated=isolated)
    assert len(rows) == 6 and all(len(row) == 6 for row in rows)
    assert rows[0][0] == "ทะเบียนรับเรื่องร้องเรียน กรมโรงงานอุตสาหกรรม"
    assert rows[0][1:] == ["", "", "", "", ""]  # the rest of a merged range is empty
    assert rows[2] == [""] * 6  # the empty row is kept, so row numbers match Excel's

    header = find_header_row(rows)
    assert header.row_index == 3
    column = header.column_of
    first, second = rows[4], rows[5]
    assert isinstance(first[column["submitted_at"]], dt.date)  # a real Excel date
    assert parse_date(first[column["submitted_at"]]) == dt.date(2024, 12, 18)
    assert parse_date(second[column["submitted_at"]]) == dt.date(2024, 12, 19)
    assert first[column["requester_phone"]] == 812345678.0
    assert parse_phone(first[column["requester_phone"]]) == "0812345678"
    assert parse_phone(second[column["requester_phone"]]) == "022023000"
    assert parse_national_id(first[column["requester_id"]]) == "0105556012341"
    assert parse_national_id(second[column["requester_id"]]) == "1101700230708"


def test_isolated_and_in_process_reads_agree(register_xlsx):
    assert read_rows(register_xlsx, isolated=True) == read_rows(register_xlsx, isolated=False)


def test_inspect_describes_an_xlsx(register_xlsx):
    info = inspect_upload(register_xlsx)
    assert info.format == "xlsx"
    assert info.sheet_name == "ทะเบียน"
    assert (info.declared_rows, info.declared_cols) == (6, 6)
    assert info.members and info.uncompressed_bytes and info.size_bytes == os.path.getsize(register_xlsx)


@BOTH_MODES
def test_openpyxl_workbook_with_hidden_first_sheet_and_data_away_from_a1(tmp_path, isolated):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "openpyxl.xlsx"
    workbook = openpyxl.Workbook()
    hidden = workbook.active
    hidden.title = "lookup"
    hidden["A1"] = "ไม่ใช่ทะเบียน"
    hidden.sheet_state = "hidden"
    register = workbook.create_sheet("ทะเบียน")
    register["C3"] = "เลขที่เรื่อง"
    register["D4"] = 45644
    workbook.save(path)

    assert inspect_upload(path).sheet_name == "ทะเบียน"
    rows = read_rows(path, isolated=isolated)
    assert len(rows) == 4 and len(rows[0]) == 4
    assert rows[2][2] == "เลขที่เรื่อง"
    assert rows[3][3] == 45644
    assert rows[0] == ["", "", "", ""]


@BOTH_MODES
def test_empty_sheet_gives_no_rows(tmp_path, isolated):
    path = raw_xlsx(tmp_path / "empty.xlsx", "")
    assert read_rows(path, isolated=isolated) == []


@BOTH_MODES
def test_real_xls_is_read(tmp_path, isolated):
    rows = [
        ["ทะเบียนเรื่องร้องเรียน", None, None],
        ["เลขที่เรื่อง", "วันที่รับเรื่อง", "เบอร์โทร"],
        ["DIW-2567-000001", dt.date(2024, 12, 18), 812345678],
    ]
    path = tmp_path / "legacy.xls"
    path.write_bytes(ole2_file("Workbook", biff8_workbook("ทะเบียน", rows)))
    info = inspect_upload(path)
    assert info.format == "xls" and info.sheet_name is None

    read = read_rows(path, isolated=isolated)
    assert read[0] == ["ทะเบียนเรื่องร้องเรียน", "", ""]
    assert read[1] == ["เลขที่เรื่อง", "วันที่รับเรื่อง", "เบอร์โทร"]
    assert read[2][0] == "DIW-2567-000001"
    assert parse_date(read[2][1]) == dt.date(2024, 12, 18)
    assert parse_phone(read[2][2]) == "0812345678"


@BOTH_MODES
def test_error_cells_of_an_xlsx_are_read_as_errors_not_as_empty_cells(tmp_path, isolated):
    from app.domain.excel_cells import ErrorCell

    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "errors.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("ทะเบียน")
    sheet.write_row(0, 0, ["เลขอ้างอิง", "เบอร์โทร", "หมายเหตุ"])
    sheet.write_row(1, 0, ["R-1", "0812345678", "ปกติ"])
    sheet.write_string(2, 0, "R-2")
    sheet.write_formula(2, 1, "=VLOOKUP(A3,Sheet2!A:B,2,FALSE)", None, "#N/A")
    sheet.write_formula(2, 3, "=1/0", None, "#DIV/0!")  # beyond the header, still read
    sheet.write_formula(4, 2, "=#REF!", None, "#REF!")
    workbook.close()
    rows = read_rows(path, isolated=isolated)
    assert rows[1] == ["R-1", "0812345678", "ปกติ", ""]
    assert rows[2] == ["R-2", ErrorCell("#N/A"), "", ErrorCell("#DIV/0!")]
    assert rows[3] == ["", "", "", ""]
    assert rows[4][2] == ErrorCell("#REF!") and str(rows[4][2]) == "#REF!"


def test_error_cells_are_found_without_cell_references_and_with_a_prefix(tmp_path):
    from app.domain.excel_cells import ErrorCell

    path = raw_xlsx(tmp_path / "plain.xlsx",
                    '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="e"><v>#VALUE!</v></c></row>'
                    '<row r="2"><c t="inlineStr"><is><t>b</t></is></c><c t="e"><f>NA()</f><v>#N/A</v></c></row>')
    assert sheet_reader.error_cells(str(path), "xlsx", "xl/worksheets/sheet1.xml") == [(0, 1, "#VALUE!"),
                                                                                       (1, 1, "#N/A")]
    rows = read_rows(path, isolated=False)
    assert rows == [["a", ErrorCell("#VALUE!")], ["b", ErrorCell("#N/A")]]


def test_a_sheet_without_error_cells_is_not_searched_cell_by_cell(register_xlsx, monkeypatch):
    def searched(_xml):  # pragma: no cover - must not be called
        raise AssertionError("cells searched although the sheet has no t=\"e\"")

    monkeypatch.setattr(sheet_reader, "_errors_in", searched)
    assert sheet_reader.error_cells(str(register_xlsx), "xlsx", "xl/worksheets/sheet1.xml") == []
    assert read_rows(register_xlsx, isolated=False)


@BOTH_MODES
def test_error_cells_of_an_xls_are_read_as_errors(tmp_path, isolated):
    from app.domain.excel_cells import ErrorCell

    rows = [
        ["เลขอ้างอิง", "เบอร์โทร", "จังหวัด"],
        ["R-1", XlsError(0x2A, formula=True), "ระยอง"],
        ["R-2", 812345678, XlsError(0x17)],
        ["R-3", XlsError(0x07), None],
    ]
    path = tmp_path / "errors.xls"
    path.write_bytes(ole2_file("Workbook", biff8_workbook("ทะเบียน", rows)))
    read = read_rows(path, isolated=isolated)
    assert read[1] == ["R-1", ErrorCell("#N/A"), "ระยอง"]
    assert read[2] == ["R-2", 812345678, ErrorCell("#REF!")]
    assert read[3][:2] == ["R-3", ErrorCell("#DIV/0!")]


def test_the_xls_fixture_is_a_real_xls_for_xlrd_too(tmp_path):
    xlrd = pytest.importorskip("xlrd")
    path = tmp_path / "legacy.xls"
    path.write_bytes(ole2_file("Workbook", biff8_workbook("Sheet1", [["a", 1.5]])))
    book = xlrd.open_workbook(str(path))
    assert book.sheet_by_index(0).row_values(0) == ["a", 1.5]


# --- what is not a spreadsheet --------------------------------------------------------------

JPEG_START = bytes.fromhex("FFD8FFE000104A46494600010100000100010000FFDB0043")


@pytest.mark.parametrize(
    "name, content",
    [
        ("photo.xlsx", JPEG_START + bytes(200)),  # a photo renamed .xlsx
        ("notes.xlsx", "เลขที่เรื่อง,เรื่อง\nDIW-2567-000001,กลิ่นเหม็น\n".encode()),
        ("register.csv", b"a,b\n1,2\n"),
        ("empty.xlsx", b""),
        ("html.xls", b"<html><table><tr><td>1</td></tr></table></html>"),
    ],
)
@BOTH_MODES
def test_anything_else_is_not_a_spreadsheet_whatever_its_name(tmp_path, name, content, isolated):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SheetError) as caught:
        read_rows(path, isolated=isolated)
    assert caught.value.code == "not_a_spreadsheet"
    assert "Excel" in caught.value.message_th and "Excel" in caught.value.message_en


def test_a_zip_without_a_workbook_is_not_a_spreadsheet(tmp_path):
    path = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(SheetError) as caught:
        inspect_upload(path)
    assert caught.value.code == "not_a_spreadsheet"


@BOTH_MODES
def test_an_ole2_file_without_a_workbook_stream_is_damaged(tmp_path, isolated):
    path = tmp_path / "memo.xls"
    path.write_bytes(ole2_file("WordDocument", b"\x00" * 100))
    with pytest.raises(SheetError) as caught:
        read_rows(path, isolated=isolated)
    assert caught.value.code == "damaged"


def test_a_truncated_xlsx_is_damaged(register_xlsx):
    register_xlsx.write_bytes(register_xlsx.read_bytes()[:300])
    with pytest.raises(SheetError) as caught:
        inspect_upload(register_xlsx)
    assert caught.value.code == "damaged"


# --- sheets that would crash or swamp calamine ------------------------------------------------

FAR_CELL = '<row r="1048576">' + _inline("XFD1048576", "x") + "</row>"
FIRST_CELL = '<row r="1">' + _inline("A1", "hi") + "</row>"


@BOTH_MODES
def test_cell_at_xfd1048576_is_refused_from_its_dimension_before_parsing(tmp_path, isolated):
    path = raw_xlsx(tmp_path / "far.xlsx", FIRST_CELL + FAR_CELL, dimension="A1:XFD1048576")
    assert path.stat().st_size < 5_000
    with pytest.raises(SheetError) as caught:
        read_rows(path, isolated=isolated)
    assert caught.value.code == "too_many_rows"
    assert "1,048,576" in caught.value.message_en


@pytest.mark.parametrize("dimension", ["A1", None], ids=["lying-dimension", "no-dimension"])
def test_far_cell_under_a_small_or_missing_dimension_kills_only_the_child(tmp_path, dimension):
    # calamine would try to allocate 512 GiB and abort the process: here it is the child's.
    path = raw_xlsx(tmp_path / "far.xlsx", FIRST_CELL + FAR_CELL, dimension=dimension)
    with pytest.raises(SheetError) as caught:
        read_rows(path, isolated=True)
    assert caught.value.code == "sheet_too_large"
    assert caught.value.message_th and caught.value.message_en


@BOTH_MODES
def test_a_lone_far_cell_under_a_lying_dimension_is_refused_by_the_real_extent(tmp_path, isolated):
    # One cell makes a one-cell grid, so calamine survives; the rows it would pad to do not pass.
    path = raw_xlsx(tmp_path / "lone.xlsx", '<row r="500000">' + _inline("B500000", "x") + "</row>", dimension="B2")
    with pytest.raises(SheetError) as caught:
        read_rows(path, isolated=isolated)
    assert caught.value.code == "too_many_rows"
    assert "has data as far as row 500,000" in caught.value.message_en


@BOTH_MODES
def test_rows_and_columns_beyond_the_bounds_are_refused(register_xlsx, isolated):
    with pytest.raises(SheetError) as caught:
        read_rows(register_xlsx, max_rows=5, isolated=isolated)
    assert caught.value.code == "too_many_rows"
    with pytest.raises(SheetError) as caught:
        read_rows(register_xlsx, max_cols=5, isolated=isolated)
    assert caught.value.code == "too_many_columns"
    assert len(read_rows(register_xlsx, max_rows=6, max_cols=6, isolated=isolated)) == 6


@BOTH_MODES
def test_bounds_hold_without_a_declared_dimension(tmp_path, isolated):
    data = "".join(f'<row r="{r}">' + _inline(f"A{r}", str(r)) + "</row>" for r in range(1, 31))
    path = raw_xlsx(tmp_path / "nodim.xlsx", data)
    assert inspect_upload(path).declared_rows is None
    with pytest.raises(SheetError) as caught:
        read_rows(path, max_rows=10, isolated=isolated)
    assert caught.value.code == "too_many_rows"
    assert len(read_rows(path, max_rows=30, isolated=isolated)) == 30


def test_the_child_is_stopped_at_its_timeout(register_xlsx):
    with pytest.raises(SheetError) as caught:
        read_rows(register_xlsx, isolated=True, timeout=0.001)
    assert caught.value.code == "timeout"


def test_the_child_is_stopped_at_its_memory_limit(register_xlsx):
    with pytest.raises(SheetError) as caught:
        read_rows(register_xlsx, isolated=True, memory_limit=16 * 2**20)
    assert caught.value.code == "sheet_too_large"


def test_the_parent_accepts_only_cell_values_from_the_child():
    good = pickle.dumps(("rows", [["ก", 1.5, dt.datetime(2024, 12, 18), dt.date(2024, 1, 1), True, None]]))
    assert sheet_reader._RowsUnpickler(io.BytesIO(good)).load()[1][0][0] == "ก"
    with pytest.raises(pickle.UnpicklingError):
        sheet_reader._RowsUnpickler(io.BytesIO(pickle.dumps(os.system))).load()


# --- zip bombs ------------------------------------------------------------------------------


def test_a_member_that_expands_more_than_100_times_is_refused(tmp_path):
    path = raw_xlsx(tmp_path / "bomb.xlsx", FIRST_CELL, dimension="A1",
                    extra={"xl/media/padding.bin": bytes(5 * 2**20)})
    assert path.stat().st_size < 50_000
    with pytest.raises(SheetError) as caught:
        read_rows(path, isolated=False)
    assert caught.value.code == "file_too_complex"
    assert "xl/media/padding.bin" in caught.value.message_en


def test_a_member_that_declares_a_huge_size_is_refused_before_inflating(tmp_path):
    path = raw_xlsx(tmp_path / "declared.xlsx", FIRST_CELL, dimension="A1")
    patch_central_directory(path, "xl/worksheets/sheet1.xml", file_size=3_000_000_000)
    with pytest.raises(SheetError) as caught:
        inspect_upload(path)
    assert caught.value.code == "file_too_complex"


def test_total_declared_size_over_the_limit_is_refused(tmp_path):
    path = raw_xlsx(tmp_path / "large.xlsx", FIRST_CELL, dimension="A1")
    # Two parts of 150 MB each at a believable 75x: the total, not the ratio, is what trips.
    for name in ("xl/workbook.xml", "xl/worksheets/sheet1.xml"):
        patch_central_directory(path, name, file_size=150 * 2**20, compress_size=2 * 2**20)
    with pytest.raises(SheetError) as caught:
        inspect_upload(path)
    assert caught.value.code == "file_too_complex"
    assert "expands to 300.0 MB" in caught.value.message_en


def test_too_many_members_are_refused(tmp_path):
    extra = {f"xl/media/image{i}.png": b"x" for i in range(sheet_reader.MAX_ZIP_MEMBERS)}
    path = raw_xlsx(tmp_path / "many.xlsx", FIRST_CELL, dimension="A1", extra=extra)
    with pytest.raises(SheetError) as caught:
        inspect_upload(path)
    assert caught.value.code == "file_too_complex"


def test_a_file_over_the_size_limit_is_refused_unread(register_xlsx, monkeypatch):
    monkeypatch.setattr(sheet_reader, "MAX_FILE_BYTES", 1000)
    with pytest.raises(SheetError) as caught:
        inspect_upload(register_xlsx)
    assert caught.value.code == "file_too_complex"


def test_an_encrypted_member_is_refused(tmp_path):
    path = raw_xlsx(tmp_path / "locked.xlsx", FIRST_CELL, dimension="A1")
    patch_central_directory(path, "xl/worksheets/sheet1.xml", flag_bits=0x1)
    with pytest.raises(SheetError) as caught:
        inspect_upload(path)
    assert caught.value.code == "password_protected"


def test_a_dtd_in_the_workbook_is_refused(tmp_path):
    laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>' + _WORKBOOK.split("?>", 1)[1]
    path = raw_xlsx(tmp_path / "dtd.xlsx", FIRST_CELL, dimension="A1", workbook=laughs)
    with pytest.raises(SheetError) as caught:
        inspect_upload(path)
    assert caught.value.code == "damaged"


def _workbook_with_cover(tmp_path, kind: str):
    """A cover sheet, a hidden lookup sheet, the register with a #N/A, and last year's register."""
    cover = [["วิธีกรอกทะเบียน"], ["กรอกวันที่เป็น วว/ดด/ปปปป"]]
    lookup = [["DIW-NUISANCE", "เหตุเดือดร้อนรำคาญ"]]
    register = [["เลขอ้างอิง", "ประเภทเรื่อง", "เรื่อง"], ["R-1", "DIW-NUISANCE", "กลิ่น"]]
    last_year = [["เลขอ้างอิง", "ประเภทเรื่อง", "เรื่อง"], ["R-0", "DIW-NUISANCE", "เสียง"]]
    if kind == "xls":
        register[1][1] = XlsError(0x2A, formula=True)
        path = tmp_path / "book.xls"
        path.write_bytes(ole2_file("Workbook", biff8_workbook_sheets(
            [("คำอธิบาย", cover, False), ("lookup", lookup, True), ("2568", register, False),
             ("2567", last_year, False)])))
        return path
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "คำอธิบาย"
    for name, rows in (("lookup", lookup), ("2568", register), ("2567", last_year)):
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook["lookup"].sheet_state = "hidden"
    for row in cover:
        workbook["คำอธิบาย"].append(row)
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    return path


@BOTH_MODES
@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_any_visible_worksheet_can_be_read_by_its_number(tmp_path, isolated, kind):
    """Hidden sheets are not counted; each sheet's error cells are its own."""
    from app.domain.excel_cells import ErrorCell

    path = _workbook_with_cover(tmp_path, kind)
    first = sheet_reader.read_sheet(path, isolated=isolated)
    assert (first.name, first.number, first.names) == ("คำอธิบาย", 0, ("คำอธิบาย", "2568", "2567"))
    assert first.rows[0][0] == "วิธีกรอกทะเบียน"
    register = sheet_reader.read_sheet(path, sheet=1, isolated=isolated)
    assert (register.name, register.number) == ("2568", 1)
    assert register.rows[1][0] == "R-1"
    assert register.rows[1][1] == (ErrorCell("#N/A") if kind == "xls" else "DIW-NUISANCE")
    last = sheet_reader.read_sheet(path, sheet=2, isolated=isolated)
    assert last.name == "2567" and last.rows[1][:2] == ["R-0", "DIW-NUISANCE"]
    with pytest.raises(SheetError) as raised:
        sheet_reader.read_sheet(path, sheet=3, isolated=isolated)
    assert raised.value.code == "no_more_sheets"
    assert read_rows(path, isolated=isolated) == first.rows


@BOTH_MODES
def test_a_formula_the_file_keeps_no_result_for_is_not_read_as_empty(tmp_path, isolated):
    """openpyxl (and other writers that do not calculate) store formulas without their results;
    calamine reads such cells as empty. Excel's and LibreOffice's files always keep the result,
    an empty text result too, and a sheet without formulas is not searched cell by cell."""
    import openpyxl

    from app.domain.excel_cells import ErrorCell

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["เลขอ้างอิง", "ประเภทเรื่อง", "สถานะ"])
    sheet.append(["R-1", '=VLOOKUP(A2,types!A:B,2,FALSE)', "รอรับเรื่อง"])
    sheet.append(["R-2", "DIW-NUISANCE", '=IF(A3="","",  "เสร็จสิ้น")'])
    path = tmp_path / "formulas.xlsx"
    workbook.save(path)
    rows = read_rows(path, isolated=isolated)
    assert rows[1] == ["R-1", ErrorCell("=VLOOKUP(A2,types!A:B,2,FALSE)"), "รอรับเรื่อง"]
    assert rows[2] == ["R-2", "DIW-NUISANCE", ErrorCell('=IF(A3="","",  "เสร็จสิ้น")')]


def test_formulas_with_their_results_kept_read_as_their_results(tmp_path):
    """As Excel writes them: a number, a text, an empty text (t="str" with <v></v>), a shared
    formula; and as xlsxwriter writes an empty text result (<v></v> without a type)."""
    path = raw_xlsx(tmp_path / "kept.xlsx",
                    '<row r="1"><c r="A1"><f>ROW()</f><v>1</v></c><c r="B1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>'
                    '<c r="C1" t="str"><f>IF(1,"",1)</f><v></v></c><c r="D1"><f>IF(1,"",1)</f><v></v></c></row>'
                    '<row r="2"><c r="A2"><f t="shared" ref="A2:A3" si="0">ROW()</f><v>2</v></c>'
                    '<c r="B2"><f t="shared" si="0"/><v>3</v></c></row>'
                    '<row r="3"><c r="A3"><f t="shared" si="1"/></c><c r="B3"><f>1+1</f></c>'
                    '<c r="C3"><f>A1&amp;"&lt;"</f><v /></c></row>')
    assert sheet_reader.error_cells(str(path), "xlsx", "xl/worksheets/sheet1.xml") == [
        (2, 0, "="), (2, 1, "=1+1"), (2, 2, '=A1&"<"')]
    rows = read_rows(path, isolated=False)
    assert rows[0][:3] == [1, "ab", ""] and rows[1][:2] == [2, 3]


def test_error_and_uncalculated_cells_are_found_without_cell_references(tmp_path):
    from app.domain.excel_cells import ErrorCell

    path = raw_xlsx(tmp_path / "plain.xlsx",
                    '<row><c t="inlineStr"><is><t>a</t></is></c><c><f>NA()</f></c><c><f>1</f><v>1</v></c></row>')
    assert read_rows(path, isolated=False) == [["a", ErrorCell("=NA()"), 1]]


def _zip_bytes(tmp_path, members: dict[str, str]) -> bytes:
    path = tmp_path / "member.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path.read_bytes()


@pytest.mark.parametrize("kind, english, thai", [
    ("csv", "text (CSV)", "ไฟล์ข้อความ (CSV)"),
    ("csv-thai", "text (CSV)", "ไฟล์ข้อความ (CSV)"),
    ("html", "web page (HTML)", "หน้าเว็บ (HTML)"),
    ("xml2003", "XML Spreadsheet 2003", "XML Spreadsheet 2003"),
    ("xlsb", "Excel Binary Workbook (.xlsb)", "Excel Binary Workbook (.xlsb)"),
    ("fods", "Flat XML ODF Spreadsheet (.fods)", "Flat XML ODF Spreadsheet (.fods)"),
])
def test_a_file_of_another_kind_is_named_with_what_to_do(tmp_path, kind, english, thai):
    """What clerks upload by mistake: a CSV renamed .xlsx, the HTML table some systems export as
    .xls, an .xlsb, LibreOffice's flat .fods; each says what it is and how to save it."""
    content = {
        "csv": "เลขที่เรื่อง,เรื่อง\nDIW-2567-000001,กลิ่นเหม็น\n".encode(),
        "csv-thai": "เลขที่เรื่อง\tเรื่อง\r\nDIW-2567-000001\tกลิ่นเหม็น\r\n".encode("cp874"),
        "html": "\ufeff<html><head><meta charset='utf-8'></head><table><tr><td>1</td></tr></table></html>".encode(),
        "xml2003": ('<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
                    "<Worksheet/></Workbook>").encode(),
        "xlsb": _zip_bytes(tmp_path, {"xl/workbook.bin": "binary", "[Content_Types].xml": "<Types/>"}),
        "fods": ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office='
                 '"urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.3" '
                 'office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:body/>'
                 "</office:document>").encode(),
    }[kind]
    path = tmp_path / "register.xlsx"
    path.write_bytes(content)
    with pytest.raises(SheetError) as caught:
        inspect_upload(path)
    assert caught.value.code == "not_a_spreadsheet"
    assert english in caught.value.message_en and ".xlsx" in caught.value.message_en
    assert thai in caught.value.message_th and "ไม่ใช่ไฟล์ Excel" in caught.value.message_th

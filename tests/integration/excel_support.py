"""Legacy registers as clerks keep them, built here: merged title rows above a Thai header, B.E.
text dates and real Excel dates, Thai digits, phone numbers and IDs stored as numbers (leading
zeros lost), trailing spaces and empty rows; and the same as an .xls, and as an .ods from LibreOffice."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

HEADER_TH = ["ลำดับ", "เลขที่เรื่อง", "เลขอ้างอิง", "ประเภทเรื่อง", "เรื่อง", "ชื่อผู้ร้อง", "เบอร์โทร",
             "เลขประจำตัวประชาชน", "จังหวัด", "สถานะ", "วันที่รับเรื่อง", "วันที่ปิดเรื่อง", "หมายเหตุ"]
NUISANCE = "เหตุเดือดร้อนรำคาญจากโรงงาน (กลิ่น เสียง น้ำเสีย)"
LICENCE = "ขอใบอนุญาตประกอบกิจการโรงงาน (ร.ง.4)"
# Valid citizen / juristic IDs (mod-11 check digit).
CITIZEN_ID = "1101700230708"
JURISTIC_ID = "0105556012341"


class FailedFormula:
    """A formula whose result is an Excel error, as a VLOOKUP that found nothing leaves its cell."""

    CODES = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#NAME?": 0x1D, "#NUM!": 0x24,
             "#N/A": 0x2A}

    def __init__(self, formula: str, error: str):
        self.formula, self.error = formula, error


def legacy_rows() -> list[list]:
    """Five DIW cases as a clerk typed them (None = empty cell)."""
    return [
        [1, None, "REG-67-001", NUISANCE, "กลิ่นเหม็นจากโรงงานผลิตอาหารสัตว์  ", "นายสมชาย ใจดี", 812345678,
         int(CITIZEN_ID), "ระยอง", "รอรับเรื่อง", "18/12/2567", None, "โทรแจ้งซ้ำ"],
        [2, None, "REG-67-002", NUISANCE, "เสียงดังจากเครื่องจักรตอนกลางคืน", "นางสาวสมหญิง รักสงบ", "๐๘๙-๑๒๓-๔๕๖๗",
         None, "ชลบุรี", "กำลังดำเนินการ", dt.datetime(2024, 12, 19, 9, 30), None, None],
        [None, None, None, None, None, None, None, None, None, None, None, None, None],  # an empty row
        [3, None, "REG-67-003", LICENCE, "ขอใบอนุญาตโรงงานผลิตชิ้นส่วนยานยนต์", "บริษัท ทดสอบ จำกัด", 22023000,
         int(JURISTIC_ID), "สมุทรปราการ", "เสร็จสิ้น", "๒๐ ธ.ค. ๖๗", dt.datetime(2025, 1, 15, 14, 0), None],
        [4, None, "REG-67-004", NUISANCE, "น้ำเสียไหลลงคลองสาธารณะ", "นายประสิทธิ์ มีสุข", "081 999 8888",
         None, "กรุงเทพฯ", None, "2024-12-21", None, "ส่งเจ้าหน้าที่ตรวจ"],
    ]


def write_register(path: Path, rows: list[list], *, header: list[str] | None = None, titles: bool = True,
                   sheet_name: str = "ทะเบียน") -> Path:
    """An .xlsx like an office's register: title rows merged across the top, the header, the rows."""
    header = header or HEADER_TH
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet(sheet_name)
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    first = 0
    if titles:
        sheet.merge_range(0, 0, 0, len(header) - 1, "ทะเบียนรับเรื่องร้องเรียน กรมโรงงานอุตสาหกรรม")
        sheet.merge_range(1, 0, 1, len(header) - 1, "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘")
        first = 3
    for col, text in enumerate(header):
        sheet.write_string(first, col, text)
    for r, row in enumerate(rows, start=first + 1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, FailedFormula):
                sheet.write_formula(r, c, value.formula, None, value.error)
            elif isinstance(value, dt.datetime):
                sheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write_number(r, c, value)
    workbook.close()
    return path


def write_legacy_xls(path: Path, rows: list[list], header: list[str] | None = None) -> Path:
    """The same register as an .xls (BIFF8 in an OLE2 file), as the sheet-reader tests build one."""
    from tests.integration.test_sheet_reader import XlsError, biff8_workbook, ole2_file

    def cell(value):
        if isinstance(value, FailedFormula):
            return XlsError(FailedFormula.CODES[value.error], formula=True)
        return value.date() if isinstance(value, dt.datetime) else value

    cells = [["ทะเบียนรับเรื่อง"], [], header or HEADER_TH]
    for row in rows:
        cells.append([cell(value) for value in row])
    path.write_bytes(ole2_file("Workbook", biff8_workbook("ทะเบียน", cells)))
    return path


# --- OpenDocument (.ods), written as LibreOffice Calc writes it ------------------------------------

_ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
)
_ODS_STYLES = (
    '<office:automatic-styles>'
    '<style:style style:name="ro1" style:family="table-row"><style:table-row-properties '
    'style:row-height="0.178in" style:use-optimal-row-height="true"/></style:style>'
    '<style:style style:name="ta1" style:family="table" style:master-page-name="Default">'
    '<style:table-properties table:display="true" style:writing-mode="lr-tb"/></style:style>'
    '<style:style style:name="ta2" style:family="table" style:master-page-name="Default">'
    '<style:table-properties table:display="false" style:writing-mode="lr-tb"/></style:style>'
    '</office:automatic-styles>'
)
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '</manifest:manifest>'
)


def _ods_text(value: str) -> str:
    """A string cell's paragraphs, with runs of spaces as <text:s/>, as LibreOffice saves them."""
    import re
    from xml.sax.saxutils import escape

    def spaces(match):
        extra = len(match.group(0)) - 1
        return " " + ('<text:s/>' if extra == 1 else f'<text:s text:c="{extra}"/>')

    return "".join(f"<text:p>{re.sub(r'  +', spaces, escape(line))}</text:p>" for line in value.split("\n"))


def _ods_cell(value, span: tuple[int, int] | None = None) -> str:
    spanned = f' table:number-columns-spanned="{span[1]}" table:number-rows-spanned="{span[0]}"' if span else ""
    if value is None:
        return f"<table:table-cell{spanned}/>"
    if isinstance(value, FailedFormula):
        # LibreOffice keeps an error's text and an empty string beside it, marked as an error.
        return (f'<table:table-cell{spanned} table:formula="of:{value.formula}" office:value-type="string" '
                f'office:string-value="" calcext:value-type="error"><text:p>{value.error}</text:p></table:table-cell>')
    if isinstance(value, bool):
        shown = "TRUE" if value else "FALSE"
        return (f'<table:table-cell{spanned} office:value-type="boolean" office:boolean-value="{str(value).lower()}" '
                f'calcext:value-type="boolean"><text:p>{shown}</text:p></table:table-cell>')
    if isinstance(value, (int, float)):
        return (f'<table:table-cell{spanned} office:value-type="float" office:value="{value}" '
                f'calcext:value-type="float"><text:p>{value}</text:p></table:table-cell>')
    if isinstance(value, dt.datetime):
        return (f'<table:table-cell{spanned} office:value-type="date" office:date-value="{value.isoformat()}" '
                f'calcext:value-type="date"><text:p>{value:%d/%m/%Y %H:%M}</text:p></table:table-cell>')
    return (f'<table:table-cell{spanned} office:value-type="string" calcext:value-type="string">'
            f"{_ods_text(str(value))}</table:table-cell>")


def _runs(items: list[str], attribute: str) -> str:
    """Equal neighbours written once with their repeat count, as LibreOffice compresses them."""
    import re

    out, at = [], 0
    while at < len(items):
        end = at
        while end + 1 < len(items) and items[end + 1] == items[at]:
            end += 1
        count = end - at + 1
        item = items[at]
        if count > 1:
            item = re.sub(r"^<([\w:-]+)", rf'<\1 {attribute}="{count}"', item, count=1)
        out.append(item)
        at = end + 1
    return "".join(out)


def _ods_table(name: str, grid: list[list], merges=(), hidden: bool = False) -> str:
    """One table: grid[r][c] from A1 (None = empty), merges as (first row, first column, last row,
    last column), and the 1,048,576-row tail of empty formatted rows LibreOffice writes."""
    from xml.sax.saxutils import quoteattr

    width = max((len(row) for row in grid), default=1)
    anchors = {(top, left): (bottom - top + 1, right - left + 1) for top, left, bottom, right in merges}
    covered = {(r, c) for top, left, bottom, right in merges for r in range(top, bottom + 1)
               for c in range(left, right + 1) if (r, c) != (top, left)}
    rows = []
    for r, values in enumerate(grid):
        cells = []
        for c in range(width):
            value = values[c] if c < len(values) else None
            cells.append("<table:covered-table-cell/>" if (r, c) in covered else _ods_cell(value, anchors.get((r, c))))
        # LibreOffice leaves trailing empty cells of a row out.
        while cells and cells[-1] == "<table:table-cell/>":
            cells.pop()
        cells = cells or ["<table:table-cell/>"]
        rows.append(f'<table:table-row table:style-name="ro1">{_runs(cells, "table:number-columns-repeated")}'
                    "</table:table-row>")
    rows = _runs(rows, "table:number-rows-repeated")
    tail = (f'<table:table-row table:style-name="ro1" table:number-rows-repeated="{1_048_576 - len(grid)}">'
            '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
    return (f'<table:table table:name={quoteattr(name)} table:style-name="{"ta2" if hidden else "ta1"}">'
            f'<table:table-column table:number-columns-repeated="{width}"/>{rows}{tail}</table:table>')


def write_ods(path: Path, tables: list[tuple[str, list[list], tuple, bool]]) -> Path:
    """An .ods of (name, grid, merges, hidden) tables, laid out as LibreOffice Calc 7 saves one."""
    import zipfile

    body = "".join(_ods_table(*table) for table in tables)
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODS_NAMESPACES} '
               f'office:version="1.3">{_ODS_STYLES}<office:body><office:spreadsheet>{body}'
               '</office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
    return path


def write_register_ods(path: Path, rows: list[list], *, header: list[str] | None = None, titles: bool = True,
                       hidden_lookup: bool = True) -> Path:
    """write_register()'s register as an .ods from LibreOffice, behind a hidden lookup sheet."""
    header = header or HEADER_TH
    grid: list[list] = []
    merges: tuple = ()
    if titles:
        grid = [["ทะเบียนรับเรื่องร้องเรียน กรมโรงงานอุตสาหกรรม"], ["ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"], []]
        merges = ((0, 0, 0, len(header) - 1), (1, 0, 1, len(header) - 1))
    grid += [list(header), *rows]
    tables = [("ทะเบียน", grid, merges, False)]
    if hidden_lookup:
        tables.insert(0, ("รายการ", [["DIW-NUISANCE", NUISANCE]], (), True))
    return write_ods(path, tables)

"""Legacy registers as clerks keep them, built here: merged title rows above a Thai header, B.E.
text dates and real Excel dates, Thai digits, phone numbers and IDs stored as numbers (leading
zeros lost), trailing spaces and empty rows; and the same as an .xls."""
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

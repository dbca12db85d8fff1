"""Workbooks the import hands back: the bad rows with their errors, and the template.

Both are written with xlsxwriter in constant memory, every text through excel_safety's TextCells
(a text starting with a formula trigger in a quote-prefixed cell), so that a cell a citizen typed
never comes back as a formula.
"""
from __future__ import annotations

import math
import os
from datetime import date, datetime, time, timedelta

from app.domain.excel_safety import TextCells
from app.domain.sheet_headers import ERRORS_MESSAGE_HEADER as ERROR_HEADER, ERRORS_ROW_HEADER as ROW_HEADER
from app.domain.sheet_headers import HELP_SHEET, IMPORT_FIELDS, TEMPLATE_EXAMPLE, template_headers
from app.domain.statuses import CHANNEL_LABELS, PRIORITY_LABELS, STATUS_LABELS, Status
from app.services.case_export import workbook_at


def _write_cell(sheet, row: int, col: int, value, formats: dict, texts: TextCells) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, float) and not math.isfinite(value):
        texts.write(sheet, row, col, "NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF"))
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, col, value.replace(tzinfo=None), formats["datetime"])
    elif isinstance(value, date):
        sheet.write_datetime(row, col, datetime.combine(value, time()), formats["date"])
    elif isinstance(value, (time, timedelta)):
        texts.write(sheet, row, col, str(value))
    else:
        texts.write(sheet, row, col, value)


def write_errors_workbook(path: str | os.PathLike, plan, rows: list[list]) -> int:
    """The header row of the file, then each bad row as it was, with its row number and errors; the
    workbook appears at path only once whole (workbook_at)."""
    with workbook_at(path) as workbook:
        _fill_errors_workbook(workbook, plan, rows)
    return len(plan.bad)


def _fill_errors_workbook(workbook, plan, rows: list[list]) -> None:
    texts = TextCells(workbook)
    sheet = workbook.add_worksheet("ข้อผิดพลาด")
    formats = {"datetime": workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
               "date": workbook.add_format({"num_format": "dd/mm/yyyy"})}
    bold = {"bold": True, "bg_color": "#F8CBAD", "border": 1}
    wrap = {"text_wrap": True, "font_color": "#9C0006"}
    header = plan.header_cells or (rows[plan.header_row - 1] if plan.header_row else [])
    width = max([len(header)] + [len(row.cells) for row in plan.bad])
    texts.write(sheet, 0, 0, ROW_HEADER, bold)
    texts.write(sheet, 0, 1, ERROR_HEADER, bold)
    for col in range(width):
        value = header[col] if col < len(header) else ""
        texts.write(sheet, 0, col + 2, value if isinstance(value, str) else str(value or ""), bold)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, width + 1, 18)
    sheet.freeze_panes(1, 2)
    for out_row, bad in enumerate(sorted(plan.bad, key=lambda r: r.row), start=1):
        sheet.write_number(out_row, 0, bad.row)
        messages = "\n".join(f"{issue.column}: {issue.message_th} / {issue.message_en}" for issue in bad.issues)
        texts.write(sheet, out_row, 1, messages, wrap)
        for col, value in enumerate(bad.cells):
            _write_cell(sheet, out_row, col + 2, value, formats, texts)
    sheet.autofilter(0, 0, max(len(plan.bad), 1), width + 1)


def write_template(path: str | os.PathLike, lang: str = "both", case_types: list[tuple[str, str, str]] = ()) -> None:
    """The import template: one header row (Thai, English or both in each cell), an example row,
    and a help sheet with the values the coded columns accept and the agency's case types."""
    with workbook_at(path) as workbook:
        _fill_template(workbook, lang, case_types)


def _fill_template(workbook, lang: str, case_types) -> None:
    texts = TextCells(workbook)
    sheet = workbook.add_worksheet("ทะเบียน" if lang != "en" else "Register")
    bold = {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
    example = {"italic": True, "font_color": "#7F7F7F"}
    sheet.set_row(0, 36)
    for col, (name, header) in enumerate(zip(IMPORT_FIELDS, template_headers(lang))):
        sheet.set_column(col, col, 24 if name in ("title", "description", "case_type", "requester_name") else 16)
        texts.write(sheet, 0, col, header, bold)
    sheet.freeze_panes(1, 0)
    for col, name in enumerate(IMPORT_FIELDS):
        value = TEMPLATE_EXAMPLE.get(name)
        if name == "case_type" and case_types:
            value = case_types[0][1]
        if value:
            texts.write(sheet, 1, col, value, example)

    help_sheet = workbook.add_worksheet(HELP_SHEET)
    help_sheet.set_column(0, 0, 28)
    help_sheet.set_column(1, 2, 40)
    lines = [
        ("วิธีใช้ / How to use", "หนึ่งแถวต่อหนึ่งเรื่อง ลบแถวตัวอย่างก่อนนำเข้า", "One row per case; delete the example row first"),
        ("เลขที่เรื่อง / Tracking code", "ใส่เมื่อแก้ไขเรื่องที่มีอยู่แล้ว เว้นว่างสำหรับเรื่องใหม่",
         "Give it to update an existing case; leave it empty for a new one"),
        ("เลขอ้างอิง / Reference", "จำเป็นสำหรับเรื่องใหม่ นำเข้าไฟล์ซ้ำจะพบเรื่องเดิมด้วยเลขนี้",
         "Required for a new case: importing the file again finds the case by it"),
        ("วันที่ / Dates", "พ.ศ. หรือ ค.ศ. เช่น 18/12/2567, 18 ธ.ค. 67, 2024-12-18 หรือวันที่ของ Excel",
         "B.E. or C.E., e.g. 18/12/2567, 18 ธ.ค. 67, 2024-12-18, or an Excel date"),
        ("ช่องว่าง / Empty cells", "ช่องที่เว้นว่างไม่เปลี่ยนค่าที่บันทึกไว้", "An empty cell leaves the stored value as it is"),
    ]
    # Forwarding is done on the case's page, never by a sheet: the import refuses that status.
    lines += [("สถานะ / Status", th, en) for status, (th, en) in STATUS_LABELS.items() if status != Status.FORWARDED]
    lines += [("ช่องทาง / Channel", th, en) for th, en in CHANNEL_LABELS.values()]
    lines += [("ความเร่งด่วน / Priority", th, en) for th, en in PRIORITY_LABELS.values()]
    lines += [(f"ประเภทเรื่อง / Case type ({code})", th, en) for code, th, en in case_types]
    for col, title in enumerate(("หัวข้อ / Topic", "ภาษาไทย", "English")):
        texts.write(help_sheet, 0, col, title, bold)
    for row, values in enumerate(lines, start=1):
        for col, value in enumerate(values):
            texts.write(help_sheet, row, col, value)

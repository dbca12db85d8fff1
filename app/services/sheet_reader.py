"""Reading the first worksheet of an uploaded .xlsx, .xls or .ods, with guards around python-calamine.

Why the guards: calamine builds a dense grid from the top-left to the farthest cell it meets, and
a failed allocation in Rust aborts the whole process. A 2 KB .xlsx with one cell at XFD1048576
asks for 512 GiB and takes the web worker down with it (measured with python-calamine 0.9.1; a
huge declared <dimension> alone is harmless there, the far cell is what kills). So:

1. inspect_upload() looks at the bytes, never the file name: a zip holding xl/workbook.xml is
   .xlsx, a zip whose mimetype member names an OpenDocument spreadsheet is .ods (LibreOffice's
   own format), an OLE2 compound file (D0 CF 11 E0) is .xls, anything else is refused. For a zip
   it checks the directory before anything inflates (member count, declared total size, per
   member compression ratio, methods, encryption). For .xlsx it finds the first visible worksheet
   and streams the start of its XML to refuse a declared <dimension> beyond max_rows/max_cols.
2. read_rows(isolated=True), the default and the only mode for uploads, parses in a child
   process with an address-space limit and a timeout: a crafted file (a far cell under a small or
   missing <dimension>, zip sizes that lie, a calamine bug) kills the child, not the server, and
   comes back as SheetError('sheet_too_large'). Rows and columns are checked again against the
   real extent before any row is sent back.
3. read_rows(isolated=False) parses in this process after the same checks. Faster, but only as
   safe as the file's own <dimension>: use it for files this application wrote, tests and
   benchmarks. An .ods declares no extent at all, and calamine builds up to 100 million of its
   repeated cells before anything can be checked (a 1 KB file asks for 2 GB), so an .ods is
   always parsed in the child, whatever `isolated` says.

Rows come back as lists of Python values as calamine gives them (str, float, int, bool, datetime,
date, time, timedelta; '' for an empty cell), starting at A1, so rows[i][j] is Excel row i + 1,
column j + 1, and empty rows are kept. Which sheet: the first visible worksheet, or with
read_sheet(sheet=n) the n-th (from 0); hidden sheets and charts are not counted.

Error cells (#N/A, #REF!, #DIV/0!..., a formula that failed) come back as
app.domain.excel_cells.ErrorCell. python-calamine 0.9.1 gives '' for them, as for an empty cell,
which would import a failed VLOOKUP as "nothing here"; so the sheet is also scanned for them
(error_cells()), in a thread beside calamine's read. The scan costs next to nothing when there are
none: an .xlsx is inflated once and searched for 't="e"' only, an .xls's BIFF records are matched
by two patterns only; the cells are located only when that finds something. A formula an .xlsx
keeps no result for (its writer did not calculate, and Excel never saved the file) is read as
empty by calamine too; it comes back as ErrorCell('=' + the formula), found the same way. For an
.ods, calamine gives an error cell's stored number (0 for #DIV/0!), no merged ranges at all, and
texts without their tabs and line breaks; ods_sheet.scan() finds all three, in the child, beside
calamine's read.

This module imports only the standard library at the top (and ods_sheet, its sibling, which does
too), because it also runs as the child's script (python -P sheet_reader.py --worker ...),
without the application package.
"""
from __future__ import annotations

import io
import logging
import os
import pickle
import posixpath
import re
import struct
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

if __name__ == "__main__":  # the child, run as a script: its sibling by file, not through the package
    sys.path.append(os.path.dirname(os.path.abspath(__file__)))
    import ods_sheet
else:
    from . import ods_sheet

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 2**20
MAX_ZIP_MEMBERS = 1000
MAX_CENTRAL_DIRECTORY_BYTES = 2**20
MAX_UNCOMPRESSED_BYTES = 200 * 2**20
# An .ods has no shared strings: every cell writes its text and its type in full, so the same
# register takes about twice the XML of an .xlsx.
MAX_ODS_UNCOMPRESSED_BYTES = 2 * MAX_UNCOMPRESSED_BYTES
MAX_COMPRESSION_RATIO = 100
# Small parts (styles, themes) compress far beyond 100x and harm no one; the ratio rule starts here.
RATIO_CHECK_MIN_BYTES = 2**20
# workbook.xml and its relationships are parsed whole; they are a few KB in practice.
MAX_WORKBOOK_PART_BYTES = 8 * 2**20
# <dimension> comes right after <sheetPr> at the top of a worksheet part.
SHEET_HEAD_BYTES = 256 * 2**10

DEFAULT_MAX_ROWS = 200_000
DEFAULT_MAX_COLS = 100
# Rows times columns, up to the farthest cell with data: 200,000 rows of 30 columns. Without it
# a 1 KB .ods repeating one row of 100 numbers 199,999 times passes both bounds above, and its
# 20 million cells take the web worker gigabytes to hold and check.
MAX_CELLS = 6_000_000

ISOLATED_MEMORY_BYTES = 2 * 2**30
ISOLATED_TIMEOUT_SECONDS = 60.0
BATCH_ROWS = 5_000
# One batch from the child cannot honestly exceed the text the file holds.
MAX_FRAME_BYTES = 2 * MAX_UNCOMPRESSED_BYTES

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_EOCD = b"PK\x05\x06"

_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*?\sref\s*=\s*[\"']([^\"']*)[\"']")
_SHEET_DATA = re.compile(rb"<(?:[\w.-]+:)?sheetData[\s/>]")
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,4})\$?(\d{1,8})$")
# calamine's refusal of an .ods whose repeated cells add up to more than it builds.
_CELL_LIMIT = re.compile(r"Cell limit exceeded \((\d+) cells")


class SheetError(Exception):
    """The upload cannot be read. code is stable; screens show message_th or message_en."""

    def __init__(self, code: str, message_th: str, message_en: str):
        super().__init__(message_en)
        self.code = code
        self.message_th = message_th
        self.message_en = message_en

    def message(self, lang: str) -> str:
        return self.message_th if lang == "th" else self.message_en

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message_en, "message_th": self.message_th}


@dataclass(frozen=True)
class SheetInfo:
    format: str  # 'xlsx', 'xls' or 'ods'
    size_bytes: int
    sheet_name: str | None  # first visible worksheet (.xlsx); for .xls and .ods chosen when read
    declared_rows: int | None = None
    declared_cols: int | None = None
    members: int | None = None
    uncompressed_bytes: int | None = None
    sheet_part: str | None = None  # the worksheet's part in the zip (.xlsx)
    # Every visible worksheet's name, in workbook order (.xlsx); for .xls and .ods known once read.
    sheet_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sheet:
    """One visible worksheet as read: its rows from A1, its name, and which of the workbook's
    visible worksheets it is (number, from 0, among names)."""

    rows: list[list]
    name: str
    number: int
    names: tuple[str, ...]
    # Merged ranges: (first row, first column, last row, last column), 0-based from A1.
    merged: tuple[tuple[int, int, int, int], ...] = ()


# What a file that is no workbook turns out to be, when it can be told: (Thai, English, what to do).
_SAVE_AS_XLSX = ("ให้เปิดใน Excel แล้วบันทึกเป็น Excel Workbook (.xlsx)",
                 "open it in Excel and save it as an Excel Workbook (.xlsx)")
_OTHER_KINDS = {
    "csv": ("ไฟล์นี้เป็นไฟล์ข้อความ (CSV)", "This file is text (CSV)", *_SAVE_AS_XLSX),
    "html": ("ไฟล์นี้เป็นหน้าเว็บ (HTML) ที่บางระบบส่งออกโดยตั้งชื่อเป็น .xls", "This file is a web page (HTML), as some "
             "systems export 'Excel'", *_SAVE_AS_XLSX),
    "xml2003": ("ไฟล์นี้เป็น XML Spreadsheet 2003", "This file is an XML Spreadsheet 2003", *_SAVE_AS_XLSX),
    "xlsb": ("ไฟล์นี้เป็น Excel Binary Workbook (.xlsb)", "This file is an Excel Binary Workbook (.xlsb)", *_SAVE_AS_XLSX),
    "fods": ("ไฟล์นี้เป็น Flat XML ODF Spreadsheet (.fods)", "This file is a Flat XML ODF Spreadsheet (.fods)",
             "ให้เปิดใน LibreOffice เลือก ไฟล์ > บันทึกเป็น ชนิด ODF Spreadsheet (.ods) หรือ Excel 2007-365 (.xlsx)",
             "in LibreOffice choose File > Save As, type ODF Spreadsheet (.ods) or Excel 2007-365 (.xlsx)"),
}


def _not_a_spreadsheet(kind: str | None = None) -> SheetError:
    if kind in _OTHER_KINDS:
        what_th, what_en, do_th, do_en = _OTHER_KINDS[kind]
        return SheetError("not_a_spreadsheet", f"{what_th} ไม่ใช่ไฟล์ Excel หรือ LibreOffice (.xlsx .xls หรือ .ods) "
                          f"{do_th} แล้วอัปโหลดใหม่",
                          f"{what_en}, not an Excel or LibreOffice workbook (.xlsx, .xls or .ods); {do_en} and upload it "
                          "again")
    return SheetError(
        "not_a_spreadsheet",
        "ไฟล์นี้ไม่ใช่ไฟล์ Excel หรือ LibreOffice (.xlsx .xls หรือ .ods) ให้บันทึกเป็น Excel Workbook (.xlsx) แล้วอัปโหลดใหม่",
        "This file is not an Excel or LibreOffice workbook (.xlsx, .xls or .ods); save it as an Excel Workbook (.xlsx) "
        "and upload it again",
    )


def _text_kind(head: bytes) -> str | None:
    """'html' or 'csv' for a file whose first bytes are text of that kind, else None."""
    if not head or b"\x00" in head:
        return None
    if len(head) >= 4096 and b"\n" in head:
        head = head[:head.rfind(b"\n") + 1]  # whole lines: no character cut in two
    for encoding in ("utf-8-sig", "cp874"):  # cp874: Thai Windows, as Excel writes a CSV there
        try:
            text = head.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None
    start = text.lstrip().lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in start:
        return "xml2003"
    if "opendocument.spreadsheet" in start and "urn:oasis:names:tc:opendocument" in start:
        return "fods"
    if start.startswith(("<html", "<!doctype html", "<table")) or "<table" in start[:2000]:
        return "html"
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and any(mark in lines[0] for mark in (",", "\t", ";")):
        return "csv"
    return None


def _damaged(detail: str = "") -> SheetError:
    suffix = f" ({detail})" if detail else ""
    return SheetError(
        "damaged",
        "ไฟล์เสียหรืออ่านไม่ได้ ลองเปิดใน Excel หรือ LibreOffice แล้วบันทึกเป็นไฟล์ใหม่" + suffix,
        "The file is damaged or cannot be read; open it in Excel or LibreOffice and save it as a new file" + suffix,
    )


def _too_big(what_th: str, what_en: str) -> SheetError:
    return SheetError(
        "file_too_complex",
        f"ไฟล์นี้ใหญ่หรือซับซ้อนเกินกว่าที่ระบบรับได้: {what_th}",
        f"This file is larger or more complex than the system accepts: {what_en}",
    )


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MB"


def column_number(letters: str) -> int:
    """'A' -> 1, 'XFD' -> 16384."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _check_extent(rows: int, cols: int, max_rows: int, max_cols: int, declared: bool) -> None:
    how_th = "ชีตนี้ระบุว่าใช้พื้นที่ถึง" if declared else "ชีตนี้มีข้อมูลถึง"
    how_en = "The sheet declares that it reaches" if declared else "The sheet has data as far as"
    if rows <= max_rows and cols <= max_cols and rows * cols > MAX_CELLS:
        raise SheetError(
            "too_many_cells",
            f"{how_th}แถวที่ {rows:,} คอลัมน์ที่ {cols:,} รวม {rows * cols:,} เซลล์ เกินที่รับได้ {MAX_CELLS:,} เซลล์ "
            "ให้ลบแถวหรือคอลัมน์ที่ว่าง หรือแบ่งไฟล์เป็นส่วนเล็กลง",
            f"{how_en} row {rows:,} and column {cols:,}: {rows * cols:,} cells, beyond the {MAX_CELLS:,} accepted; "
            "delete empty rows or columns, or split the file",
        )
    if rows > max_rows:
        raise SheetError(
            "too_many_rows",
            f"{how_th}แถวที่ {rows:,} เกินที่รับได้ {max_rows:,} แถว ถ้าแถวท้ายว่าง ให้ลบแถวเหล่านั้นหรือคัดลอกข้อมูลไปชีตใหม่",
            f"{how_en} row {rows:,}, beyond the {max_rows:,} rows accepted; if the rows at the end are empty, "
            "delete them or copy the data to a new sheet",
        )
    if cols > max_cols:
        raise SheetError(
            "too_many_columns",
            f"{how_th}คอลัมน์ที่ {cols:,} เกินที่รับได้ {max_cols:,} คอลัมน์ ถ้าคอลัมน์ด้านขวาว่าง ให้ลบคอลัมน์เหล่านั้นหรือคัดลอกข้อมูลไปชีตใหม่",
            f"{how_en} column {cols:,}, beyond the {max_cols:,} columns accepted; if the columns on the right are "
            "empty, delete them or copy the data to a new sheet",
        )


# --- inspection -----------------------------------------------------------------------------


def _central_directory_size(path: str | os.PathLike, size: int) -> int:
    """Size of the zip's central directory, from its end record, before zipfile reads it all."""
    with open(path, "rb") as handle:
        tail_length = min(size, 22 + 65_535)
        handle.seek(size - tail_length)
        tail = handle.read()
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        raise _damaged("zip end record")
    (directory_size,) = struct.unpack_from("<I", tail, at + 12)
    return directory_size


def _check_zip_members(infos: list[zipfile.ZipInfo], max_total: int) -> int:
    if len(infos) > MAX_ZIP_MEMBERS:
        raise _too_big(f"มี {len(infos):,} ส่วนย่อยในไฟล์", f"it holds {len(infos):,} parts")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise SheetError(
                "password_protected",
                "ไฟล์นี้มีรหัสผ่าน ให้เปิดใน Excel เอารหัสผ่านออก แล้วบันทึกใหม่",
                "This file is password-protected; remove the password in Excel and save it again",
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _damaged(f"compression method {info.compress_type}")
        if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
            raise _damaged("stored part size")
        if info.file_size > RATIO_CHECK_MIN_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise _too_big(
                f"ส่วน {info.filename} ขยายได้ {ratio:,.0f} เท่า (รับได้ไม่เกิน {MAX_COMPRESSION_RATIO} เท่า)",
                f"part {info.filename} expands {ratio:,.0f} times (at most {MAX_COMPRESSION_RATIO} accepted)",
            )
        total += info.file_size
    if total > max_total:
        raise _too_big(
            f"เมื่อคลายออกมีขนาด {_mib(total)} (รับได้ไม่เกิน {_mib(max_total)})",
            f"it expands to {_mib(total)} (at most {_mib(max_total)} accepted)",
        )
    return total


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _read_part(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise _damaged(f"missing {name}") from None
    if info.file_size > MAX_WORKBOOK_PART_BYTES:
        raise _too_big(f"ส่วน {name} ใหญ่ {_mib(info.file_size)}", f"part {name} is {_mib(info.file_size)}")
    try:
        data = archive.read(name)
        # OOXML never carries a DTD; one here can only be an entity-expansion attempt.
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise _damaged(f"DTD in {name}")
        return ElementTree.fromstring(data)
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, EOFError, ValueError) as error:
        raise _damaged(f"{name}: {error}") from None


def _no_worksheet() -> SheetError:
    return SheetError("no_worksheet", "ไม่พบแผ่นงาน (worksheet) ที่มองเห็นได้ในไฟล์นี้",
                      "The workbook has no visible worksheet")


def _no_more_sheets(number: int, count: int) -> SheetError:
    return SheetError("no_more_sheets", f"ไฟล์นี้มีแผ่นงานที่มองเห็นได้ {count} แผ่น ไม่มีแผ่นที่ {number + 1}",
                      f"The workbook has {count} visible worksheets, not {number + 1}")


def _visible_worksheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(name, part path) of each visible worksheet, in workbook order, as calamine lists them."""
    found: list[tuple[str, str]] = []
    workbook = _read_part(archive, "xl/workbook.xml")
    targets: dict[str, tuple[str, str]] = {}
    if "xl/_rels/workbook.xml.rels" in archive.NameToInfo:
        for relation in _read_part(archive, "xl/_rels/workbook.xml.rels"):
            if _local(relation.tag) == "Relationship":
                targets[relation.get("Id", "")] = (relation.get("Type", ""), relation.get("Target", ""))
    for element in workbook.iter():
        if _local(element.tag) != "sheet":
            continue
        if element.get("state", "visible") != "visible":
            continue
        relation_id = next((value for key, value in element.attrib.items()
                            if key.startswith("{") and _local(key) == "id" and "relationships" in key), "")
        kind, target = targets.get(relation_id, ("", ""))
        if not kind.endswith("/worksheet") or not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        found.append((element.get("name", ""), part))
    return found


def _declared_dimension(archive: zipfile.ZipFile, part: str) -> tuple[int, int] | None:
    """(last row, last column) the worksheet declares in <dimension ref>, read from its first bytes."""
    if part not in archive.NameToInfo:
        raise _damaged(f"missing {part}")
    head = b""
    try:
        with archive.open(part) as stream:
            while len(head) < SHEET_HEAD_BYTES:
                chunk = stream.read(16 * 2**10)
                if not chunk:
                    break
                head += chunk
                if _SHEET_DATA.search(head):
                    break
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise _damaged(f"{part}: {error}") from None
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise _damaged(f"DTD in {part}")
    match = _DIMENSION.search(head)
    data_at = _SHEET_DATA.search(head)
    if not match or (data_at and data_at.start() < match.start()):
        return None
    last = match.group(1).decode("ascii", "replace").split(":")[-1]
    cell = _CELL_REF.match(last)
    if not cell:
        return None
    return int(cell.group(2)), column_number(cell.group(1))


def _check_ods_content(archive: zipfile.ZipFile) -> None:
    """An .ods must hold its cells in content.xml, and that part carries no DTD (ODF never does;
    one can only be an entity-expansion attempt on the parser)."""
    if ods_sheet.CONTENT not in archive.NameToInfo:
        raise _damaged(f"missing {ods_sheet.CONTENT}")
    try:
        with archive.open(ods_sheet.CONTENT) as stream:
            head = stream.read(SHEET_HEAD_BYTES)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise _damaged(f"{ods_sheet.CONTENT}: {error}") from None
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise _damaged(f"DTD in {ods_sheet.CONTENT}")


def inspect_upload(
    path: str | os.PathLike, *, max_rows: int = DEFAULT_MAX_ROWS, max_cols: int = DEFAULT_MAX_COLS, sheet: int = 0
) -> SheetInfo:
    """Identify an upload by its bytes and check it before any parser sees it, for its visible
    worksheet number `sheet` (from 0). Raises SheetError."""
    size = os.path.getsize(path)
    if size > MAX_FILE_BYTES:
        raise _too_big(f"ไฟล์ใหญ่ {_mib(size)} (รับได้ไม่เกิน {_mib(MAX_FILE_BYTES)})",
                       f"the file is {_mib(size)} (at most {_mib(MAX_FILE_BYTES)} accepted)")
    with open(path, "rb") as handle:
        head = handle.read(4096)
    magic = head[:8]
    if magic == OLE2_MAGIC:
        return SheetInfo("xls", size, None)
    if not magic.startswith(ZIP_MAGIC):
        raise _not_a_spreadsheet(_text_kind(head))

    if _central_directory_size(path, size) > MAX_CENTRAL_DIRECTORY_BYTES:
        raise _too_big("สารบัญของไฟล์ zip ใหญ่ผิดปกติ", "its zip directory is unusually large")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise _damaged(str(error)) from None
    with archive:
        infos = archive.infolist()
        try:
            ods = ods_sheet.is_ods(archive)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise _damaged(f"mimetype: {error}") from None
        total = _check_zip_members(infos, MAX_ODS_UNCOMPRESSED_BYTES if ods else MAX_UNCOMPRESSED_BYTES)
        if ods:
            _check_ods_content(archive)
            return SheetInfo("ods", size, None, members=len(infos), uncompressed_bytes=total,
                             sheet_part=ods_sheet.CONTENT)
        if "xl/workbook.xml" not in archive.NameToInfo:
            # A Word or OpenDocument text file, or a binary workbook (.xlsb).
            raise _not_a_spreadsheet("xlsb" if "xl/workbook.bin" in archive.NameToInfo else None)
        worksheets = _visible_worksheets(archive)
        if not worksheets:
            raise _no_worksheet()
        if sheet >= len(worksheets):
            raise _no_more_sheets(sheet, len(worksheets))
        sheet_name, part = worksheets[sheet]
        dimension = _declared_dimension(archive, part)
    if dimension:
        _check_extent(*dimension, max_rows, max_cols, declared=True)
    return SheetInfo(
        "xlsx", size, sheet_name,
        declared_rows=dimension[0] if dimension else None,
        declared_cols=dimension[1] if dimension else None,
        members=len(infos), uncompressed_bytes=total, sheet_part=part,
        sheet_names=tuple(name for name, _ in worksheets),
    )


# --- error cells ----------------------------------------------------------------------------

SCAN_CHUNK_BYTES = 2**20
_XLSX_ERROR_MARKS = (b't="e"', b"t='e'")
# A cell's start tag, self-closing or not; its content up to the cell's end tag.
_CELL_START = re.compile(rb"<(?:[\w.-]+:)?c\s[^>]*?(/?)>")
_CELL_END = re.compile(rb"</(?:[\w.-]+:)?c>")
_BARE_CELL = re.compile(rb"<(?:[\w.-]+:)?c>")
_ERROR_TYPE = re.compile(rb"\st\s*=\s*[\"']e[\"']")
_CELL_TYPE = re.compile(rb"\st\s*=\s*[\"'](\w+)[\"']")
_CELL_REF_ATTR = re.compile(rb"\sr\s*=\s*[\"']\$?([A-Za-z]{1,3})\$?(\d{1,7})[\"']")
_CELL_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]*)</(?:[\w.-]+:)?v>")
# A formula cell that keeps no result: written by a program that does not calculate (openpyxl,
# some report generators) and never saved by Excel or LibreOffice, which always store the result
# (an empty text result as <v></v>). calamine reads such a cell as empty. The marks are looked for
# first, the cells located only where one is found; ':c>' is a writer's namespace prefix.
_UNCALCULATED_MARKS = (b"</f></c>", b"</f><v/>", b"</f><v />", b"/></c>", b"/><v/>", b"/><v />", b":c>")
_FORMULA_WITHOUT_RESULT = re.compile(
    rb"(?:<(?:[\w.-]+:)?f(?:\s[^>]*)?>([^<]*)</(?:[\w.-]+:)?f>|<(?:[\w.-]+:)?f(?:\s[^>]*)?/>)\s*"
    rb"(?:<(?:[\w.-]+:)?v\s*/>\s*)?</(?:[\w.-]+:)?c>")
# What an uncalculated formula is reported as: its text after '=' (an Excel error starts with '#').
UNCALCULATED_PREFIX = "="
# BIFF: a BOOLERR record holding an error, and a FORMULA record whose cached result is an error.
_XLS_ERROR_RECORDS = re.compile(rb"\x05\x02\x08\x00.{7}\x01|\x06\x00..(?:.{6})\x02.{5}\xff\xff", re.S)
XLS_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
              0x2A: "#N/A", 0x2B: "#GETTING_DATA"}

ErrorPosition = tuple  # (row index, column index, error text such as '#N/A'), from A1


class _NoReference(Exception):
    """An error cell without its r attribute: its place needs counting (_xlsx_errors_counted)."""


def _xlsx_errors(path: str, part: str) -> list[ErrorPosition]:
    found: list[ErrorPosition] = []
    carry = b""
    with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
        while True:
            chunk = stream.read(SCAN_CHUNK_BYTES)
            text = carry + chunk
            # Whole cells only: cut after the last tag that ends a row (or starts one).
            cut = len(text) if not chunk else text.rfind(b"row>") + 4
            if cut < 4:
                cut = 0
            whole, carry = text[:cut], text[cut:]
            if any(mark in whole for mark in _XLSX_ERROR_MARKS):
                found.extend(_errors_in(whole))
            if any(mark in whole for mark in _UNCALCULATED_MARKS):
                found.extend(_uncalculated_in(whole))
            if not chunk:
                return found


def _errors_in(xml: bytes) -> list[ErrorPosition]:
    found = []
    for start in _CELL_START.finditer(xml):
        tag = start.group(0)
        if not _ERROR_TYPE.search(tag):
            continue
        ref = _CELL_REF_ATTR.search(tag)
        if ref is None:
            raise _NoReference()
        text = "#N/A"
        if not start.group(1):
            end = _CELL_END.search(xml, start.end())
            value = _CELL_VALUE.search(xml, start.end(), end.start() if end else len(xml))
            if value is not None and value.group(1).strip():
                text = value.group(1).strip()[:32].decode("utf-8", "replace")
        found.append((int(ref.group(2)) - 1, column_number(ref.group(1).decode("ascii")) - 1, text))
    return found


def _formula_text(formula: bytes | str | None) -> str:
    text = formula.decode("utf-8", "replace") if isinstance(formula, bytes) else (formula or "")
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
    return (UNCALCULATED_PREFIX + text.replace("&amp;", "&").strip())[:200]


def _uncalculated_in(xml: bytes) -> list[ErrorPosition]:
    found = []
    for formula in _FORMULA_WITHOUT_RESULT.finditer(xml):
        # <f> is a cell's first child: the tag before it is the cell's own.
        at = xml.rfind(b"<", 0, formula.start())
        start = _CELL_START.match(xml, at)
        if start is None:
            if _BARE_CELL.match(xml, at):
                raise _NoReference()
            continue
        kind = _CELL_TYPE.search(start.group(0))
        if kind is not None and kind.group(1) in (b"str", b"e"):
            continue  # a text result, kept empty; an error is reported as such
        ref = _CELL_REF_ATTR.search(start.group(0))
        if ref is None:
            raise _NoReference()
        found.append((int(ref.group(2)) - 1, column_number(ref.group(1).decode("ascii")) - 1,
                      _formula_text(formula.group(1))))
    return found


def _xlsx_errors_counted(path: str, part: str) -> list[ErrorPosition]:
    """The same, for a writer that leaves out cell references: places are counted."""
    found: list[ErrorPosition] = []
    row, col = -1, -1
    with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                if tag == "row":
                    row = int(element.get("r")) - 1 if element.get("r") else row + 1
                    col = -1
                elif tag == "c":
                    ref = _CELL_REF.match(element.get("r") or "")
                    col = column_number(ref.group(1)) - 1 if ref else col + 1
            elif tag == "c":
                children = {_local(child.tag): child for child in element}
                if element.get("t") == "e":
                    value = children["v"].text if "v" in children else None
                    found.append((row, col, (value or "#N/A").strip()[:32]))
                elif "f" in children and "v" not in children and element.get("t") != "str":
                    # (here <v/> and <v></v> read alike, so only a missing <v> tells)
                    found.append((row, col, _formula_text(children["f"].text)))
                element.clear()
            elif tag == "row":
                element.clear()
    return found


def _xls_errors(path: str, number: int = 0) -> list[ErrorPosition]:
    from xlrd import compdoc  # only here: the child runs without the application package

    with open(path, "rb") as handle:
        # As lenient as calamine about the stream chains of files other programs wrote.
        document = compdoc.CompDoc(handle.read(), logfile=io.StringIO(), ignore_workbook_corruption=True)
    stream = document.get_named_stream("Workbook") or document.get_named_stream("Book")
    if not stream or not _XLS_ERROR_RECORDS.search(stream):
        return []
    records = _biff_records(stream, 0)
    sheet_at = None
    visible = 0
    for kind, at, length in records:
        if kind == 0x000A:  # the end of the workbook globals
            break
        if kind == 0x0085 and length >= 6:  # BOUNDSHEET: offset, visibility, type
            offset, hidden, sheet_type = struct.unpack_from("<IBB", stream, at)
            if hidden == 0 and sheet_type == 0:
                if visible == number:
                    sheet_at = offset
                    break
                visible += 1
    if sheet_at is None:
        return []
    found: list[ErrorPosition] = []
    depth = 0
    for kind, at, length in _biff_records(stream, sheet_at):
        if kind == 0x0809:
            depth += 1
        elif kind == 0x000A:
            depth -= 1
            if depth <= 0:
                break
        elif depth == 1 and kind == 0x0205 and length >= 8:  # BOOLERR
            row, col, _, value, is_error = struct.unpack_from("<HHHBB", stream, at)
            if is_error:
                found.append((row, col, XLS_ERRORS.get(value, "#N/A")))
        elif depth == 1 and kind == 0x0006 and length >= 14:  # FORMULA with a cached error
            row, col = struct.unpack_from("<HH", stream, at)
            result = stream[at + 6:at + 14]
            if result[0] == 0x02 and result[6:8] == b"\xff\xff":
                found.append((row, col, XLS_ERRORS.get(result[2], "#N/A")))
    return found


def _biff_records(stream: bytes, at: int) -> Iterator[tuple[int, int, int]]:
    """(record type, offset of its data, its length) from at to the end of the stream."""
    end = len(stream)
    while at + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, at)
        yield kind, at + 4, length
        at += 4 + length


def error_cells(path: str, kind: str, part: str | None, number: int = 0) -> list[ErrorPosition]:
    """(row, column, error) of the error cells of visible worksheet number `number` (its part in
    an .xlsx), from A1."""
    if kind == "xls":
        return _xls_errors(path, number)
    if not part:
        return []
    try:
        return _xlsx_errors(path, part)
    except _NoReference:
        return _xlsx_errors_counted(path, part)


class _ErrorScan(threading.Thread):
    """error_cells() (or for an .ods, ods_sheet.scan()) beside calamine's read: inflating and
    searching the XML releases the GIL, and calamine parses in Rust, so on two cores the scan
    adds next to no time."""

    def __init__(self, function, *arguments):
        super().__init__(name="sheet-error-scan", daemon=True)
        self.function = function
        self.arguments = arguments
        self.found: list[ErrorPosition] | ods_sheet.Marks = []
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            self.found = self.function(*self.arguments)
        except Exception as error:  # a part calamine reads but this scan cannot: say so, below
            self.failure = error

    def result(self):
        self.join()
        if isinstance(self.failure, ods_sheet.TooManyMarks):
            raise _too_big(f"ชีตมีเซลล์ผิดพลาด เซลล์ผสาน หรือข้อความที่มีการขึ้นบรรทัดใหม่เกิน {ods_sheet.MAX_FOUND:,} ช่อง",
                           f"the sheet has {self.failure}")
        if self.failure is not None:
            raise _damaged(f"error cells: {str(self.failure)[:200]}")
        return self.found


def mark_error_cells(rows: list[list], errors: list[ErrorPosition]) -> None:
    """Put an ErrorCell where the sheet holds an error, for rows read from A1."""
    if not errors:
        return
    from app.domain.excel_cells import ErrorCell  # the parent's side only

    for row, col, text in errors:
        if row >= len(rows):
            continue  # beyond what calamine read; nothing there to import
        cells = rows[row]
        if col >= len(cells):
            cells.extend([""] * (col + 1 - len(cells)))
        cells[col] = ErrorCell(text)


def mark_text_cells(rows: list[list], texts: list[tuple[int, int, str]]) -> None:
    """Put the whole text where calamine dropped an .ods cell's tabs and line breaks."""
    for row, col, text in texts:
        if row < len(rows) and col < len(rows[row]) and isinstance(rows[row][col], str):
            rows[row][col] = str(text)


# --- parsing --------------------------------------------------------------------------------


def _calamine_failure(error: Exception) -> SheetError:
    cells = _CELL_LIMIT.search(str(error))
    if cells:  # an .ods whose repeated cells add up beyond calamine's own bound
        return _too_big(f"ชีตระบุเซลล์ไว้ {int(cells.group(1)):,} เซลล์", f"the sheet declares {int(cells.group(1)):,} cells")
    return _damaged(str(error)[:200])


def _read_batches(path: str, sheet_name: str | None, max_rows: int, max_cols: int, number: int = 0,
                  on_sheet=None) -> Iterator[list[list]]:
    """Rows from A1 in batches of BATCH_ROWS, after checking the sheet's real extent. Without a
    sheet name, the visible worksheet `number`; on_sheet(name, visible names, merged ranges) is
    told which, and its merged cells as (first row, first column, last row, last column) from A1."""
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

    try:
        workbook = CalamineWorkbook.from_path(path)
    except PasswordError:
        raise SheetError(
            "password_protected",
            "ไฟล์นี้มีรหัสผ่าน ให้เปิดใน Excel เอารหัสผ่านออก แล้วบันทึกใหม่",
            "This file is password-protected; remove the password in Excel and save it again",
        ) from None
    except Exception as error:  # calamine raises several unrelated types for a bad file
        raise _calamine_failure(error) from None
    with workbook:
        names = tuple(sheet.name for sheet in workbook.sheets_metadata
                      if sheet.typ == SheetTypeEnum.WorkSheet and sheet.visible == SheetVisibleEnum.Visible)
        if sheet_name is None:
            if not names:
                raise _no_worksheet()
            if number >= len(names):
                raise _no_more_sheets(number, len(names))
            sheet_name = names[number]
        try:
            sheet = workbook.get_sheet_by_name(sheet_name)
        except Exception as error:
            raise _calamine_failure(error) from None
        if on_sheet is not None:
            on_sheet(sheet_name, names, _merged_ranges(sheet, max_rows, max_cols))
        end = sheet.end
        if end is None:
            return
        _check_extent(end[0] + 1, end[1] + 1, max_rows, max_cols, declared=False)
        if sheet.start != (0, 0):
            # iter_rows() pads empty rows above the data but not empty columns to its left;
            # to_python(skip_empty_area=False) pads both. Rare enough to take whole.
            rows = sheet.to_python(skip_empty_area=False)
            for first in range(0, len(rows), BATCH_ROWS):
                yield rows[first:first + BATCH_ROWS]
            return
        batch: list[list] = []
        for row in sheet.iter_rows():
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                yield batch
                batch = []
        if batch:
            yield batch


MAX_MERGED_RANGES = 100_000


def _merged_ranges(sheet, max_rows: int, max_cols: int) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges within the rows and columns accepted (more than MAX_MERGED_RANGES
    are left unread: a register has a few hundred at most)."""
    found = []
    for (first_row, first_col), (last_row, last_col) in (sheet.merged_cell_ranges or [])[:MAX_MERGED_RANGES]:
        if first_row < max_rows and first_col < max_cols:
            found.append((int(first_row), int(first_col), min(int(last_row), max_rows - 1),
                          min(int(last_col), max_cols - 1)))
    return found


class _RowsUnpickler(pickle.Unpickler):
    """Cell values only: the child handles hostile files, so its output is not trusted with code."""

    _ALLOWED = frozenset({("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"),
                          ("datetime", "timedelta"), ("datetime", "timezone")})

    def find_class(self, module: str, name: str):
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a cell value")


def _child_died(returncode: int | None) -> SheetError:
    return SheetError(
        "sheet_too_large",
        "อ่านไฟล์ไม่สำเร็จ: ชีตต้องใช้หน่วยความจำเกินที่กำหนดหรือไฟล์เสีย "
        "ให้คัดลอกเฉพาะช่วงข้อมูลไปวางในไฟล์ใหม่แล้วอัปโหลดอีกครั้ง",
        "The file could not be read: the sheet needs more memory than allowed, or the file is damaged; "
        f"copy just the data into a new file and upload that (reader exit {returncode})",
    )


def _read_isolated(path: str, info: SheetInfo, max_rows: int, max_cols: int,
                   timeout: float, memory_limit: int, number: int = 0) -> Sheet:
    command = [sys.executable, "-P", os.path.abspath(__file__), "--worker",
               path, info.sheet_name if info.sheet_name is not None else "", str(max_rows), str(max_cols),
               str(memory_limit), info.format, info.sheet_part or "", str(number)]
    env = {**os.environ, "RUST_BACKTRACE": "0"}
    rows: list[list] = []
    error_positions: list[ErrorPosition] = []
    texts: list[tuple[int, int, str]] = []
    outcome: dict[str, object] = {"sheet": (info.sheet_name or "", info.sheet_names, ())}

    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors,
                                 env=env, close_fds=True)

        def receive() -> None:
            stream = child.stdout
            try:
                while True:
                    header = stream.read(8)
                    if len(header) < 8:
                        return
                    (length,) = struct.unpack("<Q", header)
                    if length > MAX_FRAME_BYTES:
                        raise ValueError(f"frame of {length} bytes")
                    payload = stream.read(length)
                    if len(payload) < length:
                        return
                    message = _RowsUnpickler(io.BytesIO(payload)).load()
                    if message[0] == "rows":
                        rows.extend(message[1])
                    elif message[0] == "sheet":
                        outcome["sheet"] = (str(message[1]), tuple(str(name) for name in message[2]),
                                            tuple(tuple(int(n) for n in merged) for merged in message[3]))
                    elif message[0] == "error_cells":
                        error_positions.extend(message[1])
                    elif message[0] == "text_cells":
                        texts.extend(message[1])
                    elif message[0] == "error":
                        outcome["error"] = SheetError(*message[1:4])
                    elif message[0] == "done":
                        outcome["done"] = True
            except Exception as error:  # a broken stream is reported like a dead child
                outcome["broken"] = error

        receiver = threading.Thread(target=receive, name="sheet-reader", daemon=True)
        receiver.start()
        receiver.join(timeout)
        timed_out = receiver.is_alive()
        if timed_out:
            child.kill()
            receiver.join()
        returncode = child.wait()
        child.stdout.close()

        if timed_out:
            raise SheetError(
                "timeout",
                f"อ่านไฟล์ไม่เสร็จภายใน {timeout:.0f} วินาที ให้แบ่งไฟล์เป็นส่วนเล็กลง",
                f"Reading the file did not finish within {timeout:.0f} seconds; split it into smaller files",
            )
        if "error" in outcome:
            raise outcome["error"]
        if not outcome.get("done") or returncode != 0:
            errors.seek(0)
            tail = errors.read()[-2000:].decode("utf-8", "replace")
            log.warning("sheet reader child failed (exit %s, %s): %s", returncode, outcome.get("broken"), tail)
            raise _child_died(returncode)
    mark_text_cells(rows, texts)
    mark_error_cells(rows, error_positions)
    name, names, merged = outcome["sheet"]
    return Sheet(rows, name, number, names, merged)


def read_sheet(
    path: str | os.PathLike,
    *,
    sheet: int = 0,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_cols: int = DEFAULT_MAX_COLS,
    isolated: bool = True,
    timeout: float = ISOLATED_TIMEOUT_SECONDS,
    memory_limit: int = ISOLATED_MEMORY_BYTES,
) -> Sheet:
    """Visible worksheet number `sheet` (from 0) with its rows from A1. Raises SheetError
    ('no_more_sheets' past the last one). See the module docstring."""
    info = inspect_upload(path, max_rows=max_rows, max_cols=max_cols, sheet=sheet)
    path = os.fspath(path)
    if isolated or info.format == "ods":
        return _read_isolated(path, info, max_rows, max_cols, timeout, memory_limit, sheet)
    scan = _ErrorScan(error_cells, path, info.format, info.sheet_part, sheet)
    scan.start()
    told: dict[str, tuple] = {}
    rows = [row for batch in _read_batches(path, info.sheet_name, max_rows, max_cols, sheet,
                                           on_sheet=lambda *sheet: told.update(sheet=sheet))
            for row in batch]
    mark_error_cells(rows, scan.result())
    name, names, merged = told.get("sheet", (info.sheet_name or "", info.sheet_names, ()))
    return Sheet(rows, name, sheet, names, tuple(merged))


def read_rows(
    path: str | os.PathLike,
    *,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_cols: int = DEFAULT_MAX_COLS,
    isolated: bool = True,
    timeout: float = ISOLATED_TIMEOUT_SECONDS,
    memory_limit: int = ISOLATED_MEMORY_BYTES,
) -> list[list]:
    """Rows of the first visible worksheet, from A1. Raises SheetError. See the module docstring."""
    return read_sheet(path, max_rows=max_rows, max_cols=max_cols, isolated=isolated, timeout=timeout,
                      memory_limit=memory_limit).rows


# --- the child ------------------------------------------------------------------------------


def _worker(arguments: list[str]) -> int:
    import resource

    path, sheet_name, max_rows, max_cols, memory_limit, kind, part, number = arguments
    resource.setrlimit(resource.RLIMIT_AS, (int(memory_limit), int(memory_limit)))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    out = sys.stdout.buffer

    def send(message: tuple) -> None:
        payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        out.write(struct.pack("<Q", len(payload)))
        out.write(payload)

    told: list = []
    ods_scan: _ErrorScan | None = None

    def on_sheet(name: str, names: tuple[str, ...], merged: list) -> None:
        nonlocal ods_scan
        told[:] = [name, list(names)]
        if kind == "ods":  # which table is known only now; its merged ranges are told at the end
            ods_scan = _ErrorScan(ods_sheet.scan, path, name, int(max_rows), int(max_cols))
            ods_scan.start()
        send(("sheet", name, list(names), merged))

    try:
        scan = None if kind == "ods" else _ErrorScan(error_cells, path, kind, part or None, int(number))
        if scan is not None:
            scan.start()
        for batch in _read_batches(path, sheet_name or None, int(max_rows), int(max_cols), int(number),
                                   on_sheet=on_sheet):
            # Registers repeat the same texts (province, status, case type) down a column. One
            # object per distinct text lets pickle send each once: a quarter of the bytes, and
            # the parent unpickles three times faster and keeps one copy of each.
            seen: dict[str, str] = {}
            batch = [[seen.setdefault(value, value) if type(value) is str else value for value in row]
                     for row in batch]
            send(("rows", batch))
        if ods_scan is not None:
            marks = ods_scan.result()
            send(("error_cells", marks.errors))
            send(("text_cells", marks.texts))
            send(("sheet", *told, marks.merged))  # the parent keeps the last it is told
        elif scan is not None:
            send(("error_cells", scan.result()))
        send(("done",))
    except SheetError as error:
        send(("error", error.code, error.message_th, error.message_en))
    except MemoryError:
        return 3
    out.flush()
    return 0


if __name__ == "__main__" and sys.argv[1:2] == ["--worker"]:
    sys.exit(_worker(sys.argv[2:]))

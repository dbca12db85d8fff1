"""Columns of a case register in Excel: what each is called, in Thai and English, and where the
header row is.

COLUMNS is the one table of fields. Its (th, en) labels head the import template and the export,
and count as aliases, so an exported file imports again. Legacy registers name the same column
many ways ('เบอร์โทร', 'โทรศัพท์', 'Phone'); matching ignores case, spaces, punctuation and Thai
digits, a bracketed hint ('วันที่รับเรื่อง (วว/ดด/ปปปป)') and either half of a bilingual header
('เลขที่เรื่อง / Tracking code').

Pure: no Flask or database.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.domain.excel_cells import CellError, is_blank, thai_digits_to_ascii

MIN_HEADER_MATCHES = 3
MAX_HEADER_SCAN = 20


@dataclass(frozen=True)
class Column:
    field: str
    th: str
    en: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    importable: bool = True
    # In the import template (and IMPORT_FIELDS); a column read when a register has it, not offered.
    in_template: bool = True


COLUMNS: tuple[Column, ...] = (
    Column("tracking_code", "เลขที่เรื่อง", "Tracking code",
           ("เลขเรื่อง", "รหัสเรื่อง", "Tracking no.", "Tracking number", "Case no.", "Case number",
            "Ticket ID")),
    Column("external_ref", "เลขอ้างอิงระบบกรม", "Department reference",
           ("เลขอ้างอิง", "เลขที่อ้างอิง", "รหัสอ้างอิง", "Reference", "Ref.", "Reference no.",
            "External reference", "External ref.",
            # The office's incoming-mail register (ทะเบียนหนังสือรับ) numbers each item once.
            "เลขทะเบียนรับ", "เลขที่ทะเบียนรับ", "เลขรับ", "เลขที่รับ", "เลขรับที่")),
    Column("case_type", "ประเภทเรื่อง", "Case type",
           ("ประเภท", "ประเภทคำขอ", "ประเภทเรื่องร้องเรียน", "ประเภทคำร้อง", "ประเภทการร้องเรียน", "Type",
            "Category"), required=True),
    Column("title", "เรื่อง", "Title",
           ("หัวเรื่อง", "ชื่อเรื่อง", "เรื่องร้องเรียน", "เรื่องที่ร้องเรียน", "ประเด็นร้องเรียน", "Subject"),
           required=True),
    Column("description", "รายละเอียด", "Description",
           ("รายละเอียดเรื่อง", "รายละเอียดการร้องเรียน", "รายละเอียดคำขอ", "ข้อเท็จจริง", "Details", "Detail",
            "Comment")),
    Column("requester_name", "ชื่อผู้ร้อง/ผู้ยื่น", "Requester",
           ("ชื่อผู้ร้อง", "ชื่อผู้ยื่น", "ผู้ร้อง", "ผู้ยื่น", "ชื่อผู้ร้องเรียน", "ผู้ร้องเรียน",
            "ชื่อผู้ยื่นคำขอ", "ผู้ยื่นคำขอ", "ชื่อ-สกุล", "ชื่อ-นามสกุล", "Requester name", "Applicant",
            "Complainant", "Name")),
    Column("requester_phone", "เบอร์โทรศัพท์", "Phone",
           ("เบอร์โทร", "โทรศัพท์", "หมายเลขโทรศัพท์", "เบอร์ติดต่อ", "โทร", "มือถือ", "เบอร์มือถือ", "โทรศัพท์มือถือ",
            "Telephone", "Tel.", "Mobile", "Phone number", "Phone no.")),
    Column("requester_email", "อีเมล", "Email",
           ("อีเมล์", "อีเมลผู้ร้อง", "E-mail", "E-mail address", "Email address")),
    Column("requester_id", "เลขประจำตัวประชาชน/เลขทะเบียนนิติบุคคล", "Citizen or juristic ID",
           ("เลขประจำตัวประชาชน", "เลขบัตรประชาชน", "เลขบัตรประจำตัวประชาชน", "เลขทะเบียนนิติบุคคล",
            "เลขประจำตัวผู้เสียภาษี", "เลขประจำตัว", "ID", "ID no.", "National ID", "Citizen ID",
            "Juristic ID", "Tax ID")),
    Column("province", "จังหวัด", "Province", ("จังหวัดที่เกิดเหตุ",)),
    Column("district", "อำเภอ/เขต", "District", ("อำเภอ", "เขต")),
    Column("subdistrict", "ตำบล/แขวง", "Subdistrict", ("ตำบล", "แขวง", "Sub-district")),
    Column("latitude", "ละติจูด", "Latitude", ("Lat",)),
    Column("longitude", "ลองจิจูด", "Longitude", ("Lon", "Lng", "Long")),
    Column("status", "สถานะ", "Status", ("สถานะเรื่อง", "สถานะการดำเนินการ", "State")),
    # ชั้นความเร็ว: the speed class of official correspondence (ด่วนที่สุด, ด่วนมาก, ด่วน).
    Column("priority", "ความเร่งด่วน", "Priority", ("ระดับความเร่งด่วน", "ชั้นความเร็ว", "Urgency")),
    Column("channel", "ช่องทาง", "Channel", ("ช่องทางรับเรื่อง", "ช่องทางการร้องเรียน", "ช่องทางการรับเรื่อง",
                                             "ช่องทางที่รับเรื่อง", "Source")),
    Column("submitted_at", "วันที่รับเรื่อง", "Submitted",
           ("วันที่ยื่น", "วันที่ร้องเรียน", "วันที่รับ", "วันที่ยื่นคำขอ", "วันเดือนปีที่รับเรื่อง", "ว/ด/ป ที่รับเรื่อง",
            "วันที่รับแจ้ง", "วันที่ลงรับ", "วันที่รับคำร้อง", "วันที่รับคำขอ", "วันที่รับเรื่องร้องเรียน",
            # One column for both: not the time column ('วัน/เวลา' would read as its half 'เวลา').
            "วัน/เวลา", "วันที่/เวลา", "วันเวลาที่รับเรื่อง", "วันที่เวลาที่รับเรื่อง", "วัน/เวลา ที่รับเรื่อง",
            "วันที่และเวลา", "วันและเวลา", "Date/time", "Date and time",
            "Submitted at", "Date submitted",
            "Received", "Date received", "Received date", "Timestamp"), required=True),
    # The time received in its own column beside the date, as many registers keep it.
    Column("submitted_time", "เวลาที่รับเรื่อง", "Time received",
           ("เวลา", "เวลารับเรื่อง", "เวลาที่รับ", "เวลารับ", "Time", "Time submitted"), in_template=False),
    Column("closed_at", "วันที่ปิดเรื่อง", "Closed",
           ("วันที่แล้วเสร็จ", "วันที่ดำเนินการแล้วเสร็จ", "วันที่ดำเนินการเสร็จ", "วันที่เสร็จสิ้น", "วันที่ยุติเรื่อง",
            "วันเดือนปีที่ปิดเรื่อง", "ว/ด/ป ที่ปิดเรื่อง", "Closed at", "Date closed")),
    Column("note", "หมายเหตุ", "Note", ("Notes", "Remark", "Remarks")),
    # Export only: computed or implied by who imports. Recognised on import, then left aside.
    Column("agency", "หน่วยงาน", "Agency", importable=False),
    Column("kind", "ชนิดเรื่อง", "Kind", importable=False),
    Column("due_at", "วันครบกำหนด", "Due date", importable=False),
    Column("sla_flag", "สถานะตามกำหนดเวลา", "SLA status", importable=False),
    Column("updated_at", "ปรับปรุงล่าสุด", "Last updated", importable=False),
)

COLUMNS_BY_FIELD = {column.field: column for column in COLUMNS}
IMPORT_FIELDS: tuple[str, ...] = tuple(column.field for column in COLUMNS
                                       if column.importable and column.in_template)
REQUIRED_FIELDS: tuple[str, ...] = tuple(column.field for column in COLUMNS if column.required)
# field -> (Thai header, English header), in column order: the template and the export use this.
EXPORT_HEADERS: dict[str, tuple[str, str]] = {column.field: (column.th, column.en) for column in COLUMNS}


def header_label(field_name: str, lang: str) -> str:
    th, en = EXPORT_HEADERS[field_name]
    return th if lang == "th" else en


# The template's second sheet, which explains the first: an import reads past it without a word.
HELP_SHEET = "คำอธิบาย Help"

# The import template's example row. A row equal to it in reference and title is that row, left
# in by mistake (app.domain.case_import refuses it).
TEMPLATE_EXAMPLE = {
    "external_ref": "REG-2568-0001", "case_type": None, "title": "กลิ่นเหม็นจากโรงงาน", "description": "",
    "requester_name": "นายสมชาย ใจดี", "requester_phone": "081-234-5678", "province": "ระยอง",
    "status": "รอรับเรื่อง", "channel": "โทรศัพท์", "priority": "ปกติ", "submitted_at": "18/12/2567",
}


def column_letter(index: int) -> str:
    """0 -> 'A', 26 -> 'AA': a column as Excel names it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def template_headers(lang: str) -> list[str]:
    """Header row of the import template: importable fields in order, in Thai, in English, or
    (`both`) as 'Thai / English' in each cell."""
    if lang == "both":
        return [" / ".join(EXPORT_HEADERS[name]) for name in IMPORT_FIELDS]
    return [header_label(name, lang) for name in IMPORT_FIELDS]


_BRACKETED = re.compile(r"[(\[{（].*?[)\]}）]")
_HALVES = re.compile(r"\s*(?:/|\||\n)\s*")


def normalise_header(text: str) -> str:
    """'Tracking No.' -> 'trackingno'; 'ชื่อ-สกุล' -> 'ชื่อสกุล'. Keeps letters, marks and digits only."""
    text = unicodedata.normalize("NFKC", thai_digits_to_ascii(text)).casefold()
    return "".join(char for char in text if unicodedata.category(char)[0] in "LMN")


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for column in COLUMNS:
        for name in (column.field, column.th, column.en, *column.aliases):
            key = normalise_header(name)
            if index.setdefault(key, column.field) != column.field:
                raise ValueError(f"header alias {name!r} names both {index[key]} and {column.field}")
    return index


ALIAS_INDEX: dict[str, str] = _build_index()
# The two columns the import's errors workbook puts in front of each bad row.
ERRORS_ROW_HEADER = "แถวในไฟล์ / Row"
ERRORS_MESSAGE_HEADER = "ข้อผิดพลาด / Errors"
# A running number column ('ลำดับ') is common in registers and means nothing on import; nor do
# the errors workbook's own columns, when the clerk imports it once corrected.
ROW_NUMBER = "row_number"
_ROW_NUMBER_HEADERS = frozenset(normalise_header(name) for name in (
    "ลำดับ", "ลำดับที่", "ที่", "No.", "Seq.", "Row", ERRORS_ROW_HEADER, ERRORS_MESSAGE_HEADER))


# Whose the value is, or what it is for, as registers add it to a header: 'เบอร์โทรผู้ร้อง',
# 'เบอร์โทรศัพท์ติดต่อ', 'ชื่อ-สกุล ผู้ร้องเรียน', 'เลขประจำตัวประชาชน 13 หลัก', 'Requester phone'.
_QUALIFIER_SUFFIXES = tuple(sorted({normalise_header(text) for text in (
    "ผู้ร้องเรียน", "ผู้ร้อง", "ผู้ยื่นคำขอ", "ผู้ยื่น", "ของผู้ร้องเรียน", "ของผู้ร้อง", "ติดต่อ", "13 หลัก")},
    key=len, reverse=True))
_QUALIFIER_PREFIXES = tuple(normalise_header(text) for text in ("Requester", "Complainant", "Applicant"))
# Only the requester's own details are read through qualifiers: 'ประเภทผู้ร้อง' (a person or a
# company) is not the case type, nor 'จังหวัดผู้ร้อง' (where they live) the province of the case.
_QUALIFIED_FIELDS = frozenset({"requester_name", "requester_phone", "requester_email", "requester_id"})


def _unqualified(key: str) -> str | None:
    """The field a normalised header names once the qualifiers around it are taken off."""
    for _ in range(3):
        for suffix in _QUALIFIER_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[:-len(suffix)]
                break
        else:
            for prefix in _QUALIFIER_PREFIXES:
                if key.startswith(prefix) and len(key) > len(prefix):
                    key = key[len(prefix):]
                    break
            else:
                return None
        if found := ALIAS_INDEX.get(key):
            return found if found in _QUALIFIED_FIELDS else None
    return None


def match_header(text: object) -> str | None:
    """Field a header cell names, or None."""
    if not isinstance(text, str):
        return None
    key = normalise_header(text)
    if found := ALIAS_INDEX.get(key) or _unqualified(key):
        return found
    unbracketed = _BRACKETED.sub(" ", text)
    if found := ALIAS_INDEX.get(normalise_header(unbracketed)):
        return found
    # 'เลขที่เรื่อง / Tracking code' or 'เลขที่เรื่อง (Tracking code)': every named half must agree.
    halves = [*_HALVES.split(unbracketed), *(inner[1:-1] for inner in _BRACKETED.findall(text))]
    fields = {ALIAS_INDEX.get(normalise_header(half)) for half in halves if normalise_header(half)}
    fields.discard(None)
    return fields.pop() if len(fields) == 1 else None


@dataclass
class HeaderMatch:
    """Where the header row is and what each column holds. Indexes are 0-based."""

    row_index: int
    columns: dict[int, str]
    unknown: list[tuple[int, str]] = field(default_factory=list)
    duplicates: dict[str, list[int]] = field(default_factory=dict)
    ignored: list[tuple[int, str]] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    # The header as read: the row's cells, or a two-level header's labels put together.
    cells: list = field(default_factory=list)

    @property
    def column_of(self) -> dict[str, int]:
        return {name: index for index, name in self.columns.items()}


class HeaderNotFound(CellError):
    pass


def _cell_text(value: object) -> str | None:
    if isinstance(value, str):
        text = value.strip()
        return text or None
    return None


def _match_row(cells: Sequence[object]) -> HeaderMatch:
    found = HeaderMatch(row_index=-1, columns={})
    first_column: dict[str, int] = {}
    for index, value in enumerate(cells):
        text = _cell_text(value)
        if text is None:
            if value not in (None, ""):
                found.unknown.append((index, str(value)))
            continue
        name = match_header(text)
        if name is None and normalise_header(text) in _ROW_NUMBER_HEADERS:
            found.ignored.append((index, ROW_NUMBER))
        elif name is None:
            found.unknown.append((index, text))
        elif not COLUMNS_BY_FIELD[name].importable:
            found.ignored.append((index, name))
        elif name in first_column:
            found.duplicates.setdefault(name, [first_column[name]]).append(index)
        else:
            first_column[name] = index
            found.columns[index] = name
    found.missing_required = [name for name in REQUIRED_FIELDS if name not in first_column]
    return found


Merged = tuple[int, int, int, int]  # first row, first column, last row, last column; 0-based


def find_header_row(
    rows: Sequence[Sequence[object]], max_scan: int = MAX_HEADER_SCAN, min_matches: int = MIN_HEADER_MATCHES,
    merged: Iterable[Merged] = (),
) -> HeaderMatch:
    """The first of the top max_scan rows naming at least min_matches different fields.

    Title rows above it (merged cells read as one value and blanks) are skipped. Given the sheet's
    merged ranges, a two-level header is read as one (two_level_header). Unknown headers,
    export-only columns and fields named twice (the first column wins) are reported, not fatal;
    missing required fields are listed for the caller to refuse. Raises HeaderNotFound.
    """
    for row_index, cells in enumerate(rows):
        if row_index >= max_scan:
            break
        found = _match_row(cells)
        found.row_index, found.cells = row_index, list(cells)
        for candidate in (two_level_header(rows, found, merged), found):
            if candidate is not None and len(candidate.columns) + sum(
                    1 for _, name in candidate.ignored if name != ROW_NUMBER) >= min_matches:
                return candidate
    raise HeaderNotFound(
        "header_not_found",
        f"ไม่พบแถวหัวตารางใน {max_scan} แถวแรก ต้องมีหัวคอลัมน์ที่รู้จักอย่างน้อย {min_matches} คอลัมน์ "
        "เช่น เลขที่เรื่อง ประเภทเรื่อง เรื่อง วันที่รับเรื่อง",
        f"No header row in the first {max_scan} rows: at least {min_matches} known column names are needed, "
        "such as Tracking code, Case type, Title, Submitted",
    )


def two_level_header(rows: Sequence[Sequence[object]], found: HeaderMatch,
                     merged: Iterable[Merged]) -> HeaderMatch | None:
    """A header of two rows, as offices draw them: a group label merged across the columns under
    it ('ผู้ร้อง' over 'ชื่อ' and 'โทรศัพท์', 'วันที่' over 'รับเรื่อง' and 'ปิดเรื่อง'), the other
    labels merged down both rows. Each grouped column is named by its own label with the group's
    ('ชื่อผู้ร้อง', 'วันที่รับเรื่อง'), or alone; the data starts below the second row. None when
    the header row groups nothing, holds nothing else (a title merged across the sheet), or the
    row below is not labels under its groups alone (a case under a header cell merged for width)."""
    top = found.row_index
    groups = [(first_col, last_col) for first_row, first_col, last_row, last_col in merged
              if first_row == last_row == top and last_col > first_col]
    if not groups or top + 1 >= len(rows):
        return None
    upper, lower = list(rows[top]), list(rows[top + 1])
    grouped = {col for first, last in groups for col in range(first, last + 1)}
    if not any(_cell_text(value) for col, value in enumerate(upper) if col not in grouped):
        return None  # a title merged across the top, not a header's group
    if not any(_cell_text(lower[col]) for first, last in groups for col in range(first, last + 1)
               if col < len(lower)):
        return None
    width = max(len(upper), len(lower), max(last for _, last in groups) + 1)
    labels: list[object] = [upper[col] if col < len(upper) else None for col in range(width)]
    for col, value in enumerate(lower):
        if col in grouped or is_blank(value):
            continue
        if not match_header(value):
            return None  # the first case under a header cell merged across two columns for width
        if not match_header(labels[col]):
            labels[col] = value  # a label under an ungrouped one ('สถานะ' under 'ผลการดำเนินการ')
    for first, last in groups:
        group = _cell_text(upper[first]) if first < len(upper) else None
        for col in range(first, last + 1):
            own = _cell_text(lower[col]) if col < len(lower) else None
            if own is None:
                labels[col] = None
                continue
            tried = [f"{group} {own}", f"{own} {group}"] if group else []
            labels[col] = next((text for text in tried if match_header(text)), own)
    if not any(match_header(labels[col]) for first, last in groups for col in range(first, last + 1)
               if isinstance(labels[col], str)):
        return None
    combined = _match_row(labels)
    combined.row_index = top + 1
    combined.cells = labels
    return combined


def spread_merged_cells(rows: list[list], merged: Iterable[Merged], header_row: int) -> None:
    """Merged cells below the header row, as the clerk means them (rows changed in place):
    - a cell merged down over several rows holds the value of each ('วันที่รับเรื่อง' or 'สถานะ'
      merged over the cases it applies to), so it is copied down its first column, into the rows
      that hold something else (a note merged over empty rows does not make them cases);
    - a row that is one cell merged across three columns or more, and nothing else, is a divider
      ('ประจำเดือนธันวาคม ๒๕๖๗'), not a case: it is emptied.
    Cells merged across columns within a row keep their value in the first column only."""
    for first_row, first_col, last_row, last_col in merged:
        if first_row <= header_row or first_row >= len(rows):
            continue
        cells = rows[first_row]
        value = cells[first_col] if first_col < len(cells) else None
        if last_row > first_row:
            for row in range(first_row + 1, min(last_row, len(rows) - 1) + 1):
                below = rows[row]
                if all(is_blank(cell) for cell in below):
                    continue  # a box merged over empty rows: they stay empty
                if first_col >= len(below):
                    below.extend([""] * (first_col + 1 - len(below)))
                if is_blank(below[first_col]):
                    below[first_col] = value
        elif last_col - first_col >= 2 and all(is_blank(cell) for col, cell in enumerate(cells)
                                               if not first_col <= col <= last_col):
            rows[first_row] = []

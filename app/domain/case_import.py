"""The pure half of the Excel import: one register row in, the case fields it gives out, or the
reasons it cannot be read, each naming its row and column.

What a row means:
- it names an existing case by its tracking code, or by its reference in the departmental system
  (unique per agency); a row naming neither creates a case, and needs a reference so that
  importing the same file again finds that case instead of creating it twice;
- an empty cell leaves the stored value alone: legacy registers are partial, and a blank is
  more often a column nobody filled than a wish to erase;
- values are read as legacy sheets hold them (app.domain.excel_cells), then checked by the same
  rules as every other surface (app.domain.case_rules.validate_case_fields), plus the rules on
  statuses and dates below.

No Flask and no database: the service looks cases up and writes them (app.services.case_import).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from app.domain import excel_cells as cells
from app.domain.case_rules import MAX_LENGTHS, ValidationFailed, validate_case_fields, without_label
from app.domain.excel_cells import CellError
from app.domain.sheet_headers import COLUMNS_BY_FIELD, TEMPLATE_EXAMPLE, HeaderMatch, normalise_header
from app.domain.statuses import (
    CHANNEL_LABELS, CLOSED_STATUSES, PRIORITY_LABELS, STATUS_LABELS, Channel, Priority, Status,
)
from app.domain.tracking import parse_tracking_code

# Fields written onto the case as they are; the others steer the import (which case, which status).
CASE_FIELDS = (
    "case_type_id", "title", "description", "requester_name", "requester_phone", "requester_email",
    "requester_id", "province", "district", "subdistrict", "latitude", "longitude", "priority", "channel",
    "external_ref",
)
# Compared with the stored case to tell updated rows from unchanged ones, in this order.
COMPARED_FIELDS = CASE_FIELDS + ("status", "submitted_at", "closed_at")
REQUIRED_FOR_NEW = ("case_type", "title", "submitted_at")
# Fields whose cell parser applies every rule case_rules has for them, and more: control characters
# and length from the same MAX_LENGTHS for texts, the canonical shape for phones and IDs. A second
# pass through validate_case_fields would change nothing (tests/unit/test_case_import_rules.py
# checks that it accepts what the parsers give), so only the other fields take it.
CELL_CHECKED = frozenset({"title", "description", "requester_name", "district", "subdistrict", "external_ref",
                          "requester_phone", "requester_id"})
# How many distinct values of one column are remembered with their parsed result: registers
# repeat provinces, types, statuses and dates down a column.
PARSE_CACHE_LIMIT = 50_000


@dataclass(frozen=True)
class TypeRef:
    """A case type as the import needs it."""

    id: int
    code: str
    agency_code: str
    kind: str
    sla_days: int
    at_risk_share: float
    name_th: str = ""
    name_en: str = ""
    # A type no longer in use still names the cases filed under it (an export of them imports
    # back), but no new case and no case moved to it.
    active: bool = True


@dataclass(frozen=True)
class ImportContext:
    """What rows are read against: the importing agency, the case types, today (Bangkok) and now."""

    agency_code: str
    agency_id: int
    case_types: Sequence[TypeRef]
    # Normalised agency codes and names -> code, to refuse rows that name another agency.
    agency_names: Mapping[str, str]
    today: date
    # The moment of the import (aware): a register records what has happened, so no date
    # received or closing date after it. Without it, dates are checked by the day only.
    now: datetime | None = None

    def __post_init__(self):
        index: dict[str, TypeRef] = {}
        # Names are unique within an agency, not across agencies: the importing agency's own type
        # wins a name it shares with another's; then the types in use before those retired.
        ranked = sorted(self.case_types, key=lambda t: (t.agency_code != self.agency_code, not t.active))
        for case_type in ranked:
            for name in (case_type.code, case_type.name_th, case_type.name_en):
                if name:
                    index.setdefault(normalise_header(name), case_type)
        object.__setattr__(self, "_type_index", index)

    def case_type(self, text: str) -> TypeRef | None:
        return self._type_index.get(normalise_header(text))


@dataclass
class RowIssue:
    """Why a cell or a row was refused: Excel row number, the column as headed in the file."""

    row: int
    column: str
    field: str
    code: str
    message_th: str
    message_en: str

    def message(self, lang: str) -> str:
        return self.message_th if lang == "th" else self.message_en

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "field": self.field, "code": self.code,
                "message": self.message_en, "message_th": self.message_th}


@dataclass(slots=True)
class ImportRow:
    row: int
    cells: Sequence[Any]
    values: dict[str, Any] = field(default_factory=dict)
    tracking_code: str | None = None
    case_type: TypeRef | None = None
    status: str | None = None
    submitted_at: datetime | None = None
    closed_at: datetime | None = None
    note: str | None = None
    issues: list[RowIssue] = field(default_factory=list)

    @property
    def external_ref(self) -> str | None:
        return self.values.get("external_ref")

    @property
    def ok(self) -> bool:
        return not self.issues


# --- reading one cell -----------------------------------------------------------------------


def _labels_index(labels: Mapping[str, tuple[str, str]], extra: Mapping[str, str]) -> dict[str, str]:
    index: dict[str, str] = {}
    for value, (th, en) in labels.items():
        names = [str(value), th, en, *(half for half in th.split("/") if half.strip())]
        for name in names:
            index.setdefault(normalise_header(name), str(value))
    for name, value in extra.items():
        index.setdefault(normalise_header(name), value)
    return index


# Words registers use for the same statuses, channels and priorities.
STATUS_WORDS = _labels_index(STATUS_LABELS, {
    "รับเรื่อง": Status.RECEIVED, "รับเรื่องแล้ว": Status.RECEIVED, "เรื่องใหม่": Status.RECEIVED, "new": Status.RECEIVED,
    "open": Status.RECEIVED,
    "อยู่ระหว่างดำเนินการ": Status.IN_PROGRESS, "ระหว่างดำเนินการ": Status.IN_PROGRESS, "ดำเนินการ": Status.IN_PROGRESS,
    "รอเอกสาร": Status.WAITING_APPLICANT, "รอข้อมูล": Status.WAITING_APPLICANT,
    "รอเอกสารเพิ่มเติม": Status.WAITING_APPLICANT, "waiting": Status.WAITING_APPLICANT,
    "ดำเนินการแล้วเสร็จ": Status.RESOLVED, "แล้วเสร็จ": Status.RESOLVED, "เสร็จ": Status.RESOLVED,
    "ยุติเรื่อง": Status.RESOLVED, "done": Status.RESOLVED, "closed": Status.RESOLVED,
    "ไม่อนุญาต": Status.REJECTED, "ไม่รับเรื่อง": Status.REJECTED, "ยกเลิกคำขอ": Status.CANCELLED,
    "ถอนเรื่อง": Status.CANCELLED,
    "ยุติ": Status.RESOLVED, "ยุติเรื่องแล้ว": Status.RESOLVED, "เรียบร้อย": Status.RESOLVED,
    "เรียบร้อยแล้ว": Status.RESOLVED, "ดำเนินการเรียบร้อย": Status.RESOLVED, "ดำเนินการเรียบร้อยแล้ว": Status.RESOLVED,
    "ดำเนินการเสร็จสิ้น": Status.RESOLVED, "เสร็จสิ้นแล้ว": Status.RESOLVED,
    "ปิดเรื่อง": Status.RESOLVED, "ปิดเรื่องแล้ว": Status.RESOLVED, "ปิดงาน": Status.RESOLVED,
    # A request granted is resolved; one refused is rejected (above).
    "อนุมัติ": Status.RESOLVED, "อนุมัติแล้ว": Status.RESOLVED, "อนุญาต": Status.RESOLVED, "อนุญาตแล้ว": Status.RESOLVED,
    "completed": Status.RESOLVED, "complete": Status.RESOLVED,
    "อยู่ระหว่างพิจารณา": Status.IN_PROGRESS, "อยู่ระหว่างตรวจสอบ": Status.IN_PROGRESS,
    "อยู่ระหว่างการพิจารณา": Status.IN_PROGRESS, "อยู่ระหว่างการตรวจสอบ": Status.IN_PROGRESS,
    "รอพิจารณา": Status.RECEIVED, "รอการพิจารณา": Status.RECEIVED, "pending": Status.RECEIVED,
    "canceled": Status.CANCELLED,
})
CHANNEL_WORDS = _labels_index(CHANNEL_LABELS, {
    "โทร": Channel.PHONE, "สายด่วน": Channel.PHONE, "1569": Channel.PHONE, "จดหมาย": Channel.LETTER,
    "หนังสือราชการ": Channel.LETTER, "มาด้วยตนเอง": Channel.WALK_IN, "walkin": Channel.WALK_IN,
    "เว็บ": Channel.WEB, "website": Channel.WEB, "ไลน์": Channel.LINE, "traffy": Channel.TRAFFY,
    "สายด่วน 1569": Channel.PHONE, "1111": Channel.PHONE, "สายด่วน 1111": Channel.PHONE,
    "โทรสาร": Channel.LETTER, "แฟกซ์": Channel.LETTER, "fax": Channel.LETTER,
    "ร้องเรียนด้วยตนเอง": Channel.WALK_IN, "ด้วยตนเอง": Channel.WALK_IN, "line oa": Channel.LINE,
})
PRIORITY_WORDS = _labels_index(PRIORITY_LABELS, {
    "ด่วน": Priority.HIGH, "ด่วนมาก": Priority.HIGH, "ไม่ด่วน": Priority.LOW, "สูง": Priority.HIGH,
    "เร่งด่วน": Priority.HIGH, "ด่วนพิเศษ": Priority.URGENT,
})


def _choice(index: Mapping[str, str], labels: Mapping[str, tuple[str, str]], what_th: str, what_en: str):
    allowed_th = ", ".join(th for th, _ in labels.values())
    allowed_en = ", ".join(en for _, en in labels.values())

    def parse(value: Any, _context: ImportContext) -> str | None:
        text = cells.clean_text(value)
        if text is None:
            return None
        found = index.get(normalise_header(text))
        if found is None:
            raise CellError(f"unknown_{what_en.lower()}", f"ไม่รู้จัก{what_th} '{text}' (ใช้: {allowed_th})",
                            f"Unknown {what_en.lower()} '{text}' (use: {allowed_en})", value=value)
        return found

    return parse


def _text(field_name: str, limit: int | None = None):
    limit = limit or MAX_LENGTHS.get(field_name)

    def parse(value: Any, _context: ImportContext) -> str | None:
        return cells.clean_text(value, limit)

    return parse


# Dashes as Word puts them in a pasted code (en, em, minus...), spaced or not; or spaces alone.
_CODE_SEPARATORS = re.compile(r"\s*[\u2010-\u2015\u2212-]\s*|\s+")
_UNPADDED_CODE = re.compile(r"^([A-Za-z]{2,12})-(\d{4})-(\d{1,5})$")


def _tracking_code(value: Any, _context: ImportContext) -> str | None:
    text = cells.clean_text(value)
    if text is None:
        return None
    typed = _CODE_SEPARATORS.sub("-", cells.thai_digits_to_ascii(text))
    unpadded = _UNPADDED_CODE.match(typed)
    if unpadded and int(unpadded.group(3)):
        typed = f"{unpadded.group(1)}-{unpadded.group(2)}-{int(unpadded.group(3)):06d}"
    parsed = parse_tracking_code(typed)
    if parsed is None:
        raise CellError("bad_tracking_code", f"เลขที่เรื่อง '{text}' ไม่ถูกรูปแบบ (เช่น DIW-2567-000123)",
                        f"The tracking code '{text}' is not well formed (e.g. DIW-2567-000123)", value=value)
    agency, year, sequence = parsed
    return f"{agency}-{year}-{sequence:06d}"


def _case_type(value: Any, context: ImportContext) -> TypeRef | None:
    text = cells.clean_text(value)
    if text is None:
        return None
    found = context.case_type(text)
    if found is None:
        own = [t for t in context.case_types if t.agency_code == context.agency_code and t.active]
        raise CellError("unknown_case_type",
                        f"ไม่รู้จักประเภทเรื่อง '{text}' (ประเภทของหน่วยงาน: {', '.join(t.name_th for t in own)})",
                        f"Unknown case type '{text}' (this agency's types: {', '.join(t.name_en for t in own)})",
                        value=value)
    if found.agency_code != context.agency_code:
        raise CellError("other_agency_type",
                        f"ประเภทเรื่อง '{text}' เป็นของหน่วยงาน {found.agency_code} ไม่ใช่ {context.agency_code}",
                        f"The case type '{text}' belongs to {found.agency_code}, not {context.agency_code}",
                        value=value)
    return found


def _agency(value: Any, context: ImportContext) -> str | None:
    text = cells.clean_text(value)
    if text is None:
        return None
    key = normalise_header(text)
    code = context.agency_names.get(key) or context.agency_names.get(normalise_header(text.split()[0]))
    if code is None and "ฯ" in text:
        # 'กรมโรงงานฯ': the abbreviation mark stands for the rest of one agency's name.
        stem = normalise_header(text.split("ฯ")[0])
        codes = {found for name, found in context.agency_names.items() if stem and name.startswith(stem)}
        code = codes.pop() if len(codes) == 1 else None
    if code is None:
        raise CellError("unknown_agency",
                        f"ไม่รู้จักหน่วยงาน '{text}' ใส่ชื่อหรือรหัสหน่วยงาน เช่น {context.agency_code} "
                        "หรือเว้นว่างไว้ (นำเข้าเป็นเรื่องของหน่วยงานที่เลือก)",
                        f"Unknown agency '{text}'; give the agency's name or code, such as {context.agency_code}, "
                        "or leave it empty (the cases are imported for the agency chosen)", value=value)
    if code != context.agency_code:
        raise CellError("other_agency", f"แถวนี้เป็นของหน่วยงาน '{text}' นำเข้าได้เฉพาะเรื่องของ {context.agency_code}",
                        f"This row belongs to '{text}'; only {context.agency_code} cases can be imported here",
                        value=value)
    return code


_COMMON_TEXT_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2})[:.](\d{2}))?\s*$")


def _common_moment(value: Any, context: ImportContext) -> datetime | None:
    """The two shapes most registers hold, read without the general parser: a real Excel date,
    and 'd/m/yyyy [hh:mm]' with a four-digit B.E. or C.E. year. None sends the cell to
    excel_cells.parse_datetime, which reads everything else and words every refusal."""
    if type(value) is datetime:
        if value.tzinfo is not None or not 1950 <= value.year < 2400:
            return None
        local = value
    elif type(value) is str:
        match = _COMMON_TEXT_DATE.match(value)
        if match is None:
            return None
        day, month, year, hour, minute = match.groups()
        year = int(year)
        if year >= 2400:
            year -= cells.BE_OFFSET
        elif not 1900 <= year <= 2200:
            return None
        try:
            local = datetime(year, int(month), int(day), int(hour or 0), int(minute or 0))
        except ValueError:
            return None
    else:
        return None
    if not cells.EARLIEST_DATE <= local.date() <= context.today:
        return None
    moment = local.replace(tzinfo=cells.BANGKOK).astimezone(timezone.utc)
    if context.now is not None and moment > context.now:
        return None
    return moment


# Excel reads a two-digit year 30-99 as 1930-1999: '18/12/67', meant as B.E. 2567, becomes a
# real date in 1967, 57 years before the one meant (2567 - 543 = 2024).
TWO_DIGIT_SHIFT = 2500 - cells.BE_OFFSET - 1900


def _moment(value: Any, context: ImportContext) -> datetime | None:
    found = _common_moment(value, context)
    if found is None:
        # A register records what has happened: a moment after now is a typo (often B.E./C.E.);
        # the date of today alone is midnight, and passes.
        moment = cells.parse_datetime(value, today=context.today, max_future_days=0, now=context.now)
        found = None if moment is None else moment.astimezone(timezone.utc)
    if found is not None and found.year < 2000 and not isinstance(value, str):
        _refuse_two_digit_year(value, found, context)
    return found


def _refuse_two_digit_year(value: Any, moment: datetime, context: ImportContext) -> None:
    """A real date in the 1900s whose year, as two B.E. digits, would be a date that has come."""
    day = moment.astimezone(cells.BANGKOK).date()
    if not 1930 <= day.year <= 1999 or day.year + TWO_DIGIT_SHIFT > context.today.year:
        return
    meant = day.year + TWO_DIGIT_SHIFT + cells.BE_OFFSET
    raise CellError(
        "two_digit_year",
        f"วันที่ {day:%d/%m}/{day.year} เป็นปี ค.ศ. {day.year} น่าจะพิมพ์ปี พ.ศ. 2 หลัก ({day.year % 100:02d}) "
        f"ซึ่ง Excel อ่านเป็น ค.ศ. {day.year} ให้พิมพ์ปีเต็ม เช่น {day:%d/%m}/{meant}",
        f"The date {day.isoformat()} is in {day.year}: probably a two-digit B.E. year ({day.year % 100:02d}) that "
        f"Excel read as {day.year}; type the year in full, e.g. {day:%d/%m}/{meant}",
        value=value)


def _coordinate(parser: Callable[[Any], float | None]):
    return lambda value, _context: parser(value)


CELL_PARSERS: dict[str, Callable[[Any, ImportContext], Any]] = {
    "tracking_code": _tracking_code,
    "external_ref": _text("external_ref"),
    "case_type": _case_type,
    "title": _text("title"),
    "description": _text("description"),
    "requester_name": _text("requester_name"),
    "requester_phone": lambda value, _context: cells.parse_phone(value),
    "requester_email": _text("requester_email"),
    "requester_id": lambda value, _context: cells.parse_national_id(value),
    "province": _text("province"),
    "district": _text("district"),
    "subdistrict": _text("subdistrict"),
    "latitude": _coordinate(cells.parse_latitude),
    "longitude": _coordinate(cells.parse_longitude),
    "status": _choice(STATUS_WORDS, STATUS_LABELS, "สถานะ", "Status"),
    "priority": _choice(PRIORITY_WORDS, PRIORITY_LABELS, "ความเร่งด่วน", "Priority"),
    "channel": _choice(CHANNEL_WORDS, CHANNEL_LABELS, "ช่องทาง", "Channel"),
    "submitted_at": _moment,
    "submitted_time": lambda value, _context: cells.parse_time(value),
    "closed_at": _moment,
    "note": _text("note"),
    "agency": _agency,
}


class _CachedParser:
    """A column's parser that remembers what each distinct cell value gave."""

    __slots__ = ("parse", "context", "memory")

    def __init__(self, parse, context):
        self.parse, self.context, self.memory = parse, context, {}

    def __call__(self, value):
        try:
            found = self.memory.get(value, self)
        except TypeError:  # an unhashable value: never from calamine, but parse it anyway
            found = self
        if found is self:
            try:
                found = self.parse(value, self.context) if type(value) is not cells.ErrorCell \
                    else cells.error_in_cell(value)
            except CellError as error:
                found = error
            if len(self.memory) < PARSE_CACHE_LIMIT:
                try:
                    self.memory[value] = found
                except TypeError:
                    pass
        return found


# --- reading one row ------------------------------------------------------------------------

_POINT = ("latitude", "longitude")


class RowReader:
    """Turns the rows under a header row into ImportRows; keeps per-column caches across rows."""

    def __init__(self, header: HeaderMatch, header_cells: Sequence[Any], context: ImportContext):
        self.context = context
        columns = dict(header.columns)
        for index, name in header.ignored:
            if name == "agency":
                columns[index] = name
        self.columns = sorted(columns.items())
        self.titles = {index: (" ".join(str(header_cells[index]).split()) if index < len(header_cells) else name)
                       for index, name in self.columns}
        self.parsers = {index: _CachedParser(CELL_PARSERS[name], context) for index, name in self.columns}
        self.column_of = {name: index for index, name in self.columns}
        self._validated: dict[tuple, Any] = {}
        # Rows holding nothing but Excel errors, read as empty rows (read() says None).
        self.failed_formula_rows: list[int] = []

    def column_title(self, field_name: str) -> str:
        index = self.column_of.get(field_name)
        if index is not None:
            return self.titles[index]
        # Not in the file: named in both languages, the issue being shown on Thai and English screens.
        column = COLUMNS_BY_FIELD.get(field_name)
        return f"{column.th} / {column.en}" if column else field_name

    def issue(self, row: int, field_name: str, code: str, message_th: str, message_en: str) -> RowIssue:
        return RowIssue(row, self.column_title(field_name), field_name, code, message_th, message_en)

    def read(self, row_number: int, row_cells: Sequence[Any]) -> ImportRow | None:
        """The row's reading, or None for an empty row."""
        parsed: dict[str, Any] = {}
        issues: list[RowIssue] = []
        width = len(row_cells)
        for index, name in self.columns:
            if index >= width:
                continue
            value = row_cells[index]
            if cells.is_blank(value):
                continue
            result = self.parsers[index](value)
            if isinstance(result, CellError):
                issues.append(RowIssue(row_number, self.titles[index], name, result.code, result.message_th,
                                       result.message_en))
            elif result is not None:
                parsed[name] = result
        if not parsed and not issues:
            return None
        if not parsed and all(issue.code == "excel_error" for issue in issues):
            # A formula filled down past the last case (#N/A of a lookup with nothing to look up).
            self.failed_formula_rows.append(row_number)
            return None
        row = ImportRow(row=row_number, cells=row_cells, issues=issues)
        row.tracking_code = parsed.pop("tracking_code", None)
        row.case_type = parsed.pop("case_type", None)
        row.status = parsed.pop("status", None)
        row.submitted_at = parsed.pop("submitted_at", None)
        clock = parsed.pop("submitted_time", None)
        if clock is not None:
            self._at_time(row, clock)
        row.closed_at = parsed.pop("closed_at", None)
        row.note = parsed.pop("note", None)
        parsed.pop("agency", None)
        if row.case_type is not None:
            parsed["case_type_id"] = row.case_type.id
        row.values = self._checked(row, parsed)
        self._check_dates(row)
        example = TEMPLATE_EXAMPLE
        if row.external_ref == example["external_ref"] and row.values.get("title") == example["title"]:
            row.issues.append(self.issue(
                row.row, "external_ref", "template_example",
                f"แถวนี้เป็นแถวตัวอย่างของแบบฟอร์มนำเข้า (เลขอ้างอิง {TEMPLATE_EXAMPLE['external_ref']}) "
                "ให้ลบแถวนี้ออกก่อนนำเข้า",
                f"This is the import template's example row (reference {TEMPLATE_EXAMPLE['external_ref']}); "
                "delete it before importing"))
        return row

    def _checked(self, row: ImportRow, parsed: dict[str, Any]) -> dict[str, Any]:
        """The same field rules as the screens and the API (creating=False: required-ness is
        decided once the service knows whether the row creates a case).

        Each of those rules reads one field, except the one on latitude with longitude, so each
        field's verdict is remembered per value and the point is checked as a pair."""
        out: dict[str, Any] = {}
        memory = self._validated
        point_reported = False
        for name, value in parsed.items():
            if name in CELL_CHECKED:
                out[name] = value
                continue
            key = (name, value) if name not in _POINT else ("point", parsed.get("latitude"), parsed.get("longitude"))
            verdict = memory.get(key)
            if verdict is None:
                given = {name: value} if name not in _POINT else {f: parsed.get(f) for f in _POINT}
                try:
                    verdict = validate_case_fields(given, creating=False)
                except ValidationFailed as failed:
                    verdict = failed
                if len(memory) < PARSE_CACHE_LIMIT:
                    memory[key] = verdict
            if isinstance(verdict, ValidationFailed):
                if name in _POINT and point_reported:
                    continue  # one verdict for the pair
                point_reported = point_reported or name in _POINT
                for error in verdict.errors:
                    field_name = "case_type" if error.field == "case_type_id" else (error.field or "")
                    row.issues.append(RowIssue(row.row, self.column_title(field_name), field_name, error.code,
                                               without_label(error, "th"), without_label(error, "en")))
            else:
                out[name] = verdict[name]
        return out

    def forwarding_refused(self, row: ImportRow, stored_status: str | None) -> RowIssue | None:
        """A row may not forward a case (that names the receiving agency, on the case's page). A
        case forwarded here is 'Forwarded' until taken up: its exported row says so and changes nothing."""
        if row.status != Status.FORWARDED or stored_status == Status.FORWARDED:
            return None
        return self.issue(
            row.row, "status", "forwarded_by_import",
            "นำเข้าสถานะ 'ส่งต่อ' ไม่ได้ ให้ใช้การส่งต่อในหน้าเรื่อง ซึ่งระบุหน่วยงานที่รับเรื่อง",
            "The status 'Forwarded' cannot be imported; forward the case from its page, naming the agency")

    def _at_time(self, row: ImportRow, clock) -> None:
        """The date received at the time of the time column, when the date holds none."""
        if row.submitted_at is None:
            if not any(issue.field == "submitted_at" for issue in row.issues):
                row.issues.append(self.issue(row.row, "submitted_time", "time_without_date",
                                             "มีเวลาที่รับเรื่อง แต่ไม่มีวันที่รับเรื่อง",
                                             "The time received is given without the date received"))
            return
        local = row.submitted_at.astimezone(cells.BANGKOK)
        if local.time() != datetime.min.time():
            return  # the date cell has its own time
        moment = datetime.combine(local.date(), clock, cells.BANGKOK).astimezone(timezone.utc)
        now = self.context.now
        if now is not None and moment > now:
            current = now.astimezone(cells.BANGKOK)
            row.issues.append(self.issue(
                row.row, "submitted_time", "date_in_future",
                f"วันเวลา {local:%d/%m}/{local.year + cells.BE_OFFSET} {clock:%H:%M} น. ยังมาไม่ถึง "
                f"(ขณะนี้ {current:%H:%M} น.)",
                f"The time {local:%Y-%m-%d} {clock:%H:%M} is in the future (it is now {current:%H:%M}, Bangkok time)"))
            return
        row.submitted_at = moment

    def _check_dates(self, row: ImportRow) -> None:
        if row.closed_at is not None and row.submitted_at is not None and row.closed_at < row.submitted_at:
            row.issues.append(self.issue(row.row, "closed_at", "closed_before_submitted",
                                         "วันที่ปิดเรื่องอยู่ก่อนวันที่รับเรื่อง",
                                         "The closing date is before the date the case was received"))
        if row.status is None:
            return
        closed = row.status in CLOSED_STATUSES
        if closed and row.closed_at is None:
            row.issues.append(self.issue(row.row, "closed_at", "closed_without_date",
                                         "เรื่องที่ปิดแล้วต้องมีวันที่ปิดเรื่อง",
                                         "A closed case needs its closing date"))
        if not closed and row.closed_at is not None:
            row.issues.append(self.issue(row.row, "closed_at", "open_with_closing_date",
                                         "เรื่องที่ยังไม่ปิดต้องไม่มีวันที่ปิดเรื่อง",
                                         "A case that is still open cannot have a closing date"))


# --- what a row does to a case --------------------------------------------------------------


def _retired_type(row: ImportRow, reader: RowReader) -> RowIssue:
    case_type = row.case_type
    return reader.issue(row.row, "case_type", "inactive_case_type",
                        f"ประเภทเรื่อง '{case_type.name_th or case_type.code}' เลิกใช้แล้ว ใช้ได้เฉพาะกับเรื่องเดิมที่เป็นประเภทนี้ "
                        "ให้เลือกประเภทที่ยังใช้อยู่",
                        f"The case type '{case_type.name_en or case_type.code}' is no longer in use: it stays on the "
                        "cases filed under it only; choose a type in use")


def missing_for_new(row: ImportRow, reader: RowReader) -> list[RowIssue]:
    """A row that creates a case needs its type, title, date received, and a reference; and with
    a closing date, a closed status (without one the case would be received, and the date lost)."""
    present = {"case_type": row.case_type, "title": row.values.get("title"), "submitted_at": row.submitted_at}
    issues = []
    for name in REQUIRED_FOR_NEW:
        if present[name] is None:
            column = COLUMNS_BY_FIELD[name]
            issues.append(reader.issue(row.row, name, "required_for_new",
                                       f"ต้องกรอก{column.th} สำหรับเรื่องใหม่",
                                       f"{column.en} is required for a new case"))
    if not row.external_ref:
        issues.append(reader.issue(
            row.row, "external_ref", "reference_required",
            "เรื่องใหม่ต้องมีเลขอ้างอิง (หรือเลขที่เรื่องของเรื่องที่มีอยู่แล้ว) เพื่อให้นำเข้าไฟล์ซ้ำได้โดยไม่เกิดเรื่องซ้ำ",
            "A new case needs a reference (or the tracking code of an existing case), so that importing "
            "the file again does not create it twice"))
    if row.case_type is not None and not row.case_type.active:
        issues.append(_retired_type(row, reader))
    if row.status is None and row.closed_at is not None:
        th, en = STATUS_LABELS[Status.RECEIVED]
        issues.append(reader.issue(
            row.row, "closed_at", "open_with_closing_date",
            f"เรื่องใหม่ที่ไม่ระบุสถานะจะเป็น '{th}' ซึ่งยังไม่ปิด จึงมีวันที่ปิดเรื่องไม่ได้ ให้ใส่สถานะที่ปิดเรื่องในแถวเดียวกันด้วย",
            f"A new case without a status is '{en}', which is open, so it cannot have a closing date; "
            "give a closed status in the same row"))
    return issues


# Excel keeps times to the millisecond, and the sheet reader rounds to the nearest one: a stored
# time with microseconds (the screens and the syncs keep them) comes back up to half a
# millisecond off, and is the same time.
SHEET_TIME_PRECISION = timedelta(milliseconds=1)


def _shown_day(moment: datetime, lang: str) -> str:
    day = moment.astimezone(cells.BANGKOK).date()
    return f"{day:%d/%m}/{day.year + cells.BE_OFFSET}" if lang == "th" else day.isoformat()


def check_with_stored(stored: Mapping[str, Any], row: ImportRow, reader: RowReader) -> list[RowIssue]:
    """The rules on status and dates, for the case as the row would leave it: the row's values
    over the stored ones. RowReader checks a row alone, which lets a row holding only a closing
    date close nothing (the case stays open with a closing date), or a date received move past
    the stored closing date. What the row alone breaks is reported there, not twice."""
    status = row.status or stored["status"]
    closed = status in CLOSED_STATUSES
    if row.closed_at is not None:
        closed_at = row.closed_at
    elif row.status is not None and not closed:
        closed_at = None  # an open status clears the closing date (changes_for)
    else:
        closed_at = stored["closed_at"]
    submitted_at = row.submitted_at or stored["submitted_at"]
    issues = []
    if row.case_type is not None and not row.case_type.active and row.case_type.id != stored.get("case_type_id"):
        issues.append(_retired_type(row, reader))
    if not closed and closed_at is not None and row.status is None:
        th, en = STATUS_LABELS.get(status, (status, status))
        issues.append(reader.issue(
            row.row, "closed_at", "open_with_closing_date",
            f"เรื่องนี้ยังไม่ปิด (สถานะ: {th}) จึงมีวันที่ปิดเรื่องไม่ได้ ให้ใส่สถานะที่ปิดเรื่องในแถวเดียวกันด้วย",
            f"This case is still open (status: {en}), so it cannot have a closing date; "
            "give a closed status in the same row"))
    # One of the two is stored: a time the sheet rounded to the millisecond may pass the other
    # by less than that, and is not before it.
    if closed_at is not None and submitted_at is not None and submitted_at - closed_at >= SHEET_TIME_PRECISION \
            and (row.closed_at is None or row.submitted_at is None):
        if row.submitted_at is not None:
            issues.append(reader.issue(
                row.row, "submitted_at", "closed_before_submitted",
                f"วันที่รับเรื่องอยู่หลังวันที่ปิดเรื่องที่บันทึกไว้ ({_shown_day(closed_at, 'th')})",
                f"The date received is after the case's recorded closing date ({_shown_day(closed_at, 'en')})"))
        else:
            issues.append(reader.issue(
                row.row, "closed_at", "closed_before_submitted",
                f"วันที่ปิดเรื่องอยู่ก่อนวันที่รับเรื่องที่บันทึกไว้ ({_shown_day(submitted_at, 'th')})",
                f"The closing date is before the case's recorded date received ({_shown_day(submitted_at, 'en')})"))
    return issues


def _same(old: Any, new: Any) -> bool:
    if type(old) is str and type(new) is str and old != new:
        # The stored text as a cell of it reads: a case saved on a screen keeps the browser's CR LF,
        # and text pasted from the web its zero-width and no-break spaces, which a cell's text
        # loses on import (clean_text). Its export is the same text.
        return cells.clean_text(old) == new
    if isinstance(old, float) or isinstance(new, float):
        return old is not None and new is not None and abs(float(old) - float(new)) < 1e-9
    if isinstance(old, datetime) and isinstance(new, datetime) and (old.tzinfo is None) == (new.tzinfo is None):
        return abs(old - new) < SHEET_TIME_PRECISION
    return old == new


def changes_for(stored: Mapping[str, Any], row: ImportRow) -> dict[str, tuple[Any, Any]]:
    """{field: (stored, imported)} for every field the row sets to something else; empty when
    the row changes nothing (its empty cells never count)."""
    wanted = dict(row.values)
    if row.status is not None:
        wanted["status"] = row.status
        if row.status not in CLOSED_STATUSES:
            wanted["closed_at"] = None
    if row.submitted_at is not None:
        wanted["submitted_at"] = row.submitted_at
    if row.closed_at is not None:
        wanted["closed_at"] = row.closed_at
    changes = {}
    for name in COMPARED_FIELDS:
        if name in wanted and not _same(stored.get(name), wanted[name]):
            changes[name] = (stored.get(name), wanted[name])
    return changes


def status_change_kind(old: str, new: str) -> str:
    """'reopen' when a closed case opens again (its reopen count rises), else 'status'."""
    return "reopen" if old in CLOSED_STATUSES and new not in CLOSED_STATUSES else "status"


@dataclass
class Counts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0
    empty: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged, "errors": self.errors}

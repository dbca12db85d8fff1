"""Importing a legacy register: read the sheet, read every row, find the cases rows name, and
tell new, updated, unchanged and bad rows apart (the plan); then write the plan in one
transaction, or nothing (app.services.case_import_writer).

A plan is cheap to make again: the upload page previews one, and makes it again from the same
file when the clerk commits, so what is written matches the database at that moment.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import String, any_, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError

from app.domain.case_import import (
    Counts, ImportContext, ImportRow, RowIssue, RowReader, TypeRef, changes_for, check_with_stored, missing_for_new,
)
from app.domain.errors import RuleError
from app.domain.excel_cells import CellError, is_blank
from app.domain.local_time import BANGKOK
from app.domain.sheet_headers import (
    EXPORT_HEADERS, HELP_SHEET, column_letter, find_header_row, normalise_header, spread_merged_cells,
)
from app.domain.statuses import EventSource
from app.models import Agency, Case, CaseType
from app.services import sheet_reader
from app.services.actor import Actor
from app.services.cases import IMPORT, require
from app.services.db import is_postgresql
from app.services.errors import Conflict, Forbidden

LOOKUP_BATCH = 2_000
# Sheets looked through for the register before giving up.
MAX_SHEETS_SEARCHED = 20
ANALYZE_AFTER_ROWS = 10_000
FIRST_ERRORS = 50
Progress = Callable[[str, int, int], None]


class ImportRefused(RuleError):
    """The file as a whole cannot be imported (not a sheet, no header row, bad rows and no
    choice to import the valid ones only). Nothing was written."""

    code = "import_refused"
    http_status = 422

    def __init__(self, message_en: str, message_th: str, *, code: str | None = None):
        super().__init__(message_en, message_th, code=code or self.code)


def _refused(error: CellError | sheet_reader.SheetError) -> ImportRefused:
    return ImportRefused(error.message_en, error.message_th, code=error.code)


@dataclass
class Update:
    row: ImportRow
    stored: dict
    changes: dict


@dataclass
class ImportPlan:
    file_name: str
    agency_id: int
    agency_code: str
    context: ImportContext
    reader: RowReader | None = None
    new: list[ImportRow] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    unchanged: list[ImportRow] = field(default_factory=list)
    bad: list[ImportRow] = field(default_factory=list)
    empty_rows: int = 0
    header_row: int = 0
    header_cells: list = field(default_factory=list)
    # Header cells nobody knows, named twice, or missing: said once, above the row errors.
    notices: list[tuple[str, str]] = field(default_factory=list)
    seconds_read: float = 0.0
    seconds_checked: float = 0.0
    seconds_written: float = 0.0

    @property
    def counts(self) -> Counts:
        return Counts(new=len(self.new), updated=len(self.updates), unchanged=len(self.unchanged),
                      errors=len(self.bad), empty=self.empty_rows)

    def first_errors(self, limit: int = FIRST_ERRORS) -> list[RowIssue]:
        found: list[RowIssue] = []
        for row in sorted(self.bad, key=lambda r: r.row):
            for issue in row.issues:
                found.append(issue)
                if len(found) >= limit:
                    return found
        return found

    def origin(self, row: ImportRow) -> str:
        return f"{self.file_name}:row {row.row}"[:300]


def import_actor(user, origin_file: str | None = None) -> Actor:
    return Actor.for_user(user, source=EventSource.IMPORT, origin=origin_file)


def command_line_actor(label: str = "command line") -> Actor:
    """Whoever runs `flask cases import` on the server holds the database already."""
    from app.domain import roles

    return Actor(user_id=None, agency_id=None, role_names=frozenset({roles.ADMIN}), label=label,
                 source=EventSource.IMPORT)


def resolve_agency(session, actor: Actor, agency_code: str | None) -> Agency:
    """The agency an import writes to: an agency user's own; an administrator names one."""
    require(actor, IMPORT)
    if actor.is_ministry_viewer:
        raise Forbidden()
    code = (agency_code or "").strip().upper()
    if actor.ministry_wide:
        if not code:
            raise ImportRefused("Choose the agency whose cases the file holds.",
                                "กรุณาเลือกหน่วยงานเจ้าของเรื่องในไฟล์", code="agency_required")
        agency = session.execute(select(Agency).where(Agency.code == code)).scalar_one_or_none()
    else:
        agency = session.get(Agency, actor.agency_id) if actor.agency_id else None
        if agency is not None and code and code != agency.code:
            raise Forbidden("You may import your own agency's cases only.", "นำเข้าได้เฉพาะเรื่องของหน่วยงานของท่าน")
    if agency is None or not agency.active:
        raise ImportRefused(f"No such agency: '{code}'.", f"ไม่พบหน่วยงาน '{code}'", code="unknown_agency")
    return agency


def import_context(session, agency: Agency, now: datetime) -> ImportContext:
    types = [
        TypeRef(t.id, t.code, t.agency.code, t.kind, t.sla_days, t.at_risk_share or 0.8, t.name_th, t.name_en,
                bool(t.active))
        for t in session.execute(select(CaseType).order_by(CaseType.id)).scalars()
    ]
    names: dict[str, str] = {}
    for other in session.execute(select(Agency)).scalars():
        for name in (other.code, other.name_th, other.name_en, other.short_th, other.label("th"), other.label("en")):
            if name:
                names.setdefault(normalise_header(name), other.code)
    return ImportContext(agency_code=agency.code, agency_id=agency.id, case_types=types, agency_names=names,
                         today=now.astimezone(BANGKOK).date(), now=now)


def read_sheet(path: str | os.PathLike, *, isolated: bool = True) -> sheet_reader.Sheet:
    """The register: the first visible worksheet with a header row. Workbooks often open on a
    cover, an instructions or a summary sheet, with the register behind it. Raises ImportRefused."""
    looked: list[tuple[str, bool]] = []  # (name, holds anything) of the sheets without a header row
    for number in range(MAX_SHEETS_SEARCHED):
        try:
            sheet = sheet_reader.read_sheet(path, sheet=number, isolated=isolated)
        except sheet_reader.SheetError as error:
            if error.code == "no_more_sheets":
                break
            raise _refused(error) from None
        try:
            find_header_row(sheet.rows, merged=sheet.merged)
            return sheet
        except CellError as error:
            not_found = error
        looked.append((sheet.name, any(not is_blank(value) for row in sheet.rows for value in row)))
        if number + 1 >= len(sheet.names):
            break
    names = ", ".join(f"'{name}'" for name, _ in looked)
    if not any(filled for _, filled in looked):
        raise ImportRefused(f"The workbook holds no data: {'the sheet' if len(looked) == 1 else 'the sheets'} "
                            f"{names} {'is' if len(looked) == 1 else 'are'} empty.",
                            f"ไฟล์นี้ไม่มีข้อมูล: แผ่นงาน {names} ว่าง", code="empty_workbook")
    raise ImportRefused(f"{not_found.message_en} (sheets looked at: {names})",
                        f"{not_found.message_th} (แผ่นงานที่ตรวจดู: {names})", code=not_found.code)


def plan_import(session, actor: Actor, path: str | os.PathLike, *, file_name: str | None = None,
                agency_code: str | None = None, now: datetime | None = None, isolated: bool = True,
                rows: list[list] | None = None, sheet: sheet_reader.Sheet | None = None,
                progress: Progress | None = None) -> ImportPlan:
    """Read the file (or take its sheet as read_sheet gave it) and decide what each row does;
    writes nothing. Raises ImportRefused."""
    now = now or datetime.now(timezone.utc)
    agency = resolve_agency(session, actor, agency_code)
    plan = ImportPlan(file_name=file_name or Path(path).name, agency_id=agency.id, agency_code=agency.code,
                      context=import_context(session, agency, now))
    started = time.perf_counter()
    if rows is None:
        if sheet is None:
            if progress:
                progress("read", 0, 0)
            sheet = read_sheet(path, isolated=isolated)
        rows = sheet.rows
    if sheet is not None:
        _sheet_notice(plan, sheet)
    plan.seconds_read = time.perf_counter() - started
    merged = sheet.merged if sheet is not None else ()
    try:
        header = find_header_row(rows, merged=merged)
    except CellError as error:
        raise _refused(error) from None
    spread_merged_cells(rows, merged, header.row_index)
    plan.header_row = header.row_index + 1
    header_cells = plan.header_cells = header.cells
    plan.reader = RowReader(header, header_cells, plan.context)
    _header_notices(plan, header, header_cells)
    read = _read_rows(plan, rows, header.row_index + 1, progress)
    if failed := plan.reader.failed_formula_rows:
        where = f"{failed[0]}–{failed[-1]}" if len(failed) > 1 else f"{failed[0]}"
        plan.notices.append((
            f"{len(failed):,} แถว (แถวที่ {where}) มีเพียงค่าผิดพลาดของสูตร เช่น #N/A จึงถือเป็นแถวว่าง ไม่นำเข้า",
            f"{len(failed):,} rows ({where}) hold nothing but formula errors such as #N/A and are left out as empty"
            if len(failed) > 1 else
            f"Row {where} holds nothing but formula errors such as #N/A and is left out as empty"))
    if not read:
        plan.notices.append((f"ไม่มีข้อมูลใต้แถวหัวตาราง (แถวที่ {plan.header_row}) จึงไม่มีอะไรให้นำเข้า",
                             f"There are no rows under the header row (row {plan.header_row}): nothing to import"))
    _classify(session, plan, read, progress)
    plan.seconds_checked = time.perf_counter() - started - plan.seconds_read
    return plan


def _sheet_notice(plan: ImportPlan, sheet: sheet_reader.Sheet) -> None:
    """Which sheet was read, when the workbook has others: they are not imported."""
    if len(sheet.names) <= 1:
        return

    def quoted(names) -> str:
        return ", ".join(f"'{name}'" for name in names)

    before = sheet.names[:sheet.number]
    # The template's own help sheet is never a register left unread.
    after = [name for name in sheet.names[sheet.number + 1:] if name.strip() != HELP_SHEET]
    if not before and not after:
        return
    th = f"อ่านเฉพาะแผ่นงาน '{sheet.name}' (แผ่นที่ {sheet.number + 1} จาก {len(sheet.names)})"
    en = f"Only the sheet '{sheet.name}' was read ({sheet.number + 1} of {len(sheet.names)})"
    if before:
        th += f" แผ่นงานก่อนหน้า {quoted(before)} ไม่มีแถวหัวตาราง"
        en += (f"; the sheet before it, {quoted(before)}, has no header row" if len(before) == 1 else
               f"; the sheets before it, {quoted(before)}, have no header row")
    if after:
        th += (f" แผ่นงาน {quoted(after)} ไม่ได้อ่าน ถ้ามีเรื่องที่ต้องนำเข้า ให้ย้ายแผ่นงานนั้นไปไว้แผ่นแรก"
               " แล้วนำเข้าไฟล์อีกครั้ง")
        en += (f"; {quoted(after)} {'was' if len(after) == 1 else 'were'} not read: to import one, move it to "
               "the front and import the file again")
    plan.notices.append((th, en))


def _header_notices(plan: ImportPlan, header, header_cells: list) -> None:
    def shown(index: int) -> str:
        value = header_cells[index] if index < len(header_cells) else ""
        return f"{column_letter(index)} '{' '.join(str(value).split())}'"

    for index, title in header.unknown:
        title = " ".join(title.split())
        plan.notices.append((f"คอลัมน์ {column_letter(index)} '{title}' ไม่รู้จัก จึงไม่นำเข้า",
                             f"Column {column_letter(index)} '{title}' is not known and is left out"))
    for name, indexes in header.duplicates.items():
        th, en = EXPORT_HEADERS[name]
        named = [shown(index) for index in indexes]
        first = column_letter(indexes[0])
        plan.notices.append((f"คอลัมน์ {' และ '.join(named)} เป็นข้อมูลเดียวกัน ({th}) ใช้คอลัมน์ {first}",
                             f"Columns {' and '.join(named)} hold the same field ({en}); column {first} is used"))
    for name in header.missing_required:
        th, en = EXPORT_HEADERS[name]
        plan.notices.append((f"ไม่มีคอลัมน์ '{th}': แถวที่สร้างเรื่องใหม่ต้องมีค่านี้",
                             f"No '{en}' column: rows that create a case need it"))


def _read_rows(plan: ImportPlan, rows: list[list], first: int, progress: Progress | None) -> list[ImportRow]:
    reader = plan.reader
    read: list[ImportRow] = []
    total = len(rows) - first
    for offset, cells in enumerate(rows[first:]):
        row = reader.read(first + offset + 1, cells)
        if row is None:
            plan.empty_rows += 1
        else:
            read.append(row)
        if progress and offset % 10_000 == 9_999:
            progress("check", offset + 1, total)
    return read


def _batches(items: list, size: int = LOOKUP_BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


STORED_COLUMNS = (
    Case.id, Case.tracking_code, Case.agency_id, Case.version, Case.kind, Case.case_type_id, Case.title,
    Case.description, Case.requester_name, Case.requester_phone, Case.requester_email, Case.requester_id,
    Case.province, Case.district, Case.subdistrict, Case.latitude, Case.longitude, Case.priority, Case.channel,
    Case.external_ref, Case.status, Case.submitted_at, Case.closed_at, Case.sla_started_at, Case.paused_days,
    Case.paused_since, Case.reopen_count, Case.first_response_at, Case.external_agency_id,
)


def _stored(session, condition) -> list[dict]:
    return [dict(row._mapping) for row in session.execute(select(*STORED_COLUMNS).where(condition))]


def _among(session, column, values: list[str]):
    """column IN values; one array parameter on PostgreSQL instead of thousands of parameters."""
    if is_postgresql(session):
        return column == any_(bindparam(None, values, type_=ARRAY(String)))
    return column.in_(values)


def _by_index(session) -> None:
    """Every lookup here is one batch of keys: on PostgreSQL, find them through the indexes.

    After a bulk import the planner's row estimates are stale (autovacuum has not analysed the
    table yet) and it reads the whole case table once per batch instead; JIT, which inflated
    costs would switch on, takes longer than any of these statements (as in sync_store).
    """
    if is_postgresql(session):
        session.execute(text("SET LOCAL enable_seqscan = off"))
        session.execute(text("SET LOCAL jit = off"))


def _classify(session, plan: ImportPlan, read: list[ImportRow], progress: Progress | None) -> None:
    reader, agency_id = plan.reader, plan.agency_id
    _by_index(session)
    by_code: dict[str, dict] = {}
    codes = sorted({row.tracking_code for row in read if row.tracking_code})
    for batch in _batches(codes):
        for stored in _stored(session, _among(session, Case.tracking_code, batch)):
            by_code[stored["tracking_code"]] = stored
    by_ref: dict[str, dict] = {}
    refs = sorted({row.external_ref for row in read if row.external_ref})
    for batch in _batches(refs):
        in_system = (Case.external_agency_id == agency_id) & _among(session, Case.external_ref, batch)
        for stored in _stored(session, in_system):
            by_ref[stored["external_ref"]] = stored

    seen_codes: dict[str, int] = {}
    seen_refs: dict[str, int] = {}
    claimed: set[int] = set()
    for done, row in enumerate(read, 1):
        if progress and done % 10_000 == 0:
            progress("match", done, len(read))
        _check_repeats(row, reader, seen_codes, seen_refs)
        stored = None
        if row.tracking_code:
            stored = by_code.get(row.tracking_code)
            if stored is None:
                row.issues.append(reader.issue(
                    row.row, "tracking_code", "unknown_tracking_code",
                    f"ไม่พบเรื่องเลขที่ {row.tracking_code} (เว้นว่างไว้ถ้าเป็นเรื่องใหม่)",
                    f"No case has the tracking code {row.tracking_code} (leave it empty for a new case)"))
            elif stored["agency_id"] != agency_id:
                row.issues.append(reader.issue(
                    row.row, "tracking_code", "other_agency_case",
                    f"เรื่อง {row.tracking_code} เป็นของหน่วยงานอื่น นำเข้าได้เฉพาะเรื่องของ {plan.agency_code}",
                    f"Case {row.tracking_code} belongs to another agency; only {plan.agency_code} cases can be imported here"))
                stored = None
            elif row.external_ref:
                owner = by_ref.get(row.external_ref)
                if owner is not None and owner["id"] != stored["id"]:
                    row.issues.append(reader.issue(
                        row.row, "external_ref", "duplicate_reference",
                        f"เลขอ้างอิง '{row.external_ref}' เป็นของเรื่อง {owner['tracking_code']} อยู่แล้ว",
                        f"The reference '{row.external_ref}' already belongs to case {owner['tracking_code']}"))
        elif row.external_ref:
            stored = by_ref.get(row.external_ref)
            if stored is not None and stored["agency_id"] != agency_id:
                # The reference is in this agency's system, but the case was forwarded since.
                row.issues.append(reader.issue(
                    row.row, "external_ref", "forwarded_case",
                    f"เรื่องที่มีเลขอ้างอิง '{row.external_ref}' ({stored['tracking_code']}) ส่งต่อไปหน่วยงานอื่นแล้ว "
                    f"นำเข้าได้เฉพาะเรื่องของ {plan.agency_code}",
                    f"The case with the reference '{row.external_ref}' ({stored['tracking_code']}) was forwarded to "
                    f"another agency; only {plan.agency_code} cases can be imported here"))
                stored = None
        if stored is not None and stored["id"] in claimed and not row.issues:
            row.issues.append(reader.issue(row.row, "tracking_code", "case_twice",
                                           "แถวอื่นในไฟล์นี้แก้ไขเรื่องเดียวกันแล้ว", "Another row of this file changes the same case"))
        if forwarding := reader.forwarding_refused(row, stored["status"] if stored else None):
            row.issues.append(forwarding)
        if stored is None and not row.tracking_code:
            # A new case: what it lacks is told with its other errors, not once they are mended.
            flagged = {issue.field for issue in row.issues}
            if not flagged & {"tracking_code", "external_ref"}:
                row.issues.extend(issue for issue in missing_for_new(row, reader) if issue.field not in flagged)
        if row.issues:
            plan.bad.append(row)
            continue
        if stored is None:
            plan.new.append(row)
            continue
        row.issues.extend(check_with_stored(stored, row, reader))
        if row.issues:
            plan.bad.append(row)
            continue
        claimed.add(stored["id"])
        changes = changes_for(stored, row)
        if changes:
            plan.updates.append(Update(row, stored, changes))
        else:
            plan.unchanged.append(row)


def _check_repeats(row: ImportRow, reader: RowReader, seen_codes: dict[str, int], seen_refs: dict[str, int]) -> None:
    for value, seen, name in ((row.tracking_code, seen_codes, "tracking_code"), (row.external_ref, seen_refs, "external_ref")):
        if not value:
            continue
        first = seen.setdefault(value, row.row)
        if first != row.row:
            row.issues.append(reader.issue(row.row, name, "repeated_in_file",
                                           f"'{value}' ซ้ำกับแถวที่ {first} ของไฟล์นี้",
                                           f"'{value}' repeats row {first} of this file"))
            return


def run_import(actor: Actor, path: str | os.PathLike, *, file_name: str | None = None,
               agency_code: str | None = None, valid_only: bool = False, dry_run: bool = False,
               isolated: bool = True, now: datetime | None = None, progress: Progress | None = None) -> ImportPlan:
    """Plan the file and, unless dry_run, write it in one transaction.

    With bad rows and not valid_only nothing is written and ImportRefused carries the plan
    (error.plan), so that the caller can still show the counts and the first errors.
    """
    from app.extensions import db
    from app.services.case_import_writer import apply_updates, insert_new_cases
    from app.services.db import transaction

    now = now or datetime.now(timezone.utc)
    if progress:
        progress("read", 0, 0)
    # Read before the transaction opens: on SQLite it holds the write lock from its first statement.
    started = time.perf_counter()
    sheet = read_sheet(path, isolated=isolated)
    seconds_read = time.perf_counter() - started
    actor = Actor(user_id=actor.user_id, agency_id=actor.agency_id, role_names=actor.role_names, label=actor.label,
                  source=EventSource.IMPORT, origin=file_name or Path(path).name, grants=actor.grants)
    with transaction() as session:
        plan = plan_import(session, actor, path, file_name=file_name, agency_code=agency_code, now=now, sheet=sheet,
                           progress=progress)
        plan.seconds_read = seconds_read
        if dry_run:
            session.rollback()
            return plan
        if plan.bad and not valid_only:
            refused = ImportRefused(
                f"{len(plan.bad):,} rows have errors, so nothing was imported. Correct them, or import the valid rows only.",
                f"มี {len(plan.bad):,} แถวที่ผิดพลาด จึงยังไม่นำเข้าข้อมูลใด ๆ แก้ไขแถวเหล่านั้น หรือเลือกนำเข้าเฉพาะแถวที่ถูกต้อง",
                code="rows_with_errors")
            refused.plan = plan
            raise refused
        started = time.perf_counter()
        try:
            insert_new_cases(session, actor, plan, now, progress)
            apply_updates(session, actor, plan, now)
            session.flush()
            if len(plan.new) >= ANALYZE_AFTER_ROWS and is_postgresql(session):
                # The planner's statistics still describe the table before the import until
                # autovacuum comes by; lists and the next import's lookups need them now.
                session.execute(text('ANALYZE "case"'))
        except (IntegrityError, session.get_bind().dialect.loaded_dbapi.IntegrityError, Conflict):
            # A case created or saved by someone else since the file was checked. The driver's
            # own error too: new cases and events are written on the driver's connection (COPY,
            # executemany), past SQLAlchemy's wrapping of errors. Conflict is the version check
            # of the updates, whose own wording speaks of a form.
            raise ImportRefused(
                "Another user created or changed some of these cases while the file was being imported; "
                "nothing was imported. Import the file again.",
                "มีผู้อื่นสร้างหรือแก้ไขเรื่องบางเรื่องในไฟล์นี้ระหว่างการนำเข้า จึงยังไม่นำเข้าข้อมูลใด ๆ กรุณานำเข้าไฟล์อีกครั้ง",
                code="conflict") from None
        plan.seconds_written = time.perf_counter() - started
    db.session.expire_all()
    return plan

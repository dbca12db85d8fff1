"""Exporting cases to .xlsx, streamed: rows come from the database in chunks (a server-side cursor
on PostgreSQL) and go to disk row by row (xlsxwriter's constant_memory), so memory does not grow
with the number of cases.

Every text cell goes through excel_safety (rejected characters removed, long text cut with a mark)
and is written with write_string, a text starting with a formula trigger in a quote-prefixed cell:
nothing exported runs, and the values are the stored texts, so an export imports back unchanged.
Dates are real Excel dates in Bangkok time with a readable format; headers are Thai or English.
The columns are those of app.domain.sheet_headers, so an exported file imports again.

A workbook appears at its path only once it is whole (workbook_at): a failed or interrupted export
leaves an earlier file there as it was, and none of the writer's temporary files.
"""
from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from sqlalchemy import Select, and_, select
from sqlalchemy.orm import aliased

from app.domain.excel_safety import QUOTE_PREFIX, WORKBOOK_OPTIONS, TextCells, safe_cell
from app.domain.sheet_headers import header_label
from app.domain.sla import last_day
from app.domain.local_time import BANGKOK, start_of_local_day
from app.domain.statuses import (
    CHANNEL_LABELS, KIND_LABELS, PRIORITY_LABELS, SLA_FLAG_LABELS, STATUS_LABELS, Status,
)
from app.models import Agency, Case, CaseType
from app.services.actor import Actor
from app.services.scope import agency_clause

FETCH_ROWS = 2_000
Progress = Callable[[str, int, int], None]

# (field, kind, width): kind says how a value is written.
EXPORT_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("tracking_code", "text", 18),
    ("external_ref", "text", 16),
    ("agency", "text", 12),
    ("case_type", "text", 30),
    ("kind", "text", 14),
    ("title", "text", 45),
    ("description", "text", 60),
    ("status", "text", 18),
    ("priority", "text", 10),
    ("channel", "text", 14),
    ("requester_name", "text", 28),
    ("requester_phone", "text", 13),
    ("requester_email", "text", 24),
    ("requester_id", "text", 16),
    ("province", "text", 16),
    ("district", "text", 16),
    ("subdistrict", "text", 16),
    ("latitude", "number", 11),
    ("longitude", "number", 11),
    ("submitted_at", "datetime", 17),
    ("due_at", "date", 12),
    ("sla_flag", "text", 14),
    ("closed_at", "datetime", 17),
    ("updated_at", "datetime", 17),
)
DATE_FORMATS = {
    # Excel's Thai Buddhist calendar (the 07 in [$-1070000]) shows B.E. years, as Thai offices read them.
    "th": ("[$-1070000]dd/mm/yyyy hh:mm", "[$-1070000]dd/mm/yyyy"),
    "en": ("dd mmm yyyy hh:mm", "dd mmm yyyy"),
}


@dataclass(frozen=True)
class ExportFilters:
    """The command line's filters: agency code, status, and a range of submission dates (Bangkok)."""

    agency_code: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def local_time(moment: datetime | None) -> datetime | None:
    """An instant as the naive Bangkok time an Excel cell shows."""
    return None if moment is None else moment.astimezone(BANGKOK).replace(tzinfo=None)


def filter_clauses(filters: ExportFilters) -> list:
    clauses = []
    if filters.agency_code:
        clauses.append(Case.agency.has(Agency.code == filters.agency_code.strip().upper()))
    if filters.status:
        clauses.append(Case.status == Status(filters.status).value)
    if filters.date_from:
        clauses.append(Case.submitted_at >= start_of_local_day(filters.date_from))
    if filters.date_to:
        clauses.append(Case.submitted_at < start_of_local_day(filters.date_to + timedelta(days=1)))
    return clauses


def export_statement(actor: Actor, clauses: Iterable = (), order_by: Iterable = ()) -> Select:
    """The columns an export writes, scoped to what the actor may see, in the given order."""
    case_type = aliased(CaseType)
    agency = aliased(Agency)
    columns = [
        Case.tracking_code, Case.external_ref, agency.code, agency.name_th, agency.name_en, case_type.name_th,
        case_type.name_en, Case.kind, Case.title, Case.description, Case.status, Case.priority, Case.channel,
        Case.requester_name, Case.requester_phone, Case.requester_email, Case.requester_id, Case.province,
        Case.district, Case.subdistrict, Case.latitude, Case.longitude, Case.submitted_at, Case.due_at,
        Case.sla_flag, Case.closed_at, Case.updated_at,
    ]
    stmt = (select(*columns).select_from(Case)
            .join(agency, agency.id == Case.agency_id).join(case_type, case_type.id == Case.case_type_id)
            .where(and_(agency_clause(actor, Case.agency_id), *clauses)))
    order = list(order_by) or [Case.submitted_at.desc()]
    return stmt.order_by(*order, Case.id.desc())


def _label_maps(lang: str) -> dict[str, dict]:
    index = 0 if lang == "th" else 1
    return {name: {str(value): pair[index] for value, pair in labels.items()}
            for name, labels in (("status", STATUS_LABELS), ("kind", KIND_LABELS), ("priority", PRIORITY_LABELS),
                                 ("channel", CHANNEL_LABELS), ("sla_flag", SLA_FLAG_LABELS))}


def row_values(lang: str) -> Callable[[Any], list]:
    """Turns one fetched row into the cell values, in EXPORT_COLUMNS order."""
    labels = _label_maps(lang)
    status, kind, priority, channel, flag = (labels[n] for n in ("status", "kind", "priority", "channel", "sla_flag"))
    thai = lang == "th"

    def values(r) -> list:
        (code, ref, agency_code, agency_th, agency_en, type_th, type_en, case_kind, title, description, case_status,
         case_priority, case_channel, name, phone, email, requester_id, province, district, subdistrict, lat, lon,
         submitted, due, sla_flag, closed, updated) = r
        return [
            code, ref, agency_code, type_th if thai else type_en, kind.get(case_kind, case_kind), title, description,
            status.get(case_status, case_status), priority.get(case_priority, case_priority),
            channel.get(case_channel, case_channel), name, phone, email, requester_id, province, district, subdistrict,
            lat, lon, local_time(submitted), last_day(due),
            flag.get(sla_flag, sla_flag) if sla_flag else None, local_time(closed), local_time(updated),
        ]

    return values


_TEXT, _NUMBER = object(), object()
HEADER_FORMAT = {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}


class SheetWriter:
    """One worksheet written row by row in constant memory: bold frozen header, autofilter,
    widths, real dates, and text only through write_string."""

    def __init__(self, workbook, name: str, columns: tuple[tuple[str, str, int], ...], headers: list[str], lang: str):
        self.sheet = workbook.add_worksheet(name)
        self.columns = columns
        datetime_format, date_format = DATE_FORMATS["th" if lang == "th" else "en"]
        self.formats = {"datetime": workbook.add_format({"num_format": datetime_format}),
                        "date": workbook.add_format({"num_format": date_format})}
        self.quoted = workbook.add_format(QUOTE_PREFIX)
        for col, (_, _, width) in enumerate(columns):
            self.sheet.set_column(col, col, width)
        self.sheet.freeze_panes(1, 0)
        texts = TextCells(workbook)
        for col, text in enumerate(headers):
            texts.write(self.sheet, 0, col, text, HEADER_FORMAT)
        self.row = 0
        # Per column: _TEXT, _NUMBER, or the format of a date (one test per cell, no call of a
        # per-column writer: an export writes millions of cells).
        self._cells = [_TEXT if kind == "text" else _NUMBER if kind == "number" else self.formats[kind]
                       for _, kind, _ in columns]

    def append(self, values: list) -> None:
        self.row += 1
        row, sheet = self.row, self.sheet
        for col, (cell, value) in enumerate(zip(self._cells, values)):
            if value is None:
                continue
            if cell is _TEXT:
                if value != "":
                    safe = safe_cell(value)
                    if type(safe) is str:
                        sheet.write_string(row, col, safe)
                    else:
                        sheet.write_string(row, col, safe.text, self.quoted if safe.neutralised else None)
            elif cell is _NUMBER:
                sheet.write_number(row, col, value)
            else:
                sheet.write_datetime(row, col, value, cell)

    def finish(self) -> None:
        self.sheet.autofilter(0, 0, max(self.row, 1), len(self.columns) - 1)


@contextmanager
def workbook_at(path: str | os.PathLike) -> Iterator:
    """A new workbook for the block to fill, moved onto path once it closed whole.

    It is written in a private folder beside path (on the same disk, as big as the export may
    be), with the writer's own temporary files: in constant memory each sheet's rows wait in one,
    names, phones and ID numbers included. The folder goes whatever happens, an interrupt too,
    so a failed export leaves nothing behind and an earlier file at path as it was. A file that
    cannot be written raises OSError (xlsxwriter wraps it in FileCreateError)."""
    target = os.path.abspath(path)
    _check_target(target)
    folder = tempfile.mkdtemp(prefix=".export-", dir=os.path.dirname(target))
    workbook = None
    try:
        partial = os.path.join(folder, "workbook.xlsx")
        workbook = xlsxwriter.Workbook(partial, {**WORKBOOK_OPTIONS, "tmpdir": folder})
        yield workbook
        try:
            workbook.close()
        except FileCreateError as error:
            cause = error.args[0] if error.args else None
            raise (cause if isinstance(cause, OSError) else OSError(str(error))) from error
        os.replace(partial, target)
    finally:
        if workbook is not None and not workbook.fileclosed:
            _discard(workbook)
        shutil.rmtree(folder, ignore_errors=True)


def _check_target(target: str) -> None:
    """Fail before the work rather than after it, for the faults that can be seen at once."""
    folder, name = os.path.split(target)
    if os.path.isdir(target):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), target)
    try:
        longest = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return  # an unknown limit (or folder): the move at the end says what is wrong
    if len(os.fsencode(name)) > longest:
        raise OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG), target)


def _discard(workbook) -> None:
    """A workbook given up: its sheets' row files closed, so the disk space they hold is freed
    with the folder at once, and nothing to write any more."""
    for sheet in workbook.worksheets():
        handle = getattr(sheet, "row_data_fh", None)
        if handle is not None:
            handle.close()
    workbook.fileclosed = True


def write_cases(session, path: str | os.PathLike, statement: Select, *, lang: str = "th",
                progress: Progress | None = None, total: int | None = None) -> int:
    """Stream the statement's rows into a new .xlsx at path; returns how many cases were written.
    Raises OSError when the file cannot be written; path is then as it was."""
    headers = [header_label(name, lang) for name, _, _ in EXPORT_COLUMNS]
    values = row_values(lang)
    written = 0
    with workbook_at(path) as workbook:
        writer = SheetWriter(workbook, "เรื่อง" if lang == "th" else "Cases", EXPORT_COLUMNS, headers, lang)
        result = session.execute(statement.execution_options(yield_per=FETCH_ROWS))
        for partition in result.partitions():
            for row in partition:
                writer.append(values(row))
            written += len(partition)
            if progress:
                progress("export", written, total or 0)
        writer.finish()
    return written


def export_cases(session, actor: Actor, path: str | os.PathLike, filters: ExportFilters = ExportFilters(), *,
                 lang: str = "th", progress: Progress | None = None) -> int:
    return write_cases(session, path, export_statement(actor, filter_clauses(filters)), lang=lang, progress=progress)

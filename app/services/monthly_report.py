"""The monthly management workbook: a summary per agency, the SLA breaches of the month and the
cases by type, each sheet from one SQL aggregation, scoped to what the reader may see.

A month is a Bangkok calendar month. "Breaches of the month" are the cases whose deadline fell in
the month and that were not closed in time (still open past it, or closed after it).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, or_, select

from app.domain.errors import RuleError
from app.domain.local_time import start_of_local_day
from app.domain.sla import last_day
from app.domain.statuses import CLOSED_STATUSES, STATUS_LABELS, label
from app.domain.thai_dates import DateTextError, parse_month as parse_typed_month, shown_month
from app.models import Agency, Case, CaseType
from app.services.actor import Actor
from app.services.case_export import SheetWriter, local_time, workbook_at
from app.services.scope import agency_clause


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def start(self) -> datetime:
        return start_of_local_day(date(self.year, self.month, 1))

    @property
    def end(self) -> datetime:
        return start_of_local_day(date(self.year + (self.month == 12), self.month % 12 + 1, 1))

    def label(self, lang: str) -> str:
        return shown_month(self.year, self.month, lang)


def parse_month(text: str | None) -> Month:
    """The month the form or the command line names, read by app.domain.thai_dates: 2025-03,
    2568-03, 03/2568 (the form's Thai), มี.ค. 2568. Raises RuleError with a message in both languages."""
    try:
        read = parse_typed_month(text)
    except DateTextError:
        read = None
    if read is None or not 2000 <= read[0] <= 2200:
        raise RuleError(f"Month: '{text or ''}' is not a month; write it as YYYY-MM, e.g. 2025-03, or MM/YYYY, "
                        "e.g. 03/2568.",
                        f"เดือน: '{text or ''}' ไม่ใช่เดือนที่ถูกต้อง ให้เขียนเป็น ดด/ปปปป เช่น 03/2568 หรือ ปปปป-ดด "
                        "เช่น 2568-03", code="bad_month", field="month")
    return Month(*read)


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def _measures(month: Month):
    start, end = month.start, month.end
    closed = Case.status.in_([str(s) for s in CLOSED_STATUSES])
    return [
        _count(and_(Case.submitted_at >= start, Case.submitted_at < end)),
        _count(and_(closed, Case.closed_at >= start, Case.closed_at < end)),
        _count(and_(closed, Case.closed_at >= start, Case.closed_at < end, Case.closed_at < Case.due_at)),
        _count(and_(Case.submitted_at < end, or_(Case.closed_at.is_(None), Case.closed_at >= end))),
        _count(_breached_in(month)),
        func.avg(case((and_(Case.closed_at >= start, Case.closed_at < end), Case.satisfaction), else_=None)),
    ]


def _breached_in(month: Month):
    return and_(Case.due_at >= month.start, Case.due_at < month.end,
                or_(Case.closed_at.is_(None), Case.closed_at >= Case.due_at),
                Case.submitted_at < month.end)


SUMMARY_HEADERS = {
    "th": ["หน่วยงาน", "ชื่อหน่วยงาน", "รับเรื่องในเดือน", "ปิดเรื่องในเดือน", "ปิดทันกำหนด", "ค้างสิ้นเดือน",
           "เกินกำหนดในเดือน", "ความพึงพอใจเฉลี่ย (1-5)"],
    "en": ["Agency", "Agency name", "Received in month", "Closed in month", "Closed on time",
           "Open at month end", "SLA breaches in month", "Average satisfaction (1-5)"],
}
TYPE_HEADERS = {
    "th": ["หน่วยงาน", "รหัสประเภท", "ประเภทเรื่อง", "รับเรื่องในเดือน", "ปิดเรื่องในเดือน", "ปิดทันกำหนด",
           "ค้างสิ้นเดือน", "เกินกำหนดในเดือน", "ความพึงพอใจเฉลี่ย (1-5)"],
    "en": ["Agency", "Type code", "Case type", "Received in month", "Closed in month", "Closed on time",
           "Open at month end", "SLA breaches in month", "Average satisfaction (1-5)"],
}
BREACH_HEADERS = {
    "th": ["เลขที่เรื่อง", "หน่วยงาน", "ประเภทเรื่อง", "เรื่อง", "สถานะ", "วันที่รับเรื่อง", "วันครบกำหนด",
           "วันที่ปิดเรื่อง"],
    "en": ["Tracking code", "Agency", "Case type", "Title", "Status", "Submitted", "Due date", "Closed"],
}
SHEET_NAMES = {
    "th": ("สรุปรายหน่วยงาน", "เรื่องเกินกำหนด", "ตามประเภทเรื่อง"),
    "en": ("Summary by agency", "SLA breaches", "By case type"),
}
_FIGURES = (("number", 14),) * 5 + (("average", 14),)


def _columns(texts: int, widths: tuple[int, ...]) -> tuple:
    return tuple(("text", "text", width) for width in widths[:texts]) + tuple(
        ("n", "number", width) for _, width in _FIGURES)


def write_monthly(session, actor: Actor, path: str | os.PathLike, month: Month, *, lang: str = "th",
                  agency_code: str | None = None) -> dict:
    """Write the workbook; returns what it holds, for the command's summary. Raises OSError when
    the file cannot be written; path is then as it was."""
    language = "th" if lang == "th" else "en"
    scope = [agency_clause(actor, Case.agency_id)]
    if agency_code:
        scope.append(Agency.code == agency_code.strip().upper())
    measures = _measures(month)
    by_agency = session.execute(
        select(Agency.code, Agency.name_th if language == "th" else Agency.name_en, *measures)
        .select_from(Case).join(Agency, Agency.id == Case.agency_id).where(*scope)
        .group_by(Agency.id, Agency.code, Agency.name_th, Agency.name_en).order_by(Agency.id)).all()
    by_type = session.execute(
        select(Agency.code, CaseType.code, CaseType.name_th if language == "th" else CaseType.name_en, *measures)
        .select_from(Case).join(Agency, Agency.id == Case.agency_id).join(CaseType, CaseType.id == Case.case_type_id)
        .where(*scope).group_by(Agency.id, Agency.code, CaseType.id, CaseType.code, CaseType.name_th, CaseType.name_en)
        .order_by(Agency.id, CaseType.id)).all()
    breaches = session.execute(
        select(Case.tracking_code, Agency.code, CaseType.name_th if language == "th" else CaseType.name_en, Case.title,
               Case.status, Case.submitted_at, Case.due_at, Case.closed_at)
        .select_from(Case).join(Agency, Agency.id == Case.agency_id).join(CaseType, CaseType.id == Case.case_type_id)
        .where(*scope, _breached_in(month)).order_by(Agency.id, Case.due_at, Case.id)
        .execution_options(yield_per=2_000))

    with workbook_at(path) as workbook:
        summary_name, breach_name, type_name = SHEET_NAMES[language]
        summary = SheetWriter(workbook, summary_name, _columns(2, (10, 40)), SUMMARY_HEADERS[language], language)
        summary.sheet.set_header(f"&C{month.label(language)}")
        agencies = 0
        for row in by_agency:
            summary.append(_figures(row, 2))
            agencies += 1
        summary.finish()

        breach_columns = (("t", "text", 18), ("a", "text", 10), ("c", "text", 30), ("title", "text", 45),
                          ("s", "text", 18), ("sub", "datetime", 17), ("due", "date", 12), ("closed", "datetime", 17))
        breach_sheet = SheetWriter(workbook, breach_name, breach_columns, BREACH_HEADERS[language], language)
        breached = 0
        for code, agency, type_name_text, title, status, submitted, due, closed in breaches:
            breach_sheet.append([code, agency, type_name_text, title, label(STATUS_LABELS, status, language),
                                 local_time(submitted), last_day(due), local_time(closed)])
            breached += 1
        breach_sheet.finish()

        type_sheet = SheetWriter(workbook, type_name, _columns(3, (10, 18, 40)), TYPE_HEADERS[language], language)
        for row in by_type:
            type_sheet.append(_figures(row, 3))
        type_sheet.finish()
    return {"month": f"{month.year}-{month.month:02d}", "agencies": agencies, "types": len(by_type),
            "breaches": breached}


def _figures(row, texts: int) -> list:
    values = list(row[:texts])
    for value in row[texts:-1]:
        values.append(int(value or 0))
    average = row[-1]
    values.append(round(float(average), 2) if average is not None else None)
    return values

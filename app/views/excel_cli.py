"""`flask cases import`, `cases export` and `cases export-monthly` (CONTRACT.md): progress on
stderr, the first errors as lines, and a one-line JSON summary last; non-zero exit on failure."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask.cli import with_appcontext

from app.cli import emit_summary, fail_with_summary

LANGUAGES = click.Choice(["th", "en"])


class _ProgressBars:
    """One click progress bar per stage of a long run, on stderr so stdout ends with the summary."""

    LABELS = {"read": "reading", "check": "checking rows", "match": "matching cases", "write": "writing cases",
              "export": "exporting"}

    def __init__(self):
        self.stage, self.bar, self.done = None, None, 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage, self.done = stage, 0
            if total:
                self.bar = click.progressbar(length=total, label=self.LABELS.get(stage, stage), file=sys.stderr)
                self.bar.__enter__()
            else:
                click.echo(f"{self.LABELS.get(stage, stage)}...", err=True)
        if self.bar is not None and done > self.done:
            self.bar.update(done - self.done)
            self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _fail(summary: dict, message: str) -> None:
    fail_with_summary(message, {**summary, "ok": False})


def _check_agency(summary: dict, typed: str | None, code: str | None) -> None:
    """--agency must name an agency (`code`, as the command reads what was typed): an unknown one
    would export nothing and say ok."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Agency

    if code and db.session.execute(select(Agency.id).where(Agency.code == code)).first() is None:
        _fail(summary, f"No such agency: '{typed}'")


def _check_workbook_name(file: Path, summary: dict) -> None:
    """An export is an Excel workbook: a name that says otherwise (out.csv) would open as garbage."""
    if file.suffix.lower() != ".xlsx":
        _fail(summary, f"{file.name} does not end in .xlsx: the export writes an Excel workbook; name it so")


def _not_written(file: Path, error: OSError) -> str:
    """The export's services write a workbook whole or not at all: an earlier file stays."""
    return f"Cannot write {file}: {error.strerror or error}; nothing was changed there"


def _interrupted(file: Path) -> str:
    return f"Interrupted; nothing was changed at {file}"


FILTER_MAX_FUTURE_DAYS = 100 * 366


def _date(text: str | None, name: str, summary: dict):
    """The day an option names; an unreadable one fails the command with its summary."""
    if not text:
        return None
    from app.domain.excel_cells import CellError, parse_date

    try:
        # A filter's day may be any real one: the import's bound on days ahead is for dates received.
        return parse_date(text, max_future_days=FILTER_MAX_FUTURE_DAYS)
    except CellError as error:
        _fail(summary, f"{name}: {error.message_en}")


def register_excel_cli(cases_cli) -> None:
    @cases_cli.command("import")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--agency", "agency_code", required=True, help="Code of the agency whose cases the file holds.")
    @click.option("--dry-run", is_flag=True, help="Check and count, write nothing.")
    @click.option("--valid-only", is_flag=True, help="Import the valid rows and leave the bad ones out.")
    @click.option("--lang", default="en", type=LANGUAGES, show_default=True, help="Language of the error messages.")
    @with_appcontext
    def import_cases(file: Path, agency_code: str, dry_run: bool, valid_only: bool, lang: str):
        """Import a legacy register (.xlsx, .xls, .ods): new cases, updates, nothing twice."""
        from app.domain.errors import RuleError
        from app.services.case_import import command_line_actor, run_import

        started = time.perf_counter()
        base = {"file": file.name, "agency": agency_code.upper(), "dry_run": dry_run, "valid_only": valid_only}
        if not file.is_file():
            _fail(base, f"No such file: {file}")
        bars = _ProgressBars()
        try:
            plan = run_import(command_line_actor(), file, file_name=file.name, agency_code=agency_code,
                              valid_only=valid_only, dry_run=dry_run, progress=bars)
        except RuleError as error:
            bars.close()
            plan = getattr(error, "plan", None)
            if plan is not None:
                _print_errors(plan, lang)
                base.update(plan.counts.as_dict())
            _fail(base, error.message(lang))
            return
        bars.close()
        _print_errors(plan, lang)
        counts = plan.counts.as_dict()
        failed = bool(plan.bad) and not valid_only
        emit_summary({**base, **counts, "written": not dry_run, "ok": not failed,
                      "seconds": round(time.perf_counter() - started, 2)})
        if failed:
            sys.exit(1)

    @cases_cli.command("export")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--agency", "agency_code", default=None, help="Only this agency's cases.")
    @click.option("--status", default=None, help="Only cases with this status (received, in_progress, ...).")
    @click.option("--from", "date_from", default=None, help="Submitted on or after this day (18/12/2567 or 2024-12-18).")
    @click.option("--to", "date_to", default=None, help="Submitted on or before this day.")
    @click.option("--lang", default="th", type=LANGUAGES, show_default=True, help="Language of headers and labels.")
    @with_appcontext
    def export_cases(file: Path, agency_code, status, date_from, date_to, lang):
        """Export cases to .xlsx, streamed."""
        from sqlalchemy import func, select

        from app.domain.statuses import Status
        from app.extensions import db
        from app.models import Case
        from app.services.case_export import ExportFilters, export_cases as export, filter_clauses
        from app.services.case_import import command_line_actor
        from app.services.db import begin_read_only

        started = time.perf_counter()
        base = {"file": str(file)}
        _check_workbook_name(file, base)
        begin_read_only(db.session)  # on SQLite, the web's saves go on while the file is written
        status = status.strip().lower() if status else status  # as agency codes: "Resolved" is resolved
        if status and status not in set(Status):
            _fail(base, f"Unknown status '{status}'; use one of: {', '.join(Status)}")
        _check_agency(base, agency_code, agency_code and agency_code.upper())
        day_from, day_to = _date(date_from, "--from", base), _date(date_to, "--to", base)
        if day_from and day_to and day_from > day_to:
            _fail(base, f"--from ({day_from.isoformat()}) is after --to ({day_to.isoformat()}); nothing would match")
        filters = ExportFilters(agency_code, status, day_from, day_to)
        total = db.session.execute(select(func.count(Case.id)).where(*filter_clauses(filters))).scalar_one()
        bars = _ProgressBars()
        try:
            written = export(db.session, command_line_actor("command line export"), file, filters, lang=lang,
                             progress=lambda stage, done, _total: bars(stage, done, total))
        except OSError as error:
            bars.close()
            _fail(base, _not_written(file, error))
            return
        except KeyboardInterrupt:
            bars.close()
            _fail(base, _interrupted(file))
            return
        bars.close()
        emit_summary({**base, "cases": written, "ok": True, "seconds": round(time.perf_counter() - started, 2)})

    @cases_cli.command("export-monthly")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--month", required=True, help="YYYY-MM (C.E. or B.E.).")
    @click.option("--agency", "agency_code", default=None, help="Only this agency.")
    @click.option("--lang", default="th", type=LANGUAGES, show_default=True, help="Language of the workbook.")
    @with_appcontext
    def export_monthly(file: Path, month: str, agency_code, lang):
        """The monthly management workbook: summary per agency, SLA breaches, cases by type."""
        from app.domain.errors import RuleError
        from app.extensions import db
        from app.services.case_import import command_line_actor
        from app.services.db import begin_read_only
        from app.services.monthly_report import parse_month, write_monthly

        started = time.perf_counter()
        base = {"file": str(file)}
        _check_workbook_name(file, base)
        begin_read_only(db.session)
        _check_agency(base, agency_code, agency_code and agency_code.strip().upper())
        try:
            chosen = parse_month(month)
            figures = write_monthly(db.session, command_line_actor("command line export"), file, chosen, lang=lang,
                                    agency_code=agency_code)
        except RuleError as error:
            # In English, as every other message of the command line; --lang is the workbook's.
            _fail(base, error.message("en"))
            return
        except OSError as error:
            _fail(base, _not_written(file, error))
            return
        except KeyboardInterrupt:
            _fail(base, _interrupted(file))
            return
        emit_summary({**base, **figures, "ok": True, "seconds": round(time.perf_counter() - started, 2)})


def _print_errors(plan, lang: str, limit: int = 20) -> None:
    for notice in plan.notices:
        click.echo(notice[0] if lang == "th" else notice[1])
    for issue in plan.first_errors(limit):
        click.echo(f"row {issue.row}, {issue.column}: {issue.message(lang)}")
    if len(plan.bad) and sum(len(row.issues) for row in plan.bad) > limit:
        click.echo(f"... and more: {len(plan.bad):,} rows with errors in all")

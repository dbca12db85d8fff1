"""Importing legacy registers: preview counts, all-or-nothing, valid rows only, idempotence,
updates by tracking code and by reference, other agencies refused, timeline events from "import"."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.integration.excel_support import (
    CITIZEN_ID, HEADER_TH, JURISTIC_ID, NUISANCE, FailedFormula, legacy_rows, write_legacy_xls, write_ods, write_register,
    write_register_ods,
)

WRITERS = {"xlsx": write_register, "xls": write_legacy_xls, "ods": write_register_ods}

BANGKOK = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture()
def ctx(app):
    with app.app_context():
        yield


def _actor(username: str):
    from app.extensions import db
    from app.models import StaffUser
    from app.services.case_import import import_actor

    user = db.session.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one()
    return import_actor(user)


def _run(path, username="diw.clerk", **kw):
    from app.services.case_import import run_import

    return run_import(_actor(username), path, isolated=False, **kw)


def _cases():
    from app.extensions import db
    from app.models import Case

    db.session.expire_all()
    return {c.external_ref: c for c in db.session.execute(select(Case)).unique().scalars()}


def _event_count():
    from app.extensions import db
    from app.models import CaseEvent

    return db.session.execute(select(func.count(CaseEvent.id))).scalar_one()


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_legacy_register_is_read_as_clerks_keep_it(ctx, tmp_path, kind):
    """The same register from Excel and from LibreOffice (behind a hidden lookup sheet there)."""
    plan = _run(WRITERS[kind](tmp_path / f"ทะเบียน.{kind}", legacy_rows()))
    assert plan.counts.as_dict() == {"new": 4, "updated": 0, "unchanged": 0, "errors": 0}
    assert plan.header_row == 4 and plan.empty_rows == 1
    cases = _cases()
    first, second, third, fourth = (cases[f"REG-67-00{n}"] for n in (1, 2, 3, 4))
    assert first.title == "กลิ่นเหม็นจากโรงงานผลิตอาหารสัตว์"  # trailing spaces gone
    assert first.requester_phone == "0812345678" and first.requester_id == CITIZEN_ID
    assert first.submitted_at.astimezone(BANGKOK).date() == dt.date(2024, 12, 18)  # B.E. text date
    assert first.tracking_code.startswith("DIW-2567-") and first.status == "received"
    assert first.channel == "import" and first.agency.code == "DIW"
    assert first.due_at and first.sla_started_at == first.submitted_at and first.sla_flag == "breached"
    assert second.requester_phone == "0891234567"  # Thai digits
    assert second.submitted_at.astimezone(BANGKOK) == dt.datetime(2024, 12, 19, 9, 30, tzinfo=BANGKOK)
    assert second.status == "in_progress"
    assert third.requester_phone == "022023000" and third.requester_id == JURISTIC_ID  # zeros restored
    assert third.status == "resolved" and third.closed_at.astimezone(BANGKOK).date() == dt.date(2025, 1, 15)
    assert third.case_type.code == "DIW-RNG4" and third.kind == "request"
    assert third.submitted_at.astimezone(BANGKOK).date() == dt.date(2024, 12, 20)  # '๒๐ ธ.ค. ๖๗'
    assert fourth.province == "กรุงเทพมหานคร"
    assert fourth.tracking_code.startswith("DIW-2567-")


def test_every_imported_change_is_on_the_timeline_from_import(ctx, tmp_path):
    from app.extensions import db
    from app.models import CaseEvent

    _run(write_register(tmp_path / "reg.xlsx", legacy_rows()), file_name="reg.xlsx")
    case = _cases()["REG-67-003"]
    events = db.session.execute(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)).scalars().all()
    assert [(e.kind, e.to_status) for e in events] == [("created", "received"), ("status", "resolved")]
    assert {e.source for e in events} == {"import"}
    assert {e.origin for e in events} == {"reg.xlsx:row 8"}
    assert events[0].actor_label == "diw.clerk"
    note = db.session.execute(select(CaseEvent.note).where(CaseEvent.case_id == _cases()["REG-67-001"].id)).scalar()
    assert note == "โทรแจ้งซ้ำ"


def test_importing_the_same_file_twice_changes_nothing(ctx, tmp_path):
    path = write_register(tmp_path / "reg.xlsx", legacy_rows())
    _run(path)
    before = {ref: (c.version, c.updated_at) for ref, c in _cases().items()}
    events = _event_count()
    again = _run(path)
    assert again.counts.as_dict() == {"new": 0, "updated": 0, "unchanged": 4, "errors": 0}
    assert {ref: (c.version, c.updated_at) for ref, c in _cases().items()} == before
    assert _event_count() == events


def test_update_by_reference_and_by_tracking_code(ctx, tmp_path):
    _run(write_register(tmp_path / "first.xlsx", legacy_rows()))
    cases = _cases()
    code = cases["REG-67-002"].tracking_code
    rows = [
        # by reference: the status moves on and the requester's phone is corrected
        [1, None, "REG-67-001", None, None, None, "0898765432", None, None, "กำลังดำเนินการ", None, None, None],
        # by tracking code: closed, with its date
        [2, code, None, None, None, None, None, None, None, "เสร็จสิ้น", None, "5 ม.ค. 2568", "แจ้งผลแล้ว"],
        # unchanged: the same values as stored
        [3, None, "REG-67-004", NUISANCE, "น้ำเสียไหลลงคลองสาธารณะ", None, None, None, None, None, None, None, None],
    ]
    plan = _run(write_register(tmp_path / "second.xlsx", rows), file_name="second.xlsx")
    assert plan.counts.as_dict() == {"new": 0, "updated": 2, "unchanged": 1, "errors": 0}
    cases = _cases()
    first, second = cases["REG-67-001"], cases["REG-67-002"]
    assert first.status == "in_progress" and first.requester_phone == "0898765432" and first.version == 2
    assert first.first_response_at is not None
    assert second.status == "resolved" and second.closed_at.astimezone(BANGKOK).date() == dt.date(2025, 1, 5)
    assert second.sla_flag in ("on_track", "at_risk", "breached")
    from app.extensions import db
    from app.models import CaseEvent

    events = db.session.execute(select(CaseEvent).where(CaseEvent.case_id == first.id).order_by(CaseEvent.id)).scalars().all()
    edit, status = events[-2:]
    assert edit.kind == "edit" and edit.changes == {"requester_phone": ["0812345678", "0898765432"]}
    assert status.kind == "status" and (status.from_status, status.to_status) == ("received", "in_progress")
    assert edit.origin == "second.xlsx:row 5" and edit.source == "import"


def test_reopening_by_import_counts_a_reopen(ctx, tmp_path):
    from app.domain.local_time import local_date
    from app.extensions import db
    from app.models.types import utcnow
    from app.services import sla as sla_service

    _run(write_register(tmp_path / "first.xlsx", legacy_rows()))
    closed_at = _cases()["REG-67-003"].closed_at
    rows = [[1, None, "REG-67-003", None, None, None, None, None, None, "กำลังดำเนินการ", None, None, None]]
    _run(write_register(tmp_path / "again.xlsx", rows))
    case = _cases()["REG-67-003"]
    assert case.status == "in_progress" and case.reopen_count == 1 and case.closed_at is None
    # The clock stood still while the case was closed: those working days count as paused.
    closed_days = sla_service.calendar(db.session).working_days_between(local_date(closed_at), local_date(utcnow()))
    assert closed_days > 100 and case.paused_days == closed_days


def test_a_bad_row_without_valid_only_writes_nothing(ctx, tmp_path):
    from app.services.case_import import ImportRefused

    rows = legacy_rows() + [[9, None, "REG-67-009", NUISANCE, "เรื่องทดสอบ", None, "12345", None, "ไม่มีจังหวัดนี้",
                             "ไม่รู้จัก", "31/02/2567", None, None]]
    with pytest.raises(ImportRefused) as refused:
        _run(write_register(tmp_path / "bad.xlsx", rows))
    assert refused.value.code == "rows_with_errors"
    assert refused.value.plan.counts.as_dict() == {"new": 4, "updated": 0, "unchanged": 0, "errors": 1}
    assert _cases() == {} and _event_count() == 0
    fields = {issue.field for issue in refused.value.plan.first_errors()}
    assert {"requester_phone", "status", "submitted_at"} <= fields
    issue = next(i for i in refused.value.plan.first_errors() if i.field == "status")
    assert issue.row == 10 and issue.column == "สถานะ" and "ไม่รู้จัก" in issue.message_th and "Unknown" in issue.message_en


def test_a_new_row_is_told_all_it_lacks_with_its_other_errors(ctx, tmp_path):
    """A new row with a bad cell was told only of that cell; its missing title and reference came
    to light on the next upload, once the cell was mended."""
    from app.services.case_import import ImportRefused

    rows = legacy_rows() + [[9, None, None, NUISANCE, None, None, "12345", None, None, None, "31/02/2567", None, None]]
    with pytest.raises(ImportRefused) as refused:
        _run(write_register(tmp_path / "bad.xlsx", rows))
    issues = [issue for issue in refused.value.plan.first_errors() if issue.row == 10]
    assert sorted((issue.field, issue.code) for issue in issues) == [
        ("external_ref", "reference_required"), ("requester_phone", "phone_invalid"),
        ("submitted_at", "date_nonexistent"), ("title", "required_for_new")]


def test_valid_only_imports_the_good_rows(ctx, tmp_path):
    rows = legacy_rows() + [[9, None, "REG-67-009", NUISANCE, None, None, None, None, None, None, "1/1/2568", None, None]]
    plan = _run(write_register(tmp_path / "mixed.xlsx", rows), valid_only=True)
    assert plan.counts.as_dict() == {"new": 4, "updated": 0, "unchanged": 0, "errors": 1}
    assert plan.bad[0].issues[0].code == "required_for_new" and plan.bad[0].issues[0].field == "title"
    assert set(_cases()) == {"REG-67-001", "REG-67-002", "REG-67-003", "REG-67-004"}


def test_dry_run_writes_nothing(ctx, tmp_path):
    plan = _run(write_register(tmp_path / "reg.xlsx", legacy_rows()), dry_run=True)
    assert plan.counts.new == 4
    assert _cases() == {}


def test_rows_for_another_agency_are_refused(ctx, tmp_path, make_case):
    ops_case = make_case("OPS", external_ref="OPS-1")
    rows = [
        [1, None, "REG-1", "ร้องเรียนทั่วไป", "เรื่องของ สปอ.", None, None, None, None, None, "1/12/2567", None, None],
        [2, ops_case["tracking_code"], None, None, "แก้ชื่อเรื่อง", None, None, None, None, None, None, None, None],
    ]
    plan = _run(write_register(tmp_path / "other.xlsx", rows), valid_only=True)
    assert plan.counts.as_dict() == {"new": 0, "updated": 0, "unchanged": 0, "errors": 2}
    codes = [row.issues[0].code for row in plan.bad]
    assert codes == ["other_agency_type", "other_agency_case"]



def test_a_row_naming_a_case_forwarded_away_is_refused(ctx, tmp_path, make_case):
    from app.services import cases
    from app.services.actor import Actor

    moved = make_case("DIW", external_ref="REG-9")
    cases.forward_case(Actor.system("tests"), moved["id"], "TISI", note="เป็นเรื่องมาตรฐาน")
    rows = [[1, None, "REG-9", NUISANCE, "แก้ชื่อเรื่อง", None, None, None, None, None, None, None, None]]
    plan = _run(write_register(tmp_path / "moved.xlsx", rows), valid_only=True)
    assert plan.counts.as_dict() == {"new": 0, "updated": 0, "unchanged": 0, "errors": 1}
    issue = plan.bad[0].issues[0]
    assert issue.code == "forwarded_case" and moved["tracking_code"] in issue.message_en
    assert _cases()["REG-9"].title != "แก้ชื่อเรื่อง"


def test_an_agency_column_naming_another_agency_is_refused(ctx, tmp_path):
    header = HEADER_TH[:4] + ["หน่วยงาน"] + HEADER_TH[4:]
    rows = [row[:4] + ["OPS สำนักงานปลัดกระทรวงอุตสาหกรรม"] + row[4:] for row in legacy_rows()[:1]]
    rows += [row[:4] + ["DIW"] + row[4:] for row in legacy_rows()[1:2]]
    plan = _run(write_register(tmp_path / "agency.xlsx", rows, header=header), valid_only=True)
    assert plan.counts.as_dict()["errors"] == 1 and plan.counts.new == 1
    assert plan.bad[0].issues[0].code == "other_agency"


def test_a_clerk_cannot_name_another_agency_and_an_admin_must(ctx, tmp_path):
    from app.services.case_import import ImportRefused
    from app.services.errors import Forbidden

    path = write_register(tmp_path / "reg.xlsx", legacy_rows())
    with pytest.raises(Forbidden):
        _run(path, agency_code="OPS")
    with pytest.raises(ImportRefused):
        _run(path, username="admin")
    with pytest.raises(Forbidden):
        _run(path, username="diw.officer")  # officers do not import
    plan = _run(path, username="admin", agency_code="DIW")
    assert plan.counts.new == 4


def test_repeated_references_and_date_rules(ctx, tmp_path):
    rows = [
        [1, None, "R-1", NUISANCE, "เรื่องหนึ่ง", None, None, None, None, None, "1/12/2567", None, None],
        [2, None, "R-1", NUISANCE, "เรื่องซ้ำ", None, None, None, None, None, "1/12/2567", None, None],
        [3, None, "R-3", NUISANCE, "ปิดก่อนรับ", None, None, None, None, "เสร็จสิ้น", "10/12/2567", "1/12/2567", None],
        [4, None, "R-4", NUISANCE, "ปิดแล้วไม่มีวันที่", None, None, None, None, "เสร็จสิ้น", "10/12/2567", None, None],
        [5, None, "R-5", NUISANCE, "ยังเปิดแต่มีวันปิด", None, None, None, None, "รอรับเรื่อง", "10/12/2567", "11/12/2567", None],
        [6, None, "R-6", NUISANCE, "ส่งต่อ", None, None, None, None, "ส่งต่อ", "10/12/2567", None, None],
        [7, None, "R-7", NUISANCE, "อนาคต", None, None, None, None, None, "1/1/2600", None, None],
        [8, None, None, NUISANCE, "ไม่มีเลขอ้างอิง", None, None, None, None, None, "1/12/2567", None, None],
    ]
    plan = _run(write_register(tmp_path / "rules.xlsx", rows), dry_run=True)
    codes = {row.row: [i.code for i in row.issues] for row in plan.bad}
    assert codes == {6: ["repeated_in_file"], 7: ["closed_before_submitted"], 8: ["closed_without_date"],
                     9: ["open_with_closing_date"], 10: ["forwarded_by_import"], 11: ["date_in_future"],
                     12: ["reference_required"]}
    assert plan.counts.new == 1


def test_an_update_is_checked_with_the_stored_case(ctx, tmp_path):
    """A row changing a case is checked as the case would be after it: an open case gets no
    closing date, and the closing date stays on or after the date received."""
    _run(write_register(tmp_path / "first.xlsx", legacy_rows()))
    before = {ref: (c.status, c.submitted_at, c.closed_at, c.version) for ref, c in _cases().items()}
    rows = [
        # REG-67-002 is in progress: a closing date alone would close nothing
        [1, None, "REG-67-002", None, None, None, None, None, None, None, None, "5/1/2568", None],
        # REG-67-003 was received on 20/12/2567 and closed on 15/1/2568
        [2, None, "REG-67-003", None, None, None, None, None, None, None, "20/1/2568", None, None],
    ]
    plan = _run(write_register(tmp_path / "second.xlsx", rows), dry_run=True)
    found = {row.row: [(i.column, i.code) for i in row.issues] for row in plan.bad}
    assert found == {5: [("วันที่ปิดเรื่อง", "open_with_closing_date")],
                     6: [("วันที่รับเรื่อง", "closed_before_submitted")]}
    issue = plan.bad[0].issues[0]
    assert "กำลังดำเนินการ" in issue.message_th and "In progress" in issue.message_en
    assert "15/01/2568" in plan.bad[1].issues[0].message_th and "2025-01-15" in plan.bad[1].issues[0].message_en
    _run(write_register(tmp_path / "second.xlsx", rows), valid_only=True)
    rows = [[3, None, "REG-67-003", None, None, None, None, None, None, None, None, "19/12/2567", None]]
    plan = _run(write_register(tmp_path / "closing.xlsx", rows), valid_only=True)
    assert [(i.row, i.column, i.code) for i in plan.bad[0].issues] == [(5, "วันที่ปิดเรื่อง", "closed_before_submitted")]
    assert "20/12/2567" in plan.bad[0].issues[0].message_th and "2024-12-20" in plan.bad[0].issues[0].message_en
    assert {ref: (c.status, c.submitted_at, c.closed_at, c.version) for ref, c in _cases().items()} == before

    # With a closed status in the same row, the closing date is welcome; so is a date received
    # moved back, or a closing date moved on.
    rows = [
        [1, None, "REG-67-002", None, None, None, None, None, None, "เสร็จสิ้น", None, "5/1/2568", None],
        [2, None, "REG-67-003", None, None, None, None, None, None, None, "19/12/2567", "16/1/2568", None],
    ]
    plan = _run(write_register(tmp_path / "third.xlsx", rows))
    assert plan.counts.as_dict() == {"new": 0, "updated": 2, "unchanged": 0, "errors": 0}


def test_a_time_later_today_is_refused(ctx, tmp_path):
    """Imported at 12:09 Bangkok on 24/11/2569: 23:59 the same day has not happened yet."""
    now = dt.datetime(2026, 11, 24, 12, 9, tzinfo=BANGKOK)
    rows = [
        [1, None, "T-1", NUISANCE, "คืนนี้", None, None, None, None, None, "24/11/2569 23:59", None, None],
        [2, None, "T-2", NUISANCE, "เช้านี้", None, None, None, None, None, "24/11/2569 08:30", None, None],
        [3, None, "T-3", NUISANCE, "วันนี้", None, None, None, None, None, "24/11/2569", None, None],
        [4, None, "T-4", NUISANCE, "ปิดคืนนี้", None, None, None, None, "เสร็จสิ้น", "24/11/2569 08:30",
         dt.datetime(2026, 11, 24, 18, 0), None],
    ]
    plan = _run(write_register(tmp_path / "today.xlsx", rows), dry_run=True, now=now)
    assert {row.row: [(i.column, i.code) for i in row.issues][0] for row in plan.bad} == {
        5: ("วันที่รับเรื่อง", "date_in_future"), 8: ("วันที่ปิดเรื่อง", "date_in_future")}
    assert plan.counts.new == 2


def test_english_headers_without_title_rows(ctx, tmp_path):
    header = ["Reference", "Case type", "Title", "Phone", "Province", "Status", "Submitted", "Closed"]
    rows = [["EN-1", "Factory nuisance (odour, noise, waste water)", "Odour at night", "+66 81 234 5678",
             "Rayong", "Resolved", dt.datetime(2025, 3, 1, 8, 0), dt.datetime(2025, 3, 10, 8, 0)]]
    plan = _run(write_register(tmp_path / "english.xlsx", rows, header=header, titles=False))
    assert plan.counts.new == 1 and plan.header_row == 1
    case = _cases()["EN-1"]
    assert case.requester_phone == "0812345678" and case.province == "ระยอง" and case.status == "resolved"


def test_the_apostrophe_of_an_earlier_export_is_taken_off(ctx, tmp_path):
    """Exports before quote-prefixed cells put an apostrophe in front of text starting with a
    formula trigger; importing such a file gives the text back without it. An apostrophe before
    anything else is the clerk's and stays."""
    rows = [
        [1, None, "R-1", NUISANCE, "'- น้ำเสียไหลลงคลอง", "'=นายสมชาย", None, None, None, None, "1/12/2567", None, None],
        [2, None, "R-2", NUISANCE, "'  +กลิ่นเหม็น", "'ป้าแดง'", None, None, None, None, "1/12/2567", None, None],
    ]
    plan = _run(write_register(tmp_path / "old-export.xlsx", rows))
    assert plan.counts.new == 2
    cases = _cases()
    assert (cases["R-1"].title, cases["R-1"].requester_name) == ("- น้ำเสียไหลลงคลอง", "=นายสมชาย")
    assert (cases["R-2"].title, cases["R-2"].requester_name) == ("+กลิ่นเหม็น", "'ป้าแดง'")


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_excel_error_cells_make_their_rows_bad(ctx, tmp_path, kind):
    """A failed VLOOKUP (#N/A) or a broken reference (#REF!) is not an empty cell: a new case
    would lose its phone, an update would keep the stored value without a word. LibreOffice keeps
    an empty text beside the error, which calamine alone reads as an empty cell."""
    write = WRITERS[kind]
    _run(write(tmp_path / f"first.{kind}", legacy_rows()))
    lookup = FailedFormula("=VLOOKUP(B9,รายชื่อ!A:C,3,FALSE)", "#N/A")
    rows = [
        [1, None, "REG-67-009", NUISANCE, "กลิ่นเหม็น", "นายสมชาย ใจดี", lookup, None, "ระยอง", None, "1/12/2567",
         None, None],
        [2, None, "REG-67-001", None, None, None, FailedFormula("=#REF!", "#REF!"), None, None, None, None, None,
         None],
        [3, None, "REG-67-002", None, None, None, None, None, FailedFormula("=1/0", "#DIV/0!"), None, None, None,
         None],
        # An error in a column that is not imported (the row number) changes nothing.
        [FailedFormula("=#REF!", "#REF!"), None, "REG-67-004", None, "น้ำเสียไหลลงคลองสาธารณะ", None, None, None,
         None, None, None, None, None],
    ]
    plan = _run(write(tmp_path / f"errors.{kind}", rows), valid_only=True)
    first = 4 if kind == "xls" else 5
    found = {row.row - first: [(i.column, i.code) for i in row.issues] for row in plan.bad}
    assert found == {0: [("เบอร์โทร", "excel_error")], 1: [("เบอร์โทร", "excel_error")],
                     2: [("จังหวัด", "excel_error")]}
    issue = plan.bad[0].issues[0]
    assert "the Excel error #N/A" in issue.message_en and "#N/A" in issue.message_th
    assert "#REF!" in plan.bad[1].issues[0].message_en and "#DIV/0!" in plan.bad[2].issues[0].message_en
    assert plan.counts.as_dict() == {"new": 0, "updated": 0, "unchanged": 1, "errors": 3}
    cases = _cases()
    assert "REG-67-009" not in cases and cases["REG-67-001"].requester_phone == "0812345678"


def test_a_legacy_xls_is_imported(ctx, tmp_path):
    plan = _run(write_legacy_xls(tmp_path / "old.xls", legacy_rows()))
    assert plan.counts.as_dict() == {"new": 4, "updated": 0, "unchanged": 0, "errors": 0}
    assert _cases()["REG-67-003"].requester_id == JURISTIC_ID


@pytest.mark.parametrize("content, code", [
    (b"%PDF-1.4 not a sheet", "not_a_spreadsheet"),
    (b"", "not_a_spreadsheet"),
])
def test_files_that_are_not_sheets_are_refused_clearly(ctx, tmp_path, content, code):
    from app.services.case_import import ImportRefused

    path = tmp_path / "report.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportRefused) as refused:
        _run(path)
    assert refused.value.code == code and refused.value.message_th


def test_a_sheet_without_a_header_row_is_refused(ctx, tmp_path):
    from app.services.case_import import ImportRefused

    path = write_register(tmp_path / "noheader.xlsx", [["a", "b"]], header=["x", "y"], titles=False)
    with pytest.raises(ImportRefused) as refused:
        _run(path)
    assert refused.value.code == "header_not_found"


def _dashboard_state():
    from sqlalchemy import text

    from app.extensions import db

    cells = set(db.session.execute(text("SELECT agency_id, case_type_id, day FROM dashboard_dirty")).all())
    if db.session.get_bind().dialect.name == "postgresql":
        triggers = set(db.session.execute(text(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = CAST('\"case\"' AS regclass) "
            "AND NOT tgisinternal")).all())
    else:
        triggers = set(db.session.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'case'")).all())
    return cells, triggers


def test_a_large_import_marks_its_dashboard_cells_and_keeps_the_triggers(ctx, tmp_path, monkeypatch):
    from sqlalchemy import text

    from app.extensions import db
    from app.services import case_import_writer

    monkeypatch.setattr(case_import_writer, "SQLITE_TRIGGER_ASIDE_ROWS", 2)
    db.session.execute(text("DELETE FROM dashboard_dirty"))
    db.session.commit()
    _cells, triggers = _dashboard_state()
    assert len(triggers) == 3
    _run(write_register(tmp_path / "reg.xlsx", legacy_rows()))
    cells, after = _dashboard_state()
    assert after == triggers
    # The cells of the new cases are marked, as the triggers would have marked them.
    expected = {(c.agency_id, c.case_type_id, c.submitted_at.astimezone(BANGKOK).date().isoformat())
                for c in _cases().values()}
    assert len(expected) == 4
    assert {(agency, kind, day if isinstance(day, str) else day.isoformat()) for agency, kind, day in cells} == expected
    # And the triggers work again afterwards: a case saved later marks its cell.
    db.session.execute(text("DELETE FROM dashboard_dirty"))
    db.session.execute(text('UPDATE "case" SET priority = \'high\' WHERE external_ref = \'REG-67-001\''))
    assert len(_dashboard_state()[0]) == 1
    db.session.rollback()


def test_a_failed_large_import_leaves_the_triggers(ctx, tmp_path, monkeypatch):
    from app.services import case_import_writer

    monkeypatch.setattr(case_import_writer, "SQLITE_TRIGGER_ASIDE_ROWS", 2)
    _cells, triggers = _dashboard_state()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(case_import_writer, "_bulk_insert", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        _run(write_register(tmp_path / "reg.xlsx", legacy_rows()))
    assert _dashboard_state()[1] == triggers
    assert _cases() == {}


def test_a_case_another_user_creates_during_the_import_refuses_the_file_whole(ctx, tmp_path, monkeypatch):
    """Between the plan and the write, another user stores a case with a reference the file also
    gives: the import stops with the "import again" message, and writes nothing."""
    from app.extensions import db
    from app.models import Agency, Case, CaseType
    from app.services import case_import_writer
    from app.services.case_import import ImportRefused

    if db.session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite holds its write lock for the whole import: no one can write in between")
    diw = db.session.execute(select(Agency).where(Agency.code == "DIW")).scalar_one()
    case_type = db.session.execute(select(CaseType).where(CaseType.agency_id == diw.id)).scalars().first()
    now = dt.datetime.now(dt.timezone.utc)
    row = {"tracking_code": "DIW-2569-999999", "agency_id": diw.id, "case_type_id": case_type.id, "kind": case_type.kind,
           "channel": "web", "title": "เรื่องที่เจ้าหน้าที่อีกคนบันทึก", "status": "received", "priority": "normal",
           "external_ref": "REG-67-002", "external_agency_id": diw.id, "submitted_at": now, "paused_days": 0,
           "reopen_count": 0, "created_at": now, "updated_at": now, "version": 1}
    db.session.commit()
    reserve = case_import_writer.reserve_case_ids

    def another_user_saves_first(session, count):
        with db.engine.connect() as other:  # a connection of its own, committed before the write
            other.execute(Case.__table__.insert().values(**row))
            other.commit()
        return reserve(session, count)

    monkeypatch.setattr(case_import_writer, "reserve_case_ids", another_user_saves_first)
    with pytest.raises(ImportRefused) as refused:
        _run(write_register(tmp_path / "reg.xlsx", legacy_rows()))
    assert refused.value.code == "conflict"
    assert "import the file again" in str(refused.value).lower()
    cases = _cases()
    assert list(cases) == ["REG-67-002"] and cases["REG-67-002"].title == row["title"]
    assert _event_count() == 0


def test_a_case_another_user_saves_during_the_import_refuses_the_file_whole(ctx, tmp_path, monkeypatch):
    """Between the plan and the write, another user saves a case the file changes: the import
    stops with the "import again" message, and the other user's save stands."""
    from sqlalchemy import text

    from app.extensions import db
    from app.services import case_import_writer
    from app.services.case_import import ImportRefused

    if db.session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite holds its write lock for the whole import: no one can write in between")
    _run(write_register(tmp_path / "first.xlsx", legacy_rows()))
    events_before = _event_count()
    apply_updates = case_import_writer.apply_updates

    def another_user_saves_first(session, *args):
        with db.engine.connect() as other:
            other.execute(text("UPDATE \"case\" SET priority = 'high', version = version + 1 "
                               "WHERE external_ref = 'REG-67-001'"))
            other.commit()
        return apply_updates(session, *args)

    monkeypatch.setattr(case_import_writer, "apply_updates", another_user_saves_first)
    rows = [[1, None, "REG-67-001", None, None, None, "0898765432", None, None, "กำลังดำเนินการ", None, None, None]]
    with pytest.raises(ImportRefused) as refused:
        _run(write_register(tmp_path / "second.xlsx", rows))
    assert refused.value.code == "conflict"
    assert "import the file again" in str(refused.value).lower()
    case = _cases()["REG-67-001"]
    assert (case.priority, case.requester_phone, case.status, case.version) == ("high", "0812345678", "received", 2)
    assert _event_count() == events_before


def test_header_notices_name_the_columns_as_the_clerk_sees_them(ctx, tmp_path):
    """A column named twice or a required one missing is told with the file's own headers, the
    column letters and the field's name in Thai or English, never the program's field names."""
    header = ["เลขอ้างอิง", "เรื่อง", "หัวเรื่อง", "เบอร์โทร", "ผลการดำเนินการ", "โทรศัพท์"]
    rows = [["X-1", "กลิ่นเหม็น", "กลิ่น", "0812345678", "ส่งเจ้าหน้าที่", "0812345678"]]
    plan = _run(write_register(tmp_path / "dups.xlsx", rows, header=header, titles=False), dry_run=True)
    thai = [th for th, _ in plan.notices]
    english = [en for _, en in plan.notices]
    assert thai == [
        "คอลัมน์ E 'ผลการดำเนินการ' ไม่รู้จัก จึงไม่นำเข้า",
        "คอลัมน์ B 'เรื่อง' และ C 'หัวเรื่อง' เป็นข้อมูลเดียวกัน (เรื่อง) ใช้คอลัมน์ B",
        "คอลัมน์ D 'เบอร์โทร' และ F 'โทรศัพท์' เป็นข้อมูลเดียวกัน (เบอร์โทรศัพท์) ใช้คอลัมน์ D",
        "ไม่มีคอลัมน์ 'ประเภทเรื่อง': แถวที่สร้างเรื่องใหม่ต้องมีค่านี้",
        "ไม่มีคอลัมน์ 'วันที่รับเรื่อง': แถวที่สร้างเรื่องใหม่ต้องมีค่านี้",
    ]
    assert english == [
        "Column E 'ผลการดำเนินการ' is not known and is left out",
        "Columns B 'เรื่อง' and C 'หัวเรื่อง' hold the same field (Title); column B is used",
        "Columns D 'เบอร์โทร' and F 'โทรศัพท์' hold the same field (Phone); column D is used",
        "No 'Case type' column: rows that create a case need it",
        "No 'Submitted' column: rows that create a case need it",
    ]


def _register_behind_a_cover(path, *, after: bool = True):
    """As offices keep them: an instructions sheet first, a hidden lookup, the register, and
    (after) last year's register, all made with openpyxl."""
    import openpyxl

    workbook = openpyxl.Workbook()
    cover = workbook.active
    cover.title = "คำอธิบาย"
    cover.append(["วิธีกรอกทะเบียน"])
    cover.append(["ลบแถวตัวอย่างก่อนส่ง"])
    lookup = workbook.create_sheet("รายการ")
    lookup.append(["DIW-NUISANCE", NUISANCE])
    lookup.sheet_state = "hidden"
    register = workbook.create_sheet("ทะเบียน 2568")
    register.merge_cells("A1:E1")
    register["A1"] = "ทะเบียนรับเรื่องร้องเรียน ปีงบประมาณ ๒๕๖๘"
    register.append(["เลขอ้างอิง", "ประเภทเรื่อง", "เรื่อง", "วันที่รับเรื่อง", "สถานะ"])
    register.append(["C-1", NUISANCE, "กลิ่นเหม็น", "18/12/2567", "รอรับเรื่อง"])
    register.append(["C-2", NUISANCE, "เสียงดัง", "๑๙ ธ.ค. ๖๗", "กำลังดำเนินการ"])
    if after:
        older = workbook.create_sheet("ทะเบียน 2567")
        older.append(["เลขอ้างอิง", "ประเภทเรื่อง", "เรื่อง", "วันที่รับเรื่อง"])
        older.append(["B-1", NUISANCE, "น้ำเสีย", "1/12/2566"])
    workbook.save(path)
    return path


@pytest.mark.parametrize("isolated", [True, False])
def test_the_register_is_found_behind_a_cover_sheet(ctx, tmp_path, isolated):
    from app.services.case_import import run_import

    path = _register_behind_a_cover(tmp_path / "ทะเบียน.xlsx")
    plan = run_import(_actor("diw.clerk"), path, isolated=isolated)
    assert plan.counts.as_dict() == {"new": 2, "updated": 0, "unchanged": 0, "errors": 0}
    assert plan.header_row == 2
    assert set(_cases()) == {"C-1", "C-2"}
    [(thai, english)] = plan.notices
    assert thai == ("อ่านเฉพาะแผ่นงาน 'ทะเบียน 2568' (แผ่นที่ 2 จาก 3) แผ่นงานก่อนหน้า 'คำอธิบาย' ไม่มีแถวหัวตาราง "
                    "แผ่นงาน 'ทะเบียน 2567' ไม่ได้อ่าน ถ้ามีเรื่องที่ต้องนำเข้า ให้ย้ายแผ่นงานนั้นไปไว้แผ่นแรก "
                    "แล้วนำเข้าไฟล์อีกครั้ง")
    assert english == ("Only the sheet 'ทะเบียน 2568' was read (2 of 3); the sheet before it, 'คำอธิบาย', has "
                       "no header row; 'ทะเบียน 2567' was not read: to import one, move it to the front and import "
                       "the file again")
    again = _run(path)
    assert again.counts.as_dict() == {"new": 0, "updated": 0, "unchanged": 2, "errors": 0}


def test_a_workbook_without_a_register_says_which_sheets_it_looked_at(ctx, tmp_path):
    import openpyxl

    from app.services.case_import import ImportRefused

    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    with pytest.raises(ImportRefused) as refused:
        _run(empty)
    assert refused.value.code == "empty_workbook"
    assert refused.value.message("th") == "ไฟล์นี้ไม่มีข้อมูล: แผ่นงาน 'Sheet' ว่าง"
    assert refused.value.message("en") == "The workbook holds no data: the sheet 'Sheet' is empty."

    workbook = openpyxl.Workbook()
    workbook.active.title = "สรุป"
    workbook.active.append(["ยอดรวม", 12])
    workbook.create_sheet("หมายเหตุ")
    notes = tmp_path / "notes.xlsx"
    workbook.save(notes)
    with pytest.raises(ImportRefused) as refused:
        _run(notes)
    assert refused.value.code == "header_not_found"
    assert refused.value.message("en").endswith("(sheets looked at: 'สรุป', 'หมายเหตุ')")
    assert refused.value.message("th").endswith("(แผ่นงานที่ตรวจดู: 'สรุป', 'หมายเหตุ')")
    assert _cases() == {}


def test_a_formula_the_file_keeps_no_result_for_makes_its_row_bad(ctx, tmp_path):
    """A register made by a script (openpyxl) and never saved by Excel keeps its formulas without
    their results. Read as empty, a new case would lose its type and an update would keep the
    stored status without a word; the row is bad instead, naming the formula."""
    import openpyxl

    from app.services.import_files import write_errors_workbook

    _run(write_register(tmp_path / "first.xlsx", legacy_rows()))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["เลขอ้างอิง", "ประเภทเรื่อง", "เรื่อง", "วันที่รับเรื่อง", "สถานะ", "ลำดับ"])
    sheet.append(["N-1", '=VLOOKUP("กลิ่น",ประเภท!A:B,2,FALSE)', "กลิ่นเหม็น", "1/12/2567", None, "=ROW()-1"])
    sheet.append(["REG-67-002", None, None, None, '=IF(A3="","","เสร็จสิ้น")', "=ROW()-1"])
    sheet.append(["REG-67-004", None, "น้ำเสียไหลลงคลองสาธารณะ", None, None, "=ROW()-1"])
    path = tmp_path / "script.xlsx"
    workbook.save(path)
    plan = _run(path, dry_run=True)
    found = {row.row: [(i.column, i.code) for i in row.issues] for row in plan.bad}
    assert found == {2: [("ประเภทเรื่อง", "formula_not_calculated")], 3: [("สถานะ", "formula_not_calculated")]}
    issue = plan.bad[0].issues[0]
    assert '=VLOOKUP("กลิ่น",ประเภท!A:B,2,FALSE)' in issue.message_en and "open the file in Excel" in issue.message_en
    assert "=VLOOKUP" in issue.message_th and "Excel" in issue.message_th
    assert plan.counts.as_dict() == {"new": 0, "updated": 0, "unchanged": 1, "errors": 2}

    errors = tmp_path / "errors.xlsx"
    write_errors_workbook(errors, plan, read_rows_of(path))
    cell = openpyxl.load_workbook(errors).active.cell(2, 4)  # the row's type cell, after row and errors
    assert cell.value == '=VLOOKUP("กลิ่น",ประเภท!A:B,2,FALSE)' and cell.data_type == "s" and cell.quotePrefix


def read_rows_of(path):
    from app.services.sheet_reader import read_rows

    return read_rows(path, isolated=False)


def test_the_errors_workbook_once_corrected_imports_without_notes(ctx, tmp_path):
    """The clerk downloads the bad rows, corrects them in the errors workbook and imports that:
    its row-number and errors columns are the import's own, not unknown columns."""
    import openpyxl

    from app.services.import_files import write_errors_workbook

    rows = legacy_rows() + [[5, None, "REG-67-005", NUISANCE, "ฝุ่นจากโรงโม่หิน", None, "12345", None, "สระบุรี",
                             "ไม่รู้จัก", "2/12/2567", None, None]]
    path = write_register(tmp_path / "reg.xlsx", rows)
    plan = _run(path, valid_only=True)
    assert plan.counts.as_dict() == {"new": 4, "updated": 0, "unchanged": 0, "errors": 1}
    errors = tmp_path / "reg-errors.xlsx"
    write_errors_workbook(errors, plan, read_rows_of(path))
    workbook = openpyxl.load_workbook(errors)
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    sheet.cell(2, header.index("เบอร์โทร") + 1, "0812223333")
    sheet.cell(2, header.index("สถานะ") + 1, "รอรับเรื่อง")
    workbook.save(errors)
    again = _run(errors)
    assert again.notices == []
    assert again.counts.as_dict() == {"new": 1, "updated": 0, "unchanged": 0, "errors": 0}
    assert _cases()["REG-67-005"].requester_phone == "0812223333"


def _register_with_merged_cells(path):
    """As offices lay registers out: a two-level header (ผู้ร้อง over ชื่อ and โทรศัพท์, วันที่ over
    รับเรื่อง and ปิดเรื่อง, the others merged down both header rows), a month's divider row
    merged across the sheet, and a date and a status merged down over the cases they apply to.
    Written by openpyxl for an .xlsx, as LibreOffice writes it for an .ods."""
    grid = [
        ["ทะเบียนรับเรื่องร้องเรียน"],
        ["เลขอ้างอิง", "ประเภทเรื่อง", "เรื่อง", "ผู้ร้อง", None, "สถานะ", "วันที่", None, "หมายเหตุ"],
        [None, None, None, "ชื่อ", "โทรศัพท์", None, "รับเรื่อง", "ปิดเรื่อง", None],
        ["ประจำเดือนธันวาคม ๒๕๖๗"],
        ["M-1", NUISANCE, "กลิ่นเหม็น", "นายหนึ่ง", "0812345678", "เสร็จสิ้น", "2/12/2567", "20/12/2567", None],
        ["M-2", NUISANCE, "เสียงดัง", "นายสอง", "0891234567", None, None, "21/12/2567", None],
        ["M-3", NUISANCE, "น้ำเสีย", "นายสาม", None, "กำลังดำเนินการ", None, None, "ตรวจแล้ว"],
        ["ประจำเดือนมกราคม ๒๕๖๘"],
        ["M-4", NUISANCE, "ฝุ่น", "นายสี่", None, "รอรับเรื่อง", "3/1/2568", None, None],
    ]
    merges = [(0, 0, 0, 8), *((1, column, 2, column) for column in (0, 1, 2, 5, 8)), (1, 3, 1, 4), (1, 6, 1, 7),
              (3, 0, 3, 8),
              (4, 5, 5, 5),  # resolved, both
              (4, 6, 6, 6),  # all three received on 2/12/2567
              (7, 0, 7, 8)]
    if path.suffix == ".ods":
        return write_ods(path, [("ทะเบียน", grid, tuple(merges), False)])
    import openpyxl
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "ทะเบียน"
    for row, values in enumerate(grid, start=1):
        for column, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(row, column, value)
    for top, left, bottom, right in merges:
        sheet.merge_cells(f"{get_column_letter(left + 1)}{top + 1}:{get_column_letter(right + 1)}{bottom + 1}")
    workbook.save(path)
    return path


@pytest.mark.parametrize("kind, isolated", [("xlsx", True), ("xlsx", False), ("ods", True)])
def test_merged_cells_read_as_the_clerk_means_them(ctx, tmp_path, kind, isolated):
    from app.services.case_import import run_import

    path = _register_with_merged_cells(tmp_path / f"merged.{kind}")
    plan = run_import(_actor("diw.clerk"), path, isolated=isolated, dry_run=True)
    assert [(issue.row, issue.column, issue.code) for issue in plan.first_errors()] == []
    assert plan.notices == []
    assert plan.counts.as_dict() == {"new": 4, "updated": 0, "unchanged": 0, "errors": 0}
    assert plan.header_row == 3 and plan.empty_rows == 2
    read = {row.external_ref: row for row in plan.new}
    assert {ref: (row.status, row.submitted_at.astimezone(BANGKOK).date()) for ref, row in read.items()} == {
        "M-1": ("resolved", dt.date(2024, 12, 2)), "M-2": ("resolved", dt.date(2024, 12, 2)),
        "M-3": ("in_progress", dt.date(2024, 12, 2)), "M-4": ("received", dt.date(2025, 1, 3))}
    assert (read["M-1"].values["requester_name"], read["M-1"].values["requester_phone"]) == ("นายหนึ่ง", "0812345678")
    assert read["M-2"].closed_at.astimezone(BANGKOK).date() == dt.date(2024, 12, 21)
    assert read["M-3"].note == "ตรวจแล้ว"


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_rows_holding_only_failed_formulas_are_empty_rows(ctx, tmp_path, kind):
    """A lookup filled down past the last case gives #N/A in rows that hold nothing else: those
    rows are empty, said once in a note, not a bad row each. A row with data keeps its error."""
    write = WRITERS[kind]
    lookup = FailedFormula("=VLOOKUP(C9,ประเภท!A:B,2,FALSE)", "#N/A")
    rows = legacy_rows()[:2]
    rows.append([3, None, "REG-67-003", lookup, "ขอใบอนุญาต", None, None, None, None, None, "1/12/2567", None, None])
    for number in range(4, 8):
        rows.append([number, None, None, lookup, None, None, None, None, None, None, None, None, None])
    plan = _run(write(tmp_path / f"filled.{kind}", rows), dry_run=True)
    assert plan.counts.as_dict() == {"new": 2, "updated": 0, "unchanged": 0, "errors": 1}
    assert [(row.issues[0].code) for row in plan.bad] == ["excel_error"]
    first = plan.header_row + 4
    assert plan.notices == [(
        f"4 แถว (แถวที่ {first}–{first + 3}) มีเพียงค่าผิดพลาดของสูตร เช่น #N/A จึงถือเป็นแถวว่าง ไม่นำเข้า",
        f"4 rows ({first}–{first + 3}) hold nothing but formula errors such as #N/A and are left out as empty")]
    assert plan.empty_rows == 4


def test_a_register_with_no_rows_under_its_header_says_so(ctx, tmp_path):
    plan = _run(write_register(tmp_path / "blank.xlsx", [[None] * 13, [None] * 13]), dry_run=True)
    assert plan.counts.as_dict() == {"new": 0, "updated": 0, "unchanged": 0, "errors": 0}
    assert plan.notices == [("ไม่มีข้อมูลใต้แถวหัวตาราง (แถวที่ 4) จึงไม่มีอะไรให้นำเข้า",
                             "There are no rows under the header row (row 4): nothing to import")]


def test_the_time_received_in_its_own_column(ctx, tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["เลขอ้างอิง", "ประเภทเรื่อง", "เรื่อง", "วันที่รับเรื่อง", "เวลา"])
    sheet.append(["T-1", NUISANCE, "กลิ่น", dt.datetime(2024, 12, 18), dt.time(14, 30)])
    sheet.append(["T-2", NUISANCE, "เสียง", "19/12/2567", "๐๙.๑๕ น."])
    sheet["D2"].number_format = "dd/mm/yyyy"
    sheet["E2"].number_format = "hh:mm"
    path = tmp_path / "times.xlsx"
    workbook.save(path)
    plan = _run(path)
    assert plan.counts.as_dict() == {"new": 2, "updated": 0, "unchanged": 0, "errors": 0} and plan.notices == []
    cases = _cases()
    assert cases["T-1"].submitted_at.astimezone(BANGKOK) == dt.datetime(2024, 12, 18, 14, 30, tzinfo=BANGKOK)
    assert cases["T-2"].submitted_at.astimezone(BANGKOK) == dt.datetime(2024, 12, 19, 9, 15, tzinfo=BANGKOK)
    assert _run(path).counts.as_dict() == {"new": 0, "updated": 0, "unchanged": 2, "errors": 0}


def test_a_retired_case_type_still_names_its_cases_but_no_new_one(ctx, tmp_path):
    """A type taken out of use stays on the cases filed under it: their register (or export)
    imports again unchanged, while a new row of that type is refused."""
    from app.extensions import db
    from app.models import CaseType

    path = write_register(tmp_path / "reg.xlsx", legacy_rows())
    _run(path)
    nuisance = db.session.execute(select(CaseType).where(CaseType.code == "DIW-NUISANCE")).scalar_one()
    nuisance.active = False
    db.session.commit()
    try:
        assert _run(path).counts.as_dict() == {"new": 0, "updated": 0, "unchanged": 4, "errors": 0}
        rows = [[9, None, "REG-67-009", NUISANCE, "กลิ่นใหม่", None, None, None, None, None, "1/12/2567", None, None]]
        plan = _run(write_register(tmp_path / "new.xlsx", rows), dry_run=True)
        assert [(issue.field, issue.code) for issue in plan.bad[0].issues] == [("case_type", "inactive_case_type")]
    finally:
        nuisance = db.session.execute(select(CaseType).where(CaseType.code == "DIW-NUISANCE")).scalar_one()
        nuisance.active = True
        db.session.commit()

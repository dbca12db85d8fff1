"""The Excel screens as a clerk, a manager and an officer use them: upload with CSRF, preview,
commit, valid rows only, errors workbook, template, the list's export with its filters, and the
monthly workbook."""
from __future__ import annotations

import io
import os
import re
import time

import openpyxl
import pytest
from sqlalchemy import select

from tests.integration.a11y_support import Page
from tests.integration.excel_support import legacy_rows, write_register, write_register_ods, NUISANCE


@pytest.fixture(autouse=True)
def _uploads_in_tmp(app, tmp_path):
    previous = app.config.get("EXCEL_IMPORT_DIR")
    app.config["EXCEL_IMPORT_DIR"] = str(tmp_path / "imports")
    yield
    app.config["EXCEL_IMPORT_DIR"] = previous


def _upload(b, path, **extra):
    with open(path, "rb") as handle:
        data = {"file": (io.BytesIO(handle.read()), path.name), **extra}
    return b.post("/cases/excel/import", data=data, content_type="multipart/form-data")


def _wait(b, url, states=("ready", "done", "failed"), timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = b.get(url + "/status").get_json()
        if status["state"] in states:
            return status
        time.sleep(0.1)
    raise AssertionError(f"still {status} after {timeout} s")


def _cases_count(app):
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Case

    with app.app_context():
        return db.session.execute(select(func.count(Case.id))).scalar_one()


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_clerk_uploads_previews_and_commits(browser, app, tmp_path, kind):
    b = browser("diw.clerk")
    page = b.get("/cases/excel/import")
    assert page.status_code == 200 and "csrf_token" in page.get_data(as_text=True)
    assert ".ods" in page.get_data(as_text=True)  # the file picker offers LibreOffice's files too
    write = write_register if kind == "xlsx" else write_register_ods
    response = _upload(b, write(tmp_path / f"ทะเบียน.{kind}", legacy_rows()))
    assert response.status_code == 302
    url = response.headers["Location"]
    assert _wait(b, url)["counts"] == {"new": 4, "updated": 0, "unchanged": 0, "errors": 0}
    html = b.get(url).get_data(as_text=True)
    assert "count-new" in html and "บันทึกทั้งไฟล์" in html  # the clerk's language is Thai
    assert _cases_count(app) == 0  # the preview writes nothing
    assert b.post(url + "/commit").status_code == 302
    status = _wait(b, url, states=("done", "failed"))
    assert status["state"] == "done" and status["counts"]["new"] == 4
    assert _cases_count(app) == 4
    assert "นำเข้าเรียบร้อย" in b.get(url).get_data(as_text=True)


def test_preview_lists_first_errors_and_errors_workbook(browser, app, tmp_path):
    b = browser("diw.clerk")
    rows = legacy_rows() + [[9, None, "REG-9", NUISANCE, "เรื่องผิด", None, "=HYPERLINK(\"x\")", None, None, "ไม่รู้จัก",
                             "1/1/2568", None, None]]
    url = _upload(b, write_register(tmp_path / "bad.xlsx", rows)).headers["Location"]
    status = _wait(b, url)
    assert status["counts"] == {"new": 4, "updated": 0, "unchanged": 0, "errors": 1}
    html = b.get(url).get_data(as_text=True)
    assert 'id="import-errors"' in html and "ไม่รู้จักสถานะ" in html and "สถานะ" in html
    workbook = b.get(url + "/errors.xlsx")
    assert workbook.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.data)).active
    assert sheet.cell(1, 2).value == "ข้อผิดพลาด / Errors"
    assert sheet.cell(2, 1).value == 10 and "Unknown status" in sheet.cell(2, 2).value
    phone = sheet.cell(2, 9)  # the row's own cells follow: the formula-like phone came back as text
    assert phone.data_type == "s" and phone.quotePrefix and phone.value == "=HYPERLINK(\"x\")"

    # all-or-nothing: committing the whole file writes nothing
    b.post(url + "/commit")
    failed = _wait(b, url, states=("done", "failed"))
    assert failed["state"] == "failed" and _cases_count(app) == 0
    assert "ไม่นำเข้าข้อมูลใด" in b.get(url).get_data(as_text=True)
    # valid rows only
    b.post(url + "/commit", data={"valid_only": "1"})
    assert _wait(b, url, states=("done",))["counts"]["new"] == 4
    assert _cases_count(app) == 4


def test_cancel_removes_the_upload(browser, tmp_path):
    b = browser("diw.clerk")
    url = _upload(b, write_register(tmp_path / "reg.xlsx", legacy_rows())).headers["Location"]
    _wait(b, url)
    assert b.post(url + "/cancel").status_code == 302
    assert b.get(url).status_code == 404


def test_upload_needs_csrf_and_belongs_to_its_uploader(browser, app, tmp_path):
    b = browser("diw.clerk")
    path = write_register(tmp_path / "reg.xlsx", legacy_rows())
    with open(path, "rb") as handle:
        refused = b.client.post("/cases/excel/import", data={"file": (handle, "reg.xlsx")},
                                content_type="multipart/form-data")
    assert refused.status_code == 400
    url = _upload(b, path).headers["Location"]
    _wait(b, url)
    other = browser("ops.clerk")
    assert other.get(url).status_code == 404
    assert other.post(url + "/commit").status_code == 404


def test_officer_may_not_import_but_exports_are_for_exporters(browser, tmp_path):
    officer = browser("diw.officer")
    assert officer.get("/cases/excel/import").status_code == 403
    assert _upload(officer, write_register(tmp_path / "reg.xlsx", legacy_rows())).status_code == 403
    assert officer.get("/cases/excel/export").status_code == 403
    assert officer.get("/cases/excel/template.xlsx").status_code == 403


def test_files_that_are_not_sheets_get_a_clear_message(browser, tmp_path):
    b = browser("diw.clerk")
    fake = tmp_path / "photo.xlsx"
    fake.write_bytes(b"\xff\xd8\xff\xe0" + bytes(300))
    url = _upload(b, fake).headers["Location"]
    assert _wait(b, url)["state"] == "failed"
    assert "ไม่ใช่ไฟล์ Excel" in b.get(url).get_data(as_text=True)


def test_too_large_upload_is_refused_before_reading(browser, app, tmp_path):
    app.config["EXCEL_UPLOAD_MAX_BYTES"] = 1000
    try:
        b = browser("diw.clerk")
        response = _upload(b, write_register(tmp_path / "reg.xlsx", legacy_rows()))
        # The upload form again, its file field marked and tied to the message, which takes the focus.
        assert response.status_code == 400
        page = Page(response.get_data(as_text=True))
        field = page.ids["file"]
        assert field.get("aria-invalid") == "true" and "ไฟล์ใหญ่เกิน" in page.described_by(field)
        summary = page.ids["form-errors"]
        assert summary.get("role") == "alert" and summary.get("tabindex") == "-1"
    finally:
        app.config.pop("EXCEL_UPLOAD_MAX_BYTES")


def test_admin_must_name_the_agency(browser, tmp_path):
    b = browser("admin")
    response = _upload(b, write_register(tmp_path / "reg.xlsx", legacy_rows()))
    assert response.status_code == 400
    page = Page(response.get_data(as_text=True))
    assert page.ids["agency"].get("aria-invalid") == "true" and page.described_by(page.ids["agency"])
    assert page.ids["file"].get("aria-invalid") is None
    url = _upload(b, write_register(tmp_path / "reg.xlsx", legacy_rows()), agency="DIW").headers["Location"]
    assert _wait(b, url)["counts"]["new"] == 4


@pytest.mark.parametrize("lang", ["both", "th", "en"])
def test_template_headers_import_back(browser, lang):
    from app.domain.sheet_headers import IMPORT_FIELDS, find_header_row

    response = browser("diw.clerk").get(f"/cases/excel/template.xlsx?lang={lang}")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    rows = [[cell.value for cell in row] for row in workbook.worksheets[0].iter_rows()]
    header = find_header_row(rows)
    assert sorted(header.columns.values()) == sorted(IMPORT_FIELDS)
    help_rows = [row[0].value for row in workbook.worksheets[1].iter_rows()]
    assert any("DIW-NUISANCE" in str(value) for value in help_rows)
    assert not any("OPS-" in str(value) for value in help_rows)


def _export(b, query=""):
    response = b.post("/cases/excel/export" + query)
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Disposition"].startswith("attachment")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_list_export_keeps_filters_and_scope(browser, make_case):
    mine = make_case("DIW", title="กลิ่นเหม็นมาก")
    other = make_case("DIW", title="เสียงดัง")
    foreign = make_case("OPS", title="เรื่องของหน่วยงานอื่น")
    b = browser("diw.manager")
    b.api("POST", f"/api/v1/cases/{other['id']}/status", json={"status": "in_progress"})
    list_page = b.get("/cases/list/?_flt_0_status=received").get_data(as_text=True)
    link = re.search(r'action="([^"]+)">\s*<input type="hidden" name="csrf_token"[^>]*>\s*<button[^>]*id="export-xlsx"',
                     list_page).group(1).replace("&amp;", "&")
    assert "_flt_0_status=received" in link
    sheet, rows = _export(b, link[len("/cases/excel/export"):])
    codes = [row[0] for row in rows[1:]]
    assert codes == [mine["tracking_code"]]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    _, everything = _export(b)
    codes = {row[0] for row in everything[1:]}
    assert codes == {mine["tracking_code"], other["tracking_code"]}
    assert foreign["tracking_code"] not in codes
    ministry = {row[0] for row in _export(browser("ministry"))[1][1:]}
    assert foreign["tracking_code"] in ministry


def test_export_headers_follow_language_and_dates_are_dates(browser, make_case):
    import datetime as dt

    make_case("DIW")
    b = browser("diw.clerk")
    sheet, rows = _export(b)
    assert rows[0][0] == "เลขที่เรื่อง"
    submitted = rows[0].index("วันที่รับเรื่อง")
    assert isinstance(rows[1][submitted], dt.datetime)
    assert sheet.cell(2, submitted + 1).is_date
    b.client.get("/lang/en")
    _, rows = _export(b)
    assert rows[0][0] == "Tracking code" and rows[1][rows[0].index("Status")] == "Received"


def test_monthly_workbook_for_managers(browser, make_case):
    import datetime as dt

    make_case("DIW")
    make_case("OPS")
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=7)))
    b = browser("diw.manager")
    assert b.get("/cases/excel/monthly").status_code == 200
    response = b.get(f"/cases/excel/monthly.xlsx?month={now.year}-{now.month:02d}")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    assert len(workbook.worksheets) == 3
    summary = [[c.value for c in row] for row in workbook.worksheets[0].iter_rows()]
    assert [row[0] for row in summary[1:]] == ["DIW"]  # scoped: the manager's agency only
    assert summary[1][2] == 1
    bad = b.get("/cases/excel/monthly.xlsx?month=13-2025", follow_redirects=True)
    assert "ไม่ใช่เดือนที่ถูกต้อง" in bad.get_data(as_text=True)
    assert browser("diw.officer").get("/cases/excel/monthly").status_code == 403


def test_an_upload_expires(browser, app, tmp_path):
    from app.services import import_uploads

    b = browser("diw.clerk")
    url = _upload(b, write_register(tmp_path / "reg.xlsx", legacy_rows())).headers["Location"]
    _wait(b, url)
    token = url.rstrip("/").split("/")[-1]
    with app.test_request_context():
        stored = import_uploads.StoredUpload(import_uploads.upload_dir(), token)
        stored.write_status({"created": 0}, force=True)
    assert b.get(url).status_code == 404
    assert not stored.sheet.exists() and not stored.status_path.exists()


def test_a_long_list_is_exported_in_the_background_with_progress(app, browser, make_case, monkeypatch):
    monkeypatch.setitem(app.config, "EXCEL_EXPORT_INLINE_MAX_ROWS", 2)
    mine = {make_case("DIW", title=f"เรื่องที่ {n}")["tracking_code"] for n in range(3)}
    make_case("OPS", title="เรื่องของหน่วยงานอื่น")
    b = browser("diw.manager")
    response = b.post("/cases/excel/export")
    assert response.status_code == 302
    url = response.headers["Location"]
    assert re.search(r"/cases/excel/export/[A-Za-z0-9_-]+\?download=auto$", url)
    url = url.split("?")[0]
    assert "export-status" in b.get(url).get_data(as_text=True)
    status = _wait(b, url)
    assert status["state"] == "done" and status["rows"] == 3
    assert status["progress"] == {"stage": "export", "done": 3, "total": 3}
    html = b.get(url).get_data(as_text=True)
    assert "ไฟล์ส่งออกพร้อมแล้ว" in html and "3 เรื่อง" in html
    sheet = openpyxl.load_workbook(io.BytesIO(b.get(url + "/file").data)).active
    assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == mine
    assert sheet.freeze_panes == "A2"

    # The file is the user's own.
    other = browser("diw.clerk")
    assert other.get(url).status_code == 404 and other.get(url + "/file").status_code == 404
    assert b.get("/cases/excel/export/not-a-token/file").status_code == 404


def test_a_link_never_starts_a_background_export(app, browser, make_case, monkeypatch):
    """Another site could have a signed-in browser follow a link (an image's address) as often as it
    likes: each would write a file of personal data in the background. A link to a long list's
    export asks first, and only the page's form, with its token, starts one."""
    from app.services import export_runs

    monkeypatch.setitem(app.config, "EXCEL_EXPORT_INLINE_MAX_ROWS", 1)
    for n in range(2):
        make_case("DIW", title=f"เรื่องที่ {n}")
    b = browser("diw.manager")
    with app.test_request_context():
        folder = export_runs.export_dir()
    before = set(folder.glob("*.json"))
    asked = b.get("/cases/excel/export?_flt_0_status=received")
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "มากกว่า 1 เรื่อง" in page
    assert 'action="/cases/excel/export?_flt_0_status=received"' in page and 'name="csrf_token"' in page
    assert set(folder.glob("*.json")) == before
    forged = b.client.post("/cases/excel/export?_flt_0_status=received")
    assert forged.status_code == 400 and set(folder.glob("*.json")) == before


def test_one_background_export_at_a_time_per_user(app, browser, make_case, monkeypatch):
    import threading

    from app.services import export_runs

    release = threading.Event()
    write_cases = export_runs.write_cases

    def held(*args, **kwargs):
        release.wait(timeout=30)
        return write_cases(*args, **kwargs)

    monkeypatch.setattr(export_runs, "write_cases", held)
    monkeypatch.setitem(app.config, "EXCEL_EXPORT_INLINE_MAX_ROWS", 0)
    make_case("DIW")
    make_case("OPS")
    b = browser("diw.manager")
    try:
        first = b.post("/cases/excel/export").headers["Location"].split("?")[0]
        again = b.post("/cases/excel/export")
        assert again.status_code == 302 and again.headers["Location"] == first
        assert "ท่านมีไฟล์ส่งออกที่กำลังสร้างอยู่" in b.get(first).get_data(as_text=True)
        # Someone else's export is theirs to start.
        other = browser("ops.manager").post("/cases/excel/export").headers["Location"].split("?")[0]
        assert other != first
    finally:
        release.set()
    assert _wait(browser("ops.manager"), other)["state"] == "done"
    assert _wait(b, first)["state"] == "done"
    assert b.post("/cases/excel/export").headers["Location"].split("?")[0] != first


def test_work_files_stay_with_the_agency_they_were_made_for(app, browser, make_case, monkeypatch, tmp_path):
    """An account moved to another agency no longer reads its old agency's cases, nor the export
    or the upload it made for it."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Agency, StaffUser

    monkeypatch.setitem(app.config, "EXCEL_EXPORT_INLINE_MAX_ROWS", 0)
    make_case("DIW")
    manager, clerk = browser("diw.manager"), browser("diw.clerk")
    export = manager.post("/cases/excel/export").headers["Location"].split("?")[0]
    assert _wait(manager, export)["state"] == "done"
    upload = _upload(clerk, write_register(tmp_path / "reg.xlsx", legacy_rows())).headers["Location"]
    _wait(clerk, upload)

    def move_to(code: str) -> None:
        with app.app_context():
            agency_id = db.session.execute(select(Agency.id).where(Agency.code == code)).scalar_one()
            for user in db.session.execute(select(StaffUser).where(
                    StaffUser.username.in_(["diw.manager", "diw.clerk"]))).scalars():
                user.agency_id = agency_id
            db.session.commit()

    move_to("OPS")
    try:
        for person, url in ((manager, export), (manager, export + "/file"), (clerk, upload)):
            assert person.get(url).status_code == 404, url
    finally:
        move_to("DIW")
    assert manager.get(export + "/file").status_code == 200 and clerk.get(upload).status_code == 200


def test_a_short_list_is_still_sent_at_once(app, browser, make_case, monkeypatch):
    monkeypatch.setitem(app.config, "EXCEL_EXPORT_INLINE_MAX_ROWS", 3)
    for n in range(3):
        make_case("DIW", title=f"เรื่องที่ {n}")
    response = browser("diw.manager").get("/cases/excel/export")  # a link still downloads a short list
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")


def test_an_export_expires(app, browser, make_case, monkeypatch):
    from app.services import export_runs

    monkeypatch.setitem(app.config, "EXCEL_EXPORT_INLINE_MAX_ROWS", 0)
    make_case("DIW")
    b = browser("diw.manager")
    url = b.post("/cases/excel/export").headers["Location"].split("?")[0]
    assert _wait(b, url)["state"] == "done"
    token = url.rsplit("/", 1)[1]
    with app.test_request_context():
        stored = export_runs.StoredExport(export_runs.export_dir(), token)
        stored.write_status({"created": 0}, force=True)
    assert b.get(url + "/file").status_code == 404
    assert not stored.sheet.exists() and not stored.status_path.exists()


def test_a_background_export_does_not_hold_up_saves(app, browser, make_case, monkeypatch):
    """The export reads in a transaction that takes no write lock (SQLite's one lock would
    otherwise keep every save waiting until the export ends): a case is saved while it runs."""
    import threading

    from app.services import export_runs

    reading, saved = threading.Event(), threading.Event()
    write_cases = export_runs.write_cases

    def held_open(*args, **kwargs):
        reading.set()
        saved.wait(timeout=30)  # the export's transaction stays open until the save is done
        return write_cases(*args, **kwargs)

    monkeypatch.setattr(export_runs, "write_cases", held_open)
    monkeypatch.setitem(app.config, "EXCEL_EXPORT_INLINE_MAX_ROWS", 0)
    make_case("DIW", title="ก่อนส่งออก")
    b = browser("diw.manager")
    url = b.post("/cases/excel/export").headers["Location"].split("?")[0]
    assert reading.wait(timeout=10)
    try:
        during = make_case("DIW", title="บันทึกระหว่างส่งออก")  # would wait for the lock, then fail
    finally:
        saved.set()
    status = _wait(b, url)
    assert status["state"] == "done" and status["rows"] == 1  # the export's snapshot predates the save
    assert during["tracking_code"]


def test_an_import_preview_does_not_hold_up_saves(app, browser, make_case, monkeypatch, tmp_path):
    import threading

    from app.services import case_import

    checking, saved = threading.Event(), threading.Event()
    plan_import = case_import.plan_import

    def held_open(session, *args, **kwargs):
        session.execute(select(1))  # the preview's transaction has begun
        checking.set()
        saved.wait(timeout=30)
        return plan_import(session, *args, **kwargs)

    monkeypatch.setattr(case_import, "plan_import", held_open)
    b = browser("diw.clerk")
    url = _upload(b, write_register(tmp_path / "reg.xlsx", legacy_rows())).headers["Location"]
    assert checking.wait(timeout=10)
    try:
        make_case("DIW", title="บันทึกระหว่างตรวจไฟล์")
    finally:
        saved.set()
    assert _wait(b, url)["counts"]["new"] == 4


def _left_alone(path, seconds: float) -> None:
    """As if the status file had last been written `seconds` ago."""
    import os

    then = time.time() - seconds
    os.utime(path, (then, then))


def test_an_import_whose_worker_stopped_is_shown_as_interrupted(app, browser, tmp_path):
    from app.services import import_uploads

    b = browser("diw.clerk")
    url = _upload(b, write_register(tmp_path / "reg.xlsx", legacy_rows())).headers["Location"]
    assert _wait(b, url)["state"] == "ready"
    token = url.rsplit("/", 1)[1]
    with app.test_request_context():
        stored = import_uploads.StoredUpload(import_uploads.upload_dir(), token)
        stored.write_status({"state": "committing"}, force=True)  # as a worker leaves it when it dies
    assert b.get(url + "/status").get_json()["state"] == "committing"  # still running, as far as anyone knows
    _left_alone(stored.status_path, import_uploads.StoredUpload.stale_seconds - 60)
    assert b.get(url + "/status").get_json()["state"] == "committing"
    _left_alone(stored.status_path, import_uploads.StoredUpload.stale_seconds + 60)
    assert b.get(url + "/status").get_json()["state"] == "failed"
    html = b.get(url).get_data(as_text=True)
    assert "เครื่องแม่ข่ายหยุดทำงาน" in html and "นำเข้าไฟล์อีกครั้ง" in html
    assert "บันทึกทั้งไฟล์" in html  # the clerk may try the commit again: it writes all or nothing


def test_an_export_whose_worker_stopped_is_shown_as_interrupted(app, browser, make_case, monkeypatch):
    from app.services import export_runs

    monkeypatch.setitem(app.config, "EXCEL_EXPORT_INLINE_MAX_ROWS", 0)
    make_case("DIW")
    b = browser("diw.manager")
    url = b.post("/cases/excel/export").headers["Location"].split("?")[0]
    _wait(b, url)
    with app.test_request_context():
        stored = export_runs.StoredExport(export_runs.export_dir(), url.rsplit("/", 1)[1])
        stored.write_status({"state": "writing"}, force=True)
    _left_alone(stored.status_path, export_runs.StoredExport.stale_seconds + 60)
    assert b.get(url + "/status").get_json()["state"] == "failed"
    assert "ส่งออกรายการอีกครั้ง" in b.get(url).get_data(as_text=True)
    assert b.get(url + "/file").status_code == 302  # no file of a failed export is offered


def test_the_template_example_row_left_in_is_not_imported_as_a_case(browser, app, tmp_path):
    """A clerk fills the template below its example row and forgets to delete it: the example is
    a bad row that says so, not a case 'กลิ่นเหม็นจากโรงงาน' of นายสมชาย ใจดี."""
    b = browser("diw.clerk")
    workbook = openpyxl.load_workbook(io.BytesIO(b.get("/cases/excel/template.xlsx?lang=both").data))
    sheet = workbook.worksheets[0]
    header = [cell.value.split(" / ")[0] for cell in sheet[1]]
    filled = {"เลขอ้างอิงระบบกรม": "กรอ.68/101", "ประเภทเรื่อง": NUISANCE, "เรื่อง": "น้ำเสียลงคลอง",
              "วันที่รับเรื่อง": "3/12/2567"}
    for name, value in filled.items():
        sheet.cell(3, header.index(name) + 1, value)
    path = tmp_path / "filled.xlsx"
    workbook.save(path)
    url = _upload(b, path).headers["Location"]
    status = _wait(b, url)
    assert status["counts"] == {"new": 1, "updated": 0, "unchanged": 0, "errors": 1}
    html = b.get(url).get_data(as_text=True)
    assert re.search(r"<td>2</td><td>[^<]*</td><td>แถวนี้เป็นแถวตัวอย่างของแบบฟอร์มนำเข้า", html)
    # The template's own help sheet is not a register the import left unread.
    assert "คำอธิบาย Help" in workbook.sheetnames and "ไม่ได้อ่าน" not in html and "อ่านเฉพาะแผ่นงาน" not in html
    b.post(url + "/commit", data={"valid_only": "1"})
    assert _wait(b, url, states=("done",))["counts"]["new"] == 1
    done = b.get(url).get_data(as_text=True)
    # The page says what was written and what was left out, not only "Written".
    assert "บันทึกแล้ว: เรื่องใหม่ 1 เรื่อง ปรับปรุง 0 เรื่อง แถวที่มีข้อผิดพลาด 1 แถวไม่ได้นำเข้า" in done
    with app.app_context():
        from app.extensions import db
        from app.models import Case

        assert db.session.execute(select(Case.external_ref)).scalars().all() == ["กรอ.68/101"]


def test_a_second_click_on_commit_starts_no_second_import(browser, app, tmp_path, monkeypatch):
    """Two commits of one file at once would both pass the check; on PostgreSQL the second then
    failed on the references the first wrote and showed the clerk a failure over the success."""
    from app.views import excel

    b = browser("diw.clerk")
    url = _upload(b, write_register(tmp_path / "reg.xlsx", legacy_rows())).headers["Location"]
    assert _wait(b, url)["state"] == "ready"
    started = []
    monkeypatch.setattr(excel, "run_in_background", lambda app_, work, *args, **kw: started.append(work))
    for _ in range(2):
        assert b.post(url + "/commit").status_code == 302
    assert len(started) == 1
    assert b.get(url + "/status").get_json()["state"] == "committing"


def test_cancelling_while_the_file_is_checked_leaves_nothing_behind(browser, app, tmp_path, monkeypatch):
    """The check still running writes no status back once the clerk cancelled: the upload stays gone."""
    from app.views import excel

    b = browser("diw.clerk")
    held = []
    monkeypatch.setattr(excel, "run_in_background", lambda app_, work, *args, **kw: held.append((work, args)))
    # A bad row (an unknown status), so that the check has an errors workbook to write: it holds
    # the row as it was, the requester's name and phone with it.
    rows = legacy_rows() + [[9, None, "REG-67-009", None, "เรื่องทดสอบ", "นาย ลับ มาก", "0812345678", None, None,
                             "ไม่รู้จัก", None, None, None]]
    url = _upload(b, write_register(tmp_path / "reg.xlsx", rows)).headers["Location"]
    assert b.post(url + "/cancel").status_code == 302
    work, args = held[0]
    with app.app_context():
        work(*args)  # the check, finishing after the cancel
    assert b.get(url + "/status").status_code == 404
    leftovers = [p.name for p in (tmp_path / "imports").iterdir() if not p.name.endswith(".lock")]
    assert leftovers == [], "nor its errors workbook"


def test_a_cancel_after_the_import_was_saved_says_so_and_keeps_its_result(browser, app, tmp_path):
    """The Back button brings the preview back, Cancel and all: a cancel then said "nothing was
    saved" about a file whose cases were saved, and removed the result page."""
    b = browser("diw.clerk")
    url = _upload(b, write_register(tmp_path / "reg.xlsx", legacy_rows())).headers["Location"]
    _wait(b, url)
    b.post(url + "/commit", data={})
    assert _wait(b, url, states=("done", "failed"))["state"] == "done"
    response = b.post(url + "/cancel")
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    page = b.get(url).get_data(as_text=True)
    assert "บันทึกไปแล้ว จึงยกเลิกไม่ได้" in page and "ไม่มีการบันทึกข้อมูล" not in page


def test_an_expired_upload_says_why_it_is_not_found(browser, app, tmp_path):
    from app.services import import_uploads

    b = browser("diw.clerk")
    url = _upload(b, write_register(tmp_path / "reg.xlsx", legacy_rows())).headers["Location"]
    _wait(b, url)
    token = url.rstrip("/").split("/")[-1]
    stored = import_uploads.StoredUpload(tmp_path / "imports", token)
    stored.write_status({"created": 0}, force=True)
    response = b.post(url + "/commit", data={})
    assert response.status_code == 404
    assert "ไฟล์ที่อัปโหลดหมดอายุหรือถูกยกเลิกแล้ว กรุณาอัปโหลดใหม่" in response.get_data(as_text=True)
    assert b.get(url + "/status").status_code == 404, "what a script reads stays a 404"


def test_an_upload_that_cannot_be_stored_leaves_nothing(tmp_path):
    """A full disk while the file came in left a 'receiving' upload, shown as checking for ever,
    and the part of the sheet written."""
    import errno

    import pytest

    from app.services import import_uploads

    class FullDisk:
        def __init__(self):
            self.calls = 0

        def read(self, _size):
            self.calls += 1
            if self.calls > 1:
                raise OSError(errno.ENOSPC, "No space left on device")
            return b"PK\x03\x04" + b"x" * 100

    folder = tmp_path / "imports"
    folder.mkdir()
    with pytest.raises(OSError):
        import_uploads.StoredUpload.create(folder, FullDisk(), owner={"user_id": 1}, agency_code="DIW", file_name="reg.xlsx",
                                           max_bytes=1 << 20)
    assert [p.name for p in folder.iterdir() if not p.name.endswith(".lock")] == []


def _bare_upload(folder):
    from app.services import import_uploads

    folder.mkdir(exist_ok=True)
    return import_uploads.StoredUpload.start(folder, {"state": "checking", "user_id": 1})


def test_a_status_write_after_a_cancel_does_not_bring_the_upload_back(tmp_path):
    """Writes of the status take the upload's lock: a cancel between a write's read and its
    rename had put the status back, and the check then wrote its errors workbook."""
    upload = _bare_upload(tmp_path / "imports")
    assert upload.remove_unless(("committing", "done"))
    upload.write_status({"progress": {"stage": "check", "done": 5, "total": 9}}, force=True)
    assert not upload.move(("checking",), {"state": "ready"}, produce=lambda: upload.errors.write_text("rows"))
    assert [p.name for p in (tmp_path / "imports").iterdir()] == [upload.lock_path.name]


def test_a_cancel_does_not_remove_an_import_gone_quiet_while_saving(tmp_path):
    """A commit gone quiet for 15 minutes reads as failed on its page, but it may be saving still,
    or have saved and stopped before it could say so: it is not cancelled as 'nothing saved'."""
    upload = _bare_upload(tmp_path / "imports")
    upload.write_status({"state": "committing"}, force=True)
    long_ago = time.time() - 20 * 60
    os.utime(upload.status_path, (long_ago, long_ago))
    assert upload.status()["state"] == "failed"
    assert not upload.remove_unless(("committing", "done"))
    assert upload.status_path.exists()

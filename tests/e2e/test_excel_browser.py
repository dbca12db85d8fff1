"""The clerk's Excel screens in headless Chromium: a register chosen in the file input, the preview
that follows the background check without a reload by hand, the errors workbook downloaded, the
valid rows committed, and a filtered case list exported from its button."""
from __future__ import annotations

import io
import re
import time
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from tests.e2e.browser_support import SHOTS, assert_own_origin, login
from tests.integration.excel_support import NUISANCE, legacy_rows, write_register


def cases_in(app, agency: str) -> list[tuple[str, str]]:
    from app.extensions import db
    from app.models import Agency, Case

    with app.app_context():
        return db.session.execute(
            select(Case.external_ref, Case.title).join(Agency, Agency.id == Case.agency_id)
            .where(Agency.code == agency).order_by(Case.external_ref)).all()


def downloaded(download) -> openpyxl.Workbook:
    """A workbook the browser saved (under a name with no extension, so read as bytes)."""
    return openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))


def wait_for_state(page, state: str) -> None:
    """The preview page reloads itself when the background run changes state."""
    page.wait_for_selector(f'#import-status[data-state="{state}"]', timeout=30_000)


def upload(page, base: str, path) -> None:
    """As the clerk: choose the file on the import page, send it, and land on its preview."""
    login(page, base, "diw.clerk")
    page.goto(f"{base}/cases/excel/import")
    page.set_input_files("#file", str(path))
    page.click("#import-form button[type=submit]")
    page.wait_for_url(re.compile(r"/cases/excel/import/[^/]+$"))


def count(page, name: str) -> int:
    return int(page.inner_text(f"#import-counts .count-{name}").replace(",", ""))


def test_clerk_previews_downloads_errors_and_commits_valid_rows(app, served, browser_page, tmp_path):
    page, base = browser_page, served
    bad = [9, None, "REG-67-009", NUISANCE, "เรื่องที่สถานะผิด", None, None, None, "ระยอง", "ไม่รู้จัก",
           "1/1/2568", None, None]
    register = write_register(tmp_path / "ทะเบียนรับเรื่อง.xlsx", legacy_rows() + [bad])

    upload(page, base, register)
    wait_for_state(page, "ready")
    preview_url = page.url

    # Counts and the first errors, in the clerk's language, before anything is written.
    assert [count(page, name) for name in ("new", "updated", "unchanged", "errors")] == [4, 0, 0, 1]
    errors = page.inner_text("#import-errors tbody")
    assert "10" in errors and "สถานะ" in errors and "ไม่รู้จักสถานะ" in errors
    assert page.locator("form button.btn-primary").is_disabled()  # the whole file cannot be written
    assert cases_in(app, "DIW") == []
    page.screenshot(path=str(SHOTS / "import-preview.png"), full_page=True)

    # The errors workbook: the bad row as it was, with its reasons.
    with page.expect_download() as download:
        page.click("#errors-download")
    assert download.value.suggested_filename == "ทะเบียนรับเรื่อง-errors.xlsx"
    sheet = downloaded(download.value).active
    assert sheet.cell(2, 1).value == 10 and "Unknown status" in sheet.cell(2, 2).value
    assert sheet.cell(2, 5).value == "REG-67-009"

    # Only the valid rows: the page follows the write and lands on "done".
    page.click("form button.btn-warning")
    wait_for_state(page, "done")
    assert page.url == preview_url
    assert page.locator(".alert-success").is_visible()
    assert [ref for ref, _ in cases_in(app, "DIW")] == ["REG-67-001", "REG-67-002", "REG-67-003", "REG-67-004"]

    page.click("a.btn-primary[href$='/cases/list/']")
    page.wait_for_url(re.compile(r"/cases/list/"))
    page.screenshot(path=str(SHOTS / "import-listed.png"), full_page=True)
    listed = page.inner_text("body")
    for _ref, title in cases_in(app, "DIW"):
        assert title in listed
    assert_own_origin(page, base)


def test_a_file_that_is_not_a_sheet_is_refused_on_the_upload_page(app, served, browser_page, tmp_path):
    page, base = browser_page, served
    fake = tmp_path / "รายงาน.xlsx"
    fake.write_text("นี่ไม่ใช่ไฟล์ Excel", encoding="utf-8")
    upload(page, base, fake)
    wait_for_state(page, "failed")
    message = page.inner_text("#failure")
    assert "Excel" in message and re.search(r"[\u0e00-\u0e7f]", message), message
    assert page.locator("#import-counts").count() == 0
    assert cases_in(app, "DIW") == []


def test_the_list_exports_as_filtered_on_screen(app, served, browser_page, make_case):
    page, base = browser_page, served
    rayong = [make_case("DIW", title=f"กลิ่นเหม็น {n}", province="ระยอง") for n in range(3)]
    make_case("DIW", title="เสียงดัง", province="ชลบุรี")
    make_case("OPS", title="เรื่องของหน่วยงานอื่น", province="ระยอง")

    login(page, base, "diw.manager")
    page.goto(f"{base}/cases/list/?_flt_3_province=ระยอง")
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert re.fullmatch(r"cases-\d{8}-\d{4}\.xlsx", download.value.suggested_filename)
    sheet = downloaded(download.value).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    assert rows[0][0] == "เลขที่เรื่อง"  # the header in the manager's language
    assert sorted(row[0] for row in rows[1:]) == sorted(case["tracking_code"] for case in rayong)
    assert_own_origin(page, base)



@pytest.mark.parametrize("seconds", [0, 1.5], ids=["ready-at-once", "followed"])
def test_a_long_list_exports_on_a_progress_page_that_downloads_when_ready(app, served, browser_page, make_case,
                                                                          monkeypatch, seconds):
    """Ready when the page first loads, or followed by polling: either way the download starts."""
    from app.services import export_runs

    write_cases = export_runs.write_cases

    def slow(*args, **kwargs):
        kwargs["progress"]("export", 1, kwargs["total"])
        time.sleep(seconds)
        return write_cases(*args, **kwargs)

    monkeypatch.setattr(export_runs, "write_cases", slow)
    monkeypatch.setitem(app.config, "EXCEL_EXPORT_INLINE_MAX_ROWS", 2)
    codes = {make_case("DIW", title=f"เรื่องที่ {n}")["tracking_code"] for n in range(4)}
    page, base = browser_page, served
    login(page, base, "diw.manager")
    page.goto(f"{base}/cases/list/")
    with page.expect_download(timeout=30_000) as download:
        page.click("#export-xlsx")
        if seconds:
            page.wait_for_selector("#progress-bar")
            assert page.locator("#export-ready").is_hidden()
    # The progress page, which started the download itself and dropped the flag that did it.
    assert re.search(r"/cases/excel/export/[A-Za-z0-9_-]+$", page.url), page.url
    sheet = downloaded(download.value).active
    assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == codes
    assert re.fullmatch(r"cases-\d{8}-\d{4}\.xlsx", download.value.suggested_filename)
    page.wait_for_selector("#export-ready:not([hidden])")
    assert "4 เรื่อง" in page.inner_text("#export-ready")
    page.screenshot(path=str(SHOTS / "export-ready.png"), full_page=True)
    assert_own_origin(page, base)

"""Date pickers in headless Chromium: on a Thai screen the picker's heading, month, year and decade
views show Buddhist-Era years, the field shows the picked day as dd/mm/yyyy B.E., and the saved
date is the C.E. one; a date typed by hand is shown back in B.E.; the list filters, the dashboards'
date range and the monthly report's month pick the same way; English screens stay C.E."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from urllib.parse import unquote

from sqlalchemy import delete, select

from tests.e2e.browser_support import SHOTS, assert_own_origin, login

THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")


def _today() -> date:
    return datetime.now(timezone(timedelta(hours=7))).date()


def _holidays(app):
    from app.extensions import db
    from app.models import ExtraHoliday

    with app.app_context():
        rows = db.session.execute(select(ExtraHoliday.day, ExtraHoliday.name_en)).all()
        db.session.execute(delete(ExtraHoliday))
        db.session.commit()
        return [tuple(row) for row in rows]


def _watch_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _picker(page):
    picker = page.locator(".datepicker:visible").first
    picker.wait_for(state="visible")
    return picker


def _switch(picker, view: str):
    return picker.locator(f".datepicker-{view} .datepicker-switch")


def test_an_officer_picks_a_leap_day_in_buddhist_era_and_the_ce_date_is_stored(app, served, browser_page):
    page, base = browser_page, served
    errors = _watch_errors(page)
    login(page, base, "admin")
    page.goto(f"{base}/extra-holidays/add")
    page.click("#day")
    picker = _picker(page)
    today = _today()
    # The days view names the month in Thai with its B.E. year.
    assert _switch(picker, "days").inner_text() == f"{THAI_MONTHS[today.month - 1]} {today.year + 543}"
    # Up to the months view (the year, B.E.), then the years view (a decade of B.E. years).
    _switch(picker, "days").click()
    assert _switch(picker, "months").inner_text() == str(today.year + 543)
    _switch(picker, "months").click()
    decade = today.year // 10 * 10
    assert _switch(picker, "years").inner_text() == f"{decade + 543}-{decade + 9 + 543}"
    years = picker.locator(".datepicker-years span.year").all_inner_texts()
    assert str(today.year + 543) in years and str(today.year) not in years
    page.screenshot(path=str(SHOTS / "date-picker-years-th.png"))
    # Choose B.E. 2567 (2024, a leap year), February, the 29th.
    while "2567" not in picker.locator(".datepicker-years span.year").all_inner_texts():
        picker.locator(".datepicker-years .prev").click()
    picker.locator(".datepicker-years span.year", has_text="2567").first.click()
    assert _switch(picker, "months").inner_text() == "2567"
    picker.locator(".datepicker-months span.month").nth(1).click()
    assert _switch(picker, "days").inner_text() == "กุมภาพันธ์ 2567"
    picker.locator(".datepicker-days td.day:not(.old):not(.new)", has_text="29").click()
    assert page.input_value("#day") == "29/02/2567"
    page.screenshot(path=str(SHOTS / "date-picker-picked-th.png"))
    page.fill("#name_th", "วันหยุดทดสอบ")
    page.fill("#name_en", "Test day off")
    with page.expect_navigation():
        page.click("#model_form button[type=submit], #model_form input[type=submit]")
    page.goto(f"{base}/extra-holidays/list/")
    assert "29 ก.พ. 2567" in page.content()
    assert _holidays(app) == [(date(2024, 2, 29), "Test day off")]
    assert not errors, errors
    assert_own_origin(page, base)


def test_a_date_typed_by_hand_is_shown_back_in_buddhist_era(app, served, browser_page):
    page, base = browser_page, served
    errors = _watch_errors(page)
    login(page, base, "admin")
    page.goto(f"{base}/extra-holidays/add")
    page.click("#day")
    page.keyboard.type("18/12/2026")  # a C.E. year typed on a Thai screen by mistake
    picker = _picker(page)
    assert _switch(picker, "days").inner_text() == "ธันวาคม 2569"  # the picker follows what is typed
    page.click("#name_th")
    assert page.input_value("#day") == "18/12/2569"
    page.fill("#name_th", "หยุด")
    page.fill("#name_en", "Off")
    with page.expect_navigation():
        page.click("#model_form button[type=submit], #model_form input[type=submit]")
    assert _holidays(app) == [(date(2026, 12, 18), "Off")]
    # Nonsense is left as typed, and the server says why; nothing is saved.
    page.goto(f"{base}/extra-holidays/add")
    page.fill("#day", "31/04/2569")
    page.fill("#name_th", "หยุด")
    page.fill("#name_en", "Off")
    with page.expect_navigation():
        page.click("#model_form button[type=submit], #model_form input[type=submit]")
    assert "ไม่มีวันที่นี้ในปฏิทิน" in page.content() and page.input_value("#day") == "31/04/2569"
    assert _holidays(app) == []
    assert not errors, errors


def test_a_list_filter_picks_a_buddhist_era_day(app, served, browser_page, make_case):
    page, base = browser_page, served
    errors = _watch_errors(page)
    make_case("DIW")
    login(page, base, "diw.officer")
    page.goto(f"{base}/cases/list/")
    page.click("a[href='#accordion1_href']")  # the search panel
    page.click("#filter_form .dropdown-toggle")
    page.click("#filter_form a.filter[name=submitted_at]")
    field = page.locator("#filter_form input[data-day-picker]").first
    field.click()
    picker = _picker(page)
    today = _today()
    assert _switch(picker, "days").inner_text() == f"{THAI_MONTHS[today.month - 1]} {today.year + 543}"
    picker.locator(".datepicker-days td.day.today").click()
    shown = f"{today.day:02d}/{today.month:02d}/{today.year + 543}"
    assert field.input_value() == shown
    with page.expect_navigation():
        page.click("#filter_form button[type=submit]")
    assert f"_flt_0_submitted_at={shown}" in unquote(page.url)
    # The case made today is listed; the field shows the day as it was picked.
    assert page.locator(".tracking-code").count() == 1
    assert page.locator("#filter_form input[data-day-picker]").first.input_value() == shown
    assert not errors, errors


def test_a_dashboard_link_with_iso_dates_shows_them_in_buddhist_era(app, served, browser_page):
    page, base = browser_page, served
    errors = _watch_errors(page)
    login(page, base, "diw.manager")
    page.goto(f"{base}/dashboards/agency/?from=2026-01-01&to=2026-01-31")
    assert page.input_value("input[name=from]") == "01/01/2569"
    page.click("input[name=to]")
    picker = _picker(page)
    assert _switch(picker, "days").inner_text() == "มกราคม 2569"
    picker.locator(".datepicker-days td.day:not(.old):not(.new)", has_text="15").click()
    assert page.input_value("input[name=to]") == "15/01/2569"
    with page.expect_navigation():
        page.click(".dash-filters button[type=submit]")
    assert "to=15/01/2569" in unquote(page.url)
    page.wait_for_selector(".dash-tile")
    assert not page.locator(".dash-error:visible").count()
    page.screenshot(path=str(SHOTS / "dashboard-dates-th.png"))
    assert not errors, errors
    assert_own_origin(page, base)


def test_the_monthly_report_picks_a_buddhist_era_month(app, served, browser_page):
    page, base = browser_page, served
    errors = _watch_errors(page)
    login(page, base, "diw.manager")
    page.goto(f"{base}/cases/excel/monthly")
    page.click("#month")
    picker = _picker(page)
    shown_year = page.input_value("#month").split("/")[1]
    assert _switch(picker, "months").inner_text() == shown_year and int(shown_year) > 2500
    picker.locator(".datepicker-months span.month").nth(10).click()  # พ.ย.
    assert page.input_value("#month") == f"11/{shown_year}"
    with page.expect_download() as download:
        page.click("form button[type=submit]")
    assert download.value.suggested_filename == f"monthly-{int(shown_year) - 543}-11.xlsx"
    assert not errors, errors


def test_english_screens_pick_in_the_christian_era(app, served, browser_page):
    page, base = browser_page, served
    errors = _watch_errors(page)
    login(page, base, "admin")
    page.goto(f"{base}/lang/en")
    page.goto(f"{base}/extra-holidays/add")
    page.click("#day")
    picker = _picker(page)
    today = _today()
    assert _switch(picker, "days").inner_text() == f"{today:%B} {today.year}"
    picker.locator(".datepicker-days td.day.today").click()
    assert page.input_value("#day") == today.isoformat()
    page.fill("#name_th", "หยุด")
    page.fill("#name_en", "Off")
    with page.expect_navigation():
        page.click("#model_form button[type=submit], #model_form input[type=submit]")
    assert _holidays(app) == [(today, "Off")]
    assert not errors, errors

"""An officer works a case on its page in headless Chromium: a move that ends the case or sends
it away asks first, and nothing happens when the officer says no."""
from __future__ import annotations

from sqlalchemy import select

from tests.e2e.browser_support import SHOTS, assert_own_origin, login


def _case(app, case_id: int):
    from app.extensions import db
    from app.models import Case

    with app.app_context():
        row = db.session.execute(select(Case.status, Case.agency_id).where(Case.id == case_id)).one()
        db.session.rollback()
        return row


def test_closing_or_forwarding_a_case_asks_first(app, served, browser_page, make_case):
    page, base = browser_page, served
    case = make_case("DIW")
    received = _case(app, case["id"])
    login(page, base, "diw.officer")
    page.goto(f"{base}/cases/show/{case['id']}")
    questions = []

    def answer(dialog, accept: bool):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    # Cancelling the case: asked, refused, nothing sent.
    page.once("dialog", lambda dialog: answer(dialog, False))
    page.select_option("#status-target", "cancelled")
    page.click("form[action$='/status'] button[type=submit]")
    page.wait_for_timeout(300)
    assert questions and "ยกเลิก" in questions[-1] and "เรื่องจะถูกปิด" in questions[-1]
    assert _case(app, case["id"]) == received

    # An ordinary move is not asked about.
    asked = len(questions)
    page.select_option("#status-target", "in_progress")
    with page.expect_navigation():
        page.click("form[action$='/status'] button[type=submit]")
    assert len(questions) == asked and _case(app, case["id"]).status == "in_progress"

    # Forwarding: asked with the agency's name; said yes, the case leaves and the list says where.
    page.once("dialog", lambda dialog: answer(dialog, True))
    page.select_option("#forward-agency", "TISI")
    # Without a reason the browser holds the form back, before any question is asked.
    page.click("form[action$='/forward'] button[type=submit]")
    assert page.eval_on_selector("#forward-note", "el => el.validity.valueMissing")
    assert len(questions) == asked and _case(app, case["id"]).agency_id == received.agency_id
    page.fill("#forward-note", "เป็นเรื่องมาตรฐานผลิตภัณฑ์")
    with page.expect_navigation():
        page.click("form[action$='/forward'] button[type=submit]")
    assert "TISI" in questions[-1] and "ส่งต่อเรื่องนี้ไปยัง" in questions[-1]
    assert page.url.endswith("/cases/list/") and "ถูกส่งต่อไปยัง TISI" in page.content()
    page.screenshot(path=str(SHOTS / "case-forwarded.png"), full_page=True)
    assert_own_origin(page, base)


def test_the_case_page_fits_a_phone(app, served, browser_page, make_case):
    """The requester's panel was 531 px wide on a 390 px screen: its long Thai label and the
    e-mail address did not wrap, and the labels were off the screen."""
    page, base = browser_page, served
    case = make_case("DIW", requester_name="บริษัท บูรพารีสอร์ท จำกัด", requester_phone="0863037335",
                     requester_email="admin@burapharesort.co.th", requester_id="1101700203450")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, base, "diw.officer")
    page.goto(f"{base}/cases/show/{case['id']}")
    label = page.locator("th", has_text="เลขประจำตัวประชาชน").first
    box = label.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    widest = page.evaluate("""() => Math.max(...[...document.querySelectorAll('.table-responsive > table')]
        .map(table => table.getBoundingClientRect().right))""")
    assert widest <= 390, widest
    page.screenshot(path=str(SHOTS / "case-page-phone.png"), full_page=True)
    # No label runs over its value (Bootstrap kept each cell on one line), and on the form a
    # field's message is read whole, not cut at the cell's edge.
    overflowing = """() => [...document.querySelectorAll('.table-responsive > table:not(.table-hover) th,'
        + '.table-responsive > table:not(.table-hover) td, .table-responsive .alert')]
        .filter(cell => cell.scrollWidth > cell.clientWidth + 1).map(cell => cell.textContent.trim().slice(0, 40))"""
    assert page.evaluate(overflowing) == []
    page.goto(f"{base}/cases/add")
    page.fill("#title", "ร้องเรียนทางโทรศัพท์")
    page.fill("#requester_phone", "abc")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("load")
    assert page.locator(".table-responsive .alert").count() >= 1
    assert page.evaluate(overflowing) == []


def test_the_list_filters_fit_a_phone(app, served, browser_page):
    """Three filters side by side put their value boxes off the screen."""
    page, base = browser_page, served
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, base, "diw.officer")
    page.goto(f"{base}/cases/list/?_flt_2_title=abc&_flt_1_submitted_at=2026-01-01&_flt_0_status=received")
    page.click("text=ค้นหา")
    page.wait_for_timeout(300)
    rightmost = page.evaluate("""() => Math.max(...[...document.querySelectorAll('table.filters td')]
        .map(cell => cell.getBoundingClientRect().right))""")
    assert 0 < rightmost <= 390, rightmost


def test_the_date_picker_speaks_the_screens_language(app, served, browser_page):
    page, base = browser_page, served
    login(page, base, "admin")
    page.goto(f"{base}/extra-holidays/add")
    page.click("#day")
    picker = page.locator(".datepicker").first
    picker.wait_for(state="visible")
    text = picker.inner_text()
    thai_months = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
                   "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
    assert any(month in text for month in thai_months) and "อา" in text, text
    assert not any(word in text for word in ("January", "November", "Su", "Mo")), text
    page.goto(f"{base}/lang/en")
    page.goto(f"{base}/extra-holidays/add")
    page.click("#day")
    picker = page.locator(".datepicker").first
    picker.wait_for(state="visible")
    assert "Su" in picker.inner_text()


def test_an_officer_links_a_case_and_removing_the_link_asks_first(app, served, browser_page, make_case):
    from app.extensions import db
    from app.models import CaseLink

    page, base = browser_page, served
    complaint = make_case("OPS", title="กลิ่นเหม็นจากโรงงานริมคลอง")
    licence = make_case("DIW", title="ขอใบอนุญาตโรงงานสีย้อมผ้า")
    login(page, base, "diw.officer")
    page.goto(f"{base}/cases/show/{licence['id']}")
    page.fill("#link-code", complaint["tracking_code"].lower())
    page.select_option("#link-kind", "related")
    page.fill("#link-note", "โรงงานเดียวกัน")
    with page.expect_navigation():
        page.click("form.link-form button[type=submit]")
    row = page.locator("#links tr.case-link")
    assert row.count() == 1 and complaint["tracking_code"] in row.inner_text()
    assert "กลิ่นเหม็น" not in page.content()  # another agency's case: as the public sees it
    page.locator("#links").screenshot(path=str(SHOTS / "case-links.png"))

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    row.locator("button[type=submit]").click()
    page.wait_for_timeout(300)
    assert questions and complaint["tracking_code"] in questions[0]
    with app.app_context():
        assert db.session.query(CaseLink).count() == 1
        db.session.rollback()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert page.locator("#links tr.case-link").count() == 0
    assert_own_origin(page, base)


def test_the_drop_downs_speak_the_screens_language(app, served, browser_page, make_case):
    """Select2's own words (a search that finds nothing, the button that clears a choice) were in
    English on Thai screens."""
    page, base = browser_page, served
    case = make_case("DIW")
    login(page, base, "diw.officer")
    page.goto(f"{base}/cases/edit/{case['id']}")
    page.click("select#province + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "zzzz")
    page.wait_for_selector(".select2-results__message")
    assert page.inner_text(".select2-results__message") == "ไม่พบข้อมูล"
    page.keyboard.press("Escape")
    titles = page.eval_on_selector_all(".select2-selection__clear", "els => els.map(e => e.title)")
    assert titles and set(titles) == {"ล้างค่าที่เลือก"}
    page.goto(f"{base}/lang/en")
    page.goto(f"{base}/cases/edit/{case['id']}")
    page.click("select#province + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "zzzz")
    page.wait_for_selector(".select2-results__message")
    assert page.inner_text(".select2-results__message") == "No results found"

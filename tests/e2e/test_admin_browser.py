"""An administrator changes an SLA target in the generated form and reads who changed what in
the settings history, in headless Chromium."""
from __future__ import annotations

from sqlalchemy import select

from tests.e2e.browser_support import SHOTS, assert_own_origin, login


def test_an_sla_target_change_shows_in_the_settings_history(app, served, browser_page):
    from app.extensions import db
    from app.models import CaseType

    page, base = browser_page, served
    with app.app_context():
        case_type = db.session.execute(select(CaseType).where(CaseType.code.like("DIW-%")).order_by(CaseType.id)
                                       ).scalars().first()
        type_id, before = case_type.id, case_type.sla_days
        db.session.rollback()
    try:
        login(page, base, "admin")
        page.goto(f"{base}/case-types/edit/{type_id}")
        page.fill("input[name=sla_days]", str(before + 5))
        with page.expect_navigation():
            page.click("form button[type=submit], form input[type=submit]")
        page.goto(f"{base}/settings-history/list/")
        row = page.locator("table tbody tr").first
        text = row.inner_text()
        assert "admin" in text and "ประเภทเรื่อง" in text and "เป้าหมาย SLA (วันทำการ)" in text
        with page.expect_navigation():
            row.locator("a[href*='/settings-history/show/']").first.click()
        assert f"เป้าหมาย SLA (วันทำการ): {before} → {before + 5}" in page.inner_text("body")
        page.screenshot(path=str(SHOTS / "settings-history.png"), full_page=True)
        assert_own_origin(page, base)
        # Signing out from the user menu (a form that posts) ends the session.
        page.click(".navbar-right .dropdown-toggle:has(.fa-user)")
        page.screenshot(path=str(SHOTS / "user-menu.png"))
        with page.expect_navigation():
            page.click("button.navbar-signout")
        page.goto(f"{base}/settings-history/list/")
        assert "/login/" in page.url
    finally:
        with app.app_context():
            db.session.get(CaseType, type_id).sla_days = before
            db.session.commit()


def test_the_api_explorer_and_an_error_pages_back_link_work_under_the_staff_policy(served, browser_page):
    """The staff pages run inline scripts only with their answer's nonce (the fixture fails the
    test on anything the policy blocks): Flask-AppBuilder's API explorer draws the API, and an
    error page's Back link, once a javascript: address, goes back."""
    page, base = browser_page, served
    login(page, base, "admin")
    page.goto(f"{base}/swagger/v1")
    page.wait_for_selector("#swagger-ui .info .title")
    assert "/cases/" in page.inner_text("#swagger-ui")
    page.goto(f"{base}/cases/list/")
    page.goto(f"{base}/cases/show/999999999")
    with page.expect_navigation():
        page.click("a[data-history-back]")
    assert page.url.endswith("/cases/list/")
    assert_own_origin(page, base)

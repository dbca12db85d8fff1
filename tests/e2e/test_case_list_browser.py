"""The case list's filter bar in headless Chromium."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from tests.e2e.browser_support import assert_own_origin, login


def test_a_title_filter_added_by_hand_finds_a_word_anywhere(served, browser_page, make_case):
    """Flask-AppBuilder starts a text filter on "starts with": a word typed from the middle of a
    title found nothing. The title filter starts on "contains"; other columns keep their first."""
    page, base = browser_page, served
    make_case("DIW", title="โรงงานปล่อยกลิ่นเหม็นทุกคืน")
    make_case("DIW", title="ขอใบอนุญาตขยายโรงงาน")
    login(page, base, "diw.officer")
    page.goto(f"{base}/cases/list/")
    page.click("a[href='#accordion1_href']")  # open the filter bar
    page.click("#filter_form .dropdown-toggle")
    page.click("#filter_form a.filter[name=title]")
    row = page.locator("table.filters tr").last
    row.locator("input.filter_val").fill("กลิ่นเหม็น")
    assert row.locator("select.filter-op").input_value() == "2"
    page.click("#filter_form .dropdown-toggle")
    page.click("#filter_form a.filter[name=province]")
    province = page.locator("table.filters tr").last
    assert province.locator("select.filter-op").input_value() == "0"
    province.locator("a.remove-filter").click()
    with page.expect_navigation():
        page.click("#filter_form button[type=submit]")
    args = parse_qs(urlparse(page.url).query, keep_blank_values=True)
    assert args == {"_flt_2_title": ["กลิ่นเหม็น"]}
    titles = page.locator("table.table tbody tr").all_inner_texts()
    assert any("โรงงานปล่อยกลิ่นเหม็นทุกคืน" in t for t in titles)
    assert not any("ขอใบอนุญาตขยายโรงงาน" in t for t in titles)
    assert_own_origin(page, base)


def test_a_status_filter_offers_equal_and_not_equal_only(served, browser_page, make_case):
    """Flask-AppBuilder offered every text condition ("starts with", "ends with") on columns whose
    value is chosen from a list, and started on "starts with"."""
    page, base = browser_page, served
    make_case("DIW", title="เรื่องที่รับแล้ว")
    login(page, base, "diw.officer")
    page.goto(f"{base}/cases/list/")
    page.click("a[href='#accordion1_href']")
    page.click("#filter_form .dropdown-toggle")
    page.click("#filter_form a.filter[name=status]")
    row = page.locator("table.filters tr").last
    condition = row.locator("select.filter-op")
    assert condition.input_value() == "3"
    assert condition.locator("option").evaluate_all("options => options.map(o => o.value)") == ["3", "7"]
    with page.expect_navigation():
        page.click("#filter_form button[type=submit]")
    assert "_flt_3_status" in parse_qs(urlparse(page.url).query)


def test_the_quick_link_shown_is_marked_and_the_assignee_filter_has_no_placeholder(served, browser_page):
    page, base = browser_page, served
    login(page, base, "diw.officer")
    page.goto(f"{base}/cases/list/")
    page.click("#quick-mine")
    page.wait_for_load_state()
    assert page.locator("#quick-mine").get_attribute("aria-current") == "page"
    assert page.locator(".case-quick-filters [aria-current]").count() == 1
    page.click("a[href='#accordion1_href']")
    page.click("#filter_form .dropdown-toggle")
    page.click("#filter_form a.filter[name=assignee]")
    assert "__None" not in page.locator("table.filters tr").last.inner_text()

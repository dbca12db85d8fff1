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

"""Keyboard and screen-reader use in headless Chromium: the first Tab reaches a visible link that
skips to the main content, the keyboard's place shows as a ring, a refused form puts the focus on
its list of what to correct, and every dashboard chart has its figures in a table that links to the
cases as its bars do."""
from __future__ import annotations

import re

from tests.e2e.browser_support import LOW_CONTRAST, login

FOCUSED = """() => {
  const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
  return {id: el.id, tag: el.tagName, cls: el.className, text: el.textContent.trim(),
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
          visible: box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0};
}"""


def _tab(page) -> dict:
    page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


def _skips_to_main(page, main_id: str, words: str) -> None:
    skip = _tab(page)
    assert "skip-link" in skip["cls"] and skip["text"] == words and skip["visible"], skip
    assert skip["outline"] != "none" and skip["width"] >= 2, skip
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == main_id


def test_a_citizen_finds_their_way_by_keyboard(served, browser_page):
    page, base = browser_page, served
    page.goto(f"{base}/complain")
    _skips_to_main(page, "main", "ข้ามไปยังเนื้อหาหลัก")
    # The next stop is inside the form, with a ring around it.
    field = _tab(page)
    assert field["id"] == "case_type" and field["outline"] == "solid" and field["width"] >= 3, field

    page.click("form.complaint button[type=submit]")
    page.wait_for_load_state("load")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'form-errors'")
    first = _tab(page)
    assert first["tag"] == "A" and first["outline"] == "solid", first


def test_staff_find_their_way_by_keyboard_and_read_the_charts_as_tables(app, served, browser_page, make_case):
    page, base = browser_page, served
    case = make_case("DIW")
    make_case("DIW", title="เรื่องที่สอง")
    login(page, base, "diw.manager")

    page.goto(f"{base}/cases/list/")
    _skips_to_main(page, "main-content", "ข้ามไปยังเนื้อหาหลัก")

    page.goto(f"{base}/cases/edit/{case['id']}")
    page.fill("#requester_id", "1234567890123")  # a wrong check digit, refused by the server
    page.click("#model_form button[type=submit]")
    page.wait_for_load_state("load")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'form-errors'")
    assert page.get_attribute("#requester_id", "aria-invalid") == "true"

    page.goto(f"{base}/dashboards/agency/")
    page.wait_for_selector("#dashboard[data-loaded]")
    charts = page.eval_on_selector_all("canvas[data-chart]", """canvases => canvases.map(c => {
        const chart = Chart.getChart(c), table = document.getElementById('table-' + c.dataset.chart);
        return {name: c.dataset.chart, bars: chart.data.labels.length, rows: table.tBodies[0].rows.length,
                heads: [...table.tHead.querySelectorAll('th')].map(th => th.textContent.trim()),
                labels: [...table.tBodies[0].rows].map(r => r.cells[0].textContent)};
    })""")
    assert charts
    for chart in charts:
        assert chart["rows"] == chart["bars"] and all(chart["heads"]), chart
    by_status = next(c for c in charts if c["name"] == "by_status")
    assert "รอรับเรื่อง" in by_status["labels"]

    # The figure in the table opens the same cases as its bar, by keyboard.
    page.click("#table-by_status >> xpath=ancestor::details/summary")
    link = page.locator("#table-by_status tbody a").first
    count = int(link.inner_text())
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/cases/list/" in url)
    assert count == 2 and "_flt_" in page.url


def test_a_drop_down_is_named_by_its_label_before_its_value(served, browser_page):
    """Select2's boxes named themselves by the value chosen only: a screen reader said "Factory
    nuisance" without saying which field it was."""
    page, base = browser_page, served
    login(page, base, "diw.officer")
    page.goto(f"{base}/cases/add")
    box = page.get_by_role("combobox", name=re.compile("^ประเภทเรื่อง"))
    assert box.count() == 1
    label_id = page.locator("label[for=case_type]").get_attribute("id")
    assert page.locator("#case_type + .select2 .select2-selection").get_attribute("aria-labelledby").startswith(label_id)


def test_the_filter_bar_names_each_filter_after_its_column(served, browser_page):
    """Flask-AppBuilder's filter rows (remove link, condition, value) did not say which column
    they filter; a filter added by hand is named too."""
    page, base = browser_page, served
    login(page, base, "diw.officer")
    page.goto(f"{base}/cases/list/?_flt_0_title=กลิ่น")
    page.wait_for_selector("table.filters a.remove-filter[aria-label]", state="attached")
    page.click("a[href='#accordion1_href']")  # open the filter bar
    page.wait_for_selector("table.filters a.remove-filter")
    assert page.get_by_role("link", name="นำตัวกรองออก: ชื่อเรื่อง").count() == 1
    assert page.get_by_role("combobox", name=re.compile("^ชื่อเรื่อง: เงื่อนไข")).count() == 1
    assert page.get_by_role("textbox", name="ชื่อเรื่อง: ค่า").input_value() == "กลิ่น"
    # A filter added from the menu is named as it appears.
    page.click("#filter_form .dropdown-toggle")
    page.click("#filter_form a.filter[name=province]")
    page.wait_for_selector("table.filters tr:nth-child(2) a.remove-filter[aria-label]")
    assert page.get_by_role("link", name=re.compile("^นำตัวกรองออก: จังหวัด")).count() == 1


def test_staff_texts_read_at_aa_contrast_as_the_browser_draws_them(served, browser_page, make_case):
    """Bootstrap's muted grey (#777, 4.48:1) and Select2's grey placeholder and clear cross (#999,
    2.85:1) were drawn over the app's darker shades, whose selectors were less specific."""
    page, base = browser_page, served
    case = make_case("DIW")
    login(page, base, "diw.manager")
    for url in (f"/cases/show/{case['id']}", f"/cases/edit/{case['id']}", "/cases/add", "/cases/list/"):
        page.goto(f"{base}{url}")
        assert page.evaluate(LOW_CONTRAST) == [], url


def test_every_stop_of_the_menu_bar_shows_the_focus(served, browser_page):
    """Bootstrap's `.dropdown-toggle:focus { outline: 0 }` hid the ring on the menu bar's menus
    (cases, administration, dashboards, language, the user's menu): the keyboard's place was lost."""
    page, base = browser_page, served
    login(page, base, "diw.manager")
    page.goto(f"{base}/cases/list/")
    assert "skip-link" in _tab(page)["cls"]
    stops = []
    for _ in range(15):
        stop = _tab(page)
        if not page.evaluate("() => !!document.activeElement.closest('nav, .navbar')"):
            break
        stops.append(stop)
    toggles = [stop for stop in stops if "dropdown-toggle" in stop["cls"]]
    assert len(toggles) >= 4, stops
    assert [s for s in stops if s["outline"] == "none" or s["width"] < 2] == []


def test_the_dashboards_fit_a_320_pixel_screen(served, browser_page, make_case):
    """WCAG 1.4.10: at 320 CSS pixels (a 1280 px window zoomed to 400%) the charts' boxes were
    23 px wider than the screen; a canvas's own 300 px width held the grid's column open, and, on
    a page whose filters were refused (no chart drawn), stood out of its box."""
    page, base = browser_page, served
    make_case("DIW")
    page.set_viewport_size({"width": 320, "height": 800})
    for who, url in ((None, "/transparency"), ("diw.manager", "/dashboards/agency/"),
                     ("diw.manager", "/dashboards/agency/?from=xx")):
        if who:
            login(page, base, who)
        page.goto(f"{base}{url}")
        page.wait_for_selector(".dash-error:not([hidden])" if "from=xx" in url else "#dashboard[data-loaded]")
        page.evaluate("() => document.querySelectorAll('details.dash-table').forEach(d => { d.open = true; })")
        widths = page.evaluate("""() => ({page: document.documentElement.scrollWidth,
            screen: document.documentElement.clientWidth,
            charts: [...document.querySelectorAll('.dash-chart, canvas')].map(c => c.getBoundingClientRect().right)})""")
        assert widths["page"] <= widths["screen"], (url, widths)
        assert max(widths["charts"]) <= widths["screen"], (url, widths)


def test_the_public_statistics_page_skips_to_its_figures(served, browser_page):
    """The statistics page had no skip link, and its links sat inside <main>."""
    page, base = browser_page, served
    page.goto(f"{base}/transparency?lang=en")
    _skips_to_main(page, "dashboard", "Skip to main content")
    assert page.evaluate("() => !document.querySelector('main nav')")


def test_a_refused_note_on_the_case_page_takes_the_focus_to_its_error(served, browser_page, make_case):
    """The case page's forms are far down the page; a refused one said so only above the page."""
    page, base = browser_page, served
    case = make_case("DIW")
    login(page, base, "diw.officer")
    page.goto(f"{base}/cases/show/{case['id']}")
    page.fill("#note-text", "ผู้ร้องโทร 089-765-4321")
    page.check("form[action$='/note'] input[name=public]")
    page.click("form[action$='/note'] button[type=submit]")
    page.wait_for_load_state("load")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'form-errors'")
    assert page.evaluate("() => document.activeElement.closest('form').action").endswith("/note")
    link = _tab(page)
    assert link["tag"] == "A" and "089-765-4321" in link["text"], link
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "note-text"
    assert page.input_value("#note-text") == "ผู้ร้องโทร 089-765-4321"


def test_a_refused_forms_list_of_errors_reads_at_aa_contrast(served, browser_page, make_case):
    """The links of a refused staff form's list of errors were Bootstrap's blue (#337ab7) on its
    pink alert: 3.5:1."""
    page, base = browser_page, served
    case = make_case("DIW")
    login(page, base, "diw.manager")
    page.goto(f"{base}/cases/edit/{case['id']}")
    page.fill("#requester_id", "1234567890123")
    page.click("#model_form button[type=submit]")
    page.wait_for_selector("#form-errors a")
    assert page.evaluate(LOW_CONTRAST) == []
    page.goto(f"{base}/cases/show/{case['id']}")
    page.fill("#link-code", "DIW-2569-999999")
    page.click("form[action$='/link'] button[type=submit]")
    page.wait_for_selector("#form-errors a")
    assert page.evaluate(LOW_CONTRAST) == []


def test_placeholders_and_public_texts_read_at_aa_contrast(served, browser_page, make_case):
    """A field's placeholder is text: Bootstrap's grey (#999) read at 2.85:1 in the staff screens'
    fields (the code of a case to link, the dashboards' dates, the edit form's hints)."""
    page, base = browser_page, served
    case = make_case("DIW")
    for url in ("/", "/track", f"/track/{case['tracking_code']}", "/complain", "/track/DIW-2569-999999",
                "/?lang=en"):
        page.goto(f"{base}{url}")
        assert page.evaluate(LOW_CONTRAST) == [], url
    login(page, base, "diw.manager")
    for url in (f"/cases/show/{case['id']}", "/dashboards/agency/", "/cases/excel/monthly"):
        page.goto(f"{base}{url}")
        assert page.evaluate(LOW_CONTRAST) == [], url


RING_CONTRAST = """() => {
  const rgba = c => c.match(/[\\d.]+/g).map(Number);
  const luminance = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const el = document.activeElement;
  let under = [255, 255, 255];
  for (let n = el; n; n = n.parentElement) { const c = rgba(getComputedStyle(n).backgroundColor);
    if (c.length < 4 || c[3] > 0) { under = c; break; } }
  const [light, dark] = [luminance(rgba(getComputedStyle(el).outlineColor)), luminance(under)].sort((a, b) => b - a);
  return {text: el.textContent.trim(), ratio: (light + 0.05) / (dark + 0.05)};
}"""


def test_the_focus_ring_stands_out_in_the_menu_bars_menus(served, browser_page):
    """WCAG 1.4.11: the menu bar's white ring (for its dark bar) was drawn inside the white menus
    that open from it too, so the keyboard's place on 'Profile' and 'Sign out' could not be seen."""
    page, base = browser_page, served
    login(page, base, "diw.manager")
    page.goto(f"{base}/cases/list/")
    page.focus("a.dropdown-toggle >> text=สมชาย")
    assert page.evaluate(RING_CONTRAST)["ratio"] >= 3
    page.keyboard.press("Enter")
    rings = []
    for _ in range(2):
        page.keyboard.press("Tab")
        rings.append(page.evaluate(RING_CONTRAST))
    assert rings[-1]["text"] == "ออกจากระบบ"
    assert [ring for ring in rings if ring["ratio"] < 3] == []


def test_escape_puts_away_a_links_tooltip(served, browser_page, make_case):
    """WCAG 1.4.13: Flask-AppBuilder's tooltips (the list's row links, Back, Add) stayed over the
    page until the focus or the pointer left their link; Escape did nothing."""
    page, base = browser_page, served
    make_case("DIW")
    login(page, base, "diw.manager")
    page.goto(f"{base}/cases/list/")
    link = 'a[data-original-title="ดูรายละเอียดรายการ"]'
    page.focus(link)
    page.wait_for_selector(".tooltip.in")
    page.keyboard.press("Escape")
    page.wait_for_timeout(400)  # Bootstrap's fade
    assert page.locator(".tooltip.in").count() == 0
    assert page.evaluate("() => document.activeElement.getAttribute('data-original-title')") == "ดูรายละเอียดรายการ"


def test_the_phone_menus_button_shows_the_focus(served, browser_page):
    """Bootstrap's `.navbar-toggle:focus { outline: 0 }` hid the ring on the button that opens the
    menu on a phone (or a window zoomed past 768 px): the keyboard's place was lost there."""
    page, base = browser_page, served
    login(page, base, "diw.manager")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{base}/cases/list/")
    assert "skip-link" in _tab(page)["cls"]
    toggle = _tab(page)
    assert "navbar-toggle" in toggle["cls"] and toggle["outline"] != "none" and toggle["width"] >= 2, toggle
    assert page.evaluate(RING_CONTRAST)["ratio"] >= 3

"""The dashboards in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) against
the app served on a loopback port: charts draw, Thai renders, drill-downs land on the matching
list, figures refresh without a reload, and no request leaves the app's own origin."""
from __future__ import annotations

import re

import pytest

from tests.e2e.browser_support import SHOTS, assert_own_origin, login

COUNT_RE = re.compile(r"([\d,]+)\+?\s*$")


@pytest.fixture(autouse=True)
def fresh_figures(app, monkeypatch):
    """Figures uncached and refreshed every second."""
    from app.services.dashboard import public_cache
    from app.views.dashboards import staff_cache

    for key, value in (("DASHBOARD_CACHE_SECONDS", 0), ("PUBLIC_DASHBOARD_CACHE_SECONDS", 0),
                       ("DASHBOARD_REFRESH_SECONDS", 1)):
        monkeypatch.setitem(app.config, key, value)
    staff_cache.clear()
    public_cache.clear()


@pytest.fixture()
def demo(app):
    from app.services.demo import load_cases

    with app.app_context():
        load_cases(800, seed=5)


def open_dashboard(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('#dashboard[data-loaded="1"]', timeout=15_000)


# How many pixels of each chart's canvas differ from its background: a drawn chart has many.
INKED_PIXELS_JS = """() => Array.from(document.querySelectorAll('canvas[data-chart]')).map(c => {
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let inked = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) inked++;
  }
  return [c.dataset.chart, inked, c.width * c.height];
})"""

# With a Thai font, a combining vowel has no width of its own; drawn as "tofu" boxes, it does.
THAI_RENDERS_JS = """() => {
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = '20px ' + getComputedStyle(document.body).fontFamily;
  const base = ctx.measureText('ก').width, withVowel = ctx.measureText('กิ').width;
  const word = ctx.measureText('เรื่องร้องเรียน').width;
  return {base, withVowel, word};
}"""


def assert_charts_drawn(page, names: set[str]) -> None:
    inked = {name: count for name, count, _ in page.evaluate(INKED_PIXELS_JS)}
    assert set(inked) == names
    for name, count in inked.items():
        assert count > 300, f"chart {name} looks blank ({count} inked pixels)"


def assert_thai_renders(page) -> None:
    sizes = page.evaluate(THAI_RENDERS_JS)
    assert sizes["base"] > 0 and abs(sizes["withVowel"] - sizes["base"]) < 0.5, sizes
    assert sizes["word"] > 5 * sizes["base"] * 0.5, sizes


def tile_value(page, name: str) -> int:
    text = page.inner_text(f'[data-tile="{name}"] .dash-tile-value')
    return int(text.replace(",", ""))


def list_count(page) -> int:
    text = page.inner_text("div.pull-right").strip()
    return int(COUNT_RE.search(text).group(1).replace(",", ""))


def click_bar(page, chart: str, index: int) -> None:
    """Click the middle of one bar of a Chart.js chart, where a person would."""
    box = page.locator(f"#chart-{chart}").bounding_box()
    x, y = page.evaluate(f"""() => {{
      const chart = Chart.getChart(document.getElementById('chart-{chart}'));
      const p = chart.getDatasetMeta(0).data[{index}].getProps(['x', 'y', 'base'], true);
      return chart.options.indexAxis === 'y' ? [(p.x + p.base) / 2, p.y] : [p.x, (p.y + p.base) / 2];
    }}""")
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_dashboards_draw_drill_down_and_stay_on_their_own_origin(app, demo, served, browser_page):
    page, base = browser_page, served
    staff_charts = {"by_status", "by_type", "weekly", "on_time_by_agency", "top_provinces", "satisfaction_by_agency"}

    # An agency manager: their dashboard; a tile and a bar each open the matching list.
    login(page, base, "diw.manager")
    open_dashboard(page, f"{base}/dashboards/agency/")
    assert_charts_drawn(page, staff_charts)
    assert_thai_renders(page)
    page.screenshot(path=str(SHOTS / "agency-dashboard.png"), full_page=True)
    closed = tile_value(page, "closed_month")
    page.click('[data-tile="closed_month"]')
    page.wait_for_url(re.compile(r"/cases/list/"))
    assert list_count(page) == closed
    open_dashboard(page, f"{base}/dashboards/agency/")
    bars = page.evaluate("() => Chart.getChart(document.getElementById('chart-by_status')).data.datasets[0].data")
    index = max(range(len(bars)), key=lambda i: bars[i])
    click_bar(page, "by_status", index)
    page.wait_for_url(re.compile(r"_flt_3_status="))
    assert list_count(page) == bars[index]

    # The ministry viewer: every agency, one agency chosen in the filter, a province bar.
    login(page, base, "ministry")
    open_dashboard(page, f"{base}/dashboards/ministry/")
    assert_charts_drawn(page, staff_charts)
    page.screenshot(path=str(SHOTS / "ministry-dashboard.png"), full_page=True)
    diw = page.evaluate("() => Array.from(document.querySelectorAll('select[name=agency] option'))"
                        ".find(o => o.textContent.startsWith('DIW')).value")
    page.select_option("select[name=agency]", value=diw)
    page.click(".dash-filters button[type=submit]")
    page.wait_for_selector('#dashboard[data-loaded="1"]')
    assert "agency=" in page.url
    provinces = page.evaluate("() => Chart.getChart(document.getElementById('chart-top_provinces')).data.datasets[0].data")
    click_bar(page, "top_provinces", 0)
    page.wait_for_url(re.compile(r"_flt_3_province="))
    assert "_flt_0_agency=" in page.url and list_count(page) == provinces[0]

    # The public page, signed out.
    page.context.clear_cookies()
    open_dashboard(page, f"{base}/transparency")
    assert_charts_drawn(page, {"by_status", "by_agency", "weekly", "on_time_by_agency", "top_provinces"})
    assert_thai_renders(page)
    assert page.locator("a.dash-tile[href]").count() == 0
    page.screenshot(path=str(SHOTS / "transparency.png"), full_page=True)

    assert_own_origin(page, base)
    assert any(url.endswith("/static/vendor/chartjs/chart.umd.min.js") for url in page.requests)


def test_figures_refresh_without_reloading(app, demo, served, browser_page, make_case):
    page, base = browser_page, served
    login(page, base, "ops.manager")
    open_dashboard(page, f"{base}/dashboards/agency/")
    page.evaluate("() => { window.__notReloaded = true; }")
    before = tile_value(page, "open")
    stamp = page.get_attribute(".dash-updated", "data-updated")
    make_case("OPS")
    page.wait_for_function(
        "([stamp, before]) => document.querySelector('.dash-updated').dataset.updated !== stamp"
        " && Number(document.querySelector('[data-tile=\"open\"] .dash-tile-value').textContent.replace(/,/g, ''))"
        " === before + 1", arg=[stamp, before], timeout=10_000)
    assert page.evaluate("() => window.__notReloaded") is True
    assert page.inner_text(".dash-updated").strip()
    assert_own_origin(page, base)


def data_requests(page, path: str) -> int:
    return sum(1 for url in page.requests if f"{path}/data" in url)


def test_a_refused_filter_shows_its_message_and_is_not_asked_again(app, served, browser_page):
    page, base = browser_page, served
    login(page, base, "admin")
    page.goto(f"{base}/dashboards/ministry/?from=2569-13-45&to=abc")
    refusal = page.locator(".dash-error")
    refusal.wait_for(state="visible")
    page.wait_for_function("() => document.querySelector('.dash-error').dataset.refused === '1'", timeout=10_000)
    page.wait_for_timeout(3_500)  # three refresh periods
    assert "วันที่เริ่มต้น: ไม่มีวันที่นี้ในปฏิทิน: '2569-13-45'" in refusal.inner_text()
    assert "วันที่สิ้นสุด: อ่านวันที่ไม่ได้: 'abc'" in refusal.inner_text()
    assert page.locator(".dash-problem").is_hidden()
    assert data_requests(page, "/dashboards/ministry") == 1
    # Showing the tab again does not ask again either.
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_timeout(1_500)
    assert data_requests(page, "/dashboards/ministry") == 1
    page.screenshot(path=str(SHOTS / "ministry-dashboard-bad-filter.png"), full_page=True)


def test_a_server_error_is_a_connection_problem_and_is_asked_again(app, served, browser_page):
    page, base = browser_page, served
    login(page, base, "diw.manager")
    answers = []

    def first_fails(route):
        answers.append(route.request.url)
        if len(answers) == 1:
            route.fulfill(status=503, content_type="text/html", body="<h1>Service Unavailable</h1>")
        else:
            route.continue_()

    page.route(re.compile(r"/dashboards/agency/data"), first_fails)
    page.goto(f"{base}/dashboards/agency/")
    # The page came with its figures; its first refresh fails, and the next one is asked for.
    page.wait_for_selector('#dashboard[data-loaded="1"]', timeout=10_000)
    page.locator(".dash-problem").wait_for(state="visible")
    assert page.locator(".dash-error").is_hidden()
    page.locator(".dash-problem").wait_for(state="hidden", timeout=10_000)
    assert len(answers) >= 2


# Each category label of the cases-by-type chart as drawn, the whole name, and where the drawn
# label starts: left of the canvas (x < 0) means its beginning is cut off.
TYPE_LABELS_JS = """() => {
  const chart = Chart.getChart(document.getElementById('chart-by_type'));
  const scale = chart.scales.y, ctx = chart.ctx;
  const grid = scale.options.grid;
  const tick = grid.display && grid.drawTicks ? grid.tickLength : 0;
  ctx.save();
  ctx.font = Chart.helpers.toFont(scale.options.ticks.font).string;
  const rows = scale.ticks.map((t, i) => ({shown: t.label, whole: chart.data.labels[i],
    start: scale.right - tick - scale.options.ticks.padding - ctx.measureText(t.label).width}));
  ctx.restore();
  return rows;
}"""


@pytest.mark.parametrize("language", ["th", "en"])
def test_case_type_labels_are_readable_from_their_start(app, demo, served, browser_page, language):
    page, base = browser_page, served
    login(page, base, "ministry")
    if language == "en":
        page.goto(f"{base}/lang/en")
    for url in (f"{base}/dashboards/agency/", f"{base}/dashboards/ministry/"):
        open_dashboard(page, url)
        rows = page.evaluate(TYPE_LABELS_JS)
        assert rows
        for row in rows:
            assert row["start"] >= 0, row
            if row["shown"] != row["whole"]:
                assert row["shown"].endswith("…") and row["whole"].startswith(row["shown"][:-1].rstrip()), row
        assert any(row["shown"] != row["whole"] for row in rows)  # the long names were cut, not dropped
    page.screenshot(path=str(SHOTS / f"ministry-dashboard-types-{language}.png"), full_page=True)


def offered_types(page) -> list[str]:
    return page.evaluate("() => Array.from(document.querySelectorAll('select[name=type] option'))"
                         ".filter(o => o.value).map(o => o.textContent.split(' ')[0])")


def test_the_case_type_filter_offers_the_chosen_agencys_types(app, served, browser_page):
    page, base = browser_page, served
    login(page, base, "ministry")
    open_dashboard(page, f"{base}/dashboards/ministry/")
    every = offered_types(page)
    assert {code.split("-")[0] for code in every} == {"OPS", "DIW", "DIPROM", "TISI", "DPIM"}
    agency = {code: page.evaluate("(code) => Array.from(document.querySelectorAll('select[name=agency] option'))"
                                  ".find(o => o.textContent.startsWith(code)).value", code)
              for code in ("DIW", "OPS")}
    type_value = page.evaluate("() => Array.from(document.querySelectorAll('select[name=type] option'))"
                               ".find(o => o.textContent.startsWith('OPS-GENERAL')).value")
    page.select_option("select[name=type]", value=type_value)
    page.select_option("select[name=agency]", value=agency["OPS"])
    assert page.input_value("select[name=type]") == type_value  # still one of OPS's
    assert offered_types(page) and all(code.startswith("OPS-") for code in offered_types(page))
    page.select_option("select[name=agency]", value=agency["DIW"])
    assert page.input_value("select[name=type]") == ""  # not one of DIW's: cleared
    assert offered_types(page) == [code for code in every if code.startswith("DIW-")]
    page.select_option("select[name=agency]", value="")
    assert offered_types(page) == every
    # A page opened with an agency chosen offers that agency's types only.
    open_dashboard(page, f"{base}/dashboards/ministry/?agency={agency['DIW']}")
    assert offered_types(page) == [code for code in every if code.startswith("DIW-")]


def click_dataset_bar(page, chart: str, dataset: int, index: int) -> None:
    box = page.locator(f"#chart-{chart}").bounding_box()
    x, y = page.evaluate(f"""() => {{
      const chart = Chart.getChart(document.getElementById('chart-{chart}'));
      const p = chart.getDatasetMeta({dataset}).data[{index}].getProps(['x', 'y', 'base'], true);
      return chart.options.indexAxis === 'y' ? [(p.x + p.base) / 2, p.y] : [p.x, (p.y + p.base) / 2];
    }}""")
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_every_chart_and_tile_of_a_managers_filtered_dashboard_opens_its_count(app, demo, served, browser_page):
    """An agency manager with a date range: a click on each tile and on the largest bar of each
    chart's every series lands on a case list of the count the dashboard drew (for the shares and
    averages, the cases they are taken over), and the figures are their agency's alone."""
    page, base = browser_page, served
    login(page, base, "dpim.manager")
    url = f"{base}/dashboards/agency/?from=2000-01-01&kind=complaint"
    open_dashboard(page, url)
    data = page.evaluate(f"() => fetch('{base}/dashboards/agency/data?from=2000-01-01&kind=complaint')"
                         ".then(r => r.json())")
    assert len(data["by_agency"]) == 1 and data["by_agency"][0]["code"] == "DPIM"
    tiles = {name: data["tiles"][name] for name in ("open", "new_today", "new_week", "closed_month", "breached",
                                                     "at_risk")}
    tiles.update(on_time_share=data["tiles"]["closed"], median_close_days=data["tiles"]["closed"])
    for tile, count in tiles.items():
        if not count:
            continue
        page.click(f'[data-tile="{tile}"]')
        page.wait_for_url(re.compile(r"/cases/list/"))
        assert list_count(page) == count, tile
        open_dashboard(page, url)
    closed, rated = data["by_agency"][0]["closed"], data["by_agency"][0]["ratings"]
    charts = page.evaluate("() => Array.from(document.querySelectorAll('canvas[data-chart]')).map(c => {"
                           " const chart = Chart.getChart(c);"
                           " return [c.dataset.chart, chart.data.datasets.map(d => d.data)]; })")
    for chart, datasets in charts:
        for dataset, values in enumerate(datasets):
            if not any(values):
                continue
            index = max(range(len(values)), key=lambda i: values[i] or 0)
            click_dataset_bar(page, chart, dataset, index)
            page.wait_for_url(re.compile(r"/cases/list/"))
            want = {"on_time_by_agency": closed, "satisfaction_by_agency": rated}.get(chart, values[index])
            assert list_count(page) == want, (chart, dataset, values[index])
            assert "_flt_3_kind=complaint" in page.url and "_flt_1_submitted_at=1999-12-31" in page.url, page.url
            open_dashboard(page, url)


def test_a_refresh_keeps_the_keyboard_on_the_figure_it_was_on(served, browser_page, make_case):
    """When new figures came in, a chart's table was built anew and a keyboard user on one of its
    links lost their place (the focus fell back to the page)."""
    page, base = browser_page, served
    make_case("DIW")
    login(page, base, "diw.manager")
    open_dashboard(page, f"{base}/dashboards/agency/")
    page.click("#table-by_status >> xpath=ancestor::details/summary")
    link = page.locator("#table-by_status tbody a").first
    assert link.inner_text() == "1"
    link.focus()
    make_case("DIW", title="เรื่องที่มาใหม่")
    page.wait_for_function("() => document.querySelector('#table-by_status tbody a').textContent === '2'",
                           timeout=15_000)
    focused = page.evaluate("""() => { const el = document.activeElement;
        return {inTable: !!el.closest('#table-by_status'), text: el.textContent,
                row: el.closest('tr') && el.closest('tr').cells[0].textContent}; }""")
    assert focused == {"inTable": True, "text": "2", "row": "รอรับเรื่อง"}, focused


def test_without_scripts_the_figures_are_shown_and_their_tables_open(app, demo, served, browser_page):
    """Scripts off (a locked-down browser): every tile has its figure, and a chart's table opens
    with its figures, on the staff and the public page alike."""
    page, base = browser_page, served
    login(page, base, "ministry")  # signed in with scripts on; the cookie carries over
    context = page.context.browser.new_context(java_script_enabled=False, storage_state=page.context.storage_state())
    try:
        plain = context.new_page()
        for url in (f"{base}/dashboards/ministry/", f"{base}/transparency"):
            plain.goto(url)
            values = plain.locator(".dash-tile-value").all_inner_texts()
            assert values and all(re.fullmatch(r"[\d,.%/ —]+", value.strip()) for value in values), (url, values)
            assert plain.inner_text(".dash-updated") != "–"
            plain.click("#chart-by_status-title + .dash-canvas + details summary")
            assert plain.locator("#table-by_status tbody tr").count() >= 3
    finally:
        context.close()


def test_without_chart_js_the_tiles_and_tables_are_kept_current(app, demo, served, browser_page, make_case):
    page, base = browser_page, served
    page.route(re.compile(r"chart\.umd\.min\.js"), lambda route: route.fulfill(status=404, body=""))
    login(page, base, "diw.manager")
    page.goto(f"{base}/dashboards/agency/")
    before = int(page.inner_text('[data-tile="open"] .dash-tile-value').replace(",", ""))
    make_case("DIW")
    page.wait_for_function(f"() => document.querySelector('[data-tile=\"open\"] .dash-tile-value')"
                           f".textContent.replace(/,/g, '') === '{before + 1}'", timeout=15_000)

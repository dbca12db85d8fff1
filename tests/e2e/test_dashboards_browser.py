"""The dashboards in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) against
the app served on a loopback port: charts draw, Thai renders, drill-downs land on the matching
list, figures refresh without a reload, and no request leaves the app's own origin."""
from __future__ import annotations

import re
import shutil
import os
import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
COUNT_RE = re.compile(r"([\d,]+)\+?\s*$")

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (scripts/ensure-chromium.sh installs it as root)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (requirements.txt) is not installed")


@pytest.fixture()
def served(app, monkeypatch):
    """The test app on a free loopback port, figures uncached and refreshed every second."""
    from werkzeug.serving import make_server

    from app.services.dashboard import public_cache
    from app.views.dashboards import staff_cache

    for key, value in (("DASHBOARD_CACHE_SECONDS", 0), ("PUBLIC_DASHBOARD_CACHE_SECONDS", 0),
                       ("DASHBOARD_REFRESH_SECONDS", 1)):
        monkeypatch.setitem(app.config, key, value)
    staff_cache.clear()
    public_cache.clear()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture()
def demo(app):
    from app.services.demo import load_cases

    with app.app_context():
        load_cases(800, seed=5)


@pytest.fixture()
def browser_page(served):
    """A Chromium page that records every request it makes."""
    SHOTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": 1280, "height": 1500}, locale="th-TH")
        page = context.new_page()
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        yield page
        context.close()
        chromium.close()


def login(page, base: str, username: str) -> None:
    from tests.conftest import PASSWORD

    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_load_state("load")
    assert "/login" not in page.url, f"login of {username} failed"


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


def assert_own_origin(page, base: str) -> None:
    assert page.requests, "no request recorded"
    strangers = [url for url in page.requests if not (url.startswith(base + "/") or url == base)]
    assert not strangers, strangers


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


@pytest.fixture(scope="session", autouse=True)
def _keep_screenshots_for_the_readme():
    """Copy the screenshots to docs/screenshots when asked (UPDATE_DOCS_SCREENSHOTS=1)."""
    yield
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1":
        docs = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
        docs.mkdir(parents=True, exist_ok=True)
        for shot in SHOTS.glob("*.png"):
            shutil.copy(shot, docs / shot.name)


"""An administrator connects an agency to its departmental system in headless Chromium, against the
simulator on loopback: the kind chosen in its drop-down, the settings and status map typed as
JSON (a bad map refused with a Thai message and nothing saved), a sync run started from the
agency's page, its record on the job runs list, the case moved on its page, and the status the
map does not know listed for administrators."""
from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlalchemy import select, update

from app.simulator.server import running_simulator
from tests.e2e.browser_support import SHOTS, assert_own_origin, login
from tests.integration.jobs_support import reset_sync_state



@pytest.fixture()
def sim(app):
    with running_simulator(populate=False) as server:
        yield server
    reset_sync_state(app)


def feed(sim, reference: str, status: str, hours_ago: float) -> None:
    at = datetime.now(UTC) - timedelta(hours=hours_ago)
    answer = requests.post(f"{sim.url}/_control/cases", timeout=10, json=[{
        "agency": "DIW", "reference": reference, "system": "rest",
        "updates": [{"status": status, "at": at.isoformat(), "note": f"{status} note"}]}])
    assert answer.status_code == 200, answer.text


def case_status(app, case_id: int) -> str:
    from app.extensions import db
    from app.models import Case

    with app.app_context():
        status = db.session.execute(select(Case.status).where(Case.id == case_id)).scalar_one()
        db.session.rollback()
        return status


def choose_in_select2(page, field: str, option_text: str) -> None:
    """Pick an option of a Select2 drop-down as a person does: open it, click the option."""
    page.click(f"#{field} + .select2 .select2-selection")
    page.click(f".select2-results__option:text-is('{option_text}')")
    assert page.input_value(f"#{field}") != ""


def test_administrator_connects_an_agency_and_syncs_it_now(app, sim, served, browser_page, make_case):
    page, base = browser_page, served
    moving = make_case("DIW", external_ref="RG4-2569-0001")
    held = make_case("DIW", external_ref="RG4-2569-0002")
    feed(sim, "RG4-2569-0001", "IN_REVIEW", 3)
    feed(sim, "RG4-2569-0002", "ON_HOLD_LEGAL", 2)

    login(page, base, "admin")
    page.goto(f"{base}/agencies/list/")
    page.click("tr:has(td:text-is('DIW')) a[href*='/agencies/edit/']")
    page.wait_for_url(re.compile(r"/agencies/edit/\d+"))
    edit_url = page.url
    agency_id = int(edit_url.rstrip("/").rsplit("/", 1)[1])

    choose_in_select2(page, "connector_kind", "ระบบของหน่วยงาน (REST/JSON)")
    page.fill("#connector_settings", f'{{"base_url": "{sim.rest_url("DIW")}", "token": "{sim.token}", "timeout": 5}}')
    page.fill("#status_map", '{"IN_REVIEW": "reviewing"}')
    page.check("#sync_enabled")
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_load_state("load")
    # Refused: the form stays, says why in Thai, and nothing is saved.
    assert "/agencies/edit/" in page.url
    assert re.search(r"[\u0e00-\u0e7f].*reviewing|reviewing.*[\u0e00-\u0e7f]", page.inner_text("form")), \
        page.inner_text("form")
    assert page.input_value("#status_map") == '{"IN_REVIEW": "reviewing"}'  # what was typed stays to be fixed
    page.screenshot(path=str(SHOTS / "agency-sync-refused.png"), full_page=True)
    from app.extensions import db
    from app.models import Agency

    with app.app_context():
        assert db.session.get(Agency, agency_id).connector_kind is None
        db.session.rollback()

    page.fill("#status_map", '{"IN_REVIEW": "in_progress"}')
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_load_state("load")
    assert "/agencies/edit/" not in page.url

    page.goto(f"{base}/agencies/show/{agency_id}")
    shown = page.inner_text("body")
    assert "REST/JSON" in shown and sim.token not in shown  # the token is never shown back
    page.click("#sync-now button[type=submit]")
    page.wait_for_url(re.compile(r"/job-runs/list/"))
    assert "DIW" in page.inner_text(".alert")

    # The run happens in the background: reload the list as the flash message says, until it ends.
    runs = page.locator("tr", has_text="sync-status")
    deadline = time.monotonic() + 30
    while "สำเร็จ" not in (runs.first.inner_text() if runs.count() else "") and time.monotonic() < deadline:
        time.sleep(0.3)
        page.reload()
    assert runs.count() == 1
    row = runs.first.inner_text()
    assert "DIW" in row and "สำเร็จ" in row, row
    # Its note in the reader's language, with the status the map does not know.
    assert "อ่านความคืบหน้า 2 รายการ" in row and "เปลี่ยนสถานะ 1 ครั้ง" in row and "ON_HOLD_LEGAL" in row, row
    page.screenshot(path=str(SHOTS / "job-runs.png"), full_page=True)
    # The run's page: its details one per line, worded, not a Python dictionary.
    runs.first.locator("a[href*='/job-runs/show/']").click()
    page.wait_for_url(re.compile(r"/job-runs/show/\d+"))
    details = page.inner_text("body")
    assert "ความคืบหน้าที่อ่าน: 2" in details and "สถานะที่ไม่รู้จัก: ON_HOLD_LEGAL" in details, details
    assert "ประเภทระบบงาน: ระบบของหน่วยงาน (REST/JSON)" in details
    assert not re.search(r"\{'|\bTrue\b|\bNone\b", details), details
    page.screenshot(path=str(SHOTS / "job-run.png"), full_page=True)

    assert case_status(app, moving["id"]) == "in_progress"
    assert case_status(app, held["id"]) == "received"  # never guessed
    page.goto(f"{base}/cases/show/{moving['id']}")
    assert "กำลังดำเนินการ" in page.inner_text("body")
    page.goto(f"{base}/unknown-external-statuses/list/")
    listed = page.inner_text("body")
    assert "ON_HOLD_LEGAL" in listed and "RG4-2569-0002" in listed
    assert_own_origin(page, base)


def test_the_job_runs_list_follows_a_running_run_by_itself(app, served, browser_page):
    from app.extensions import db
    from app.models import Agency, JobRun
    from tests.integration.jobs_support import clear_job_runs

    page, base = browser_page, served
    clear_job_runs(app)
    with app.app_context():
        diw = db.session.execute(select(Agency.id).where(Agency.code == "DIW")).scalar_one()
        run = JobRun(job="sync-status", agency_id=diw, status="running", started_at=datetime.now(UTC))
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    try:
        login(page, base, "admin")
        page.goto(f"{base}/job-runs/list/")
        page.evaluate("() => { window.__notReloaded = true; }")
        assert "กำลังทำงาน" in page.inner_text("tr:has([data-run-status])")
        with app.app_context():
            db.session.execute(update(JobRun).where(JobRun.id == run_id).values(
                status="succeeded", finished_at=datetime.now(UTC), fetched=3))
            db.session.commit()
        page.wait_for_selector('[data-run-status="succeeded"]', timeout=15_000)  # no reload by hand
        assert page.evaluate("() => window.__notReloaded") is None  # the page reloaded itself
        assert page.locator('[data-run-status="running"]').count() == 0
    finally:
        clear_job_runs(app)

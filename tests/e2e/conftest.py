"""Screens in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) against the
test app served on a loopback port. Every request the page makes is recorded, so a test can check
that nothing leaves the app's own origin."""
from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import pytest

from tests.e2e.browser_support import CHROMIUM, CHROMIUM_ARGS, SHOTS


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (scripts/ensure-chromium.sh installs it as root)")
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)


@pytest.fixture()
def served(app):
    """The test app on a free loopback port."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture()
def browser_page(served):
    """A Chromium page, in Thai and on Bangkok's clock as the platform's users are, that records
    every request it makes and accepts downloads. (On the machine's UTC clock, the date pickers'
    "today" was yesterday from 17:00 to midnight UTC, and the tests that pick it failed.)"""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (requirements.txt) is not installed")
    SHOTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": 1280, "height": 1500}, locale="th-TH",
                                       timezone_id="Asia/Bangkok", accept_downloads=True)
        page = context.new_page()
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        # Whatever a page's Content-Security-Policy blocked: a screen whose script, style or
        # request the policy stops is broken for its users, whatever the test looked at.
        blocked = []
        page.on("console", lambda message: blocked.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text else None)
        yield page
        context.close()
        chromium.close()
        assert not blocked, blocked


@pytest.fixture(scope="session", autouse=True)
def _keep_screenshots_for_the_readme():
    """Copy the screenshots the README shows to docs/screenshots when asked
    (UPDATE_DOCS_SCREENSHOTS=1); the others stay in tests/e2e/screenshots."""
    yield
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1":
        root = Path(__file__).resolve().parents[2]
        docs = root / "docs" / "screenshots"
        docs.mkdir(parents=True, exist_ok=True)
        shown = set(re.findall(r"docs/screenshots/([\w.-]+\.png)", (root / "README.md").read_text("utf-8")))
        for shot in SHOTS.glob("*.png"):
            if shot.name in shown:
                shutil.copy(shot, docs / shot.name)

"""What the browser tests share: where Chromium and the screenshots are, signing in, and the
check that a page asked nothing of another origin."""
from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def login(page, base: str, username: str) -> None:
    from tests.conftest import PASSWORD

    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_load_state("load")
    assert "/login" not in page.url, f"login of {username} failed"


def assert_own_origin(page, base: str) -> None:
    assert page.requests, "no request recorded"
    strangers = [url for url in page.requests if not (url.startswith(base + "/") or url == base)]
    assert not strangers, strangers

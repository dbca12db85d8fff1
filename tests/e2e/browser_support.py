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


# Every visible text on the page (and every empty field's placeholder) whose colour, as the browser computes it (opacity and
# half-transparent backgrounds blended in), reads at less than WCAG 2.1 AA's 4.5:1 against what is
# under it, 3:1 for large text (24 px, or 18.66 px bold). Disabled controls are exempt.
LOW_CONTRAST = """() => {
  const rgba = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const luminance = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const background = el => { const layers = [];
    for (let n = el; n; n = n.parentElement) { const c = rgba(getComputedStyle(n).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]); };
  const shown = el => { const s = getComputedStyle(el), r = el.getBoundingClientRect();
    return s.visibility !== 'hidden' && r.width > 0 && r.height > 0 && !el.closest('[aria-hidden=true], .sr-only'); };
  const found = [], seen = new Set(), walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !el || seen.has(el) || !shown(el)) continue;
    seen.add(el);
    if (el.closest('script, style, [disabled], .disabled')) continue;
    const style = getComputedStyle(el), under = background(el);
    let opacity = 1;
    for (let n = el; n; n = n.parentElement) opacity *= parseFloat(getComputedStyle(n).opacity);
    const colour = rgba(style.color);
    const text = over([colour[0], colour[1], colour[2], colour[3] * opacity], under);
    const [light, dark] = [luminance(text), luminance(under)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05), size = parseFloat(style.fontSize);
    const large = size >= 24 || (parseInt(style.fontWeight) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5))
      found.push(`${ratio.toFixed(2)}:1 "${walker.currentNode.textContent.trim().slice(0, 30)}" (${el.className || el.tagName})`);
  }
  // A placeholder is text too: an empty field's hint, drawn over the field's own background.
  for (const field of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (field.value || !shown(field) || field.disabled) continue;
    const colour = rgba(getComputedStyle(field, '::placeholder').color), under = background(field);
    const text = over(colour, under);
    const [light, dark] = [luminance(text), luminance(under)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    if (ratio < 4.5) found.push(`${ratio.toFixed(2)}:1 placeholder "${field.placeholder}" (#${field.id})`);
  }
  return found;
}"""

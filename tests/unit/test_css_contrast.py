"""Text colours of the app's own style sheets against their backgrounds: at least 4.5:1 (WCAG 2.1
AA, 1.4.3), computed as WCAG defines it, from the colours the sheets set."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "app" / "static" / "css"
WHITE = "#fff"
PAGE = "#fff"  # Bootstrap's page background, under the staff screens
AA = 4.5


def _rules(name: str) -> dict[str, dict[str, str]]:
    text = re.sub(r"/\*.*?\*/", "", (CSS / name).read_text("utf-8"), flags=re.S)
    text = re.sub(r"@media[^{]*{((?:[^{}]*{[^}]*})*)\s*}", "", text)  # narrow screens change sizes, not colours
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+){([^}]*)}", text):
        declarations = dict((k.strip(), v.strip()) for k, v in
                            (d.split(":", 1) for d in body.split(";") if ":" in d))
        for selector in selectors.split(","):
            rules.setdefault(" ".join(selector.split()), {}).update(declarations)
    return rules


def _colour(value: str) -> str:
    found = re.search(r"#[0-9a-fA-F]{3,6}\b", value)
    assert found, f"no colour in {value!r}"
    return found.group(0)


def _background(declarations: dict[str, str]) -> str | None:
    value = declarations.get("background-color") or declarations.get("background")
    return _colour(value) if value and "#" in value else None


def contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        hex_digits = colour.lstrip("#")
        if len(hex_digits) == 3:
            hex_digits = "".join(c * 2 for c in hex_digits)
        channels = [int(hex_digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("first, second, expected", [
    ("#fff", "#000", 21.0), ("#000", "#fff", 21.0), ("#777", "#fff", 4.48), ("#0d6efd", "#fff", 4.50),
    ("#fd7e14", "#fff", 2.57), ("#abc", "#aabbcc", 1.0),
])
def test_contrast_is_computed_as_wcag_defines_it(first, second, expected):
    assert contrast(first, second) == pytest.approx(expected, abs=0.01)


def _pairs():
    """(where, text colour, background) for every text the sheets colour."""
    staff, public, dashboard = _rules("rueang.css"), _rules("public.css"), _rules("dashboard.css")
    pairs = []
    # Any rule that sets both.
    for sheet, rules in (("rueang.css", staff), ("public.css", public), ("dashboard.css", dashboard)):
        for selector, declarations in rules.items():
            background = _background(declarations)
            if "color" in declarations and background:
                pairs.append((f"{sheet} {selector}", _colour(declarations["color"]), background))
    # Bootstrap's labels and buttons hold white text on the background the staff sheet gives them.
    for selector, declarations in staff.items():
        if re.match(r"\.(label\.|btn-)", selector) and _background(declarations):
            pairs.append((f"rueang.css {selector}", WHITE, _background(declarations)))
    # Text coloured alone, on the page or the box it sits in.
    for selector in (".first-response", ".timeline-event time", ".timeline-event .meta", ".required-mark", ".text-muted",
                     "span.select2-container .select2-selection .select2-selection__placeholder",
                     "span.select2-container .select2-selection .select2-selection__clear"):
        pairs.append((f"rueang.css {selector}", _colour(staff[selector]["color"]), PAGE))
    # Links in Bootstrap's message boxes, on each box's background.
    for selector, box in ((".alert-danger a", "#f2dede"), (".alert-success a", "#dff0d8"), (".alert-info a", "#d9edf7"),
                          (".alert-warning a", "#fcf8e3")):
        pairs.append((f"rueang.css {selector}", _colour(staff[selector]["color"]), box))
    for selector in (".dash-status", ".dash-problem", ".dash-hint", ".dash-format", ".dash-table summary"):
        pairs.append((f"dashboard.css {selector}", _colour(dashboard[selector]["color"]), PAGE))
    tile = _background(dashboard[".dash-tile"])
    for selector in (".dash-tile-note", ".dash-tile"):
        pairs.append((f"dashboard.css {selector} on a tile", _colour(dashboard[selector]["color"]), tile))
    body = _background(public["body"])
    for selector in ("a", ".lead", ".hint", "dt", ".timeline time", ".field-error"):
        pairs.append((f"public.css {selector}", _colour(public[selector]["color"]), body))
    pairs.append(("public.css .field-error in an alert", _colour(public[".field-error"]["color"]),
                  _background(public[".alert"])))
    status_text = _colour(public[".status"]["color"])
    for selector, declarations in public.items():
        if selector.startswith(".status-"):
            pairs.append((f"public.css {selector}", status_text, _background(declarations)))
    return pairs


def test_every_text_colour_of_the_apps_sheets_reads_at_aa():
    pairs = _pairs()
    assert len(pairs) > 40
    low = [f"{where}: {text} on {background} = {contrast(text, background):.2f}"
           for where, text, background in pairs if contrast(text, background) < AA]
    assert not low, "\n".join(low)


def test_the_dashboards_bar_colours_stand_out_from_the_page():
    """Bars are graphics: at least 3:1 against the white page (WCAG 2.1 AA, 1.4.11). The orange,
    teal and light grey ones were 2.1 to 2.6."""
    script = (CSS.parent / "js" / "dashboard.js").read_text("utf-8")
    palette = re.search(r"var COLOURS = {(.*?)};", script, flags=re.S).group(1)
    colours = re.findall(r"#[0-9a-fA-F]{6}\b", palette)
    statuses = re.search(r"var STATUS_COLOURS = {(.*?)};", script, flags=re.S).group(1)
    assert len(colours) >= 9 and "#" not in statuses.replace("COLOURS.", ""), "status colours come from the palette"
    for colour in colours:
        assert contrast(colour, WHITE) >= 3, colour

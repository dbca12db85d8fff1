"""Draws the app's icon: app/static/favicon.svg (hand-written, the source) and favicon.ico
(16, 32 and 48 px, drawn here with Pillow to match it). Run after changing the design:

    .venv/bin/python scripts/make-favicon.py
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parent.parent / "app" / "static"
NAVY, BLUE, WHITE = "#0b3d6e", "#0b5cad", "#ffffff"
# A filed paper with a tick on the ministry navy of the public pages' bar, on a 32-unit grid.
SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="6" fill="{NAVY}"/>
<path d="M9 5h10l5 5v17H9z" fill="{WHITE}"/>
<path d="M19 5v5h5" fill="none" stroke="{NAVY}" stroke-width="1.2" stroke-linejoin="round"/>
<path d="M12 17.5l3 3 5.5-6.5" fill="none" stroke="{BLUE}" stroke-width="2.6" stroke-linecap="round"
 stroke-linejoin="round"/>
</svg>
"""


def draw(scale: int = 16) -> Image.Image:
    def at(*points):
        return [(x * scale, y * scale) for x, y in points]

    image = Image.new("RGBA", (32 * scale, 32 * scale), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, 32 * scale - 1, 32 * scale - 1), radius=6 * scale, fill=NAVY)
    pen.polygon(at((9, 5), (19, 5), (24, 10), (24, 27), (9, 27)), fill=WHITE)
    pen.line(at((19, 5), (19, 10), (24, 10)), fill=NAVY, width=round(1.2 * scale), joint="curve")
    width = round(2.6 * scale)
    pen.line(at((12, 17.5), (15, 20.5), (20.5, 14)), fill=BLUE, width=width, joint="curve")
    for x, y in ((12, 17.5), (20.5, 14)):
        r = width / 2
        pen.ellipse((x * scale - r, y * scale - r, x * scale + r, y * scale + r), fill=BLUE)
    return image


if __name__ == "__main__":
    (STATIC / "favicon.svg").write_text(SVG, encoding="utf-8")
    draw().save(STATIC / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    print({"svg": (STATIC / "favicon.svg").stat().st_size, "ico": (STATIC / "favicon.ico").stat().st_size})

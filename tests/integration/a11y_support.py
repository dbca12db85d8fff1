"""What the accessibility tests read from a page: its elements as a small tree (the standard
library's HTML parser; no browser), and the checks every screen must pass: the page's language,
a title, one h1 and no skipped heading level, a skip link to the main content, a name for every
link, button and form control."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
CONTROLS = {"input", "select", "textarea"}
UNNAMED_INPUTS = {"hidden", "submit", "button", "reset", "image"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: "Element | None" = None
    children: list = field(default_factory=list)  # Element or str

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, *tags: str, **attrs: str) -> list["Element"]:
        return [e for e in self.iter() if (not tags or e.tag in tags)
                and all(e.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())]

    def find(self, *tags: str, **attrs: str) -> "Element | None":
        found = self.find_all(*tags, **attrs)
        return found[0] if found else None

    def text(self, *, spoken: bool = False) -> str:
        """The element's words; spoken=True leaves out what screen readers skip (aria-hidden)."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif not (spoken and (child.get("aria-hidden") == "true" or child.tag in ("script", "style"))):
                parts.append(child.text(spoken=spoken))
        return " ".join(" ".join(parts).split())

    def hidden(self) -> bool:
        node = self
        while node is not None:
            if "hidden" in node.attrs or node.get("aria-hidden") == "true":
                return True
            node = node.parent
        return False


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


class Page:
    def __init__(self, html: str):
        builder = _Builder()
        builder.feed(html)
        self.root = builder.root
        self.html = html
        self.ids = {e.get("id"): e for e in self.root.iter() if e.get("id")}

    def find_all(self, *tags, **attrs):
        return self.root.find_all(*tags, **attrs)

    def find(self, *tags, **attrs):
        return self.root.find(*tags, **attrs)

    @property
    def lang(self) -> str | None:
        html = self.find("html")
        return html.get("lang") if html else None

    @property
    def title(self) -> str:
        title = self.find("title")
        return title.text() if title else ""

    def headings(self) -> list[tuple[int, str]]:
        """The visible headings, in order (a closed dialog's heading is not read)."""
        return [(int(e.tag[1]), e.text()) for e in self.find_all("h1", "h2", "h3", "h4", "h5", "h6")
                if not e.hidden() and not _in_dialog(e)]

    def name_of(self, element: Element) -> str:
        """The accessible name, as far as the markup gives it."""
        if element.get("aria-labelledby"):
            return " ".join(self.ids[i].text() for i in element.get("aria-labelledby").split() if i in self.ids)
        if element.get("aria-label"):
            return element.get("aria-label")
        if element.tag in CONTROLS:
            label = next((lab for lab in self.find_all("label") if lab.get("for") == element.get("id")), None)
            wrapping = element.parent
            while wrapping is not None and wrapping.tag != "label":
                wrapping = wrapping.parent
            label = label or wrapping
            return label.text(spoken=True) if label else (element.get("title") or "")
        if element.tag == "input" and element.get("type") in ("submit", "button"):
            return element.get("value") or ""
        return element.text(spoken=True) or element.get("title") or ""

    def described_by(self, element: Element) -> str:
        return " ".join(self.ids[i].text() for i in (element.get("aria-describedby") or "").split() if i in self.ids)


def _in_dialog(element: Element) -> bool:
    node = element.parent
    while node is not None:
        if node.get("role") in ("dialog", "alertdialog"):
            return True
        node = node.parent
    return False


def basic_problems(html: str, lang: str) -> list[str]:
    """What a screen fails of the basics: language, title, headings, skip link, names."""
    page = Page(html)
    problems = []
    if page.lang != lang:
        problems.append(f"<html lang> is {page.lang!r}, not {lang!r}")
    if not page.title:
        problems.append("no <title>")
    levels = [level for level, _ in page.headings()]
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} h1 headings: {page.headings()}")
    for before, after in zip(levels, levels[1:]):
        if after > before + 1:
            problems.append(f"heading level skips from h{before} to h{after}: {page.headings()}")
    first_link = page.find("a")
    target = (first_link.get("href") or "")[1:] if first_link is not None else ""
    if not (first_link is not None and first_link.get("href", "").startswith("#") and target in page.ids
            and page.ids[target].tag == "main"):
        problems.append("the first link does not skip to <main>")
    for element in page.find_all("a", "button"):
        if element.tag == "a" and element.get("href") is None and element.get("role") != "button":
            continue
        if not element.hidden() and not page.name_of(element).strip():
            problems.append(f"<{element.tag} {element.attrs}> has no name")
    for element in page.find_all(*CONTROLS):
        if element.get("type") in UNNAMED_INPUTS or element.hidden():
            continue
        if not page.name_of(element).strip():
            problems.append(f"<{element.tag} {element.attrs}> has no label")
    counted = Counter(re.findall(r"""\sid=["']([^"']+)["']""", html))
    repeated = sorted(key for key, times in counted.items() if times > 1)
    if repeated:
        problems.append(f"ids used more than once: {repeated}")
    return problems


def problems_of_pages(client, urls, lang: str) -> dict[str, list[str]]:
    """basic_problems of each page a test client gets, by URL; empty when all pass."""
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        problems = basic_problems(response.get_data(as_text=True), lang)
        if problems:
            found[url] = problems
    return found

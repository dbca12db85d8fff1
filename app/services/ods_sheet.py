"""What python-calamine does not give for an OpenDocument spreadsheet (.ods): its error cells, its
merged ranges and the texts it reads wrong, found in content.xml by the same rules calamine places
cells by.

python-calamine 0.9.1 reads an .ods error cell as the number or text stored beside it: a #DIV/0!
that LibreOffice saved comes back as 0, which would import a failed formula as a real value. It
gives no merged ranges for .ods, which the header search needs to spread a merged label over the
columns under it. It drops <text:tab/> and <text:line-break/>, gluing the words on either side
together, and puts the text of a drawing anchored in a cell before the cell's own. So the sheet's
XML is streamed once, beside calamine's read, and searched for the marks of these
(calcext:value-type="error", table:number-columns-spanned or -rows-spanned, text:tab,
text:line-break, draw:frame, draw:custom-shape); only the rows that hold one are read cell by
cell, every other row is only counted, with its repeats.

Positions are from A1, as the reader gives its rows: a row counts table:number-rows-repeated
times and a cell (covered cells too, the ones a merge hides) table:number-columns-repeated times.
Tags are matched with their attributes quoted as XML has them, so a '>' inside a value (a formula
such as of:=IF(A1>0;...)) does not end a tag; names and texts are unescaped by XML's rules.

Standard library only: this module also runs in the sheet reader's child process.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
CONTENT = "content.xml"
CHUNK_BYTES = 2**20
# More than any sheet within the reader's bounds has cells: a file that asks for more is refused
# (TooManyMarks) rather than followed, or quietly cut short.
MAX_FOUND = 6_000_000

_ATTRIBUTES = rb"((?:\s+[\w.:-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*"
_ROW_START = re.compile(rb"<[\w.-]+:table-row[\s/>]")
_ROW_TAG = re.compile(rb"<[\w.-]+:table-row" + _ATTRIBUTES + rb"/?>")
_TABLE_START = re.compile(rb"<[\w.-]+:table" + _ATTRIBUTES + rb">")
_TABLE_END = re.compile(rb"</[\w.-]+:table>")
_CELL = re.compile(rb"<[\w.-]+:(covered-)?table-cell" + _ATTRIBUTES + rb"(/?)>")
_CELL_END = re.compile(rb"</[\w.-]+:(?:covered-)?table-cell>")
# What a cell holds besides its text: a comment, a drawing anchored in it.
_NOT_TEXT = re.compile(rb"<([\w.-]+:(?:annotation|frame|custom-shape))\b.*?</\1>", re.S)
_PARAGRAPH = re.compile(rb"<[\w.-]+:[ph]\b[^>]*?(?:/>|>(.*?)</[\w.-]+:[ph]>)", re.S)
_SPACES = re.compile(rb"<[\w.-]+:s\b(?:[^>]*?:c\s*=\s*[\"'](\d{1,5})[\"'])?[^>]*?/>")
_TAG = re.compile(rb"<(?:\"[^\"]*\"|'[^']*'|[^>\"'])*>")
_ERROR_MARKS = (b'value-type="error"', b"value-type='error'")
# A text calamine reads wrong: its tabs and line breaks dropped, a drawing's text put before it.
_TEXT_MARKS = (b"text:tab", b"text:line-break", b"draw:frame", b"draw:custom-shape")
_MARKS = (*_ERROR_MARKS, b"-spanned=", *_TEXT_MARKS)
_ERROR_TYPE = re.compile(rb":value-type\s*=\s*[\"']error[\"']")
_REFERENCE = re.compile(r"&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


class TooManyMarks(Exception):
    """The sheet holds more error cells, merged ranges or broken texts than MAX_FOUND."""


@dataclass
class Marks:
    """What a sheet holds beyond calamine's values, from A1: error cells as (row, column, text),
    merged ranges as (first row, first column, last row, last column), and the texts of cells
    with tabs or line breaks as (row, column, text)."""

    errors: list[tuple[int, int, str]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    texts: list[tuple[int, int, str]] = field(default_factory=list)


def unescape(data: bytes) -> str:
    """XML character data as text: the five named entities and character references only."""
    def replace(match: re.Match) -> str:
        decimal, hexadecimal, name = match.groups()
        if name:
            return _NAMED[name]
        code = int(decimal) if decimal else int(hexadecimal, 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    text = data.decode("utf-8", "replace")
    return _REFERENCE.sub(replace, text) if "&" in text else text


def _number(attributes: bytes, name: bytes, default: int = 1) -> int:
    match = re.search(rb":" + name + rb"\s*=\s*[\"'](\d{1,9})[\"']", attributes)
    return max(int(match.group(1)), 1) if match else default


def _table_name(attributes: bytes) -> str | None:
    match = re.search(rb"(?:^|\s)[\w.-]+:name\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", attributes)
    return unescape(match.group(1) or match.group(2) or b"") if match else None


def _cell_text(content: bytes) -> str:
    """A string cell's text as LibreOffice shows it: paragraphs on lines of their own, <text:s/>
    as spaces, tabs and line breaks kept, comments and drawings left out."""
    content = _NOT_TEXT.sub(b"", content)
    lines = []
    for paragraph in _PARAGRAPH.finditer(content):
        inner = paragraph.group(1) or b""
        inner = _SPACES.sub(lambda m: b" " * int(m.group(1) or 1), inner)
        inner = re.sub(rb"<[\w.-]+:tab\b[^>]*?/>", b"\t", inner)
        inner = re.sub(rb"<[\w.-]+:line-break\b[^>]*?/>", b"\n", inner)
        lines.append(unescape(_TAG.sub(b"", inner)))
    return "\n".join(lines)


def is_ods(archive: zipfile.ZipFile) -> bool:
    """Whether a zip is an OpenDocument spreadsheet, by its mimetype member."""
    info = archive.NameToInfo.get("mimetype")
    return info is not None and info.file_size < 200 and archive.read("mimetype").strip() == MIMETYPE


class _Table:
    """The rows of the one table wanted, fed one row's XML at a time."""

    def __init__(self, max_rows: int, max_cols: int):
        self.max_rows = max_rows
        self.max_cols = max_cols
        self.row = 0
        self.marks = Marks()

    def add_row(self, text: bytes) -> None:
        """One <table:table-row> and what follows it up to the next row's start."""
        tag = _ROW_TAG.match(text)
        attributes, end = (tag.group(1), tag.end()) if tag else (b"", text.find(b">") + 1)
        repeats = _number(attributes, b"number-rows-repeated") if b"repeated" in attributes else 1
        if self.row < self.max_rows and any(mark in text for mark in _MARKS):
            self._read_cells(text, end, repeats)
        self.row += repeats

    def _read_cells(self, text: bytes, at: int, repeats: int) -> None:
        column = 0
        rows = range(self.row, min(self.row + repeats, self.max_rows))
        for cell in _CELL.finditer(text, at):
            if column >= self.max_cols:
                break
            covered, attributes, empty = cell.group(1), cell.group(2) or b"", cell.group(3)
            width = _number(attributes, b"number-columns-repeated") if b"repeated" in attributes else 1
            columns = range(column, min(column + width, self.max_cols))
            column += width
            if b"-spanned" in attributes and not covered:
                across = _number(attributes, b"number-columns-spanned")
                down = _number(attributes, b"number-rows-spanned")
                if across > 1 or down > 1:
                    self._found(self.marks.merged, [
                        (row, first, min(row + down, self.max_rows) - 1, min(first + across, self.max_cols) - 1)
                        for row in rows for first in columns])
            if empty:
                content = b""
            else:
                closing = _CELL_END.search(text, cell.end())
                content = text[cell.end():closing.start() if closing else len(text)]
            if _ERROR_TYPE.search(attributes):
                error = _cell_text(content).strip()[:64] or "#VALUE!"
                self._found(self.marks.errors, [(row, each, error) for row in rows for each in columns])
            elif any(mark in content for mark in _TEXT_MARKS):
                shown = _cell_text(content)
                self._found(self.marks.texts, [(row, each, shown) for row in rows for each in columns])

    @staticmethod
    def _found(into: list, items: list) -> None:
        if len(into) + len(items) > MAX_FOUND:
            raise TooManyMarks(f"more than {MAX_FOUND:,} error cells, merged ranges or texts with breaks")
        into.extend(items)


def _has_marks(path: str) -> bool:
    with zipfile.ZipFile(path) as archive, archive.open(CONTENT) as stream:
        carry = b""
        while chunk := stream.read(CHUNK_BYTES):
            if any(mark in carry + chunk[:64] for mark in _MARKS) or any(mark in chunk for mark in _MARKS):
                return True
            carry = chunk[-32:]
    return False


def scan(path: str, sheet_name: str, max_rows: int, max_cols: int) -> Marks:
    """The Marks of the table named sheet_name, within max_rows and max_cols. Raises TooManyMarks."""
    if not _has_marks(path):  # nothing to place unless a mark is somewhere: look before counting
        return Marks()
    table: _Table | None = None
    done = False
    with zipfile.ZipFile(path) as archive, archive.open(CONTENT) as stream:
        carry = b""
        while not done:
            chunk = stream.read(CHUNK_BYTES)
            text = carry + chunk
            starts = [match.start() for match in _ROW_START.finditer(text)]
            # Whole rows only: each piece runs from a row's start to the next one's.
            if chunk:
                if not starts:
                    carry = text
                    continue
                pieces_end, carry = starts[-1], text[starts[-1]:]
                starts = starts[:-1]
            else:
                pieces_end, carry = len(text), b""
            bounds = starts + [pieces_end]
            # What comes before the first row of the text: a table's start, or the previous's end.
            table, done = _tables_between(text, 0, bounds[0], table, sheet_name, max_rows, max_cols)
            for start, end in zip(bounds, bounds[1:]):
                if done:
                    break
                piece = text[start:end]
                if table is not None:
                    row_end = piece.rfind(b"table-row>")
                    table.add_row(piece if row_end < 0 else piece[:row_end + 10])
                    if row_end >= 0:
                        table, done = _tables_between(piece, row_end, len(piece), table, sheet_name,
                                                      max_rows, max_cols)
                else:
                    table, done = _tables_between(piece, 0, len(piece), table, sheet_name, max_rows, max_cols)
            if not chunk:
                break
    return table.marks if table is not None else Marks()


def _tables_between(text: bytes, start: int, end: int, table: _Table | None, sheet_name: str,
                    max_rows: int, max_cols: int) -> tuple[_Table | None, bool]:
    """The table being read after text[start:end]: the wanted one begins, or it ends (done)."""
    if table is not None:
        if _TABLE_END.search(text, start, end):
            return table, True
        return table, False
    for tag in _TABLE_START.finditer(text, start, end):
        if _table_name(tag.group(1)) == sheet_name:
            return _Table(max_rows, max_cols), bool(_TABLE_END.search(text, tag.end(), end))
    return None, False

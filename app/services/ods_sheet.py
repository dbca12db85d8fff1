"""What python-calamine does not give for an OpenDocument spreadsheet (.ods): its error cells and
its merged ranges, found in content.xml by the same rules calamine places cells by.

python-calamine 0.9.1 reads an .ods error cell as the number or text stored beside it: a #DIV/0!
that LibreOffice saved comes back as 0, which would import a failed formula as a real value. And it
gives no merged ranges for .ods, which the header search needs to spread a merged label over the
columns under it. So the sheet's XML is streamed once, beside calamine's read, and searched for the
two marks (calcext:value-type="error", and table:number-columns-spanned or -rows-spanned); only the
rows that hold one are read cell by cell, every other row is only counted, with its repeats.

Positions are from A1, as the reader gives its rows: a row counts table:number-rows-repeated
times and a cell (covered cells too, the ones a merge hides) table:number-columns-repeated times.

Standard library only: this module also runs in the sheet reader's child process.
"""
from __future__ import annotations

import html
import re
import zipfile

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
CONTENT = "content.xml"
CHUNK_BYTES = 2**20
# A register has a few hundred merged ranges at most; a hostile file is not followed further.
MAX_FOUND = 100_000

_ROW_START = re.compile(rb"<[\w.-]+:table-row[\s/>]")
_TABLE_START = re.compile(rb"<[\w.-]+:table\s[^>]*>")
_TABLE_END = re.compile(rb"</[\w.-]+:table>")
_CELL = re.compile(rb"<[\w.-]+:(covered-)?table-cell(\s[^>]*?)?(/?)>")
_CELL_END = re.compile(rb"</[\w.-]+:(?:covered-)?table-cell>")
_TAG = re.compile(rb"<[^>]*>")
_MARKS = (b'value-type="error"', b"value-type='error'", b"-spanned=")
_ERROR_TYPE = re.compile(rb":value-type\s*=\s*[\"']error[\"']")


def _number(attributes: bytes, name: bytes, default: int = 1) -> int:
    match = re.search(rb":" + name + rb"\s*=\s*[\"'](\d{1,9})[\"']", attributes)
    return max(int(match.group(1)), 1) if match else default


def _table_name(tag: bytes) -> str | None:
    match = re.search(rb"\s[\w.-]+:name\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", tag)
    if not match:
        return None
    return html.unescape((match.group(1) or match.group(2) or b"").decode("utf-8", "replace"))


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
        self.errors: list[tuple[int, int, str]] = []
        self.merged: list[tuple[int, int, int, int]] = []

    def add_row(self, text: bytes) -> None:
        """One <table:table-row> and what follows it up to the next row's start."""
        end = text.find(b">")
        start_tag = text[:end + 1]
        repeats = _number(start_tag, b"number-rows-repeated") if b"repeated" in start_tag else 1
        if self.row < self.max_rows and any(mark in text for mark in _MARKS):
            self._read_cells(text, end + 1, repeats)
        self.row += repeats

    def _read_cells(self, text: bytes, at: int, repeats: int) -> None:
        column = 0
        rows = range(self.row, min(self.row + repeats, self.max_rows))
        for cell in _CELL.finditer(text, at):
            covered, attributes, empty = cell.group(1), cell.group(2) or b"", cell.group(3)
            width = _number(attributes, b"number-columns-repeated") if b"repeated" in attributes else 1
            if column < self.max_cols and b"-spanned" in attributes and not covered:
                across = _number(attributes, b"number-columns-spanned")
                down = _number(attributes, b"number-rows-spanned")
                if across > 1 or down > 1:
                    for row in rows:
                        for first in range(column, min(column + width, self.max_cols)):
                            self._found(self.merged, (row, first, min(row + down, self.max_rows) - 1,
                                                      min(first + across, self.max_cols) - 1))
            if column < self.max_cols and _ERROR_TYPE.search(attributes):
                error = b"#VALUE!"
                if not empty:  # its text, up to the cell's end
                    closing = _CELL_END.search(text, cell.end())
                    shown = _TAG.sub(b"", text[cell.end():closing.start() if closing else len(text)]).strip()
                    error = shown[:64] or error
                for row in rows:
                    for each in range(column, min(column + width, self.max_cols)):
                        self._found(self.errors, (row, each, html.unescape(error.decode("utf-8", "replace"))))
            column += width

    @staticmethod
    def _found(into: list, item: tuple) -> None:
        if len(into) < MAX_FOUND:
            into.append(item)


def scan(path: str, sheet_name: str, max_rows: int, max_cols: int
         ) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, int, int]]]:
    """(error cells as (row, column, text), merged ranges as (first row, first column, last row,
    last column)) of the table named sheet_name, from A1, within max_rows and max_cols."""
    with zipfile.ZipFile(path) as archive, archive.open(CONTENT) as stream:
        first = stream.read(CHUNK_BYTES)
        if not any(mark in first for mark in _MARKS):
            carry = first[-32:]
            while True:  # nothing to place unless a mark is somewhere: look before counting
                chunk = stream.read(CHUNK_BYTES)
                if not chunk:
                    return [], []
                if any(mark in carry + chunk for mark in _MARKS):
                    break
                carry = chunk[-32:]
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
    if table is None:
        return [], []
    return table.errors, table.merged


def _tables_between(text: bytes, start: int, end: int, table: _Table | None, sheet_name: str,
                    max_rows: int, max_cols: int) -> tuple[_Table | None, bool]:
    """The table being read after text[start:end]: the wanted one begins, or it ends (done)."""
    if table is not None:
        if _TABLE_END.search(text, start, end):
            return table, True
        return table, False
    for tag in _TABLE_START.finditer(text, start, end):
        if _table_name(tag.group(0)) == sheet_name:
            return _Table(max_rows, max_cols), bool(_TABLE_END.search(text, tag.end(), end))
    return None, False

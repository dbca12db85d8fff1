"""Whole numbers from forms and URLs: ASCII digits only, and few enough for a database integer."""
from __future__ import annotations

import pytest

from app.domain.whole_numbers import MAX_DIGITS, whole_number


@pytest.mark.parametrize("text, number", [
    ("12", 12), (" 7 ", 7), (0, 0), (42, 42), ("0012", 12), ("9" * MAX_DIGITS, int("9" * MAX_DIGITS)),
    # str.isdigit() says yes to all of these; int() refuses the first and misreads none, but they
    # are not what a form or a URL of ours sends.
    ("²", None), ("๑๒", None), ("１２", None), ("٣", None),
    ("9" * (MAX_DIGITS + 1), None), ("", None), ("-1", None), ("1.0", None), ("1e3", None), (None, None),
    (True, None), (1.0, None),
])
def test_whole_number(text, number):
    assert whole_number(text) == number

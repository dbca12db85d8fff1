"""Whole numbers as people type them and URLs carry them: a record's id, a page number.

str.isdigit() alone lets '²' through, which int() refuses (a 500 where a 400 was due), and a
thousand-digit number, which a database's integer cannot hold. So: ASCII digits, and few of them.
"""
from __future__ import annotations

import re

# A bigint holds 19 digits; 18 always fit.
MAX_DIGITS = 18
# The largest integer PostgreSQL's bigint and SQLite's INTEGER hold (and SQLite's driver binds).
BIGINT_MAX = 2 ** 63 - 1
SIGNED_DIGITS = re.compile(r"[+-]?[0-9]+")
# Far past the last page of any list (a million pages of 100 cases); a larger number's offset
# is more than the database binds (SQLite's OverflowError, PostgreSQL's bigint).
MAX_PAGE_NUMBER = 1_000_000


def whole_number(text: object) -> int | None:
    """The number that text spells in ASCII digits (at most MAX_DIGITS of them), else None; an int
    is taken as it is when it is no more than MAX_DIGITS digits and not negative."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if 0 <= text < 10 ** MAX_DIGITS else None
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or len(text) > MAX_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def database_integer(value: object) -> int | None:
    """An int, or ASCII digits with an optional sign, that a database integer can hold; else None
    (true and false too, which are ints to Python)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not SIGNED_DIGITS.fullmatch(text) or len(text) > 30:
            return None
        value = int(text)
    if not isinstance(value, int):
        return None
    return value if -BIGINT_MAX - 1 <= value <= BIGINT_MAX else None

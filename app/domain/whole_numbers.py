"""Whole numbers as people type them and URLs carry them: a record's id, a page number.

str.isdigit() alone lets '²' through, which int() refuses (a 500 where a 400 was due), and a
thousand-digit number, which a database's integer cannot hold. So: ASCII digits, and few of them.
"""
from __future__ import annotations

# A bigint holds 19 digits; 18 always fit.
MAX_DIGITS = 18


def whole_number(text: object) -> int | None:
    """The number that text spells in ASCII digits (at most MAX_DIGITS of them), else None."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or len(text) > MAX_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    return int(text)

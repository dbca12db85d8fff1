"""Language and date display: Thai with Buddhist-Era years, or English."""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask_babel import get_locale, get_translations, gettext
from markupsafe import Markup, escape

from app.domain.local_time import BANGKOK
from app.domain.statuses import YES_NO_LABELS, label

THAI_MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
EN_MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def blank_if_none(value):
    """An empty optional column as nothing (not Python's None)."""
    return "" if value is None else value


def yes_no(value) -> str:
    """A true-or-false column as a word of the reader's language (not Python's True and False)."""
    return "" if value is None else label(YES_NO_LABELS, bool(value), lang())


def field_error(message) -> Markup:
    """A form field's error as a page shows it: in the reader's language when it is one of the
    catalogue's messages (WTForms' own), and always escaped, since a message may quote what was
    typed. (Jinja's _() would mark it safe and read it as a format string: typed markup would
    run, and a typed % would fail the page.)"""
    return escape(gettext(str(message)))


class FormMessages:
    """WTForms' own messages from the app's catalogue (WTForms has none in Thai), looked up before
    WTForms writes its limits in: "Number must be between %(min)s and %(max)s." is a message the
    catalogue knows, "Number must be between 1 and 1440." is not, and showed in English on Thai
    screens. Flask-WTF asks its module's `translations` for them (install_form_messages)."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


def install_form_messages() -> None:
    import flask_wtf.form

    flask_wtf.form.translations = FormMessages()


_THAI_LETTERS = ("\u0e01", "\u0e5b")  # the Thai block: ก to ๛


def thai_text_attr(text, page_lang: str | None = None) -> Markup:
    """ lang="th" for text people typed in Thai shown on a page in another language, so that a
    screen reader reads it with a Thai voice (WCAG 3.1.2); nothing otherwise."""
    page_lang = page_lang or lang()
    if page_lang == "th" or not text:
        return Markup("")
    return Markup(' lang="th"') if has_thai(str(text)) else Markup("")


def has_thai(text: str) -> bool:
    """Whether the text holds a Thai letter, digit or mark."""
    first, last = _THAI_LETTERS
    return any(first <= char <= last for char in text)


def lang() -> str:
    try:
        locale = get_locale()
    except Exception:  # outside a request
        return "th"
    return "th" if locale is None or locale.language == "th" else "en"


def format_date(value: date | datetime | None, language: str | None = None, *, with_time: bool = False) -> str:
    """'18 ธ.ค. 2567 14:05' in Thai (B.E. year), '18 Dec 2024 14:05' in English, Bangkok time."""
    if value is None:
        return ""
    language = language or lang()
    moment = value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        moment = value.astimezone(BANGKOK)
    if language == "th":
        text = f"{moment.day} {THAI_MONTHS_SHORT[moment.month - 1]} {moment.year + 543}"
    else:
        text = f"{moment.day} {EN_MONTHS_SHORT[moment.month - 1]} {moment.year}"
    if with_time and isinstance(moment, datetime):
        text += f" {moment:%H:%M}"
    return text


def format_datetime(value, language: str | None = None) -> str:
    return format_date(value, language, with_time=True)

"""Dates as Thai offices read and write them: Buddhist-Era years (B.E. = C.E. + 543, so 2569 is
2026), the day first, Arabic or Thai digits, Thai or English month names. Pure: no Flask, no
database. The import reads sheet cells with these rules (app.domain.excel_cells); the screens'
date fields, list filters and dashboard filters read what staff type with them, and show a date
the way the screen's language writes it.

Reading a written date (read_date):
- forms: yyyy-mm-dd; d/m/y (the day first, always: Thai usage, on English screens too; '/', '-'
  or '.' between); d month y with a Thai or English month name, full, short or as spoken
  (18 ธ.ค. 2567, 18 ธันวาคม 2567, 18 ธันวา 67, 18 Dec 2024); Month d, y; yyyymmdd or ddmmyyyy;
  Thai digits anywhere; 'วันที่' or 'วันพุธที่' in front;
- a four-digit year of 2400 or more is B.E., one from 1900 to 2200 is C.E., anything else is
  refused, whatever the screen's language. A C.E. year typed on a Thai screen by mistake
  (18/12/2024) is therefore read as C.E.: read as B.E. it would be the year 1481, which no case,
  holiday or report has; the field then shows it back as 18/12/2567, so the officer sees how it
  was read. The same holds the other way round for a B.E. year on an English screen;
- an era written out (พ.ศ./B.E. or ค.ศ./C.E./A.D.) decides on its own;
- a two-digit year is B.E. 25yy when yy >= TWO_DIGIT_BE_PIVOT (40), else C.E. 20yy: offices
  writing '67' mean 2567 (2024), offices writing C.E. write '24'; the pivot keeps both readings
  apart from B.E. 2540 (1997) to C.E. 2039;
- the day must exist: 29/02/2567 is 29 February 2024 (a leap year), 29/02/2568 (2025) is refused.
  The leap year is always the C.E. year's: a B.E. year is never a calendar of its own.

On screens (parse_day, shown_day; parse_month, shown_month), a date is also kept between
SCREEN_EARLIEST and SCREEN_LATEST, and is shown as dd/mm/yyyy with a B.E. year on Thai screens
(24/11/2569) and as yyyy-mm-dd on English ones (2026-11-24); both read back to the same day.
A list filter may also hold a moment (an ISO date and time, as the dashboards' links write them).
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from app.domain.errors import RuleError
from app.domain.local_time import start_of_local_day

BE_OFFSET = 543
TWO_DIGIT_BE_PIVOT = 40
SCREEN_EARLIEST = date(1900, 1, 1)
SCREEN_LATEST = date(2200, 12, 31)


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def ce_year(be_year: int) -> int:
    return be_year - BE_OFFSET


class DateTextError(RuleError):
    """Written text that is not a date. code is stable; screens show message_th or message_en."""

    def __init__(self, code: str, message_th: str, message_en: str, *, value: object = None):
        super().__init__(message_en, message_th, code=code)
        self.value = value


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


# --- text ---------------------------------------------------------------------------------------

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def thai_digits_to_ascii(s: str) -> str:
    """'๑๘/๑๒/๒๕๖๗' -> '18/12/2567'. Other characters are left alone."""
    return s.translate(_THAI_DIGITS)


_THAI_MONTHS = (
    ("มกราคม", "มค"), ("กุมภาพันธ์", "กพ"), ("มีนาคม", "มีค"), ("เมษายน", "เมย"),
    ("พฤษภาคม", "พค"), ("มิถุนายน", "มิย"), ("กรกฎาคม", "กค"), ("สิงหาคม", "สค"),
    ("กันยายน", "กย"), ("ตุลาคม", "ตค"), ("พฤศจิกายน", "พย"), ("ธันวาคม", "ธค"),
)
_ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
# What people write in a hurry: the name without its ending (ธันวา, เมษา, กุมภา).
_THAI_MONTHS_SPOKEN = (
    "มกรา", "กุมภา", "มีนา", "เมษา", "พฤษภา", "มิถุนา", "กรกฎา", "สิงหา", "กันยา", "ตุลา", "พฤศจิกา", "ธันวา",
)
_MONTHS: dict[str, int] = {"sept": 9}
for _number, ((_full, _short), _spoken) in enumerate(zip(_THAI_MONTHS, _THAI_MONTHS_SPOKEN), start=1):
    _MONTHS[_full] = _MONTHS[_short] = _MONTHS[_spoken] = _number
for _number, _name in enumerate(_ENGLISH_MONTHS, start=1):
    _MONTHS[_name] = _MONTHS[_name[:3]] = _number

_ERA_BE = re.compile(r"(?<![a-zก-๙])(?:พ\.?\s?ศ\.?|b\.?\s?e\.?)(?![a-zก-๙])")
_ERA_CE = re.compile(r"(?<![a-zก-๙])(?:ค\.?\s?ศ\.?|c\.?\s?e\.?|a\.?\s?d\.?)(?![a-zก-๙])")
# 'วันที่ 18 ...' or 'วันจันทร์ที่ 18 ...'
DAY_PREFIX = re.compile(r"^วัน\S{0,12}?ที่\s*")
_ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_DMY_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})[\s\-/.]*([^\d\s\-/,]+)[\s\-/.,]*(\d{2}|\d{4})$")
_MONTH_NAME_DAY = re.compile(r"^([a-z]+)\.?[\s\-]*(\d{1,2})(?:st|nd|rd|th)?[\s,\-]+(\d{2}|\d{4})$")
_COMPACT = re.compile(r"^\d{8}$")
_SPACED_SEPARATOR = re.compile(r"\s*([-/])\s*")


def bad_date(shown: str) -> DateTextError:
    return DateTextError(
        "date_invalid",
        f"อ่านวันที่ไม่ได้: '{shown}' (ใช้รูปแบบ วว/ดด/ปปปป เช่น 18/12/2567)",
        f"Cannot read the date '{shown}' (use dd/mm/yyyy, e.g. 18/12/2567 or 18/12/2024)",
        value=shown,
    )


def full_year(year_text: str, era: str | None = None, shown: str = "") -> int:
    """C.E. year from a year as written, by the rules in the module docstring. era: 'be', 'ce' or None."""
    year = int(year_text)
    if len(year_text) == 2:
        if era == "be":
            return 2500 + year - BE_OFFSET
        if era == "ce":
            return 2000 + year
        return 2500 + year - BE_OFFSET if year >= TWO_DIGIT_BE_PIVOT else 2000 + year
    if era == "be":
        return year - BE_OFFSET
    if era == "ce":
        return year
    if year >= 2400:
        return year - BE_OFFSET
    if 1900 <= year <= 2200:
        return year
    raise DateTextError(
        "date_year_invalid",
        f"ปี {year} ไม่ใช่ทั้ง พ.ศ. และ ค.ศ. ที่เป็นไปได้: '{shown or year_text}'",
        f"The year {year} is neither a plausible B.E. nor C.E. year: '{shown or year_text}'",
        value=shown or year_text,
    )


def _make_date(year: int, month: int, day: int, shown: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateTextError(
            "date_nonexistent",
            f"ไม่มีวันที่นี้ในปฏิทิน: '{shown}'",
            f"No such day in the calendar: '{shown}'",
            value=shown,
        ) from None


def _plausible_year(text: str) -> bool:
    year = int(text)
    return 1900 <= year <= 2200 or 2400 <= year <= 2700


def date_from_text(text: str, shown: str | None = None) -> date:
    """The C.E. date of cleaned, lower-cased text holding a date alone (see read_date).
    shown: the value as the messages quote it (the text itself by default)."""
    shown = _shown(text) if shown is None else shown
    era = None
    if _ERA_BE.search(text):
        era = "be"
        text = _ERA_BE.sub(" ", text)
    elif _ERA_CE.search(text):
        era = "ce"
        text = _ERA_CE.sub(" ", text)
    text = " ".join(text.split())
    text = _SPACED_SEPARATOR.sub(r"\1", text)

    if match := _ISO_DATE.match(text):
        year, month, day = match.groups()
        return _make_date(full_year(year, era, shown), int(month), int(day), shown)
    if match := _DMY_DATE.match(text):
        day, month, year = match.groups()
        return _make_date(full_year(year, era, shown), int(month), int(day), shown)
    if _COMPACT.match(text):
        # yyyymmdd (25671218, 20241218) or ddmmyyyy (18122567); never both, since a plausible
        # year read as mmdd gives a month of 19 or more.
        if _plausible_year(text[:4]) and 1 <= int(text[4:6]) <= 12:
            return _make_date(full_year(text[:4], era, shown), int(text[4:6]), int(text[6:]), shown)
        if _plausible_year(text[4:]) and 1 <= int(text[2:4]) <= 12:
            return _make_date(full_year(text[4:], era, shown), int(text[2:4]), int(text[:2]), shown)
        raise bad_date(shown)
    named = _DAY_MONTH_NAME.match(text)
    if named:
        day, month_word, year = named.groups()
    elif named := _MONTH_NAME_DAY.match(text):
        month_word, day, year = named.groups()
    else:
        raise bad_date(shown)
    key = month_word.replace(".", "").replace(" ", "")
    if key not in _MONTHS:
        raise DateTextError(
            "date_unknown_month",
            f"ไม่รู้จักชื่อเดือน '{month_word}' ใน '{shown}'",
            f"Unknown month name '{month_word}' in '{shown}'",
            value=shown,
        )
    return _make_date(full_year(year, era, shown), _MONTHS[key], int(day), shown)


def _cleaned(text: str) -> str:
    """Thai digits to Arabic, odd spaces to plain ones, trimmed, lower-cased, 'วันที่' taken off."""
    text = " ".join(thai_digits_to_ascii(text).replace("\u200b", "").split()).casefold()
    return DAY_PREFIX.sub("", text)


def read_date(text: str) -> date:
    """The C.E. date of text holding a date alone, by the rules in the module docstring."""
    return date_from_text(_cleaned(text), _shown(text.strip()))


# --- screens ------------------------------------------------------------------------------------

def _out_of_range(day: date, shown: str) -> DateTextError:
    return DateTextError(
        "date_out_of_range",
        f"วันที่ '{shown}' อยู่นอกช่วงที่รับได้ (พ.ศ. {be_year(SCREEN_EARLIEST.year)} ถึง {be_year(SCREEN_LATEST.year)})",
        f"The date '{shown}' is outside the dates accepted ({SCREEN_EARLIEST.year} to {SCREEN_LATEST.year})",
        value=shown,
    )


def parse_day(text: str | None) -> date | None:
    """The C.E. date a staff member typed or picked; None when the field is blank. Raises
    DateTextError, with a message in Thai and in English, for anything that is not a date."""
    if text is None or not text.strip():
        return None
    day = read_date(text)
    if not SCREEN_EARLIEST <= day <= SCREEN_LATEST:
        raise _out_of_range(day, _shown(text.strip()))
    return day


def shown_day(day: date | None, lang: str) -> str:
    """A date as a date field shows it: '24/11/2569' on Thai screens, '2026-11-24' on English ones."""
    if day is None:
        return ""
    if lang == "th":
        return f"{day.day:02d}/{day.month:02d}/{be_year(day.year)}"
    return day.isoformat()


def day_pattern(lang: str) -> str:
    """What a date field asks for, as its placeholder says it."""
    return "วว/ดด/ปปปป" if lang == "th" else "yyyy-mm-dd"


_YEAR_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/. ](\d{4}|\d{2})$")
_MONTH_NAME_YEAR = re.compile(r"^([^\d\s\-/,]+)[\s\-/.,]*(\d{4}|\d{2})$")


def _bad_month(shown: str) -> DateTextError:
    return DateTextError(
        "month_invalid",
        f"อ่านเดือนไม่ได้: '{shown}' (ใช้รูปแบบ ดด/ปปปป เช่น 11/2569)",
        f"Cannot read the month '{shown}' (use yyyy-mm, e.g. 2026-11, or mm/yyyy, e.g. 11/2569)",
        value=shown,
    )


def parse_month(text: str | None) -> tuple[int, int] | None:
    """(C.E. year, month) of a month typed or picked: 2026-11, 2569-11, 11/2569, 11/2026,
    พ.ย. 2569, November 2026, with the years read as read_date reads them; None when blank."""
    if text is None or not text.strip():
        return None
    shown = _shown(text.strip())
    cleaned = _cleaned(text)
    era = None
    if _ERA_BE.search(cleaned):
        era, cleaned = "be", _ERA_BE.sub(" ", cleaned)
    elif _ERA_CE.search(cleaned):
        era, cleaned = "ce", _ERA_CE.sub(" ", cleaned)
    cleaned = _SPACED_SEPARATOR.sub(r"\1", " ".join(cleaned.split()))
    if match := _YEAR_MONTH.match(cleaned):
        year_text, month = match.group(1), int(match.group(2))
    elif match := _MONTH_YEAR.match(cleaned):
        month, year_text = int(match.group(1)), match.group(2)
    elif (match := _MONTH_NAME_YEAR.match(cleaned)) and match.group(1).replace(".", "") in _MONTHS:
        month, year_text = _MONTHS[match.group(1).replace(".", "")], match.group(2)
    else:
        raise _bad_month(shown)
    if not 1 <= month <= 12:
        raise _bad_month(shown)
    year = full_year(year_text, era, shown)
    if not SCREEN_EARLIEST.year <= year <= SCREEN_LATEST.year:
        raise _out_of_range(date(year, month, 1), shown)
    return year, month


def shown_month(year: int, month: int, lang: str) -> str:
    """A month as a month field shows it: '11/2569' on Thai screens, '2026-11' on English ones."""
    return f"{month:02d}/{be_year(year)}" if lang == "th" else f"{year}-{month:02d}"


def month_pattern(lang: str) -> str:
    return "ดด/ปปปป" if lang == "th" else "yyyy-mm"


# --- list filters ------------------------------------------------------------------------------

_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}")
_TICK = timedelta(microseconds=1)


def parse_filter_value(text: str) -> date | datetime:
    """What a date filter of a list holds: a day as parse_day reads it, or a moment, written in
    ISO 8601 with its time (2026-01-31T17:00:00+00:00, as the dashboards' links write them; one
    without an offset is UTC, as times are stored). Raises DateTextError otherwise, blank included."""
    cleaned = thai_digits_to_ascii(text or "").strip()
    if _MOMENT.match(cleaned.casefold()):
        try:
            moment = datetime.fromisoformat(cleaned)
        except ValueError:
            raise bad_date(_shown(cleaned)) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    day = parse_day(cleaned)
    if day is None:
        raise bad_date("")
    return day


def day_span(day: date, *, deadline: bool = False) -> tuple[datetime, datetime]:
    """[start, end) in UTC of the instants a screen shows as the Bangkok day `day`. A deadline
    (due_at) is the instant the case becomes late, 00:00 Bangkok after its due date, and is shown
    as that due date (app.domain.sla.last_day): its span is shifted by a microsecond."""
    start, end = start_of_local_day(day), start_of_local_day(day + timedelta(days=1))
    return (start + _TICK, end + _TICK) if deadline else (start, end)

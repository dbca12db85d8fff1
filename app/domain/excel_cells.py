"""Reading one cell of a legacy register: text, dates, phone numbers, IDs, numbers, coordinates.

Pure functions, no Flask or database. Each parser takes what a spreadsheet reader hands over
(str, int, float, bool, datetime, date, time, timedelta or None), returns a clean Python value,
None for an empty cell, and raises CellError with a stable code and Thai and English messages
when the cell cannot be read.

Dates written as text follow app.domain.thai_dates, the rules the screens read typed dates by
(B.E. and C.E. years, two-digit years, Thai month names and digits). Beyond those:
- a real Excel date whose year is 2400 or more was typed as B.E. into a C.E. Excel: 543 years
  come off;
- dates before EARLIEST_DATE or more than max_future_days after today (Bangkok) are refused;
  parse_datetime given the current moment also refuses a time later than it by more than that.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.domain import thai_dates
from app.domain.case_rules import thai_id_checksum_ok
from app.domain.excel_safety import FORMULA_GUARD, without_guard
from app.domain.local_time import BANGKOK
from app.domain.thai_dates import BE_OFFSET, DAY_PREFIX, thai_digits_to_ascii

EARLIEST_DATE = date(1950, 1, 1)
MAX_FUTURE_DAYS = 366
# Excel's day zero in the 1900 date system, for serials from 61 (1900-03-01) on.
EXCEL_EPOCH = datetime(1899, 12, 30)
# The largest serial Excel accepts (9999-12-31).
EXCEL_MAX_SERIAL = 2958465

# Thailand with a margin: latitude 5.6-20.5 N, longitude 97.3-105.7 E. The two ranges do not
# overlap, which is how parse_lat_lon tells "lat, lon" from "lon, lat".
THAILAND_LAT = (5.0, 21.0)
THAILAND_LON = (97.0, 106.0)


class CellError(ValueError):
    """A cell that cannot be read. code is stable; screens show message_th or message_en."""

    def __init__(self, code: str, message_th: str, message_en: str, *, value: object = None):
        super().__init__(message_en)
        self.code = code
        self.message_th = message_th
        self.message_en = message_en
        self.value = value

    def message(self, lang: str) -> str:
        return self.message_th if lang == "th" else self.message_en

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message_en, "message_th": self.message_th}


@dataclass(frozen=True, slots=True)
class ErrorCell:
    """A cell holding an Excel error (#N/A, #REF!, #DIV/0!...): a formula that failed, not a
    value and not an empty cell. The sheet reader gives one for each such cell, and for each
    formula whose result the file does not keep (text '=' and the formula)."""

    text: str

    def __str__(self) -> str:
        return self.text


def error_in_cell(cell: ErrorCell) -> CellError:
    """Why an error cell cannot be imported: the value it should hold is unknown. A text starting
    with '=' is a formula whose result the file does not keep (the sheet reader's report)."""
    if cell.text.startswith("="):
        return CellError(
            "formula_not_calculated",
            f"ช่องนี้เป็นสูตร {_shown(cell.text)} ที่ไฟล์ไม่ได้เก็บผลลัพธ์ไว้ (ไฟล์ไม่ได้บันทึกจาก Excel) "
            "ให้เปิดไฟล์ใน Excel แล้วบันทึกอีกครั้ง หรือพิมพ์ค่าแทนสูตร",
            f"The cell holds the formula {_shown(cell.text)} but the file keeps no result for it (it was not saved "
            "by Excel); open the file in Excel and save it again, or type the value",
            value=cell,
        )
    return CellError(
        "excel_error",
        f"ช่องนี้เป็นค่าผิดพลาดของ Excel {cell.text} (สูตรคำนวณไม่สำเร็จ) ให้แก้สูตรหรือพิมพ์ค่าที่ถูกต้องแทน",
        f"The cell holds the Excel error {cell.text} (a formula that failed); correct the formula or type the value",
        value=cell,
    )


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


# --- text -----------------------------------------------------------------------------------

# Invisible characters that legacy sheets carry (copied from web pages and Word): removed anywhere.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"), None)
# Joiners matter inside some scripts and emoji, so they are only trimmed at the ends.
_EDGE_JOINERS = "\u200c\u200d"
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)


def is_blank(value: object) -> bool:
    """An empty cell: nothing, or text of spaces only."""
    return value is None or (type(value) is str and not value.strip())


def not_a_number(value: float) -> CellError:
    """A number cell holding NaN or infinity (LibreOffice stores them; Excel shows #NUM!)."""
    return CellError("not_a_number", "ช่องนี้มีค่าที่ไม่ใช่ตัวเลขจริง (NaN หรืออนันต์) ให้พิมพ์ค่าใหม่",
                     "The cell holds a number that is not one (NaN or infinity); type the value again", value=value)


def clean_text(value: object, max_len: int | None = None) -> str | None:
    """Trimmed text of a cell, None when nothing is left.

    Removes zero-width characters and control characters, turns non-breaking and other odd spaces
    into plain spaces, normalises line ends to '\\n' and Unicode to NFC, and trims both ends.
    Numbers stored by Excel come back without a trailing '.0'. The apostrophe that exports before
    quote-prefixed cells put in front of a formula trigger ("'- น้ำเสีย") is taken off. Over
    max_len characters raises CellError('text_too_long') rather than cutting what a clerk wrote.
    """
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        raise not_a_number(value)
    if type(value) is str and value.isprintable() and (value.isascii() or unicodedata.is_normalized("NFC", value)):
        # Most cells: nothing to remove or normalise (isprintable() is False for controls, line
        # breaks, odd spaces and zero-width characters), so trimming is all that is left.
        text = value.strip()
    else:
        text = _clean_slowly(value)
    if text[:1] == FORMULA_GUARD:
        text = without_guard(text).strip()
    if not text:
        return None
    if max_len is not None and len(text) > max_len:
        raise CellError(
            "text_too_long",
            f"ข้อความยาว {len(text):,} ตัวอักษร เกินที่รับได้ {max_len:,} ตัวอักษร",
            f"The text is {len(text):,} characters long; at most {max_len:,} are allowed",
            value=value,
        )
    return text


def _clean_slowly(value: object) -> str:
    text = _as_text(value)
    text = text.translate(_INVISIBLE)
    text = _ODD_SPACES.sub(" ", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    return text.strip().strip(_EDGE_JOINERS).strip()


def _numeric_text(value: str) -> str:
    """Text prepared for number-like parsing: Thai digits, odd spaces and invisibles dealt with."""
    return clean_text(thai_digits_to_ascii(value)) or ""


# --- dates ----------------------------------------------------------------------------------
# Dates written as text are read by app.domain.thai_dates, whose rules the screens share.

_TIME_SUFFIX = re.compile(
    r"(?:\s+|t|\s*,\s*|\s*เวลา\s*)"
    r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.(\d{1,6}))?)?"
    r"\s*(am|pm|a\.m\.|p\.m\.|น\.?|นาฬิกา)?"
    r"\s*(z|[+-]\d{2}:?\d{2})?$"
)


def _as_cell_error(error: thai_dates.DateTextError, value: object) -> CellError:
    return CellError(error.code, error.message_th, error.message_en, value=value)


def _bad_date(value: object) -> CellError:
    """The date rules' own message (app.domain.thai_dates), about this cell."""
    return _as_cell_error(thai_dates.bad_date(_shown(value)), value)


def _date_from_text(text: str, value: object) -> date:
    try:
        return thai_dates.date_from_text(text, _shown(value))
    except thai_dates.DateTextError as error:
        raise _as_cell_error(error, value) from None


def _split_time(text: str, value: object) -> tuple[str, time | None, timezone | None]:
    match = _TIME_SUFFIX.search(text)
    if not match:
        return text, None, None
    hour, minute = int(match.group(1)), int(match.group(2))
    second = int(match.group(3) or 0)
    micro = int((match.group(4) or "0").ljust(6, "0"))
    marker = (match.group(5) or "").replace(".", "")
    if marker in ("am", "pm"):
        if not 1 <= hour <= 12:
            raise _bad_time(value)
        hour = hour % 12 + (12 if marker == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise _bad_time(value)
    zone = None
    if offset := match.group(6):
        if offset == "z":
            zone = timezone.utc
        else:
            sign = -1 if offset[0] == "-" else 1
            digits = offset[1:].replace(":", "")
            zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    return text[: match.start()].strip(), time(hour, minute, second, micro), zone


def parse_time(value: object) -> time | None:
    """Time of day of a cell of its own ('14:30', '14.30 น.', '2:30 PM', an Excel time or the
    fraction of a day Excel keeps it as); None when empty."""
    if value is None:
        return None
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        if not 0 <= seconds < 86_400:
            raise _bad_time(value)
        return (datetime.min + value).time()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not (math.isfinite(value) and 0 <= value < 1):
            raise _bad_time(value)
        moment = datetime.min + timedelta(milliseconds=round(value * 86_400_000))
        return moment.time()
    if isinstance(value, str):
        text = clean_text(thai_digits_to_ascii(value))
        if text is None:
            return None
        rest, clock, _zone = _split_time(" " + text.casefold(), value)
        if clock is None or rest.strip():
            raise _bad_time(value)
        return clock
    raise _bad_time(value)


def _bad_time(value: object) -> CellError:
    return CellError(
        "time_invalid",
        f"เวลาไม่ถูกต้อง: '{_shown(value)}'",
        f"The time is not valid: '{_shown(value)}'",
        value=value,
    )


def _from_serial(serial: float, value: object) -> datetime:
    if not math.isfinite(serial) or serial < 61 or serial > EXCEL_MAX_SERIAL:
        raise CellError(
            "date_out_of_range",
            f"ตัวเลข {_shown(value)} ไม่ใช่วันที่ของ Excel ที่เป็นไปได้",
            f"The number {_shown(value)} is not a plausible Excel date",
            value=value,
        )
    moment = EXCEL_EPOCH + timedelta(days=serial)
    # Excel keeps milliseconds; round away float noise such as 0.99999 of a second.
    return (moment + timedelta(microseconds=500)).replace(microsecond=0)


def _from_be_calendar(moment: datetime | date, value: object) -> datetime | date:
    """An Excel date typed as B.E. into a C.E. Excel (year 2567) is moved back 543 years."""
    if moment.year < 2400:
        return moment
    try:
        return moment.replace(year=moment.year - BE_OFFSET)
    except ValueError:
        raise CellError(
            "date_nonexistent",
            f"ไม่มีวันที่นี้ในปฏิทิน: '{_shown(value)}'",
            f"No such day in the calendar: '{_shown(value)}'",
            value=value,
        ) from None


def _parse_moment(value: object) -> tuple[date, time | None, timezone | None] | None:
    """(date, time or None, zone or None) of a cell; None when empty. No range checks yet."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _bad_date(value)
    if isinstance(value, datetime):
        moment = _from_be_calendar(value, value)
        zone = moment.tzinfo
        return moment.date(), moment.time().replace(tzinfo=None), zone
    if isinstance(value, date):
        return _from_be_calendar(value, value), None, None
    if isinstance(value, (time, timedelta)):
        raise CellError(
            "date_invalid",
            f"ช่องนี้มีแต่เวลาหรือระยะเวลา ไม่มีวันที่: '{_shown(value)}'",
            f"The cell holds a time or a duration, not a date: '{_shown(value)}'",
            value=value,
        )
    if isinstance(value, (int, float)):
        number = float(value)
        if number.is_integer() and 19000101 <= number <= 27001231:
            # A date typed as digits without separators and kept as a number: 25671218.
            return _date_from_text(str(int(number)), value), None, None
        moment = _from_be_calendar(_from_serial(number, value), value)
        has_time = moment.time() != time(0)
        return moment.date(), moment.time() if has_time else None, None
    if isinstance(value, str):
        text = clean_text(thai_digits_to_ascii(value))
        if text is None:
            return None
        text = DAY_PREFIX.sub("", text.casefold())
        text, clock, zone = _split_time(text, value)
        return _date_from_text(text, value), clock, zone
    raise _bad_date(value)


def _today_bangkok() -> date:
    return datetime.now(BANGKOK).date()


def _check_range(day: date, value: object, today: date | None, max_future_days: int) -> None:
    if day < EARLIEST_DATE:
        raise CellError(
            "date_too_early",
            f"วันที่ {day:%d/%m}/{day.year + BE_OFFSET} เก่าเกินไป (ก่อน พ.ศ. {EARLIEST_DATE.year + BE_OFFSET}): '{_shown(value)}'",
            f"The date {day.isoformat()} is too early (before {EARLIEST_DATE.year}): '{_shown(value)}'",
            value=value,
        )
    today = today or _today_bangkok()
    if day > today + timedelta(days=max_future_days):
        raise CellError(
            "date_in_future",
            f"วันที่ {day:%d/%m}/{day.year + BE_OFFSET} อยู่ในอนาคตไกลเกินไป ตรวจสอบปี พ.ศ./ค.ศ.: '{_shown(value)}'",
            f"The date {day.isoformat()} is too far in the future; check the B.E./C.E. year: '{_shown(value)}'",
            value=value,
        )


def parse_date(value: object, *, today: date | None = None, max_future_days: int = MAX_FUTURE_DAYS) -> date | None:
    """Calendar date (C.E.) of a cell; None when empty. A time part, if any, is ignored."""
    parsed = _parse_moment(value)
    if parsed is None:
        return None
    day = parsed[0]
    _check_range(day, value, today, max_future_days)
    return day


def parse_datetime(
    value: object, *, today: date | None = None, max_future_days: int = MAX_FUTURE_DAYS,
    now: datetime | None = None,
) -> datetime | None:
    """Aware datetime in Asia/Bangkok; None when empty.

    Naive values (Excel has no time zones) are Bangkok wall-clock time; a date alone is midnight.
    Text may carry a time: '18/12/2567 14:30', '18 ธ.ค. 67 14.30 น.', '2024-12-18T07:30:00Z'.
    The range is checked on days; given now (aware), a moment more than max_future_days after it
    is refused too, so that with max_future_days=0 a time later today is in the future while
    today's date alone (midnight) is not.
    """
    parsed = _parse_moment(value)
    if parsed is None:
        return None
    day, clock, zone = parsed
    moment = datetime.combine(day, clock or time(0), tzinfo=zone or BANGKOK).astimezone(BANGKOK)
    _check_range(moment.date(), value, today, max_future_days)
    if now is not None and moment > now + timedelta(days=max_future_days):
        current = now.astimezone(BANGKOK)
        raise CellError(
            "date_in_future",
            f"วันเวลา {moment:%d/%m}/{moment.year + BE_OFFSET} {moment:%H:%M} น. ยังมาไม่ถึง "
            f"(ขณะนี้ {current:%d/%m}/{current.year + BE_OFFSET} {current:%H:%M} น.): '{_shown(value)}'",
            f"The time {moment:%Y-%m-%d %H:%M} is in the future (it is now {current:%Y-%m-%d %H:%M}, "
            f"Bangkok time): '{_shown(value)}'",
            value=value,
        )
    return moment


# --- phone numbers --------------------------------------------------------------------------

_PHONE_LABEL = re.compile(r"^(?:โทรศัพท์มือถือ|โทรศัพท์|มือถือ|โทร|tel|phone|mobile|mob)\.?\s*:?\s*", re.I)
_PHONE_EXTENSION = re.compile(r"(?:ต่อ|ext\.?|x|#)\s*\d+\s*$", re.I)
_PHONE_SPLIT = re.compile(r"[,;/]|\s(?:หรือ|or)\s", re.I)
_PHONE_NOISE = re.compile(r"[\s\-.()]")
_MOBILE = re.compile(r"^0[689]\d{8}$")
_LANDLINE = re.compile(r"^0[2-57]\d{7}$")


def _bad_phone(value: object) -> CellError:
    return CellError(
        "phone_invalid",
        f"เบอร์โทรศัพท์ไม่ถูกต้อง: '{_shown(value)}' (มือถือ 10 หลัก เช่น 081-234-5678 หรือโทรศัพท์บ้าน 9 หลัก เช่น 02-202-3000)",
        f"Not a valid Thai phone number: '{_shown(value)}' (10-digit mobile such as 081-234-5678 "
        "or 9-digit landline such as 02-202-3000)",
        value=value,
    )


def parse_phone(value: object) -> str | None:
    """Thai phone number as digits with its leading 0 ('0812345678', '022023000'); None when empty.

    Accepts +66 and 66 prefixes, dashes, spaces, dots, brackets and Thai digits, and restores the
    leading 0 that Excel drops when a number is stored as a number (812345678.0). A cell with two
    numbers or an extension is refused, so that nothing is dropped silently.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise _bad_phone(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
            raise _bad_phone(value)
        if value < 0:
            raise _bad_phone(value)
        text = str(int(value))
    elif isinstance(value, str):
        text = _numeric_text(value)
        if not text:
            return None
        text = _PHONE_LABEL.sub("", text)
        if _PHONE_EXTENSION.search(text):
            raise CellError(
                "phone_extension",
                f"เบอร์โทรศัพท์มีเบอร์ต่อ: '{_shown(value)}' ใส่เบอร์ต่อในหมายเหตุแทน",
                f"The phone number has an extension: '{_shown(value)}'; put the extension in the note",
                value=value,
            )
        parts = [part for part in _PHONE_SPLIT.split(text) if re.search(r"\d", part or "")]
        if len(parts) > 1:
            raise CellError(
                "phone_multiple",
                f"ช่องเบอร์โทรศัพท์มีมากกว่าหนึ่งเบอร์: '{_shown(value)}' ใส่เพียงเบอร์เดียว",
                f"The phone cell holds more than one number: '{_shown(value)}'; keep one",
                value=value,
            )
        text = _PHONE_NOISE.sub("", text)
        if text.startswith("+"):
            if not text.startswith("+66"):
                raise _bad_phone(value)
            text = "0" + text[3:].removeprefix("0")
        if not text.isdigit():
            raise _bad_phone(value)
    else:
        raise _bad_phone(value)

    if len(text) in (11, 12) and text.startswith("66"):
        text = "0" + text[2:].removeprefix("0")
    if not text.startswith("0") and len(text) in (8, 9):
        text = "0" + text
    if _MOBILE.match(text) or _LANDLINE.match(text):
        return text
    raise _bad_phone(value)


# --- citizen and juristic IDs ---------------------------------------------------------------

_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?e\+?\d+$", re.I)



def parse_national_id(value: object) -> str | None:
    """13-digit citizen ID or juristic person number; None when empty.

    A number loses leading zeros in Excel (juristic numbers start with 0), so numbers are padded
    back to 13 digits. Text is never padded: a missing digit there is the clerk's, and padding
    would turn it into a different, possibly valid, ID. Text in scientific notation
    ('1.1017E+12') has lost digits already and is refused.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise _bad_id(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
            raise _bad_id(value)
        number = int(value)
        if number <= 0 or number >= 10**13:
            raise _id_length(value, len(str(abs(number))))
        digits = f"{number:013d}"
    elif isinstance(value, str):
        text = _numeric_text(value)
        if not text:
            return None
        text = re.sub(r"[\s\-]", "", text)
        if _SCIENTIFIC.match(text):
            raise CellError(
                "id_scientific",
                f"เลขประจำตัวถูกแสดงเป็นเลขยกกำลัง ({_shown(value)}) ตัวเลขบางหลักหายไปแล้ว "
                "จัดรูปแบบคอลัมน์เป็นข้อความแล้วพิมพ์ใหม่",
                f"The ID is in scientific notation ({_shown(value)}) and has lost digits; "
                "format the column as text and type it again",
                value=value,
            )
        text = re.sub(r"\.0+$", "", text)
        if not (text.isascii() and text.isdigit()):
            raise _bad_id(value)
        if len(text) != 13:
            raise _id_length(value, len(text))
        digits = text
    else:
        raise _bad_id(value)

    if set(digits) == {"0"} or not thai_id_checksum_ok(digits):
        raise CellError(
            "id_checksum",
            f"เลขประจำตัว {digits} ไม่ถูกต้อง (ตัวเลขตรวจสอบหลักสุดท้ายไม่ตรง) ตรวจสอบว่าพิมพ์ถูกทุกหลัก",
            f"The ID {digits} is not valid (its check digit does not match); check every digit",
            value=value,
        )
    return digits


def _bad_id(value: object) -> CellError:
    return CellError(
        "id_invalid",
        f"เลขประจำตัวประชาชน/เลขทะเบียนนิติบุคคลต้องเป็นตัวเลข 13 หลัก: '{_shown(value)}'",
        f"A citizen or juristic ID is 13 digits: '{_shown(value)}'",
        value=value,
    )


def _id_length(value: object, length: int) -> CellError:
    return CellError(
        "id_length",
        f"เลขประจำตัวมี {length} หลัก ต้องมี 13 หลัก: '{_shown(value)}'",
        f"The ID has {length} digits; it needs 13: '{_shown(value)}'",
        value=value,
    )


# --- numbers --------------------------------------------------------------------------------

_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_CURRENCY = re.compile(r"฿|บาท|thb", re.I)


def _number_text(value: str) -> str | None:
    """'1,234.50' -> '1234.50'; None when the text is not a plain decimal number."""
    text = _numeric_text(value).replace(" ", "")
    if _GROUPED.match(text):
        return text.replace(",", "")
    if _PLAIN.match(text):
        return text
    return None


def _out_of_range(value: object, low: object, high: object, code: str) -> CellError:
    bounds_th = f"ตั้งแต่ {low} ถึง {high}" if low is not None and high is not None else (
        f"ไม่น้อยกว่า {low}" if low is not None else f"ไม่เกิน {high}")
    bounds_en = f"from {low} to {high}" if low is not None and high is not None else (
        f"at least {low}" if low is not None else f"at most {high}")
    return CellError(code, f"ค่า '{_shown(value)}' ต้อง{bounds_th}", f"The value '{_shown(value)}' must be {bounds_en}",
                     value=value)


def parse_int(value: object, *, min_value: int | None = None, max_value: int | None = None) -> int | None:
    """Whole number of a cell ('1,234', '๑๒', 12.0); None when empty."""
    if value is None:
        return None
    bad = CellError("int_invalid", f"ต้องเป็นจำนวนเต็ม: '{_shown(value)}'", f"Expected a whole number: '{_shown(value)}'",
                    value=value)
    if isinstance(value, bool):
        raise bad
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise bad
        if not value.is_integer():
            raise CellError("int_not_whole", f"ต้องเป็นจำนวนเต็ม ไม่มีทศนิยม: '{_shown(value)}'",
                            f"Expected a whole number without decimals: '{_shown(value)}'", value=value)
        number = int(value)
    elif isinstance(value, str):
        if clean_text(value) is None:
            return None
        text = _number_text(value)
        if text is None:
            raise bad
        amount = Decimal(text)
        if amount != amount.to_integral_value():
            raise CellError("int_not_whole", f"ต้องเป็นจำนวนเต็ม ไม่มีทศนิยม: '{_shown(value)}'",
                            f"Expected a whole number without decimals: '{_shown(value)}'", value=value)
        number = int(amount)
    else:
        raise bad
    if (min_value is not None and number < min_value) or (max_value is not None and number > max_value):
        raise _out_of_range(value, min_value, max_value, "int_out_of_range")
    return number


def parse_decimal(
    value: object,
    *,
    places: int | None = None,
    min_value: Decimal | int | None = None,
    max_value: Decimal | int | None = None,
) -> Decimal | None:
    """Exact decimal of a cell ('1,234.50 บาท', '(1,234.50)', 0.1); None when empty.

    Floats go through their shortest repr, so 0.1 is Decimal('0.1'). With places, the result is
    rounded half up to that many decimals (Excel floats carry binary noise such as 0.30000000000000004).
    """
    if value is None:
        return None
    bad = CellError("decimal_invalid", f"ต้องเป็นตัวเลข: '{_shown(value)}'", f"Expected a number: '{_shown(value)}'",
                    value=value)
    if isinstance(value, bool):
        raise bad
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise bad
        amount = Decimal(repr(value))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise bad
        amount = value
    elif isinstance(value, str):
        text = clean_text(thai_digits_to_ascii(value))
        if text is None:
            return None
        text = _CURRENCY.sub("", text).strip()
        negative = text.startswith("(") and text.endswith(")")
        if negative:
            text = text[1:-1]
        number = _number_text(text)
        if number is None:
            raise bad
        try:
            amount = Decimal(number)
        except InvalidOperation:
            raise bad from None
        if negative:
            amount = -amount
    else:
        raise bad
    if places is not None:
        amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if (min_value is not None and amount < min_value) or (max_value is not None and amount > max_value):
        raise _out_of_range(value, min_value, max_value, "decimal_out_of_range")
    return amount


# --- coordinates ----------------------------------------------------------------------------


def _coordinate(value: object, bounds: tuple[float, float], code: str, name_th: str, name_en: str) -> float | None:
    amount = parse_decimal(value) if not isinstance(value, float) else value
    if amount is None:
        return None
    number = float(amount)
    if not math.isfinite(number) or not bounds[0] <= number <= bounds[1]:
        raise CellError(
            code,
            f"{name_th} {_shown(value)} อยู่นอกประเทศไทย (ต้องอยู่ระหว่าง {bounds[0]} ถึง {bounds[1]})",
            f"The {name_en} {_shown(value)} is outside Thailand (expected {bounds[0]} to {bounds[1]})",
            value=value,
        )
    return number


def parse_latitude(value: object) -> float | None:
    """Decimal degrees north, within Thailand; None when empty."""
    try:
        return _coordinate(value, THAILAND_LAT, "latitude_invalid", "ละติจูด", "latitude")
    except CellError as error:
        if error.code == "latitude_invalid":
            raise
        raise CellError("latitude_invalid", f"ละติจูดต้องเป็นค่าองศาแบบทศนิยม เช่น 13.7563: '{_shown(value)}'",
                        f"A latitude is decimal degrees such as 13.7563: '{_shown(value)}'", value=value) from None


def parse_longitude(value: object) -> float | None:
    """Decimal degrees east, within Thailand; None when empty."""
    try:
        return _coordinate(value, THAILAND_LON, "longitude_invalid", "ลองจิจูด", "longitude")
    except CellError as error:
        if error.code == "longitude_invalid":
            raise
        raise CellError("longitude_invalid", f"ลองจิจูดต้องเป็นค่าองศาแบบทศนิยม เช่น 100.5018: '{_shown(value)}'",
                        f"A longitude is decimal degrees such as 100.5018: '{_shown(value)}'", value=value) from None


def parse_lat_lon(value: object) -> tuple[float, float] | None:
    """(latitude, longitude) of one cell holding both: '13.7563, 100.5018' or Traffy's '100.5018,13.7563'.

    Thailand's latitudes and longitudes do not overlap, so either order is read correctly.
    """
    if value is None:
        return None
    text = clean_text(thai_digits_to_ascii(value)) if isinstance(value, str) else None
    if text is None:
        if isinstance(value, str):
            return None
        raise _bad_coords(value)
    parts = [part for part in re.split(r"[,;\s]+", text.strip("()[] ")) if part]
    if len(parts) != 2:
        raise _bad_coords(value)
    try:
        first, second = (float(Decimal(part)) for part in parts)
    except InvalidOperation:
        raise _bad_coords(value) from None

    def inside(number: float, bounds: tuple[float, float]) -> bool:
        return bounds[0] <= number <= bounds[1]

    if inside(first, THAILAND_LAT) and inside(second, THAILAND_LON):
        return first, second
    if inside(first, THAILAND_LON) and inside(second, THAILAND_LAT):
        return second, first
    raise CellError(
        "coords_outside_thailand",
        f"พิกัด '{_shown(value)}' อยู่นอกประเทศไทย",
        f"The coordinates '{_shown(value)}' are outside Thailand",
        value=value,
    )


def _bad_coords(value: object) -> CellError:
    return CellError(
        "coords_invalid",
        f"พิกัดต้องเป็น 'ละติจูด, ลองจิจูด' เช่น 13.7563, 100.5018: '{_shown(value)}'",
        f"Coordinates are 'latitude, longitude' such as 13.7563, 100.5018: '{_shown(value)}'",
        value=value,
    )

"""Cells of legacy registers: tables of what clerks type and what the parsers make of it."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest

from app.domain.excel_cells import (
    CellError,
    clean_text,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_int,
    parse_lat_lon,
    parse_latitude,
    parse_longitude,
    parse_national_id,
    parse_phone,
    thai_digits_to_ascii,
    thai_id_checksum_ok,
)
from app.domain.local_time import BANGKOK

TODAY = date(2026, 1, 15)
DEC_18_2024 = date(2024, 12, 18)


def test_thai_digits_become_ascii_and_nothing_else_changes():
    assert thai_digits_to_ascii("๑๘/๑๒/๒๕๖๗") == "18/12/2567"
    assert thai_digits_to_ascii("เลขที่ ๐๑๒๓๔๕๖๗๘๙ ABC") == "เลขที่ 0123456789 ABC"


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("\u00a0\u200b ", None),
        ("  สมชาย ใจดี  ", "สมชาย ใจดี"),
        ("สมชาย\u00a0ใจดี\u00a0", "สมชาย ใจดี"),
        ("\ufeffกลิ่นเหม็น\u200b", "กลิ่นเหม็น"),
        ("บรรทัด 1\r\nบรรทัด 2", "บรรทัด 1\nบรรทัด 2"),
        ("a\x00b\x07c", "abc"),
        ("\u200dข้อความ\u200c", "ข้อความ"),
        ("ตัวเลข ๑๒๓", "ตัวเลข ๑๒๓"),  # Thai digits in text are the clerk's to keep
        (812345678.0, "812345678"),
        (12.5, "12.5"),
        (42, "42"),
        (date(2024, 12, 18), "2024-12-18"),
    ],
)
def test_clean_text(value, expected):
    assert clean_text(value) == expected


def test_clean_text_refuses_text_over_max_len_instead_of_cutting_it():
    assert clean_text("กขค", max_len=3) == "กขค"
    with pytest.raises(CellError) as caught:
        clean_text("กขคง", max_len=3)
    assert caught.value.code == "text_too_long"
    assert "4" in caught.value.message_th and "4" in caught.value.message_en


@pytest.mark.parametrize(
    "value, expected",
    [
        # Text, B.E. and C.E., Thai and ASCII digits
        ("18/12/2567", DEC_18_2024),
        ("18/12/67", DEC_18_2024),
        ("18-12-2567", DEC_18_2024),
        ("18.12.2567", DEC_18_2024),
        ("18 / 12 / 2567", DEC_18_2024),
        ("18/12/2024", DEC_18_2024),
        ("18/12/24", DEC_18_2024),
        ("2024-12-18", DEC_18_2024),
        ("2567-12-18", DEC_18_2024),
        ("๑๘/๑๒/๒๕๖๗", DEC_18_2024),
        ("๑๘ ธ.ค. ๖๗", DEC_18_2024),
        ("18 ธ.ค. 67", DEC_18_2024),
        ("18 ธ.ค.67", DEC_18_2024),
        ("18 ธค 2567", DEC_18_2024),
        ("18 ธันวาคม 2567", DEC_18_2024),
        ("18 ธันวา 67", DEC_18_2024),
        ("1 เมษา 2568", date(2025, 4, 1)),
        ("18 ธันวาคม พ.ศ. 2567", DEC_18_2024),
        ("วันที่ 18 ธันวาคม พ.ศ. 2567", DEC_18_2024),
        ("วันพุธที่ 18 ธันวาคม 2567", DEC_18_2024),
        ("18 ธันวาคม ค.ศ. 2024", DEC_18_2024),
        ("18-Dec-2024", DEC_18_2024),
        ("18-DEC-24", DEC_18_2024),
        ("18 December 2024", DEC_18_2024),
        ("Dec 18, 2024", DEC_18_2024),
        ("December 18th 2024", DEC_18_2024),
        ("25671218", DEC_18_2024),
        ("20241218", DEC_18_2024),
        ("18122567", DEC_18_2024),
        ("  18/12/2567\u00a0", DEC_18_2024),
        ("18/12/2567 14:30", DEC_18_2024),
        ("2024-12-18T10:30:00", DEC_18_2024),
        ("1/2/2568", date(2025, 2, 1)),
        ("29/02/2567", date(2024, 2, 29)),  # B.E. 2567 is C.E. 2024, a leap year
        ("1 ม.ค. 40", date(1997, 1, 1)),  # 40 is the first two-digit year read as B.E.
        # Real Excel values
        (datetime(2024, 12, 18, 9, 30), DEC_18_2024),
        (date(2024, 12, 18), DEC_18_2024),
        (datetime(2567, 12, 18), DEC_18_2024),  # typed as B.E. into a C.E. Excel
        (date(2567, 12, 18), DEC_18_2024),
        (45644, DEC_18_2024),  # serial number
        (45644.0, DEC_18_2024),
        (45644.75, DEC_18_2024),
        (25671218, DEC_18_2024),  # digits kept as a number
        # Empty
        (None, None),
        ("", None),
        ("  ", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value, today=TODAY) == expected


@pytest.mark.parametrize(
    "value, code",
    [
        ("31/02/2567", "date_nonexistent"),
        ("29/02/2566", "date_nonexistent"),  # 2023 has no 29 February
        ("18/13/2567", "date_nonexistent"),
        ("00/12/2567", "date_nonexistent"),
        ("18/12/2300", "date_year_invalid"),  # neither a B.E. nor a C.E. year we accept
        ("18/12/1850", "date_year_invalid"),
        ("18/12/2590", "date_in_future"),  # B.E. 2590 is C.E. 2047
        ("18/12/2099", "date_in_future"),
        ("1 ม.ค. 39", "date_in_future"),  # 39 -> C.E. 2039
        ("18/12/2480", "date_too_early"),  # B.E. 2480 is C.E. 1937
        ("18 ธันว 2567", "date_unknown_month"),
        ("18 foo 2567", "date_unknown_month"),
        ("hello", "date_invalid"),
        ("18/12", "date_invalid"),
        ("2567", "date_invalid"),
        ("12345678", "date_invalid"),
        ("18/12/2567 25:00", "time_invalid"),
        (True, "date_invalid"),
        (time(10, 30), "date_invalid"),
        (timedelta(days=3), "date_invalid"),
        (12.5, "date_out_of_range"),
        (-1, "date_out_of_range"),
        (2567, "date_too_early"),  # a year typed into a date column: serial 2567 is 1907
        (float("nan"), "date_out_of_range"),
        (3_000_000, "date_out_of_range"),
        ([2024, 12, 18], "date_invalid"),
    ],
)
def test_parse_date_refuses(value, code):
    with pytest.raises(CellError) as caught:
        parse_date(value, today=TODAY)
    assert caught.value.code == code
    assert caught.value.message_th and caught.value.message_en
    assert caught.value.message("th") == caught.value.message_th
    assert caught.value.as_dict()["code"] == code


def test_future_window_is_adjustable():
    assert parse_date("01/02/2569", today=TODAY) == date(2026, 2, 1)
    with pytest.raises(CellError) as caught:
        parse_date("01/02/2569", today=TODAY, max_future_days=1)
    assert caught.value.code == "date_in_future"


@pytest.mark.parametrize("value, refused", [
    ("15/01/2569 12:09", False),
    ("15/01/2569", False),  # a date alone is today, however late it is
    (datetime(2026, 1, 15, 0, 0), False),
    ("15/01/2569 12:10", True),
    ("15/01/2569 23:59", True),
    (datetime(2026, 1, 15, 18, 30), True),
    ("2026-01-15T05:30:00Z", True),  # 12:30 in Bangkok
])
def test_a_time_later_today_is_in_the_future(value, refused):
    now = datetime(2026, 1, 15, 12, 9, 30, tzinfo=BANGKOK)
    if not refused:
        assert parse_datetime(value, today=TODAY, max_future_days=0, now=now) is not None
        return
    with pytest.raises(CellError) as caught:
        parse_datetime(value, today=TODAY, max_future_days=0, now=now)
    assert caught.value.code == "date_in_future"
    assert "12:09" in caught.value.message_th and "12:09" in caught.value.message_en


def test_thai_message_shows_the_year_in_buddhist_era():
    with pytest.raises(CellError) as caught:
        parse_date("18/12/2590", today=TODAY)
    assert "2590" in caught.value.message_th
    assert "2047" in caught.value.message_en


@pytest.mark.parametrize(
    "value, expected",
    [
        ("18/12/2567 14:30", datetime(2024, 12, 18, 14, 30, tzinfo=BANGKOK)),
        ("18/12/2567 14.30 น.", datetime(2024, 12, 18, 14, 30, tzinfo=BANGKOK)),
        ("18 ธ.ค. 67 เวลา 09.05 น.", datetime(2024, 12, 18, 9, 5, tzinfo=BANGKOK)),
        ("18/12/2024 2:30 PM", datetime(2024, 12, 18, 14, 30, tzinfo=BANGKOK)),
        ("18/12/2024 12:00 am", datetime(2024, 12, 18, 0, 0, tzinfo=BANGKOK)),
        ("2024-12-18T10:30:15", datetime(2024, 12, 18, 10, 30, 15, tzinfo=BANGKOK)),
        ("2024-12-18T03:30:00Z", datetime(2024, 12, 18, 10, 30, tzinfo=BANGKOK)),
        ("2024-12-18 10:30:00+07:00", datetime(2024, 12, 18, 10, 30, tzinfo=BANGKOK)),
        ("18/12/2567", datetime(2024, 12, 18, tzinfo=BANGKOK)),
        (datetime(2024, 12, 18, 14, 30), datetime(2024, 12, 18, 14, 30, tzinfo=BANGKOK)),
        (datetime(2567, 12, 18, 14, 30), datetime(2024, 12, 18, 14, 30, tzinfo=BANGKOK)),
        (datetime(2024, 12, 18, 7, 30, tzinfo=timezone.utc), datetime(2024, 12, 18, 14, 30, tzinfo=BANGKOK)),
        (45644.5, datetime(2024, 12, 18, 12, 0, tzinfo=BANGKOK)),
        (45644.604166666664, datetime(2024, 12, 18, 14, 30, tzinfo=BANGKOK)),  # float noise rounded
        (None, None),
    ],
)
def test_parse_datetime(value, expected):
    result = parse_datetime(value, today=TODAY)
    assert result == expected
    if result is not None:
        assert result.utcoffset() == timedelta(hours=7)


def test_parse_datetime_refuses_bad_times():
    with pytest.raises(CellError) as caught:
        parse_datetime("18/12/2567 13:30 PM", today=TODAY)
    assert caught.value.code == "time_invalid"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("081-234-5678", "0812345678"),
        ("0812345678", "0812345678"),
        ("081 234 5678", "0812345678"),
        ("081.234.5678", "0812345678"),
        ("(081) 234-5678", "0812345678"),
        ("๐๘๑-๒๓๔-๕๖๗๘", "0812345678"),
        ("+66 81 234 5678", "0812345678"),
        ("+66812345678", "0812345678"),
        ("+66 (0) 81 234 5678", "0812345678"),
        ("66812345678", "0812345678"),
        ("โทร. 081-234-5678", "0812345678"),
        ("Tel: 02-202-3000", "022023000"),
        ("02-202-3000", "022023000"),
        ("053-123456", "053123456"),
        ("0 2202 3000\u00a0", "022023000"),
        ("812345678", "0812345678"),  # typed without its 0
        (812345678, "0812345678"),  # stored as a number: Excel dropped the 0
        (812345678.0, "0812345678"),
        (8.12345678e8, "0812345678"),
        (22023000, "022023000"),
        (66812345678, "0812345678"),
        (None, None),
        ("", None),
        (" ", None),
    ],
)
def test_parse_phone(value, expected):
    assert parse_phone(value) == expected


@pytest.mark.parametrize(
    "value, code",
    [
        ("081-234-567", "phone_invalid"),  # 9 digits starting 08: a mobile needs 10
        ("02-202-30001", "phone_invalid"),  # 10 digits starting 02: a landline has 9
        ("1111", "phone_invalid"),
        ("+1 415 555 0100", "phone_invalid"),
        ("081-234-5678, 089-999-9999", "phone_multiple"),
        ("081-234-5678/9", "phone_multiple"),
        ("081-234-5678 หรือ 02-202-3000", "phone_multiple"),
        ("02-202-3000 ต่อ 1234", "phone_extension"),
        ("02-202-3000 ext. 12", "phone_extension"),
        ("โทรหาฉัน", "phone_invalid"),
        (812345678.5, "phone_invalid"),
        (-812345678, "phone_invalid"),
        (True, "phone_invalid"),
        (12345, "phone_invalid"),
    ],
)
def test_parse_phone_refuses(value, code):
    with pytest.raises(CellError) as caught:
        parse_phone(value)
    assert caught.value.code == code


# Check digits computed by hand: weights 13..2, check = (11 - sum % 11) % 10.
CITIZEN_ID = "1101700230708"
JURISTIC_ID = "0105556012341"  # juristic person numbers start with 0


def test_checksum_of_the_sample_ids():
    assert thai_id_checksum_ok(CITIZEN_ID)
    assert thai_id_checksum_ok(JURISTIC_ID)
    assert not thai_id_checksum_ok("1101700230709")
    assert not thai_id_checksum_ok("110170023070")


@pytest.mark.parametrize(
    "value, expected",
    [
        (CITIZEN_ID, CITIZEN_ID),
        ("1-1017-00230-70-8", CITIZEN_ID),
        ("1 1017 00230 70 8", CITIZEN_ID),
        ("๑๑๐๑๗๐๐๒๓๐๗๐๘", CITIZEN_ID),
        (" 1101700230708\u00a0", CITIZEN_ID),
        ("1101700230708.0", CITIZEN_ID),
        (1101700230708, CITIZEN_ID),
        (1101700230708.0, CITIZEN_ID),
        (1.101700230708e12, CITIZEN_ID),
        (JURISTIC_ID, JURISTIC_ID),
        ("0-1055-56012-34-1", JURISTIC_ID),
        (105556012341, JURISTIC_ID),  # a number: the leading 0 comes back
        (105556012341.0, JURISTIC_ID),
        (None, None),
        ("", None),
    ],
)
def test_parse_national_id(value, expected):
    assert parse_national_id(value) == expected


@pytest.mark.parametrize(
    "value, code",
    [
        ("1101700230709", "id_checksum"),
        (1101700230709, "id_checksum"),
        ("0000000000000", "id_checksum"),
        ("105556012341", "id_length"),  # text is never padded
        ("11017002307081", "id_length"),
        (11017002307081, "id_length"),
        ("1.1017E+12", "id_scientific"),
        ("1.10170023e12", "id_scientific"),
        ("1101700A30708", "id_invalid"),
        (1101700230708.5, "id_invalid"),
        (True, "id_invalid"),
        (0, "id_length"),
    ],
)
def test_parse_national_id_refuses(value, code):
    with pytest.raises(CellError) as caught:
        parse_national_id(value)
    assert caught.value.code == code
    assert caught.value.message_th and caught.value.message_en


@pytest.mark.parametrize(
    "value, expected",
    [
        ("12", 12),
        ("๑๒", 12),
        (" 1,234 ", 1234),
        ("-5", -5),
        ("+5", 5),
        ("12.0", 12),
        (12, 12),
        (12.0, 12),
        (None, None),
        ("", None),
    ],
)
def test_parse_int(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize(
    "value, code",
    [
        ("12.5", "int_not_whole"),
        (12.5, "int_not_whole"),
        ("12,34", "int_invalid"),
        ("abc", "int_invalid"),
        (True, "int_invalid"),
        (float("inf"), "int_invalid"),
    ],
)
def test_parse_int_refuses(value, code):
    with pytest.raises(CellError) as caught:
        parse_int(value)
    assert caught.value.code == code


def test_parse_int_bounds():
    assert parse_int("3", min_value=1, max_value=5) == 3
    with pytest.raises(CellError) as caught:
        parse_int("7", min_value=1, max_value=5)
    assert caught.value.code == "int_out_of_range"
    assert "1" in caught.value.message_th and "5" in caught.value.message_en


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1,234.50", Decimal("1234.50")),
        ("๑,๒๓๔.๕๐ บาท", Decimal("1234.50")),
        ("฿ 99", Decimal("99")),
        ("(1,234.50)", Decimal("-1234.50")),
        ("-0.5", Decimal("-0.5")),
        (".5", Decimal("0.5")),
        (0.1, Decimal("0.1")),
        (3, Decimal("3")),
        (Decimal("2.50"), Decimal("2.50")),
        (None, None),
        (" ", None),
    ],
)
def test_parse_decimal(value, expected):
    assert parse_decimal(value) == expected


def test_parse_decimal_rounds_float_noise_to_places():
    assert parse_decimal(0.1 + 0.2, places=2) == Decimal("0.30")
    assert parse_decimal("2.345", places=2) == Decimal("2.35")


@pytest.mark.parametrize("value", ["abc", "1.2.3", True, float("nan"), "1,23"])
def test_parse_decimal_refuses(value):
    with pytest.raises(CellError) as caught:
        parse_decimal(value)
    assert caught.value.code == "decimal_invalid"


def test_parse_decimal_bounds():
    with pytest.raises(CellError) as caught:
        parse_decimal("-1", min_value=0)
    assert caught.value.code == "decimal_out_of_range"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("13.7563, 100.5018", (13.7563, 100.5018)),
        ("100.5018,13.7563", (13.7563, 100.5018)),  # Traffy's coords: longitude first
        ("(13.7563 100.5018)", (13.7563, 100.5018)),
        ("๑๓.๗๕๖๓, ๑๐๐.๕๐๑๘", (13.7563, 100.5018)),
        (None, None),
        ("", None),
    ],
)
def test_parse_lat_lon(value, expected):
    assert parse_lat_lon(value) == expected


@pytest.mark.parametrize(
    "value, code",
    [
        ("48.8566, 2.3522", "coords_outside_thailand"),
        ("13.7, 13.8", "coords_outside_thailand"),
        ("13.7563", "coords_invalid"),
        ("north, east", "coords_invalid"),
        (13.7563, "coords_invalid"),
    ],
)
def test_parse_lat_lon_refuses(value, code):
    with pytest.raises(CellError) as caught:
        parse_lat_lon(value)
    assert caught.value.code == code


def test_latitude_and_longitude_columns():
    assert parse_latitude("13.7563") == 13.7563
    assert parse_latitude(13.7563) == 13.7563
    assert parse_longitude("๑๐๐.๕๐๑๘") == 100.5018
    assert parse_latitude("") is None
    for parse, value in ((parse_latitude, 100.5), (parse_longitude, 13.7), (parse_latitude, "abc")):
        with pytest.raises(CellError) as caught:
            parse(value)
        assert caught.value.code in ("latitude_invalid", "longitude_invalid")

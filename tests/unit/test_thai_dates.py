"""Dates as staff type and read them: B.E. and C.E. years, what a field shows in each language,
months, and what a list's date filter holds. Table-driven."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from app.domain import thai_dates
from app.domain.thai_dates import DateTextError

D = date


@pytest.mark.parametrize("ce, be", [(2026, 2569), (2024, 2567), (1957, 2500), (2000, 2543)])
def test_years_convert_both_ways(ce, be):
    assert thai_dates.be_year(ce) == be and thai_dates.ce_year(be) == ce


@pytest.mark.parametrize("typed, day", [
    # what the Thai picker writes, and the same typed by hand
    ("24/11/2569", D(2026, 11, 24)),
    ("1/2/2569", D(2026, 2, 1)),
    ("๒๔/๑๑/๒๕๖๙", D(2026, 11, 24)),            # Thai digits
    ("  24/11/2569 ", D(2026, 11, 24)),
    ("24-11-2569", D(2026, 11, 24)),
    ("24.11.2569", D(2026, 11, 24)),
    ("24/11/69", D(2026, 11, 24)),                 # two digits from 40 up: B.E. 25yy
    ("24 พ.ย. 2569", D(2026, 11, 24)),             # as the screens show a date
    ("24 พฤศจิกายน พ.ศ. 2569", D(2026, 11, 24)),
    ("วันที่ 24 พฤศจิกายน 2569", D(2026, 11, 24)),
    # what the English picker writes, and C.E. typed by hand
    ("2026-11-24", D(2026, 11, 24)),
    ("2569-11-24", D(2026, 11, 24)),               # ISO order with a B.E. year
    ("24 Nov 2026", D(2026, 11, 24)),
    ("24/11/26", D(2026, 11, 24)),                 # two digits below 40: C.E. 20yy
    # a C.E. year on a Thai screen by mistake is read as C.E. (as B.E. it would be 1483)
    ("24/11/2026", D(2026, 11, 24)),
    ("24 พ.ย. ค.ศ. 2026", D(2026, 11, 24)),
    # 29 February: a leap year's, in either era (B.E. 2567 is 2024)
    ("29/02/2567", D(2024, 2, 29)),
    ("29/02/2024", D(2024, 2, 29)),
    ("2024-02-29", D(2024, 2, 29)),
    ("29/02/2543", D(2000, 2, 29)),                # 2000: divisible by 400, a leap year
    # the ends of the range
    ("01/01/2443", D(1900, 1, 1)),
    ("31/12/2743", D(2200, 12, 31)),
    # blank
    ("", None),
    ("   ", None),
    (None, None),
])
def test_parse_day(typed, day):
    assert thai_dates.parse_day(typed) == day


@pytest.mark.parametrize("typed, code", [
    ("29/02/2568", "date_nonexistent"),            # 2025 is not a leap year
    ("29/02/2025", "date_nonexistent"),
    ("29/02/2443", "date_nonexistent"),            # 1900: divisible by 100, not by 400
    ("31/04/2569", "date_nonexistent"),
    ("24/13/2569", "date_nonexistent"),
    ("11/24/2026", "date_nonexistent"),            # month first is not read: the day comes first
    ("00/11/2569", "date_nonexistent"),
    ("24/11/2300", "date_year_invalid"),           # neither a B.E. nor a C.E. year
    ("24/11/1850", "date_year_invalid"),
    ("24/11/2420", "date_out_of_range"),           # B.E. 2420 is 1877
    ("24/11/2750", "date_out_of_range"),           # B.E. 2750 is 2207
    ("24 ธันว 2569", "date_unknown_month"),
    ("tomorrow", "date_invalid"),
    ("24/11", "date_invalid"),
    ("2569", "date_invalid"),
    ("24/11/2569 10:00", "date_invalid"),          # a date field holds a day, not a time
])
def test_parse_day_refuses_with_a_message_in_both_languages(typed, code):
    with pytest.raises(DateTextError) as caught:
        thai_dates.parse_day(typed)
    error = caught.value
    assert error.code == code
    assert typed.split()[0] in error.message_en and typed.split()[0] in error.message_th
    assert error.message("th") == error.message_th and error.message("en") == error.message_en
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in error.message_th)


@pytest.mark.parametrize("day, th, en", [
    (D(2026, 11, 24), "24/11/2569", "2026-11-24"),
    (D(2026, 1, 5), "05/01/2569", "2026-01-05"),
    (D(2024, 2, 29), "29/02/2567", "2024-02-29"),
    (None, "", ""),
])
def test_shown_day_reads_back_to_the_same_day(day, th, en):
    assert thai_dates.shown_day(day, "th") == th and thai_dates.shown_day(day, "en") == en
    if day is not None:
        assert thai_dates.parse_day(th) == day and thai_dates.parse_day(en) == day


@pytest.mark.parametrize("typed, month", [
    ("2026-11", (2026, 11)),
    ("2569-11", (2026, 11)),
    ("11/2569", (2026, 11)),
    ("1/2569", (2026, 1)),
    ("11/2026", (2026, 11)),
    ("๑๑/๒๕๖๙", (2026, 11)),
    ("พ.ย. 2569", (2026, 11)),
    ("พฤศจิกายน 2569", (2026, 11)),
    ("November 2026", (2026, 11)),
    ("02/2567", (2024, 2)),
    ("", None),
])
def test_parse_month(typed, month):
    assert thai_dates.parse_month(typed) == month


@pytest.mark.parametrize("typed, code", [
    ("13/2569", "month_invalid"),
    ("2026-00", "month_invalid"),
    ("November", "month_invalid"),
    ("ธันว 2569", "month_invalid"),
    ("11/2300", "date_year_invalid"),
    ("11/2420", "date_out_of_range"),
])
def test_parse_month_refuses(typed, code):
    with pytest.raises(DateTextError) as caught:
        thai_dates.parse_month(typed)
    assert caught.value.code == code and caught.value.message_th and caught.value.message_en


@pytest.mark.parametrize("year, month, th, en", [(2026, 11, "11/2569", "2026-11"), (2024, 2, "02/2567", "2024-02")])
def test_shown_month_reads_back(year, month, th, en):
    assert thai_dates.shown_month(year, month, "th") == th and thai_dates.shown_month(year, month, "en") == en
    assert thai_dates.parse_month(th) == (year, month) == thai_dates.parse_month(en)


UTC = timezone.utc


@pytest.mark.parametrize("text, value", [
    ("24/11/2569", D(2026, 11, 24)),
    ("2026-11-24", D(2026, 11, 24)),
    # the dashboards' links: moments, kept to the microsecond
    ("2025-12-31T16:59:59.999999+00:00", datetime(2025, 12, 31, 16, 59, 59, 999999, tzinfo=UTC)),
    ("2026-01-31T17:00:00+00:00", datetime(2026, 1, 31, 17, 0, tzinfo=UTC)),
    ("2026-02-01T00:00:00+07:00", datetime(2026, 1, 31, 17, 0, tzinfo=UTC)),
    ("2026-01-31T17:00:00", datetime(2026, 1, 31, 17, 0, tzinfo=UTC)),      # no offset: UTC
    ("2026-01-31 17:00:00Z", datetime(2026, 1, 31, 17, 0, tzinfo=UTC)),
])
def test_parse_filter_value(text, value):
    assert thai_dates.parse_filter_value(text) == value


@pytest.mark.parametrize("text", ["", "soon", "31/02/2569", "2026-02-31T10:00:00", "2026-01-31T25:00:00+00:00"])
def test_parse_filter_value_refuses(text):
    with pytest.raises(DateTextError):
        thai_dates.parse_filter_value(text)


@pytest.mark.parametrize("day, deadline, start, end", [
    # a Bangkok day starts at 17:00 UTC the day before
    (D(2026, 11, 24), False, datetime(2026, 11, 23, 17, tzinfo=UTC), datetime(2026, 11, 24, 17, tzinfo=UTC)),
    # a deadline due on the 24th is 00:00 Bangkok on the 25th: the span takes it and not the 24th's own 00:00
    (D(2026, 11, 24), True, datetime(2026, 11, 23, 17, 0, 0, 1, tzinfo=UTC),
     datetime(2026, 11, 24, 17, 0, 0, 1, tzinfo=UTC)),
    (D(2024, 2, 29), False, datetime(2024, 2, 28, 17, tzinfo=UTC), datetime(2024, 2, 29, 17, tzinfo=UTC)),
])
def test_day_span(day, deadline, start, end):
    assert thai_dates.day_span(day, deadline=deadline) == (start, end)

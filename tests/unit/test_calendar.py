"""Working-day calendar against real Thai holidays (holidays 0.109, TH public + government).

Holidays used below, as the package gives them:
2025: Mon 7 Apr Chakri (in lieu); Sun 13 - Tue 15 Apr Songkran, Wed 16 Apr in lieu; Thu 1 May
      Labour Day; Mon 5 May Coronation (in lieu); Fri 9 May Royal Ploughing (government); Mon 12 May
      Visakha (in lieu). Mon 13 Jan National Aviation Day is an observance, not a day off.
2026: Thu 1 Jan New Year, Fri 2 Jan bridge holiday; Tue 3 Mar Makha Bucha; Wed 13 May Royal Ploughing.
2027-28: Fri 31 Dec 2027 New Year's Eve; Sat 1 Jan 2028 New Year, Mon 3 Jan in lieu.
2029: Mon 1 Jan New Year, Tue 2 Jan New Year's Eve (in lieu); Fri 13 - Sun 15 Apr Songkran, Mon 16
      in lieu.
2030: Thu 16 May Visakha Bucha; Fri 17 May is the extra day off an administrator adds in these tests.
"""
from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import pytest

from app.domain.calendar import SPECIAL_HOLIDAY_NAME, WorkingCalendar, thai_calendar

EXTRA_DAY_OFF = date(2030, 5, 17)


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return thai_calendar(range(2024, 2031))


@pytest.fixture(scope="module")
def calendar_with_extra() -> WorkingCalendar:
    return thai_calendar(range(2024, 2031), extra_holidays={EXTRA_DAY_OFF: "วันหยุดพิเศษ (ครม.)"})


@pytest.mark.parametrize(
    "day, working",
    [
        (date(2025, 4, 11), True),  # Friday before Songkran
        (date(2025, 4, 12), False),  # Saturday
        (date(2025, 4, 13), False),  # Sunday, Songkran
        (date(2025, 4, 14), False),  # Songkran
        (date(2025, 4, 15), False),  # Songkran
        (date(2025, 4, 16), False),  # Songkran in lieu of Sunday 13
        (date(2025, 4, 17), True),
        (date(2029, 4, 13), False),  # Friday, Songkran
        (date(2029, 4, 16), False),  # Monday, Songkran in lieu of the weekend
        (date(2029, 4, 17), True),
        (date(2028, 1, 3), False),  # New Year's Day in lieu of Saturday 1 January
        (date(2028, 1, 4), True),
        (date(2029, 1, 2), False),  # New Year's Eve 2028 fell on a Sunday
        (date(2026, 1, 2), False),  # bridge holiday the government declared
        (date(2026, 5, 13), False),  # Royal Ploughing Ceremony, government category
        (date(2025, 1, 13), True),  # National Aviation Day: an observance, offices open
        (date(2030, 5, 17), True),  # not a holiday until an administrator adds it
    ],
)
def test_is_working_day(calendar, day, working):
    assert calendar.is_working_day(day) is working


@pytest.mark.parametrize(
    "day, name",
    [
        (date(2025, 4, 14), "วันสงกรานต์"),
        (date(2025, 4, 16), "ชดเชยวันสงกรานต์"),
        (date(2028, 1, 3), "ชดเชยวันขึ้นปีใหม่"),
        (date(2026, 5, 13), "วันพืชมงคล"),
        (date(2025, 4, 12), None),  # a plain Saturday
        (date(2025, 4, 17), None),
    ],
)
def test_holiday_name_in_thai(calendar, day, name):
    assert calendar.holiday_name(day) == name


def test_holiday_name_in_english():
    english = thai_calendar(2029, language="en_US")
    assert english.holiday_name(date(2029, 4, 16)) == "Songkran Festival (in lieu)"


@pytest.mark.parametrize(
    "extra, name",
    [
        ({EXTRA_DAY_OFF: "วันหยุดพิเศษ (ครม.)"}, "วันหยุดพิเศษ (ครม.)"),
        ([(EXTRA_DAY_OFF, "วันหยุดพิเศษ (ครม.)")], "วันหยุดพิเศษ (ครม.)"),
        ([EXTRA_DAY_OFF], SPECIAL_HOLIDAY_NAME),
    ],
)
def test_extra_holiday_shapes(extra, name):
    calendar = thai_calendar(2030, extra_holidays=extra)
    assert not calendar.is_working_day(EXTRA_DAY_OFF)
    assert calendar.holiday_name(EXTRA_DAY_OFF) == name


def test_extra_holiday_on_a_known_holiday_keeps_both_names():
    calendar = thai_calendar(2025, extra_holidays={date(2025, 4, 14): "ปิดสำนักงาน"})
    assert calendar.holiday_name(date(2025, 4, 14)) == "วันสงกรานต์; ปิดสำนักงาน"


@pytest.mark.parametrize(
    "start, n, expected",
    [
        (date(2025, 4, 11), 0, date(2025, 4, 11)),
        (date(2025, 4, 12), 0, date(2025, 4, 12)),  # zero days: the day itself, even a Saturday
        (date(2025, 4, 11), 1, date(2025, 4, 17)),  # over the weekend and Songkran 14-16
        (date(2025, 4, 12), 1, date(2025, 4, 17)),  # from a Saturday
        (date(2025, 4, 14), 1, date(2025, 4, 17)),  # from a holiday
        (date(2025, 4, 10), 2, date(2025, 4, 17)),
        (date(2025, 4, 7), 15, date(2025, 5, 2)),  # from a holiday, over Songkran and 1 May
        (date(2025, 4, 10), 15, date(2025, 5, 8)),  # over Songkran, 1 May and 5 May
        (date(2025, 4, 10), 17, date(2025, 5, 14)),  # then over 9 and 12 May
        (date(2029, 4, 12), 1, date(2029, 4, 17)),  # Songkran Friday, weekend, Monday in lieu
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # Saturday counts from Monday
        (date(2026, 3, 7), 5, date(2026, 3, 13)),
        (date(2026, 3, 6), 15, date(2026, 3, 27)),
        (date(2027, 12, 30), 1, date(2028, 1, 4)),  # New Year's Eve, weekend, New Year in lieu
        (date(2027, 12, 31), 3, date(2028, 1, 6)),
        (date(2025, 12, 31), 1, date(2026, 1, 5)),  # 1 January and the 2 January bridge
        (date(2030, 5, 15), 1, date(2030, 5, 17)),  # Visakha Thursday; Friday still open
        (date(2030, 5, 15), 2, date(2030, 5, 20)),
    ],
)
def test_add_working_days(calendar, start, n, expected):
    assert calendar.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    "start, n, expected",
    [
        (date(2030, 5, 15), 1, date(2030, 5, 20)),  # Thursday Visakha, Friday the extra day off
        (date(2030, 5, 15), 2, date(2030, 5, 21)),
        (date(2030, 5, 16), 1, date(2030, 5, 20)),
    ],
)
def test_add_working_days_over_an_extra_holiday(calendar_with_extra, start, n, expected):
    assert calendar_with_extra.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (date(2025, 4, 11), date(2025, 4, 11), 0),
        (date(2025, 4, 11), date(2025, 4, 17), 1),  # the start day never counts
        (date(2025, 4, 10), date(2025, 4, 17), 2),
        (date(2025, 4, 12), date(2025, 4, 16), 0),  # weekend and Songkran only
        (date(2025, 4, 17), date(2025, 4, 10), -2),  # antisymmetric
        (date(2026, 3, 6), date(2026, 3, 9), 1),  # Friday to Monday
        (date(2026, 3, 7), date(2026, 3, 9), 1),  # Saturday to Monday
        (date(2025, 4, 10), date(2025, 5, 8), 15),
        (date(2024, 12, 31), date(2025, 12, 31), 239),  # 261 weekdays less 22 weekday holidays
        (date(2027, 12, 30), date(2028, 1, 4), 1),
    ],
)
def test_working_days_between(calendar, a, b, expected):
    assert calendar.working_days_between(a, b) == expected


def test_working_days_between_counts_an_extra_holiday(calendar, calendar_with_extra):
    a, b = date(2030, 5, 15), date(2030, 5, 20)
    assert calendar.working_days_between(a, b) == 2
    assert calendar_with_extra.working_days_between(a, b) == 1


def test_index_rows_over_songkran(calendar):
    rows = list(calendar.index_rows(date(2025, 4, 10), date(2025, 4, 18)))
    assert rows == [
        (date(2025, 4, 10), True, 1),
        (date(2025, 4, 11), True, 2),
        (date(2025, 4, 12), False, 2),
        (date(2025, 4, 13), False, 2),
        (date(2025, 4, 14), False, 2),
        (date(2025, 4, 15), False, 2),
        (date(2025, 4, 16), False, 2),
        (date(2025, 4, 17), True, 3),
        (date(2025, 4, 18), True, 4),
    ]


@pytest.mark.parametrize(
    "first, last, expected",
    [
        (date(2025, 4, 12), date(2025, 4, 12), [(date(2025, 4, 12), False, 0)]),
        (date(2025, 4, 12), date(2025, 4, 11), []),
    ],
)
def test_index_rows_edges(calendar, first, last, expected):
    assert list(calendar.index_rows(first, last)) == expected


def _naive_add(calendar: WorkingCalendar, day: date, n: int) -> date:
    while n:
        day += timedelta(days=1)
        n -= calendar.is_working_day(day)
    return day


def test_arithmetic_agrees_with_the_index_table_and_a_day_by_day_walk(calendar_with_extra):
    calendar = calendar_with_extra
    first, last = date(2024, 1, 1), date(2030, 12, 31)
    rows = list(calendar.index_rows(first, last))
    index = {day: idx for day, _, idx in rows}
    working_day_at = {idx: day for day, working, idx in rows if working}
    starts = [day for day, _, _ in rows if day <= date(2029, 6, 30)][::3]
    for start in starts:
        for n in (1, 2, 5, 15, 30, 60, 120):
            due = calendar.add_working_days(start, n)
            assert due == working_day_at[index[start] + n], (start, n)
            assert calendar.working_days_between(start, due) == n, (start, n)
        assert calendar.add_working_days(start, 15) == _naive_add(calendar, start, 15), start
    for a in starts[::7]:
        for b in starts[::11]:
            assert calendar.working_days_between(a, b) == index[b] - index[a], (a, b)


def test_calendar_for_2015_to_2040_builds_fast():
    thai_calendar(2024)  # the first call loads the package's data for Thailand
    started = time.perf_counter()
    calendar = thai_calendar(range(2015, 2041))
    calendar.add_working_days(date(2015, 1, 1), 120 * 26)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.is_working_day(datetime(2025, 4, 14, 3, 0)),
        lambda c: c.add_working_days(datetime(2025, 4, 14, 3, 0), 1),
        lambda c: c.working_days_between(date(2025, 4, 14), datetime(2025, 4, 15)),
    ],
)
def test_datetimes_are_refused(calendar, call):
    with pytest.raises(TypeError):
        call(calendar)


def test_negative_days_are_refused(calendar):
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2025, 4, 14), -1)

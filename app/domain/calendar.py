"""Working days (วันทำการ): Monday to Friday, less Thai public and government holidays and the
special days off (วันหยุดพิเศษ) that administrators add.

Day-counting conventions, shared by the SLA rules and the calendar table the SLA job reads:

- ``working_days_between(a, b)`` counts the working days d with a < d <= b: the start day never
  counts, the end day does. It is antisymmetric: for b < a it is minus the count over (b, a], and
  it is zero when a == b.
- ``add_working_days(d, n)`` is the n-th working day strictly after d, so a case opened on a
  Saturday or a holiday counts its first day on the next working day.
- ``index_rows(first, last)`` numbers each day with the working days from ``first`` up to and
  including it. With idx that numbering, for days within [first, last]:
  ``working_days_between(a, b) == idx(b) - idx(a)`` and ``add_working_days(d, n)`` (n >= 1) is
  the working day whose idx is ``idx(d) + n``.

Arithmetic is closed-form over weekdays plus a bisect over the sorted weekday holidays, so it
never walks day by day. A calendar only knows the holidays it was built with: outside those
years only weekends are days off.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from types import MappingProxyType

import holidays as holiday_data

SPECIAL_HOLIDAY_NAME = "วันหยุดพิเศษ"
_NAME_SEPARATOR = "; "


def _weekdays_through(ordinal: int) -> int:
    """Mondays to Fridays among the day ordinals 1..ordinal (ordinal 1, 0001-01-01, is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def _nth_weekday(k: int) -> int:
    """Ordinal of the k-th Monday-to-Friday day from 0001-01-01: the inverse of _weekdays_through."""
    weeks, rest = divmod(k - 1, 5)
    return weeks * 7 + rest + 1


def _require_date(day: date) -> None:
    # A datetime is a date too, but never equal to one: it would slip past the holiday lookup.
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"expected a local date, got {day!r}; convert instants with local_time.local_date")


class WorkingCalendar:
    """Working days over a fixed set of holidays, given as {date: name}."""

    def __init__(self, holidays: Mapping[date, str]):
        self._names = dict(holidays)
        self._weekday_holidays = sorted(day.toordinal() for day in self._names if day.weekday() < 5)

    @property
    def holidays(self) -> Mapping[date, str]:
        """Every holiday the calendar knows, weekends included, as a read-only {date: name}."""
        return MappingProxyType(self._names)

    def is_working_day(self, day: date) -> bool:
        _require_date(day)
        return day.weekday() < 5 and day not in self._names

    def holiday_name(self, day: date) -> str | None:
        """Name of the holiday on that day (also when it falls on a weekend), or None."""
        _require_date(day)
        return self._names.get(day)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days d with a < d <= b; negative (minus the count over (b, a]) when b < a."""
        _require_date(a)
        _require_date(b)
        return self._working_days_through(b.toordinal()) - self._working_days_through(a.toordinal())

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day strictly after ``day``; ``day`` itself when n == 0."""
        _require_date(day)
        if n < 0:
            raise ValueError(f"n must be zero or more, got {n}")
        if n == 0:
            return day
        ordinal = day.toordinal()
        target = self._working_days_through(ordinal) + n
        # Look for the weekday k with k - (weekday holidays up to it) == target. Starting from the
        # n-th weekday after `day`, k only grows and never passes the answer, so this settles in
        # as many rounds as there are clusters of holidays in the way.
        k = _weekdays_through(ordinal) + n
        while True:
            candidate = _nth_weekday(k)
            wanted = target + bisect_right(self._weekday_holidays, candidate)
            if wanted == k:
                return date.fromordinal(candidate)
            k = wanted

    def index_rows(self, first: date, last: date) -> Iterator[tuple[date, bool, int]]:
        """(day, is_working, workday_index) for first..last, the index counting working days from
        ``first`` up to and including ``day``. Nothing when last < first."""
        _require_date(first)
        _require_date(last)
        index = 0
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            working = self.is_working_day(day)
            index += working
            yield day, working, index

    def _working_days_through(self, ordinal: int) -> int:
        return _weekdays_through(ordinal) - bisect_right(self._weekday_holidays, ordinal)


ExtraHolidays = Mapping[date, str] | Iterable[date | tuple[date, str]]


def _extra_items(extra_holidays: ExtraHolidays) -> Iterator[tuple[date, str]]:
    items = extra_holidays.items() if isinstance(extra_holidays, Mapping) else extra_holidays
    for item in items:
        day, name = item if isinstance(item, tuple) else (item, SPECIAL_HOLIDAY_NAME)
        _require_date(day)
        yield day, name


def thai_calendar(
    years: int | Iterable[int],
    extra_holidays: ExtraHolidays = (),
    language: str = "th",
) -> WorkingCalendar:
    """Thai public and government holidays for ``years`` (observed days in lieu included), plus
    the extra days off administrators add, as {date: name}, bare dates, or (date, name) pairs.

    The ``holidays`` package's GOVERNMENT category is the Royal Ploughing Ceremony; its "workday"
    category holds observances that are not days off and is left out. Names are in ``language``
    ("th" or "en_US"); an extra day with no name is called วันหยุดพิเศษ.
    """
    years = [years] if isinstance(years, int) else list(years)
    names = dict(
        holiday_data.country_holidays(
            "TH",
            years=years,
            categories=(holiday_data.PUBLIC, holiday_data.GOVERNMENT),
            language=language,
        )
    )
    for day, name in _extra_items(extra_holidays):
        known = names.get(day)
        names[day] = name if known in (None, name) else known + _NAME_SEPARATOR + name
    return WorkingCalendar(names)

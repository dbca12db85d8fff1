"""Paused working days counted again when a day inside an ended pause changes (pure rules)."""
from datetime import UTC, date, datetime

import pytest

from app.domain import pause_recount as rules
from app.domain.calendar import thai_calendar

W = "waiting_applicant"
# Bangkok is UTC+7: 03:00 UTC is 10:00 Bangkok on the same day.
T = lambda month, day, hour=3: datetime(2025, month, day, hour, tzinfo=UTC)  # noqa: E731


@pytest.fixture(scope="module")
def calendar():
    return thai_calendar(range(2024, 2027))


@pytest.fixture(scope="module")
def with_extra():
    # Thursday 5 June 2025 declared a day off.
    return thai_calendar(range(2024, 2027), [date(2025, 6, 5)])


def test_changed_days_names_only_days_both_tables_hold_whose_flag_differs(calendar, with_extra):
    before = list(calendar.index_rows(date(2025, 6, 1), date(2025, 6, 30)))
    after = list(with_extra.index_rows(date(2025, 5, 1), date(2025, 7, 31)))  # a wider range too
    assert rules.changed_days(before, after) == {date(2025, 6, 5): True}
    assert rules.changed_days(after, before) == {date(2025, 6, 5): False}
    assert rules.changed_days(before, before) == {}


def test_the_calendar_before_a_change_is_rebuilt_from_the_one_after(calendar, with_extra):
    assert not rules.calendar_before(calendar, {date(2025, 6, 5): False}).is_working_day(date(2025, 6, 5))
    back = rules.calendar_before(with_extra, {date(2025, 6, 5): True})
    assert back.is_working_day(date(2025, 6, 5))
    assert not back.is_working_day(date(2025, 6, 3)), "the other holidays stay"


def test_ended_pauses_are_read_from_the_moves_into_and_out_of_waiting_and_closing():
    moves = [
        (T(6, 2), None, "received"),
        (T(6, 3), "received", W),
        (T(6, 9), W, "in_progress"),
        (T(6, 10), "in_progress", W),
        (T(6, 12), W, "resolved"),      # the wait ends with the closing...
        (T(6, 16), "resolved", "in_progress"),  # ...and the closing with the reopening
        (T(6, 17), "in_progress", "rejected"),  # closed again, not reopened: still standing
        (T(6, 18), "rejected", "rejected"),
    ]
    assert rules.ended_pauses(moves, T(6, 2)) == [
        (T(6, 3), T(6, 9)), (T(6, 10), T(6, 12)), (T(6, 12), T(6, 16))]
    # Still waiting: a running pause is not an ended one.
    assert rules.ended_pauses([(T(6, 3), "received", W)], T(6, 2)) == []


def test_pauses_before_the_clock_started_do_not_count():
    """A forwarded case starts a fresh clock: pauses at the agency before count no more, nor does
    the move out of waiting that the forwarding itself was."""
    moves = [(T(6, 3), "in_progress", W), (T(6, 9), W, "forwarded"), (T(6, 10), "forwarded", W),
             (T(6, 11), W, "in_progress")]
    assert rules.ended_pauses(moves, T(6, 9)) == [(T(6, 10), T(6, 11))]
    assert rules.ended_pauses(moves[:2], T(6, 9)) == []


def test_a_holiday_inside_an_ended_pause_takes_a_day_off_the_count(calendar, with_extra):
    # Paused from Tuesday 3 June to Monday 9 June: 4, 5, 6 and 9 June stood still.
    pauses = [(T(6, 3), T(6, 9))]
    assert rules.recounted(4, pauses, calendar, with_extra) == 3
    assert rules.recounted(3, pauses, with_extra, calendar) == 4, "and a removed one gives it back"


@pytest.mark.parametrize("stored", [0, 2, 5, 40])
def test_a_count_the_timeline_does_not_account_for_is_left_alone(calendar, with_extra, stored):
    assert rules.recounted(stored, [(T(6, 3), T(6, 9))], calendar, with_extra) is None


def test_no_ended_pause_no_count(calendar, with_extra):
    assert rules.recounted(4, [], calendar, with_extra) is None


def test_a_pause_that_does_not_cover_the_day_keeps_its_count(calendar, with_extra):
    # Paused Monday 9 to Wednesday 11 June: 10 and 11 June; the 5th is outside.
    assert rules.recounted(2, [(T(6, 9), T(6, 11))], calendar, with_extra) == 2


def test_a_pause_ended_at_bangkok_midnight_counts_by_bangkok_days(calendar, with_extra):
    # Into waiting Wednesday 4 June 23:30 Bangkok (16:30 UTC): 5 and 6 June paused, out on Friday
    # 6 June at 23:30 Bangkok. Thursday the 5th becomes a day off: one paused day left.
    pauses = [(T(6, 4, 16), datetime(2025, 6, 6, 16, 30, tzinfo=UTC))]
    assert rules.recounted(2, pauses, calendar, with_extra) == 1

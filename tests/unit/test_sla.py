"""SLA arithmetic on real Thai holidays (holidays 0.109, TH public + government).

The main case is opened Thursday 10 April 2025, 10:00 Bangkok (03:00 UTC), with a 15-working-day
target. Its working days, counted from the next one: Fri 11 Apr (1); Sat 12 - Wed 16 are weekend,
Songkran and Songkran in lieu; Thu 17 (2), Fri 18 (3), 21-25 Apr (4-8), 28-30 Apr (9-11); Thu 1 May
is Labour Day; Fri 2 May (12); Mon 5 May is Coronation Day in lieu; 6-8 May (13-15). Due on
Thursday 8 May; Fri 9 May (Royal Ploughing) and Mon 12 May (Visakha in lieu) are off; 13-14 May
would be days 16 and 17.

Bangkok is UTC+07:00: 17:00 UTC is midnight in Bangkok.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from app.domain.calendar import thai_calendar
from app.domain.sla import (
    FIRST_RESPONSE_LABELS,
    FirstResponse,
    SlaMemo,
    SlaTarget,
    at_risk_after_days,
    due_at,
    due_date,
    elapsed_working_days,
    first_response_due,
    first_response_late,
    first_response_state,
    last_day,
    paused_working_days,
    sla_flag,
    used_share,
)
from app.domain.local_time import BANGKOK, local_date
from app.domain.statuses import SlaFlag

ON_TRACK, AT_RISK, BREACHED = SlaFlag.ON_TRACK, SlaFlag.AT_RISK, SlaFlag.BREACHED


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


OPENED_BEFORE_SONGKRAN = utc(2025, 4, 10, 3, 0)  # Thursday 10:00 in Bangkok
OPENED_ON_SATURDAY = utc(2026, 3, 7, 3, 0)  # Saturday 10:00 in Bangkok
OPENED_FRIDAY_UTC_SATURDAY_BANGKOK = utc(2026, 3, 6, 18, 30)  # Saturday 01:30 in Bangkok
OPENED_THURSDAY_UTC_FRIDAY_BANGKOK = utc(2026, 3, 5, 20, 0)  # Friday 03:00 in Bangkok
SONGKRAN_PAUSE = (utc(2025, 4, 11, 2, 0), utc(2025, 4, 17, 8, 0))  # Fri 09:00 to Thu 15:00 Bangkok


@pytest.fixture(scope="module")
def calendar():
    return thai_calendar(range(2024, 2031))


@pytest.fixture(scope="module")
def calendar_with_extra():
    # Friday after Visakha Bucha (Thursday 16 May 2030), declared a day off.
    return thai_calendar(range(2024, 2031), extra_holidays={date(2030, 5, 17): "วันหยุดพิเศษ"})


@pytest.mark.parametrize(
    "instant, expected",
    [
        (utc(2026, 3, 6, 16, 59, 59), date(2026, 3, 6)),
        (utc(2026, 3, 6, 17, 0), date(2026, 3, 7)),  # Friday in UTC, Saturday in Bangkok
        (datetime(2026, 3, 6, 17, 0), date(2026, 3, 7)),  # naive is read as UTC
        (datetime(2026, 3, 7, 0, 30, tzinfo=BANGKOK), date(2026, 3, 7)),
        (utc(2025, 12, 31, 17, 0), date(2026, 1, 1)),
    ],
)
def test_local_date(instant, expected):
    assert local_date(instant) == expected


@pytest.mark.parametrize(
    "intervals, now, expected",
    [
        ([], utc(2025, 5, 20, 0, 0), 0),
        ([SONGKRAN_PAUSE], utc(2025, 5, 20, 0, 0), 1),  # (Fri 11, Thu 17]: only Thu 17 counts
        # (Thu 10, Mon 21]: 11, 17, 18, 21
        ([(utc(2025, 4, 10, 3, 0), utc(2025, 4, 21, 3, 0))], utc(2025, 5, 20, 0, 0), 4),
        ([(utc(2025, 4, 17, 2, 0), utc(2025, 4, 17, 9, 0))], utc(2025, 5, 20, 0, 0), 0),  # same day
        ([(utc(2025, 4, 11, 2, 0), None)], utc(2025, 4, 18, 5, 0), 2),  # still paused: 17, 18
        # cut at now
        ([(utc(2025, 4, 11, 2, 0), utc(2025, 4, 25, 3, 0))], utc(2025, 4, 18, 5, 0), 2),
        ([(utc(2025, 4, 21, 3, 0), None)], utc(2025, 4, 18, 5, 0), 0),  # not started yet
        # starts Thursday in UTC, Friday 01:00 in Bangkok: (Fri 11, Thu 17]
        ([(utc(2025, 4, 10, 18, 0), utc(2025, 4, 17, 8, 0))], utc(2025, 5, 20, 0, 0), 1),
        (  # overlapping pauses count once: (10, 18] is 11, 17, 18
            [
                (utc(2025, 4, 10, 3, 0), utc(2025, 4, 17, 3, 0)),
                (utc(2025, 4, 11, 3, 0), utc(2025, 4, 18, 3, 0)),
            ],
            utc(2025, 5, 20, 0, 0),
            3,
        ),
        (  # back to back and out of order: (21, 23] + (23, 25] + (11, 17]
            [
                (utc(2025, 4, 23, 5, 0), utc(2025, 4, 25, 3, 0)),
                (utc(2025, 4, 21, 3, 0), utc(2025, 4, 23, 3, 0)),
                SONGKRAN_PAUSE,
            ],
            utc(2025, 5, 20, 0, 0),
            5,
        ),
    ],
)
def test_paused_working_days(calendar, intervals, now, expected):
    assert paused_working_days(intervals, calendar, now) == expected


@pytest.mark.parametrize(
    "submitted_at, target, paused, expected",
    [
        (OPENED_BEFORE_SONGKRAN, 15, 0, date(2025, 5, 8)),
        (OPENED_BEFORE_SONGKRAN, 15, 1, date(2025, 5, 13)),  # over Royal Ploughing and Visakha in lieu
        (OPENED_BEFORE_SONGKRAN, 15, 2, date(2025, 5, 14)),
        (OPENED_ON_SATURDAY, 15, 0, date(2026, 3, 27)),  # day 1 is Monday 9 March
        (OPENED_FRIDAY_UTC_SATURDAY_BANGKOK, 15, 0, date(2026, 3, 27)),
        (OPENED_THURSDAY_UTC_FRIDAY_BANGKOK, 15, 0, date(2026, 3, 27)),  # the UTC date would give 26
        (utc(2026, 3, 5, 3, 0), 15, 0, date(2026, 3, 26)),  # Thursday in both
        (utc(2027, 12, 30, 3, 0), 3, 0, date(2028, 1, 6)),  # New Year's Eve, New Year in lieu on Mon 3
        (utc(2029, 4, 11, 3, 0), 2, 0, date(2029, 4, 17)),  # Songkran Fri 13, in lieu Mon 16
    ],
)
def test_due_date(calendar, submitted_at, target, paused, expected):
    assert due_date(submitted_at, target, paused, calendar) == expected


@pytest.mark.parametrize(
    "extra, expected",
    [(False, date(2030, 5, 20)), (True, date(2030, 5, 21))],
)
def test_due_date_moves_over_an_extra_holiday(calendar, calendar_with_extra, extra, expected):
    opened_wednesday = utc(2030, 5, 15, 3, 0)
    chosen = calendar_with_extra if extra else calendar
    assert due_date(opened_wednesday, 2, 0, chosen) == expected


@pytest.mark.parametrize(
    "submitted_at, target, paused, expected",
    [
        (OPENED_BEFORE_SONGKRAN, 15, 0, utc(2025, 5, 8, 17, 0)),  # 00:00 Bangkok on Fri 9 May
        (OPENED_ON_SATURDAY, 15, 0, utc(2026, 3, 27, 17, 0)),
    ],
)
def test_due_at_is_the_start_of_the_next_local_day(calendar, submitted_at, target, paused, expected):
    assert due_at(submitted_at, target, paused, calendar) == expected


@pytest.mark.parametrize(
    "submitted_at, target, paused",
    [(OPENED_BEFORE_SONGKRAN, 15, 0), (OPENED_ON_SATURDAY, 15, 0), (OPENED_ON_SATURDAY, 3, 2)],
)
def test_last_day_is_the_due_date_people_are_shown(calendar, submitted_at, target, paused):
    assert last_day(due_at(submitted_at, target, paused, calendar)) == due_date(submitted_at, target, paused, calendar)


@pytest.mark.parametrize("deadline, shown", [
    (utc(2025, 5, 8, 17, 0), date(2025, 5, 8)),        # 00:00 Bangkok on 9 May: due on the 8th
    (utc(2025, 5, 8, 17, 0, 1), date(2025, 5, 9)),     # a moment into the 9th: due on the 9th
    (utc(2025, 5, 8, 16, 59), date(2025, 5, 8)),
    (datetime(2025, 5, 8, 17, 0), date(2025, 5, 8)),   # naive: taken as UTC
    (None, None),
])
def test_last_day(deadline, shown):
    assert last_day(deadline) == shown


@pytest.mark.parametrize(
    "now, paused, elapsed, share",
    [
        (utc(2025, 4, 10, 9, 0), 0, 0, 0.0),  # opening day
        (utc(2025, 4, 16, 3, 0), 0, 1, 1 / 15),  # Songkran in lieu: still day 1
        (utc(2025, 4, 30, 5, 0), 0, 11, 11 / 15),
        (utc(2025, 5, 2, 2, 0), 0, 12, 0.8),
        (utc(2025, 5, 13, 3, 0), 0, 16, 16 / 15),
        (utc(2025, 5, 13, 3, 0), 1, 15, 1.0),
        (utc(2025, 4, 9, 3, 0), 0, 0, 0.0),  # a clock behind the submission never goes negative
    ],
)
def test_elapsed_and_used_share(calendar, now, paused, elapsed, share):
    assert elapsed_working_days(now, OPENED_BEFORE_SONGKRAN, paused, calendar) == elapsed
    assert used_share(now, OPENED_BEFORE_SONGKRAN, 15, paused, calendar) == share


def test_used_share_from_a_friday_night_utc_submission(calendar):
    monday = utc(2026, 3, 9, 3, 0)
    assert elapsed_working_days(monday, OPENED_FRIDAY_UTC_SATURDAY_BANGKOK, 0, calendar) == 1
    assert used_share(monday, OPENED_FRIDAY_UTC_SATURDAY_BANGKOK, 15, 0, calendar) == 1 / 15


@pytest.mark.parametrize(
    "target, share, expected",
    [
        (15, 0.8, 12),
        (10, 0.8, 8),
        (10, 0.7, 7),  # 0.7 * 10 is 7.000000000000001 in binary floating point
        (30, 0.8, 24),
        (45, 0.8, 36),
        (120, 0.8, 96),
        (7, 0.8, 6),
        (1, 0.8, 1),
        (15, Decimal("0.75"), 12),
        (20, 0.75, 15),
        (15, 1, 15),
    ],
)
def test_at_risk_after_days(target, share, expected):
    assert at_risk_after_days(target, share) == expected


@pytest.mark.parametrize(
    "now, flag",
    [
        (utc(2025, 4, 10, 9, 0), ON_TRACK),
        (utc(2025, 4, 30, 5, 0), ON_TRACK),  # 11 of 15
        (utc(2025, 5, 1, 16, 59, 59), ON_TRACK),  # Labour Day, 23:59:59 Bangkok: still 11
        (utc(2025, 5, 1, 17, 0), AT_RISK),  # Fri 2 May 00:00 Bangkok: 12 of 15, exactly 80%
        (utc(2025, 5, 2, 2, 0), AT_RISK),
        (utc(2025, 5, 8, 16, 59, 59), AT_RISK),  # last second of the due date
        (utc(2025, 5, 8, 17, 0), BREACHED),  # the day after due, a holiday
        (utc(2025, 5, 13, 3, 0), BREACHED),
    ],
)
def test_sla_flag_over_time(calendar, now, flag):
    assert sla_flag(now, OPENED_BEFORE_SONGKRAN, 15, 0, calendar) == flag


@pytest.mark.parametrize(
    "now, flag",
    [
        (utc(2026, 3, 9, 3, 0), ON_TRACK),  # Monday is day 1
        (utc(2026, 3, 23, 3, 0), ON_TRACK),  # day 11
        (utc(2026, 3, 24, 3, 0), AT_RISK),  # day 12
        (utc(2026, 3, 27, 3, 0), AT_RISK),  # due Friday
        (utc(2026, 3, 28, 3, 0), BREACHED),  # the Saturday after is already late
    ],
)
def test_sla_flag_for_a_case_opened_on_saturday(calendar, now, flag):
    assert sla_flag(now, OPENED_ON_SATURDAY, 15, 0, calendar) == flag


@pytest.mark.parametrize(
    "now, flag",
    [
        (utc(2025, 5, 8, 17, 0), AT_RISK),  # Fri 9 May: day 15 less 1 paused, due moved to Tue 13
        (utc(2025, 5, 13, 3, 0), AT_RISK),
        (utc(2025, 5, 13, 17, 0), BREACHED),
    ],
)
def test_sla_flag_with_a_pause_over_songkran(calendar, now, flag):
    paused = paused_working_days([SONGKRAN_PAUSE], calendar, now)
    assert paused == 1
    assert due_date(OPENED_BEFORE_SONGKRAN, 15, paused, calendar) == date(2025, 5, 13)
    assert sla_flag(now, OPENED_BEFORE_SONGKRAN, 15, paused, calendar) == flag


@pytest.mark.parametrize(
    "now, share, flag",
    [
        (utc(2025, 4, 24, 3, 0), 0.5, ON_TRACK),  # 7 of 15
        (utc(2025, 4, 25, 3, 0), 0.5, AT_RISK),  # 8 of 15 reaches 7.5
        (utc(2025, 5, 7, 3, 0), 1.0, ON_TRACK),  # 14 of 15
        (utc(2025, 5, 8, 3, 0), 1.0, AT_RISK),  # the due date itself
    ],
)
def test_sla_flag_with_another_at_risk_share(calendar, now, share, flag):
    assert sla_flag(now, OPENED_BEFORE_SONGKRAN, 15, 0, calendar, at_risk_share=share) == flag


@pytest.mark.parametrize(
    "closed_at, flag",
    [
        (utc(2025, 4, 18, 3, 0), ON_TRACK),  # closed on day 3
        (utc(2025, 5, 7, 3, 0), AT_RISK),  # closed on day 14
        (utc(2025, 5, 8, 16, 0), AT_RISK),  # closed at 23:00 on the due date
        (utc(2025, 5, 9, 3, 0), BREACHED),  # closed the day after due
    ],
)
def test_a_closed_case_keeps_the_flag_it_closed_with(calendar, closed_at, flag):
    much_later = utc(2025, 12, 1, 3, 0)
    assert sla_flag(much_later, OPENED_BEFORE_SONGKRAN, 15, 0, calendar, closed_at=closed_at) == flag



def test_the_memo_of_many_cases_gives_what_due_at_and_sla_flag_give(calendar):
    """Bulk loads and imports take due dates and flags from SlaMemo: across Songkran and Labour
    Day, submissions after Bangkok's midnight, pauses, shares and closed cases, it agrees with the
    one-case functions, asked twice (the second answer from memory)."""
    now = utc(2025, 5, 7, 3)
    memo = SlaMemo(calendar, now)
    starts = [utc(2025, 4, day, hour) for day in (4, 10, 11, 12, 17) for hour in (3, 18)]
    closed_in_april, closed_after_bangkok_midnight = utc(2025, 4, 30, 9), utc(2025, 5, 6, 20)
    for _ in range(2):
        for start in starts:
            for target, paused, share, closed in ((15, 0, 0.8, None), (15, 2, 0.5, None), (5, 0, 0.8, None),
                                                   (15, 0, 0.8, closed_in_april),
                                                   (10, 1, 0.7, closed_after_bangkok_midnight)):
                expected = (due_at(start, target, paused, calendar),
                            str(sla_flag(now, start, target, paused, calendar, share, closed_at=closed)))
                assert memo(start, target, paused, share, closed) == expected, (start, target, paused, share, closed)


def test_first_response_due(calendar):
    assert first_response_due(OPENED_BEFORE_SONGKRAN, 2, calendar) == date(2025, 4, 17)
    assert first_response_due(OPENED_ON_SATURDAY, 1, calendar) == date(2026, 3, 9)


@pytest.mark.parametrize(
    "now, responded_at, late",
    [
        (utc(2025, 12, 1, 3, 0), utc(2025, 4, 11, 2, 0), False),
        (utc(2025, 12, 1, 3, 0), utc(2025, 4, 17, 8, 0), False),  # on the due date
        (utc(2025, 12, 1, 3, 0), utc(2025, 4, 18, 2, 0), True),
        (utc(2025, 4, 17, 16, 59), None, False),  # not yet answered, still the due date
        (utc(2025, 4, 17, 17, 0), None, True),
    ],
)
def test_first_response_late(calendar, now, responded_at, late):
    assert first_response_late(now, OPENED_BEFORE_SONGKRAN, 2, calendar, responded_at) is late


@pytest.mark.parametrize(
    "now, responded_at, state",
    [
        (utc(2025, 12, 1, 3, 0), utc(2025, 4, 11, 2, 0), FirstResponse.ON_TIME),
        (utc(2025, 12, 1, 3, 0), utc(2025, 4, 17, 8, 0), FirstResponse.ON_TIME),  # on the due date, after Songkran
        (utc(2025, 12, 1, 3, 0), utc(2025, 4, 18, 2, 0), FirstResponse.LATE),
        (utc(2025, 4, 17, 16, 59), None, FirstResponse.AWAITED),  # 23:59 Bangkok on the due date
        (utc(2025, 4, 17, 17, 0), None, FirstResponse.OVERDUE),  # midnight Bangkok: the date is past
    ],
)
def test_first_response_state(calendar, now, responded_at, state):
    assert first_response_state(now, OPENED_BEFORE_SONGKRAN, 2, calendar, responded_at) == (date(2025, 4, 17), state)


def test_every_first_response_state_has_both_labels():
    assert set(FIRST_RESPONSE_LABELS) == set(FirstResponse)
    assert all(th and en and th != en for th, en in FIRST_RESPONSE_LABELS.values())


def test_sla_target_defaults():
    target = SlaTarget(15, first_response_days=2)
    assert target.at_risk_share == 0.8
    assert target.at_risk_after_days == 12


@pytest.mark.parametrize(
    "kwargs",
    [
        {"days": 0},
        {"days": 15, "at_risk_share": 0},
        {"days": 15, "at_risk_share": 1.2},
        {"days": 15, "first_response_days": 0},
    ],
)
def test_sla_target_refuses_nonsense(kwargs):
    with pytest.raises(ValueError):
        SlaTarget(**kwargs)

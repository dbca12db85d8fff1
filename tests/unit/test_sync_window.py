"""Which stretch of a feed a sync run reads, and when the nightly catch-up is due."""
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.sync_window import (
    CATCH_UP_WINDOW,
    FIRST_RUN_SINCE,
    OVERLAP,
    catch_up_due,
    last_catch_up_time,
    window_start,
)

NOW = datetime(2026, 4, 13, 5, 0, tzinfo=UTC)  # 12:00 Bangkok


@pytest.mark.parametrize("cursor, catch_up, expected", [
    (None, False, FIRST_RUN_SINCE),
    (None, True, FIRST_RUN_SINCE),
    (NOW - timedelta(minutes=1), False, NOW - timedelta(minutes=1) - OVERLAP),
    (NOW - timedelta(minutes=1), True, NOW - CATCH_UP_WINDOW),
    # a cursor older than the catch-up window: the overlap still reaches further back
    (NOW - timedelta(days=10), True, NOW - timedelta(days=10) - OVERLAP),
    (NOW - timedelta(days=10), False, NOW - timedelta(days=10) - OVERLAP),
    # a cursor a broken answer once left at year 1: read from the start, not fail on the overlap
    (datetime(1, 1, 1, tzinfo=UTC), False, FIRST_RUN_SINCE),
])
def test_window_start(cursor, catch_up, expected):
    assert window_start(cursor, NOW, catch_up=catch_up) == expected


@pytest.mark.parametrize("cursor, catch_up, reapply_from, expected", [
    # an update left unapplied an hour ago, for a status mapped since: read back to it
    (NOW - timedelta(minutes=1), False, NOW - timedelta(hours=1), NOW - timedelta(hours=1) - OVERLAP),
    # older than the catch-up window: further back than the catch-up would read
    (NOW - timedelta(minutes=1), True, NOW - timedelta(days=5), NOW - timedelta(days=5) - OVERLAP),
    # already inside the window: the window stays
    (NOW - timedelta(minutes=1), True, NOW - timedelta(hours=1), NOW - CATCH_UP_WINDOW),
    (NOW - timedelta(minutes=1), False, NOW, NOW - timedelta(minutes=1) - OVERLAP),
    # a first run reads everything anyway, and nothing reads before the feed's beginning
    (None, False, NOW - timedelta(hours=1), FIRST_RUN_SINCE),
    (NOW, False, datetime(1990, 1, 1, tzinfo=UTC), FIRST_RUN_SINCE),
])
def test_window_start_reads_back_to_updates_of_a_newly_mapped_status(cursor, catch_up, reapply_from, expected):
    assert window_start(cursor, NOW, catch_up=catch_up, reapply_from=reapply_from) == expected


def bangkok(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 4, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


@pytest.mark.parametrize("now, expected", [
    (bangkok(13, 12), bangkok(13, 2, 30)),
    (bangkok(13, 2, 30), bangkok(13, 2, 30)),
    (bangkok(13, 2, 29), bangkok(12, 2, 30)),
    (bangkok(13, 0, 5), bangkok(12, 2, 30)),  # 17:05 UTC the day before
    (bangkok(14, 23, 59), bangkok(14, 2, 30)),
])
def test_last_catch_up_time(now, expected):
    assert last_catch_up_time(now) == expected


@pytest.mark.parametrize("last, now, due", [
    (None, bangkok(13, 12), True),
    (bangkok(13, 2, 31), bangkok(13, 12), False),
    (bangkok(13, 2, 30), bangkok(13, 12), False),
    (bangkok(13, 2, 29), bangkok(13, 12), True),
    (bangkok(12, 23, 0), bangkok(13, 2, 0), False),  # before tonight's 02:30
    (bangkok(12, 23, 0), bangkok(13, 2, 35), True),
])
def test_catch_up_due(last, now, due):
    assert catch_up_due(last, now) is due

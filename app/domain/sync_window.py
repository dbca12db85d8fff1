"""Which stretch of a departmental feed a sync run reads (FixMyStreet's UpdatesBase, crontab).

* A frequent run reads from the agency's cursor (the newest update time applied so far) less
  OVERLAP, so an update a departmental system publishes a few minutes after its own time is
  still read; reading one twice is harmless (sync is idempotent).
* Once a night, the first run after CATCH_UP_AT Bangkok time is a catch-up: it reads at least
  CATCH_UP_WINDOW back, for updates published later than the overlap allows.
* An agency's first run reads everything its system still offers (from FIRST_RUN_SINCE).
* A run after an administrator mapped a status that earlier runs met unmapped reads back to the
  first update that carried it (less OVERLAP), so those updates are applied now, not at the next
  catch-up.
"""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from app.domain.local_time import BANGKOK

OVERLAP = timedelta(minutes=10)
CATCH_UP_WINDOW = timedelta(days=3)
CATCH_UP_AT = time(2, 30)  # Bangkok: the quiet hours
FIRST_RUN_SINCE = datetime(2000, 1, 1, tzinfo=UTC)


def window_start(cursor: datetime | None, now: datetime, *, catch_up: bool = False,
                 overlap: timedelta = OVERLAP, catch_up_window: timedelta = CATCH_UP_WINDOW,
                 reapply_from: datetime | None = None) -> datetime:
    """Where a run starts reading; `reapply_from` is the time of the oldest update left unapplied
    for a status the agency's map now knows."""
    if cursor is None or cursor < FIRST_RUN_SINCE:
        # None: the first run. Before 2000: a cursor a broken answer once left (year 1 would not
        # even take the overlap away): read from the start again.
        return FIRST_RUN_SINCE
    since = cursor - overlap
    if catch_up:
        since = min(since, now - catch_up_window)
    if reapply_from is not None:
        since = min(since, max(reapply_from - overlap, FIRST_RUN_SINCE))
    return since


def last_catch_up_time(now: datetime, at: time = CATCH_UP_AT) -> datetime:
    """The latest nightly catch-up moment (`at`, Bangkok) at or before `now`, in UTC."""
    local = now.astimezone(BANGKOK)
    moment = datetime.combine(local.date(), at, BANGKOK)
    if moment > local:
        moment -= timedelta(days=1)
    return moment.astimezone(UTC)


def catch_up_due(last_catch_up_at: datetime | None, now: datetime, at: time = CATCH_UP_AT) -> bool:
    """Whether this run should be the nightly catch-up: none has run since the last `at`."""
    return last_catch_up_at is None or last_catch_up_at < last_catch_up_time(now, at)

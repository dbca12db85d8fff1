"""Thailand's time: the Bangkok zone (UTC+7 all year, no daylight saving), and the Bangkok day
of an instant and back. Times are stored in UTC; days, deadlines and reports are Bangkok's."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")


def local_date(instant: datetime) -> date:
    """Bangkok date of an instant; a naive datetime is taken to be UTC."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=timezone.utc)
    return instant.astimezone(BANGKOK).date()


def start_of_local_day(day: date) -> datetime:
    """The UTC instant at which the Bangkok day ``day`` begins (17:00 UTC the day before)."""
    return datetime.combine(day, time(), BANGKOK).astimezone(timezone.utc)


def parse_instant(text) -> datetime:
    """An instant from ISO 8601 text as API callers write it: with its offset as given; without
    one, in Bangkok time; a date alone is the start of that Bangkok day. ValueError otherwise."""
    value = str(text if text is not None else "").strip()
    if len(value) == 10:
        return start_of_local_day(date.fromisoformat(value))
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=BANGKOK)

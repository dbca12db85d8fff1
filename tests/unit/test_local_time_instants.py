"""API callers' times: ISO 8601 with or without an offset, or a date alone."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from app.domain.local_time import parse_instant

UTC = timezone.utc


@pytest.mark.parametrize("text, instant", [
    ("2026-11-24", datetime(2026, 11, 23, 17, 0, tzinfo=UTC)),          # the Bangkok day's start
    ("2026-11-24T09:00:00", datetime(2026, 11, 24, 2, 0, tzinfo=UTC)),  # no offset: Bangkok time
    ("2026-11-24T09:00", datetime(2026, 11, 24, 2, 0, tzinfo=UTC)),
    ("2026-11-24T09:00:00+07:00", datetime(2026, 11, 24, 2, 0, tzinfo=UTC)),
    ("2026-11-24T02:00:00Z", datetime(2026, 11, 24, 2, 0, tzinfo=UTC)),
    (" 2026-11-24T02:00:00+00:00 ", datetime(2026, 11, 24, 2, 0, tzinfo=UTC)),
])
def test_instants_read(text, instant):
    assert parse_instant(text) == instant


@pytest.mark.parametrize("text", ["garbage", "24/11/2569", "2026-13-01", "", None, "2026-02-30"])
def test_what_is_not_an_instant_is_refused(text):
    with pytest.raises(ValueError):
        parse_instant(text)

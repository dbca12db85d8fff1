"""An edit's changes as the case page shows them: labels and shown values, never stored codes."""
from datetime import datetime

import pytest

from app.domain.case_changes import EMPTY, change_lines, shown_value

LABELS = {"priority": "ความเร่งด่วน", "status": "สถานะ", "submitted_at": "วันที่รับเรื่อง", "case_type_id": "ประเภทเรื่อง"}


@pytest.mark.parametrize("field, value, lang, shown", [
    ("priority", "high", "th", "สูง"),
    ("priority", "high", "en", "High"),
    ("status", "waiting_applicant", "en", "Waiting for the applicant"),
    ("channel", "phone", "th", "โทรศัพท์"),
    ("priority", None, "th", EMPTY),
    ("district", "", "th", EMPTY),
    ("province", "ระยอง", "en", "ระยอง"),
    ("latitude", 13.29265, "en", "13.29265"),
    ("public", True, "th", "ใช่"),
    ("submitted_at", "2024-12-18T02:30:00+00:00", "th", "moment 2024-12-18 02:30:00+00:00"),
    ("submitted_at", "not a time", "th", "not a time"),
    ("case_type_id", 7, "th", "ขอใบอนุญาต"),
    ("case_type_id", 99, "th", "99"),
    ("priority", "someday", "en", "someday"),  # a value no table knows is shown as it is
])
def test_shown_value(field, value, lang, shown):
    assert shown_value(field, value, lang, names={"case_type_id": {7: "ขอใบอนุญาต"}},
                       moment=lambda at: f"moment {at}") == shown


def test_change_lines_keep_the_events_order_and_name_each_field():
    changes = {"priority": ["low", "high"], "requester_id": [None, "1101700203450"], "case_type_id": [3, 7]}
    lines = change_lines(changes, "th", lambda field: LABELS.get(field, field),
                         names={"case_type_id": {3: "เหตุเดือดร้อนรำคาญ", 7: "ขอใบอนุญาต"}})
    assert lines == [("ความเร่งด่วน", "ต่ำ", "สูง"), ("requester_id", EMPTY, "1101700203450"),
                     ("ประเภทเรื่อง", "เหตุเดือดร้อนรำคาญ", "ขอใบอนุญาต")]


def test_no_changes():
    assert change_lines(None, "en", str) == [] and change_lines({}, "en", str) == []


def test_a_moment_is_parsed_before_it_is_shown():
    seen = []
    change_lines({"closed_at": ["2025-01-15T07:00:00.123456+00:00", None]}, "en", str,
                 moment=lambda at: seen.append(at) or "shown")
    assert seen == [datetime.fromisoformat("2025-01-15T07:00:00.123456+00:00")]

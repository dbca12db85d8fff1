"""A job run's reason or note, worded for a Thai reader from the English the record keeps."""
from __future__ import annotations

import re

import pytest

from app.domain import job_messages as jm

THAI = re.compile(r"[\u0e00-\u0e7f]")
DETAILS = {"agency": "DIW", "fetched": 1250, "events_written": 40, "status_changes": 38, "unknown_refs": 2,
           "unmapped": 3, "unknown_statuses": ["ON_HOLD", "LEGAL"], "remapped": ["PENDING"]}


def test_a_sync_note_is_worded_again_from_its_counts():
    english = jm.sync_summary(DETAILS)
    assert english == ("DIW: 1250 updates read, 40 new events, 38 status changes, 2 for unknown references, "
                       "3 with unknown statuses (ON_HOLD, LEGAL); read back to apply newly mapped statuses (PENDING)")
    thai = jm.shown("sync-status", english, DETAILS, "th")
    assert thai.startswith("DIW: อ่านความคืบหน้า 1,250 รายการ")
    for figure in ("40", "38", "ON_HOLD, LEGAL", "PENDING"):
        assert figure in thai
    assert jm.shown("sync-status", english, DETAILS, "en") == english


def test_a_quiet_sync_note_names_only_what_happened():
    quiet = {"agency": "OPS", "fetched": 0, "events_written": 0, "status_changes": 0}
    assert jm.sync_summary(quiet) == "OPS: 0 updates read, 0 new events, 0 status changes"
    one = {**quiet, "fetched": 1, "events_written": 1, "status_changes": 1}
    assert jm.sync_summary(one) == "OPS: 1 update read, 1 new event, 1 status change"
    assert "ไม่รู้จัก" not in jm.sync_summary(quiet, "th")


def test_a_note_that_is_not_the_summary_of_its_details_is_left_alone():
    # e.g. a record written by an older version: never a Thai note with other figures than the English one
    assert jm.shown("sync-status", "DIW: something else", DETAILS, "th") == "DIW: something else"


@pytest.mark.parametrize("key", sorted(jm.SYNC_FAILURE_HEADINGS))
def test_a_failure_reason_keeps_its_technical_detail_between_thai_words(key):
    english, thai = jm.SYNC_FAILURE_HEADINGS[key]
    reason = f"{english}: HTTPConnectionPool(host='127.0.0.1', port=9): Read timed out. {jm.NOTHING_APPLIED}"
    shown = jm.shown("sync-status", reason, None, "th")
    assert shown.startswith(thai + ": HTTPConnectionPool(host='127.0.0.1', port=9): Read timed out. ")
    assert jm.NOTHING_APPLIED not in shown and shown.endswith("อีกครั้ง")
    assert jm.shown("sync-status", reason, None, "en") == reason


@pytest.mark.parametrize("reason", [jm.SKIPPED_REASON, jm.INTERRUPTED_REASON])
def test_whole_reasons_are_translated(reason):
    assert THAI.search(jm.shown("sla-flags", reason, None, "th"))


def test_a_reason_the_jobs_did_not_word_is_shown_as_it_came():
    assert jm.shown("sla-flags", "OperationalError: disk full", None, "th") == "OperationalError: disk full"
    assert jm.shown("sla-flags", None, None, "th") == ""


def test_every_job_has_a_label_in_both_languages():
    from app.jobs import registry

    for name in registry.job_names():
        assert THAI.search(jm.job_label(name, "th")) and jm.job_label(name, "th").endswith(f"({name})")
        assert not THAI.search(jm.job_label(name, "en")) and name in jm.job_label(name, "en")
    assert jm.job_label("some-new-job", "th") == "some-new-job"


def test_details_are_worded_line_by_line():
    lines = dict(jm.detail_lines({**DETAILS, "catch_up": True, "seconds": 1.25, "since": "2026-11-24T02:00:00+00:00",
                                  "calendar": {"first": "2025-01-01", "rebuilt": False}, "new_key": 7}, "th"))
    assert lines["ความคืบหน้าที่อ่าน"] == 1250 and lines["หน่วยงาน"] == "DIW"
    assert lines["สถานะที่ไม่รู้จัก"] == "ON_HOLD, LEGAL" and lines["รอบอ่านย้อนหลังประจำคืน"] == "ใช่"
    assert lines["ปฏิทินวันทำการ"] == "ตั้งแต่: 2025-01-01, สร้างใหม่: ไม่"
    assert lines["อ่านความคืบหน้าตั้งแต่"] == "2026-11-24T02:00:00+00:00"  # times are the screen's to format
    assert lines["new_key"] == 7  # a detail no label knows yet is still shown
    english = dict(jm.detail_lines({"flags": {"at_risk": 3, "none": 1}}, "en"))
    assert english == {"Open cases by SLA flag": "At risk: 3, Not computed yet: 1"}
    assert jm.detail_lines(None, "th") == []
    assert dict(jm.detail_lines({"cursor_before": None, "remapped": []}, "en")) == {
        "Applied up to, before": "—", "Newly mapped statuses": "—"}

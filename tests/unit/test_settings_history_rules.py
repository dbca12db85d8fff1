"""The settings history's rules: what a change records, and how it reads."""
from __future__ import annotations

from datetime import date

import pytest

from app.domain.settings_history import Tracked, changes, entry_text, summary

AGENCY = Tracked("agency", ("code", "active", "connector_settings", "status_map", "sync_interval_minutes"),
                 keyed=frozenset({"connector_settings", "status_map"}), secret_keys=frozenset({"token"}))
USER = Tracked("user", ("username", "roles", "password"), secret_fields=frozenset({"password"}))
HOLIDAY = Tracked("extra_holiday", ("day", "name_th"))


@pytest.mark.parametrize("tracked, before, after, expected", [
    # Unchanged fields record nothing; a changed one its old and new value.
    (AGENCY, {"code": "DIW", "sync_interval_minutes": 15}, {"code": "DIW", "sync_interval_minutes": 5},
     [{"field": "sync_interval_minutes", "old": 15, "new": 5}]),
    (AGENCY, {"active": True}, {"active": True}, []),
    # JSON objects key by key; a secret key only as set, replaced or removed.
    (AGENCY, {"connector_settings": {"base_url": "http://a", "token": "old"}},
     {"connector_settings": {"base_url": "http://b", "token": "new"}},
     [{"field": "connector_settings", "key": "base_url", "old": "http://a", "new": "http://b"},
      {"field": "connector_settings", "key": "token", "old": "set", "new": "replaced", "secret": True}]),
    (AGENCY, {"connector_settings": None}, {"connector_settings": {"token": "t"}},
     [{"field": "connector_settings", "key": "token", "old": None, "new": "set", "secret": True}]),
    (AGENCY, {"connector_settings": {"token": "t"}}, {"connector_settings": {"token": ""}},
     [{"field": "connector_settings", "key": "token", "old": "set", "new": "removed", "secret": True}]),
    (AGENCY, {"connector_settings": {"token": "t"}}, {"connector_settings": {"token": "t"}}, []),
    (AGENCY, {"status_map": {"APPROVED": "resolved"}}, {"status_map": {"APPROVED": "closed", "HOLD": "waiting_applicant"}},
     [{"field": "status_map", "key": "APPROVED", "old": "resolved", "new": "closed"},
      {"field": "status_map", "key": "HOLD", "old": None, "new": "waiting_applicant"}]),
    # A secret field: never its value.
    (USER, {"password": "pbkdf2:old"}, {"password": "pbkdf2:new"},
     [{"field": "password", "old": "set", "new": "replaced", "secret": True}]),
    # Collections compare as sorted names; dates as ISO text.
    (USER, {"roles": ["Agency Officer"]}, {"roles": ["Agency Manager", "Agency Officer"]},
     [{"field": "roles", "old": ["Agency Officer"], "new": ["Agency Manager", "Agency Officer"]}]),
    (USER, {"roles": ["B", "A"]}, {"roles": ["A", "B"]}, []),
    (HOLIDAY, {}, {"day": date(2026, 12, 30), "name_th": "วันหยุดพิเศษ"},
     [{"field": "day", "old": None, "new": "2026-12-30"}, {"field": "name_th", "old": None, "new": "วันหยุดพิเศษ"}]),
    (HOLIDAY, {"day": date(2026, 12, 30)}, {}, [{"field": "day", "old": "2026-12-30", "new": None}]),
])
def test_what_a_change_records(tracked, before, after, expected):
    assert changes(tracked, before, after) == expected


@pytest.mark.parametrize("entry, lang, text", [
    ({"field": "sla_days", "old": 15, "new": 20}, "en", "SLA target (working days): 15 → 20"),
    ({"field": "sla_days", "old": 15, "new": 20}, "th", "เป้าหมาย SLA (วันทำการ): 15 → 20"),
    ({"field": "active", "old": True, "new": False}, "th", "ใช้งาน: ใช่ → ไม่ใช่"),
    ({"field": "description", "old": None, "new": "x"}, "en", "Description: (none) → x"),
    ({"field": "connector_settings", "key": "token", "old": "set", "new": "replaced", "secret": True}, "en",
     "Connector settings, token: replaced"),
    ({"field": "password", "old": None, "new": "set", "secret": True}, "th", "รหัสผ่าน: ตั้งค่าแล้ว"),
    ({"field": "roles", "old": [], "new": ["Admin"]}, "en", "Roles: (none) → Admin"),
])
def test_how_an_entry_reads(entry, lang, text):
    assert entry_text(entry, lang) == text


def test_the_lists_summary_names_each_field_once_and_counts_the_rest():
    entries = [{"field": "status_map", "key": k, "old": None, "new": "resolved"} for k in ("A", "B")]
    entries += [{"field": f, "old": 1, "new": 2} for f in ("code", "name_th", "name_en", "active")]
    assert summary(entries, "en") == "Status map, Code, Thai name and 2 more"
    assert summary(entries[:1], "th") == "ตารางเทียบสถานะ"
    assert summary([], "en") == ""

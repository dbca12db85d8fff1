"""Field rules for cases, shared by forms, the API, import and the public form."""
import pytest

from app.domain.case_rules import ValidationFailed, thai_id_checksum_ok, validate_case_fields

BASE = {"title": "กลิ่นเหม็นจากโรงงาน", "case_type_id": 3}


@pytest.mark.parametrize("extra, cleaned", [
    ({"title": "  กลิ่นเหม็น\x00 \n"}, {"title": "กลิ่นเหม็น"}),
    ({"requester_phone": "081-234-5678"}, {"requester_phone": "0812345678"}),
    ({"requester_id": "1-1017-00230-70-8"}, {"requester_id": "1101700230708"}),
    ({"province": "จ.ระยอง"}, {"province": "ระยอง"}),
    ({"province": "bangkok"}, {"province": "กรุงเทพมหานคร"}),
    ({"latitude": "13.75", "longitude": "100.5"}, {"latitude": 13.75, "longitude": 100.5}),
    ({"latitude": "", "longitude": ""}, {"latitude": None, "longitude": None}),
    ({"description": ""}, {"description": None}),
    # A line break is one LF, as the browser counts it (it sends CR LF, or an old system a CR).
    ({"description": "บรรทัดแรก\r\nบรรทัดสอง\rสาม"}, {"description": "บรรทัดแรก\nบรรทัดสอง\nสาม"}),
    ({"description": ("ก" * 99 + "\r\n") * 100}, {"description": "\n".join(["ก" * 99] * 100)}),
    # Invisible characters alone are nothing; among visible text (an emoji's joiner) they stay.
    ({"description": "\u200b \u2060\ufeff"}, {"description": None}),
    ({"description": "ควัน \U0001f468\u200d\U0001f692"}, {"description": "ควัน \U0001f468\u200d\U0001f692"}),
])
def test_cleaning(extra, cleaned):
    out = validate_case_fields({**BASE, **extra}, creating=True)
    for key, value in cleaned.items():
        assert out[key] == value


@pytest.mark.parametrize("extra, field, code", [
    ({"title": None}, "title", "required"),
    ({"case_type_id": None}, "case_type_id", "required"),
    ({"title": "ก" * 301}, "title", "too_long"),
    ({"requester_phone": "12"}, "requester_phone", "bad_phone"),
    ({"requester_id": "1101700230709"}, "requester_id", "bad_id"),
    ({"latitude": 13.7}, "latitude", "incomplete_point"),
    ({"latitude": 1.29, "longitude": 103.85}, "latitude", "outside_thailand"),
    ({"priority": "yesterday"}, "priority", "unknown_priority"),
    ({"status": "resolved"}, "status", "unknown_field"),
    ({"title": {"a": 1}}, "title", "wrong_type"),
    ({"title": "\u200b\u200b"}, "title", "required"),
])
def test_refusals(extra, field, code):
    with pytest.raises(ValidationFailed) as info:
        validate_case_fields({**BASE, **extra}, creating=True)
    assert (field, code) in {(e.field, e.code) for e in info.value.errors}
    assert all(e.message_th and e.message_en for e in info.value.errors)


@pytest.mark.parametrize("point, field", [
    ({"latitude": "abc", "longitude": "200"}, "latitude"),
    ({"latitude": "13.75", "longitude": "๑๐๐.๕x"}, "longitude"),
])
def test_a_coordinate_that_is_not_a_number_is_one_message(point, field):
    """Both coordinates were given: 'give both, or neither' would only confuse."""
    with pytest.raises(ValidationFailed) as info:
        validate_case_fields({**BASE, **point}, creating=True)
    assert [(e.field, e.code) for e in info.value.errors] == [(field, "not_a_number")]


@pytest.mark.parametrize("typed", ["๐๘๑-๒๓๔-๕๖๗๘", "081.234.5678", "(081) 234 5678"])
def test_a_phone_number_as_people_write_it(typed):
    assert validate_case_fields({**BASE, "requester_phone": typed}, creating=True)["requester_phone"] == "0812345678"


def test_a_bad_phone_number_says_what_a_good_one_looks_like():
    with pytest.raises(ValidationFailed) as info:
        validate_case_fields({**BASE, "requester_phone": "081 234 567x"}, creating=True)
    [error] = info.value.errors
    assert "081-234-5678" in error.message_th and "081-234-5678" in error.message_en
    assert "02-202-3000" in error.message_th and "02-202-3000" in error.message_en


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(ValidationFailed) as info:
        validate_case_fields({"title": "", "requester_email": "x", "channel": "fax"}, creating=True)
    assert {e.field for e in info.value.errors} == {"title", "case_type_id", "requester_email", "channel"}


def test_edit_may_leave_fields_out():
    assert validate_case_fields({"priority": "high"}, creating=False) == {"priority": "high"}


@pytest.mark.parametrize("digits, ok", [
    ("1101700230708", True), ("0105536000054", True), ("1101700230709", False), ("110170023070", False),
    ("abcdefghijklm", False), ("110170023070²", False), ("１１０１７００２３０７０８", False),
])
def test_thai_id_checksum(digits, ok):
    assert thai_id_checksum_ok(digits) is ok

"""The complaint form's rules: field by field, every problem at once, in Thai and English."""
import pytest

from app.domain.case_rules import ValidationFailed
from app.domain.public_form import HONEYPOT_FIELD, LooksAutomated, complaint_fields

TYPES = {5, 12}
GOOD = {"case_type": "5", "title": "กลิ่นเหม็นจากโรงงาน", "description": "ทุกคืนหลังสองทุ่ม",
        "province": "21", "district": "เมืองระยอง"}


def errors_of(form):
    with pytest.raises(ValidationFailed) as info:
        complaint_fields(form, TYPES)
    return {(e.field, e.code) for e in info.value.errors}, info.value


def test_a_good_form_gives_case_fields():
    fields = complaint_fields({**GOOD, "contact_phone": "081-234-5678", "latitude": "12.68", "longitude": "101.27"},
                              TYPES)
    assert fields["case_type_id"] == 5
    assert fields["province"] == "ระยอง"
    assert fields["requester_phone"] == "0812345678"
    assert (fields["latitude"], fields["longitude"]) == (12.68, 101.27)
    assert fields["channel"] == "web"


def test_a_typed_province_name_is_accepted():
    assert complaint_fields({**GOOD, "province": "Rayong"}, TYPES)["province"] == "ระยอง"


@pytest.mark.parametrize("change, field, code", [
    ({"case_type": ""}, "case_type", "required"),
    ({"title": "  "}, "title", "required"),
    ({"description": ""}, "description", "required"),
    ({"province": ""}, "province", "required"),
    ({"district": ""}, "district", "required"),
    ({"case_type": "7"}, "case_type", "unknown_case_type"),       # not a public complaint type
    ({"case_type": "5 OR 1=1"}, "case_type", "unknown_case_type"),
    ({"province": "Atlantis"}, "province", "unknown_province"),
    ({"title": "ก" * 301}, "title", "too_long"),
    ({"description": "x" * 10_001}, "description", "too_long"),
    ({"latitude": "51.5", "longitude": "-0.12"}, "latitude", "outside_thailand"),
    ({"latitude": "13.7"}, "latitude", "incomplete_point"),
    ({"latitude": "north", "longitude": "100.5"}, "latitude", "not_a_number"),
    ({"contact_email": "not-an-email"}, "contact_email", "bad_email"),
    ({"contact_phone": "12"}, "contact_phone", "bad_phone"),
])
def test_each_bad_field_is_named(change, field, code):
    found, failure = errors_of({**GOOD, **change})
    assert (field, code) in found
    for error in failure.errors:
        assert error.message_th and error.message_en and error.message_th != error.message_en


def test_every_missing_field_is_reported_at_once():
    found, _ = errors_of({})
    assert {("case_type", "required"), ("title", "required"), ("description", "required"),
            ("province", "required"), ("district", "required")} <= found


def test_script_tags_are_text_not_an_error():
    fields = complaint_fields({**GOOD, "title": "<script>alert(1)</script>"}, TYPES)
    assert fields["title"] == "<script>alert(1)</script>"


def test_the_honeypot_refuses_the_form():
    with pytest.raises(LooksAutomated) as info:
        complaint_fields({**GOOD, HONEYPOT_FIELD: "http://spam.example"}, TYPES)
    assert info.value.message_th and info.value.message_en

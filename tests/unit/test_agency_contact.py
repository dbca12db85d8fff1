"""An agency's public contact: what administrators may type as its phone, email and office."""
import pytest

from app.domain.agency_contact import MAX_OFFICE, check_email, check_office, check_phone, tel_href
from app.domain.errors import RuleError


@pytest.mark.parametrize("typed, kept", [
    ("1569", "1569"),
    ("  02-202-3000 ", "02-202-3000"),
    ("02 202 3000 ต่อ 1234", "02 202 3000 ต่อ 1234"),
    ("0 2202 3000 ext. 12", "0 2202 3000 ext. 12"),
    ("081-234-5678, 1569", "081-234-5678, 1569"),
    ("๐๒-๒๐๒-๓๐๐๐", "๐๒-๒๐๒-๓๐๐๐"),
    ("", None),
    ("   ", None),
    (None, None),
])
def test_phones_an_agency_may_give(typed, kept):
    assert check_phone(typed) == kept


@pytest.mark.parametrize("typed", [
    "call us", "02-202-300", "2202-3000", "15690", "081-234-5678, abc", "1569 ต่อ", "02-202-3000 ต่อ 123456",
    "0" * 61,
])
def test_what_is_not_a_phone_is_refused_in_both_languages(typed):
    with pytest.raises(RuleError) as refused:
        check_phone(typed)
    assert refused.value.field == "contact_phone"
    assert refused.value.message("th") != refused.value.message("en")
    assert ("1569" in refused.value.message("en")) or "at most" in refused.value.message("en")


@pytest.mark.parametrize("typed, kept", [
    ("saraban@diw.mail.go.th", "saraban@diw.mail.go.th"), (" info@ops.go.th ", "info@ops.go.th"), ("", None),
])
def test_emails(typed, kept):
    assert check_email(typed) == kept


@pytest.mark.parametrize("typed", ["saraban", "a@b", "a b@c.th", "x@" + "y" * 250 + ".th"])
def test_what_is_not_an_email_is_refused(typed):
    with pytest.raises(RuleError) as refused:
        check_email(typed)
    assert refused.value.code == "bad_email" and "อีเมล" in refused.value.message("th")


def test_the_office_is_trimmed_and_bounded():
    assert check_office("  ถนนพระรามที่ 6\nจันทร์-ศุกร์ 08:30-16:30 ") == "ถนนพระรามที่ 6\nจันทร์-ศุกร์ 08:30-16:30"
    assert check_office(" ") is None
    with pytest.raises(RuleError):
        check_office("ก" * (MAX_OFFICE + 1))


@pytest.mark.parametrize("phone, href", [
    ("1569", "tel:1569"), ("02-202-3000 ต่อ 1234", "tel:022023000"), ("๐๘๑ ๒๓๔ ๕๖๗๘, 1569", "tel:0812345678"),
    ("02 202 3000 ext. 5", "tel:022023000"),
])
def test_the_link_calls_the_first_number_without_its_extension(phone, href):
    assert tel_href(phone) == href

"""Staff passwords: long enough, not digits alone, not one tried first."""
import pytest

from app.domain.errors import RuleError
from app.domain.passwords import MIN_LENGTH, check_password


@pytest.mark.parametrize("password, username", [
    ("ม้าลายกินหญ้าริมคลอง", None),
    ("correct horse battery", "diw.officer"),
    ("a" * 9 + "b", None),
    ("xy" * 64, None),
])
def test_good_passwords(password, username):
    check_password(password, username)


@pytest.mark.parametrize("password, username, code", [
    ("", None, "password_too_short"),
    (None, None, "password_too_short"),
    ("short", None, "password_too_short"),
    ("a" * (MIN_LENGTH - 1), None, "password_too_short"),
    ("x" * 129, None, "password_too_long"),
    ("0812345678", None, "password_digits_only"),
    ("1101700207030", None, "password_digits_only"),
    ("Password123", None, "password_guessable"),
    ("RUEANG-DEMO", None, "password_guessable"),
    ("aaaaaaaaaaaa", None, "password_guessable"),
    ("my-diw.officer-pass", "diw.officer", "password_guessable"),
])
def test_refused_passwords_say_why_in_both_languages(password, username, code):
    with pytest.raises(RuleError) as refused:
        check_password(password, username)
    assert refused.value.code == code
    assert refused.value.message("th") and refused.value.message("en")
    assert refused.value.message("th") != refused.value.message("en")

"""How the public reaches an agency about a case: its phone, email and office, as administrators
type them, checked before they are shown on every status page.

An agency's contact is its office's, never a person's: a hotline (1569), a landline with an
extension (02-202-3000 ต่อ 1234), a mobile, or several of them separated by commas.
"""
from __future__ import annotations

import re

from app.domain.case_rules import EMAIL_PATTERN, phone_digits
from app.domain.errors import RuleError

MAX_PHONE, MAX_EMAIL, MAX_OFFICE = 60, 254, 500
# One number: a 4-digit hotline (1xxx), or 9 to 10 digits starting with 0, with an optional
# extension of 1 to 5 digits.
_ONE_PHONE = re.compile(r"^(1\d{3}|0\d{8,9})((ต่อ|ext\.?|x)\d{1,5})?$", re.IGNORECASE)


def _trimmed(text: str | None, limit: int, field: str) -> str | None:
    """The text without its outer spaces, None when nothing is left; RuleError past `limit`."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) > limit:
        raise RuleError(f"Too long ({len(text)} characters; at most {limit}).",
                        f"ยาวเกินไป ({len(text)} ตัวอักษร; ไม่เกิน {limit})", code="too_long", field=field)
    return text


def check_phone(text: str | None) -> str | None:
    """The phone numbers as they will be shown (trimmed), or None when empty; RuleError if a
    number is not one."""
    text = _trimmed(text, MAX_PHONE, "contact_phone")
    for number in text.split(",") if text else ():
        digits = phone_digits(number)
        if not _ONE_PHONE.match(digits):
            raise RuleError(
                f"'{number.strip()}' is not a phone number: give a hotline such as 1569, or a number such as "
                "02-202-3000 (ext. 1234 may follow); separate several with commas.",
                f"'{number.strip()}' ไม่ใช่หมายเลขโทรศัพท์ กรุณากรอกสายด่วน เช่น 1569 หรือหมายเลข เช่น 02-202-3000 "
                "(ตามด้วย ต่อ 1234 ได้) หากมีหลายหมายเลขให้คั่นด้วยจุลภาค", code="bad_phone", field="contact_phone")
    return text


def check_email(text: str | None) -> str | None:
    text = (text or "").strip()
    if text and (len(text) > MAX_EMAIL or not EMAIL_PATTERN.match(text)):
        raise RuleError("Not an email address (such as saraban@diw.mail.go.th).",
                        "รูปแบบอีเมลไม่ถูกต้อง (เช่น saraban@diw.mail.go.th)", code="bad_email", field="contact_email")
    return text or None


def check_office(text: str | None) -> str | None:
    return _trimmed(text, MAX_OFFICE, "contact_office")


def tel_href(text: str) -> str:
    """A tel: link for the first number of `text`, without its extension."""
    first = phone_digits(text.split(",")[0])
    return "tel:" + re.split(r"(?i)ต่อ|ext\.?|x", first)[0]

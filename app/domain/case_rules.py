"""Validation of the fields a person gives for a case: one set of rules for every surface."""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Callable

from app.domain import geo
from app.domain.errors import RuleError
from app.domain.statuses import Channel, Priority
from app.domain.thai_dates import thai_digits_to_ascii
from app.domain.whole_numbers import whole_number

MAX_LENGTHS = {
    "title": 300,
    "description": 10_000,
    "requester_name": 200,
    "requester_phone": 20,
    "requester_email": 254,
    "requester_id": 20,  # as typed, with dashes; stored as 13 digits
    "province": 64,
    "district": 100,
    "subdistrict": 100,
    "external_ref": 64,
    "note": 5_000,
}
TEXT_FIELDS = ("title", "description", "requester_name", "district", "subdistrict", "external_ref")
EDITABLE_FIELDS = frozenset({
    "case_type_id", "channel", "title", "description", "requester_name", "requester_phone",
    "requester_email", "requester_id", "province", "district", "subdistrict", "latitude",
    "longitude", "priority", "external_ref",
})
FIELD_LABELS = {
    "case_type_id": ("ประเภทเรื่อง", "Case type"),
    "channel": ("ช่องทาง", "Channel"),
    "title": ("เรื่อง", "Title"),
    "description": ("รายละเอียด", "Description"),
    "requester_name": ("ชื่อผู้ร้อง/ผู้ยื่น", "Requester name"),
    "requester_phone": ("โทรศัพท์", "Phone"),
    "requester_email": ("อีเมล", "Email"),
    "requester_id": ("เลขประจำตัวประชาชน/นิติบุคคล", "Citizen or juristic ID"),
    "province": ("จังหวัด", "Province"),
    "district": ("อำเภอ/เขต", "District"),
    "subdistrict": ("ตำบล/แขวง", "Subdistrict"),
    "latitude": ("ละติจูด", "Latitude"),
    "longitude": ("ลองจิจูด", "Longitude"),
    "priority": ("ความเร่งด่วน", "Priority"),
    "external_ref": ("เลขอ้างอิงระบบของกรม", "Departmental reference"),
    "note": ("บันทึก", "Note"),
}
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9]{9,12}$")


def phone_digits(text: str) -> str:
    """A phone number as typed, without its spaces, dashes, dots and brackets, in Arabic digits."""
    return thai_digits_to_ascii(re.sub(r"[\s\-.()]", "", text))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ValidationFailed(RuleError):
    """One or more fields are wrong; `errors` holds one RuleError per field."""

    code = "validation_failed"
    http_status = 422

    def __init__(self, errors: list[RuleError]):
        self.errors = errors
        super().__init__(
            "; ".join(e.message_en for e in errors),
            "; ".join(e.message_th for e in errors),
        )

    def as_dict(self) -> dict:
        return {**super().as_dict(), "errors": [e.as_dict() for e in self.errors]}


def errors_of(error: RuleError) -> list[RuleError]:
    """A refusal's errors one by one: a ValidationFailed's, or the single error itself."""
    return list(error.errors) if isinstance(error, ValidationFailed) else [error]


def all_or_none(*checks: Callable[[], Any]) -> tuple:
    """Run every check and refuse with all their errors at once, so that a form is mended in one go."""
    results, errors = [], []
    for check in checks:
        try:
            results.append(check())
        except ValidationFailed as failed:
            errors.extend(failed.errors)
    if errors:
        raise ValidationFailed(errors)
    return tuple(results)


def _field_error(field: str, en: str, th: str, code: str) -> RuleError:
    label_th, label_en = FIELD_LABELS.get(field, (field, field))
    return RuleError(f"{label_en}: {en}", f"{label_th}: {th}", code=code, field=field)


def without_label(error: RuleError, lang: str) -> str:
    """A field's message for a place that names the field already (beside the field on a form,
    under its column in an import's errors): without the "อีเมล: " the rules put in front."""
    message = error.message(lang)
    labels = FIELD_LABELS.get(error.field or "")
    if labels:
        prefix = f"{labels[0] if lang == 'th' else labels[1]}: "
        if message.startswith(prefix):
            return message[len(prefix):]
    return message


def thai_id_checksum_ok(digits: str) -> bool:
    """Thai citizen and juristic IDs share one mod-11 check digit. ASCII digits only: '²' is a
    digit to str.isdigit() and not to int()."""
    if len(digits) != 13 or not (digits.isascii() and digits.isdigit()):
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


def is_text_value(value: Any) -> bool:
    """Whether a value can stand for text: a string, or a number as a sheet or JSON gives a phone
    number; not true or false, a list or an object, whose Python spelling would be stored."""
    return value is None or (isinstance(value, (str, int, float)) and not isinstance(value, bool))


def clean_text(value: Any) -> str | None:
    """Text as it is kept: line breaks as one LF (a browser counts CR LF as one character and sends
    two), no control characters, no blanks at either end; None when nothing visible is left
    (blanks and invisible format characters, such as a zero-width space, only)."""
    if value is None:
        return None
    text = _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n")).strip()
    return text if any(_visible(character) for character in text) else None


def _visible(character: str) -> bool:
    return not character.isspace() and unicodedata.category(character) != "Cf"


def validate_case_fields(data: dict, *, creating: bool) -> dict:
    """Clean the given fields and check them; raise ValidationFailed listing every bad one."""
    errors: list[RuleError] = []
    out: dict[str, Any] = {}
    unknown = set(data) - EDITABLE_FIELDS
    for field in sorted(unknown):
        errors.append(RuleError(f"Unknown field '{field}'.", f"ไม่รู้จักช่อง '{field}'", code="unknown_field", field=field))

    for field, value in data.items():
        if field in unknown:
            continue
        if field in ("latitude", "longitude"):
            if value in (None, ""):
                out[field] = None
                continue
            try:
                out[field] = float(value)
            except (TypeError, ValueError):
                errors.append(_field_error(field, "must be a number.", "ต้องเป็นตัวเลข", "not_a_number"))
            continue
        if field == "case_type_id":
            if value in (None, ""):
                out[field] = None
            elif (number := whole_number(value)) is not None:
                out[field] = number
            else:
                errors.append(_field_error(field, "must be a case type id.", "ต้องเป็นรหัสประเภทเรื่อง", "not_a_number"))
            continue
        if not is_text_value(value):
            errors.append(_field_error(field, "must be text.", "ต้องเป็นข้อความ", "wrong_type"))
            continue
        text = clean_text(value)
        limit = MAX_LENGTHS.get(field)
        if text is not None and limit and len(text) > limit:
            errors.append(_field_error(
                field, f"is too long ({len(text):,} characters; at most {limit:,}).",
                f"ยาวเกินไป ({len(text):,} ตัวอักษร; ไม่เกิน {limit:,})", "too_long"))
            continue
        out[field] = text

    if creating or "title" in out:
        if not out.get("title"):
            errors.append(_field_error("title", "is required.", "ต้องกรอก", "required"))
    if creating and not out.get("case_type_id"):
        errors.append(_field_error("case_type_id", "is required.", "ต้องเลือก", "required"))

    for field in ("channel", "priority"):
        # A new case takes a default for them; an edit cannot empty them.
        if not creating and field in out and out[field] is None:
            errors.append(_field_error(field, "is required.", "ต้องเลือก", "required"))
    if out.get("channel") is not None and out["channel"] not in set(Channel):
        errors.append(_field_error("channel", f"'{out['channel']}' is not a channel.", f"'{out['channel']}' ไม่ใช่ช่องทางที่รู้จัก", "unknown_channel"))
    if out.get("priority") is not None and out["priority"] not in set(Priority):
        errors.append(_field_error("priority", f"'{out['priority']}' is not a priority.", f"'{out['priority']}' ไม่ใช่ระดับความเร่งด่วนที่รู้จัก", "unknown_priority"))
    if out.get("requester_email") and not EMAIL_PATTERN.match(out["requester_email"]):
        errors.append(_field_error("requester_email", "is not an email address.", "รูปแบบอีเมลไม่ถูกต้อง", "bad_email"))
    if out.get("requester_phone"):
        phone = phone_digits(out["requester_phone"])
        if not _PHONE.match(phone):
            errors.append(_field_error(
                "requester_phone", "is not a phone number: give 10 digits for a mobile (such as 081-234-5678) "
                "or 9 for a landline (such as 02-202-3000).",
                "รูปแบบหมายเลขโทรศัพท์ไม่ถูกต้อง กรุณากรอกหมายเลขมือถือ 10 หลัก (เช่น 081-234-5678) "
                "หรือโทรศัพท์บ้าน 9 หลัก (เช่น 02-202-3000)", "bad_phone"))
        else:
            out["requester_phone"] = phone
    if out.get("requester_id"):
        digits = re.sub(r"[\s\-]", "", out["requester_id"])
        if not thai_id_checksum_ok(digits):
            errors.append(_field_error("requester_id", "must be 13 digits with a valid check digit.", "ต้องเป็นตัวเลข 13 หลักที่ถูกต้อง", "bad_id"))
        else:
            out["requester_id"] = digits

    if out.get("province"):
        province = geo.province_by_name(out["province"])
        if province is None:
            errors.append(_field_error("province", f"'{out['province']}' is not a province of Thailand.",
                                       f"ไม่พบจังหวัด '{out['province']}'", "unknown_province"))
        else:
            out["province"] = province.name_th

    lat, lon = out.get("latitude"), out.get("longitude")
    # A coordinate that is not a number has its own message; "give both" would only confuse.
    unreadable = any(field in data and field not in out for field in ("latitude", "longitude"))
    if not unreadable and (lat is None) != (lon is None) and ("latitude" in out or "longitude" in out):
        errors.append(_field_error("latitude", "give both latitude and longitude, or neither.", "ต้องกรอกทั้งละติจูดและลองจิจูด หรือไม่กรอกทั้งคู่", "incomplete_point"))
    elif lat is not None and lon is not None:
        if not geo.in_thailand(lat, lon):
            errors.append(_field_error("latitude", f"the point {lat}, {lon} is outside Thailand.", f"พิกัด {lat}, {lon} อยู่นอกประเทศไทย", "outside_thailand"))

    if errors:
        raise ValidationFailed(errors)
    return out

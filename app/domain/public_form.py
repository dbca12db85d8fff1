"""The complaint form without an account: what a citizen types, checked before anything is written.

Pure rules. The form's own fields map onto case fields; every problem is reported at once, per
field, in Thai and English; the shared case rules (lengths, phone, email, province, point inside
Thailand) apply unchanged.
"""
from __future__ import annotations

from typing import Collection, Mapping

from app.domain import geo
from app.domain.case_rules import FIELD_LABELS, ValidationFailed, clean_text, validate_case_fields
from app.domain.errors import RuleError
from app.domain.whole_numbers import whole_number

# Left empty by people (it is hidden from them) and filled in by form-filling robots.
HONEYPOT_FIELD = "website"
# Form field -> case field.
FORM_TO_CASE = {
    "case_type": "case_type_id",
    "title": "title",
    "description": "description",
    "province": "province",
    "district": "district",
    "subdistrict": "subdistrict",
    "latitude": "latitude",
    "longitude": "longitude",
    "contact_name": "requester_name",
    "contact_phone": "requester_phone",
    "contact_email": "requester_email",
}
CASE_TO_FORM = {case: form for form, case in FORM_TO_CASE.items()}
REQUIRED = ("case_type", "title", "description", "province", "district")
FORM_LABELS = {
    "case_type": ("ประเภทเรื่องร้องเรียน", "Kind of complaint"),
    "title": ("เรื่อง", "Subject"),
    "description": ("รายละเอียด", "What happened"),
    "contact_name": FIELD_LABELS["requester_name"],
    "contact_phone": FIELD_LABELS["requester_phone"],
    "contact_email": FIELD_LABELS["requester_email"],
}


class LooksAutomated(RuleError):
    code = "honeypot"
    http_status = 400

    def __init__(self):
        super().__init__(
            "We could not accept this form. If you filled it in yourself, please reload the page and send it again.",
            "ระบบไม่สามารถรับแบบฟอร์มนี้ได้ หากท่านกรอกเอง กรุณาโหลดหน้าใหม่แล้วส่งอีกครั้ง",
        )


def _label(field: str) -> tuple[str, str]:
    return FORM_LABELS.get(field) or FIELD_LABELS.get(FORM_TO_CASE.get(field, field), (field, field))


def _required(field: str) -> RuleError:
    label_th, label_en = _label(field)
    verb_th = "กรุณาเลือก" if field in ("case_type", "province") else "กรุณากรอก"
    return RuleError(f"{label_en}: is required.", f"{label_th}: {verb_th}", code="required", field=field)


def _as_form_error(error: RuleError) -> RuleError:
    """A case-rule error renamed to the form's field, so the message lands beside the right input."""
    field = CASE_TO_FORM.get(error.field or "", error.field)
    return RuleError(error.message_en, error.message_th, code=error.code, field=field)


def complaint_fields(form: Mapping[str, str], public_type_ids: Collection[int]) -> dict:
    """Case fields for the case service, or ValidationFailed listing every bad form field."""
    if (form.get(HONEYPOT_FIELD) or "").strip():
        raise LooksAutomated()
    errors: list[RuleError] = []
    # Cleaned before the required check: blanks or invisible characters alone are not an answer.
    values = {name: clean_text(form.get(name)) or "" for name in FORM_TO_CASE}
    for name in REQUIRED:
        if not values[name]:
            errors.append(_required(name))

    if values["case_type"]:
        type_id = whole_number(values["case_type"])
        if type_id not in public_type_ids:
            errors.append(RuleError("Kind of complaint: choose one from the list.",
                                    "ประเภทเรื่องร้องเรียน: กรุณาเลือกจากรายการ", code="unknown_case_type",
                                    field="case_type"))
        values["case_type"] = str(type_id) if type_id in public_type_ids else ""

    # The province list sends the province code; a typed name is accepted too.
    province = geo.province_by_code(values["province"]) if values["province"] else None
    if province is not None:
        values["province"] = province.name_th

    data = {FORM_TO_CASE[name]: value for name, value in values.items() if value}
    data["channel"] = "web"
    try:
        fields = validate_case_fields(data, creating=False)
    except ValidationFailed as failed:
        errors.extend(_as_form_error(e) for e in failed.errors)
        fields = None
    if errors:
        raise ValidationFailed(_dedupe(errors))
    fields["case_type_id"] = int(values["case_type"])
    return fields


def _dedupe(errors: list[RuleError]) -> list[RuleError]:
    seen, out = set(), []
    for error in errors:
        key = (error.field, error.code)
        if key not in seen:
            seen.add(key)
            out.append(error)
    return out

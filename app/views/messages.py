"""Mapping service errors to what a screen shows, in the user's language."""
from __future__ import annotations

from flask import flash

from app.domain.case_rules import FIELD_LABELS, ValidationFailed
from app.domain.errors import RuleError
from app.i18n import lang

# Service field names that the form calls otherwise.
FORM_FIELD = {"case_type_id": "case_type", "assignee_id": "assignee"}


def _without_label(item: RuleError, language: str) -> str:
    """A field's message as the form shows it, beside the field's own label and after it in the
    summary: without the rules' "อีเมล: " in front, which named the field twice."""
    message = item.message(language)
    labels = FIELD_LABELS.get(item.field or "")
    if labels:
        prefix = f"{labels[0] if language == 'th' else labels[1]}: "
        if message.startswith(prefix):
            return message[len(prefix):]
    return message


def flash_error(error: RuleError, form=None) -> None:
    """A refused field's message goes to that field of the form, which shows it there and in
    its summary; only what no field of the form holds is flashed above it."""
    language = lang()
    items = error.errors if isinstance(error, ValidationFailed) else [error]
    for item in items:
        name = FORM_FIELD.get(item.field, item.field)
        if form is not None and name and name in form:
            form[name].errors = list(form[name].errors or []) + [_without_label(item, language)]
        else:
            flash(item.message(language), "danger")

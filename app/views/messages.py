"""Mapping service errors to what a screen shows, in the user's language."""
from __future__ import annotations

from flask import flash

from app.domain.case_rules import errors_of, without_label
from app.domain.errors import RuleError
from app.i18n import lang

# Service field names that the form calls otherwise.
FORM_FIELD = {"case_type_id": "case_type", "assignee_id": "assignee"}


def flash_error(error: RuleError, form=None) -> None:
    """A refused field's message goes to that field of the form, which shows it there and in
    its summary; only what no field of the form holds is flashed above it."""
    language = lang()
    for item in errors_of(error):
        name = FORM_FIELD.get(item.field, item.field)
        if form is not None and name and name in form:
            form[name].errors = list(form[name].errors or []) + [without_label(item, language)]
        else:
            flash(item.message(language), "danger")


def errors_by_field(error: RuleError, names) -> dict[str, str]:
    """A refused form's messages by the name of the field each is about, for the fields `names`
    holds (the form shows them at those fields, without the field's name in front); any other
    message is flashed above the page."""
    language = lang()
    found: dict[str, str] = {}
    for item in errors_of(error):
        name = FORM_FIELD.get(item.field, item.field)
        if name and name in names:
            message = without_label(item, language)
            found[name] = f"{found[name]} {message}" if name in found else message
        else:
            flash(item.message(language), "danger")
    return found

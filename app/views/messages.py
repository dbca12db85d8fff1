"""Mapping service errors to what a screen shows, in the user's language."""
from __future__ import annotations

from flask import flash

from app.domain.case_rules import ValidationFailed
from app.domain.errors import RuleError
from app.i18n import lang

# Service field names that the form calls otherwise.
FORM_FIELD = {"case_type_id": "case_type", "assignee_id": "assignee"}


def flash_error(error: RuleError, form=None) -> None:
    language = lang()
    if isinstance(error, ValidationFailed):
        for item in error.errors:
            name = FORM_FIELD.get(item.field, item.field)
            if form is not None and name and name in form:
                form[name].errors = list(form[name].errors or []) + [item.message(language)]
            flash(item.message(language), "danger")
        return
    flash(error.message(language), "danger")

"""Form fields shared by the case screens, with Thai and English choice labels."""
from __future__ import annotations

from flask_appbuilder.fieldwidgets import BS3TextAreaFieldWidget, Select2Widget
from flask_babel import lazy_gettext as _l, lazy_ngettext
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import ValidationError

from app.domain.case_rules import MAX_LENGTHS
from app.domain.errors import RuleError
from app.domain.statuses import CHANNEL_LABELS, PRIORITY_LABELS, SLA_FLAG_LABELS, STATUS_LABELS, KIND_LABELS
from app.i18n import lang


# WTForms' own messages that a staff form can show. WTForms has no Thai catalogue; naming them
# here puts them in the app's, where WTForms finds them (app.i18n.FormMessages), with the limits
# of a number or a length still to be written in.
WTFORMS_MESSAGES = (
    _l("Not a valid choice."), _l("Invalid Choice: could not coerce."), _l("Not a valid integer value."),
    _l("Not a valid decimal value."), _l("Not a valid float value."), _l("Invalid input."),
    _l("Invalid email address."), _l("Invalid URL."),
    _l("Number must be between %(min)s and %(max)s."), _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    lazy_ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1),
    lazy_ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1),
    lazy_ngettext("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long.", 1),
    _l("Field must be between %(min)d and %(max)d characters long."),
)


class LabelledSelectField(SelectField):
    """A select whose option labels follow the user's language at render time."""

    def __init__(self, label=None, labels=None, allow_blank=False, **kwargs):
        self._labels = labels or {}
        self._allow_blank = allow_blank
        kwargs.setdefault("widget", Select2Widget())
        super().__init__(label, choices=self._choices, validate_choice=True, **kwargs)

    def _choices(self):
        index = 0 if lang() == "th" else 1
        blank = [("", "—")] if self._allow_blank else []
        return blank + [(str(value), pair[index]) for value, pair in self._labels.items()]

    def pre_validate(self, form):
        if self._allow_blank and not self.data:
            return
        super().pre_validate(form)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self._allow_blank and self.data == "":
            self.data = None


def province_choices():
    from app.domain.geo import provinces

    index = lang()
    return [("", "—")] + [(p.name_th, p.name_th if index == "th" else p.name_en) for p in provinces()]


class ProvinceField(SelectField):
    def __init__(self, label=None, **kwargs):
        kwargs.setdefault("widget", Select2Widget())
        super().__init__(label, choices=province_choices, validate_choice=True, **kwargs)

    def pre_validate(self, form):
        if not self.data:
            return
        super().pre_validate(form)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data == "":
            self.data = None


def case_form_extra_fields() -> dict:
    return {
        # A case typed in on screen came by phone far more often than by any other way: the web
        # form, Traffy Fondue and departmental systems file their own.
        "channel": LabelledSelectField(_l("Channel"), labels=CHANNEL_LABELS, default="phone"),
        # A new case is of normal priority, as the API and the import file it, until someone says otherwise.
        "priority": LabelledSelectField(_l("Priority"), labels=PRIORITY_LABELS, default="normal"),
        "province": ProvinceField(_l("Province")),
        "description": TextAreaField(_l("Description"), widget=BS3TextAreaFieldWidget(),
                                     render_kw={"maxlength": MAX_LENGTHS["description"]}),
        "version": HiddenField(),
    }


def case_search_extra_fields() -> dict:
    return {
        "status": LabelledSelectField(_l("Status"), labels=STATUS_LABELS),
        "kind": LabelledSelectField(_l("Kind"), labels=KIND_LABELS),
        "sla_flag": LabelledSelectField(_l("SLA"), labels=SLA_FLAG_LABELS),
        # No default: a filter the user adds starts from no choice (the add form's defaults are
        # for new cases, not for searching).
        "channel": LabelledSelectField(_l("Channel"), labels=CHANNEL_LABELS),
        "priority": LabelledSelectField(_l("Priority"), labels=PRIORITY_LABELS),
        "province": ProvinceField(_l("Province")),
    }


def case_type_label(case_type) -> str:
    """A case type in a drop-down: its name in the reader's language, then its code."""
    return f"{case_type.name_th if lang() == 'th' else case_type.name_en} ({case_type.code})"


def offer_current_choice(field, current) -> None:
    """A drop-down that lists only active records (case types) still offers the one the record
    being edited holds, so that a save that does not touch it keeps it: without it the browser
    would send the first choice, and an edit of the title would retype the case."""
    if current is None or field is None:
        return
    listed = field.query_func

    def with_current():
        choices = list(listed())
        return choices if any(choice.id == current.id for choice in choices) else [current, *choices]

    field.query_func = with_current


def label_case_types_by_language(*form_classes) -> None:
    """Flask-AppBuilder offers related records by their repr (code and Thai name); the case
    type drop-downs name them in the reader's language instead."""
    for form_class in form_classes:
        field = getattr(form_class, "case_type", None) if form_class is not None else None
        if field is not None and hasattr(field, "kwargs"):
            field.kwargs["get_label"] = case_type_label


def rule_validator(check):
    """A WTForms validator from a pure rule (check(value) -> cleaned value, or RuleError): the
    field keeps the cleaned value (None for an empty one), and a refusal reads in the user's
    language."""
    def validate(form, field):
        try:
            field.data = check(field.data)
        except RuleError as error:
            raise ValidationError(error.message(lang())) from None
    return validate


def agency_label(agency) -> str:
    """An agency in a drop-down: its code and its name in the reader's language."""
    return agency.label(lang())


def name_related_choices(form_classes, name: str, *, get_label=None, blank_text=None) -> None:
    """A drop-down of related records as Flask-AppBuilder makes it offers each by its repr (an
    agency by its code, a role by its English name) and an empty choice by its value, "__None"
    (WTForms shows a choice's value when it has no label). Name them, and say what an empty
    choice means, in the reader's language."""
    for form_class in form_classes:
        field = getattr(form_class, name, None) if form_class is not None else None
        if field is None or not hasattr(field, "kwargs"):
            continue
        if get_label is not None:
            field.kwargs["get_label"] = get_label
        if blank_text is not None:
            field.kwargs["blank_text"] = blank_text

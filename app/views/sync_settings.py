"""The sync settings on the administrators' agency screen: connector kind, connector settings and
status map (typed as JSON), interval and on/off switch, and the sync cursor shown read-only."""
from __future__ import annotations

import json

from flask_appbuilder.fieldwidgets import Select2Widget
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.widgets import TextArea
from wtforms.validators import NumberRange, ValidationError

from app.domain.errors import RuleError
from app.domain.sync_settings import (
    MASK, MAX_SYNC_INTERVAL_MINUTES, MIN_SYNC_INTERVAL_MINUTES, SECRET_SETTINGS, parse_connector_settings,
    parse_status_map,
)
from app.i18n import format_datetime, lang

SYNC_EDIT_COLUMNS = ["connector_kind", "connector_settings", "status_map", "sync_interval_minutes", "sync_enabled"]
SYNC_SHOW_COLUMNS = SYNC_EDIT_COLUMNS + ["sync_cursor", "last_synced_at", "last_catch_up_at"]


def connector_kinds() -> list[tuple[str, str, str, list[str]]]:
    """(kind, Thai label, English label, setting keys) from the connector registry, if installed."""
    try:
        from app.connectors.registry import available_kinds
    except ImportError:
        return []
    return available_kinds()


def _settings_keys(kind: str | None) -> list[str] | None:
    for name, _th, _en, keys in connector_kinds():
        if name == kind:
            return keys
    return None


def masked(settings: dict | None) -> dict | None:
    if not settings:
        return settings
    return {key: (MASK if key in SECRET_SETTINGS and value not in (None, "") else value)
            for key, value in settings.items()}


class ConnectorKindField(SelectField):
    def __init__(self, label=None, **kwargs):
        kwargs.setdefault("widget", Select2Widget())
        super().__init__(label, choices=self._choices, validate_choice=True, **kwargs)

    def _choices(self):
        index = 1 if lang() == "th" else 2
        return [("", "—")] + [(kind[0], kind[index]) for kind in connector_kinds()]

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data == "":
            self.data = None

    def pre_validate(self, form):
        if self.data:
            super().pre_validate(form)


class TallTextAreaWidget(TextArea):
    """Flask-AppBuilder's text area (BS3TextAreaFieldWidget), tall enough to read a status map or
    connector settings without scrolling: its own is always 3 rows."""

    def __call__(self, field, **kwargs):
        kwargs["class"] = "form-control"
        kwargs["rows"] = 10
        return super().__call__(field, **kwargs)


class JsonObjectField(TextAreaField):
    """A JSON object typed as text: shown as indented JSON, parsed and checked on submit."""

    widget = TallTextAreaWidget()

    def __init__(self, label=None, parser=None, **kwargs):
        super().__init__(label, **kwargs)
        self._parser = parser
        self._typed: str | None = None
        self._error: RuleError | None = None

    def _parse(self, text: str, form):
        return self._parser(text)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self._typed = valuelist[0]
        self.data = None

    def pre_validate(self, form):
        if self._typed is None:
            return
        try:
            self.data = self._parse(self._typed, form)
        except RuleError as error:
            raise ValidationError(error.message(lang())) from None

    def _value(self):
        if self._typed is not None:
            return self._typed
        if not self.data:
            return ""
        return json.dumps(self.data, ensure_ascii=False, indent=2)


class StatusMapField(JsonObjectField):
    def __init__(self, label=None, **kwargs):
        super().__init__(label, parser=parse_status_map, **kwargs)


class ConnectorSettingsField(JsonObjectField):
    """Connector settings, checked against the keys the chosen kind reads; secrets masked."""

    def _parse(self, text: str, form):
        kind_field = form["connector_kind"] if "connector_kind" in form else None
        keys = _settings_keys(kind_field.data) if kind_field is not None else None
        # A masked secret stays masked here; SyncSettingsMixin puts the stored value back.
        return parse_connector_settings(text, keys)

    def _value(self):
        if self._typed is not None:
            return self._typed
        return json.dumps(masked(self.data), ensure_ascii=False, indent=2) if self.data else ""


def restore_masked_secrets(item) -> None:
    """A secret sent back as the mask means "unchanged": put the stored value back."""
    settings = item.connector_settings
    if not settings or not any(settings.get(key) == MASK for key in SECRET_SETTINGS):
        return
    from sqlalchemy import inspect

    history = inspect(item).attrs.connector_settings.history
    stored = (history.deleted[0] if history.deleted else None) or {}
    item.connector_settings = {
        key: (stored.get(key) if key in SECRET_SETTINGS and value == MASK else value)
        for key, value in settings.items()
    }


class SyncSettingsMixin:
    """For the agency ModelView: keeps stored secrets the form showed masked."""

    def pre_add(self, item):
        restore_masked_secrets(item)
        super().pre_add(item)

    def pre_update(self, item):
        restore_masked_secrets(item)
        super().pre_update(item)


def sync_form_extra_fields() -> dict:
    return {
        "connector_kind": ConnectorKindField(_l("Departmental system kind")),
        "connector_settings": ConnectorSettingsField(
            _l("Connection settings (JSON)"),
            description=_l('e.g. {"base_url": "https://...", "token": "...", "timeout": 10, "page_size": 500}')),
        "status_map": StatusMapField(
            _l("Status map (JSON)"),
            description=_l('External status → our status, e.g. {"APPROVED": "resolved", "PENDING_DOCS": '
                           '"waiting_applicant"}')),
    }


SYNC_LABELS = {
    "connector_kind": _l("Departmental system kind"),
    "connector_settings": _l("Connection settings (JSON)"),
    "status_map": _l("Status map (JSON)"),
    "sync_interval_minutes": _l("Sync every (minutes)"),
    "sync_enabled": _l("Sync status automatically"),
    "sync_cursor": _l("Updates applied up to"),
    "last_synced_at": _l("Last synced"),
    "last_catch_up_at": _l("Last nightly catch-up"),
}

SYNC_VALIDATORS = {
    "sync_interval_minutes": [NumberRange(min=MIN_SYNC_INTERVAL_MINUTES, max=MAX_SYNC_INTERVAL_MINUTES)],
}


def kind_label(kind: str | None) -> str:
    for name, label_th, label_en, _keys in connector_kinds():
        if name == kind:
            return label_th if lang() == "th" else label_en
    return kind or ""


SYNC_FORMATTERS = {
    "connector_kind": kind_label,
    "connector_settings": lambda v: json.dumps(masked(v), ensure_ascii=False) if v else "",
    "status_map": lambda v: json.dumps(v, ensure_ascii=False) if v else "",
    "sync_cursor": format_datetime,
    "last_synced_at": format_datetime,
    "last_catch_up_at": format_datetime,
}

"""The settings history screen (administrators): read-only, newest first, field by field."""
from __future__ import annotations

import re
from datetime import date

from flask_appbuilder import ModelView
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.domain import settings_history as rules
from app.domain.roles import ROLE_LABELS
from app.domain.statuses import STATUS_LABELS, label
from app.i18n import format_date, format_datetime, lang
from app.models import SettingsChange
from app.services.settings_history import COMMAND_LINE
from app.views.datamodel import BoundedPagesMixin
from app.views.date_fields import DateEntryMixin
from app.views.forms import LabelledSelectField


# Values the screens word in the reader's language: our statuses in a status map, role names.
_WORDED = {"status_map": STATUS_LABELS, "roles": ROLE_LABELS}
# Fields that hold a day, kept as ISO text (an extra holiday's): shown as the screens write dates.
_DAYS = {"day"}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _day(value):
    """An ISO day as the screens write dates ('30 ธ.ค. 2569', '30 Dec 2026'); anything else as it is."""
    if isinstance(value, str) and _ISO_DAY.match(value):
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            pass
    return value


def _translate_for(entry: dict):
    if entry.get("field") in _DAYS:
        return _day
    labels = _WORDED.get(entry.get("field"))
    if labels is None:
        return None
    return lambda value: label(labels, value, lang())


def _actor(value: str) -> str:
    if value == COMMAND_LINE:
        return "คำสั่งในเครื่องแม่ข่าย" if lang() == "th" else "Command line"
    return value


def _changes(entries) -> Markup:
    """Every entry on its own line."""
    return Markup("<br>").join(rules.entry_text(entry, lang(), _translate_for(entry)) for entry in entries or ())


class SettingsChangeView(BoundedPagesMixin, DateEntryMixin, ModelView):
    route_base = "/settings-history"
    datamodel = SQLAInterface(SettingsChange)
    class_permission_name = "SettingsChange"
    method_permission_name = {"list": "read", "show": "read"}
    base_permissions = ["can_read"]
    # The history is written where settings are saved, never by hand.
    exclude_route_methods = {"add", "edit", "delete", "action", "action_post", "api", "api_read", "api_get",
                             "api_create", "api_update", "api_delete", "api_column_add", "api_column_edit",
                             "api_readvalues"}
    base_order = ("at", "desc")
    page_size = 50
    list_title = _l("Settings history")
    show_title = _l("Settings change")
    list_columns = ["at", "actor_label", "entity", "entity_label", "action", "summary"]
    show_columns = ["at", "actor_label", "entity", "entity_label", "action", "changes"]
    # entity_id: an agency's page links to its own history by it.
    search_columns = ["at", "actor_label", "entity", "entity_label", "entity_id", "action"]
    order_columns = ["at", "actor_label", "entity", "entity_label", "action"]
    search_form_extra_fields = {
        "entity": LabelledSelectField(_l("Record"), labels=rules.ENTITY_LABELS),
        "action": LabelledSelectField(_l("Action"), labels=rules.ACTION_LABELS),
    }
    label_columns = {
        "at": _l("When"), "actor_label": _l("By"), "entity": _l("Record"), "entity_label": _l("Name or code"),
        "entity_id": _l("Record number"),
        "action": _l("Action"), "summary": _l("What changed"), "changes": _l("What changed"),
    }
    formatters_columns = {
        "at": format_datetime,
        "actor_label": _actor,
        # An extra holiday is named by its day.
        "entity_label": _day,
        "entity": lambda value: rules.entity_label(value, lang()),
        "action": lambda value: rules.action_label(value, lang()),
        "changes": _changes,
        "summary": lambda entries: rules.summary(entries, lang()),
    }


def register_settings_history(appbuilder) -> None:
    appbuilder.add_view(SettingsChangeView, "Settings history", icon="fa-list-alt", label=_l("Settings history"),
                        category="Administration")

"""Recording the settings history where changes are saved: a listener on every session's flush.

Whatever saves an agency, a case type, an extra holiday, an Open311 client or a staff account
(the generated screens, Flask-AppBuilder's user screens, the command line, a test) goes through
a flush; the record is written in the same transaction, so a change that is rolled back leaves
no history and a change that is kept always has one. Only the fields administrators set are
followed: what jobs and logins write (sync cursors, last login, key last used) is not a setting.
"""
from __future__ import annotations

from itertools import chain

from flask import g, has_request_context
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from app.domain.settings_history import CHANGED, CREATED, DELETED, Tracked, changes
from app.domain.sync_settings import SECRET_SETTINGS
from app.models import Agency, CaseType, ExtraHoliday, Open311Client, SettingsChange, StaffUser
from app.models.types import utcnow

COMMAND_LINE = "command line"

TRACKED: dict[type, Tracked] = {
    Agency: Tracked("agency", (
        "code", "short_th", "name_th", "name_en", "description", "active", "contact_phone", "contact_email",
        "contact_office", "connector_kind",
        "connector_settings", "status_map", "sync_interval_minutes", "sync_enabled",
    ), keyed=frozenset({"connector_settings", "status_map"}), secret_keys=SECRET_SETTINGS),
    CaseType: Tracked("case_type", (
        "code", "agency", "kind", "name_th", "name_en", "sla_days", "at_risk_share", "first_response_days",
        "public", "active",
    )),
    ExtraHoliday: Tracked("extra_holiday", ("day", "name_th", "name_en")),
    Open311Client: Tracked("open311_client", ("name", "agency", "active", "api_key_hash"),
                           secret_fields=frozenset({"api_key_hash"})),
    StaffUser: Tracked("user", (
        "username", "first_name", "last_name", "email", "agency", "roles", "active", "password",
    ), secret_fields=frozenset({"password"})),
}
# A relationship followed by its name, and the column that holds its key: code that sets the
# key alone (the command line, a seed) leaves the relationship's history empty.
FOREIGN_KEYS = {"agency": "agency_id"}


def entity_label(item) -> str:
    if isinstance(item, CaseType):
        return f"{_value(item, 'agency')} {item.code}"
    if isinstance(item, ExtraHoliday):
        return item.day.isoformat() if item.day else ""
    if isinstance(item, StaffUser):
        return item.username or ""
    return str(item)


def _field_history(item, field: str):
    """(changed, old, new) of one field since the item was loaded."""
    state = inspect(item)
    history = state.attrs[field].history
    if field in FOREIGN_KEYS and not history.has_changes():
        key_history = state.attrs[FOREIGN_KEYS[field]].history
        if key_history.has_changes():
            return True, _related_name(item, field, key_history.deleted), _related_name(item, field, key_history.added)
    if not history.has_changes():
        return False, None, None
    relationship = state.mapper.relationships.get(field)
    if relationship is not None and relationship.uselist:
        return True, list(history.unchanged) + list(history.deleted), list(history.unchanged) + list(history.added)
    return True, (history.deleted[0] if history.deleted else None), (history.added[0] if history.added else None)


def _related_name(item, field: str, keys) -> str | None:
    key = next((key for key in keys if key is not None), None)
    if key is None:
        return None
    related = inspect(item).mapper.relationships[field].mapper.class_
    session = inspect(item).session
    found = session.get(related, key) if session is not None else None
    return str(found) if found is not None else str(key)


def _value(item, field: str):
    value = getattr(item, field)
    if value is None and field in FOREIGN_KEYS:
        key = getattr(item, FOREIGN_KEYS[field])
        return None if key is None else _related_name(item, field, [key])
    return value


def _values(item, fields) -> dict:
    return {field: _value(item, field) for field in fields}


def _entries(item, tracked: Tracked, action: str) -> list[dict]:
    if action == CREATED:
        return changes(tracked, {}, _values(item, tracked.fields))
    if action == DELETED:
        return changes(tracked, _values(item, tracked.fields), {})
    before, after = {}, {}
    for field in tracked.fields:
        changed, old, new = _field_history(item, field)
        if changed:
            before[field], after[field] = old, new
    return changes(tracked, before, after)


def _actor() -> tuple[int | None, str]:
    user = getattr(g, "user", None) if has_request_context() else None
    if user is not None and getattr(user, "is_authenticated", False):
        return user.id, user.username
    return None, COMMAND_LINE


def record_changes(session: Session, _flush_context) -> None:
    """after_flush: the flushed items still show their history; ids of new ones are known."""
    rows = []
    now = None
    for item, action in chain(((item, CREATED) for item in session.new),
                              ((item, CHANGED) for item in session.dirty),
                              ((item, DELETED) for item in session.deleted)):
        tracked = TRACKED.get(type(item))
        if tracked is None:
            continue
        entries = _entries(item, tracked, action)
        if not entries and action == CHANGED:
            continue
        if now is None:
            now = utcnow()
            actor_id, actor_label = _actor()
        rows.append({"at": now, "actor_id": actor_id, "actor_label": actor_label[:200], "entity": tracked.entity,
                     "entity_id": item.id,
                     "entity_label": entity_label(item)[:200], "action": action, "changes": entries})
    if rows:
        session.connection().execute(insert(SettingsChange.__table__), rows)


def install() -> None:
    """Follows every session of the process (once, however many apps are made)."""
    if not event.contains(Session, "after_flush", record_changes):
        event.listen(Session, "after_flush", record_changes)

"""An edit event's changes as people read them: each field by its label, each value as the
screens show it (labels for coded values, Bangkok dates, names for ids), not as stored.

Pure: the caller gives the field labels, the names of ids and the way to show a moment.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from app.domain.statuses import (
    CHANNEL_LABELS, KIND_LABELS, PRIORITY_LABELS, SLA_FLAG_LABELS, STATUS_LABELS, YES_NO_LABELS, label,
)

CODED_VALUES = {"status": STATUS_LABELS, "priority": PRIORITY_LABELS, "channel": CHANNEL_LABELS,
                "kind": KIND_LABELS, "sla_flag": SLA_FLAG_LABELS}
# Fields an edit records as a moment, written into the event as ISO 8601 text (an import's).
MOMENTS = frozenset({"submitted_at", "closed_at"})
EMPTY = "—"


def shown_value(field: str, value: Any, lang: str, *, names: Mapping[str, Mapping[Any, str]] | None = None,
                moment: Callable[[datetime], str] = str) -> str:
    if value is None or value == "":
        return EMPTY
    if field in CODED_VALUES:
        return label(CODED_VALUES[field], value, lang)
    if isinstance(value, bool):
        return label(YES_NO_LABELS, value, lang)
    if field in MOMENTS and isinstance(value, str):
        try:
            return moment(datetime.fromisoformat(value))
        except ValueError:
            return value
    if names and field in names:
        return names[field].get(value, str(value))
    return str(value)


def change_lines(changes: Mapping[str, Any] | None, lang: str, field_label: Callable[[str], str], *,
                 names: Mapping[str, Mapping[Any, str]] | None = None,
                 moment: Callable[[datetime], str] = str) -> list[tuple[str, str, str]]:
    """(label, before, after) for each changed field, in the order the event holds them."""
    lines = []
    for field, pair in (changes or {}).items():
        before, after = (list(pair) + [None, None])[:2] if isinstance(pair, (list, tuple)) else (None, pair)
        lines.append((field_label(field), shown_value(field, before, lang, names=names, moment=moment),
                      shown_value(field, after, lang, names=names, moment=moment)))
    return lines

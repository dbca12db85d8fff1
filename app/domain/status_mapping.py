"""A departmental system's statuses to ours, through each agency's table; never a guess.

Each agency may store a status map, {external status: our status}, in `agency.status_map`. Its
entries override the connector kind's `default_status_map` (for the REST/JSON kind, our own codes;
for Traffy Fondue, its states start, inprogress, follow, ...). A status neither table knows maps to
None: the sync leaves that update unapplied and records the status (count, last seen, an example
reference) so an administrator can add it to the map.

Lookup is exact first, then ignoring case and surrounding spaces, so "Finish " finds "finish"; a
stored entry whose value is not one of our statuses is a configuration error that fails the run
with its reason, never silently dropped.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from app.domain.statuses import STATUS_LABELS, Status

MAX_EXTERNAL_STATUS_LENGTH = 100  # unknown_external_status.external_status
_OUR_STATUSES = frozenset(str(status) for status in Status)


class StatusMapError(ValueError):
    """An agency's stored status map holds entries that cannot be used; the message says which."""


def _normal(external: str) -> str:
    return external.strip().casefold()


def unusable_entries(raw) -> list[str]:
    """Why a stored status map cannot be used, one line per bad entry (empty when it can).

    The agency screen checks what administrators type (domain/sync_settings.parse_status_map);
    this guards the sync against a map stored some other way.
    """
    if raw is None:
        return []
    if not isinstance(raw, Mapping):
        return ["the status map is not a table of external status → our status"]
    known = ", ".join(sorted(_OUR_STATUSES))
    problems = []
    for external, ours in raw.items():
        if not isinstance(external, str) or not external.strip():
            problems.append(f"the status map has an empty external status (→ {ours!r})")
        elif not isinstance(ours, str) or ours not in _OUR_STATUSES:
            problems.append(f"the status map sends {external!r} to {ours!r}, which is not one of our statuses ({known})")
    return problems


@dataclass(frozen=True)
class StatusMapping:
    """{external status: our status}, looked up exactly and then case-insensitively."""

    table: Mapping[str, Status]
    _folded: Mapping[str, Status] = field(repr=False, compare=False)

    @classmethod
    def build(cls, agency_map: Mapping | None, default_map: Mapping | None = None) -> StatusMapping:
        """The agency's map over the connector kind's defaults; raises StatusMapError when the
        agency's map is unusable (the defaults are code, trusted)."""
        problems = unusable_entries(agency_map)
        if problems:
            raise StatusMapError("; ".join(problems))
        table = {str(k): Status(v) for k, v in (default_map or {}).items()}
        # An agency entry replaces a default spelled differently too ("Finish" over "finish").
        agency_entries = {str(k): Status(v) for k, v in (agency_map or {}).items()}
        overridden = {_normal(k) for k in agency_entries}
        table = {k: v for k, v in table.items() if _normal(k) not in overridden}
        table.update(agency_entries)
        return cls(table, {_normal(k): v for k, v in table.items()})

    def status_for(self, external: str | None) -> Status | None:
        """Our status for an external one, or None when the map does not know it."""
        if external is None:
            return None
        if type(external) is not str:
            external = str(external)  # a system that numbers its statuses: "3" in the map
        found = self.table.get(external)
        if found is None:
            found = self._folded.get(_normal(external))
        return found

    def describe(self, lang: str = "en") -> list[tuple[str, str]]:
        """(external status, our status's label) rows for a screen, sorted by external status."""
        pick = 0 if lang == "th" else 1
        return [(k, STATUS_LABELS[v][pick]) for k, v in sorted(self.table.items())]


@dataclass
class UnknownStatusSeen:
    external_status: str
    count: int
    first_seen: datetime
    last_seen: datetime
    example_ref: str


class UnknownStatusLog:
    """Tallies the unknown external statuses one run meets, to record them in one write each.

    `count` is how many updates carried a status, each counted once. Runs read updates again (the
    overlap below the cursor, the nightly catch-up, a read-back after a map change), and an
    update carries no mark of having been counted, so a status's occurrences dated within the
    span already recorded for it (`recorded`: {status: (first seen, last seen)}, as stored before
    the run) are taken for ones counted before: the count never grows by reading again, and one
    update published late with a time inside that span is listed but not counted. Every
    occurrence still widens the span and may be the example.
    """

    def __init__(self, recorded: Mapping[str, tuple[datetime, datetime]] | None = None):
        self._seen: dict[str, UnknownStatusSeen] = {}
        self._recorded = recorded or {}
        self._update_ids: set = set()

    def record(self, external_status, reference: str, at: datetime, update_id=None) -> None:
        if update_id is not None:
            if update_id in self._update_ids:
                return  # the same update again within the run (a page repeated)
            self._update_ids.add(update_id)
        # Kept within the column's width: a status that long is garbage, still worth showing.
        text = str(external_status if external_status is not None else "")[:MAX_EXTERNAL_STATUS_LENGTH]
        span = self._recorded.get(text)
        new = 0 if span is not None and span[0] <= at <= span[1] else 1
        seen = self._seen.get(text)
        if seen is None:
            self._seen[text] = UnknownStatusSeen(text, new, at, at, reference)
            return
        seen.count += new
        if at < seen.first_seen:
            seen.first_seen = at
        if at >= seen.last_seen:
            seen.last_seen = at
            seen.example_ref = reference

    def entries(self) -> list[UnknownStatusSeen]:
        """The statuses met, by name; those met only within their recorded span add nothing."""
        return sorted((seen for seen in self._seen.values() if seen.count), key=lambda seen: seen.external_status)

    @property
    def total(self) -> int:
        return sum(seen.count for seen in self._seen.values())

    def __bool__(self) -> bool:
        return bool(self._seen)

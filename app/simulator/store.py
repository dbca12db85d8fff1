"""Where the simulator keeps events: one time-ordered feed per (system, agency).

Feeds are plain sorted lists searched with bisect, and each REST event is serialised to its
JSON bytes once, when it is stored, so a page of thousands of updates is a slice and a join.
"""
from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from operator import attrgetter

from app.simulator.data import REST, PlannedCase

UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)


def to_micros(moment: datetime) -> int:
    return (moment - UNIX_EPOCH) // ONE_MICROSECOND


def from_micros(micros: int) -> datetime:
    return UNIX_EPOCH + timedelta(microseconds=micros)


def iso_z(moment: datetime) -> str:
    """ISO 8601 of an aware UTC datetime, ending in Z."""
    return moment.isoformat(timespec="microseconds")[:-6] + "Z"


def parse_moment(text: str) -> datetime:
    """An aware UTC datetime from ISO 8601; without an offset the time is UTC."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def rest_fragment(update_id, reference, status, moment, note, organisation) -> bytes:
    return json.dumps(
        {
            "id": update_id,
            "reference": reference,
            "status": status,
            "occurred_at": iso_z(moment),
            "note": note,
            "organisation": organisation,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


class FeedItem:
    __slots__ = ("key", "update_id", "reference", "status", "at", "note", "organisation", "org_id", "fragment")

    def __init__(self, update_id, reference, status, at, note=None, organisation=None, org_id=None,
                 *, micros=None, fragment=None):
        self.key = (to_micros(at) if micros is None else micros, update_id)
        self.update_id = update_id
        self.reference = reference
        self.status = status
        self.at = at
        self.note = note
        self.organisation = organisation
        self.org_id = org_id
        self.fragment = fragment


class Feed:
    """Events of one system and agency, ordered by (time, update id)."""

    def __init__(self, system: str, agency: str):
        self.system = system
        self.agency = agency
        self.items: list[FeedItem] = []
        self.by_reference: dict[str, list[FeedItem]] = {}
        self._keys: list[tuple[int, str]] = []
        self._ordered = True

    def add(self, item: FeedItem) -> None:
        if self.system == REST and item.fragment is None:
            item.fragment = rest_fragment(
                item.update_id, item.reference, item.status, item.at, item.note, item.organisation
            )
        if self._ordered and self.items and item.key < self.items[-1].key:
            self._ordered = False
        self.items.append(item)
        if self._ordered:
            self._keys.append(item.key)
        self.by_reference.setdefault(item.reference, []).append(item)

    def remove(self, reference: str) -> None:
        doomed = {id(item) for item in self.by_reference.pop(reference, ())}
        if doomed:
            self.items = [item for item in self.items if id(item) not in doomed]
            self._keys = [item.key for item in self.items]

    def _order(self) -> None:
        if not self._ordered:
            self.items.sort(key=attrgetter("key"))
            self._keys = [item.key for item in self.items]
            for timeline in self.by_reference.values():
                timeline.sort(key=attrgetter("key"))
            self._ordered = True

    def window(self, since_us: int | None, until_us: int | None, now_us: int, after: tuple | None = None):
        """(start, lo, hi): the visible items with since <= time < until are [start, hi), and
        those after the cursor key `after` are [lo, hi)."""
        self._order()
        keys = self._keys
        start = 0 if since_us is None else bisect_left(keys, (since_us,))
        hi = bisect_left(keys, (now_us + 1,))
        if until_us is not None:
            hi = min(hi, bisect_left(keys, (until_us,)))
        hi = max(start, hi)
        lo = start if after is None else min(hi, max(start, bisect_right(keys, after)))
        return start, lo, hi

    def timeline(self, reference: str, now_us: int) -> list[FeedItem]:
        self._order()
        return [item for item in self.by_reference.get(reference, ()) if item.key[0] <= now_us]

    def references(self) -> Iterable[str]:
        return self.by_reference.keys()

    def __len__(self) -> int:
        return len(self.items)


class Store:
    def __init__(self, agencies: Iterable[str] = ()):
        self.feeds: dict[tuple[str, str], Feed] = {}
        self.ticket_details: dict[str, dict] = {}
        for agency in agencies:
            self.feed(REST, agency)

    def feed(self, system: str, agency: str) -> Feed:
        feed = self.feeds.get((system, agency))
        if feed is None:
            feed = self.feeds[(system, agency)] = Feed(system, agency)
        return feed

    def existing_feed(self, system: str, agency: str) -> Feed | None:
        return self.feeds.get((system, agency))

    def load(self, cases: Iterable[PlannedCase]) -> None:
        for case in cases:
            feed = self.feed(case.system, case.agency)
            if case.details:
                self.ticket_details[case.reference] = dict(case.details)
            for event in case.events:
                feed.add(
                    FeedItem(event.update_id, case.reference, event.status, event.at, event.note,
                             event.organisation, event.org_id)
                )

    def feeds_of(self, system: str) -> list[Feed]:
        return [feed for (feed_system, _), feed in self.feeds.items() if feed_system == system]

    def counts(self) -> dict:
        return {
            f"{system}/{agency}": {"cases": len(feed.by_reference), "updates": len(feed)}
            for (system, agency), feed in sorted(self.feeds.items())
        }

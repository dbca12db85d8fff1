"""The simulator's present: the wall clock, unless a test sets or shifts it.

Events become visible when this clock reaches their time. `POST /_control/clock` moves it:
`{"now": ISO 8601}` stops it at that moment, `{"advance": seconds}` shifts it (stopped or
running), `{"run": true}` lets a stopped clock run on from where it stands.
"""
from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class SimClock:
    def __init__(self, now: datetime | None = None):
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen: datetime | None = None
        if now is not None:
            self.set(now)

    def now(self) -> datetime:
        frozen = self._frozen
        if frozen is not None:
            return frozen
        return datetime.now(UTC) + self._offset

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._frozen = moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def advance(self, seconds: float) -> None:
        with self._lock:
            if self._frozen is not None:
                self._frozen += timedelta(seconds=seconds)
            else:
                self._offset += timedelta(seconds=seconds)

    def run(self) -> None:
        """Let a stopped clock run on from the moment it shows."""
        with self._lock:
            if self._frozen is not None:
                self._offset = self._frozen - datetime.now(UTC)
                self._frozen = None

    @property
    def running(self) -> bool:
        return self._frozen is None

    def describe(self) -> dict:
        return {"now": self.now().isoformat().replace("+00:00", "Z"), "running": self.running}

"""Misbehaviour the simulator can be told to show, to test the connectors' and sync's defences.

A fault is `{"mode": ..., "rate": p, "count": n, ...}`: it fires on each API request with
probability `rate` (default 1), at most `count` times (default: without end), only on
requests under `/rest` or `/traffy` when `scope` says so. Setting a mode again replaces it;
several modes can be active at once.

| mode | effect on an API request it fires on | options |
|---|---|---|
| slow | answers after `delay` seconds (default 0.5) | delay |
| timeout | holds the request `delay` seconds (default 5), then drops it unanswered | delay |
| error500 | HTTP 500 with a JSON error | |
| auth | HTTP 401, whatever the token | |
| malformed | HTTP 200 whose body is not JSON | |
| truncated | `variant` "cut": the JSON stops half-way; "short": a page's `count` claims `items` (default 5) more than it holds; "disconnect": the connection closes half-way through the announced body; unset: cut and short by turns | variant, items |
| duplicates | a page also repeats `items` (default 3) updates of the page before it (of its own start on a first page) | items |
| out_of_order | a page (and a Traffy timeline) is served newest first, so an older update of a reference follows a newer one | |
| unknown_refs | a page also carries `items` (default 2) updates of references no one knows | items |

Draws use a generator seeded from the simulator's seed, so a run with a given seed and the
same requests misbehaves the same way.
"""
from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, field

FAULT_MODES = (
    "slow",
    "timeout",
    "error500",
    "auth",
    "malformed",
    "truncated",
    "duplicates",
    "out_of_order",
    "unknown_refs",
)
CLEAR_MODES = ("off", "none", "clear")
SCOPES = ("rest", "traffy")
TRUNCATED_VARIANTS = ("cut", "short", "disconnect")

DEFAULT_DELAY = {"slow": 0.5, "timeout": 5.0}
DEFAULT_ITEMS = {"truncated": 5, "duplicates": 3, "unknown_refs": 2}


class FaultError(ValueError):
    """A fault description that cannot be used; the message says why."""


@dataclass
class Fault:
    mode: str
    rate: float | None = None
    count: int | None = None
    delay: float | None = None
    items: int | None = None
    variant: str | None = None
    scope: str | None = None
    fired: int = field(default=0, compare=False)

    @classmethod
    def from_dict(cls, data: dict) -> Fault:
        if not isinstance(data, dict):
            raise FaultError("a fault is a JSON object with a 'mode'")
        unknown = set(data) - {"mode", "rate", "count", "delay", "items", "variant", "scope"}
        if unknown:
            raise FaultError(f"unknown fault option(s): {', '.join(sorted(unknown))}")
        mode = data.get("mode")
        if mode not in FAULT_MODES:
            raise FaultError(f"unknown fault mode {mode!r}; modes: {', '.join(FAULT_MODES + CLEAR_MODES)}")
        try:
            fault = cls(
                mode=mode,
                rate=None if data.get("rate") is None else float(data["rate"]),
                count=None if data.get("count") is None else int(data["count"]),
                delay=None if data.get("delay") is None else float(data["delay"]),
                items=None if data.get("items") is None else int(data["items"]),
                variant=data.get("variant"),
                scope=data.get("scope"),
            )
        except (TypeError, ValueError) as exc:
            raise FaultError(f"bad option for fault {mode!r}: {exc}") from None
        if fault.rate is not None and not 0 <= fault.rate <= 1:
            raise FaultError("rate must be between 0 and 1")
        if fault.count is not None and fault.count < 0:
            raise FaultError("count must not be negative")
        if fault.variant is not None and fault.variant not in TRUNCATED_VARIANTS:
            raise FaultError(f"variant must be one of {', '.join(TRUNCATED_VARIANTS)}")
        if fault.scope is not None and fault.scope not in SCOPES:
            raise FaultError(f"scope must be one of {', '.join(SCOPES)}")
        return fault

    @classmethod
    def parse(cls, text: str) -> Fault:
        """`mode[:key=value,...]`, the command line's form, e.g. `error500:rate=0.1`."""
        mode, _, rest = text.partition(":")
        data: dict = {"mode": mode.strip()}
        for pair in filter(None, (part.strip() for part in rest.split(","))):
            key, sep, value = pair.partition("=")
            if not sep:
                raise FaultError(f"expected key=value in {text!r}")
            data[key.strip()] = value.strip()
        return cls.from_dict(data)

    @property
    def delay_seconds(self) -> float:
        return self.delay if self.delay is not None else DEFAULT_DELAY.get(self.mode, 0.0)

    @property
    def item_count(self) -> int:
        return self.items if self.items is not None else DEFAULT_ITEMS.get(self.mode, 0)

    def truncation(self) -> str:
        """The variant of truncation for this firing."""
        if self.variant:
            return self.variant
        return ("cut", "short")[(self.fired - 1) % 2]

    def describe(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value is not None}


class FaultBook:
    def __init__(self, seed: int = 0):
        self._lock = threading.Lock()
        self._faults: dict[str, Fault] = {}
        self._rng = random.Random(f"rueang-simulator-faults:{seed}")
        self.seed = seed

    def set(self, fault: Fault) -> None:
        with self._lock:
            self._faults[fault.mode] = fault

    def clear(self, mode: str | None = None) -> None:
        with self._lock:
            if mode is None:
                self._faults.clear()
            else:
                self._faults.pop(mode, None)

    def reset(self) -> None:
        with self._lock:
            self._faults.clear()
            self._rng = random.Random(f"rueang-simulator-faults:{self.seed}")

    def active(self) -> list[dict]:
        with self._lock:
            return [fault.describe() for fault in self._faults.values()]

    def draw(self, scope: str) -> dict[str, Fault]:
        """The faults firing on one request under `scope`, spending their counts."""
        firing = {}
        with self._lock:
            if not self._faults:
                return firing
            for mode, fault in list(self._faults.items()):
                if fault.count is not None and fault.count <= 0:
                    del self._faults[mode]
                    continue
                if fault.scope is not None and fault.scope != scope:
                    continue
                if fault.rate is not None and self._rng.random() >= fault.rate:
                    continue
                fault.fired += 1
                firing[mode] = fault
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count <= 0:
                        del self._faults[mode]
        return firing

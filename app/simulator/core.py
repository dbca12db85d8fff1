"""The simulator's state and its request routing, independent of the HTTP server.

`DepartmentSimulator.handle(method, path, query, headers, body)` answers one request:

API (token required: `Authorization: Bearer <token>`, default token "sim-token")
    GET  /rest/{agency}/updates            the agency's feed (app/simulator/rest_api.py)
    GET  /rest/{agency}/cases/{reference}
    POST /traffy/exchange-api/get-auth/v1  (no token: user/pass)   (app/simulator/traffy_api.py)
    GET  /traffy/exchange-api/get-issues/v2
    GET  /traffy/exchange-api/get-issue/v1
    GET  /traffy/exchange-api/get-status-list/v2

Control (no token; a simulator serves loopback)
    POST /_control/cases      [{agency, reference, system?, replace?, details?,
                                updates: [{id?, status, at, note?, organisation?, org_id?}]}]
    POST /_control/generate   {agency, count, updates_per_case?, start?, step_seconds?,
                               system?, prefix?, first_index?, statuses?}
    POST /_control/reset      {empty?}: the seeded data set again (or nothing), no faults,
                               zero counters, the clock as configured
    POST /_control/faults     {mode, rate?, count?, delay?, items?, variant?, scope?} or a
                               list of them; {"mode": "off"} clears (see faults.py)
    GET|DELETE /_control/faults
    GET  /_control/stats      request counters (all API requests, per endpoint and status)
    GET|POST /_control/clock  {now?, advance?, run?} (see clock.py)
    GET  /                    what is served;  GET /health
"""
from __future__ import annotations

import dataclasses
import itertools
import json
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from urllib.parse import unquote

from app.simulator import rest_api, traffy_api
from app.simulator.clock import SimClock
from app.simulator.data import (
    AGENCY_CODES,
    AGENCY_SHORT_NAMES,
    DEFAULT_SEED,
    REST,
    SYSTEMS,
    TRAFFY,
    TRAFFY_AGENCY,
    build_dataset,
)
from app.simulator.faults import CLEAR_MODES, Fault, FaultBook, FaultError
from app.simulator.reply import BadRequest, Reply, error_reply, json_reply
from app.simulator.store import FeedItem, Store, from_micros, iso_z, parse_moment, to_micros

log = logging.getLogger(__name__)

DEFAULT_TOKEN = "sim-token"
DEFAULT_TRAFFY_USER = "sim-user"
DEFAULT_TRAFFY_PASSWORD = "sim-pass"
TRAFFY_BASE = "/traffy/exchange-api"
GENERATED_STATUSES = ("received", "in_progress", "waiting_applicant", "in_progress", "resolved")
REFERENCE_PREFIX = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
MALFORMED_BODY = b'{"updates": [{"id": "<html><body>502 Bad Gateway</body></html>'


class DepartmentSimulator:
    def __init__(
        self,
        *,
        seed: int = DEFAULT_SEED,
        token: str = DEFAULT_TOKEN,
        speed: float = 1.0,
        epoch: datetime | None = None,
        now: datetime | None = None,
        cases_per_agency: int = 40,
        traffy_tickets: int = 30,
        history_days: float = 45.0,
        populate: bool = True,
        faults: Iterable[Fault | dict | str] = (),
        traffy_username: str = DEFAULT_TRAFFY_USER,
        traffy_password: str = DEFAULT_TRAFFY_PASSWORD,
    ):
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.seed = seed
        self.token = token
        self.speed = float(speed)
        self.clock_start = now
        self.clock = SimClock(now)
        epoch = epoch or self.clock.now()
        epoch = epoch.replace(tzinfo=UTC) if epoch.tzinfo is None else epoch.astimezone(UTC)
        self.epoch = epoch.replace(microsecond=0)
        self.dataset_options = {"cases_per_agency": cases_per_agency, "traffy_tickets": traffy_tickets,
                                "history_days": history_days}
        self.populate = populate
        self.traffy_username = traffy_username
        self.traffy_password = traffy_password
        self.initial_faults = [_as_fault(fault) for fault in faults]
        self.faults = FaultBook(seed)
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._stats_lock = threading.Lock()
        self.reset(empty=not populate)

    # -- set-up -----------------------------------------------------------------------------

    def reset(self, *, empty: bool = False) -> None:
        store = Store(AGENCY_CODES)
        if not empty:
            store.load(build_dataset(self.seed, epoch=self.epoch, speed=self.speed, **self.dataset_options))
        with self._lock:
            self.store = store
            self._ghost_numbers = itertools.count(1)
        self.faults.reset()
        for fault in self.initial_faults:
            self.faults.set(dataclasses.replace(fault, fired=0))
        self.clock = SimClock(self.clock_start)
        with self._stats_lock:
            self._stats = {"requests": 0, "by_endpoint": Counter(), "by_status": Counter(),
                           "faults_fired": Counter(), "control_requests": 0}

    def stop(self) -> None:
        """Wake requests held by slow/timeout faults so the server can close."""
        self._stop.set()

    def now_us(self) -> int:
        return to_micros(self.clock.now())

    # -- requests ---------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: Mapping[str, str], headers: Mapping, body: bytes) -> Reply:
        if path.startswith("/_control/"):
            with self._stats_lock:
                self._stats["control_requests"] += 1
            try:
                return self._control(method, path[len("/_control/"):], query, body)
            except (BadRequest, FaultError) as exc:
                return error_reply(getattr(exc, "status", 400), getattr(exc, "code", "bad_request"), str(exc))
        if path in ("", "/"):
            return json_reply(200, self.describe())
        if path == "/health":
            return json_reply(200, {"status": "ok"})
        if path.startswith("/rest/"):
            scope = REST
        elif path.startswith(TRAFFY_BASE + "/"):
            scope = TRAFFY
        else:
            return error_reply(404, "not_found", f"nothing is served at {path}")
        endpoint = _endpoint(scope, path)
        with self._stats_lock:
            self._stats["requests"] += 1
            self._stats["by_endpoint"][endpoint] += 1
        firing = self.faults.draw(scope)
        if firing:
            with self._stats_lock:
                self._stats["faults_fired"].update(firing.keys())
        reply = self._api(method, path, scope, query, headers, body, firing)
        with self._stats_lock:
            self._stats["by_status"]["dropped" if reply.drop else str(reply.status)] += 1
        return reply

    def _api(self, method, path, scope, query, headers, body, firing: dict[str, Fault]) -> Reply:
        if "slow" in firing:
            self._stop.wait(firing["slow"].delay_seconds)
        if "timeout" in firing:
            self._stop.wait(firing["timeout"].delay_seconds)
            return Reply(0, drop=True)
        if "error500" in firing:
            return error_reply(500, "simulated_failure", "the departmental system failed (simulated)")
        is_auth_call = scope == TRAFFY and path == f"{TRAFFY_BASE}/get-auth/v1"
        if "auth" in firing or not (is_auth_call or self._authorised(headers)):
            return traffy_api.auth_failure() if scope == TRAFFY else error_reply(
                401, "unauthorised", "missing or wrong bearer token"
            )
        try:
            with self._lock:
                reply = self._route(method, path, scope, query, body, firing)
        except BadRequest as exc:
            reply = traffy_api.fail(exc.status, str(exc)) if scope == TRAFFY else error_reply(
                exc.status, exc.code, str(exc)
            )
        if reply.status == 200:
            if "malformed" in firing:
                reply.body = MALFORMED_BODY
            elif "truncated" in firing and not reply.short_applied:
                if firing["truncated"].truncation() == "disconnect":
                    reply.break_off = True
                else:
                    reply.body = reply.body[: max(1, len(reply.body) // 2)]
        return reply

    def _authorised(self, headers: Mapping) -> bool:
        return (headers.get("Authorization") or "") == f"Bearer {self.token}"

    def _route(self, method, path, scope, query, body, firing) -> Reply:
        now = self.clock.now()
        now_us = to_micros(now)
        if scope == REST:
            parts = [unquote(part) for part in path[len("/rest/"):].split("/")]
            if method != "GET":
                raise BadRequest(f"{method} is not allowed here", status=405, code="method_not_allowed")
            if len(parts) == 2 and parts[1] == "updates":
                return rest_api.updates_page(self.store, parts[0], query, now_us, firing, self._ghost_numbers)
            if len(parts) == 3 and parts[1] == "cases" and parts[2]:
                return rest_api.case_view(self.store, parts[0], parts[2], now_us, firing)
            raise BadRequest(f"nothing is served at {path}", status=404, code="not_found")
        name = path[len(TRAFFY_BASE) + 1:].rstrip("/")
        if name == "get-auth/v1" and method == "POST":
            return traffy_api.get_auth(_json_body(body), username=self.traffy_username,
                                       password=self.traffy_password, token=self.token, now=now)
        if method != "GET":
            raise BadRequest(f"{method} is not allowed here", status=405, code="method_not_allowed")
        if name == "get-issues/v2":
            return traffy_api.get_issues(self.store, query, now, now_us, firing, self._ghost_numbers)
        if name == "get-issue/v1":
            return traffy_api.get_issue(self.store, query, now_us, firing)
        if name == "get-status-list/v2":
            return traffy_api.get_status_list()
        raise BadRequest(f"nothing is served at {path}", status=404, code="not_found")

    # -- control ----------------------------------------------------------------------------

    def _control(self, method: str, name: str, query, body: bytes) -> Reply:
        if name == "stats" and method == "GET":
            return json_reply(200, self.stats())
        if name == "faults":
            if method == "GET":
                return json_reply(200, {"faults": self.faults.active()})
            if method == "DELETE":
                self.faults.clear()
                return json_reply(200, {"faults": []})
            if method == "POST":
                return json_reply(200, {"faults": self.set_faults(_json_body(body))})
        if method != "POST":
            if name == "clock" and method == "GET":
                return json_reply(200, self.clock.describe())
            raise BadRequest(f"{method} /_control/{name} is not served", status=405, code="method_not_allowed")
        payload = _json_body(body) if body.strip() else {}
        if name == "reset":
            self.reset(empty=bool(payload.get("empty")) if isinstance(payload, dict) else False)
            return json_reply(200, {"reset": True, "counts": self.counts()})
        if name == "cases":
            return json_reply(200, self.add_cases(payload))
        if name == "generate":
            return json_reply(200, self.generate(**_generate_args(payload)))
        if name == "clock":
            return json_reply(200, self.move_clock(payload))
        raise BadRequest(f"/_control/{name} is not served", status=404, code="not_found")

    def set_faults(self, payload) -> list[dict]:
        for spec in payload if isinstance(payload, list) else [payload]:
            if isinstance(spec, dict) and spec.get("mode") in CLEAR_MODES:
                self.faults.clear()
                continue
            self.faults.set(_as_fault(spec))
        return self.faults.active()

    def add_cases(self, payload) -> dict:
        if isinstance(payload, dict):
            payload = payload.get("cases", [payload])
        if not isinstance(payload, list):
            raise BadRequest("expected a list of cases")
        cases = updates = 0
        with self._lock:
            for index, case in enumerate(payload):
                try:
                    updates += self._add_case(case)
                except (KeyError, TypeError, ValueError) as exc:
                    raise BadRequest(f"case #{index} is unusable: {type(exc).__name__}: {exc}") from None
                cases += 1
        return {"cases": cases, "updates": updates}

    def _add_case(self, case: dict) -> int:
        system = case.get("system", REST)
        if system not in SYSTEMS:
            raise ValueError(f"system must be one of {', '.join(SYSTEMS)}")
        agency = case.get("agency") or (TRAFFY_AGENCY if system == TRAFFY else None)
        if not agency:
            raise KeyError("agency")
        reference = case["reference"]
        feed = self.store.feed(system, agency)
        if case.get("replace"):
            feed.remove(reference)
        if case.get("details"):
            self.store.ticket_details[reference] = dict(case["details"])
        known = len(feed.by_reference.get(reference, ()))
        default_org = AGENCY_SHORT_NAMES.get(agency) if system == REST else None
        for n, update in enumerate(case["updates"], start=known + 1):
            feed.add(FeedItem(
                str(update.get("id") or f"{reference}:{n}"),
                reference,
                str(update["status"]),
                parse_moment(update["at"]),
                update.get("note"),
                update.get("organisation", default_org),
                update.get("org_id"),
            ))
        return len(case["updates"])

    def generate(self, *, agency: str, count: int, updates_per_case: int = 1, start: datetime | None = None,
                 step_seconds: float = 0.001, system: str = REST, prefix: str | None = None,
                 first_index: int | None = None, statuses: Iterable[str] = GENERATED_STATUSES) -> dict:
        """Bulk cases for tests and benchmarks: `count` references, `updates_per_case` events each.

        Events are spaced `step_seconds` apart, round by round (every case's first update,
        then every case's second, ...), from `start` (default: so the last one is a second old).
        """
        began = time.perf_counter()
        if system not in SYSTEMS:
            raise BadRequest(f"system must be one of {', '.join(SYSTEMS)}")
        if count < 0 or updates_per_case < 1:
            raise BadRequest("count must be >= 0 and updates_per_case >= 1")
        prefix = prefix or (f"{agency}-EXT-" if system == REST else "TF-")
        if not REFERENCE_PREFIX.match(prefix):
            raise BadRequest("prefix may hold letters, digits, '.', '_' and '-' only")
        statuses = [str(status) for status in statuses] or list(GENERATED_STATUSES)
        step_us = max(1, round(step_seconds * 1_000_000))
        total = count * updates_per_case
        with self._lock:
            feed = self.store.feed(system, agency)
            if first_index is None:
                first_index = 1 + _highest_index(feed.references(), prefix)
            if start is None:
                start_us = self.now_us() - total * step_us - 1_000_000
            else:
                start_us = to_micros(start)
            organisation = AGENCY_SHORT_NAMES.get(agency) if system == REST else None
            organisation_json = json.dumps(organisation, ensure_ascii=False)
            references = [f"{prefix}{first_index + i:06d}" for i in range(count)]
            add = feed.add
            for round_index in range(updates_per_case):
                status = statuses[round_index % len(statuses)]
                status_json = json.dumps(status)
                suffix = f":{round_index + 1}"
                base_us = start_us + round_index * count * step_us
                for i, reference in enumerate(references):
                    micros = base_us + i * step_us
                    at = from_micros(micros)
                    update_id = reference + suffix
                    fragment = None
                    if system == REST:
                        fragment = (
                            f'{{"id":"{update_id}","reference":"{reference}","status":{status_json},'
                            f'"occurred_at":"{iso_z(at)}","note":null,"organisation":{organisation_json}}}'
                        ).encode()
                    add(FeedItem(update_id, reference, status, at, None, organisation, None,
                                 micros=micros, fragment=fragment))
        return {
            "cases": count,
            "updates": total,
            "first_reference": references[0] if references else None,
            "last_reference": references[-1] if references else None,
            "from": iso_z(from_micros(start_us)),
            "to": iso_z(from_micros(start_us + max(0, total - 1) * step_us)),
            "seconds": round(time.perf_counter() - began, 3),
        }

    def move_clock(self, payload: dict) -> dict:
        if not isinstance(payload, dict):
            raise BadRequest("expected {now?, advance?, run?}")
        try:
            if payload.get("now"):
                self.clock.set(parse_moment(payload["now"]))
            if payload.get("advance"):
                self.clock.advance(float(payload["advance"]))
        except (TypeError, ValueError) as exc:
            raise BadRequest(f"bad clock change: {exc}") from None
        if payload.get("run"):
            self.clock.run()
        return self.clock.describe()

    # -- reports ----------------------------------------------------------------------------

    def stats(self) -> dict:
        with self._stats_lock:
            stats = self._stats
            return {
                "requests": stats["requests"],
                "by_endpoint": dict(stats["by_endpoint"]),
                "by_status": dict(stats["by_status"]),
                "faults_fired": dict(stats["faults_fired"]),
                "control_requests": stats["control_requests"],
            }

    def counts(self) -> dict:
        with self._lock:
            return self.store.counts()

    def describe(self) -> dict:
        return {
            "simulator": "Rueang departmental systems",
            "seed": self.seed,
            "epoch": iso_z(self.epoch),
            "speed": self.speed,
            "clock": self.clock.describe(),
            "rest": {agency: f"/rest/{agency}" for agency in AGENCY_CODES},
            "traffy": TRAFFY_BASE,
            "counts": self.counts(),
            "faults": self.faults.active(),
        }


def _endpoint(scope: str, path: str) -> str:
    if scope == REST:
        parts = path.split("/")
        return f"rest.{parts[3]}" if len(parts) > 3 else "rest.other"
    return "traffy." + path[len(TRAFFY_BASE) + 1:].split("/")[0]


def _json_body(body: bytes):
    try:
        return json.loads(body or b"null")
    except ValueError as exc:
        raise BadRequest(f"the body is not JSON: {exc}") from None


def _as_fault(spec) -> Fault:
    if isinstance(spec, Fault):
        return spec
    if isinstance(spec, str):
        return Fault.parse(spec)
    return Fault.from_dict(spec)


def _generate_args(payload) -> dict:
    if not isinstance(payload, dict):
        raise BadRequest("expected {agency, count, ...}")
    try:
        args = {"agency": str(payload["agency"]), "count": int(payload["count"])}
        if payload.get("updates_per_case") is not None:
            args["updates_per_case"] = int(payload["updates_per_case"])
        if payload.get("start"):
            args["start"] = parse_moment(payload["start"])
        if payload.get("step_seconds") is not None:
            args["step_seconds"] = float(payload["step_seconds"])
        if payload.get("first_index") is not None:
            args["first_index"] = int(payload["first_index"])
        for key in ("system", "prefix"):
            if payload.get(key):
                args[key] = str(payload[key])
        if payload.get("statuses"):
            args["statuses"] = list(payload["statuses"])
    except KeyError as exc:
        raise BadRequest(f"generate needs {exc.args[0]!r}") from None
    except (TypeError, ValueError) as exc:
        raise BadRequest(f"bad generate option: {exc}") from None
    return args


def _highest_index(references: Iterable[str], prefix: str) -> int:
    highest = 0
    for reference in references:
        if reference.startswith(prefix):
            tail = reference[len(prefix):]
            if tail.isdigit():
                highest = max(highest, int(tail))
    return highest

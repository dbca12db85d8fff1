"""Traffy Fondue connector over its agency exchange API (traffy-nectec/exchange-api-doc).

What the connector uses, with the API's own paths, parameters and field names
(`base_url` is `https://publicapi.traffy.in.th/exchange-api`, or
`http://127.0.0.1:8090/traffy/exchange-api` against the simulator):

* `POST {base}/get-auth/v1` with `{"user", "pass"}` answers `results.token`, a JWT. Used only
  when the settings give `username`/`password` instead of a `token`; an expired token is
  renewed once per request.
* `GET {base}/get-issues/v2?org_id=…&duration=today|3days|all` answers the envelope
  `{status, message, count, results: [...]}` where each result has `ticket_id`, `status` (the
  status *name*, in Thai), `timestamp`, `timestamp_inprogress`, `timestamp_finished`,
  `org_finished`, `organization`, `count_reopen`, `last_activity`, ...
* `GET {base}/get-issue/v1?ticket_id=…` answers one ticket in `results`, with `status_type`
  (the state code), `orgs[]` and `timeline[]` of `{timestamp, status_id, status, org_id, org,
  note, photo}`.

Where the documentation is silent, these are this connector's choices:

* The API has no "since" parameter and no paging: `get-issues` filters on `last_activity`
  over the last day (`today`), three days (`3days`) or everything (`all`, at most 5,000
  tickets). `fetch_updates(since)` asks for the narrowest window that covers `since`, skips
  tickets whose `last_activity` is before `since` and, ticket by ticket as the caller
  iterates, reads `get-issue` to yield the timeline entries with `since <= timestamp < until`.
  With `expand_timeline` off it makes no per-ticket call and yields one update per changed
  ticket: its current status at its `last_activity`.
* Timeline entries carry no id: an update's id is `"{ticket_id}@{timestamp}/{state}"`, with
  the timestamp as Traffy wrote it, so it is stable across reads and the latest change read
  from get-issues has the id of the same entry read from get-issue's timeline.
* Times are written without an offset and are Thai time (UTC+7, says the doc); an offset,
  when present, is respected. All `occurred_at` are returned in UTC.
* `external_status` is the Traffy state code: `status_type` where the API gives it, else the
  status name mapped through `STATE_BY_NAME` (`waiting` is read as `start`). A name the table
  does not know (an organisation's custom status) is passed through unchanged so the sync
  layer can report it as unmapped.
* An error answer `{"status": "fail", "message": …}` about the token raises
  `ConnectorAuthError`, about the quota `ConnectorUnavailable`, anything else
  `ConnectorRemoteError`. A ticket `get-issue` does not know (HTTP 404 or a "fail" answer
  with no results) makes `lookup` return None and `fetch_updates` fall back to the list row.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

from app.connectors.base import (
    Connector,
    ConnectorAuthError,
    ConnectorConfigError,
    ConnectorProtocolError,
    ConnectorRemoteError,
    ConnectorUnavailable,
    ExternalCase,
    ExternalUpdate,
    as_utc,
    within_calendar,
)
from app.connectors.http import JsonHttpClient
from app.domain.local_time import BANGKOK
from app.domain.statuses import TRAFFY_STATE, Status

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://publicapi.traffy.in.th/exchange-api"
ALL_DURATION_LIMIT = 5000

STATES = ("start", "inprogress", "forward", "follow", "finish", "irrelevant")

# Status names as Traffy shows them, to state codes. The first four appear in the API doc's
# examples; the others are the names the simulator uses for the remaining states.
STATE_BY_NAME = {
    "รอรับเรื่อง": "start",
    "กำลังดำเนินการ": "inprogress",
    "ส่งต่อ": "forward",
    "ส่งต่อ(ใหม่)": "forward",
    "เสร็จสิ้น": "finish",
    "ติดตาม": "follow",
    "ไม่เกี่ยวข้อง": "irrelevant",
}
# get-status-list calls the first state "waiting" (its legacy_state_type).
STATE_ALIASES = {"waiting": "start"}

# Traffy state to platform status, for the sync layer's default mapping; irrelevant is the
# closest closed state (GLOSSARY.md maps both rejected and cancelled to it).
STATUS_BY_STATE = {
    state: str(status) for status, state in TRAFFY_STATE.items() if status is not Status.CANCELLED
}

# Windows of get-issues' `duration`, narrowest first; a margin absorbs clock skew.
DURATIONS = (("today", timedelta(days=1)), ("3days", timedelta(days=3)))
DURATION_MARGIN = timedelta(minutes=10)


def parse_traffy_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BANGKOK)
    return within_calendar(moment.astimezone(UTC))


def update_id(ticket_id: str, timestamp: str, state: str) -> str:
    """A stable id for a timeline entry, which Traffy does not number: the same entry read
    twice (from get-issue, or as a ticket's latest change from get-issues) gets the same id."""
    return f"{ticket_id}@{timestamp}/{state}"


def state_of(name: str | None, status_type: str | None = None) -> str:
    """The Traffy state code of a status given by type and/or name."""
    if status_type:
        return STATE_ALIASES.get(status_type, status_type)
    if name is None:
        return ""
    name = name.strip()
    return STATE_BY_NAME.get(name) or STATE_ALIASES.get(name, name)


class TraffyConnector(Connector):
    kind = "traffy"
    default_status_map = STATUS_BY_STATE
    notes_public = True  # Traffy Fondue shows every ticket's timeline to the public itself

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        org_id: str | int | None = None,
        expand_timeline: bool = True,
        timeout: float = 10.0,
        max_retries: int = 3,
        backoff: float = 0.2,
        clock: Callable[[], datetime] | None = None,
    ):
        if not token and not (username and password):
            raise ConnectorConfigError("traffy needs a token, or a username and password for get-auth")
        self.http = JsonHttpClient(
            base_url or DEFAULT_BASE_URL,
            token=token,
            timeout=timeout,
            max_retries=max_retries,
            backoff=backoff,
        )
        self.username = username
        self.password = password
        self.org_id = str(org_id) if org_id not in (None, "") else None
        self.expand_timeline = _as_bool(expand_timeline)
        self._clock = clock or (lambda: datetime.now(UTC))

    @property
    def base_url(self) -> str:
        return self.http.base_url

    # -- the two questions ------------------------------------------------------------------

    def fetch_updates(self, since: datetime, until: datetime | None = None) -> Iterator[ExternalUpdate]:
        since = as_utc(since)
        until = as_utc(until) if until is not None else None
        params = {"duration": self.duration_for(since)}
        if self.org_id:
            params["org_id"] = self.org_id
        listing_url = self.http.url("get-issues/v2", params)
        listing = self._call("get-issues/v2", params)
        rows = listing.get("results")
        if not isinstance(rows, list):
            raise ConnectorProtocolError(f"'results' is not a list in the answer from {listing_url}", url=listing_url)
        count = listing.get("count")
        if isinstance(count, int) and count > len(rows):
            raise ConnectorProtocolError(
                f"truncated answer from {listing_url}: it claims {count} tickets but holds {len(rows)}",
                url=listing_url,
            )
        if params["duration"] == "all" and len(rows) >= ALL_DURATION_LIMIT:
            log.warning("get-issues duration=all returned %d tickets, its limit: older changes may be missing", len(rows))
        for index, row in enumerate(rows):
            try:
                ticket_id = row["ticket_id"]
                last_activity = parse_traffy_time(row["last_activity"])
            except (KeyError, TypeError, ValueError, OverflowError) as exc:
                raise ConnectorProtocolError(
                    f"ticket #{index} from {listing_url} is unusable ({type(exc).__name__}: {exc})",
                    url=listing_url,
                ) from exc
            if last_activity < since:
                continue
            if self.expand_timeline:
                case = self.lookup(ticket_id)
                if case is not None:
                    for update in case.timeline:
                        if update.occurred_at >= since and (until is None or update.occurred_at < until):
                            yield update
                    continue
            if until is None or last_activity < until:
                yield self._update_from_row(row, last_activity)

    def lookup(self, reference: str) -> ExternalCase | None:
        params = {"ticket_id": reference}
        issue_url = self.http.url("get-issue/v1", params)
        body = self._call("get-issue/v1", params, missing_ok=True)
        if body is None:
            return None
        ticket = body.get("results")
        if not ticket:
            return None
        try:
            timeline = self._timeline(ticket["ticket_id"], ticket.get("timeline") or [])
            updated_at = parse_traffy_time(ticket["last_activity"]) if ticket.get("last_activity") else (
                timeline[-1].occurred_at if timeline else parse_traffy_time(ticket["timestamp"])
            )
            current = state_of(ticket.get("status"), ticket.get("status_type"))
            if not current and timeline:
                current = timeline[-1].external_status
            return ExternalCase(
                reference=ticket["ticket_id"], external_status=current, updated_at=updated_at, timeline=timeline
            )
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise ConnectorProtocolError(
                f"ticket from {issue_url} is unusable ({type(exc).__name__}: {exc})", url=issue_url
            ) from exc

    # -- pieces -----------------------------------------------------------------------------

    def duration_for(self, since: datetime) -> str:
        age = self._clock() - as_utc(since)
        for duration, window in DURATIONS:
            if age <= window - DURATION_MARGIN:
                return duration
        return "all"

    @staticmethod
    def _timeline(ticket_id: str, entries: list) -> list[ExternalUpdate]:
        updates = []
        for entry in entries:
            stamp = entry["timestamp"]
            state = state_of(entry.get("status"), entry.get("status_type"))
            updates.append(
                ExternalUpdate(
                    update_id(ticket_id, stamp, state),
                    ticket_id,
                    state,
                    parse_traffy_time(stamp),
                    entry.get("note"),
                    entry.get("org"),
                    entry,
                )
            )
        return updates

    @staticmethod
    def _update_from_row(row: dict, last_activity: datetime) -> ExternalUpdate:
        ticket_id = row["ticket_id"]
        state = state_of(row.get("status"), row.get("status_type"))
        return ExternalUpdate(
            update_id(ticket_id, row["last_activity"], state),
            ticket_id,
            state,
            last_activity,
            None,
            row.get("organization"),
            row,
        )

    def _call(self, path: str, params: dict, *, missing_ok: bool = False):
        """One authenticated GET, renewing the token once when it came from get-auth."""
        if not self.http.token:
            self._authenticate()
        try:
            body = self.http.get_json(path, params, missing_ok=missing_ok)
            return self._check(body, self.http.url(path, params), missing_ok)
        except ConnectorAuthError:
            if not (self.username and self.password):
                raise
            self._authenticate()
            body = self.http.get_json(path, params, missing_ok=missing_ok)
            return self._check(body, self.http.url(path, params), missing_ok)

    def _authenticate(self) -> None:
        url = self.http.url("get-auth/v1")
        body = self.http.post_json("get-auth/v1", {"user": self.username, "pass": self.password}, authenticated=False)
        body = self._check(body, url, False)
        results = body.get("results")
        if isinstance(results, list) and results:  # the doc's sample client reads results[0]
            results = results[0]
        token = results.get("token") if isinstance(results, dict) else None
        if not token:
            raise ConnectorProtocolError(f"get-auth at {url} answered no token", url=url)
        self.http.token = token

    @staticmethod
    def _check(body, url: str, missing_ok: bool):
        """The body of a successful answer; raises on Traffy's own error envelope."""
        if body is None:
            return None
        if not isinstance(body, dict):
            raise ConnectorProtocolError(f"the answer from {url} is not a JSON object", url=url)
        outcome = body.get("status")
        if outcome in ("success", "warning"):
            if outcome == "warning":
                log.warning("Traffy warns at %s: %s", url, body.get("message"))
            return body
        message = str(body.get("message") or "")
        lowered = message.lower()
        if outcome == "fail":
            if "token" in lowered or "user or pass" in lowered:
                raise ConnectorAuthError(f"Traffy refused the credentials at {url}: {message}", url=url)
            if "quota" in lowered:
                raise ConnectorUnavailable(f"Traffy quota exhausted at {url}: {message}", url=url)
            if missing_ok and not body.get("results"):
                return None
            raise ConnectorRemoteError(f"Traffy answered fail at {url}: {message}", url=url)
        raise ConnectorProtocolError(f"the answer from {url} has no success/fail status ({outcome!r})", url=url)

    def close(self) -> None:
        self.http.close()


def _as_bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "no", "off")
    return bool(value)

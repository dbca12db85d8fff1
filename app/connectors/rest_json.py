"""Generic REST/JSON connector: the protocol the agencies' own systems are asked to speak.

Every request carries `Authorization: Bearer <token>`. `base_url` is the agency's root, for
example `https://licence.diw.go.th/api` or, against the simulator,
`http://127.0.0.1:8090/rest/DIW`.

Feed of status events, cursor-paged::

    GET {base_url}/updates?since=<ISO 8601>&until=<ISO 8601>&limit=<page size>&cursor=<cursor>

    200 {"updates": [{"id": "DIW-EXT-000001:2",       stable id of the event (string)
                      "reference": "DIW-EXT-000001",   the case's reference in that system
                      "status": "in_progress",         that system's status code
                      "occurred_at": "2026-01-05T03:04:05Z",
                      "note": "…" | null,
                      "organisation": "กรอ." | null}, ...],
         "count": 1000,                                number of items in this page
         "next_cursor": "…" | null}                   null on the last page

* events are ordered by (occurred_at, id) and the window is `since <= occurred_at < until`;
  without `until` the feed runs up to the remote system's present;
* the cursor is opaque: the client sends back the `next_cursor` it was given, unchanged, with
  the same since/until/limit; cursors (not page numbers) keep paging stable while new events
  keep arriving at the end of the feed;
* `limit` defaults to 1000 and may go up to 5000; a page whose `count` differs from the
  number of items it holds is a truncated page (`ConnectorProtocolError`).

One case::

    GET {base_url}/cases/{reference}
    200 {"reference": "…", "status": "…", "updated_at": "<ISO 8601>", "timeline": [<update>…]}
    404 when the system does not know the reference (lookup returns None)

Timestamps must carry an offset (Z or ±hh:mm); one without is read as UTC.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

from app.connectors.base import (
    Connector,
    ConnectorConfigError,
    EARLIEST_UPDATE,
    LATEST_UPDATE,
    ConnectorProtocolError,
    ExternalCase,
    ExternalUpdate,
    as_utc,
    iso_utc,
    within_calendar,
)
from app.connectors.http import JsonHttpClient, path_segment
from app.domain.statuses import Status
from app.domain.sync_settings import SETTING_BOUNDS

DEFAULT_PAGE_SIZE = 1000
MAX_PAGE_SIZE = SETTING_BOUNDS["page_size"][1]

_fromiso = datetime.fromisoformat
_EARLIEST, _LATEST = EARLIEST_UPDATE, LATEST_UPDATE


def _hashable(cursor) -> str:
    """A cursor as a key of the cursors seen: whatever JSON the feed sent (a number, a string, a list)."""
    return json.dumps(cursor, sort_keys=True, default=str)


def parse_updates(items, url: str) -> list[ExternalUpdate]:
    """ExternalUpdates from a page's items; kept to one tight loop because it runs per event."""
    if not isinstance(items, list):
        raise ConnectorProtocolError(f"'updates' is not a list in the answer from {url}", url=url)
    parsed = []
    append = parsed.append
    try:
        for item in items:
            occurred_at = _fromiso(item["occurred_at"])
            if occurred_at.tzinfo is not UTC:
                occurred_at = as_utc(occurred_at)
            if not _EARLIEST <= occurred_at < _LATEST:
                within_calendar(occurred_at)  # raises, naming the time
            append(
                ExternalUpdate(
                    str(item["id"]),
                    item["reference"],
                    item["status"],
                    occurred_at,
                    item.get("note"),
                    item.get("organisation"),
                    item,
                )
            )
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise ConnectorProtocolError(
            f"update #{len(parsed)} from {url} is unusable ({type(exc).__name__}: {exc})", url=url
        ) from exc
    return parsed


class RestJsonConnector(Connector):
    kind = "rest_json"
    # The protocol asks departmental systems to report the platform's own status codes.
    default_status_map = {str(status): str(status) for status in Status}

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        timeout: float = 10.0,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_retries: int = 3,
        backoff: float = 0.2,
    ):
        if not base_url:
            raise ConnectorConfigError("rest_json needs a base_url")
        page_size = int(page_size)
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ConnectorConfigError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, not {page_size}")
        self.page_size = page_size
        self.http = JsonHttpClient(
            base_url, token=token, timeout=timeout, max_retries=max_retries, backoff=backoff
        )

    @property
    def base_url(self) -> str:
        return self.http.base_url

    def fetch_updates(self, since: datetime, until: datetime | None = None) -> Iterator[ExternalUpdate]:
        params = {"since": iso_utc(since), "limit": self.page_size}
        if until is not None:
            params["until"] = iso_utc(until)
        cursor = None
        seen: set = set()  # every cursor of this read: a feed that cycles (A, B, A) is refused too
        while True:
            if cursor is not None:
                params["cursor"] = cursor
            page_url = self.http.url("updates", params)
            page = self.http.get_json("updates", params)
            try:
                items = page["updates"]
                count = page["count"]
                next_cursor = page["next_cursor"]
            except (KeyError, TypeError) as exc:
                raise ConnectorProtocolError(
                    f"page from {page_url} lacks updates/count/next_cursor ({exc})", url=page_url
                ) from exc
            updates = parse_updates(items, page_url)
            if count != len(updates):
                raise ConnectorProtocolError(
                    f"truncated page from {page_url}: it claims {count} updates but holds {len(updates)}",
                    url=page_url,
                )
            yield from updates
            if next_cursor is None:
                return
            if _hashable(next_cursor) in seen:
                raise ConnectorProtocolError(
                    f"the feed at {page_url} returned a cursor it had returned before; refusing to loop", url=page_url
                )
            seen.add(_hashable(next_cursor))
            cursor = next_cursor

    def lookup(self, reference: str) -> ExternalCase | None:
        path = f"cases/{path_segment(reference)}"
        case_url = self.http.url(path)
        body = self.http.get_json(path, missing_ok=True)
        if body is None:
            return None
        try:
            updated_at = as_utc(_fromiso(body["updated_at"]))
            return ExternalCase(
                reference=body["reference"],
                external_status=body["status"],
                updated_at=updated_at,
                timeline=parse_updates(body.get("timeline", []), case_url),
            )
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            raise ConnectorProtocolError(
                f"case from {case_url} is unusable ({type(exc).__name__}: {exc})", url=case_url
            ) from exc

    def close(self) -> None:
        self.http.close()

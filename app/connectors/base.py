"""The one interface every departmental-system client offers the sync job.

A connector answers two questions about a departmental system (a licence system, a loan
system, Traffy Fondue):

* what changed between two times: `fetch_updates(since, until)` yields one `ExternalUpdate`
  per status event, lazily, page by page, exactly as the remote system reports them
  (duplicates and out-of-order events included: deciding what to keep is the sync layer's
  job, FixMyStreet's UpdatesBase style);
* where one case stands now: `lookup(reference)` returns an `ExternalCase` with its timeline,
  or None when the remote system does not know the reference.

Failures are typed so the caller can decide between "try later" and "fix the configuration":

    ConnectorError
    ├── ConnectorConfigError     the settings cannot make a working connector
    ├── ConnectorUnavailable     refused, timed out, 5xx after retries, throttled
    ├── ConnectorAuthError       401/403 or a remote "invalid token" answer
    ├── ConnectorProtocolError   malformed JSON, missing fields, truncated page
    └── ConnectorRemoteError     any other refusal the remote system explains (4xx, "fail")
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class ExternalUpdate:
    """One status event of one case, as a departmental system reports it.

    `update_id` is the remote system's stable identifier of the event (the sync layer skips
    ids it has already applied); `external_status` is the remote system's own status code,
    mapped to the platform's statuses by the sync layer; `occurred_at` is aware and in UTC.
    """

    update_id: str
    reference: str
    external_status: str
    occurred_at: datetime
    note: str | None = None
    organisation: str | None = None
    raw: dict | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ExternalCase:
    """A case as the departmental system sees it now, with the events it has published."""

    reference: str
    external_status: str
    updated_at: datetime
    timeline: list[ExternalUpdate] = field(default_factory=list)


class ConnectorError(Exception):
    """Base of every failure raised by a connector; `url` names the request that failed."""

    def __init__(self, message: str, *, url: str | None = None):
        super().__init__(message)
        self.url = url


class ConnectorConfigError(ConnectorError, ValueError):
    """The kind or the settings given cannot make a working connector."""


class ConnectorUnavailable(ConnectorError):
    """The remote system could not be reached or kept failing: worth trying again later."""


class ConnectorAuthError(ConnectorError):
    """The remote system refused our credentials: retrying will not help, the token must change."""


class ConnectorProtocolError(ConnectorError):
    """The remote system answered something that does not follow its own protocol."""


class ConnectorRemoteError(ConnectorError):
    """The remote system refused the request for a reason it states (a 4xx, a "fail" answer)."""

    def __init__(self, message: str, *, url: str | None = None, status_code: int | None = None):
        super().__init__(message, url=url)
        self.status_code = status_code


class Connector(ABC):
    """A client of one departmental system; see the module docstring for the contract."""

    kind: str = ""
    # The remote status codes this kind speaks out of the box, to platform statuses; a
    # starting point for an agency's mapping, which the sync layer owns.
    default_status_map: dict[str, str] = {}
    # Whether the notes of this kind's updates are public already (the sync layer then shows
    # them on the public page); otherwise only an update whose raw item says "public": true is.
    notes_public: bool = False

    @abstractmethod
    def fetch_updates(self, since: datetime, until: datetime | None = None) -> Iterator[ExternalUpdate]:
        """Yield the events with `since <= occurred_at < until` (until None: up to now), page by page."""

    @abstractmethod
    def lookup(self, reference: str) -> ExternalCase | None:
        """The case as the remote system sees it now, or None for a reference it does not know."""

    def close(self) -> None:
        """Release the connection pool; the connector must not be used afterwards."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


# An update's time outside these is a system's empty date (year 1, 9999), not when anything
# happened: a broken answer, refused before it reaches a case or the run's cursor.
EARLIEST_UPDATE = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_UPDATE = datetime(2200, 1, 1, tzinfo=UTC)


def within_calendar(moment: datetime) -> datetime:
    """`moment` (aware, UTC), or ValueError when it lies outside EARLIEST_UPDATE..LATEST_UPDATE."""
    if not EARLIEST_UPDATE <= moment < LATEST_UPDATE:
        raise ValueError(f"the time {moment.isoformat()} is outside the years 1900 to 2199")
    return moment


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    if moment.tzinfo is UTC:
        return moment
    return moment.astimezone(UTC)


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, the form the feeds take as query parameters."""
    return as_utc(moment).isoformat().replace("+00:00", "Z")

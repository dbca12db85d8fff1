"""The HTTP plumbing every connector shares: one keep-alive session, timeouts, retries.

Policy, the same for every kind of departmental system:

* every request has a timeout (seconds), for the whole answer: its headers and all of its body.
  requests' own timeout counts each wait for the socket alone, so a system sending a byte now
  and then could keep a run (and the agency's lock) going as long as it liked;
* connection errors, timeouts and 5xx answers are retried `max_retries` times with
  exponential backoff (`backoff`, `2 * backoff`, `4 * backoff`, ... seconds), then raise
  `ConnectorUnavailable`;
* 4xx answers are never retried: 401/403 raise `ConnectorAuthError`, 429 raises
  `ConnectorUnavailable` (the remote asks us to come back later, the next scheduled run will),
  404 returns None when the caller says a missing resource is an answer (a lookup), and any
  other 4xx raises `ConnectorRemoteError`;
* a body that is not JSON, or stops mid-way, raises `ConnectorProtocolError`.
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import requests
import urllib3

from app.connectors.base import (
    ConnectorAuthError,
    ConnectorProtocolError,
    ConnectorRemoteError,
    ConnectorUnavailable,
)

log = logging.getLogger(__name__)

USER_AGENT = "rueang-connector/1"
CHUNK_BYTES = 64 * 1024
# Far more than a page of updates (a thousand is about 300 KB): a body past it is refused unread.
MAX_ANSWER_BYTES = 64 * 2**20


class _TooSlow(Exception):
    """The whole answer did not arrive within the timeout."""


@dataclass(frozen=True)
class Answer:
    """An HTTP answer read whole: its status and body."""

    status_code: int
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


def path_segment(value: str) -> str:
    """A value made safe to place between two slashes of a URL path."""
    return quote(value, safe="")


class JsonHttpClient:
    """GET/POST JSON against one base URL through one pooled `requests.Session`."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        timeout: float = 10.0,
        max_retries: int = 3,
        backoff: float = 0.2,
        auth_scheme: str = "Bearer",
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = float(timeout)
        self.max_retries = max(0, int(max_retries))
        self.backoff = max(0.0, float(backoff))
        self.auth_scheme = auth_scheme
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", USER_AGENT)
        self.session.headers["Accept"] = "application/json"
        self._sleep = sleep

    def url(self, path: str, params: Mapping | None = None) -> str:
        """The full URL of a request; the query is part of it so errors name the exact request."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        return f"{url}?{urlencode(params)}" if params else url

    def get_json(self, path: str, params: Mapping | None = None, *, missing_ok: bool = False):
        """The decoded JSON body of GET base/path, or None on 404 when `missing_ok`."""
        return self.request_json("GET", path, params=params, missing_ok=missing_ok)

    def post_json(self, path: str, body, *, authenticated: bool = True):
        return self.request_json("POST", path, body=body, authenticated=authenticated)

    def request_json(
        self,
        method: str,
        path: str,
        *,
        params: Mapping | None = None,
        body=None,
        missing_ok: bool = False,
        authenticated: bool = True,
    ):
        url = self.url(path, params)
        response = self._send(method, url, body, authenticated)
        status = response.status_code
        if status == 404 and missing_ok:
            return None
        if status >= 400:
            self._raise_for_status(response, url)
        return decode_json(response, url)

    def _receive(self, method, url, body, headers) -> Answer:
        deadline = time.monotonic() + self.timeout
        with self.session.request(method, url, json=body, headers=headers, timeout=self.timeout,
                                  stream=True) as response:
            chunks, size = [], 0
            # read1: what one read of the socket brings, so the deadline is looked at as bytes come
            # (a read of a size waits for all of it, however slowly it drips).
            try:
                while chunk := response.raw.read1(CHUNK_BYTES, decode_content=True):
                    chunks.append(chunk)
                    size += len(chunk)
                    if time.monotonic() > deadline:
                        raise _TooSlow()
                    if size > MAX_ANSWER_BYTES:
                        raise ConnectorProtocolError(
                            f"an answer of more than {MAX_ANSWER_BYTES // 2**20} MB from {url}", url=url)
            # Read from urllib3 directly, its errors are not requests' yet: as requests would name them.
            except urllib3.exceptions.ReadTimeoutError as exc:
                raise requests.Timeout(str(exc)) from exc
            except urllib3.exceptions.HTTPError as exc:  # a body that stops before its length
                raise requests.exceptions.ChunkedEncodingError(str(exc)) from exc
            return Answer(response.status_code, b"".join(chunks))

    def _send(self, method, url, body, authenticated) -> Answer:
        headers = {}
        if authenticated and self.token:
            headers["Authorization"] = f"{self.auth_scheme} {self.token}"
        attempts = self.max_retries + 1
        for attempt in range(attempts):
            try:
                response = self._receive(method, url, body, headers)
            except (requests.Timeout, _TooSlow) as exc:
                problem, cause = f"no answer within {self.timeout:g} s from {url}", exc
            except requests.ConnectionError as exc:
                problem, cause = f"cannot connect to {url}: {_short(exc)}", exc
            except requests.RequestException as exc:
                raise ConnectorProtocolError(f"truncated or broken answer from {url}: {_short(exc)}", url=url) from exc
            else:
                if response.status_code < 500:
                    return response
                problem, cause = f"HTTP {response.status_code} from {url}: {_body_excerpt(response)}", None
            if attempt == attempts - 1:
                plural = "s" if attempts > 1 else ""
                raise ConnectorUnavailable(f"{problem} (after {attempts} attempt{plural})", url=url) from cause
            delay = self.backoff * (2**attempt)
            log.info("retrying in %.2f s: %s", delay, problem)
            self._sleep(delay)
        raise AssertionError("unreachable: the loop returns or raises")

    @staticmethod
    def _raise_for_status(response: Answer, url: str) -> None:
        status = response.status_code
        excerpt = _body_excerpt(response)
        if status in (401, 403):
            raise ConnectorAuthError(f"HTTP {status} from {url}: credentials refused ({excerpt})", url=url)
        if status == 429:
            raise ConnectorUnavailable(f"HTTP 429 from {url}: throttled ({excerpt})", url=url)
        raise ConnectorRemoteError(f"HTTP {status} from {url}: {excerpt}", url=url, status_code=status)

    def close(self) -> None:
        self.session.close()


def decode_json(response: Answer, url: str):
    content = response.content
    try:
        return json.loads(content)
    except ValueError as exc:
        raise ConnectorProtocolError(
            f"malformed JSON from {url} ({len(content)} bytes): {exc}", url=url
        ) from exc


def _body_excerpt(response: Answer, limit: int = 200) -> str:
    text = " ".join(response.text.split())
    return text[:limit] + ("…" if len(text) > limit else "") if text else "(empty body)"


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 300 else text[:300] + "…"

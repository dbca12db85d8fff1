"""The generic departmental system, one per agency, under `/rest/{agency}/`.

It speaks the protocol documented in app/connectors/rest_json.py:

    GET /rest/{agency}/updates?since=&until=&limit=&cursor=
    GET /rest/{agency}/cases/{reference}

Statuses are the platform's own codes (received, in_progress, ...) unless a test stores
others through the control API.
"""
from __future__ import annotations

import json

from app.simulator.data import AGENCY_SHORT_NAMES, REST
from app.simulator.faults import Fault
from app.simulator.reply import BadRequest, Reply, error_reply
from app.simulator.store import Store, iso_z, parse_moment, rest_fragment, to_micros

DEFAULT_LIMIT = 1000
MAX_LIMIT = 5000


def encode_cursor(key: tuple[int, str]) -> str:
    return f"{key[0]}~{key[1]}"


def decode_cursor(text: str) -> tuple[int, str]:
    micros, sep, update_id = text.partition("~")
    try:
        if not sep:
            raise ValueError
        return int(micros), update_id
    except ValueError:
        raise BadRequest(f"invalid cursor {text!r}") from None


def _moment_param(query: dict, name: str) -> int | None:
    value = query.get(name)
    if not value:
        return None
    try:
        return to_micros(parse_moment(value))
    except ValueError:
        raise BadRequest(f"{name} must be an ISO 8601 date-time, not {value!r}") from None


def _feed(store: Store, agency: str):
    feed = store.existing_feed(REST, agency)
    if feed is None:
        raise BadRequest(f"no departmental system for agency {agency!r}", status=404, code="unknown_agency")
    return feed


def updates_page(store: Store, agency: str, query: dict, now_us: int, faults: dict[str, Fault],
                 ghost_numbers) -> Reply:
    feed = _feed(store, agency)
    since_us = _moment_param(query, "since")
    until_us = _moment_param(query, "until")
    try:
        limit = int(query.get("limit") or DEFAULT_LIMIT)
    except ValueError:
        raise BadRequest("limit must be a whole number") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise BadRequest(f"limit must be between 1 and {MAX_LIMIT}")
    after = decode_cursor(query["cursor"]) if query.get("cursor") else None

    start, lo, hi = feed.window(since_us, until_us, now_us, after)
    end = min(lo + limit, hi)
    chosen = feed.items[lo:end]
    fragments = [item.fragment for item in chosen]
    next_cursor = encode_cursor(chosen[-1].key) if end < hi else None

    if "duplicates" in faults:
        repeat = faults["duplicates"].item_count
        if lo > start:
            fragments[:0] = [item.fragment for item in feed.items[max(start, lo - repeat):lo]]
        else:
            fragments.extend(fragments[:repeat])
    if "unknown_refs" in faults:
        at = chosen[-1].at if chosen else feed.items[lo - 1].at if lo else None
        if at is not None:
            for _ in range(faults["unknown_refs"].item_count):
                reference = f"{agency}-UNKNOWN-{next(ghost_numbers):06d}"
                fragments.append(rest_fragment(f"{reference}:1", reference, "received", at,
                                               "เรื่องที่ไม่มีในระบบกลาง", AGENCY_SHORT_NAMES.get(agency)))
    if "out_of_order" in faults:
        fragments.reverse()

    count = len(fragments)
    short = "truncated" in faults and faults["truncated"].truncation() == "short"
    if short:
        count += faults["truncated"].item_count
    body = b"".join((
        b'{"updates":[', b",".join(fragments), b'],"count":', str(count).encode(),
        b',"next_cursor":', json.dumps(next_cursor).encode(), b"}",
    ))
    return Reply(200, body, short_applied=short)


def case_view(store: Store, agency: str, reference: str, now_us: int, faults: dict[str, Fault]) -> Reply:
    feed = _feed(store, agency)
    timeline = feed.timeline(reference, now_us)
    if not timeline:
        return error_reply(404, "not_found", f"{agency} has no case {reference!r}")
    latest = timeline[-1]
    served = list(timeline)
    if "duplicates" in faults:
        served.extend(served[-faults["duplicates"].item_count:])
    if "out_of_order" in faults:
        served.reverse()
    head = json.dumps(
        {"reference": reference, "status": latest.status, "updated_at": iso_z(latest.at)},
        ensure_ascii=False, separators=(",", ":"),
    ).encode()
    body = b"".join((head[:-1], b',"timeline":[', b",".join(item.fragment for item in served), b"]}"))
    return Reply(200, body)

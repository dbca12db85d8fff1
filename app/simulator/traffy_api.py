"""Traffy Fondue's agency exchange API, as traffy-nectec/exchange-api-doc describes it.

Served under `/traffy/exchange-api/` (the real base is
`https://publicapi.traffy.in.th/exchange-api/`):

    POST get-auth/v1            {"user", "pass"} -> results.token
    GET  get-issues/v2          ?org_id=&duration=today|3days|all   (all: at most 5,000)
    GET  get-issue/v1           ?ticket_id=
    GET  get-status-list/v2     the states and their names

Answers use the API's envelope (`status`, `message`, `exec_time`, `source`,
`credit_balance`, `count`, `results`, `api_log_session_id`) and its field names; times are
written as Traffy writes them, Thai time without an offset (`2026-08-20 22:25:37.433959`).
The doc does not say which HTTP status an error carries: the simulator answers a bad token
with 401, an unknown ticket with 404 and a bad parameter with 400, each with
`{"status": "fail", "message": ...}`.

Statuses are stored as platform codes (received, ...) or Traffy state codes (start, ...) and
shown as Traffy shows them: a Thai name in `status`, the state in `status_type`. Any other
stored value is treated as an organisation's custom status name and shown as it is.
"""
from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta

from app.domain.local_time import BANGKOK
from app.domain.statuses import TRAFFY_STATE, Status
from app.simulator.data import AGENCY_NAMES, TRAFFY, TRAFFY_ORG_IDS
from app.simulator.faults import Fault
from app.simulator.reply import Reply, json_reply
from app.simulator.store import Feed, FeedItem, Store

ALL_LIMIT = 5000
DURATIONS = {"today": timedelta(days=1), "3days": timedelta(days=3), "3day": timedelta(days=3), "all": None}

# The names the doc shows for start, inprogress and finish; the others are the simulator's.
STATE_NAMES = {
    "start": ("รอรับเรื่อง", "Pending"),
    "inprogress": ("กำลังดำเนินการ", "In progress"),
    "forward": ("ส่งต่อ", "Forwarded"),
    "follow": ("ติดตาม", "Follow-up"),
    "finish": ("เสร็จสิ้น", "Finished"),
    "irrelevant": ("ไม่เกี่ยวข้อง", "Not relevant"),
}
# Central issue_status_id of each state, as the simulator numbers them.
STATUS_IDS = {"start": 1, "inprogress": 2, "finish": 3, "forward": 4, "follow": 5, "irrelevant": 6}
PHOTO = "https://storage.example.invalid/traffy-simulator/{ticket}-{n}.jpeg"


def traffy_time(moment: datetime) -> str:
    return moment.astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M:%S.%f")


def state_of(status: str) -> str | None:
    if status in STATE_NAMES:
        return status
    try:
        return TRAFFY_STATE[Status(status)]
    except ValueError:
        return None


def name_of(status: str) -> str:
    state = state_of(status)
    return STATE_NAMES[state][0] if state else status


def envelope(results, **fields) -> dict:
    body = {"status": "success", "message": "", "exec_time": "0.001s", "source": "simulator",
            "credit_balance": None}
    body.update(fields)
    body["results"] = results
    body["api_log_session_id"] = 1
    return body


def fail(status: int, message: str, results=None) -> Reply:
    return json_reply(status, {"status": "fail", "message": message, "exec_time": "0.001s",
                               "credit_balance": None, "results": [] if results is None else results})


def auth_failure() -> Reply:
    return fail(401, "ERR 1 - Invalid token")


def get_auth(body, *, username: str, password: str, token: str, now: datetime) -> Reply:
    if not isinstance(body, dict) or "user" not in body or "pass" not in body:
        return fail(400, "Invalid input JSON format")
    if body["user"] != username or body["pass"] != password:
        return fail(401, "Invalid user or pass")
    return json_reply(200, envelope(
        {"token": token, "expire_timestamp": traffy_time(now + timedelta(days=1))[:19]},
        quota_limit=None, permissions=["read"],
    ))


def get_status_list() -> Reply:
    results = [
        {"issue_status_id": STATUS_IDS[state], "org_statuses_id": None, "status": name_th, "status_en": name_en,
         "status_type": state, "sort_order": index, "bg_color": "#FFFFFF", "text_color": "#000000",
         "border_color": "#CCCCCC", "is_active": True}
        for index, (state, (name_th, name_en)) in enumerate(STATE_NAMES.items(), start=1)
    ]
    return json_reply(200, envelope(results, count=len(results)))


def get_issues(store: Store, query: dict, now: datetime, now_us: int, faults: dict[str, Fault],
               ghost_numbers) -> Reply:
    duration = query.get("duration") or "today"
    if duration not in DURATIONS:
        return fail(400, f"duration is invalid: {duration}")
    try:
        wanted_orgs = {int(part) for part in (query.get("org_id") or "").split(",") if part.strip()}
    except ValueError:
        return fail(400, "org_id is invalid")
    window = DURATIONS[duration]
    oldest = now - window if window else None
    rows = []
    for feed in store.feeds_of(TRAFFY):
        for ticket_id in feed.references():
            timeline = feed.timeline(ticket_id, now_us)
            if not timeline or (oldest is not None and timeline[-1].at < oldest):
                continue
            orgs = _orgs(feed, timeline)
            if wanted_orgs and not wanted_orgs & {org_id for org_id, _, _ in orgs}:
                continue
            rows.append((timeline[-1].key, _row(store, ticket_id, timeline, orgs)))
    rows.sort(key=lambda pair: pair[0], reverse=True)
    results = [row for _, row in rows[:ALL_LIMIT]]
    if "duplicates" in faults:
        results.extend(results[:faults["duplicates"].item_count])
    if "unknown_refs" in faults:
        results.extend(_ghost_row(next(ghost_numbers), now) for _ in range(faults["unknown_refs"].item_count))
    if "out_of_order" in faults:
        results.reverse()
    count = len(results)
    short = "truncated" in faults and faults["truncated"].truncation() == "short"
    if short:
        count += faults["truncated"].item_count
    org_ids = sorted(wanted_orgs) or [TRAFFY_ORG_IDS.get("OPS")]
    reply = json_reply(200, envelope(results, org_id=org_ids, count=count))
    reply.short_applied = short
    return reply


def get_issue(store: Store, query: dict, now_us: int, faults: dict[str, Fault]) -> Reply:
    ticket_id = query.get("ticket_id")
    if not ticket_id:
        return fail(400, "ticket_id is not specified")
    for feed in store.feeds_of(TRAFFY):
        timeline = feed.timeline(ticket_id, now_us)
        if timeline:
            break
    else:
        return fail(404, f"ticket_id {ticket_id} not found", results={})
    orgs = _orgs(feed, timeline)
    results = _row(store, ticket_id, timeline, orgs)
    latest = timeline[-1]
    state = state_of(latest.status)
    for key in ("photo_after", "timestamp_inprogress", "timestamp_finished", "org_finished", "status"):
        del results[key]
    results["status_type"] = state or latest.status
    details = _details(store, ticket_id)
    results["orgs"] = [
        {"timestamp": traffy_time(since), "org_id": org_id, "org": org, "type_id": 620000 + details["type_index"],
         "type": details["type"], "type_en": "Other", "status_id": STATUS_IDS.get(state), "status": name_of(latest.status),
         "status_type": state or latest.status, "org_category_id": None, "org_status_id": None}
        for org_id, org, since in orgs
    ]
    entries = [_timeline_entry(ticket_id, n, item) for n, item in enumerate(timeline, start=1)]
    if "duplicates" in faults:
        entries.extend(entries[-faults["duplicates"].item_count:])
    if "out_of_order" in faults:
        entries.reverse()
    results["timeline"] = entries
    return json_reply(200, envelope(results, ticket_id=ticket_id))


def _timeline_entry(ticket_id: str, n: int, item: FeedItem) -> dict:
    state = state_of(item.status)
    return {
        "timestamp": traffy_time(item.at),
        "status_id": None if state == "start" else STATUS_IDS.get(state),
        "status": name_of(item.status),
        "org_id": item.org_id,
        "org": item.organisation,
        "note": item.note,
        "photo": PHOTO.format(ticket=ticket_id, n=n) if state in (None, "start", "finish") else None,
    }


def _orgs(feed: Feed, timeline: list[FeedItem]) -> list[tuple[int, str, datetime]]:
    """(org_id, name, since) of each organisation the ticket reached, the receiving one first."""
    home = feed.agency
    orgs = {TRAFFY_ORG_IDS.get(home, 0): (AGENCY_NAMES.get(home, home), timeline[0].at)}
    for item in timeline:
        if item.org_id is not None and item.org_id not in orgs:
            orgs[item.org_id] = (item.organisation or str(item.org_id), item.at)
    return [(org_id, name, since) for org_id, (name, since) in orgs.items()]


def _details(store: Store, ticket_id: str) -> dict:
    details = store.ticket_details.get(ticket_id) or {}
    kind = details.get("type", "อื่นๆ")
    return {
        "type": kind,
        "type_index": zlib.crc32(kind.encode()) % 1000,
        "description": details.get("description", f"เรื่องแจ้ง {ticket_id}"),
        "latitude": details.get("latitude", 13.7563),
        "longitude": details.get("longitude", 100.5018),
        "address": details.get("address", "กรุงเทพมหานคร"),
        "subdistrict": details.get("subdistrict", ""),
        "district": details.get("district", ""),
        "province": details.get("province", "กรุงเทพมหานคร"),
    }


def _row(store: Store, ticket_id: str, timeline: list[FeedItem], orgs) -> dict:
    details = _details(store, ticket_id)
    latest = timeline[-1]
    state = state_of(latest.status)
    states = [state_of(item.status) for item in timeline]
    started = next((item for item, s in zip(timeline, states) if s == "inprogress"), None)
    finished = latest if state == "finish" else None
    reopened = sum(
        1 for before, after in zip(states, states[1:]) if before in ("finish", "irrelevant") and after not in ("finish", "irrelevant")
    )
    return {
        "ticket_id": ticket_id,
        "type": details["type"],
        "organization": ", ".join(name for _, name, _ in orgs),
        "description": details["description"],
        "photo": PHOTO.format(ticket=ticket_id, n=1),
        "latitude": details["latitude"],
        "longitude": details["longitude"],
        "address": details["address"],
        "subdistrict": details["subdistrict"],
        "district": details["district"],
        "province": details["province"],
        "timestamp": traffy_time(timeline[0].at),
        "photo_after": PHOTO.format(ticket=ticket_id, n=len(timeline)) if finished else None,
        "timestamp_inprogress": traffy_time(started.at) if started else None,
        "timestamp_finished": traffy_time(finished.at) if finished else None,
        "org_finished": finished.organisation if finished else None,
        "status": name_of(latest.status),
        "confirmed": state == "finish",
        "star": None,
        "count_reopen": reopened,
        "last_activity": traffy_time(latest.at),
    }


def _ghost_row(number: int, now: datetime) -> dict:
    ticket_id = f"TF-UNKNOWN-{number:06d}"
    stamp = traffy_time(now.astimezone(UTC))
    return {
        "ticket_id": ticket_id, "type": "อื่นๆ", "organization": AGENCY_NAMES["OPS"],
        "description": "เรื่องที่ไม่มีในระบบกลาง", "photo": None, "latitude": 13.7563, "longitude": 100.5018,
        "address": "กรุงเทพมหานคร", "subdistrict": "", "district": "", "province": "กรุงเทพมหานคร",
        "timestamp": stamp, "photo_after": None, "timestamp_inprogress": None, "timestamp_finished": None,
        "org_finished": None, "status": STATE_NAMES["start"][0], "confirmed": False, "star": None,
        "count_reopen": 0, "last_activity": stamp,
    }

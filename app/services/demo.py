"""The demo data set: agencies, case types, demo accounts and many realistic cases, loaded in bulk.

Cases go in with COPY on PostgreSQL and executemany on SQLite, their tracking codes numbered
per agency (the one each was filed with) and B.E. year after whatever the counters already hold.
Each case's timeline follows it the same way: the events of its history
(app/domain/demo_history.py), each naming the demo account (or the public form, or the
requester's link) that the screens would have named, and the case's SLA fields (clock start,
pause, due date, flag) are worked out from that history as the screens would have left them.
"""
from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import NamedTuple

from sqlalchemy import func, insert, select, text

from app.domain import pause_recount
from app.domain import sla as sla_rules
from app.domain.demo_corpus import generate_cases
from app.domain.demo_history import PUBLIC, REQUESTER, STAFF_ROLES
from app.domain.local_time import BANGKOK
from app.domain.statuses import PUBLIC_ACTOR, REQUESTER_ACTOR, Channel, EventKind, EventSource, Status
from app.domain.tracking import BE_OFFSET, format_tracking_code
from app.extensions import db
from app.models import Agency, Case, CaseEvent, CaseType, StaffUser, TrackingCounter
from app.services import dashboard_summary, seed, tracking
from app.services import cases as cases_service
from app.services import sla as sla_service
from app.services.db import copy_types, is_postgresql
from app.services.demo_sync import TRAFFY_AGENCY
from app.services.prefetch import Prefetched
from app.services.roles import sync_roles

CASE_COLUMNS = (
    "tracking_code", "agency_id", "case_type_id", "kind", "channel", "title", "description", "requester_name",
    "requester_phone", "requester_email", "requester_id", "province", "district", "subdistrict", "latitude",
    "longitude", "status", "priority", "external_ref", "external_agency_id", "submitted_at", "first_response_at",
    "sla_started_at", "due_at", "closed_at", "sla_flag", "paused_days", "paused_since", "reopen_count",
    "satisfaction", "created_at", "updated_at", "version", "moved_on_platform_at",
)
_SUBMITTED = CASE_COLUMNS.index("submitted_at")
BATCH = 20_000
_TRAFFY = Channel.TRAFFY.value
# Rows per COPY on PostgreSQL: a thread makes the next chunk while the server stores this one.
COPY_CHUNK = 50_000
BULK_REBUILD_ROWS = 100_000
# Bangkok's wall clock from a UTC instant by one addition (no tzinfo call per row).
_BANGKOK_OFFSET = BANGKOK.utcoffset(None)


def load_demo_data(*, case_count: int, password: str, random_seed: int = 2569, now: datetime | None = None,
                   echo: Callable[[str], None] = lambda _: None) -> dict:
    started = time.perf_counter()
    session = db.session
    sync_roles()
    agencies = seed.ensure_agencies_and_types(session)
    made = seed.ensure_demo_users(session, password, agencies)
    session.commit()
    loaded = 0
    if case_count:
        loaded = load_cases(case_count, seed=random_seed, now=now, echo=echo)
    synced = _demo_departmental_systems(session, loaded)
    return {"agencies": len(agencies), "users_created": len(made), "cases_loaded": loaded,
            "sync_configured": synced,
            "total_cases": session.execute(select(func.count(Case.id))).scalar_one(),
            "seconds": round(time.perf_counter() - started, 2)}


def _demo_departmental_systems(session, loaded: int) -> list[str]:
    """Agencies pull status from the simulator, and the new cases carry the references it serves."""
    from flask import current_app

    from app.services import demo_sync

    configured = demo_sync.configure_demo_connectors(session, current_app.config["DEPARTMENTS_URL"])
    if loaded:
        demo_sync.align_demo_references(session)
    session.commit()
    return configured


FORWARDED = Status.FORWARDED.value


class _TypeTarget(NamedTuple):
    """What a loaded row needs of its case type, read once (not through ORM attributes per row)."""

    id: int
    agency_id: int
    sla_days: int
    at_risk_share: float
    kind: str


def demo_actors(session) -> dict[tuple, tuple[int | None, str]]:
    """(agency code or None, role) of demo_history -> (account id, label) as events name them: an
    agency's demo manager, officer or clerk by username (no id when the account is missing), the
    public form and the requester's link by their labels."""
    codes = session.execute(select(Agency.code)).scalars().all()
    names = {(code, role): seed.demo_username(code, role) for code in codes for role in STAFF_ROLES}
    ids = dict(session.execute(select(StaffUser.username, StaffUser.id)
                               .where(StaffUser.username.in_(list(names.values())))).all())
    actors = {key: (ids.get(name), name) for key, name in names.items()}
    actors[(None, PUBLIC)] = (None, PUBLIC_ACTOR)
    actors[(None, REQUESTER)] = (None, REQUESTER_ACTOR)
    return actors


class _CaseRows:
    """Generated cases as table rows, numbering tracking codes as it goes.

    Each item is (row, history): the row in CASE_COLUMNS order, and the case's history
    (_Timelines makes it rows of case_event). `counters` holds the last number used per
    (agency, B.E. year) once iteration is over.
    """

    def __init__(self, session, count: int, seed: int, now: datetime):
        self.session, self.count, self.seed, self.now = session, count, seed, now
        self.counters = {(row.agency_code, row.year_be): row.last_value
                         for row in session.execute(select(TrackingCounter)).scalars()}
        # Read everything needed up front: on PostgreSQL the connection is busy with COPY
        # while the rows are generated.
        self.types = {
            t.code: _TypeTarget(t.id, t.agency_id, t.sla_days, t.at_risk_share, t.kind)
            for t in session.execute(select(CaseType)).scalars()}
        # A case that has just been forwarded is under the type forwarding gave it.
        self.receiving_types = {}
        for agency_id, kind in {(t.agency_id, t.kind) for t in self.types.values()}:
            received = cases_service.receiving_type(session, agency_id, kind)
            if received is not None:
                self.receiving_types[agency_id, kind] = _TypeTarget(
                    received.id, received.agency_id, received.sla_days, received.at_risk_share, received.kind)
        self.calendar = sla_service.calendar(session)
        # A second load must not reuse references the first one gave out.
        self.taken_refs = {tuple(row) for row in session.execute(
            select(Case.external_agency_id, Case.external_ref).where(Case.external_ref.is_not(None)))}
        # Traffy Fondue tickets are numbers in OPS's system, whichever agency a complaint went to.
        self.traffy_agency_id = session.execute(
            select(Agency.id).where(Agency.code == TRAFFY_AGENCY)).scalar_one_or_none()
        self.agency_ids = {code: id_ for id_, code in session.execute(select(Agency.id, Agency.code))}
        self.agency_ids[None] = None
        self.actors = demo_actors(session)

    def __iter__(self) -> Iterator[tuple]:
        types, taken_refs, traffy_agency_id = self.types, self.taken_refs, self.traffy_agency_id
        receiving_types = self.receiving_types
        now, counters = self.now, self.counters
        sla_of = sla_rules.SlaMemo(self.calendar, now)
        paused_of = _PausedDays(self.calendar, now)
        ended_pauses_of = _EndedPauses()
        for case in generate_cases(self.count, seed=self.seed, now=now):
            case_type = types[case["case_type_code"]]
            if case["status"] == FORWARDED:
                case_type = receiving_types.get((case_type.agency_id, case_type.kind), case_type)
            submitted = case["submitted_at"]
            history = case["history"]
            # A forwarded case keeps the code of the agency it was filed with.
            key = (history.origin, (submitted + _BANGKOK_OFFSET).year + BE_OFFSET)
            counters[key] = counters.get(key, 0) + 1
            code = format_tracking_code(key[0], key[1], counters[key])
            closed = case["closed_at"]
            agency_id = case_type.agency_id
            external_ref, ref_agency_id = case["external_ref"], None
            if external_ref is not None:
                ref_agency_id = traffy_agency_id if case["channel"] == _TRAFFY else agency_id
                if (ref_agency_id, external_ref) in taken_refs or ref_agency_id is None:
                    external_ref = ref_agency_id = None
            _steps, _origin, clock_start, paused_from, paused_until, last = history
            started = submitted + clock_start if clock_start else submitted
            # The waits and closings that have ended, as the moves on screen counted them.
            paused_days = paused = sum(paused_of(submitted + begin, submitted + end)
                                       for begin, end in ended_pauses_of(history))
            paused_since = None
            if paused_from is not None and paused_until is None:  # still waiting: the pause runs to today
                paused_since = submitted + paused_from
                paused += paused_of(paused_since, None)
            due, flag = sla_of(started, case_type.sla_days, paused, case_type.at_risk_share, closed)
            yield (
                code, agency_id, case_type.id, case_type.kind, case["channel"], case["title"],
                case["description"], case["requester_name"], case["requester_phone"], case["requester_email"],
                case["requester_id"], case["province"], case["district"], case["subdistrict"], case["latitude"],
                case["longitude"], case["status"], case["priority"], external_ref, ref_agency_id, submitted,
                case["first_response_at"], started, due, closed, flag, paused_days, paused_since,
                case["reopen_count"], case["satisfaction"], submitted, submitted + last, 1,
                _last_platform_move(submitted, _steps),
            ), history


# The moves a person makes on the platform, which a departmental update dated before them does
# not undo (app/domain/status_sync; as migration 0013 reads them from a timeline).
_PLATFORM_MOVES = frozenset({EventKind.STATUS.value, EventKind.REOPEN.value, EventKind.FORWARD_OUT.value})
_PLATFORM_SOURCES = frozenset({EventSource.SCREEN.value, EventSource.API.value, EventSource.PUBLIC.value})


def _last_platform_move(submitted: datetime, steps) -> datetime | None:
    last = None
    for step in steps:
        if step.kind in _PLATFORM_MOVES and step.source in _PLATFORM_SOURCES:
            last = step.offset
    return None if last is None else submitted + last


class _PausedDays:
    """Working days a wait for the applicant paused the clock, as the screens count them
    (app/services/sla.py): from its start to its end, or to today while it lasts; memoised by
    Bangkok day."""

    def __init__(self, calendar, now: datetime):
        self.calendar, self.today, self.memo = calendar, (now + _BANGKOK_OFFSET).date(), {}

    def __call__(self, start: datetime, end: datetime | None) -> int:
        key = ((start + _BANGKOK_OFFSET).date(), self.today if end is None else (end + _BANGKOK_OFFSET).date())
        days = self.memo.get(key)
        if days is None:
            days = self.memo[key] = max(0, self.calendar.working_days_between(*key))
        return days


class _EndedPauses:
    """The ended pauses of a history, as (start, end) offsets after submission: worked out once
    per history, which most cases share with the others of their bundle."""

    def __init__(self):
        self.memo = {}

    def __call__(self, history) -> list[tuple]:
        entry = self.memo.get(id(history))
        if entry is None:
            moves = ((step.offset, step.from_status, step.to_status) for step in history.steps)
            entry = self.memo[id(history)] = (history, pause_recount.ended_pauses(moves, history.clock_start))
        return entry[1]


class _Timelines:
    """A history's case_event rows (EVENT_COLUMNS) but for the case's id and each event's time:
    worked out once per history, which most cases share with the others of their bundle, and
    kept with it (so that its id is not reused while the load runs)."""

    def __init__(self, actors: dict, agency_ids: dict):
        self.actors, self.agency_ids, self.memo = actors, agency_ids, {}

    def __call__(self, history) -> list[tuple]:
        """[(offset after submission, the row's columns after case_id and at)] of `history`."""
        entry = self.memo.get(id(history))
        if entry is None:
            actors, agency_ids = self.actors, self.agency_ids
            parts = [(offset, (kind, source, *actors[actor], from_status, to_status, agency_ids[from_agency],
                               agency_ids[to_agency], note, public, changes))
                     for offset, kind, source, actor, from_status, to_status, from_agency, to_agency, note, public,
                     changes in history.steps]
            entry = self.memo[id(history)] = (history, parts)
        return entry[1]


def load_cases(count: int, *, seed: int = 2569, now: datetime | None = None,
               echo: Callable[[str], None] = lambda _: None) -> int:
    session = db.session
    now = now or datetime.now(timezone.utc)
    existing = session.execute(select(func.count(Case.id))).scalar_one()
    # Later loads draw other cases than the first one.
    rows = _CaseRows(session, count, seed + existing, now)
    with _no_cycle_collection():
        _write(session, rows, count, existing, echo)
    for (agency_code, year_be), value in rows.counters.items():
        tracking.raise_counters_to(session, agency_code, year_be, value)
    session.commit()
    return count


@contextmanager
def _no_cycle_collection():
    """The load makes millions of short-lived rows that hold no reference cycles (reference
    counting frees them), while the generator's pools and histories stay alive: the cycle
    collector's passes over those pools took over a quarter of the time spent making the rows,
    for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write(session, rows: _CaseRows, count: int, existing: int, echo) -> None:
    if is_postgresql(session):
        # A large load into a small table loads like a restore: the secondary indexes and the
        # constraints are built once at the end instead of row by row, and each chunk marks its
        # dashboard cells in one statement. All in this transaction: a failure leaves them as they were.
        rebuild = count >= BULK_REBUILD_ROWS and count >= existing
        restore = _set_aside_for_bulk_load(session) if rebuild else []
        _copy_postgresql(session, rows, count, echo, mark_cells=rebuild)
        if rebuild:
            for statement in restore:
                session.execute(text(statement))
            echo(f"  rebuilt {len(restore) - 1} indexes and constraints")
    else:
        _insert_batches(session, rows, count, echo)


BULK_TABLES = ("case", "case_event")


def _set_aside_for_bulk_load(session) -> list[str]:
    """Drop the secondary indexes, unique constraints and foreign keys of the bulk-loaded tables
    (primary keys stay), and switch off the dashboards' triggers on "case"; return the statements
    that put it all back.

    An index built once sorts the rows once, and a foreign key added back checks every row in
    one join, instead of one lookup per row."""
    tables = list(BULK_TABLES)
    indexes = session.execute(text(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i "
        "WHERE i.schemaname = current_schema() AND i.tablename = ANY(:tables) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
    ), {"tables": tables}).all()
    # Unique constraints first, so that they are added back before the foreign keys.
    constraints = session.execute(text(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "WHERE c.contype IN ('u', 'f') AND c.conrelid = ANY(CAST(:tables AS regclass[])) "
        "ORDER BY c.contype DESC, c.conname"
    ), {"tables": [f'"{name}"' for name in tables]}).all()
    for name, _definition in indexes:
        session.execute(text(f'DROP INDEX "{name}"'))
    for table, name, _definition in constraints:
        session.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    session.execute(text('ALTER TABLE "case" DISABLE TRIGGER USER'))
    # Index builds sort in memory rather than in temporary files.
    session.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
    return (['ALTER TABLE "case" ENABLE TRIGGER USER']
            + [definition for _name, definition in indexes]
            + [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition in constraints])


EVENT_COLUMNS = ("case_id", "at", "kind", "source", "actor_id", "actor_label", "from_status", "to_status",
                 "from_agency_id", "to_agency_id", "note", "public", "changes")


def _copy_postgresql(session, rows: _CaseRows, count: int, echo, *, mark_cells: bool) -> None:
    """COPY the cases chunk by chunk, each followed by its timeline events, while a thread makes
    the next chunk: Python generates rows as the server stores the previous ones.

    The cases get their ids here (new cases are locked out meanwhile), so their events go in by
    COPY too. Binary COPY: the server reads values as they are stored instead of parsing text,
    and the driver's binary dumpers cost a fraction of formatting dates and numbers as text."""
    session.execute(text('LOCK TABLE "case" IN SHARE ROW EXCLUSIVE MODE'))
    last_id = session.execute(select(func.coalesce(func.max(Case.id), 0))).scalar_one()
    connection = session.connection().connection.driver_connection
    case_copy = f'COPY "case" (id, {", ".join(CASE_COLUMNS)}) FROM STDIN (FORMAT BINARY)'
    event_copy = f'COPY case_event ({", ".join(EVENT_COLUMNS)}) FROM STDIN (FORMAT BINARY)'
    case_types = copy_types(Case.__table__, ("id",) + CASE_COLUMNS)
    event_types = copy_types(CaseEvent.__table__, EVENT_COLUMNS)
    timeline = _Timelines(rows.actors, rows.agency_ids)
    done = 0
    with Prefetched(lambda: rows, batch_size=COPY_CHUNK, depth=1, name="demo-data") as chunks:
        for chunk in chunks:
            with connection.cursor() as cursor:
                with cursor.copy(case_copy) as copy:
                    copy.set_types(case_types)
                    case_id = last_id
                    for row, _history in chunk:
                        case_id += 1
                        copy.write_row((case_id, *row))
                with cursor.copy(event_copy) as copy:
                    copy.set_types(event_types)
                    write = copy.write_row
                    case_id = last_id
                    for row, history in chunk:
                        case_id += 1
                        submitted = row[_SUBMITTED]
                        for offset, rest in timeline(history):
                            write((case_id, submitted + offset, *rest))
            if mark_cells:
                dashboard_summary.mark_dirty_between(session, last_id + 1, last_id + len(chunk))
            last_id += len(chunk)
            done += len(chunk)
            echo(f"  {done:,} / {count:,} cases")
    session.execute(text("SELECT setval(pg_get_serial_sequence('\"case\"', 'id'), :last)"), {"last": last_id})


def _insert_batches(session, rows: _CaseRows, count: int, echo) -> None:
    """Cases by executemany, their ids given here so that their events can name them."""
    case_id = session.execute(select(func.coalesce(func.max(Case.id), 0))).scalar_one()
    cases, events = insert(Case.__table__), insert(CaseEvent.__table__)
    columns = ("id",) + CASE_COLUMNS
    timeline = _Timelines(rows.actors, rows.agency_ids)
    case_batch, event_batch = [], []
    done = 0
    for row, history in rows:
        case_id += 1
        case_batch.append(dict(zip(columns, (case_id, *row))))
        submitted = row[_SUBMITTED]
        event_batch.extend(dict(zip(EVENT_COLUMNS, (case_id, submitted + offset, *rest)))
                           for offset, rest in timeline(history))
        if len(case_batch) == BATCH:
            session.execute(cases, case_batch)
            session.execute(events, event_batch)
            done += len(case_batch)
            case_batch, event_batch = [], []
            echo(f"  {done:,} / {count:,} cases")
    if case_batch:
        session.execute(cases, case_batch)
        session.execute(events, event_batch)

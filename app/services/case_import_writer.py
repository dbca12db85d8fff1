"""Writing an import plan set-based: new cases and their timeline events in bulk (COPY on
PostgreSQL, executemany on SQLite), tracking codes allocated per agency and B.E. year in one
step each, and updates checked against the version each case had when the plan read it.

Helpers here never commit: app.services.case_import owns the transaction.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import JSON, bindparam, select, text

from app.domain import sla as sla_rules
from app.domain.calendar import WorkingCalendar
from app.domain.case_import import ImportRow, status_change_kind
from app.domain.statuses import CLOSED_STATUSES, Channel, EventKind, Priority, Status
from app.domain.tracking import be_year
from app.models import Case, CaseEvent
from app.models.types import UTCDateTime, stored_utc
from app.services import dashboard_summary
from app.services import sla as sla_service
from app.services import tracking
from app.services.actor import Actor
from app.services.db import copy_types, is_postgresql
from app.services.errors import Conflict

CASE_COLUMNS = (
    "id", "tracking_code", "agency_id", "case_type_id", "kind", "channel", "title", "description",
    "requester_name", "requester_phone", "requester_email", "requester_id", "province", "district",
    "subdistrict", "latitude", "longitude", "status", "priority", "external_ref", "external_agency_id", "submitted_at",
    "first_response_at", "sla_started_at", "due_at", "closed_at", "sla_flag", "paused_days", "paused_since",
    "reopen_count", "created_at", "updated_at", "version", "moved_on_platform_at",
)
EVENT_COLUMNS = (
    "case_id", "at", "kind", "source", "actor_id", "actor_label", "from_status", "to_status", "to_agency_id",
    "note", "public", "origin", "changes",
)
UPDATABLE = (
    "case_type_id", "kind", "title", "description", "requester_name", "requester_phone", "requester_email",
    "requester_id", "province", "district", "subdistrict", "latitude", "longitude", "priority", "channel",
    "external_ref", "external_agency_id", "status", "submitted_at", "closed_at", "first_response_at",
    "sla_started_at", "due_at", "sla_flag", "paused_days", "paused_since", "reopen_count",
)
BATCH = 5_000
SQLITE_IMPORT_CACHE_KIB = -256_000  # negative: KiB, as SQLite reads it
# New cases from which an SQLite import sets the dashboards' row triggers aside.
SQLITE_TRIGGER_ASIDE_ROWS = 2_000


def reserve_case_ids(session, count: int) -> list[int]:
    """Ids for `count` new cases, taken before the rows exist so that their events can name them."""
    if count == 0:
        return []
    if is_postgresql(session):
        return list(session.execute(text(
            "SELECT nextval(pg_get_serial_sequence('\"case\"', 'id')) FROM generate_series(1, :n)"), {"n": count}
        ).scalars())
    # SQLite: every write transaction starts with BEGIN IMMEDIATE (app/sqlite.py), so no other
    # writer can take these ids before the transaction ends.
    last = session.execute(text('SELECT coalesce(max(id), 0) FROM "case"')).scalar_one()
    return list(range(last + 1, last + 1 + count))


def allocate_codes(session, agency_code: str, rows: list[ImportRow]) -> list[str]:
    """Tracking codes for the rows, in row order, numbered per B.E. year of their submission."""
    by_year: dict[int, list[int]] = defaultdict(list)
    for position, row in enumerate(rows):
        by_year[be_year(row.submitted_at)].append(position)
    codes: list[str] = [""] * len(rows)
    for year in sorted(by_year):
        positions = by_year[year]
        moment = rows[positions[0]].submitted_at
        for position, code in zip(positions, tracking.allocate(session, agency_code, moment, count=len(positions))):
            codes[position] = code
    return codes


def _event(actor: Actor, case_id: int, at: datetime, kind: str, origin: str, *, agency_id=None,
           from_status=None, to_status=None, note=None, public=False, changes=None) -> tuple:
    return (case_id, at, kind, str(actor.source), actor.user_id, actor.label or None, from_status, to_status, agency_id, note, public, origin[:300],
            changes)


def insert_new_cases(session, actor: Actor, plan, now: datetime, progress=None) -> int:
    rows = plan.new
    if not rows:
        return 0
    codes = allocate_codes(session, plan.agency_code, rows)
    ids = reserve_case_ids(session, len(rows))
    sla = sla_rules.SlaMemo(sla_service.calendar(session), now)
    events: list[tuple] = []
    agency_id = plan.agency_id
    # Enum members' values looked up once, not per row.
    received, created, status_kind = Status.RECEIVED.value, EventKind.CREATED.value, EventKind.STATUS.value
    import_channel, normal, waiting = Channel.IMPORT.value, Priority.NORMAL.value, Status.WAITING_APPLICANT.value
    # One memo of stored times for the cases and their events: an event's time is its case's
    # submission, and a case's SLA start is too.
    times = _SqliteTimes()

    def case_rows():
        """Each case as it is written: on PostgreSQL the server stores one part of the COPY
        while the next is made here, instead of waiting for a list of them all."""
        for row, code, case_id in zip(rows, codes, ids):
            values, case_type = row.values, row.case_type
            status = str(row.status or received)
            closed = row.closed_at if status in CLOSED_STATUSES else None
            submitted = row.submitted_at
            due, flag = sla(submitted, case_type.sla_days, 0, case_type.at_risk_share, closed)
            origin = plan.origin(row)
            events.append(_event(actor, case_id, submitted, created, origin, agency_id=agency_id,
                                 to_status=received, note=row.note))
            if status != received:
                events.append(_event(actor, case_id, closed or now, status_kind, origin,
                                     from_status=received, to_status=status, public=True))
            yield (
                case_id, code, agency_id, case_type.id, case_type.kind, values.get("channel") or import_channel,
                values["title"], values.get("description"), values.get("requester_name"),
                values.get("requester_phone"), values.get("requester_email"), values.get("requester_id"),
                values.get("province"), values.get("district"), values.get("subdistrict"), values.get("latitude"),
                values.get("longitude"), status, values.get("priority") or normal,
                values.get("external_ref"), agency_id if values.get("external_ref") else None, submitted,
                closed if status != received else None, submitted, due, closed, flag, 0,
                now if status == waiting else None, 0, now, now, 1,
                # A status the clerk's sheet gives is a move made on the platform: a departmental
                # update dated before the import does not undo it (status_sync).
                now if status != received else None,
            )

    with _dashboard_cells_marked_at_once(session, ids):
        _bulk_insert(session, Case.__table__, CASE_COLUMNS, case_rows(), len(rows), progress, "write", times)
    _bulk_insert(session, CaseEvent.__table__, EVENT_COLUMNS, events, len(events), times=times)
    return len(rows)


@contextmanager
def _dashboard_cells_marked_at_once(session, ids: list[int]):
    """On SQLite, a large insert runs without the dashboards' row triggers on "case" and marks
    the cells of the new rows in one statement after it: the trigger's lookup per row more than
    doubles the time of inserting cases there. The triggers are dropped and made again from
    their own definitions inside the import's transaction (SQLite's DDL is transactional, and
    BEGIN IMMEDIATE keeps other writers out), so a failed import leaves them as they were.
    PostgreSQL's triggers are per statement and cheap: nothing to do there."""
    if is_postgresql(session) or len(ids) < SQLITE_TRIGGER_ASIDE_ROWS:
        yield
        return
    triggers = session.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'case' "
        "AND name LIKE 'dashboard%'")).all()
    for name, _sql in triggers:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    dashboard_summary.mark_dirty_between(session, min(ids), max(ids))
    for _name, sql in triggers:
        session.execute(text(sql))


def _bulk_insert(session, table, columns: tuple[str, ...], rows: Iterable[tuple], total: int, progress=None,
                 stage: str = "", times: _SqliteTimes | None = None) -> None:
    """Inserts `total` rows, taken from `rows` as they come, in parts of BATCH. `times` is a
    memo of stored times to share with other inserts of the same import (SQLite only)."""
    if not total:
        return
    parts = _parts(rows)
    if is_postgresql(session):
        connection = session.connection().connection.driver_connection
        with connection.cursor() as cursor:
            # Binary COPY with the column types given: no text round trip for numbers and times.
            with cursor.copy(f'COPY "{table.name}" ({", ".join(columns)}) FROM STDIN (FORMAT BINARY)') as copy:
                copy.set_types(copy_types(table, columns))
                write_row = copy.write_row
                done = 0
                for part in parts:
                    for row in part:
                        write_row(row)
                    done += len(part)
                    if progress:
                        progress(stage, done, total)
        return
    # SQLite: the driver's executemany inside the session's transaction, with values already in
    # the form SQLAlchemy would store them (UTC text times, JSON text), converted column by
    # column: a third of the time of binding each row through the ORM's type processors.
    convert = _sqlite_converters(table, columns, _SqliteTimes() if times is None else times)
    cursor = session.connection().connection.driver_connection.cursor()
    # A page cache big enough for the case table's indexes, so inserts do not thrash it.
    previous_cache = cursor.execute("PRAGMA cache_size").fetchone()[0]
    cursor.execute(f"PRAGMA cache_size = {SQLITE_IMPORT_CACHE_KIB}")
    statement = f'INSERT INTO "{table.name}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
    try:
        done = 0
        for part in parts:
            if convert:
                part = [list(row) for row in part]
                for at, to_text in convert:
                    for values in part:
                        value = values[at]
                        if value is not None:
                            values[at] = to_text(value)
            cursor.executemany(statement, part)
            done += len(part)
            if progress:
                progress(stage, done, total)
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(previous_cache)}")
        cursor.close()


def _parts(rows: Iterable[tuple], size: int = BATCH) -> Iterator[list[tuple]]:
    rows = iter(rows)
    while part := list(islice(rows, size)):
        yield part


def _sqlite_converters(table, columns: tuple[str, ...], times: _SqliteTimes) -> list[tuple[int, Callable[[Any], Any]]]:
    """(position, conversion) for each column whose Python value SQLite cannot take as it is;
    the time columns share the memo `times`."""
    found = []
    for at, name in enumerate(columns):
        column_type = table.c[name].type
        if isinstance(column_type, UTCDateTime):
            found.append((at, times))
        elif isinstance(column_type, JSON):
            found.append((at, lambda value: json.dumps(value, ensure_ascii=False)))
    return found


class _SqliteTimes(dict):
    """What app.models.types.UTCDateTime stores on SQLite for an aware datetime: naive UTC text,
    microseconds always written; remembered per value, since a column repeats the time of the
    import and the days of a register."""

    def __missing__(self, moment: datetime) -> str:
        text = self[moment] = stored_utc(moment).isoformat(" ", "microseconds")[:26]
        return text

    __call__ = dict.__getitem__


def _shown(value):
    return value.isoformat() if isinstance(value, datetime) else value


def apply_updates(session, actor: Actor, plan, now: datetime) -> int:
    updates = plan.updates
    if not updates:
        return 0
    ids = [update.stored["id"] for update in updates]
    expected = {update.stored["id"]: update.stored["version"] for update in updates}
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        stmt = select(Case.id, Case.version).where(Case.id.in_(batch))
        if is_postgresql(session):
            stmt = stmt.with_for_update()
        for case_id, version in session.execute(stmt):
            if expected.pop(case_id) != version:
                raise Conflict()
    if expected:
        raise Conflict()

    types = {t.id: t for t in plan.context.case_types}
    sla = sla_rules.SlaMemo(sla_service.calendar(session), now)
    params, events = [], []
    for update in updates:
        stored, changes, row = update.stored, update.changes, update.row
        after = dict(stored)
        for name, (_old, new) in changes.items():
            after[name] = new
        case_type = types[after["case_type_id"]]
        after["kind"] = case_type.kind
        if "external_ref" in changes:
            # A reference the sheet gives is a number in the importing agency's system.
            after["external_agency_id"] = plan.agency_id if after["external_ref"] else None
        origin = plan.origin(row)
        old_status, new_status = stored["status"], after["status"]
        status_kind = None
        if old_status != new_status:
            status_kind = status_change_kind(old_status, new_status)
            _move_status(after, old_status, new_status, sla.calendar, now, closed_before=stored["closed_at"])
            if status_kind == "reopen":
                after["reopen_count"] = (stored["reopen_count"] or 0) + 1
        if "submitted_at" in changes and stored["sla_started_at"] == stored["submitted_at"]:
            after["sla_started_at"] = after["submitted_at"]
        start = after["sla_started_at"] or after["submitted_at"]
        paused = after["paused_days"] or 0
        if after["paused_since"] is not None:
            paused += sla_rules.paused_working_days([(after["paused_since"], None)], sla.calendar, now)
        after["due_at"], after["sla_flag"] = sla(start, case_type.sla_days, paused, case_type.at_risk_share,
                                                 after["closed_at"])
        params.append({**{name: after[name] for name in UPDATABLE}, "id": stored["id"], "updated_at": now,
                       "version": stored["version"] + 1, "moved_on_platform_at": now if status_kind else None})
        edited = {name: [_shown(old), _shown(new)] for name, (old, new) in changes.items() if name != "status"}
        if edited:
            events.append(_event(actor, stored["id"], now, EventKind.EDIT.value, origin, changes=edited, note=row.note))
        if status_kind:
            # The note column is the office's own remark, internal as on a new case's `created`
            # event: a move that carries it keeps it from the status page (the move still shows).
            note = None if edited else row.note
            events.append(_event(actor, stored["id"], now, EventKind.REOPEN.value if status_kind == "reopen"
                                 else EventKind.STATUS.value, origin, from_status=old_status, to_status=new_status,
                                 public=note is None, note=note))
    assignments = ", ".join(f"{name} = :{name}" for name in (*UPDATABLE, "updated_at", "version"))
    # A status the sheet moves is a move made on the platform, as one made on the case page.
    assignments += ", moved_on_platform_at = COALESCE(:moved_on_platform_at, moved_on_platform_at)"
    statement = text(f'UPDATE "case" SET {assignments} WHERE id = :id')
    # Bind through the Case table's column types, so that aware datetimes are stored in UTC.
    statement = statement.bindparams(*(_typed(name) for name in (*UPDATABLE, "updated_at", "moved_on_platform_at")))
    for start in range(0, len(params), BATCH):
        session.execute(statement, params[start:start + BATCH])
    _bulk_insert(session, CaseEvent.__table__, EVENT_COLUMNS, events, len(events))
    return len(updates)


def _typed(name: str):
    return bindparam(name, type_=Case.__table__.c[name].type)


def _move_status(after: dict, old: str, new: str, calendar: WorkingCalendar, now: datetime, *,
                 closed_before: datetime | None) -> None:
    """The SLA bookkeeping of a status move (sla_rules.clock_after_move, as for every move);
    `closed_before` is when the case closed, for a reopening. A closing keeps the sheet's closing
    date."""
    after["paused_days"], after["paused_since"], _ = sla_rules.clock_after_move(
        (after["paused_days"], after["paused_since"], closed_before), old, new, now, calendar)
    if new not in CLOSED_STATUSES:
        after["closed_at"] = None
    if after["first_response_at"] is None and new != Status.RECEIVED:
        after["first_response_at"] = after["closed_at"] or now

"""The demo data set: agencies, case types, demo accounts and many realistic cases, loaded in bulk.

Cases go in with COPY on PostgreSQL and executemany on SQLite, their tracking codes numbered
per agency and B.E. year after whatever the counters already hold; timeline events are then
written set-based from the loaded rows.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone

from sqlalchemy import func, insert, select, text

from app.domain import sla as sla_rules
from app.domain.demo_corpus import generate_cases
from app.domain.tracking import BANGKOK, BE_OFFSET, format_tracking_code
from app.extensions import db
from app.models import Case, CaseType, TrackingCounter
from app.services import seed, tracking
from app.services import sla as sla_service
from app.services.roles import sync_roles

CASE_COLUMNS = (
    "tracking_code", "agency_id", "case_type_id", "kind", "channel", "title", "description", "requester_name",
    "requester_phone", "requester_email", "requester_id", "province", "district", "subdistrict", "latitude",
    "longitude", "status", "priority", "external_ref", "submitted_at", "first_response_at", "sla_started_at",
    "due_at", "closed_at", "sla_flag", "paused_days", "reopen_count", "satisfaction", "created_at",
    "updated_at", "version",
)
BATCH = 20_000
BULK_REBUILD_ROWS = 100_000


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


class _SlaMemo:
    """Due instant and SLA flag of a loaded case. They depend only on the local days of
    submission and closing and on the type's target, so each combination is computed once."""

    def __init__(self, calendar, now: datetime):
        self.calendar, self.now, self.memo = calendar, now, {}

    def __call__(self, submitted: datetime, closed: datetime | None, case_type) -> tuple:
        start = sla_rules.local_date(submitted)
        end = sla_rules.local_date(closed if closed is not None else self.now)
        key = (start, end, case_type.sla_days, case_type.at_risk_share)
        answer = self.memo.get(key)
        if answer is None:
            days, share = case_type.sla_days, case_type.at_risk_share
            answer = self.memo[key] = (
                sla_rules.due_at(submitted, days, 0, self.calendar),
                sla_rules.sla_flag(self.now, submitted, days, 0, self.calendar, share, closed_at=closed),
            )
        return answer


class _CaseRows:
    """Generated cases as table rows, numbering tracking codes as it goes.

    `counters` holds the last number used per (agency, B.E. year) once iteration is over, and
    `notes` the public closing note per tracking code.
    """

    def __init__(self, session, count: int, seed: int, now: datetime):
        self.session, self.count, self.seed, self.now = session, count, seed, now
        self.counters = {(row.agency_code, row.year_be): row.last_value
                         for row in session.execute(select(TrackingCounter)).scalars()}
        self.notes: list[tuple[str, str]] = []
        # Read everything needed up front: on PostgreSQL the connection is busy with COPY
        # while the rows are generated.
        self.types = {t.code: t for t in session.execute(select(CaseType)).scalars()}
        self.agency_ids = {t.agency.code: t.agency_id for t in self.types.values()}
        self.calendar = sla_service.calendar(session)
        # A second load must not reuse references the first one gave out.
        self.taken_refs = set(session.execute(
            select(Case.agency_id, Case.external_ref).where(Case.external_ref.is_not(None))).all())
        self.taken_refs = {tuple(row) for row in self.taken_refs}

    def __iter__(self) -> Iterator[tuple]:
        types, agency_ids = self.types, self.agency_ids
        now, counters = self.now, self.counters
        sla_of = _SlaMemo(self.calendar, now)
        for case in generate_cases(self.count, seed=self.seed, now=now):
            case_type = types[case["case_type_code"]]
            submitted = case["submitted_at"]
            key = (case["agency_code"], submitted.astimezone(BANGKOK).year + BE_OFFSET)
            counters[key] = counters.get(key, 0) + 1
            code = format_tracking_code(key[0], key[1], counters[key])
            closed = case["closed_at"]
            agency_id = agency_ids[case["agency_code"]]
            external_ref = case["external_ref"]
            if external_ref is not None and (agency_id, external_ref) in self.taken_refs:
                external_ref = None
            if closed is not None and case["public_note"]:
                self.notes.append((code, case["public_note"]))
            due, flag = sla_of(submitted, closed, case_type)
            yield (
                code, agency_id, case_type.id, case["kind"], case["channel"], case["title"],
                case["description"], case["requester_name"], case["requester_phone"], case["requester_email"],
                case["requester_id"], case["province"], case["district"], case["subdistrict"], case["latitude"],
                case["longitude"], case["status"], case["priority"], external_ref, submitted,
                case["first_response_at"], submitted, due, closed, flag, 0, case["reopen_count"], case["satisfaction"], submitted,
                closed or case["first_response_at"] or submitted, 1,
            )


def load_cases(count: int, *, seed: int = 2569, now: datetime | None = None,
               echo: Callable[[str], None] = lambda _: None) -> int:
    session = db.session
    now = now or datetime.now(timezone.utc)
    first_id = session.execute(select(func.coalesce(func.max(Case.id), 0))).scalar_one()
    existing = session.execute(select(func.count(Case.id))).scalar_one()
    # Later loads draw other cases than the first one.
    rows = _CaseRows(session, count, seed + existing, now)
    if session.get_bind().dialect.name == "postgresql":
        # A large load into a small table: build the secondary indexes once at the end instead
        # of updating them row by row (all in this transaction: a failure leaves them as they were).
        rebuild = count >= BULK_REBUILD_ROWS and count >= existing
        dropped = _drop_secondary_indexes(session, ("case", "case_event")) if rebuild else []
        _copy_postgresql(session, rows, count, echo)
        for (agency_code, year_be), value in rows.counters.items():
            tracking.raise_counters_to(session, agency_code, year_be, value)
        _write_events(session, first_id, rows.notes)
        for definition in dropped:
            session.execute(text(definition))
        if dropped:
            echo(f"  rebuilt {len(dropped)} indexes")
    else:
        _insert_batches(session, rows, count, echo)
        for (agency_code, year_be), value in rows.counters.items():
            tracking.raise_counters_to(session, agency_code, year_be, value)
        _write_events(session, first_id, rows.notes)
    session.commit()
    return count


def _drop_secondary_indexes(session, tables: tuple[str, ...]) -> list[str]:
    """Drop the indexes that back no constraint; return their definitions to recreate them."""
    rows = session.execute(text(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i "
        "WHERE i.schemaname = current_schema() AND i.tablename = ANY(:tables) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
    ), {"tables": list(tables)}).all()
    for name, _definition in rows:
        session.execute(text(f'DROP INDEX "{name}"'))
    return [definition for _name, definition in rows]


def _copy_postgresql(session, rows: Iterator[tuple], count: int, echo) -> None:
    connection = session.connection().connection.driver_connection
    columns = ", ".join(CASE_COLUMNS)
    with connection.cursor() as cursor:
        with cursor.copy(f'COPY "case" ({columns}) FROM STDIN') as copy:
            for n, row in enumerate(rows, 1):
                copy.write_row(row)
                if n % 100_000 == 0:
                    echo(f"  {n:,} / {count:,} cases")


def _insert_batches(session, rows: Iterator[tuple], count: int, echo) -> None:
    table = Case.__table__
    stmt = insert(table)
    batch = []
    done = 0
    for row in rows:
        batch.append(dict(zip(CASE_COLUMNS, row)))
        if len(batch) == BATCH:
            session.execute(stmt, batch)
            done += len(batch)
            batch = []
            echo(f"  {done:,} / {count:,} cases")
    if batch:
        session.execute(stmt, batch)


def _write_events(session, first_id: int, notes: list[tuple[str, str]]) -> None:
    """Each loaded case gets its 'created' event, and a closed one its closing event with its note."""
    session.execute(text(
        'INSERT INTO case_event (case_id, at, kind, source, actor_label, to_status, to_agency_id, public) '
        'SELECT id, submitted_at, :kind, :source, :label, :status, agency_id, :public FROM "case" WHERE id > :first'
    ), {"kind": "created", "source": "system", "label": "demo-data", "status": "received", "public": True,
        "first": first_id})
    session.execute(text("CREATE TEMPORARY TABLE demo_note (tracking_code VARCHAR(32) PRIMARY KEY, note TEXT)"))
    if session.get_bind().dialect.name == "postgresql":
        with session.connection().connection.driver_connection.cursor() as cursor:
            with cursor.copy("COPY demo_note (tracking_code, note) FROM STDIN") as copy:
                for row in notes:
                    copy.write_row(row)
    else:
        for start in range(0, len(notes), BATCH):
            session.execute(text("INSERT INTO demo_note (tracking_code, note) VALUES (:code, :note)"),
                            [{"code": code, "note": note} for code, note in notes[start:start + BATCH]])
    session.execute(text(
        'INSERT INTO case_event (case_id, at, kind, source, actor_label, from_status, to_status, note, public) '
        'SELECT c.id, c.closed_at, :kind, :source, :label, :from_status, c.status, n.note, :public '
        'FROM "case" c LEFT JOIN demo_note n ON n.tracking_code = c.tracking_code '
        'WHERE c.id > :first AND c.closed_at IS NOT NULL'
    ), {"kind": "status", "source": "system", "label": "demo-data", "from_status": "in_progress",
        "public": True, "first": first_id})
    session.execute(text("DROP TABLE demo_note"))

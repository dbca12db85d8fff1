"""Set-based reads and writes of the sync job, one class per database: no commits here.

A store loads the cases one batch of updates refers to and writes what the batch decided
(domain/status_sync.BatchPlan): new timeline events, ignoring those already written, and the
cases' new status and SLA columns, only where the case still has the version the batch read.
PostgreSQL gets binary COPY into temporary tables and one statement per step; SQLite, the
embedded default, gets executemany, which is fast there because it runs in-process.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, case, insert, select, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from app.domain.status_mapping import UnknownStatusSeen
from app.domain.status_sync import BatchPlan, CaseState
from app.domain.statuses import EventSource
from app.models import Case, CaseEvent, CaseType
from app.models.sync import UnknownExternalStatus
from app.models.types import utcnow

CASE_STATE_COLUMNS = (
    "id", "status", "external_updated_at", "paused_since", "paused_days", "closed_at", "first_response_at",
    "reopen_count", "sla_started_at", "submitted_at",
)
# What a status move may change on a case (a case only touched gets external_updated_at).
MOVED_COLUMNS = (
    "status", "external_updated_at", "paused_since", "paused_days", "closed_at", "first_response_at",
    "reopen_count", "due_at", "sla_flag",
)
EVENT_COLUMNS = ("case_id", "at", "kind", "from_status", "to_status", "note", "public", "external_id", "origin")
SYNC_SOURCE = str(EventSource.SYNC)


def _state(row) -> CaseState:
    """A loaded row (reference, CASE_STATE_COLUMNS, sla_days, at_risk_share, version,
    moved_on_platform_at, requester_name) as the state a batch decides on."""
    return CaseState(*row[1:-2], moved_on_platform_at=row[-2], requester_name=row[-1])


class CaseChangedDuringSync(RuntimeError):
    """A case the run was applying an update to was saved by someone else in between."""


def check_all_updated(updated: int, expected: int) -> None:
    if updated != expected:
        raise CaseChangedDuringSync(
            f"{expected - updated} case(s) were changed by someone else while the run applied updates to them")


class SyncStore:
    """What both databases share: the unknown-status tally, an upsert per status."""

    upsert = None  # the dialect's insert() with on_conflict_do_update
    # Whether write() may run in another thread than the loads (always one at a time).
    writes_from_a_thread = False

    def __init__(self, session, agency_id: int, *, actor_label: str):
        self.session = session
        self.agency_id = agency_id
        self.actor_label = actor_label

    def load_cases(self, references: Iterable[str]) -> dict[str, CaseState]:
        raise NotImplementedError

    def write(self, plan: BatchPlan) -> int:
        """Writes the plan; returns how many events were new."""
        raise NotImplementedError

    def recorded_events(self, candidates: set[tuple[int, str]]) -> set[tuple[int, str]]:
        """Which (case id, external id) of `candidates` the timeline holds (a handful a batch:
        the updates read again at their case's last applied time)."""
        events = CaseEvent.__table__
        rows = self.session.execute(select(events.c.case_id, events.c.external_id).where(
            events.c.case_id.in_({case_id for case_id, _ in candidates}),
            events.c.external_id.in_({external_id for _, external_id in candidates})))
        return {(case_id, external_id) for case_id, external_id in rows} & candidates

    def record_unknown_statuses(self, entries: list[UnknownStatusSeen], now) -> None:
        if not entries:
            return
        table = UnknownExternalStatus.__table__
        stmt = self.upsert(table)
        excluded = stmt.excluded
        newer = excluded.last_seen >= table.c.last_seen
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.agency_id, table.c.external_status],
            set_={
                "count": table.c.count + excluded.count,
                "first_seen": case((excluded.first_seen < table.c.first_seen, excluded.first_seen),
                                   else_=table.c.first_seen),
                "last_seen": case((newer, excluded.last_seen), else_=table.c.last_seen),
                "example_ref": case((newer, excluded.example_ref), else_=table.c.example_ref),
            },
        )
        self.session.execute(stmt, [
            {"agency_id": self.agency_id, "external_status": seen.external_status, "count": seen.count,
             "first_seen": seen.first_seen, "last_seen": seen.last_seen, "example_ref": seen.example_ref[:128]}
            for seen in entries
        ])


class PostgresSyncStore(SyncStore):
    """Each batch is copied (binary COPY, the cheapest way in for many rows) into two temporary
    tables that live as long as the run's transaction, then applied with one INSERT ... SELECT
    and one UPDATE ... FROM."""

    upsert = staticmethod(pg_dialect.insert)
    writes_from_a_thread = True

    LOAD = (
        'SELECT c.external_ref, c.id, c.status, c.external_updated_at, c.paused_since, c.paused_days, c.closed_at, '
        'c.first_response_at, c.reopen_count, c.sla_started_at, c.submitted_at, t.sla_days, t.at_risk_share, '
        'c.version, c.moved_on_platform_at, c.requester_name FROM "case" c JOIN case_type t ON t.id = c.case_type_id '
        'WHERE c.external_agency_id = %s AND c.external_ref = ANY(%b)'
    )
    STAGES = (
        "CREATE TEMPORARY TABLE sync_event_stage (case_id bigint, at timestamptz, kind text, from_status text, "
        "to_status text, note text, public boolean, external_id text, origin text) ON COMMIT DROP",
        "CREATE TEMPORARY TABLE sync_case_stage (id bigint PRIMARY KEY, version integer, status text, "
        "external_updated_at timestamptz, paused_since timestamptz, paused_days integer, closed_at timestamptz, "
        "first_response_at timestamptz, reopen_count integer, due_at timestamptz, sla_flag text, moved boolean) "
        "ON COMMIT DROP",
    )
    EVENT_TYPES = ("int8", "timestamptz", "text", "text", "text", "text", "bool", "text", "text")
    CASE_TYPES = ("int8", "int4", "text", "timestamptz", "timestamptz", "int4", "timestamptz", "timestamptz", "int4",
                  "timestamptz", "text", "bool")
    INSERT_EVENTS = (
        "INSERT INTO case_event (case_id, at, kind, source, actor_label, from_status, to_status, note, public, "
        "external_id, origin) "
        "SELECT case_id, at, kind, %s, %s, from_status, to_status, note, public, external_id, origin "
        "FROM sync_event_stage ON CONFLICT (case_id, external_id) DO NOTHING"
    )
    UPDATE_CASES = (
        'UPDATE "case" AS c SET status = v.status, external_updated_at = v.external_updated_at, '
        "paused_since = v.paused_since, paused_days = v.paused_days, closed_at = v.closed_at, "
        "first_response_at = v.first_response_at, reopen_count = v.reopen_count, "
        "due_at = COALESCE(v.due_at, c.due_at), sla_flag = COALESCE(v.sla_flag, c.sla_flag), "
        "updated_at = CASE WHEN v.moved THEN %s ELSE c.updated_at END, "
        # A moved case gets a new version, so an officer's form opened before it is refused.
        "version = c.version + v.moved::int "
        # Only the version the run read: a case an officer saved meanwhile is left alone (and the
        # run fails, to be retried) rather than overwritten from a stale copy.
        "FROM sync_case_stage v WHERE c.id = v.id AND c.version = v.version"
    )

    def __init__(self, session, agency_id: int, *, actor_label: str):
        super().__init__(session, agency_id, actor_label=actor_label)
        # The run's transaction keeps this one connection; taken now, it serves the writer thread
        # too (the session's registry is tied to the caller's application context).
        self._driver_connection = session.connection().connection.driver_connection
        self._staged = False
        self._plan_by_index()

    def _cursor(self):
        return self._driver_connection.cursor()

    def load_cases(self, references):
        with self._cursor() as cursor:
            cursor.execute(self.LOAD, (self.agency_id, list(references)))
            rows = cursor.fetchall()
        return {row[0]: _state(row) for row in rows}

    def write(self, plan: BatchPlan) -> int:
        written = 0
        with self._cursor() as cursor:
            self._prepare(cursor)
            # Cases first: a case an officer saved meanwhile stops the batch before any event.
            cases = plan.changed.values()
            if cases:
                self._copy(cursor, "sync_case_stage", self.CASE_TYPES, [
                    (s.id, s.version, s.status, s.external_updated_at, s.paused_since, s.paused_days, s.closed_at,
                     s.first_response_at, s.reopen_count, s.due_at, s.sla_flag, s.moved) for s in cases])
                cursor.execute(self.UPDATE_CASES, (utcnow(),))
                check_all_updated(cursor.rowcount, len(cases))
            if plan.events:
                self._copy(cursor, "sync_event_stage", self.EVENT_TYPES, plan.events)
                cursor.execute(self.INSERT_EVENTS, (SYNC_SOURCE, self.actor_label))
                written = cursor.rowcount
        return written

    def _prepare(self, cursor) -> None:
        if self._staged:
            # DELETE, not TRUNCATE: a few thousand rows, and no new files made per batch.
            cursor.execute("DELETE FROM sync_event_stage")
            cursor.execute("DELETE FROM sync_case_stage")
            return
        for statement in self.STAGES:
            cursor.execute(statement)
        self._staged = True

    def _plan_by_index(self) -> None:
        """For the rest of the run's transaction, find cases through their indexes.

        A batch is a few thousand cases out of many; the planner's default costs, made for
        uncached random reads, switch to reading the whole case table (and hashing it) once a
        batch reaches a few percent of it, and the stage tables' row counts drift as they are
        refilled. Every statement of the run is a lookup of one batch by key, so it is told so.
        The costs that setting inflates would also switch on JIT compilation, which takes longer
        than any of these statements: it is switched off with it.
        """
        with self._cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL jit = off")

    @staticmethod
    def _copy(cursor, table: str, types: tuple[str, ...], rows: list[tuple]) -> None:
        with cursor.copy(f"COPY {table} FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(list(types))
            write_row = copy.write_row
            for row in rows:
                write_row(row)


class SqliteSyncStore(SyncStore):
    upsert = staticmethod(sqlite_dialect.insert)

    def load_cases(self, references):
        case_table, type_table = Case.__table__, CaseType.__table__
        stmt = (
            select(case_table.c.external_ref, *(case_table.c[name] for name in CASE_STATE_COLUMNS),
                   type_table.c.sla_days, type_table.c.at_risk_share, case_table.c.version,
                   case_table.c.moved_on_platform_at, case_table.c.requester_name)
            .join(type_table, type_table.c.id == case_table.c.case_type_id)
            .where(case_table.c.external_agency_id == self.agency_id, case_table.c.external_ref.in_(list(references)))
        )
        return {row[0]: _state(row) for row in self.session.execute(stmt)}

    def write(self, plan: BatchPlan) -> int:
        written = 0
        if plan.events:
            stmt = insert(CaseEvent.__table__).prefix_with("OR IGNORE")
            common = {"source": SYNC_SOURCE, "actor_label": self.actor_label}
            result = self.session.execute(stmt, [{**dict(zip(EVENT_COLUMNS, row)), **common} for row in plan.events])
            written = max(result.rowcount, 0)
        if plan.changed:
            cases = plan.changed.values()
            moved = [state for state in cases if state.moved]
            touched_only = [state for state in cases if not state.moved]
            table = Case.__table__
            if moved:
                # A moved case gets a new version, so an officer's form opened before it is refused.
                self._update(moved, MOVED_COLUMNS, updated_at=utcnow(), version=table.c.version + 1)
            if touched_only:
                # Only sync's own bookkeeping changes: the case's updated_at stays as it was.
                self._update(touched_only, ("external_updated_at",), updated_at=table.c.updated_at)
        return written

    def _update(self, states: list[CaseState], columns: tuple[str, ...], **fixed) -> None:
        table = Case.__table__
        stmt = (update(table).where(table.c.id == bindparam("v_id"), table.c.version == bindparam("v_version"))
                .values({**{name: bindparam(f"v_{name}") for name in columns}, **fixed}))
        result = self.session.execute(stmt, [
            {"v_id": state.id, "v_version": state.version, **{f"v_{name}": getattr(state, name) for name in columns}}
            for state in states])
        check_all_updated(result.rowcount, len(states))


STORES = {"postgresql": PostgresSyncStore, "sqlite": SqliteSyncStore}


def store_for(session, agency_id: int, *, actor_label: str) -> SyncStore:
    dialect = session.get_bind().dialect.name
    try:
        store = STORES[dialect]
    except KeyError:
        raise RuntimeError(f"status sync does not support the {dialect} database") from None
    return store(session, agency_id, actor_label=actor_label)

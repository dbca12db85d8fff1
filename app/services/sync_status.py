"""Pull case statuses from one agency's departmental system: one run, one transaction.

    report = sync_agency("DIW")                  # a frequent run: since the cursor, less an overlap
    report = sync_agency("DIW", catch_up=True)   # a wide window (by default the first run
                                                 # after 02:30 Bangkok each night is one)

A run builds the agency's connector from its settings (app.connectors registry) and its status
map, reads the updates of a window, and applies them batch by batch (domain/status_sync.py says
what each update does). The whole run is one database transaction: if anything fails half-way
(the departmental system goes down, a page is garbage, the database goes away) nothing of the
run stays: no case half-moved, no event written, the cursor where it was. The next run reads the
same window again and applies everything once, because a case's status only follows updates
newer than the last one applied and case_event has UNIQUE(case_id, external_id).

Windows: see domain/sync_window.py (the cursor less an overlap; a nightly catch-up reads days
back; an agency's first run reads everything). A successful run moves the cursor to the newest
update time it saw (none after the run's now: see domain/status_sync.CLOCK_DRIFT), never
backwards.

Speed: pages are fetched in a background thread, and on PostgreSQL each batch is written in
another while the next one is decided (WriteBehind), so the departmental system, Python and the
database work at the same time. Each batch costs one query to load its cases and a few
set-based statements to write it (services/sync_store.py); no ORM object is made per update.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import delete, select, update

from app.connectors import Connector, ConnectorConfigError, build_connector
from app.domain.job_messages import TIME_DETAILS, sync_summary
from app.domain.status_mapping import StatusMapping, UnknownStatusLog
from app.domain.status_sync import UNKNOWN_REF_EXAMPLES, BatchPlan, SyncDecider, newest_due, reference_key
from app.domain.sync_window import catch_up_due, window_start
from app.domain.whole_numbers import whole_number
from app.models import Agency, UnknownExternalStatus
from app.models.types import utcnow
from app.services import sla as sla_service
from app.services.db import transaction
from app.services.prefetch import Prefetched
from app.services.sync_store import store_for

log = logging.getLogger(__name__)

# Updates decided and written together. On PostgreSQL, 100,000 updates (benchmarks/sync_status.py)
# took 6.5 to 7.2 s in batches of 5,000, 5.0 s in batches of 20,000 and 4.8 s in batches of 50,000:
# fewer, larger statements. 20,000 takes most of that while a batch stays a few MB.
BATCH_SIZE = 20_000
SYNC_ACTOR_LABEL = "sync"


class SyncNotConfigured(ConnectorConfigError):
    """The agency has no departmental system to pull from."""


@dataclass
class SyncReport:
    agency: str
    connector_kind: str
    catch_up: bool
    since: datetime
    cursor_before: datetime | None
    cursor_after: datetime | None = None
    fetched: int = 0
    batches: int = 0
    events_written: int = 0
    status_changes: int = 0
    cases_updated: int = 0
    stale: int = 0
    repeated: int = 0
    # Dated ahead of the run's clock (beyond domain/status_sync.CLOCK_DRIFT): left for a later run.
    future: int = 0
    unknown_refs: int = 0
    unknown_ref_examples: list[str] = field(default_factory=list)
    unmapped: int = 0
    unknown_statuses: list[str] = field(default_factory=list)
    # Statuses earlier runs met unmapped that the map now knows: this run read back to apply them.
    remapped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # Where the time went: waiting for the departmental system's next batch, and applying batches.
    feed_wait_seconds: float = 0.0
    apply_seconds: float = 0.0

    @property
    def problems(self) -> int:
        """Updates that could not be applied: unknown references and unknown statuses."""
        return self.unknown_refs + self.unmapped

    def as_dict(self) -> dict:
        data = asdict(self)
        for key in ("feed_wait_seconds", "apply_seconds"):
            data[key] = round(data[key], 3)
        for key in TIME_DETAILS:
            data[key] = data[key].isoformat() if data[key] else None
        return data

    def summary(self) -> str:
        return sync_summary(self.as_dict())

    def add_batch(self, plan: BatchPlan, events_written: int) -> None:
        self.batches += 1
        self.events_written += events_written
        self.status_changes += plan.status_changes
        self.cases_updated += len(plan.changed)
        self.stale += plan.stale
        self.repeated += plan.repeated
        self.future += plan.future
        self.unknown_refs += plan.unknown_refs
        self.unmapped += plan.unmapped
        room = UNKNOWN_REF_EXAMPLES - len(self.unknown_ref_examples)
        if room > 0:
            self.unknown_ref_examples.extend(plan.unknown_ref_examples[:room])


def _load_agency(session, agency: str | int) -> Agency:
    key = str(agency).strip()
    number = whole_number(key)
    clause = Agency.id == number if number is not None else Agency.code == key.upper()
    found = session.execute(select(Agency).where(clause)).scalar_one_or_none()
    if found is None:
        raise SyncNotConfigured(f"no agency {agency!r}")
    return found


def _recorded_unknown_statuses(session, agency_id: int, mapping: StatusMapping
                               ) -> tuple[dict[str, datetime], dict[str, tuple[datetime, datetime]]]:
    """The unknown statuses recorded for the agency: those its map now knows, with the time of
    the oldest update that carried each (their records go, in the run's transaction: a failed
    run keeps them for the next), and the others' spans (first seen, last seen), so that an
    update read again is not counted again."""
    table = UnknownExternalStatus.__table__
    remapped, recorded = {}, {}
    for row in session.execute(select(table.c.external_status, table.c.first_seen, table.c.last_seen)
                               .where(table.c.agency_id == agency_id)):
        if mapping.status_for(row.external_status) is not None:
            remapped[row.external_status] = row.first_seen
        else:
            recorded[row.external_status] = (row.first_seen, row.last_seen)
    if remapped:
        session.execute(delete(table).where(table.c.agency_id == agency_id,
                                            table.c.external_status.in_(list(remapped))))
    return remapped, recorded


def connector_for(agency: Agency) -> Connector:
    if not agency.connector_kind:
        raise SyncNotConfigured(f"agency {agency.code} has no departmental system configured (connector kind)")
    return build_connector(agency.connector_kind, agency.connector_settings or {})


def _public_rule(connector: Connector) -> Callable[[object], bool]:
    """Whether an update's note may show on the public page: always for a system that publishes
    its timeline itself (Traffy Fondue), else only when the update says `"public": true`."""
    if connector.notes_public:
        return lambda update: True

    def marked_public(update) -> bool:
        raw = update.raw
        return raw is not None and raw.get("public") is True

    return marked_public


class WriteBehind:
    """Writes a batch in a worker thread while the next one is decided, on PostgreSQL.

    The connection still does one thing at a time, in order: load batch N+1's cases, then write
    batch N (in the worker), and while the server works on it, decide batch N+1 in Python; the
    next load waits for that write. Batch N+1's cases that batch N changes are taken from N's
    decisions as they will be written (CaseState.as_written), since their load ran before the
    write. A store that cannot share its connection with a thread (SQLite) writes in place.
    """

    def __init__(self, store, on_written: Callable[[BatchPlan, int], None]):
        self.store = store
        self.on_written = on_written
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-write") \
            if store.writes_from_a_thread else None
        self._plan: BatchPlan | None = None  # decided, not yet known to be written
        self._writing: Future | None = None

    def __enter__(self) -> WriteBehind:
        return self

    def __exit__(self, *exc_info) -> None:
        # Never leave a write running on the connection the caller is about to roll back.
        if self._writing is not None:
            wait([self._writing])
        if self._executor is not None:
            self._executor.shutdown(wait=True)

    def load_cases(self, batch: list, decider: SyncDecider) -> tuple[dict, set]:
        """The batch's cases, and which of its updates dated at their case's last applied one
        the timeline already holds (SyncDecider.plan's `recorded`), the pending batch's too."""
        references = {reference_key(update.reference) for update in batch} - {None}
        cases = self.store.load_cases(references)
        pending = self._plan
        if pending is not None:
            changed = pending.changed
            for reference in references & changed.keys():
                cases[reference] = changed[reference].as_written()
        candidates = decider.repeat_candidates(batch, cases)
        recorded = self.store.recorded_events(candidates) if candidates else set()
        if pending is not None:
            if candidates:  # the pending batch's events are not written yet
                recorded |= candidates & {(event[0], event[7]) for event in pending.events}
            self._start_write()
        return cases, recorded

    def submit(self, plan: BatchPlan) -> None:
        self._finish_write()
        self._plan = plan

    def flush(self) -> None:
        if self._plan is not None:
            self._start_write()
            self._finish_write()

    def _start_write(self) -> None:
        if self._executor is None:
            self._writing = Future()
            try:
                self._writing.set_result(self.store.write(self._plan))
            except Exception as error:
                self._writing.set_exception(error)
        else:
            self._writing = self._executor.submit(self.store.write, self._plan)

    def _finish_write(self) -> None:
        if self._writing is None:
            return
        plan, writing = self._plan, self._writing
        self._plan = self._writing = None
        self.on_written(plan, writing.result())


def sync_agency(
    agency: str | int,
    *,
    catch_up: bool | None = None,
    now: datetime | None = None,
    connector: Connector | None = None,
    batch_size: int | None = None,
    between_batches: Callable[[int], None] | None = None,
) -> SyncReport:
    """One run for one agency; raises (after rolling everything back) when it cannot finish.

    `catch_up` None: a catch-up when the nightly one is due (domain/sync_window.catch_up_due).
    `connector` replaces the one the agency's settings would build (tests, benchmarks);
    `between_batches(n)` is called after the n-th batch is written, inside the transaction.
    """
    began = time.perf_counter()
    now = now or utcnow()
    owns_connector = connector is None
    with transaction() as session:
        agency_row = _load_agency(session, agency)
        if connector is None:
            connector = connector_for(agency_row)
        try:
            report = _run(session, agency_row, connector, now=now, catch_up=catch_up,
                          batch_size=batch_size or BATCH_SIZE, between_batches=between_batches)
        finally:
            if owns_connector:
                connector.close()
    report.seconds = round(time.perf_counter() - began, 3)
    log.info("sync-status %s", report.summary())
    return report


def _run(session, agency: Agency, connector: Connector, *, now, catch_up, batch_size, between_batches) -> SyncReport:
    mapping = StatusMapping.build(agency.status_map, connector.default_status_map)
    cursor = agency.sync_cursor
    if catch_up is None:
        catch_up = cursor is None or catch_up_due(agency.last_catch_up_at, now)
    remapped, recorded = _recorded_unknown_statuses(session, agency.id, mapping)
    since = window_start(cursor, now, catch_up=catch_up,
                         reapply_from=min(remapped.values()) if remapped else None)
    report = SyncReport(agency=agency.code, connector_kind=connector.kind or type(connector).__name__,
                        catch_up=catch_up, since=since, cursor_before=cursor, remapped=sorted(remapped))
    unknown = UnknownStatusLog(recorded)
    unknown_seen: set[str] = set()
    decider = SyncDecider(mapping, sla_service.calendar(session), now,
                          origin_prefix=f"{report.connector_kind}:", is_public=_public_rule(connector),
                          unknown_statuses=unknown)
    store = store_for(session, agency.id, actor_label=f"{SYNC_ACTOR_LABEL}:{report.connector_kind}")
    newest = cursor
    clock = time.perf_counter

    def written(plan: BatchPlan, events_written: int) -> None:
        report.add_batch(plan, events_written)
        unknown_seen.update(plan.unknown_statuses)
        if between_batches is not None:
            between_batches(report.batches)

    with Prefetched(lambda: connector.fetch_updates(since), batch_size=batch_size,
                    name=f"sync-status:{agency.code}") as batches, WriteBehind(store, written) as writes:
        waited_since = clock()
        for batch in batches:
            working_since = clock()
            report.feed_wait_seconds += working_since - waited_since
            report.fetched += len(batch)
            latest = newest_due((update.occurred_at for update in batch), decider.due_until)
            if latest is not None and (newest is None or latest > newest):
                newest = latest
            cases, recorded = writes.load_cases(batch, decider)
            writes.submit(decider.plan(batch, cases, recorded))
            waited_since = clock()
            report.apply_seconds += waited_since - working_since
        writes.flush()
        report.apply_seconds += clock() - waited_since
    report.unknown_statuses = sorted(unknown_seen)
    store.record_unknown_statuses(unknown.entries(), now)
    values = {"sync_cursor": newest, "last_synced_at": now}
    if catch_up:
        values["last_catch_up_at"] = now
    session.execute(update(Agency).where(Agency.id == agency.id).values(**values))
    report.cursor_after = newest
    return report

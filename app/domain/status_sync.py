"""What a batch of departmental updates does to our cases: pure decisions, no database.

The sync service loads the cases a batch of updates refers to, asks `SyncDecider.plan` what to
write, and writes it in bulk. The rules (FixMyStreet's UpdatesBase, STYLE.md habit 5):

* an update is matched to a case by the departmental reference (`case.external_ref`) among the
  references in this agency's system (`case.external_agency_id`): a case forwarded to another
  agency since is still followed by the system it came from; a reference no case carries is
  counted, not fatal;
* an update whose external status the agency's map does not know changes nothing and is
  recorded for the administrators (status_mapping.UnknownStatusLog), never guessed, however
  late it comes (read again by the overlap or the nightly catch-up, it is not counted twice);
* references and statuses are matched, recorded and shown without control characters
  (clean_label): PostgreSQL refuses a NUL in text, so one update carrying one would fail every
  run of the agency, and a status is recorded as an administrator can type it into the map;
* a case keeps the time of the last external update applied to it (`external_updated_at`);
  only a strictly newer update may move its status, so an update read twice, or an older one
  arriving after a newer one, never sets the status back;
* a move goes through workflow.check_sync_status (the departmental system is the authority on
  its own case, so it may close or reopen it, but cannot forward it) and the same SLA
  bookkeeping as a move made on screen (services/sla.on_status_change): the clock pauses while
  the applicant is awaited, stops on closing, and the due date and flag are recomputed;
* an update dated after the run's now, beyond CLOCK_DRIFT, waits for a run after its time: it
  changes nothing, does not move the agency's cursor, and is counted (`future`). Applied at
  once, it would have to be dated now, yet the system serves it again at every run until its
  time comes, and nothing in it says it was applied: each run would apply it again over what
  the system reported since. Kept as sent, it would put the cursor and the case's
  external_updated_at in the future, so every later update would look older and be skipped;
* what sync writes on our side (the event, the closing, the first response, the start of a
  pause) is dated at the update's time, but never in the future (a departmental clock running
  ahead) and never before the case was received (a system that dates its work before the
  complaint reached us: a case closed before it was received cannot be exported and imported
  back); the case's external_updated_at keeps the system's own time, which orders its updates;
* every known update becomes one timeline event keyed by its update id; the database's
  UNIQUE(case_id, external_id) turns an update seen again into nothing. An update that moved
  the status records from → to; one that did not (older, or the same status) records only the
  status the system reported, at the moment it reported it;
* a note the connector would publish (Traffy Fondue's always, another system's when the update
  says so) is kept for staff instead when it shows someone's personal data (a mobile number, a
  citizen ID, a personal email, the requester's name: domain/personal_data.py), as a note staff
  mark public is refused: the status page and Open311 show no personal data.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.domain import sla as sla_rules
from app.domain.calendar import WorkingCalendar
from app.domain.local_time import local_date
from app.domain.personal_data import personal_data_in
from app.domain.status_mapping import MAX_EXTERNAL_STATUS_LENGTH, StatusMapping, UnknownStatusLog
from app.domain.statuses import CLOSED_STATUSES, EventKind, Status
from app.domain.workflow import check_sync_status

# How far ahead of our clock a departmental clock may run: an update dated up to this much after
# the run's now is applied (our records dated now); one dated later waits for its time.
CLOCK_DRIFT = timedelta(minutes=5)
MAX_EXTERNAL_ID_LENGTH = 128  # case_event.external_id
MAX_ORIGIN_LENGTH = 300  # case_event.origin
UNKNOWN_REF_EXAMPLES = 5

_RECEIVED = Status.RECEIVED
_CLOSED = frozenset(str(status) for status in CLOSED_STATUSES)
_UNSEEN = object()
_STATUS_KIND = str(EventKind.STATUS)
_REOPEN_KIND = str(EventKind.REOPEN)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class CaseState:
    """The columns of one case that sync reads and may change, as loaded for a batch."""

    __slots__ = (
        "id", "status", "external_updated_at", "paused_since", "paused_days", "closed_at",
        "first_response_at", "reopen_count", "sla_started_at", "submitted_at", "sla_days",
        "at_risk_share", "version", "due_at", "sla_flag", "moved", "touched", "requester_name",
        "moved_on_platform_at",
    )

    def __init__(self, id, status, external_updated_at, paused_since, paused_days, closed_at,  # noqa: A002
                 first_response_at, reopen_count, sla_started_at, submitted_at, sla_days, at_risk_share,
                 version=1, due_at=None, sla_flag=None, *, requester_name=None, moved_on_platform_at=None):
        self.id = id
        # Read only, for the check that keeps a note naming the requester off the status page.
        self.requester_name = requester_name
        # Read only: when a person on the platform last moved the status (a member of staff, a
        # requester reopening). A departmental update dated before it does not move the case.
        self.moved_on_platform_at = moved_on_platform_at
        self.version = version  # as loaded: the write is refused if the case changed since
        self.status = str(status)
        self.external_updated_at = external_updated_at
        self.paused_since = paused_since
        self.paused_days = paused_days or 0
        self.closed_at = closed_at
        self.first_response_at = first_response_at
        self.reopen_count = reopen_count or 0
        self.sla_started_at = sla_started_at
        self.submitted_at = submitted_at
        self.sla_days = sla_days
        self.at_risk_share = at_risk_share
        self.due_at = due_at
        self.sla_flag = sla_flag
        self.moved = False  # status or SLA columns changed
        self.touched = False  # external_updated_at moved

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}

    def as_written(self) -> CaseState:
        """A copy of this state as the database holds it once the plan is written: the next
        batch may need it before the write is done (the service overlaps the two)."""
        copy = CaseState(self.id, self.status, self.external_updated_at, self.paused_since, self.paused_days,
                         self.closed_at, self.first_response_at, self.reopen_count, self.sla_started_at,
                         self.submitted_at, self.sla_days, self.at_risk_share, self.version + int(self.moved),
                         self.due_at, self.sla_flag, requester_name=self.requester_name,
                         moved_on_platform_at=self.moved_on_platform_at)
        return copy


@dataclass
class BatchPlan:
    """What one batch writes: event rows, the cases to update, and what it could not use."""

    # (case_id, at, kind, from_status, to_status, note, public, external_id, origin)
    events: list[tuple] = field(default_factory=list)
    # The cases to update, by departmental reference.
    changed: dict[str, CaseState] = field(default_factory=dict)
    status_changes: int = 0
    unknown_refs: int = 0
    unknown_ref_examples: list[str] = field(default_factory=list)
    unmapped: int = 0
    unknown_statuses: set[str] = field(default_factory=set)
    stale: int = 0
    repeated: int = 0
    future: int = 0  # dated beyond the run's now and CLOCK_DRIFT: left for a later run

    @property
    def cases(self) -> list[CaseState]:
        return list(self.changed.values())


def clean_text(value) -> str | None:
    """Text any database stores: None stays None, a number becomes its digits, NUL characters
    (which PostgreSQL refuses, and which would fail every retry of the run) are dropped."""
    if value is None:
        return None
    if type(value) is not str:
        value = str(value)
    return value.replace("\x00", "") if "\x00" in value else value


def publishable(note: str | None, state: CaseState) -> bool:
    """Whether a departmental note may show on the status page: not when it shows personal data."""
    return not personal_data_in(note, state.requester_name)


def clean_label(value) -> str:
    """A departmental reference or status as text without control characters (NUL, which
    PostgreSQL refuses, among them); None is empty, a number its digits."""
    if type(value) is not str:
        value = "" if value is None else str(value)
    return value if value.isprintable() else _CONTROL.sub("", value)


def reference_key(reference) -> str | None:
    """The departmental reference as case.external_ref holds it; None when there is none."""
    return clean_label(reference) or None


def status_label(external_status) -> str:
    """An unknown external status as recorded and shown, within its column."""
    return clean_label(external_status)[:MAX_EXTERNAL_STATUS_LENGTH]


def newest_due(times: Iterable[datetime], due_until: datetime) -> datetime | None:
    """The newest of a batch's update times that a run applies (none after `due_until`): where
    the agency's cursor may move to."""
    times = list(times)
    newest = max(times, default=None)
    if newest is not None and newest > due_until:
        newest = max((at for at in times if at <= due_until), default=None)
    return newest


def record_time(occurred_at: datetime, received_at: datetime, now: datetime) -> datetime:
    """When an update happened, as our records date it: not after `now`, not before the case was
    received (`received_at`, its submitted_at)."""
    at = occurred_at if occurred_at <= now else now
    return at if at >= received_at else received_at


def external_event_id(update_id: str) -> str:
    """The update id as stored in case_event.external_id; an id too long for the column is
    replaced by a digest of it, stable across runs."""
    if len(update_id) <= MAX_EXTERNAL_ID_LENGTH:
        return update_id
    return "sha256:" + hashlib.sha256(update_id.encode()).hexdigest()


def move(state: CaseState, target: Status, at: datetime, calendar: WorkingCalendar) -> str:
    """Moves a case to `target` at `at`, with the SLA bookkeeping of a move made on screen;
    returns the kind of timeline event the move is (a status change, or a reopening)."""
    previous = state.status
    kind = _STATUS_KIND
    state.paused_days, state.paused_since, state.closed_at = sla_rules.clock_after_move(
        (state.paused_days, state.paused_since, state.closed_at), previous, target, at, calendar)
    if previous in _CLOSED and target not in _CLOSED:
        state.reopen_count += 1
        kind = _REOPEN_KIND
    if state.first_response_at is None and target != _RECEIVED:
        state.first_response_at = at
    state.status = str(target)
    state.moved = True
    return kind


class SlaRefresher:
    """Due date and flag as of `now`, as services/sla.refresh computes them for one case.

    Both depend on Bangkok dates only (the start, the pause, the closing or today), so a run
    computes each distinct combination once: a batch's cases share few of them.
    """

    def __init__(self, calendar: WorkingCalendar, now: datetime):
        self.calendar = calendar
        self.now = now
        self.today = local_date(now)
        self._paused_until_now: dict = {}
        self._answers: dict = {}

    def __call__(self, state: CaseState) -> None:
        start = state.sla_started_at or state.submitted_at
        paused = state.paused_days
        if state.paused_since is not None:
            pause_day = local_date(state.paused_since)
            extra = self._paused_until_now.get(pause_day)
            if extra is None:
                extra = self._paused_until_now[pause_day] = sla_rules.paused_working_days(
                    [(state.paused_since, None)], self.calendar, self.now)
            paused += extra
        share = state.at_risk_share or sla_rules.DEFAULT_AT_RISK_SHARE
        closed_at = state.closed_at
        key = (local_date(start), state.sla_days, paused, share,
               self.today if closed_at is None else local_date(closed_at))
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answers[key] = (
                sla_rules.due_at(start, state.sla_days, paused, self.calendar),
                str(sla_rules.sla_flag(self.now, start, state.sla_days, paused, self.calendar, share,
                                       closed_at=closed_at)),
            )
        state.due_at, state.sla_flag = answer


def event_id(update_id: str) -> str:
    """The timeline event's external_id of a (cleaned) update id: the id itself, or its digest
    when it is too long for the column."""
    return update_id if len(update_id) <= MAX_EXTERNAL_ID_LENGTH else external_event_id(update_id)


def _update_time(update):
    return update.occurred_at


class SyncDecider:
    """Plans batches for one agency's run: its mapping, the calendar, the run's `now`."""

    def __init__(
        self,
        mapping: StatusMapping,
        calendar: WorkingCalendar,
        now: datetime,
        *,
        origin_prefix: str,
        is_public: Callable[[object], bool] = lambda update: False,
        unknown_statuses: UnknownStatusLog | None = None,
    ):
        self.mapping = mapping
        self.calendar = calendar
        self.now = now
        self.origin_prefix = origin_prefix
        self.is_public = is_public
        self.due_until = now + CLOCK_DRIFT
        self.refresh_sla = SlaRefresher(calendar, now)
        self._sync_targets: dict[tuple[str, Status], Status | None] = {}
        self.unknown_statuses = unknown_statuses if unknown_statuses is not None else UnknownStatusLog()
        self._recorded: Collection[tuple[int, str]] = frozenset()  # the batch plan() works on's

    @staticmethod
    def repeat_candidates(updates: Iterable, cases: Mapping[str, CaseState]) -> set[tuple[int, str]]:
        """(case id, event id) of each update dated exactly at its case's last applied update:
        it may be that very update, read again (each run reads the newest ones again), which must
        not move the case; or another one at the same time, which may. Which of them the timeline
        already holds is the store's to say (the `recorded` of plan)."""
        candidates = set()
        for update in updates:
            reference = update.reference
            state = cases.get(reference) if type(reference) is str else None
            if state is not None and update.occurred_at == state.external_updated_at:
                candidates.add((state.id, event_id(clean_text(update.update_id) or "")))
        return candidates

    def plan(self, updates: Iterable, cases: Mapping[str, CaseState],
             recorded: Collection[tuple[int, str]] = frozenset()) -> BatchPlan:
        """The writes for `updates` (ExternalUpdate-like objects) over `cases` by reference.

        `cases` must hold the state as the database has it now, earlier batches included; the
        states are changed in place and the changed ones listed in the plan. `recorded`: which of
        the batch's repeat_candidates the timeline already holds (applied by an earlier run).
        """
        plan = BatchPlan()
        self._recorded = recorded
        grouped: dict[str, list] = {}
        due_until = self.due_until
        for update in updates:
            if update.occurred_at > due_until:
                plan.future += 1
                continue
            reference = update.reference
            if type(reference) is not str or not reference.isprintable():
                reference = reference_key(reference) or ""
            group = grouped.get(reference)
            if group is None:
                grouped[reference] = [update]
            else:
                group.append(update)
        for reference, group in grouped.items():
            state = cases.get(reference) if reference else None
            if state is None:
                plan.unknown_refs += len(group)
                if len(plan.unknown_ref_examples) < UNKNOWN_REF_EXAMPLES:
                    plan.unknown_ref_examples.append(str(reference)[:128])
                continue
            if len(group) > 1:
                group = self._distinct_in_order(group, plan)
            self._apply(state, reference, group, plan)
            if state.moved or state.touched:
                plan.changed[reference] = state
        return plan

    @staticmethod
    def _distinct_in_order(group: list, plan: BatchPlan) -> list:
        """The group in time order, and for updates at one time in the order the source gave them
        (its own order: a feed of (time, id), or Traffy's timeline); each update once."""
        seen = set()
        distinct = []
        for update in sorted(group, key=_update_time):
            if update.update_id in seen:
                plan.repeated += 1
                continue
            seen.add(update.update_id)
            distinct.append(update)
        return distinct

    def _apply(self, state: CaseState, reference: str, group: list, plan: BatchPlan) -> None:
        status_for = self.mapping.status_for
        sync_targets = self._sync_targets
        is_public = self.is_public
        origin_prefix = self.origin_prefix
        now = self.now
        events = plan.events
        # For updates that share a time, the source's last is its status now (its feed gives them
        # in its own order): only that one may move a case whose last applied update has that time.
        last_of_its_time = {update.occurred_at: index for index, update in enumerate(group)} if len(group) > 1 else None
        for index, update in enumerate(group):
            occurred_at = update.occurred_at
            status = status_for(update.external_status)
            if status is None:
                label = status_label(update.external_status)
                if label != update.external_status:  # a control character may hide a known status
                    status = status_for(label)
                if status is None:
                    plan.unmapped += 1
                    plan.unknown_statuses.add(label)
                    self.unknown_statuses.record(label, reference, occurred_at, update.update_id)
                    continue
            at = record_time(occurred_at, state.submitted_at, now)
            from_status = None
            kind = _STATUS_KIND
            last = state.external_updated_at
            newer = last is None or occurred_at > last
            update_id = clean_text(update.update_id)
            external_id = event_id(update_id)
            if not newer and occurred_at == last and (state.id, external_id) in self._recorded:
                plan.stale += 1  # applied by an earlier run, read again: whatever moved the case since stands
            elif newer or (occurred_at == last and (last_of_its_time is None or last_of_its_time[occurred_at] == index)):
                if newer:
                    state.external_updated_at = occurred_at
                    state.touched = True
                pair = (state.status, status)
                target = sync_targets.get(pair, _UNSEEN)
                if target is _UNSEEN:
                    target = sync_targets[pair] = check_sync_status(*pair)
                platform = state.moved_on_platform_at
                if target is not None and platform is not None and occurred_at < platform:
                    plan.stale += 1  # a person moved the case on the platform since: theirs stands
                elif target is not None:
                    from_status = state.status
                    kind = move(state, target, at, self.calendar)
                    plan.status_changes += 1
                elif not newer:
                    plan.stale += 1  # the update applied before, delivered again
            else:
                plan.stale += 1
            origin = origin_prefix + update_id
            note = clean_text(update.note)
            events.append((
                state.id, at, kind, from_status, status.value, note, is_public(update) and publishable(note, state),
                external_id, origin if len(origin) <= MAX_ORIGIN_LENGTH else origin[:MAX_ORIGIN_LENGTH],
            ))
        if state.moved:
            self.refresh_sla(state)

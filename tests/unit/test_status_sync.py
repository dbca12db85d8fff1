"""What a batch of departmental updates does to cases: a table of cases, updates and outcomes."""
from datetime import UTC, date, datetime, timedelta

import pytest

from app.connectors.base import ExternalUpdate as Update
from app.connectors.rest_json import RestJsonConnector
from app.domain import sla as sla_rules
from app.domain.local_time import local_date
from app.domain.calendar import thai_calendar
from app.domain.status_mapping import StatusMapping, UnknownStatusLog
from app.domain.status_sync import (
    CLOCK_DRIFT, CaseState, SyncDecider, clean_label, external_event_id, newest_due, record_time, reference_key,
    status_label,
)

CAL = thai_calendar(range(2025, 2028))
# Monday 5 January 2026, 10:00 Bangkok.
T0 = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=30)
MAPPING = StatusMapping.build({"APPROVED": "resolved", "DOCS": "waiting_applicant"},
                              RestJsonConnector.default_status_map)


def case(status="received", last=None, **fields) -> CaseState:
    values = dict(id=1, status=status, external_updated_at=last, paused_since=None, paused_days=0, closed_at=None,
                  first_response_at=None, reopen_count=0, sla_started_at=T0, submitted_at=T0, sla_days=15,
                  at_risk_share=0.8)
    values.update(fields)
    return CaseState(**values)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


def updates(*specs, reference="R1"):
    """(id, status, days after T0) triples."""
    return [Update(uid, reference, status, at(days), note=f"note {uid}") for uid, status, days in specs]


def decide(state, batch, *, now=NOW, is_public=lambda update: False):
    decider = SyncDecider(MAPPING, CAL, now, origin_prefix="rest_json:", is_public=is_public)
    plan = decider.plan(batch, {"R1": state})
    return plan, decider


# (case before, updates, status after, (kind, from, to) per event, status changes, stale)
CASES = [
    ("one move", case(), updates(("u1", "in_progress", 1)),
     "in_progress", [("status", "received", "in_progress")], 1, 0),
    ("a mapped external code", case("in_progress"), updates(("u1", "APPROVED", 2)),
     "resolved", [("status", "in_progress", "resolved")], 1, 0),
    ("moves in time order whatever the feed order", case(),
     updates(("u2", "resolved", 3), ("u1", "in_progress", 1)),
     "resolved", [("status", "received", "in_progress"), ("status", "in_progress", "resolved")], 2, 0),
    ("same status: an event, no move", case("in_progress"), updates(("u1", "in_progress", 1)),
     "in_progress", [("status", None, "in_progress")], 0, 0),
    ("older than the last applied: event only", case("resolved", last=at(5), closed_at=at(5)),
     updates(("u1", "in_progress", 1)),
     "resolved", [("status", None, "in_progress")], 0, 1),
    # The applied one shared its time: published after it, by the source's own order, it moves.
    ("as old as the last applied, alone: moves", case("in_progress", last=at(5)),
     updates(("u9", "resolved", 5)),
     "resolved", [("status", "in_progress", "resolved")], 1, 0),
    ("updates at one time: the source's last is the status, in its order not the ids'", case(),
     updates(("b", "in_progress", 1), ("a", "resolved", 1)),
     "resolved", [("status", "received", "in_progress"), ("status", "in_progress", "resolved")], 2, 0),
    ("the same two delivered again: nothing moves", case("resolved", last=at(1), closed_at=at(1)),
     updates(("b", "in_progress", 1), ("a", "resolved", 1)),
     "resolved", [("status", None, "in_progress"), ("status", None, "resolved")], 0, 2),
    ("the second of one time published later: it moves", case("in_progress", last=at(1)),
     updates(("b", "in_progress", 1), ("a", "resolved", 1)),
     "resolved", [("status", None, "in_progress"), ("status", "in_progress", "resolved")], 1, 1),
    # A person moved the case on the platform after the update's time: theirs stands.
    ("older than an officer's close: event only", case("resolved", closed_at=at(5), moved_on_platform_at=at(5)),
     updates(("u1", "in_progress", 4)),
     "resolved", [("status", None, "in_progress")], 0, 1),
    ("older than a forwarding: the clock is not paused before it started",
     case("forwarded", sla_started_at=at(10), moved_on_platform_at=at(10)),
     updates(("u1", "waiting_applicant", 2)),
     "forwarded", [("status", None, "waiting_applicant")], 0, 1),
    ("newer than the officer's move: moves", case("resolved", closed_at=at(5), moved_on_platform_at=at(5)),
     updates(("u1", "in_progress", 6)),
     "in_progress", [("reopen", "resolved", "in_progress")], 1, 0),
    ("newer than the last applied moves", case("in_progress", last=at(5)),
     updates(("u9", "resolved", 6)),
     "resolved", [("status", "in_progress", "resolved")], 1, 0),
    ("a closed case reopened by its system", case("resolved", last=at(2), closed_at=at(2)),
     updates(("u3", "in_progress", 4)),
     "in_progress", [("reopen", "resolved", "in_progress")], 1, 0),
    ("forwarded is never set by sync", case("in_progress"), updates(("u1", "forwarded", 1)),
     "in_progress", [("status", None, "forwarded")], 0, 0),
    ("unknown status: nothing", case(), updates(("u1", "ON_HOLD", 1)),
     "received", [], 0, 0),
    ("unknown then known", case(), updates(("u1", "ON_HOLD", 1), ("u2", "in_progress", 2)),
     "in_progress", [("status", "received", "in_progress")], 1, 0),
    ("the same update twice in a batch: once", case(),
     updates(("u1", "in_progress", 1), ("u1", "in_progress", 1)),
     "in_progress", [("status", "received", "in_progress")], 1, 0),
]


@pytest.mark.parametrize("name, state, batch, status, events, changes, stale", CASES, ids=[c[0] for c in CASES])
def test_batch_outcomes(name, state, batch, status, events, changes, stale):
    plan, _ = decide(state, batch)
    assert state.status == status
    assert [(e[2], e[3], e[4]) for e in plan.events] == events
    assert plan.status_changes == changes
    assert plan.stale == stale


def test_events_carry_the_update_time_id_origin_and_note():
    state = case()
    plan, _ = decide(state, updates(("DIW-EXT-000001:2", "in_progress", 1)))
    (case_id, when, _kind, _from, _to, note, public, external_id, origin), = plan.events
    assert (case_id, when, note, public) == (1, at(1), "note DIW-EXT-000001:2", False)
    assert external_id == "DIW-EXT-000001:2"
    assert origin == "rest_json:DIW-EXT-000001:2"


def test_publicity_is_the_connectors_call():
    plan, _ = decide(case(), updates(("u1", "in_progress", 1)), is_public=lambda update: True)
    assert plan.events[0][6] is True


@pytest.mark.parametrize("note, public", [
    ("ทีมงานลงพื้นที่ตรวจสอบแล้ว", True),
    ("โทรแจ้งผู้ร้อง 081-234-5678 แล้ว", False),
    ("ผู้ร้องเลขประจำตัว 1-1017-00230-70-8", False),
    ("ตอบกลับทาง somchai.j@gmail.com", False),
    ("นัดคุณสมชายตรวจพื้นที่", False),  # the requester's first name
    ("ติดต่อสำนักงาน 02-202-3000 หรือ saraban@diw.go.th", True),  # an office's number and email
])
def test_a_published_note_with_personal_data_is_kept_for_staff(note, public):
    """A departmental system's note that the connector would publish reached the status page and
    Open311 as it was, where a note staff mark public is checked for personal data first."""
    state = case(requester_name="นายสมชาย ใจดี")
    plan, _ = decide(state, [Update("u1", "R1", "in_progress", at(1), note=note)], is_public=lambda update: True)
    assert plan.events[0][5] == note and plan.events[0][6] is public


def test_a_time_a_little_ahead_is_applied_dated_now_and_remembered_as_sent():
    state = case()
    ahead = at(30) + timedelta(minutes=4)
    plan, _ = decide(state, [Update("u1", "R1", "resolved", ahead)], now=at(30))
    assert plan.events[0][1] == at(30)
    assert state.closed_at == at(30)
    assert state.external_updated_at == ahead
    assert plan.future == 0


def test_an_update_dated_beyond_the_clock_drift_waits_for_its_time():
    state = case("in_progress", last=at(29))
    batch = [Update("u1", "R1", "resolved", at(40)), Update("u2", "R1", "ON_HOLD", at(31)),
             Update("g1", "GHOST", "resolved", at(31)), Update("u3", "R1", "waiting_applicant", at(29.5))]
    plan, _ = decide(state, batch, now=at(30))
    assert plan.future == 3
    assert (plan.unknown_refs, plan.unmapped) == (0, 0)
    assert state.status == "waiting_applicant" and state.external_updated_at == at(29.5)
    assert [e[4] for e in plan.events] == ["waiting_applicant"]


# (update times of a batch, the newest the cursor may move to), now at(30)
NEWEST = [
    ("all past", [at(1), at(3), at(2)], at(3)),
    ("a little ahead counts", [at(1), at(30) + timedelta(minutes=5)], at(30) + timedelta(minutes=5)),
    ("beyond the drift is left out", [at(1), at(40), at(2)], at(2)),
    ("only future ones", [at(40)], None),
    ("nothing", [], None),
]


@pytest.mark.parametrize("name, times, expected", NEWEST, ids=[c[0] for c in NEWEST])
def test_newest_due(name, times, expected):
    assert newest_due(iter(times), at(30) + CLOCK_DRIFT) == expected


# (update time, received, now, as our records date it)
RECORD_TIMES = [
    ("the update's own time", at(2), T0, NOW, at(2)),
    ("a time ahead of now is now", at(40), T0, NOW, NOW),
    ("a time before the case was received is its receipt", at(-3), T0, NOW, T0),
    ("received the same instant", T0, T0, NOW, T0),
]


@pytest.mark.parametrize("name, occurred, received, now, expected", RECORD_TIMES, ids=[c[0] for c in RECORD_TIMES])
def test_record_time(name, occurred, received, now, expected):
    assert record_time(occurred, received, now) == expected


def test_a_case_is_never_closed_before_it_was_received():
    state = case(submitted_at=at(1), sla_started_at=at(1))
    plan, _ = decide(state, updates(("u1", "in_progress", -2), ("u2", "resolved", -1)))
    assert state.closed_at == state.first_response_at == at(1)
    assert [event[1] for event in plan.events] == [at(1), at(1)]
    assert state.external_updated_at == at(-1)  # the system's own time still orders its updates
    waiting = case(submitted_at=at(1))
    decide(waiting, updates(("w1", "waiting_applicant", -2)))
    assert waiting.paused_since == waiting.first_response_at == at(1)


def test_over_long_update_ids_become_a_stable_digest():
    long_id = "x" * 200
    assert external_event_id(long_id) == external_event_id(long_id)
    assert len(external_event_id(long_id)) <= 128
    assert external_event_id("short") == "short"


def test_unknown_references_and_statuses_are_counted():
    unknown = UnknownStatusLog()
    decider = SyncDecider(MAPPING, CAL, NOW, origin_prefix="x:", unknown_statuses=unknown)
    batch = updates(("u1", "ON_HOLD", 1)) + updates(("g1", "received", 1), ("g2", "received", 2), reference="GHOST")
    plan = decider.plan(batch, {"R1": case()})
    assert (plan.unknown_refs, plan.unknown_ref_examples, plan.unmapped) == (2, ["GHOST"], 1)
    assert [(e.external_status, e.count, e.example_ref) for e in unknown.entries()] == [("ON_HOLD", 1, "R1")]
    assert plan.cases == []


def test_only_changed_cases_are_written():
    moved, same = case(), case("in_progress", id=2)
    decider = SyncDecider(MAPPING, CAL, NOW, origin_prefix="x:")
    batch = updates(("u1", "in_progress", 1)) + updates(("v1", "in_progress", 1), reference="R2")
    plan = decider.plan(batch, {"R1": moved, "R2": same})
    assert [state.id for state in plan.cases] == [1, 2]
    assert (moved.moved, moved.touched, same.moved, same.touched) == (True, True, False, True)


# SLA: (statuses with days after T0, paused working days, paused since, closed at, first response)
SLA_CASES = [
    ("first response is the first move", [("in_progress", 1)], 0, None, None, at(1)),
    ("a pause starts on waiting", [("in_progress", 1), ("waiting_applicant", 2)], 0, at(2), None, at(1)),
    # Wed 7 Jan to Wed 14 Jan: five working days paused.
    ("a pause ends on resuming", [("waiting_applicant", 2), ("in_progress", 9)], 5, None, None, at(2)),
    ("closing stops the clock", [("in_progress", 1), ("resolved", 3)], 0, None, at(3), at(1)),
    ("a closing after a pause counts the pause",
     [("waiting_applicant", 2), ("rejected", 9)], 5, None, at(9), at(2)),
    # Closed Wed 7 Jan, reopened Wed 14 Jan: the five working days it stood closed stood still.
    ("a reopening counts the days closed as paused",
     [("in_progress", 1), ("resolved", 2), ("in_progress", 9)], 5, None, None, at(1)),
    # Rejected on Mon 12 Jan after being resolved: no new closing, the clock stood still since the 7th.
    ("a move between closed statuses keeps the first closing",
     [("in_progress", 1), ("resolved", 2), ("rejected", 7)], 0, None, at(2), at(1)),
    ("a reopening after a move between closed statuses counts from the first closing",
     [("in_progress", 1), ("resolved", 2), ("rejected", 7), ("in_progress", 9)], 5, None, None, at(1)),
]


@pytest.mark.parametrize("name, moves, paused_days, paused_since, closed_at, first_response", SLA_CASES,
                         ids=[c[0] for c in SLA_CASES])
def test_sla_bookkeeping_follows_the_moves(name, moves, paused_days, paused_since, closed_at, first_response):
    state = case()
    batch = [Update(f"u{n}", "R1", status, at(days)) for n, (status, days) in enumerate(moves)]
    decide(state, batch)
    assert (state.paused_days, state.paused_since, state.closed_at, state.first_response_at) == (
        paused_days, paused_since, closed_at, first_response)
    paused_now = paused_days + (sla_rules.paused_working_days([(paused_since, None)], CAL, NOW)
                                if paused_since else 0)
    assert state.due_at == sla_rules.due_at(T0, 15, paused_now, CAL)
    assert state.sla_flag == sla_rules.sla_flag(NOW, T0, 15, paused_now, CAL, 0.8, closed_at=closed_at)


def test_a_pause_moves_the_due_date_by_the_paused_working_days():
    plain, paused = case(), case()
    decide(plain, [Update("a", "R1", "in_progress", at(1))])
    decide(paused, [Update("a", "R1", "waiting_applicant", at(2)), Update("b", "R1", "in_progress", at(9))])
    assert local_date(plain.due_at) == date(2026, 1, 27)
    assert CAL.working_days_between(local_date(plain.due_at), local_date(paused.due_at)) == 5


def test_reopening_counts_and_clears_the_closing():
    state = case("resolved", last=at(2), closed_at=at(2), reopen_count=1)
    decide(state, [Update("r", "R1", "in_progress", at(3))])
    assert (state.reopen_count, state.closed_at, state.status) == (2, None, "in_progress")


def test_odd_values_from_a_departmental_system_are_made_storable():
    decider = SyncDecider(StatusMapping.build({"3": "resolved"}, {}), CAL, NOW, origin_prefix="x:")
    batch = [
        Update("a\x00b", 1001, 3, at(1), note="ok\x00"),        # numbers for reference and status
        Update("n1", None, "3", at(1)),                            # no reference at all
        Update("d1", "R9", "3", at(1), note={"text": "hi"}),      # a note that is not text
    ]
    plan = decider.plan(batch, {"1001": case(id=7), "R9": case(id=9)})
    assert plan.unknown_refs == 1
    by_case = {event[0]: event for event in plan.events}
    assert by_case[7][4] == "resolved" and by_case[7][5] == "ok" and by_case[7][7] == "ab"
    assert by_case[9][5] == "{'text': 'hi'}"


# (value from a departmental system, as a reference key, as an unknown status's label)
LABELS = [
    ("plain", "DIW-EXT-000001", "DIW-EXT-000001", "DIW-EXT-000001"),
    ("Thai", "รอตรวจสอบ", "รอตรวจสอบ", "รอตรวจสอบ"),
    ("a NUL", "on\x00hold", "onhold", "onhold"),
    ("other control characters", "\x01in\tprogress\r\n\x7f\x85", "inprogress", "inprogress"),
    ("only control characters", "\x00\x1f", None, ""),
    ("a number", 1001, "1001", "1001"),
    ("nothing", None, None, ""),
    ("spaces are kept", "on hold\u00a0", "on hold\u00a0", "on hold\u00a0"),
    ("too long for the status column", "x\x00" * 150, "x" * 150, "x" * 100),
]


@pytest.mark.parametrize("name, value, key, label", LABELS, ids=[c[0] for c in LABELS])
def test_references_and_statuses_lose_their_control_characters(name, value, key, label):
    assert reference_key(value) == key
    assert status_label(value) == label
    assert clean_label(value) == (key or "")


def test_a_reference_or_status_with_a_nul_is_matched_and_recorded_clean():
    unknown = UnknownStatusLog()
    decider = SyncDecider(MAPPING, CAL, NOW, origin_prefix="x:", unknown_statuses=unknown)
    batch = [
        Update("a", "R\x001", "in_\x00progress", at(1)),   # a known status behind a NUL
        Update("b", "R\x001", "on\x00hold", at(2)),
        Update("c", "GH\x00OST", "resolved", at(2)),
    ]
    plan = decider.plan(batch, {"R1": case()})
    assert plan.changed["R1"].status == "in_progress"
    assert (plan.unknown_refs, plan.unknown_ref_examples) == (1, ["GHOST"])
    assert plan.unknown_statuses == {"onhold"}
    assert [(e.external_status, e.example_ref) for e in unknown.entries()] == [("onhold", "R1")]

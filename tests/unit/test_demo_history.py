"""Demo case histories (app/domain/demo_history.py): each plan's steps, table-driven, and every
generated case's timeline against the workflow, its dates and its fields."""
from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from app.domain import demo_history as dh
from app.domain import workflow
from app.domain.demo_corpus import generate_cases
from app.domain.statuses import CLOSED_STATUSES, Channel, EventKind, EventSource, Status

NOW = datetime(2026, 3, 15, 5, 30, 12, 345678, tzinfo=timezone.utc)
HOUR, DAY = 3600, 86_400
MOVES = {EventKind.STATUS, EventKind.REOPEN, EventKind.FORWARD_OUT}


def plan(**changes) -> dh.Plan:
    fields = dict(kind="request", agency="DIW", origin="OPS", channel="department", respond=2 * DAY,
                  resolve=20 * DAY, closed_status="resolved", closed_note="อนุญาตแล้ว", reopens=0, pause=None,
                  pause_start=0.25, pause_end=0.5, first_note="รับคำขอแล้ว", forward_note="ส่งต่อ",
                  satisfaction=None, rating_delay=DAY)
    return dh.Plan(**{**fields, **changes})


def moves(history: dh.History) -> list[tuple]:
    """(kind, from, to, seconds after submission) of each step after the created one."""
    return [(s.kind, s.from_status, s.to_status, int(s.offset.total_seconds())) for s in history.steps[1:]]


@pytest.mark.parametrize("changes, expected, paused", [
    # Closed by its first response: one move, straight to the outcome.
    ({"respond": 30 * DAY}, [("status", "received", "resolved", 20 * DAY)], None),
    ({}, [("status", "received", "in_progress", 2 * DAY), ("status", "in_progress", "resolved", 20 * DAY)], None),
    # Asked for documents at the first response; they came half way through the rest.
    ({"pause": "first"}, [("status", "received", "waiting_applicant", 2 * DAY),
                          ("status", "waiting_applicant", "in_progress", 11 * DAY),
                          ("status", "in_progress", "resolved", 20 * DAY)], (2 * DAY, 11 * DAY)),
    # Asked later, and the wait lasted until the refusal.
    ({"pause": "later", "pause_end": None, "closed_status": "rejected"},
     [("status", "received", "in_progress", 2 * DAY), ("status", "in_progress", "waiting_applicant", 6 * DAY + 12 * HOUR),
      ("status", "waiting_applicant", "rejected", 20 * DAY)], (6 * DAY + 12 * HOUR, 20 * DAY)),
    # Reopened once: resolved a third of the way, reopened two thirds of the way, resolved again.
    ({"reopens": 1}, [("status", "received", "in_progress", 2 * DAY), ("status", "in_progress", "resolved", 6 * DAY + 12 * HOUR),
                      ("reopen", "resolved", "in_progress", 11 * DAY), ("status", "in_progress", "resolved", 20 * DAY)],
     None),
])
def test_closed_histories(changes, expected, paused):
    history = dh.closed_history(plan(**changes))
    assert moves(history) == expected
    assert history.steps[0][:2] == (timedelta(0), EventKind.CREATED) and history.origin == "DIW"
    assert history.clock_start == timedelta(0)
    got = None if history.paused_from is None else (history.paused_from.total_seconds(), history.paused_until.total_seconds())
    assert got == paused
    assert history.last == history.steps[-1].offset


@pytest.mark.parametrize("status, changes, age, expected, paused_from", [
    ("in_progress", {}, 10 * DAY, [("status", "received", "in_progress", 2 * DAY)], None),
    ("in_progress", {"reopens": 1}, 10 * DAY,
     [("status", "received", "in_progress", 2 * DAY), ("status", "in_progress", "resolved", 4 * DAY),
      ("reopen", "resolved", "in_progress", 6 * DAY)], None),
    ("waiting_applicant", {"pause": "first"}, 10 * DAY,
     [("status", "received", "waiting_applicant", 2 * DAY)], 2 * DAY),
    # Waiting since a quarter of the time worked so far.
    ("waiting_applicant", {}, 10 * DAY,
     [("status", "received", "in_progress", 2 * DAY), ("status", "in_progress", "waiting_applicant", 4 * DAY)], 4 * DAY),
    ("waiting_applicant", {"reopens": 1}, 10 * DAY,
     [("status", "received", "in_progress", 2 * DAY), ("status", "in_progress", "resolved", 4 * DAY),
      ("reopen", "resolved", "in_progress", 6 * DAY), ("status", "in_progress", "waiting_applicant", 8 * DAY)], 8 * DAY),
    ("forwarded", {}, 10 * DAY,
     [("forward_out", "received", "forwarded", 2 * DAY), ("forward_in", "received", "forwarded", 2 * DAY)], None),
])
def test_open_histories(status, changes, age, expected, paused_from):
    history = dh.open_history(plan(**changes), status, age)
    assert moves(history) == expected
    assert (history.paused_from and history.paused_from.total_seconds()) == paused_from
    assert history.paused_until is None


def test_a_forwarded_case_was_filed_where_it_came_from_and_its_clock_starts_on_arrival():
    history = dh.open_history(plan(channel="walk_in"), "forwarded", 10 * DAY)
    created, out, in_ = history.steps
    assert history.origin == "OPS" and history.clock_start == timedelta(days=2)
    assert created.to_agency == "OPS" and created.actor == ("OPS", dh.OFFICER)
    for step in (out, in_):
        assert (step.from_agency, step.to_agency, step.actor, step.note) == ("OPS", "DIW", ("OPS", dh.OFFICER), "ส่งต่อ")


@pytest.mark.parametrize("agency, agencies, origin", [
    ("DIW", ("OPS", "DIW", "TISI"), "OPS"),
    ("OPS", ("OPS", "DIW", "TISI"), "DIW"),
    ("OPS", ("OPS", "TISI"), "TISI"),
    ("TISI", ("TISI",), None),
])
def test_forwarding_agency(agency, agencies, origin):
    assert dh.forwarding_agency(agency, agencies) == origin


def test_nothing_is_forwarded_without_an_agency_to_come_from():
    assert dh.open_status(plan(origin=None), "forwarded") == "in_progress"
    assert dh.open_status(plan(), "forwarded") == "forwarded"


@pytest.mark.parametrize("channel, source, actor", [
    ("web", "public", (None, dh.PUBLIC)),
    ("traffy", "import", ("DIW", dh.CLERK)),
    ("department", "import", ("DIW", dh.CLERK)),
    ("phone", "screen", ("DIW", dh.OFFICER)),
    ("letter", "screen", ("DIW", dh.OFFICER)),
    ("walk_in", "screen", ("DIW", dh.OFFICER)),
    ("line", "screen", ("DIW", dh.OFFICER)),
])
def test_who_files_a_case_by_its_channel(channel, source, actor):
    assert dh.created_by(channel, "DIW") == (source, actor)


def test_a_rating_comes_after_the_closing_and_never_after_now():
    closed = dh.closed_history(plan(satisfaction=4))
    rated = dh.rated(closed, plan(satisfaction=4))
    step = rated.steps[-1]
    assert step.offset == timedelta(days=21) and rated.last == step.offset
    assert (step.kind, step.source, step.actor, step.public, step.changes) == (
        "rating", "public", (None, dh.REQUESTER), False, {"satisfaction": [None, 4]})
    assert dh.rated(closed, plan(satisfaction=4), age=20 * DAY + HOUR).steps[-1].offset == timedelta(days=20, hours=1)


def test_make_plan_never_reopens_a_case_its_first_response_closed_nor_makes_a_reopened_one_wait():
    rng = random.Random(1)
    for _ in range(500):
        made = dh.make_plan(rng, kind="request", agency="DIW", origin="OPS", channel="web", respond=5 * DAY,
                            resolve=rng.choice((2 * DAY, 9 * DAY)), closed_status="resolved", closed_note=None,
                            reopens=rng.choice((0, 1, 2)), satisfaction=None, forward_note=None)
        if made.respond >= made.resolve:
            assert made.reopens == 0
        if made.reopens:
            assert made.pause is None
        assert dh.RATING_DELAY_RANGE[0] <= made.rating_delay <= dh.RATING_DELAY_RANGE[1]


# ---- every generated case -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def cases() -> list[dict]:
    return list(generate_cases(5_000, now=NOW))


def test_every_case_moves_as_the_workflow_allows_to_its_current_status(cases):
    for case in cases:
        steps = case["history"].steps
        assert steps[0].kind == EventKind.CREATED and steps[0].to_status == Status.RECEIVED
        assert steps[0].offset == timedelta(0)
        status = Status.RECEIVED
        for step in steps[1:]:
            if step.kind == EventKind.STATUS:
                workflow.check_transition(status, step.to_status)
            elif step.kind == EventKind.REOPEN:
                assert workflow.check_reopen(status) == step.to_status
            elif step.kind == EventKind.FORWARD_OUT:
                workflow.check_forward(status, step.from_agency, step.to_agency)
            if step.kind in MOVES:
                assert step.from_status == status, case
                status = step.to_status
        assert status == case["status"], case


def test_times_are_ordered_and_within_the_cases_dates(cases):
    for case in cases:
        history, submitted, closed = case["history"], case["submitted_at"], case["closed_at"]
        times = [submitted + step.offset for step in history.steps]
        assert times == sorted(times)
        assert times[-1] <= NOW and submitted + history.last == times[-1]
        moved = [submitted + s.offset for s in history.steps if s.kind in MOVES]
        if case["status"] == Status.RECEIVED:
            assert moved == [] and case["first_response_at"] is None
            continue
        assert moved[0] == case["first_response_at"]
        if case["status"] in CLOSED_STATUSES:
            assert moved[-1] == closed
            assert all(submitted + s.offset > closed for s in history.steps if s.kind == EventKind.RATING)
        assert sum(s.kind == EventKind.REOPEN for s in history.steps) == case["reopen_count"]


def test_the_clock_and_the_pause_follow_the_history(cases):
    for case in cases:
        history = case["history"]
        forwards = [s for s in history.steps if s.kind == EventKind.FORWARD_IN]
        assert history.clock_start == (forwards[0].offset if forwards else timedelta(0))
        assert (history.origin == case["agency_code"]) == (not forwards)
        waits = [s for s in history.steps if s.to_status == Status.WAITING_APPLICANT]
        if case["status"] == Status.WAITING_APPLICANT:
            assert history.paused_from == waits[-1].offset and history.paused_until is None
        elif waits:
            after = [s for s in history.steps if s.kind in MOVES and s.offset >= waits[-1].offset][1]
            assert (history.paused_from, history.paused_until) == (waits[-1].offset, after.offset)
        else:
            assert history.paused_from is None


def test_actors_and_publicity_are_those_the_screens_write(cases):
    rated = 0
    for case in cases:
        created, *rest = case["history"].steps
        assert created.public is False and created.to_agency == case["history"].origin
        if case["channel"] == Channel.WEB:
            assert (created.source, created.actor) == (EventSource.PUBLIC, (None, dh.PUBLIC))
        else:
            assert created.actor[0] == case["history"].origin and created.actor[1] in dh.STAFF_ROLES
        for step in rest:
            if step.kind == EventKind.RATING:
                rated += 1
                assert step.public is False and step.changes == {"satisfaction": [None, case["satisfaction"]]}
                continue
            assert step.public is True and step.source == EventSource.SCREEN
            assert step.actor[1] == (dh.MANAGER if step.to_status == Status.REJECTED else dh.OFFICER)
            assert step.actor[0] == (step.from_agency if step.kind.startswith("forward") else case["agency_code"])
    assert rated == sum(c["satisfaction"] is not None for c in cases) > 0


def test_histories_tell_every_story(cases):
    kinds = Counter(s.kind for c in cases for s in c["history"].steps)
    assert set(kinds) == {"created", "status", "reopen", "forward_out", "forward_in", "rating"}
    assert kinds["created"] == len(cases)
    waited = [c for c in cases if c["status"] in CLOSED_STATUSES and c["history"].paused_from is not None]
    assert waited and any(c["kind"] == "request" for c in waited)
    notes = {s.note for c in cases for s in c["history"].steps if s.kind == EventKind.STATUS and s.note}
    assert set(dh.WAIT_NOTES.values()) <= notes and set(dh.RESUME_NOTES.values()) <= notes

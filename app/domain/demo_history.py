"""How a demo case came to its current status: the timeline the screens would have written.

A ``Plan`` (one per bundle of a case type, app/domain/demo_corpus.py) fixes how its cases are
filed and worked: who files them (by channel), where a forwarded one comes from, when the first
response and the closing come, whether the applicant is asked for more and for how long, how
often a case is reopened, when the requester rates it. ``closed_history``, ``open_history`` and
``received_history`` turn it into the steps after submission, each as the screen, form or import
that makes it writes its event:

- created: on screen by an officer (phone, letter, walk-in, LINE), by the public form (web), or
  by the clerk's import of the agency's register (Traffy Fondue, departmental system); not public;
- each status move, forwarding (its out and in events) and reopening: on screen by an officer
  (a rejection by the manager), public, as the workflow allows it (app/domain/workflow.py);
- a rating: by the requester through the private link, not public.

Times are offsets after submission, in whole seconds: the first move is the first response, the
last closing is the closing, a forwarded case's clock starts when it arrives, a wait for the
applicant pauses the clock from its start to its end (or to now while it lasts), and a closing
that is reopened stops it until the reopening. Pure: no Flask
or database imports.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from app.domain.statuses import Channel, EventKind, EventSource, Kind, Status

# Who acts: an agency's demo officer, manager or clerk, or someone without an account.
OFFICER, MANAGER, CLERK = "officer", "manager", "clerk"
PUBLIC, REQUESTER = "public", "requester"
STAFF_ROLES = (OFFICER, MANAGER, CLERK)

Actor = tuple  # (agency code or None, role)

_RECEIVED, _IN_PROGRESS = Status.RECEIVED.value, Status.IN_PROGRESS.value
_WAITING, _FORWARDED, _RESOLVED = Status.WAITING_APPLICANT.value, Status.FORWARDED.value, Status.RESOLVED.value
_SCREEN, _IMPORT, _PUBLIC_SOURCE = EventSource.SCREEN.value, EventSource.IMPORT.value, EventSource.PUBLIC.value
_IMPORTED_CHANNELS = frozenset({Channel.TRAFFY.value, Channel.DEPARTMENT.value})
_ZERO = timedelta(0)


class Step(NamedTuple):
    """One timeline event, as case_event holds it, at `offset` after the case's submission."""

    offset: timedelta
    kind: str
    source: str
    actor: Actor
    from_status: str | None
    to_status: str | None
    from_agency: str | None
    to_agency: str | None
    note: str | None
    public: bool
    changes: dict | None = None


class History(NamedTuple):
    steps: tuple[Step, ...]
    # The agency the case was filed with (its tracking code's), which a forwarded case has left.
    origin: str
    # When the SLA clock started: at submission, or when a forwarded case arrived.
    clock_start: timedelta
    # The wait for the applicant: from, and until (None while it lasts). None: no wait.
    paused_from: timedelta | None
    paused_until: timedelta | None
    # The last step's offset: when the case was last written.
    last: timedelta


# Notes as officers write them for the public; by kind of case.
FIRST_NOTES = {
    Kind.COMPLAINT.value: ("รับเรื่องแล้ว อยู่ระหว่างตรวจสอบข้อเท็จจริง",
                           "มอบหมายเจ้าหน้าที่ลงพื้นที่ตรวจสอบแล้ว"),
    Kind.REQUEST.value: ("รับคำขอแล้ว อยู่ระหว่างตรวจสอบเอกสาร", "รับคำขอแล้ว อยู่ระหว่างพิจารณา"),
}
WAIT_NOTES = {
    Kind.COMPLAINT.value: "ขอให้ผู้ร้องแจ้งรายละเอียดเพิ่มเติม เช่น ช่วงเวลาที่เกิดเหตุและตำแหน่งที่ตั้ง",
    Kind.REQUEST.value: "ขอให้ผู้ยื่นส่งเอกสารเพิ่มเติมให้ครบถ้วน",
}
RESUME_NOTES = {
    Kind.COMPLAINT.value: "ได้รับข้อมูลเพิ่มเติมจากผู้ร้องแล้ว ดำเนินการต่อ",
    Kind.REQUEST.value: "ได้รับเอกสารเพิ่มเติมครบถ้วนแล้ว ดำเนินการพิจารณาต่อ",
}
REOPEN_NOTES = {
    Kind.COMPLAINT.value: "ผู้ร้องแจ้งว่าปัญหายังไม่ได้รับการแก้ไข ขอให้ตรวจสอบอีกครั้ง",
    Kind.REQUEST.value: "ผู้ยื่นขอให้ทบทวนผลการพิจารณา",
}
FORWARD_NOTE = "ส่งต่อให้ {agency} ซึ่งเป็นหน่วยงานที่รับผิดชอบโดยตรงดำเนินการ"
# Where a forwarded case comes from: the ministry's own desk receives complaints for every
# department; what reaches OPS itself was first filed with DIW.
FORWARDING_AGENCY = "OPS"
FORWARDING_TO_OPS = "DIW"


def forwarding_agency(agency: str, agencies: tuple[str, ...]) -> str | None:
    """The agency a case of `agency` is forwarded from, among `agencies`; None when there is none."""
    for candidate in (FORWARDING_AGENCY, FORWARDING_TO_OPS, *agencies):
        if candidate != agency and candidate in agencies:
            return candidate
    return None


def created_by(channel: str, agency: str) -> tuple[str, Actor]:
    """(source, actor) of the created event of a case that came in by `channel`."""
    if channel == Channel.WEB.value:
        return _PUBLIC_SOURCE, (None, PUBLIC)
    if channel in _IMPORTED_CHANNELS:
        return _IMPORT, (agency, CLERK)
    return _SCREEN, (agency, OFFICER)


@dataclass(frozen=True)
class Plan:
    """How the cases of one bundle go, whatever their age: each case is closed, open or just
    received depending on how long ago it was submitted."""

    kind: str
    agency: str
    # Where a forwarded case of this plan was filed; None: none is forwarded.
    origin: str | None
    channel: str
    respond: int  # seconds after submission: the first response
    resolve: int  # seconds after submission: the closing, once it comes
    closed_status: str
    closed_note: str | None
    reopens: int
    # A wait for the applicant: None, "first" (asked for more at the first response) or "later".
    pause: str | None
    pause_start: float  # share of the time worked before the wait starts ("later")
    pause_end: float | None  # share of the time left when the wait ends; None: it ends at the closing
    first_note: str | None
    forward_note: str | None
    satisfaction: int | None
    rating_delay: int  # seconds after the closing


# Shares of plans whose applicant is asked for more (requests need documents), and of those waits
# that end before the closing (the rest end with it).
PAUSE_SHARE = {Kind.COMPLAINT.value: 0.10, Kind.REQUEST.value: 0.45}
PAUSE_AT_FIRST_SHARE = 0.4
PAUSE_ENDS_SHARE = 0.7
FIRST_NOTE_SHARE = 0.6
# The requester rates about a day after the closing, from minutes to a week.
RATING_DELAY_MEDIAN = 86_400
RATING_DELAY_RANGE = (600, 7 * 86_400)


def make_plan(rng, *, kind: str, agency: str, origin: str | None, channel: str, respond: int, resolve: int,
              closed_status: str, closed_note: str | None, reopens: int, satisfaction: int | None,
              forward_note: str | None) -> Plan:
    """A plan with its own draws from `rng`: the wait for the applicant, the first note, when
    the rating comes. A case the first response closes is never reopened; a reopened one never
    waits (one story per case)."""
    if respond >= resolve:
        reopens = 0
    pause = None
    if not reopens and rng.random() < PAUSE_SHARE[kind]:
        pause = "first" if rng.random() < PAUSE_AT_FIRST_SHARE else "later"
    pause_start = rng.uniform(0.1, 0.5)
    pause_end = rng.uniform(0.3, 0.8) if rng.random() < PAUSE_ENDS_SHARE else None
    first_note = rng.choice(FIRST_NOTES[kind]) if rng.random() < FIRST_NOTE_SHARE else None
    low, high = RATING_DELAY_RANGE
    rating_delay = int(min(high, max(low, rng.lognormvariate(0, 1) * RATING_DELAY_MEDIAN)))
    return Plan(kind=kind, agency=agency, origin=origin, channel=channel,
                respond=respond, resolve=resolve, closed_status=closed_status, closed_note=closed_note,
                reopens=reopens, pause=pause, pause_start=pause_start, pause_end=pause_end, first_note=first_note,
                forward_note=forward_note, satisfaction=satisfaction, rating_delay=rating_delay)


class _Builder:
    """Steps in order, each move from the status the previous one reached."""

    def __init__(self, plan: Plan, origin: str):
        self.plan, self.origin, self.status = plan, origin, _RECEIVED
        source, actor = created_by(plan.channel, origin)
        self.steps = [Step(_ZERO, EventKind.CREATED.value, source, actor, None, _RECEIVED, None, origin, None, False)]

    def move(self, at: int, to: str, note: str | None = None) -> None:
        role = MANAGER if to == Status.REJECTED.value else OFFICER
        self.steps.append(Step(timedelta(seconds=at), EventKind.STATUS.value, _SCREEN, (self.plan.agency, role),
                               self.status, to, None, None, note, True))
        self.status = to

    def reopen(self, at: int) -> None:
        self.steps.append(Step(timedelta(seconds=at), EventKind.REOPEN.value, _SCREEN, (self.plan.agency, OFFICER),
                               self.status, _IN_PROGRESS, None, None, REOPEN_NOTES[self.plan.kind], True))
        self.status = _IN_PROGRESS

    def forward(self, at: int) -> None:
        plan, offset = self.plan, timedelta(seconds=at)
        for kind in (EventKind.FORWARD_OUT.value, EventKind.FORWARD_IN.value):
            self.steps.append(Step(offset, kind, _SCREEN, (self.origin, OFFICER), self.status, _FORWARDED,
                                   self.origin, plan.agency, plan.forward_note, True))
        self.status = _FORWARDED

    def cycles(self, start: int, end: int, count: int, *, then_wait: bool = False) -> None:
        """`count` closings each followed by a reopening, spread evenly over (start, end), and the
        start of a wait after them when asked."""
        span, parts = end - start, 2 * count + 2
        for i in range(1, count + 1):
            self.move(start + span * (2 * i - 1) // parts, _RESOLVED)
            self.reopen(start + span * 2 * i // parts)
        if then_wait:
            self.move(start + span * (2 * count + 1) // parts, _WAITING, WAIT_NOTES[self.plan.kind])

    def done(self, clock_start: int = 0, paused: tuple[int, int | None] | None = None) -> History:
        paused_from, paused_until = paused or (None, None)
        return History(
            tuple(self.steps), self.origin, timedelta(seconds=clock_start),
            None if paused_from is None else timedelta(seconds=paused_from),
            None if paused_until is None else timedelta(seconds=paused_until),
            self.steps[-1].offset)


def received_history(plan: Plan) -> History:
    return _Builder(plan, plan.agency).done()


def closed_history(plan: Plan) -> History:
    """The history of a case of this plan that closed `plan.resolve` seconds after submission:
    the final step is the closing, to plan.closed_status."""
    build = _Builder(plan, plan.agency)
    respond, resolve = plan.respond, plan.resolve
    paused = None
    if respond >= resolve:  # the first response closes it
        build.move(resolve, plan.closed_status, plan.closed_note)
        return build.done()
    if plan.reopens:
        build.move(respond, _IN_PROGRESS, plan.first_note)
        build.cycles(respond, resolve, plan.reopens)
    elif plan.pause is not None:
        if plan.pause == "first":
            start = respond
        else:
            build.move(respond, _IN_PROGRESS, plan.first_note)
            start = respond + int((resolve - respond) * plan.pause_start)
        build.move(start, _WAITING, WAIT_NOTES[plan.kind])
        end = resolve
        if plan.pause_end is not None:
            end = start + int((resolve - start) * plan.pause_end)
            build.move(end, _IN_PROGRESS, RESUME_NOTES[plan.kind])
        paused = (start, end)
    else:
        build.move(respond, _IN_PROGRESS, plan.first_note)
    build.move(resolve, plan.closed_status, plan.closed_note)
    return build.done(paused=paused)


def rated(history: History, plan: Plan, age: int | None = None) -> History:
    """A closed case's history with the requester's rating (plan.satisfaction) after the closing,
    no later than `age` seconds after submission (now) when given."""
    at = plan.resolve + plan.rating_delay
    if age is not None:
        at = min(at, age)
    step = Step(timedelta(seconds=at), EventKind.RATING.value, _PUBLIC_SOURCE, (None, REQUESTER), None, None, None,
                None, None, False, {"satisfaction": [None, plan.satisfaction]})
    return history._replace(steps=history.steps + (step,), last=step.offset)


def open_status(plan: Plan, status: str) -> str:
    """The open status a case of this plan can be in: forwarded only when it has somewhere to come from."""
    return _IN_PROGRESS if status == _FORWARDED and plan.origin is None else status


def open_depends_on_age(plan: Plan, status: str) -> bool:
    """Whether open_history's answer for a case in this status depends on the case's age."""
    if status == _IN_PROGRESS:
        return plan.reopens > 0
    if status == _WAITING:
        return plan.reopens > 0 or plan.pause != "first"
    return False


def open_history(plan: Plan, status: str, age: int) -> History:
    """The history of a case of this plan that is `status` (in progress, waiting for the
    applicant or forwarded) `age` seconds after submission, its first response already made.
    A forwarded case is never reopened."""
    respond = plan.respond
    if status == _FORWARDED:
        build = _Builder(plan, plan.origin)
        build.forward(respond)
        return build.done(clock_start=respond)
    build = _Builder(plan, plan.agency)
    if status == _WAITING and not plan.reopens and plan.pause == "first":
        build.move(respond, _WAITING, WAIT_NOTES[plan.kind])
        return build.done(paused=(respond, None))
    build.move(respond, _IN_PROGRESS, plan.first_note)
    if status == _IN_PROGRESS:
        if plan.reopens:
            build.cycles(respond, age, plan.reopens)
        return build.done()
    if plan.reopens:
        build.cycles(respond, age, plan.reopens, then_wait=True)
    else:
        build.move(respond + int((age - respond) * plan.pause_start), _WAITING, WAIT_NOTES[plan.kind])
    return build.done(paused=(int(build.steps[-1].offset.total_seconds()), None))

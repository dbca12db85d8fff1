"""Which moves a case may make between statuses: one table, read by every surface."""
from __future__ import annotations

from app.domain.case_rules import ValidationFailed
from app.domain.errors import RuleError
from app.domain.statuses import CLOSED_STATUSES, OPEN_STATUSES, STATUS_LABELS, Status

S = Status

# Moves an officer may make with the status action. Forwarding (to another agency) and
# reopening (of a closed case) are their own actions; see can_forward and can_reopen.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.RECEIVED: frozenset({S.IN_PROGRESS, S.WAITING_APPLICANT, S.RESOLVED, S.REJECTED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.WAITING_APPLICANT, S.RESOLVED, S.REJECTED, S.CANCELLED}),
    S.WAITING_APPLICANT: frozenset({S.IN_PROGRESS, S.RESOLVED, S.REJECTED, S.CANCELLED}),
    S.FORWARDED: frozenset({S.IN_PROGRESS, S.WAITING_APPLICANT, S.RESOLVED, S.REJECTED, S.CANCELLED}),
    S.RESOLVED: frozenset(),
    S.REJECTED: frozenset(),
    S.CANCELLED: frozenset(),
}

REOPEN_TARGET = S.IN_PROGRESS
# What a status sync from a departmental system may set: anything but a move into forwarded,
# which needs a receiving agency, and reopening is allowed because the source system is the
# authority on its own case.
SYNC_TARGETS = frozenset(Status) - {S.FORWARDED}


class TransitionError(RuleError):
    code = "transition_not_allowed"
    http_status = 409


def _parse(status: str) -> Status:
    try:
        return Status(status)
    except ValueError:
        # A field of the request is wrong, as an unknown agency is: 422 with the field named.
        raise ValidationFailed([RuleError(
            f"Unknown status '{status}'.", f"ไม่รู้จักสถานะ '{status}'", code="unknown_status", field="status"
        )]) from None


def allowed_targets(current: str) -> list[Status]:
    return sorted(TRANSITIONS[_parse(current)], key=list(Status).index)


def check_transition(current: str, target: str) -> Status:
    """Return the target status, or raise TransitionError naming both statuses."""
    src, dst = _parse(current), _parse(target)
    if dst == src:
        raise TransitionError(
            f"The case is already '{STATUS_LABELS[src][1]}'.",
            f"เรื่องนี้อยู่ในสถานะ '{STATUS_LABELS[src][0]}' อยู่แล้ว",
            field="status",
        )
    if dst not in TRANSITIONS[src]:
        hint_en = " Use Forward to send it to another agency." if dst == S.FORWARDED else ""
        hint_th = " ใช้ 'ส่งต่อ' เพื่อส่งเรื่องไปยังหน่วยงานอื่น" if dst == S.FORWARDED else ""
        if src in CLOSED_STATUSES:
            hint_en, hint_th = " Reopen it first.", " ต้องเปิดเรื่องใหม่ก่อน"
        raise TransitionError(
            f"A case that is '{STATUS_LABELS[src][1]}' cannot move to '{STATUS_LABELS[dst][1]}'.{hint_en}",
            f"เรื่องที่อยู่ในสถานะ '{STATUS_LABELS[src][0]}' เปลี่ยนเป็น '{STATUS_LABELS[dst][0]}' ไม่ได้{hint_th}",
            field="status",
        )
    return dst


def check_forward(current: str, from_agency: str, to_agency: str) -> None:
    src = _parse(current)
    if src not in OPEN_STATUSES:
        raise TransitionError(
            "Only an open case can be forwarded.", "ส่งต่อได้เฉพาะเรื่องที่ยังไม่ปิด", field="agency"
        )
    if from_agency == to_agency:
        raise TransitionError(
            "The case is already with that agency.", "เรื่องนี้อยู่ที่หน่วยงานนั้นอยู่แล้ว", field="agency"
        )


def check_reopen(current: str) -> Status:
    if _parse(current) not in CLOSED_STATUSES:
        raise TransitionError(
            "Only a closed case can be reopened.", "เปิดเรื่องใหม่ได้เฉพาะเรื่องที่ปิดแล้ว", field="status"
        )
    return REOPEN_TARGET


def check_sync_status(current: str, target: str) -> Status | None:
    """The status a departmental update sets, or None when it changes nothing."""
    src, dst = _parse(current), _parse(target)
    if dst == src or dst not in SYNC_TARGETS:
        return None
    return dst

"""The workflow table: every pair of statuses, allowed or refused with a message."""
import pytest

from app.domain import workflow
from app.domain.statuses import CLOSED_STATUSES, OPEN_STATUSES, Status

S = Status
ALLOWED = {
    (S.RECEIVED, S.IN_PROGRESS), (S.RECEIVED, S.WAITING_APPLICANT), (S.RECEIVED, S.RESOLVED),
    (S.RECEIVED, S.REJECTED), (S.RECEIVED, S.CANCELLED),
    (S.IN_PROGRESS, S.WAITING_APPLICANT), (S.IN_PROGRESS, S.RESOLVED), (S.IN_PROGRESS, S.REJECTED),
    (S.IN_PROGRESS, S.CANCELLED),
    (S.WAITING_APPLICANT, S.IN_PROGRESS), (S.WAITING_APPLICANT, S.RESOLVED),
    (S.WAITING_APPLICANT, S.REJECTED), (S.WAITING_APPLICANT, S.CANCELLED),
    (S.FORWARDED, S.IN_PROGRESS), (S.FORWARDED, S.WAITING_APPLICANT), (S.FORWARDED, S.RESOLVED),
    (S.FORWARDED, S.REJECTED), (S.FORWARDED, S.CANCELLED),
}


@pytest.mark.parametrize("src", list(S))
@pytest.mark.parametrize("dst", list(S))
def test_every_pair_of_statuses(src, dst):
    if (src, dst) in ALLOWED:
        assert workflow.check_transition(src, dst) == dst
    else:
        with pytest.raises(workflow.TransitionError) as info:
            workflow.check_transition(src, dst)
        assert info.value.message_en and info.value.message_th
        assert info.value.http_status == 409


@pytest.mark.parametrize("src, hint", [
    (S.RESOLVED, "Reopen it first"), (S.IN_PROGRESS, "Use Forward"),
])
def test_refusals_say_what_to_do_instead(src, hint):
    dst = S.IN_PROGRESS if src in CLOSED_STATUSES else S.FORWARDED
    with pytest.raises(workflow.TransitionError, match=hint):
        workflow.check_transition(src, dst)


def test_unknown_status_is_a_clear_error():
    with pytest.raises(workflow.RuleError, match="Unknown status 'done'"):
        workflow.check_transition("received", "done")


@pytest.mark.parametrize("status", list(S))
def test_reopen_only_closed_cases(status):
    if status in CLOSED_STATUSES:
        assert workflow.check_reopen(status) == S.IN_PROGRESS
    else:
        with pytest.raises(workflow.TransitionError):
            workflow.check_reopen(status)


@pytest.mark.parametrize("status", list(S))
def test_forward_only_open_cases_to_another_agency(status):
    if status in OPEN_STATUSES:
        workflow.check_forward(status, "OPS", "DIW")
        with pytest.raises(workflow.TransitionError, match="already with that agency"):
            workflow.check_forward(status, "DIW", "DIW")
    else:
        with pytest.raises(workflow.TransitionError, match="Only an open case"):
            workflow.check_forward(status, "OPS", "DIW")


@pytest.mark.parametrize("current, reported, expected", [
    ("received", "in_progress", S.IN_PROGRESS),
    ("in_progress", "in_progress", None),
    ("resolved", "in_progress", S.IN_PROGRESS),
    ("in_progress", "forwarded", None),
    ("waiting_applicant", "resolved", S.RESOLVED),
])
def test_sync_status(current, reported, expected):
    assert workflow.check_sync_status(current, reported) == expected

"""External statuses to ours: the agency's table over the connector's defaults, unknown → None."""
from datetime import UTC, datetime, timedelta

import pytest

from app.connectors.rest_json import RestJsonConnector
from app.connectors.traffy import TraffyConnector
from app.domain.status_mapping import StatusMapError, StatusMapping, UnknownStatusLog, unusable_entries
from app.domain.statuses import Status

S = Status
TRAFFY_DEFAULTS = TraffyConnector.default_status_map
REST_DEFAULTS = RestJsonConnector.default_status_map
DIW_MAP = {"APPROVED": "resolved", "DOC_REQUIRED": "waiting_applicant", "Finish": "in_progress"}


@pytest.mark.parametrize("agency_map, defaults, external, expected", [
    # the connector kind's defaults alone
    (None, TRAFFY_DEFAULTS, "start", S.RECEIVED),
    (None, TRAFFY_DEFAULTS, "inprogress", S.IN_PROGRESS),
    (None, TRAFFY_DEFAULTS, "follow", S.WAITING_APPLICANT),
    (None, TRAFFY_DEFAULTS, "forward", S.FORWARDED),
    (None, TRAFFY_DEFAULTS, "finish", S.RESOLVED),
    (None, TRAFFY_DEFAULTS, "irrelevant", S.REJECTED),
    (None, REST_DEFAULTS, "cancelled", S.CANCELLED),
    # unknown: None, never a guess (not even a near miss)
    (None, TRAFFY_DEFAULTS, "ปิดงาน", None),
    (None, TRAFFY_DEFAULTS, "finished", None),
    (None, REST_DEFAULTS, "done", None),
    (None, TRAFFY_DEFAULTS, "", None),
    (None, TRAFFY_DEFAULTS, None, None),
    ({}, {}, "received", None),
    # case and surrounding spaces do not matter
    (None, TRAFFY_DEFAULTS, " FINISH ", S.RESOLVED),
    (None, REST_DEFAULTS, "In_Progress", S.IN_PROGRESS),
    # the agency's entries add to and override the defaults, whatever their spelling
    (DIW_MAP, REST_DEFAULTS, "APPROVED", S.RESOLVED),
    (DIW_MAP, REST_DEFAULTS, "approved", S.RESOLVED),
    (DIW_MAP, REST_DEFAULTS, "DOC_REQUIRED", S.WAITING_APPLICANT),
    (DIW_MAP, REST_DEFAULTS, "resolved", S.RESOLVED),
    (DIW_MAP, TRAFFY_DEFAULTS, "finish", S.IN_PROGRESS),
    (DIW_MAP, TRAFFY_DEFAULTS, "Finish", S.IN_PROGRESS),
    (DIW_MAP, REST_DEFAULTS, "REJECTED_BY_BOARD", None),
])
def test_status_for(agency_map, defaults, external, expected):
    assert StatusMapping.build(agency_map, defaults).status_for(external) == expected


@pytest.mark.parametrize("raw, problems", [
    (None, 0),
    ({}, 0),
    ({"APPROVED": "resolved", "รออนุมัติ": "in_progress"}, 0),
    (["resolved"], 1),
    ("resolved", 1),
    ({"APPROVED": "approved"}, 1),
    ({"APPROVED": None}, 1),
    ({"APPROVED": ["resolved"]}, 1),
    ({"": "resolved"}, 1),
    ({"   ": "resolved"}, 1),
    ({"A": "nope", "": "resolved", "B": "resolved"}, 2),
])
def test_unusable_entries(raw, problems):
    assert len(unusable_entries(raw)) == problems


def test_an_unusable_agency_map_fails_with_its_reasons():
    with pytest.raises(StatusMapError, match="sends 'APPROVED' to 'done', which is not one of our statuses"):
        StatusMapping.build({"APPROVED": "done"}, REST_DEFAULTS)


def test_describe_lists_the_table_with_labels():
    rows = StatusMapping.build({"APPROVED": "resolved"}, {}).describe("th")
    assert rows == [("APPROVED", "เสร็จสิ้น")]


def test_unknown_status_log_counts_and_keeps_the_latest_example():
    log = UnknownStatusLog()
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    assert not log
    log.record("ปิดงาน", "TF-000002", t0 + timedelta(hours=2))
    log.record("ปิดงาน", "TF-000001", t0)
    log.record("ปิดงาน", "TF-000003", t0 + timedelta(hours=3))
    log.record(None, "TF-000004", t0)
    log.record("y" * 300, "TF-000005", t0)
    entries = {entry.external_status: entry for entry in log.entries()}
    closing = entries["ปิดงาน"]
    assert (closing.count, closing.first_seen, closing.last_seen, closing.example_ref) == (
        3, t0, t0 + timedelta(hours=3), "TF-000003")
    assert entries[""].count == 1
    assert "y" * 100 in entries
    assert log.total == 5


T0 = datetime(2026, 1, 1, tzinfo=UTC)


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


# (recorded span before the run, occurrences (update id, hours after T0), count added, first, last)
RECOUNTS = [
    ("nothing recorded: each update counts", None, [("u1", 1), ("u2", 5)], 2, hours(1), hours(5)),
    ("read again inside the span: nothing", (hours(1), hours(5)), [("u1", 1), ("u2", 5)], 0, None, None),
    ("a newer one counts", (hours(1), hours(5)), [("u2", 5), ("u3", 6)], 1, hours(5), hours(6)),
    ("one published late, older than the span, counts", (hours(1), hours(5)), [("u0", -2)], 1, hours(-2), hours(-2)),
    ("one published late inside the span: taken for one counted", (hours(1), hours(5)), [("u9", 3)], 0, None, None),
    ("the same update twice in a run counts once", None, [("u1", 1), ("u1", 1)], 1, hours(1), hours(1)),
]


@pytest.mark.parametrize("name, span, occurrences, added, first, last", RECOUNTS, ids=[c[0] for c in RECOUNTS])
def test_unknown_status_log_counts_each_update_once(name, span, occurrences, added, first, last):
    log = UnknownStatusLog({"ON_HOLD": span} if span else None)
    for update_id, n in occurrences:
        log.record("ON_HOLD", f"R-{update_id}", hours(n), update_id)
    entries = log.entries()
    if not added:
        assert entries == [] and log.total == 0
        return
    (seen,) = entries
    assert (seen.count, seen.first_seen, seen.last_seen) == (added, first, last)

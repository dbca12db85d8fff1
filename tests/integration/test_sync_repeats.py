"""Each run reads its newest updates again (the overlap): an update already applied, read again,
never moves its case again, whatever moved the case since; and a status a clerk's import sets is
the platform's own move, which a departmental system that is behind does not undo."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from app.connectors.base import Connector, ExternalUpdate
from app.domain.local_time import BANGKOK
from app.extensions import db
from app.models import Agency, Case, CaseEvent, StaffUser
from app.services import cases
from app.services.actor import Actor
from app.services.sync_status import sync_agency
from tests.integration.excel_support import legacy_rows, write_register
from tests.integration.jobs_support import reset_sync_state

STATUSES = ("received", "in_progress", "waiting_applicant", "forwarded", "resolved", "rejected", "cancelled")


class Feed(Connector):
    """A departmental feed of the given updates: every one from `since` on, as a real feed gives."""

    kind = "rest_json"
    default_status_map = {status: status for status in STATUSES}

    def __init__(self, updates):
        self.updates = list(updates)

    def fetch_updates(self, since, until=None):
        return iter([u for u in self.updates if u.occurred_at >= since])

    def lookup(self, reference):
        return None


def dated(update_id: str, reference: str, status: str, at: datetime) -> ExternalUpdate:
    return ExternalUpdate(update_id, reference, status, at, None, None, {})


@pytest.fixture(autouse=True)
def diw_syncs(app):
    reset_sync_state(app)
    with app.app_context():
        db.session.execute(update(Agency).where(Agency.code == "DIW").values(
            connector_kind="rest_json", connector_settings={"base_url": "http://127.0.0.1:9"}))
        db.session.commit()
    yield
    reset_sync_state(app)


def run(app, updates, now, **options):
    with app.app_context():
        return sync_agency("DIW", now=now, connector=Feed(updates), **options)


def state(app, case_id: int) -> tuple:
    with app.app_context():
        case = db.session.get(Case, case_id)
        events = db.session.execute(select(CaseEvent.kind).where(CaseEvent.case_id == case_id)).scalars().all()
        shown = (case.status, case.reopen_count, case.version, len(events))
        db.session.rollback()
    return shown


def test_an_update_read_again_does_not_undo_an_officers_later_move(app, make_case):
    """The departmental clock runs 4 minutes ahead (within the 5 minutes allowed): its update is
    dated after the officer's close, and the next tick reads it again."""
    case = make_case("DIW", external_ref="DIW-EXT-900001")
    now = datetime.now(UTC)
    ahead = dated("u1", "DIW-EXT-900001", "in_progress", now + timedelta(minutes=4))
    run(app, [ahead], now)
    with app.app_context():
        cases.change_status(Actor.system("officer"), case["id"], "resolved")
    closed = state(app, case["id"])
    again = run(app, [ahead], now + timedelta(minutes=1))
    assert state(app, case["id"]) == closed and again.status_changes == 0


def test_two_updates_of_one_time_split_between_batches_move_the_case_once(app, make_case):
    case = make_case("DIW", external_ref="DIW-EXT-900003")
    now = datetime.now(UTC)
    at = now - timedelta(hours=1)
    pair = [dated("a", "DIW-EXT-900003", "resolved", at), dated("b", "DIW-EXT-900003", "in_progress", at)]
    first = run(app, pair, now, batch_size=1)
    after_first = state(app, case["id"])
    assert after_first[0] == "in_progress" and first.status_changes == 2
    for minutes in (1, 2):
        later = run(app, pair, now + timedelta(minutes=minutes), batch_size=1)
        assert later.status_changes == 0 and state(app, case["id"]) == after_first


def _clerk():
    from app.services.case_import import import_actor

    return import_actor(db.session.execute(select(StaffUser).where(StaffUser.username == "diw.clerk")).scalar_one())


def _import_closing(app, tmp_path, reference: str) -> None:
    from app.services.case_import import run_import

    today = datetime.now(UTC).astimezone(BANGKOK).strftime("%Y-%m-%d")
    row = [1, None, reference, None, None, None, None, None, None, "เสร็จสิ้น", None, today, "ปิดแล้ว"]
    with app.app_context():
        plan = run_import(_clerk(), write_register(tmp_path / "closing.xlsx", [row]), isolated=False)
        assert plan.counts.as_dict()["updated"] == 1


@pytest.fixture()
def imported(app, tmp_path) -> int:
    from app.services.case_import import run_import

    with app.app_context():
        run_import(_clerk(), write_register(tmp_path / "register.xlsx", legacy_rows()), isolated=False)
        case_id = db.session.execute(select(Case.id).where(Case.external_ref == "REG-67-002")).scalar_one()
        db.session.rollback()
    return case_id


def test_an_update_read_again_does_not_undo_an_imports_close(app, tmp_path, imported):
    now = datetime.now(UTC)
    waiting = dated("r2", "REG-67-002", "waiting_applicant", now - timedelta(hours=2))
    run(app, [waiting], now)
    _import_closing(app, tmp_path, "REG-67-002")
    closed = state(app, imported)
    assert closed[0] == "resolved"
    run(app, [waiting], now + timedelta(minutes=1))
    assert state(app, imported) == closed


def test_a_departmental_update_from_before_an_import_does_not_undo_it(app, tmp_path, imported):
    _import_closing(app, tmp_path, "REG-67-002")
    now = datetime.now(UTC)
    behind = dated("late1", "REG-67-002", "in_progress", now - timedelta(minutes=30))
    report = run(app, [behind], now + timedelta(minutes=1))
    assert state(app, imported)[0] == "resolved" and report.stale == 1
    with app.app_context():
        assert db.session.get(Case, imported).moved_on_platform_at is not None

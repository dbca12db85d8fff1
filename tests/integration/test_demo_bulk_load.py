"""A large demo load on PostgreSQL sets indexes, constraints and triggers aside and puts every one
of them back, writes each case's timeline, and leaves everything as it was when it fails."""
import pytest
from sqlalchemy import text

from app.extensions import db

pytestmark = pytest.mark.skipif(
    not __import__("os").environ.get("DATABASE_URL", "").startswith("postgresql"),
    reason="the bulk path is PostgreSQL's (COPY); SQLite loads with executemany")


def _schema() -> dict:
    tables = ["case", "case_event"]
    return {
        "indexes": set(db.session.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(:t)"), {"t": tables}).all()),
        "constraints": set(db.session.execute(text(
            "SELECT conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint "
            "WHERE conrelid = ANY(CAST(:t AS regclass[]))"), {"t": ['"case"', "case_event"]}).all()),
        "triggers": set(db.session.execute(text(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = CAST('\"case\"' AS regclass) "
            "AND NOT tgisinternal")).all()),
    }


@pytest.fixture()
def small_bulk(monkeypatch):
    from app.services import demo

    monkeypatch.setattr(demo, "BULK_REBUILD_ROWS", 1000)
    monkeypatch.setattr(demo, "COPY_CHUNK", 400)
    return demo


def test_bulk_load_puts_back_what_it_set_aside_and_writes_every_timeline(app, small_bulk):
    with app.app_context():
        before = _schema()
        assert before["triggers"] and all(state == "O" for _name, state in before["triggers"])
        assert small_bulk.load_cases(1500, seed=7) == 1500
        assert _schema() == before
        count = lambda sql: db.session.execute(text(sql)).scalar_one()  # noqa: E731
        assert count('SELECT count(*) FROM "case"') == 1500
        assert count("SELECT count(*) FROM case_event WHERE kind = 'created'") == 1500
        closed = count('SELECT count(*) FROM "case" WHERE closed_at IS NOT NULL')
        assert closed > 100
        assert count("SELECT count(*) FROM case_event WHERE kind = 'status' AND note IS NOT NULL") > 0
        # Every case's events belong to it: the created event is at submission, to its agency (a
        # forwarded case's first agency), and the last move reaches the case's status.
        assert count('SELECT count(*) FROM case_event e JOIN "case" c ON c.id = e.case_id '
                     "WHERE e.kind = 'created' AND (e.at <> c.submitted_at "
                     "OR (e.to_agency_id <> c.agency_id AND c.status <> 'forwarded'))") == 0
        assert count('SELECT count(*) FROM "case" c JOIN LATERAL (SELECT e.to_status FROM case_event e '
                     "WHERE e.case_id = c.id AND e.kind IN ('created', 'status', 'reopen', 'forward_in') "
                     "ORDER BY e.at DESC, e.id DESC LIMIT 1) last ON true WHERE last.to_status <> c.status") == 0
        assert count("SELECT count(*) FROM case_event WHERE kind = 'status' AND to_status IN "
                     "('resolved', 'rejected', 'cancelled')") >= closed
        assert count("SELECT count(*) FROM case_event WHERE actor_label IS NULL OR actor_label = 'demo-data'") == 0
        # The dashboards' cells were marked as the switched-off trigger would have.
        missing = count(
            "SELECT count(*) FROM (SELECT DISTINCT agency_id, case_type_id, "
            "(submitted_at AT TIME ZONE 'Asia/Bangkok')::date AS day FROM \"case\") c "
            "WHERE NOT EXISTS (SELECT 1 FROM dashboard_dirty d WHERE d.agency_id = c.agency_id "
            "AND d.case_type_id = c.case_type_id AND d.day = c.day)")
        assert missing == 0
        # The counters continue after the loaded codes.
        assert count("SELECT sum(last_value) FROM tracking_counter") == 1500
        # A smaller load after it (the plain path: triggers on, nothing set aside) numbers on,
        # and the id sequence was moved past the ids the load gave out.
        assert small_bulk.load_cases(300, seed=8) == 300
        assert _schema() == before
        assert count('SELECT count(*) FROM "case"') == 1800
        assert count("SELECT count(*) FROM case_event WHERE kind = 'created'") == 1800
        assert count('SELECT count(DISTINCT case_id) FROM case_event') == 1800
        assert count("SELECT nextval(pg_get_serial_sequence('\"case\"', 'id'))") > count('SELECT max(id) FROM "case"')


def test_a_failed_bulk_load_leaves_schema_and_data_as_they_were(app, small_bulk, monkeypatch):
    real = small_bulk.generate_cases

    def failing(count, **kwargs):
        for n, case in enumerate(real(count, **kwargs)):
            if n == 900:
                raise RuntimeError("generator broke")
            yield case

    monkeypatch.setattr(small_bulk, "generate_cases", failing)
    with app.app_context():
        before = _schema()
        with pytest.raises(RuntimeError, match="generator broke"):
            small_bulk.load_cases(1500, seed=7)
        db.session.rollback()
        assert _schema() == before
        assert db.session.execute(text('SELECT count(*) FROM "case"')).scalar_one() == 0
        assert db.session.execute(text("SELECT count(*) FROM case_event")).scalar_one() == 0

"""The schema comes from migrations only: upgrade from empty, downgrade to empty, upgrade again."""
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {"agency", "case_type", "case", "case_event", "tracking_counter", "ab_user", "ab_role", "extra_holiday"}


def _scratch_url(tmp_path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return f"sqlite:///{tmp_path / 'migrations.db'}"
    base, _, name = url.rpartition("/")
    scratch = f"{name}_migrations"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{scratch}"'))
    admin.dispose()
    return f"{base}/{scratch}"


def _flask(url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "RUEANG_ENV": "test"}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout + result.stderr


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _case_triggers(url: str) -> set[str]:
    """The triggers on "case" (the dashboards' three): migrations that rebuild the table on
    SQLite must make them again."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'case'"
            else:
                query = "SELECT tgname FROM pg_trigger WHERE tgrelid = '\"case\"'::regclass AND NOT tgisinternal"
            return {row[0] for row in connection.execute(text(query))}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(tmp_path):
    url = _scratch_url(tmp_path)
    _flask(url, "db", "upgrade")
    assert EXPECTED <= _tables(url)
    _flask(url, "db", "downgrade", "base")
    assert _tables(url) == set()
    _flask(url, "db", "upgrade")
    assert EXPECTED <= _tables(url)
    assert _case_triggers(url) == {"dashboard_case_insert", "dashboard_case_update", "dashboard_case_delete"}
    _flask(url, "db", "downgrade", "0006")
    assert len(_case_triggers(url)) == 3
    _flask(url, "db", "upgrade")
    out = _flask(url, "db", "check")
    assert "No new upgrade operations detected" in out


def test_the_app_never_creates_tables_itself(app):
    assert app.config["FAB_CREATE_DB"] is False


def _row_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            names = set(inspect(connection).get_table_names()) - {"alembic_version"}
            return {name: connection.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one() for name in names}
    finally:
        engine.dispose()


def test_migrations_that_rebuild_the_case_table_keep_every_row(tmp_path):
    """On SQLite, a migration that alters "case" copies it and drops the old table. With foreign
    keys on, that DROP deleted every row of the tables whose key to it says ON DELETE CASCADE (the
    timeline, photos, requester links), and the upgrade still exited 0."""
    url = _scratch_url(tmp_path)
    _flask(url, "db", "upgrade")
    _flask(url, "demo-data", "--cases", "20", "--password", "a-long-demo-passphrase")
    engine = create_engine(url)
    with engine.begin() as connection:
        first, second = connection.execute(text('SELECT id FROM "case" ORDER BY id LIMIT 2')).scalars().all()
        connection.execute(text(
            "INSERT INTO case_attachment (case_id, stored_name, content_type, size_bytes, width, height, source, "
            "created_at) VALUES (:c, 'kept.jpg', 'image/jpeg', 10, 1, 1, 'public', CURRENT_TIMESTAMP)"), {"c": first})
        connection.execute(text("INSERT INTO requester_link (case_id, token_hash, created_at) "
                                "VALUES (:c, 'kept', CURRENT_TIMESTAMP)"), {"c": first})
        connection.execute(text("INSERT INTO case_link (case_id, linked_case_id, kind, created_at) "
                                "VALUES (:a, :b, 'related', CURRENT_TIMESTAMP)"), {"a": first, "b": second})
    engine.dispose()
    before = _row_counts(url)
    assert before["case_event"] > 20 and before["case_attachment"] == before["requester_link"] == 1

    _flask(url, "db", "downgrade", "0006")  # undoes every migration from 0007 on, "case" rebuilt among them
    at_0006 = _row_counts(url)
    for table in ("case", "case_event", "case_attachment", "requester_link"):
        assert at_0006[table] == before[table], table
    _flask(url, "db", "upgrade")
    after = _row_counts(url)
    kept = {table: count for table, count in before.items() if table in at_0006}
    assert {table: after[table] for table in kept} == kept


def test_foreign_keys_are_on_again_after_migrations_in_this_process(app):
    """The suite migrates in its own process, as `make run` does not: the connection the
    migrations turned foreign keys off on goes back to the pool with them on."""
    from app.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return
        for _ in range(3):  # whichever pooled connection the session gets
            assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            db.session.rollback()

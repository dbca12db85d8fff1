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

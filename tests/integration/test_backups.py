"""`flask backup make` and `backup check`: a backup holds the database and the photos, restores
to the same cases, is never left half made, and keeps only the newest few."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from app.domain.backups import is_backup_name
from app.extensions import db
from app.models import Case


def _run(app, *args):
    """The command's result and its last line, the JSON summary (None when it has none)."""
    result = app.test_cli_runner().invoke(args=list(args))
    lines = result.output.strip().splitlines()
    return result, (json.loads(lines[-1]) if lines and lines[-1].startswith("{") else None)


def _cases(app) -> int:
    with app.app_context():
        count = db.session.execute(select(func.count(Case.id))).scalar_one()
        db.session.rollback()
        return count


@pytest.fixture()
def a_photo(app):
    folder = Path(app.config["UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    photo = folder / "backup-test" / "photo.jpg"
    photo.parent.mkdir(exist_ok=True)
    photo.write_bytes(b"\xff\xd8\xff" + b"x" * 100)
    yield photo
    photo.unlink(missing_ok=True)


def test_a_backup_restores_to_the_same_cases_and_photos(app, make_case, a_photo, tmp_path):
    for _ in range(3):
        make_case("DIW")
    result, summary = _run(app, "backup", "make", str(tmp_path))
    assert result.exit_code == 0, result.output
    folder = Path(summary["backup"])
    assert is_backup_name(folder.name) and summary["cases"] == _cases(app) == 3 and summary["removed"] == []
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["cases"] == 3 and manifest["schema"] and set(manifest["files"]) == {
        "uploads.tar.gz", "database.dump" if manifest["database"] == "postgresql" else "database.sqlite"}
    with tarfile.open(folder / "uploads.tar.gz") as archive:
        assert "backup-test/photo.jpg" in archive.getnames()

    if manifest["database"] == "sqlite":
        copy = sqlite3.connect(folder / "database.sqlite")
        assert copy.execute('SELECT count(*) FROM "case"').fetchone()[0] == 3
        copy.close()
    else:
        _restore_into_scratch_postgresql(app, folder / "database.dump")

    checked, verdict = _run(app, "backup", "check", str(folder))
    assert checked.exit_code == 0 and verdict["whole"] is True


def _restore_into_scratch_postgresql(app, dump: Path) -> None:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    scratch = "rueang_restore_check"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {scratch}"))
        connection.execute(text(f"CREATE DATABASE {scratch}"))
    try:
        env = {**os.environ, "PGPASSWORD": url.password or ""}
        subprocess.run(["pg_restore", "--no-owner", "--host", url.host or "127.0.0.1", "--port", str(url.port or 5432),
                        "--username", url.username or "postgres", "--dbname", scratch, str(dump)],
                       env=env, check=True, capture_output=True)
        restored = create_engine(url.set(database=scratch))
        with restored.connect() as connection:
            assert connection.execute(text('SELECT count(*) FROM "case"')).scalar_one() == 3
        restored.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {scratch}"))
        admin.dispose()


def test_a_damaged_backup_is_told_apart(app, tmp_path):
    _, summary = _run(app, "backup", "make", str(tmp_path))
    folder = Path(summary["backup"])
    with (folder / "uploads.tar.gz").open("ab") as handle:
        handle.write(b"tampered")
    checked, verdict = _run(app, "backup", "check", str(folder))
    assert checked.exit_code == 1 and verdict["problems"] == ["uploads.tar.gz does not match its checksum"]
    (folder / "manifest.json").unlink()
    checked, _ = _run(app, "backup", "check", str(folder))
    assert checked.exit_code == 1 and "manifest.json cannot be read" in checked.output


def test_only_the_newest_backups_are_kept_and_other_files_are_left_alone(app, tmp_path):
    for old in ("rueang-20250101T000000Z", "rueang-20250102T000000Z", "rueang-20250103T000000Z", "notes"):
        (tmp_path / old).mkdir()
    _, summary = _run(app, "backup", "make", str(tmp_path), "--keep", "2")
    assert summary["removed"] == ["rueang-20250101T000000Z", "rueang-20250102T000000Z"]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        ["rueang-20250103T000000Z", "notes", Path(summary["backup"]).name])


def test_a_failed_backup_leaves_nothing_behind(app, tmp_path, monkeypatch):
    from app.services import backups

    def broken(*_args):
        raise backups.BackupFailed("pg_dump failed: disk full")

    monkeypatch.setattr(backups, "_dump_postgresql", broken)
    monkeypatch.setattr(backups, "_dump_sqlite", broken)
    result, _ = _run(app, "backup", "make", str(tmp_path))
    assert result.exit_code != 0 and "disk full" in result.output
    assert list(tmp_path.iterdir()) == []

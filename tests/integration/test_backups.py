"""`flask backup make` and `backup check`: a backup holds the database and the photos, restores
to the same cases, is never left half made, and keeps only the newest few."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from types import SimpleNamespace

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


@pytest.fixture()
def shared_umask():
    """The umask of a shell or a unit that says nothing of it: files come out readable by all."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_backup_is_readable_by_its_owner_only(app, a_photo, tmp_path, shared_umask):
    """Backups hold every requester's name, phone and complaint; they came out 0755 and 0644."""
    root = tmp_path / "backups"
    result, summary = _run(app, "backup", "make", str(root))
    assert result.exit_code == 0, result.output
    folder = Path(summary["backup"])
    assert oct(root.stat().st_mode & 0o777) == oct(0o700)
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700)
    modes = {path.name: oct(path.stat().st_mode & 0o777) for path in folder.iterdir()}
    assert len(modes) == 3 and set(modes.values()) == {oct(0o600)}, modes
    assert oct(os.umask(0o022)) == oct(0o022), "the command gives the umask back"


class _DiskFull:
    """sqlite3.connect's stand-in whose online backup meets a full disk half-way."""

    def __init__(self, path):
        self.connection = sqlite3.connect(path)

    def backup(self, target):
        Path(target.connection.execute("PRAGMA database_list").fetchone()[2]).write_bytes(b"half")
        raise sqlite3.OperationalError("database or disk is full")

    def close(self):
        self.connection.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _pg_dump_that(outcome):
    """A stand-in for the `subprocess` module whose pg_dump ends as `outcome` says."""
    def run(command, **_kwargs):
        Path(next(word for word in command if word.startswith("--file="))[len("--file="):]).write_bytes(b"half")
        if outcome == "timeout":
            raise subprocess.TimeoutExpired(command, 6 * 3600)
        if outcome == "missing":
            raise FileNotFoundError("pg_dump")
        return subprocess.CompletedProcess(command, 1, "", "pg_dump: error: could not write: No space left on device")
    return SimpleNamespace(run=run, TimeoutExpired=subprocess.TimeoutExpired, CompletedProcess=subprocess.CompletedProcess)


@pytest.mark.parametrize("failure, words", [
    ("sqlite disk full", "database or disk is full"),
    ("pg_dump disk full", "No space left on device"),
    ("pg_dump missing", "pg_dump is not installed"),
    ("pg_dump timeout", "pg_dump did not finish"),
])
def test_a_failed_dump_ends_with_a_failed_summary_and_leaves_nothing(app, tmp_path, monkeypatch, failure, words):
    """SQLite's full disk ended in a traceback, and pg_dump's time-out too; no failure printed the
    summary line that scripts read."""
    from app.services import backups

    # Each dumper meets its failure whichever database the suite runs on.
    real_sqlite, real_postgresql = backups._dump_sqlite, backups._dump_postgresql
    if failure.startswith("sqlite"):
        monkeypatch.setattr(backups, "sqlite3", SimpleNamespace(connect=_DiskFull, Error=sqlite3.Error))

        def dump(_url, target):
            real_sqlite(f"sqlite:///{tmp_path / 'source.db'}", target)
    else:
        monkeypatch.setattr(backups, "subprocess", _pg_dump_that(failure.split()[1]))

        def dump(_url, target):
            real_postgresql("postgresql+psycopg://rueang@db.example/rueang", target)
    monkeypatch.setattr(backups, "_dump_sqlite", dump)
    monkeypatch.setattr(backups, "_dump_postgresql", dump)
    root = tmp_path / "backups"
    result, summary = _run(app, "backup", "make", str(root))
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, (sqlite3.Error, subprocess.TimeoutExpired)), result.exception
    assert summary is not None and summary["ok"] is False and words in summary["error"], result.output
    assert list(root.iterdir()) == []


def test_a_directory_that_cannot_be_made_is_a_failed_summary(app, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    result, summary = _run(app, "backup", "make", str(tmp_path / "a-file" / "backups"))
    assert result.exit_code == 1, result.output
    assert summary == {"directory": str(tmp_path / "a-file" / "backups"), "ok": False, "error": summary["error"]}
    assert "could not be written" in summary["error"] and "Not a directory" in summary["error"]


def test_a_database_without_its_schema_is_a_failed_summary(tmp_path):
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}", "RUEANG_ENV": "test"}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "backup", "make", str(tmp_path / "backups")],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["ok"] is False and "db upgrade" in summary["error"]
    assert not (tmp_path / "backups").exists()


def test_a_backup_stopped_by_sigterm_leaves_nothing(app, tmp_path, monkeypatch):
    """systemd stops a unit with SIGTERM, which ended Python at once and left the unfinished
    folder, a whole dump, hidden and never pruned."""
    from app.services import backups

    received = []
    previous = signal.signal(signal.SIGTERM, lambda *_: received.append("the test's handler"))
    real = {"sqlite": backups._dump_sqlite, "postgresql": backups._dump_postgresql}

    def dump_then_stop(url, target):
        real["postgresql" if url.startswith("postgresql") else "sqlite"](url, target)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(2)  # the signal arrives here, before the photos are packed

    monkeypatch.setattr(backups, "_dump_sqlite", dump_then_stop)
    monkeypatch.setattr(backups, "_dump_postgresql", dump_then_stop)
    try:
        result, summary = _run(app, "backup", "make", str(tmp_path))
        restored = signal.getsignal(signal.SIGTERM)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert received == [] and result.exit_code == 128 + signal.SIGTERM, (received, result.output)
    assert summary["ok"] is False and "SIGTERM" in summary["error"]
    assert list(tmp_path.iterdir()) == []
    assert restored is not signal.SIG_DFL and restored.__name__ == "<lambda>", "the handler is given back"


def test_unfinished_backups_left_long_ago_are_removed_and_a_running_ones_is_not(app, tmp_path):
    """A run killed outright (SIGKILL, a power cut) leaves its hidden unfinished folder, which no
    pruning counted: each held a whole dump, and the disk filled night after night."""
    def unfinished(name: str, hours_ago: float) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "database.dump").write_bytes(b"dump")
        moment = time.time() - hours_ago * 3600
        for path in (folder / "database.dump", folder):
            os.utime(path, (moment, moment))
        return folder

    killed = unfinished(".rueang-20250101T000000Z.partial", hours_ago=30)
    running = unfinished(".rueang-20250102T000000Z.partial", hours_ago=2)  # a run beside this one
    other = unfinished(".something-else.partial", hours_ago=30)
    result, summary = _run(app, "backup", "make", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert summary["removed_unfinished"] == [killed.name]
    assert not killed.exists() and running.exists() and other.exists()


def _manifest_only(folder: Path, manifest) -> Path:
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def test_a_manifest_that_is_not_an_object_is_a_problem_not_a_crash(app, tmp_path):
    folder = _manifest_only(tmp_path / "rueang-20250101T000000Z", [])
    result, verdict = _run(app, "backup", "check", str(folder))
    assert result.exit_code == 1 and not isinstance(result.exception, AttributeError), result.output
    assert verdict == {"backup": str(folder), "whole": False, "problems": ["the manifest is not a JSON object"]}


@pytest.mark.parametrize("name", ["../outside.txt", "../../../etc/hostname", "/etc/hostname", "sub/../../outside.txt",
                                  ".."])
def test_check_reads_no_file_outside_the_backup(app, tmp_path, monkeypatch, name):
    """A manifest naming ../outside.txt with its checksum was read, checksummed and called whole."""
    import hashlib

    from app.services import backups

    outside = tmp_path / "outside.txt"
    outside.write_text("not part of any backup")
    folder = _manifest_only(tmp_path / "rueang-20250101T000000Z",
                            {"files": {name: hashlib.sha256(outside.read_bytes()).hexdigest()}})
    read = []
    real_sha256 = backups._sha256
    monkeypatch.setattr(backups, "_sha256", lambda path: read.append(path) or real_sha256(path))
    result, verdict = _run(app, "backup", "check", str(folder))
    assert result.exit_code == 1, result.output
    assert verdict["whole"] is False and verdict["problems"] == [
        f"the manifest names files outside the backup: {name!r}"]
    assert read == []


def _pg_dump_call(monkeypatch, tmp_path, url: str) -> tuple[list[str], dict]:
    """The command and environment `_dump_postgresql` runs pg_dump with."""
    from app.services import backups

    calls = []

    def run(command, env, **_kwargs):
        calls.append((command, env))
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(backups, "subprocess", SimpleNamespace(run=run, TimeoutExpired=subprocess.TimeoutExpired))
    backups._dump_postgresql(url, tmp_path / "database.dump")
    (command, env), = calls
    return command, env


def test_a_url_without_a_password_leaves_the_operators_pgpassword(monkeypatch, tmp_path):
    """PGPASSWORD was set to "" for such a URL, which hid the operator's own from libpq: the
    backup failed to authenticate."""
    monkeypatch.setenv("PGPASSWORD", "the operator's")
    _, env = _pg_dump_call(monkeypatch, tmp_path, "postgresql+psycopg://rueang@db.example:5433/rueang")
    assert env["PGPASSWORD"] == "the operator's"
    monkeypatch.delenv("PGPASSWORD")
    _, env = _pg_dump_call(monkeypatch, tmp_path, "postgresql+psycopg://rueang@db.example:5433/rueang")
    assert "PGPASSWORD" not in env


def test_the_urls_password_goes_to_pg_dump_by_the_environment_only(monkeypatch, tmp_path):
    monkeypatch.setenv("PGPASSWORD", "the operator's")
    command, env = _pg_dump_call(monkeypatch, tmp_path, "postgresql+psycopg://rueang:s%27cr%40t@db.example/rueang")
    assert env["PGPASSWORD"] == "s'cr@t"
    assert not any("cr@t" in word or "cr%40t" in word for word in command), command


def test_every_setting_of_the_url_reaches_pg_dump(monkeypatch, tmp_path):
    """pg_dump was given the database, host, port and user only: sslmode=require was dropped (a
    server that refuses plain connections refused the backup), and so were options= and a
    socket folder given as host=."""
    command, _ = _pg_dump_call(monkeypatch, tmp_path, "postgresql+psycopg://rueang@db.example:5433/rueang"
                               "?sslmode=require&options=-c%20search_path%3Drueang&application_name=it%27s")
    (dbname,) = [word[len("--dbname="):] for word in command if word.startswith("--dbname=")]
    assert dbname.split(" ", 2)[:2] != ["rueang", ""] and "--host" not in command and "--port" not in command
    for pair in ("host='db.example'", "port='5433'", "user='rueang'", "dbname='rueang'", "sslmode='require'",
                 "options='-c search_path=rueang'", "application_name='it\\'s'"):
        assert pair in dbname, (pair, dbname)
    command, _ = _pg_dump_call(monkeypatch, tmp_path, "postgresql+psycopg:///rueang?host=/run/postgresql")
    assert "host='/run/postgresql'" in next(word for word in command if word.startswith("--dbname="))

"""Backing up the platform: the database (pg_dump's custom format, or SQLite's online backup)
and the photos sent with complaints, with a manifest of checksums, into one directory per
backup. A backup is built under a temporary name and renamed when whole, so an interrupted one
never looks finished; the oldest beyond the number to keep are then removed.

A backup holds everybody's complaints, names and phone numbers: its folder is the owner's alone
(0700) and so is every file in it (0600), whatever the umask of the shell or the unit that
runs it."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from app.domain.backups import (
    DATABASE_FILES, MANIFEST_FILE, UPLOADS_FILE, abandoned_partials, backup_name, backups_to_remove,
    is_partial_name, manifest_problems, partial_name, unsafe_file_name,
)
from app.extensions import db
from app.models import Case, CaseAttachment, CaseEvent
from app.models.types import utcnow

# pg_dump is stopped after this long. A dump waits, without writing, for the locks it needs, and
# the checksums are read without writing either: an unfinished backup that nothing has written to
# for longer than the time-out and an hour more has no run behind it (abandoned_partials).
DUMP_TIMEOUT = timedelta(hours=6)
ABANDONED_AFTER = DUMP_TIMEOUT + timedelta(hours=1)
# Settings of the URL that psycopg keeps for itself; every other one is libpq's, and pg_dump's too.
_PSYCOPG_ONLY = frozenset({"autocommit", "prepare_threshold", "row_factory", "cursor_factory", "context"})


class BackupFailed(RuntimeError):
    """The backup could not be made; nothing of it was left behind."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _conninfo_value(value: object) -> str:
    """A value in libpq's key=value connection string: quoted, with \\ and ' escaped."""
    text_value = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text_value}'"


def pg_dump_connection(url: str) -> tuple[str, str | None]:
    """The libpq connection string pg_dump is given, and the password, kept out of it.

    Built the way the app itself connects (the dialect's own reading of the URL), so that every
    setting of DATABASE_URL reaches pg_dump: sslmode=, options=, a socket directory in host=,
    several hosts. The password goes through PGPASSWORD, not the command line, where `ps` shows
    it; a URL without one leaves libpq to the operator's own PGPASSWORD or ~/.pgpass."""
    parsed = make_url(url)
    _, params = parsed.get_dialect()().create_connect_args(parsed)
    password = params.pop("password", None)
    pairs = [f"{key}={_conninfo_value(value)}" for key, value in params.items()
             if key not in _PSYCOPG_ONLY and value is not None]
    return " ".join(pairs), (None if password is None else str(password))


def _dump_postgresql(url: str, target: Path) -> None:
    conninfo, password = pg_dump_connection(url)
    env = dict(os.environ)
    if password is not None:
        env["PGPASSWORD"] = password
    # The connection string goes in --dbname, where pg_dump reads any value with an "=" as one.
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", f"--dbname={conninfo}"]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True,
                              timeout=DUMP_TIMEOUT.total_seconds())
    except FileNotFoundError:
        raise BackupFailed("pg_dump is not installed (Debian: apt-get install postgresql-client)") from None
    except subprocess.TimeoutExpired:
        hours = DUMP_TIMEOUT.total_seconds() / 3600
        raise BackupFailed(f"pg_dump did not finish within {hours:g} hours; it was stopped") from None
    if done.returncode != 0:
        raise BackupFailed(f"pg_dump failed: {done.stderr.strip()[:500]}")


def _dump_sqlite(url: str, target: Path) -> None:
    try:
        source = sqlite3.connect(make_url(url).database)
        try:
            copy = sqlite3.connect(target)
            try:
                with copy:
                    source.backup(copy)  # consistent while others write
            finally:
                copy.close()
        finally:
            source.close()
    except sqlite3.Error as error:  # "database or disk is full", a locked or damaged database
        raise BackupFailed(f"the copy of the SQLite database failed: {error}") from None


def _pack_uploads(folder: Path, target: Path) -> int:
    count = 0
    with tarfile.open(target, "w:gz") as archive:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(folder)))
                    count += 1
    return count


def _counts() -> dict:
    session = db.session
    return {
        "cases": session.execute(select(func.count(Case.id))).scalar_one(),
        "events": session.execute(select(func.count(CaseEvent.id))).scalar_one(),
        "photos": session.execute(select(func.count(CaseAttachment.id))).scalar_one(),
        "schema": session.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none(),
    }


@contextmanager
def _owner_only() -> Iterator[None]:
    """Files and folders made inside are created the owner's alone (umask 077), pg_dump's and
    SQLite's included, rather than made so afterwards: at no moment can another user open them."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _make_private(folder: Path) -> None:
    """0700 for the folder, 0600 for each file: what the umask gave, made certain before the
    backup gets its final name."""
    folder.chmod(0o700)
    for path in folder.iterdir():
        path.chmod(0o600)


def _last_written(folder: Path) -> datetime | None:
    """When anything in an unfinished backup was last written (None: it has just gone)."""
    try:
        moments = [folder.stat().st_mtime, *(entry.stat().st_mtime for entry in folder.iterdir())]
    except FileNotFoundError:  # another run finished or removed it meanwhile
        return None
    return datetime.fromtimestamp(max(moments), timezone.utc)


def _remove_abandoned(root: Path, now: datetime) -> list[str]:
    """The unfinished backups that runs killed outright (SIGKILL, a power cut) left behind,
    each holding a whole dump that no pruning would ever count; removed when no run can still
    be building them (abandoned_partials)."""
    last_written = {}
    for path in root.iterdir():
        if is_partial_name(path.name) and path.is_dir() and not path.is_symlink():
            moment = _last_written(path)
            if moment is not None:
                last_written[path.name] = moment
    abandoned = abandoned_partials(last_written, now, ABANDONED_AFTER)
    for name in abandoned:
        shutil.rmtree(root / name, ignore_errors=True)
    return abandoned


def make_backup(directory: str | Path, *, keep: int = 14) -> dict:
    """One backup into `directory`; returns its summary (path, sizes, counts, removed)."""
    root = Path(directory)
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    kind = make_url(url).get_backend_name()
    if kind not in DATABASE_FILES:
        raise BackupFailed(f"backups of a {kind} database are not supported")
    now = utcnow()
    name = backup_name(now)
    final, building = root / name, root / partial_name(name)
    with _owner_only():
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        abandoned = _remove_abandoned(root, now)
        if final.exists():
            raise BackupFailed(f"{final} exists already")
        building.mkdir(mode=0o700)
        try:
            counts = _counts()
            db.session.rollback()
            database_file = building / DATABASE_FILES[kind]
            (_dump_postgresql if kind == "postgresql" else _dump_sqlite)(url, database_file)
            photo_files = _pack_uploads(Path(current_app.config["UPLOAD_DIR"]), building / UPLOADS_FILE)
            files = {path.name: _sha256(path) for path in (database_file, building / UPLOADS_FILE)}
            manifest = {"made_at": utcnow().isoformat(), "database": kind, **counts, "photo_files": photo_files,
                        "files": files}
            (building / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, ensure_ascii=False),
                                                  encoding="utf-8")
            _make_private(building)
            building.rename(final)
        except BaseException:  # SystemExit too: `backup make` turns systemd's SIGTERM into one
            shutil.rmtree(building, ignore_errors=True)
            raise
    removed = backups_to_remove([path.name for path in root.iterdir() if path.is_dir()], keep)
    for old in removed:
        shutil.rmtree(root / old)
    size = sum(path.stat().st_size for path in final.iterdir())
    return {"backup": str(final), "bytes": size, **counts, "photo_files": photo_files, "removed": removed,
            "removed_unfinished": abandoned}


def check_backup(path: str | Path) -> list[str]:
    """What is wrong with a backup (empty: every file is there and matches its checksum).

    Only files the manifest names inside the backup's folder are read: a manifest is data from
    the disk, and a name like ../../etc/shadow would have it read, and report on, a file
    elsewhere."""
    folder = Path(path)
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [f"{MANIFEST_FILE} cannot be read: {error}"]
    files = manifest.get("files") if isinstance(manifest, dict) and isinstance(manifest.get("files"), dict) else {}
    digests = {}
    for name in files:
        if unsafe_file_name(name):
            continue
        candidate = folder / name
        try:
            digests[name] = _sha256(candidate) if candidate.is_file() else None
        except OSError as error:  # another user's backup: its files are its owner's alone
            return [f"{name} cannot be read: {error}"]
    return manifest_problems(manifest, digests)

"""Backing up the platform: the database (pg_dump's custom format, or SQLite's online backup)
and the photos sent with complaints, with a manifest of checksums, into one directory per
backup. A backup is built under a temporary name and renamed when whole, so an interrupted one
never looks finished; the oldest beyond the number to keep are then removed."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from app.domain.backups import (
    DATABASE_FILES, MANIFEST_FILE, UPLOADS_FILE, backup_name, backups_to_remove, manifest_problems,
)
from app.extensions import db
from app.models import Case, CaseAttachment, CaseEvent
from app.models.types import utcnow


class BackupFailed(RuntimeError):
    """The backup could not be made; nothing of it was left behind."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _dump_postgresql(url: str, target: Path) -> None:
    parsed = make_url(url)
    env = {**os.environ, "PGPASSWORD": parsed.password or ""}  # not on the command line, where ps shows it
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", "--dbname", parsed.database or ""]
    if parsed.host:
        command += ["--host", parsed.host]
    if parsed.port:
        command += ["--port", str(parsed.port)]
    if parsed.username:
        command += ["--username", parsed.username]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=6 * 3600)
    except FileNotFoundError:
        raise BackupFailed("pg_dump is not installed (Debian: apt-get install postgresql-client)") from None
    if done.returncode != 0:
        raise BackupFailed(f"pg_dump failed: {done.stderr.strip()[:500]}")


def _dump_sqlite(url: str, target: Path) -> None:
    source = sqlite3.connect(make_url(url).database)
    try:
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)  # consistent while others write
        copy.close()
    finally:
        source.close()


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


def make_backup(directory: str | Path, *, keep: int = 14) -> dict:
    """One backup into `directory`; returns its summary (path, sizes, counts, removed)."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    kind = make_url(url).get_backend_name()
    if kind not in DATABASE_FILES:
        raise BackupFailed(f"backups of a {kind} database are not supported")
    name = backup_name(utcnow())
    final, building = root / name, root / f".{name}.partial"
    if final.exists():
        raise BackupFailed(f"{final} exists already")
    building.mkdir()
    try:
        counts = _counts()
        db.session.rollback()
        database_file = building / DATABASE_FILES[kind]
        (_dump_postgresql if kind == "postgresql" else _dump_sqlite)(url, database_file)
        photo_files = _pack_uploads(Path(current_app.config["UPLOAD_DIR"]), building / UPLOADS_FILE)
        files = {path.name: _sha256(path) for path in (database_file, building / UPLOADS_FILE)}
        manifest = {"made_at": utcnow().isoformat(), "database": kind, **counts, "photo_files": photo_files,
                    "files": files}
        (building / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        building.rename(final)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    removed = backups_to_remove([path.name for path in root.iterdir() if path.is_dir()], keep)
    for old in removed:
        shutil.rmtree(root / old)
    size = sum(path.stat().st_size for path in final.iterdir())
    return {"backup": str(final), "bytes": size, **counts, "photo_files": photo_files, "removed": removed}


def check_backup(path: str | Path) -> list[str]:
    """What is wrong with a backup (empty: every file is there and matches its checksum)."""
    folder = Path(path)
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [f"{MANIFEST_FILE} cannot be read: {error}"]
    files = manifest.get("files") if isinstance(manifest.get("files"), dict) else {}
    digests = {name: (_sha256(folder / name) if (folder / name).is_file() else None) for name in files}
    return manifest_problems(manifest, digests)

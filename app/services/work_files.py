"""Files of the background work a user starts from a screen (an upload being checked and
written, an export being made): named by a random token under one folder, beside a small JSON
status file that any worker process can read, since the page that follows the work polls it.

The work belongs to the user who started it: anyone else, and anyone after it expires, is told
it is gone. Expired files are removed whenever new work of the same kind starts, and by the
purge-work-files job.
"""
from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from app.domain.errors import RuleError

STATUS_WRITE_INTERVAL = 0.5
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def work_dir(config_key: str, default_name: str) -> Path:
    """The folder configured under config_key, else instance/<default_name>; made if missing."""
    from flask import current_app

    configured = current_app.config.get(config_key)
    folder = Path(configured) if configured else Path(current_app.root_path).parent / "instance" / default_name
    # Not other accounts': it holds uploaded registers and exports of personal data.
    folder.mkdir(mode=0o750, parents=True, exist_ok=True)
    return folder


def owner_of(actor) -> dict:
    """Whose work it is, as its status records it: the user, and what their agency scope was."""
    from app.services.scope import scope_key

    return {"user_id": actor.user_id, "scope": str(scope_key(actor))}


def belongs_to(status: dict | None, owner: dict) -> bool:
    """Whether a work's status names `owner` (owner_of) as whose it is."""
    return status is not None and all(status.get(key) == value for key, value in owner.items())


class WorkFiles:
    """<token>.json (the status) and the files a subclass names after the same token."""

    ttl_seconds = 2 * 3600
    # States in which the work is still running: it never expires then.
    busy_states: frozenset[str] = frozenset()
    # Running work writes its status at least this often (its progress); a busy status left
    # alone longer means the process running it stopped (a worker restarted, the machine went
    # down): the work is then shown as failed with `interrupted` instead of running forever.
    stale_seconds = 15 * 60
    interrupted: dict = {"state": "failed", "code": "interrupted",
                         "message_en": "The server stopped while this was running. Start it again.",
                         "message_th": "เครื่องแม่ข่ายหยุดทำงานระหว่างดำเนินการ กรุณาเริ่มใหม่อีกครั้ง"}
    # What to raise when the token names no work of this user (a RuleError with http_status 404).
    gone: type[RuleError] = RuleError

    def __init__(self, folder: Path, token: str):
        if not token or len(token) > 64 or not set(token) <= _TOKEN_CHARS:
            raise self.gone()
        self.folder, self.token = folder, token
        self.status_path = folder / f"{token}.json"
        self.lock_path = folder / f"{token}.lock"
        self._last_write = 0.0

    def files(self) -> list[Path]:
        """Every file of this work, the status last. Not the lock file: it stays while anyone may
        still hold it open (removing it would let a second process take "the lock" on a new
        file), and goes with the expired work (purge_expired)."""
        return [self.status_path]

    @classmethod
    def start(cls, folder: Path, status: dict):
        """New work with its first status (which must name its owner: owner_of)."""
        purge_expired(folder, cls.ttl_seconds)
        work = cls(folder, secrets.token_urlsafe(24))
        work.lock_path.touch()
        work._write({**status, "created": time.time()}, create=True)
        work._last_write = time.monotonic()  # the first status counts as a write of the progress
        return work

    @classmethod
    def find(cls, folder: Path, token: str, owner: dict):
        """The work of `owner` (owner_of: the user and the agency scope they had when they started
        it): an account since moved to another agency no longer finds the work of the old one."""
        work = cls(folder, token)
        status = work.status()
        if not belongs_to(status, owner):
            raise cls.gone()
        if time.time() - status.get("created", 0) > cls.ttl_seconds and status.get("state") not in cls.busy_states:
            work.remove()
            raise cls.gone()
        return work

    def _stored(self) -> tuple[dict | None, float]:
        """The status as the work last wrote it, and when; (None, 0) when there is none."""
        try:
            status = json.loads(self.status_path.read_text("utf-8"))
            return (status if isinstance(status, dict) else None), self.status_path.stat().st_mtime
        except (OSError, ValueError):
            return None, 0.0

    def status(self) -> dict | None:
        status, written = self._stored()
        if status is not None and status.get("state") in self.busy_states \
                and time.time() - written > self.stale_seconds:
            status.update(self.interrupted)
        return status

    def stored_state(self) -> str | None:
        """The state as the work last wrote it, not read as failed when it has gone quiet."""
        status, _ = self._stored()
        return None if status is None else status.get("state")

    def write_status(self, changes: dict, *, force: bool = False) -> None:
        """Changes to the status (progress at most every STATUS_WRITE_INTERVAL unless forced);
        none once the work was removed (cancelled while it ran), so that it does not come back.
        Under the work's lock: a cancel between reading the status and writing it back would
        otherwise be undone."""
        now = time.monotonic()
        if not force and now - self._last_write < STATUS_WRITE_INTERVAL:
            return
        self._last_write = now
        with self._locked() as there:
            if there:
                self._write(changes)

    def _write(self, changes: dict, *, create: bool = False) -> None:
        """The status with changes, replaced whole; the caller holds the lock (or creates the work)."""
        status = self.status()
        if status is None and not create:
            return
        status = status or {}
        status.update(changes)
        temporary = self.status_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(status, ensure_ascii=False, default=str), "utf-8")
        os.replace(temporary, self.status_path)

    @contextmanager
    def _locked(self):
        """This work's status to itself, across the server's processes, while the block runs;
        the block is told whether the work is still there. The lock file is made with the work
        and never made again, so that two processes cannot each lock a file of their own."""
        try:
            lock = open(self.lock_path, "r")
        except FileNotFoundError:
            if not self.status_path.exists():
                yield False
                return
            lock = open(self.lock_path, "a")  # work started before its lock file was made with it
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield self.status_path.exists()

    def move(self, from_states: tuple[str, ...], changes: dict, produce=None) -> bool:
        """Write changes (and first the files produce() writes) when the state is one of
        from_states, as one step; whether it did. A second click of the same button finds the
        state moved on; a cancel that came first removed the work, and nothing is written back
        (a check that ran on wrote its errors workbook, names and phones in it, after the cancel
        had removed everything else)."""
        with self._locked() as there:
            if not there or (self.status() or {}).get("state") not in from_states:
                return False
            if produce is not None:
                produce()
            self._write(changes)
            return True

    def remove_unless(self, states: tuple[str, ...]) -> bool:
        """Remove the work unless its state, as last written, is one of states, as one step;
        whether it did. Work gone quiet in a busy state is not taken for failed here: an import
        still saving, or one that saved and stopped before it could say so, is not removed."""
        with self._locked() as there:
            if not there or self.stored_state() in states:
                return False
            self.remove()
            return True

    def progress(self, stage: str, done: int, total: int) -> None:
        self.write_status({"progress": {"stage": stage, "done": done, "total": total}})

    def remove(self) -> None:
        for path in self.files():
            path.unlink(missing_ok=True)
        self.status_path.with_suffix(".tmp").unlink(missing_ok=True)


def purge_expired(folder: Path, ttl_seconds: float) -> int:
    """Remove the work nothing has written to for ttl_seconds, each piece of work (its token's
    files: the sheet, the status, the errors workbook...) whole, by the newest of its files: an
    import still being saved rewrites its status while its sheet stays as uploaded, and must keep
    both. Folders too: the one an export is written in (app.services.case_export.workbook_at)
    stays behind when its process is killed outright. Returns how many pieces were removed."""
    removed = 0
    limit = time.time() - ttl_seconds
    works: dict[str, list[Path]] = {}
    for path in folder.glob("*"):
        try:
            if path.is_dir() and not path.is_symlink():
                if _last_change(path) < limit:
                    shutil.rmtree(path)
                    removed += 1
            else:
                works.setdefault(path.name.split(".", 1)[0], []).append(path)
        except OSError:
            continue
    for paths in works.values():
        try:
            if max(path.stat().st_mtime for path in paths) >= limit:
                continue
            for path in paths:
                path.unlink(missing_ok=True)
        except OSError:  # gone meanwhile, or not ours to remove: the next purge tries again
            continue
        removed += 1
    return removed


def _last_change(folder: Path) -> float:
    """When anything in the folder was last written: its files grow while an export runs."""
    return max([folder.stat().st_mtime, *(entry.stat().st_mtime for entry in os.scandir(folder))])

"""Job locks: a run of a job never overlaps another run of the same job, even across processes
and machines.

PostgreSQL: a session-level advisory lock (pg_try_advisory_lock) taken on a connection of its
own, held for the whole run and released at the end. The job's own work runs on other
connections, so its commits and rollbacks never touch the lock. If the process dies or the
machine loses the database, the server ends the session and the lock goes with it: there is no
stale lock to time out, and two schedulers on two machines sharing one database exclude each
other.

SQLite: an exclusive, non-blocking flock() on a file beside the database file
(``<database>.locks/<name>.lock``). SQLite only ever serves processes of one machine, and the
kernel releases a flock when its holder exits or crashes, so here too there is no stale-lock
timeout to tune, and a slow run is never mistaken for a dead one. A lock table with a timeout
would need both. flock() locks belong to an open file, so two threads of one process exclude each
other as two processes do. (Network file systems may not honour flock: keep a SQLite database on
a local disk, as SQLite itself asks.)

Either way, ``job_lock(name)`` yields True when this run holds the lock and False at once when
another run does; it never waits.
"""
from __future__ import annotations

import fcntl
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.domain.jobs import lock_key

log = logging.getLogger(__name__)


class AdvisoryLock:
    """PostgreSQL session-level advisory lock on a dedicated connection."""

    def __init__(self, engine: Engine, name: str):
        self.engine = engine
        self.name = name
        self.key = lock_key(name)
        self._connection = None

    def acquire(self) -> bool:
        connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            taken = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}).scalar())
        except BaseException:
            connection.close()
            raise
        if not taken:
            connection.close()
            return False
        self._connection = connection
        return True

    def release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
        except Exception:  # the connection is gone, and the server released the lock with it
            log.warning("could not release lock %s; dropping its connection", self.name, exc_info=True)
            connection.invalidate()
        finally:
            connection.close()


class FileLock:
    """flock() on a file beside the SQLite database."""

    def __init__(self, engine: Engine, name: str):
        self.path = lock_directory(engine) / (re.sub(r"[^A-Za-z0-9_.-]", "_", name) + ".lock")
        self._fd: int | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        # Who holds it, for a person looking at the file; the lock itself is the flock.
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def lock_directory(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        # An in-memory database lives in one process: a per-process directory is enough.
        return Path(tempfile.gettempdir()) / f"rueang-locks-{os.getpid()}"
    return Path(database).resolve().parent / (Path(database).name + ".locks")


LOCK_BACKENDS = {"postgresql": AdvisoryLock, "sqlite": FileLock}


def make_lock(engine: Engine, name: str):
    try:
        backend = LOCK_BACKENDS[engine.dialect.name]
    except KeyError:
        raise RuntimeError(f"no job lock for the {engine.dialect.name} database") from None
    return backend(engine, name)


@contextmanager
def job_lock(name: str, engine: Engine | None = None) -> Iterator[bool]:
    """Hold the lock called ``name`` for the body; yields False at once if another run has it."""
    if engine is None:
        from app.extensions import db

        engine = db.engine
    lock = make_lock(engine, name)
    if not lock.acquire():
        yield False
        return
    try:
        yield True
    finally:
        lock.release()

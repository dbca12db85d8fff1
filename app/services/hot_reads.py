"""Read-only statements on the hottest public path, with as little work per request as possible.

The public status page is one statement. On PostgreSQL it runs through a small pool of autocommit
connections kept for it alone: the statement is compiled to SQL once per process, sent straight
to the driver, and no liveness ping precedes each use (a connection found dead is dropped and the
statement tried once more on a fresh one). No ORM session is opened, so there is no BEGIN and no
ROLLBACK either. SQLite serialises transactions (app/sqlite.py), so there the statement runs on the
request's own session instead of queueing behind it.
"""
from __future__ import annotations

import threading

from flask import current_app
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from app.extensions import db

_EXTENSION = "rueang_hot_reads"
_lock = threading.Lock()
_compiled: dict[int, str] = {}


def _engine() -> Engine:
    app = current_app._get_current_object()
    engine = app.extensions.get(_EXTENSION)
    if engine is None:
        with _lock:
            engine = app.extensions.get(_EXTENSION)
            if engine is None:
                # As many connections as a worker has threads: each request holds one briefly.
                size = int(app.config.get("HOT_READS_POOL_SIZE", 4))
                engine = create_engine(db.engine.url, pool_size=size, max_overflow=size, pool_pre_ping=False,
                                       pool_recycle=1800, isolation_level="AUTOCOMMIT")
                app.extensions[_EXTENSION] = engine
    return engine


def _sql(statement, engine: Engine) -> str:
    text = _compiled.get(id(statement))
    if text is None:
        text = _compiled[id(statement)] = str(statement.compile(dialect=engine.dialect))
    return text


def rows(statement, params: dict) -> list:
    """All rows of a read-only statement with named parameters (a module-level constant)."""
    if db.engine.dialect.name != "postgresql":
        return db.session.execute(statement, params).all()
    import psycopg

    engine = _engine()
    sql = _sql(statement, engine)
    for attempt in (1, 2):
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(sql, params)
            found = cursor.fetchall()
            cursor.close()
        except psycopg.OperationalError:
            # The server closed the connection (restart, idle timeout): drop it and try once more.
            connection.invalidate()
            if attempt == 2:
                raise
            continue
        finally:
            connection.close()
        return found
    return []

"""SQLite as the embedded default: write-ahead log, foreign keys, and writers that queue.

Transactions start with BEGIN IMMEDIATE so that a transaction that reads and then writes never
meets another writer half-way (SQLite would answer "database is locked" at once). That takes the
database's one write lock for the whole transaction, so work that only reads for long (an export,
an import's preview) says so (app.services.db.begin_read_only) and starts with a plain BEGIN: it
reads a snapshot, and writers go on meanwhile.
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine

# The execution option that marks a transaction as one that only reads.
READ_ONLY = "rueang_read_only"


def configure_sqlite(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below be the only one
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN" if connection.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")

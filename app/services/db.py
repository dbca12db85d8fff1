"""The unit of work: a service opens one, does its checks and writes, and commits once."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Float, Integer, SmallInteger, String
from sqlalchemy.types import TypeDecorator

from app.extensions import db
from app.sqlite import READ_ONLY


@contextmanager
def transaction():
    session = db.session
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def begin_read_only(session) -> None:
    """Start the session's next transaction as one that only reads, from one snapshot: on SQLite
    it holds no write lock while it reads (app/sqlite.py), so a long export or preview does not
    hold up everyone else's saves; on PostgreSQL it is REPEATABLE READ, so a count taken first
    and the rows read after it agree. Ends what the session had open first. It must not write."""
    options = {READ_ONLY: True}
    if is_postgresql(session):
        options["isolation_level"] = "REPEATABLE READ"
    session.rollback()
    session.connection(execution_options=options)


def is_postgresql(session) -> bool:
    """Whether the session writes to PostgreSQL (else SQLite, the embedded default)."""
    return session.get_bind().dialect.name == "postgresql"


_COPY_TYPES = ((BigInteger, "int8"), (SmallInteger, "int2"), (Integer, "int4"), (Float, "float8"),
               (DateTime, "timestamptz"), (Boolean, "bool"), (JSON, "json"), (String, "text"))


def copy_type(column_type) -> str:
    """The PostgreSQL type name binary COPY sends a column's values as."""
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl
    for python_type, name in _COPY_TYPES:
        if isinstance(column_type, python_type):
            return name
    raise TypeError(f"no COPY type for {column_type!r}")


def copy_types(table, columns) -> list[str]:
    """copy_type of each of the table's named columns, for psycopg's Copy.set_types."""
    return [copy_type(table.c[name].type) for name in columns]

"""The unit of work: a service opens one, does its checks and writes, and commits once."""
from __future__ import annotations

from contextlib import contextmanager

from app.extensions import db


@contextmanager
def transaction():
    session = db.session
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def dialect_name() -> str:
    return db.session.get_bind().dialect.name

"""Signed-in sessions that were signed out of (app.models.EndedSession): recorded at sign-out,
looked up once per signed-in request, removed once their cookie could no longer be used."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from app.extensions import db
from app.models import EndedSession


def end_session(session_id: str, until: datetime, now: datetime) -> None:
    """Records the sign-out, and forgets the sessions whose time is up anyway; committed."""
    db.session.execute(delete(EndedSession).where(EndedSession.until < now))
    if db.session.get(EndedSession, session_id) is None:
        db.session.add(EndedSession(id=session_id, until=until))
    db.session.commit()


def has_ended(session_id: str) -> bool:
    return db.session.get(EndedSession, session_id) is not None

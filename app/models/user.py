from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.agency import Agency
from app.models.types import UTCDateTime


class StaffUser(User):
    """Flask-AppBuilder's user, belonging to one agency (none for ministry-wide accounts)."""

    __tablename__ = "ab_user"

    agency_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agency.id"), index=True)
    agency: Mapped[Optional[Agency]] = relationship(foreign_keys=[agency_id])


class EndedSession(Model):
    """A signed-in session its user signed out of. The session cookie is signed, not stored, so
    a copy taken before the sign-out would still work: it is refused while it could otherwise be
    used, until SESSION_MAX_HOURS after its sign-in (app/security/__init__.py), then removed."""

    __tablename__ = "ended_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    until: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)

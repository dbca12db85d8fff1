from __future__ import annotations

from typing import Optional

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.agency import Agency


class StaffUser(User):
    """Flask-AppBuilder's user, belonging to one agency (none for ministry-wide accounts)."""

    __tablename__ = "ab_user"

    agency_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agency.id"), index=True)
    agency: Mapped[Optional[Agency]] = relationship(foreign_keys=[agency_id])

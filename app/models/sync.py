"""What status sync learns that needs an administrator: external statuses no mapping knows."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.agency import Agency
from app.models.types import BigId, UTCDateTime, utcnow


class UnknownExternalStatus(Model):
    """A status a departmental system sent that the agency's status map does not know.

    Sync never guesses: the update is left unapplied and counted here until an administrator
    adds the status to the agency's map.
    """

    __tablename__ = "unknown_external_status"
    __table_args__ = (UniqueConstraint("agency_id", "external_status", name="uq_unknown_external_status"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), nullable=False)
    external_status: Mapped[str] = mapped_column(String(100), nullable=False)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    # Updates that carried it, each once (status_mapping.UnknownStatusLog says how re-reads are told apart).
    count: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    # A departmental reference that carried it, so an administrator can look the case up.
    example_ref: Mapped[Optional[str]] = mapped_column(String(128))

    agency: Mapped[Agency] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"{self.external_status}"

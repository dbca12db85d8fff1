from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.agency import Agency
from app.models.types import UTCDateTime, utcnow


class Open311Client(Model):
    """A system registered by an administrator to post service requests through Open311.

    Its api_key is shown once when made; only its SHA-256 hash is stored.
    """

    __tablename__ = "open311_client"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    api_key_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    # The key's first characters, so administrators can tell keys apart without seeing them.
    key_prefix: Mapped[str] = mapped_column(String(12), nullable=False)
    # When set, the client may post only to this agency's services.
    agency_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agency.id"))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    agency: Mapped[Optional[Agency]] = relationship()

    def __repr__(self) -> str:
        return self.name

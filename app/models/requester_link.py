from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.types import BigId, UTCDateTime, utcnow


class RequesterLink(Model):
    """The private link given to whoever filed a case on the public form.

    Only a hash of its token is kept: the link itself exists only in the requester's hands. It lets
    them rate the case once it is closed and reopen it once.
    """

    __tablename__ = "requester_link"

    case_id: Mapped[int] = mapped_column(BigId, ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    rated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    reopened_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

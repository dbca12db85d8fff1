from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.types import BigId, UTCDateTime, utcnow


class CaseAttachment(Model):
    """A photo sent with a case, re-encoded and stripped of metadata, stored under a random name.

    Only staff of the case's agency see it; the public never does.
    """

    __tablename__ = "case_attachment"
    __table_args__ = (Index("ix_case_attachment_case", "case_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigId, ForeignKey("case.id", ondelete="CASCADE"), nullable=False)
    # Random file name under the upload directory; never derived from what the sender called it.
    stored_name: Mapped[str] = mapped_column(String(80), nullable=False, unique=True)
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

"""The settings history: one record per change an administrator (or a command) made to the
platform's settings (app/domain/settings_history.py says what is recorded)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import JSON, CheckConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.types import BigId, UTCDateTime, utcnow


class SettingsChange(Model):
    """Who created, changed or deleted which setting, when, and field by field what changed.

    No foreign keys: the history outlives the accounts and records it names, so it keeps their
    names as they were."""

    __tablename__ = "settings_change"
    __table_args__ = (
        Index("ix_settings_change_at", "at"),
        Index("ix_settings_change_entity", "entity", "entity_id"),
        CheckConstraint("action IN ('created', 'changed', 'deleted')", name="ck_settings_change_action"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    actor_id: Mapped[Optional[int]] = mapped_column(Integer)
    actor_label: Mapped[str] = mapped_column(String(200), nullable=False)
    entity: Mapped[str] = mapped_column(String(32), nullable=False)
    entity_id: Mapped[Optional[int]] = mapped_column(Integer)
    entity_label: Mapped[str] = mapped_column(String(200), nullable=False)
    action: Mapped[str] = mapped_column(String(12), nullable=False)
    changes: Mapped[Optional[list]] = mapped_column(JSON)

    @property
    def summary(self) -> list | None:
        """The entries again, for the list's one-line summary of the fields changed."""
        return self.changes

    def __repr__(self) -> str:
        return f"{self.entity} {self.entity_label} {self.action}"

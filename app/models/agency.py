from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.types import UTCDateTime


class Agency(Model):
    """A department of the ministry that works its own share of cases."""

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True, nullable=False)
    name_th: Mapped[str] = mapped_column(String(200), nullable=False)
    short_th: Mapped[Optional[str]] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[Optional[str]] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # How the public reaches the agency about a case (app/domain/agency_contact.py): shown on the
    # status page of each of its cases.
    contact_phone: Mapped[Optional[str]] = mapped_column(String(60))
    contact_email: Mapped[Optional[str]] = mapped_column(String(254))
    contact_office: Mapped[Optional[str]] = mapped_column(String(500))

    # Status sync with the agency's own system (app.connectors; the sync-status job).
    connector_kind: Mapped[Optional[str]] = mapped_column(String(32))
    # base_url, token, timeout, page_size... as app.connectors.registry lists for the kind.
    connector_settings: Mapped[Optional[dict]] = mapped_column(JSON)
    # {external status: our Status value}; a status missing here is recorded, never guessed.
    status_map: Mapped[Optional[dict]] = mapped_column(JSON)
    sync_interval_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=15, server_default="15")
    sync_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    # The time up to which the departmental system's updates have been applied: the next
    # window starts a little before it (overlap), never after it.
    sync_cursor: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    last_synced_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    last_catch_up_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    case_types: Mapped[list["CaseType"]] = relationship(back_populates="agency")

    def __repr__(self) -> str:
        return self.code

    def label(self, lang: str) -> str:
        return f"{self.code} {self.name_th if lang == 'th' else self.name_en}"


class CaseType(Model):
    """A kind of complaint or request an agency handles, with its SLA target."""

    __tablename__ = "case_type"
    __table_args__ = (UniqueConstraint("code", name="uq_case_type_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    name_th: Mapped[str] = mapped_column(String(200), nullable=False)
    name_en: Mapped[str] = mapped_column(String(200), nullable=False)
    sla_days: Mapped[int] = mapped_column(Integer, nullable=False, default=15)
    at_risk_share: Mapped[float] = mapped_column(Float, nullable=False, default=0.8)
    first_response_days: Mapped[Optional[int]] = mapped_column(Integer)
    public: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    settings: Mapped[Optional[dict]] = mapped_column(JSON)

    agency: Mapped[Agency] = relationship(back_populates="case_types")

    def __repr__(self) -> str:
        return f"{self.code} {self.name_th}"

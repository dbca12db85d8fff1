from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.agency import Agency, CaseType
from app.models.types import BigId, UTCDateTime, utcnow
from app.models.user import StaffUser


class Case(Model):
    """A complaint or a request, owned by one agency at a time."""

    __tablename__ = "case"
    __table_args__ = (
        UniqueConstraint("tracking_code", name="uq_case_tracking_code"),
        # A reference is unique within the departmental system it belongs to, wherever the case
        # has since been forwarded.
        UniqueConstraint("external_agency_id", "external_ref", name="uq_case_external_ref"),
        # The case list's first page: one agency, newest first.
        Index("ix_case_agency_submitted", "agency_id", "submitted_at"),
        Index("ix_case_submitted", "submitted_at"),
        Index("ix_case_agency_status", "agency_id", "status"),
        CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5", name="ck_case_satisfaction"),
        CheckConstraint("reopen_count >= 0", name="ck_case_reopen_count"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(32), nullable=False)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), nullable=False)
    case_type_id: Mapped[int] = mapped_column(ForeignKey("case_type.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    channel: Mapped[str] = mapped_column(String(16), nullable=False, default="web")
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[Optional[str]] = mapped_column(Text)

    requester_name: Mapped[Optional[str]] = mapped_column(String(200))
    requester_phone: Mapped[Optional[str]] = mapped_column(String(20))
    requester_email: Mapped[Optional[str]] = mapped_column(String(254))
    requester_id: Mapped[Optional[str]] = mapped_column(String(13))

    province: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    district: Mapped[Optional[str]] = mapped_column(String(100))
    subdistrict: Mapped[Optional[str]] = mapped_column(String(100))
    latitude: Mapped[Optional[float]] = mapped_column(Float)
    longitude: Mapped[Optional[float]] = mapped_column(Float)

    status: Mapped[str] = mapped_column(String(24), nullable=False, default="received")
    priority: Mapped[str] = mapped_column(String(12), nullable=False, default="normal")
    assignee_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id"), index=True)
    external_ref: Mapped[Optional[str]] = mapped_column(String(64))
    # The agency whose departmental system external_ref is a number of: the agency that held the
    # case when the reference was set. Forwarding keeps it, so that the system the case came from
    # (Traffy Fondue for most of OPS's complaints) still finds the case and moves it.
    external_agency_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agency.id"))
    # Time of the newest departmental update applied by sync: an older one never overrides it.
    external_updated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # When a person on the platform last moved the status (staff on a screen or the API, a
    # requester reopening): a departmental update dated before it does not move the case back.
    moved_on_platform_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    first_response_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # When the SLA clock started: submission, or arrival at the agency a case was forwarded to.
    sla_started_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    due_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True)
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    sla_flag: Mapped[Optional[str]] = mapped_column(String(12), index=True)
    # Working days the SLA clock stood still while the case waited on its applicant.
    paused_days: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    paused_since: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    reopen_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    satisfaction: Mapped[Optional[int]] = mapped_column(SmallInteger)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    agency: Mapped[Agency] = relationship(foreign_keys=[agency_id], lazy="joined", innerjoin=True)
    case_type: Mapped[CaseType] = relationship(lazy="joined", innerjoin=True)
    assignee: Mapped[Optional[StaffUser]] = relationship(foreign_keys=[assignee_id], lazy="joined")

    # A save made from a stale copy is refused instead of overwriting another officer's work.
    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return self.tracking_code


class CaseEvent(Model):
    """One entry of a case's timeline: the audit trail of every change."""

    __tablename__ = "case_event"
    __table_args__ = (
        Index("ix_case_event_case_at", "case_id", "at"),
        # Sync writes an update once, however often the departmental system repeats it.
        UniqueConstraint("case_id", "external_id", name="uq_case_event_external"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    kind: Mapped[str] = mapped_column(String(24), nullable=False)
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id"))
    actor_label: Mapped[Optional[str]] = mapped_column(String(200))
    from_status: Mapped[Optional[str]] = mapped_column(String(24))
    to_status: Mapped[Optional[str]] = mapped_column(String(24))
    from_agency_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agency.id"))
    to_agency_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agency.id"))
    note: Mapped[Optional[str]] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(nullable=False, default=False)
    external_id: Mapped[Optional[str]] = mapped_column(String(128))
    origin: Mapped[Optional[str]] = mapped_column(String(300))
    changes: Mapped[Optional[dict]] = mapped_column(JSON)

    case: Mapped[Case] = relationship()
    actor: Mapped[Optional[StaffUser]] = relationship(foreign_keys=[actor_id])
    from_agency: Mapped[Optional[Agency]] = relationship(foreign_keys=[from_agency_id])
    to_agency: Mapped[Optional[Agency]] = relationship(foreign_keys=[to_agency_id])


class CaseLink(Model):
    """Two cases tied together, whichever agencies hold them (app/domain/case_links.py): made from
    `case_id`, by its agency's staff, pointing at `linked_case_id`."""

    __tablename__ = "case_link"
    __table_args__ = (
        UniqueConstraint("case_id", "linked_case_id", name="uq_case_link_pair"),
        Index("ix_case_link_linked", "linked_case_id"),
        CheckConstraint("case_id <> linked_case_id", name="ck_case_link_not_itself"),
        CheckConstraint("kind IN ('related', 'duplicate')", name="ck_case_link_kind"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), nullable=False)
    linked_case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    note: Mapped[Optional[str]] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id"))
    created_by_label: Mapped[Optional[str]] = mapped_column(String(200))

    case: Mapped[Case] = relationship(foreign_keys=[case_id])
    linked_case: Mapped[Case] = relationship(foreign_keys=[linked_case_id])


class TrackingCounter(Model):
    """The last sequence number handed out per agency and Buddhist year."""

    __tablename__ = "tracking_counter"

    agency_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    year_be: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

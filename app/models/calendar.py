"""The working-day index table that the SLA job joins against (app.domain.calendar.index_rows)."""
from __future__ import annotations

from datetime import date

from flask_appbuilder import Model
from sqlalchemy import Boolean, Date, Integer
from sqlalchemy.orm import Mapped, mapped_column


class CalendarDay(Model):
    """One Bangkok calendar day: whether it is a working day, and the working days counted from
    the table's first day up to and including it."""

    __tablename__ = "calendar_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_working: Mapped[bool] = mapped_column(Boolean, nullable=False)
    workday_index: Mapped[int] = mapped_column(Integer, nullable=False, index=True)

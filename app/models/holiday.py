from __future__ import annotations

from datetime import date

from flask_appbuilder import Model
from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column


class ExtraHoliday(Model):
    """A day off the government declares beyond the public holidays (วันหยุดพิเศษ)."""

    __tablename__ = "extra_holiday"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, nullable=False, unique=True)
    name_th: Mapped[str] = mapped_column(String(200), nullable=False, default="วันหยุดพิเศษ")
    name_en: Mapped[str] = mapped_column(String(200), nullable=False, default="Special holiday")

    def __repr__(self) -> str:
        return f"{self.day} {self.name_th}"

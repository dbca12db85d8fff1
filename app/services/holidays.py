from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.models.holiday import ExtraHoliday


def extra_days(session) -> tuple[tuple[date, str], ...]:
    rows = session.execute(select(ExtraHoliday.day, ExtraHoliday.name_th).order_by(ExtraHoliday.day)).all()
    return tuple((row.day, row.name_th) for row in rows)

"""Summaries behind the dashboards, so their figures cost the same at a million cases as at a
thousand. Never written by hand: database triggers on "case" (migration 0006) list the cells a
write touched in dashboard_dirty, and services/dashboard_summary.py recomputes those cells.

A cell is one agency, one case type and one Bangkok day of submission. Each summary holds rows
per day (grain "d") and per month (grain "m", the sum of its days), so a date range costs its
whole months plus at most two partial months of days. The primary keys lead with (grain,
period): the range condition every query starts from.
"""
from __future__ import annotations

from datetime import date

from flask_appbuilder import Model
from sqlalchemy import BigInteger, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column


class DashboardDirty(Model):
    """Cells whose summaries are out of date (written by triggers on the case table), one row
    per cell and writing transaction: `mark` is the writer's transaction id on PostgreSQL (0 on
    SQLite), so a refresh removes only the marks of writes it can see (migration 0011)."""

    __tablename__ = "dashboard_dirty"

    agency_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_type_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    mark: Mapped[int] = mapped_column(BigInteger, primary_key=True, server_default="0")


class _Cell:
    """The key columns every summary row starts with (sort_order keeps them first, in this order)."""

    agency_id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-3)
    case_type_id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-2)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True, sort_order=-1)


class _CellPeriod(_Cell):
    """A cell at a day ("d") or month ("m") of submission."""

    grain: Mapped[str] = mapped_column(String(1), primary_key=True, sort_order=-5)
    period: Mapped[date] = mapped_column(Date, primary_key=True, sort_order=-4)


class DashboardStatus(_CellPeriod, Model):
    """Cases per cell, status and SLA flag ('' when none), with on-time closings and ratings."""

    __tablename__ = "dashboard_status"

    status: Mapped[str] = mapped_column(String(24), primary_key=True)
    sla_flag: Mapped[str] = mapped_column(String(12), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, nullable=False)
    on_time: Mapped[int] = mapped_column(Integer, nullable=False)
    ratings: Mapped[int] = mapped_column(Integer, nullable=False)
    satisfaction_sum: Mapped[int] = mapped_column(Integer, nullable=False)


class DashboardClosed(_CellPeriod, Model):
    """Closed cases per cell and Bangkok day of closing."""

    __tablename__ = "dashboard_closed"

    closed_day: Mapped[date] = mapped_column(Date, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, nullable=False)


class DashboardCloseDays(_Cell, Model):
    """Closed cases per month of submission and days taken (calendar days, Bangkok dates);
    per day the same comes from dashboard_closed (closed_day - period)."""

    __tablename__ = "dashboard_close_days"

    period: Mapped[date] = mapped_column(Date, primary_key=True, sort_order=-4)
    days: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, nullable=False)


class DashboardProvince(_CellPeriod, Model):
    """Cases per cell and province."""

    __tablename__ = "dashboard_province"

    province: Mapped[str] = mapped_column(String(64), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, nullable=False)

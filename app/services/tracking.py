"""Allocating tracking codes, unique under concurrent creation."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite

from app.domain.tracking import be_year, format_tracking_code
from app.models import TrackingCounter
from app.services.db import is_postgresql


def _insert(session):
    return (postgresql if is_postgresql(session) else sqlite).insert


def allocate(session, agency_code: str, moment: datetime, count: int = 1) -> list[str]:
    """Reserve `count` consecutive codes for the agency and the B.E. year of `moment`.

    One atomic upsert: on PostgreSQL the counter row stays locked until the caller's
    transaction ends, so two transactions can never take the same number.
    """
    year = be_year(moment)
    insert = _insert(session)
    stmt = (
        insert(TrackingCounter)
        .values(agency_code=agency_code, year_be=year, last_value=count)
        .on_conflict_do_update(
            index_elements=["agency_code", "year_be"],
            set_={"last_value": TrackingCounter.last_value + count},
        )
        .returning(TrackingCounter.last_value)
    )
    last = session.execute(stmt).scalar_one()
    return [format_tracking_code(agency_code, year, n) for n in range(last - count + 1, last + 1)]


def raise_counters_to(session, agency_code: str, year_be: int, value: int) -> None:
    """Make sure later allocations start after `value` (after bulk loads and imports)."""
    insert = _insert(session)
    stmt = insert(TrackingCounter).values(agency_code=agency_code, year_be=year_be, last_value=value)
    from sqlalchemy import case as sql_case

    stmt = stmt.on_conflict_do_update(
        index_elements=["agency_code", "year_be"],
        set_={"last_value": sql_case(
            (TrackingCounter.last_value < value, value), else_=TrackingCounter.last_value)},
    )
    session.execute(stmt)

"""Flask-AppBuilder's SQLAlchemy interface with a bounded count for very long lists."""
from __future__ import annotations

from flask import current_app
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy import func


class CappedCount(int):
    """A row count that stopped at the cap: it computes like a number and reads "10,000+"."""

    def __str__(self) -> str:
        return f"{int(self) - 1:,}+"


class CappedCountInterface(SQLAInterface):
    """Counts at most CASE_LIST_COUNT_CAP + 1 rows, so the first page of a list of a million
    cases costs what the first page of a thousand does. Lists show "10,000+" past the cap."""

    def query_count(self, query, filters=None, select_columns=None) -> int:
        cap = current_app.config.get("CASE_LIST_COUNT_CAP", 10_000)
        inner = self._apply_inner_all(query, filters, select_columns=select_columns, aliases_mapping={})
        # Count primary keys only: counting the full rows would read every wide row (descriptions
        # and all) from the table instead of the index.
        keys = inner.order_by(None).with_entities(self.get_pk()).limit(cap + 1).subquery()
        count = self.session.query(func.count()).select_from(keys).scalar()
        return CappedCount(count) if count > cap else count

"""Flask-AppBuilder's SQLAlchemy interface with a bounded count for very long lists, and list
views whose pages are bounded too."""
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


# The most rows a list page holds: the largest page size the screens offer.
MAX_PAGE_SIZE = 100


class BoundedPagesMixin:
    """For a ModelView of a long list: Flask-AppBuilder takes the page size from the address as
    it is (psize_<View>), so one request could read and render the whole table (-1 is no limit
    on SQLite). A size past MAX_PAGE_SIZE is cut to it; none below 1 is taken."""

    def _get_list_widget(self, *args, page_size=None, **kwargs):
        if page_size is not None:
            page_size = min(page_size, MAX_PAGE_SIZE) if page_size >= 1 else None
        return super()._get_list_widget(*args, page_size=page_size, **kwargs)

"""Dashboard figures, scoped like every other read, as plain dicts.

One entry point for the agency dashboard, the ministry dashboard and the public transparency
page: `figures(session, actor, filters)`. The figures are sums over the dashboard summaries
(models/dashboard.py: counts per agency, case type and Bangkok day or month, kept current by
services/dashboard_summary.py), grouped in SQL; what comes back to Python is at most a few
hundred aggregate rows, folded here into tiles and chart series. Case rows are never loaded.
"""
from __future__ import annotations

import threading
import time
from datetime import date, datetime, timezone

from sqlalchemy import Integer, and_, case, cast, false, func, or_, select, union_all

from app.domain import dashboard as rules
from app.domain.statuses import CLOSED_STATUSES, OPEN_STATUSES, SlaFlag
from app.models import Agency, CaseType
from app.models.dashboard import DashboardCloseDays, DashboardClosed, DashboardProvince, DashboardStatus
from app.services import dashboard_summary as summary
from app.services.actor import Actor
from app.services.db import begin_read_only, transaction
from app.services.scope import agency_clause

_OPEN = tuple(s.value for s in OPEN_STATUSES)
_CLOSED = tuple(s.value for s in CLOSED_STATUSES)
# Dirty cells a page view recomputes before reading (a cell: one agency, type and day). A larger
# backlog, after a bulk load, is worked off by `flask dashboards refresh` or over the next views.
DEFAULT_REFRESH_LIMIT = 20_000


# ---- which summary rows a query reads ------------------------------------------------------------

def _period_clause(table, split: rules.RangeSplit):
    """Month rows for the whole months of the range, day rows for the partial months' days."""
    if split.every_month:
        return table.grain == "m"
    parts = []
    if split.has_months:
        month = [table.grain == "m"]
        if split.first_month:
            month.append(table.period >= split.first_month)
        if split.last_month:
            month.append(table.period <= split.last_month)
        parts.append(and_(*month))
    for first, last in split.day_spans:
        parts.append(and_(table.grain == "d", table.period >= first, table.period <= last))
    return or_(*parts) if parts else false()


def _scope(table, actor: Actor, filters: rules.DashboardFilters) -> list:
    """The actor's scope and the agency, kind and type filters, on a summary table."""
    conditions = [agency_clause(actor, table.agency_id)]
    if filters.agency_id:
        conditions.append(table.agency_id == filters.agency_id)
    if filters.kind:
        conditions.append(table.kind == filters.kind)
    if filters.case_type_id:
        conditions.append(table.case_type_id == filters.case_type_id)
    return conditions


def _day_window(table, filters: rules.DashboardFilters, first: date) -> list:
    """Day rows from `first` on, within the submitted-date filter."""
    conditions = [table.grain == "d", table.period >= max(first, filters.date_from or first)]
    if filters.date_to:
        conditions.append(table.period <= filters.date_to)
    return conditions


_DAYS_BETWEEN = {
    "postgresql": lambda start, end: end - start,
    "sqlite": lambda start, end: cast(func.julianday(end) - func.julianday(start), Integer),
}


class _Query:
    def __init__(self, session, actor: Actor, filters: rules.DashboardFilters, periods: rules.Periods):
        self.session, self.actor, self.filters, self.periods = session, actor, filters, periods
        self.split = rules.split_range(filters.date_from, filters.date_to)

    def where(self, table) -> list:
        return [*_scope(table, self.actor, self.filters), _period_clause(table, self.split)]

    def cells(self) -> list:
        s = DashboardStatus
        return self.session.execute(
            select(s.agency_id, s.case_type_id, s.status, s.sla_flag, func.sum(s.n).label("n"),
                   func.sum(s.on_time).label("on_time"), func.sum(s.ratings).label("ratings"),
                   func.sum(s.satisfaction_sum).label("satisfaction_sum"))
            .where(*self.where(s)).group_by(s.agency_id, s.case_type_id, s.status, s.sla_flag)
        ).all()

    def new_per_day(self) -> dict[date, int]:
        s = DashboardStatus
        rows = self.session.execute(
            select(s.period, func.sum(s.n))
            .where(*_scope(s, self.actor, self.filters), *_day_window(s, self.filters, self.periods.weeks[0]))
            .group_by(s.period)
        ).all()
        return {_as_date(day): n for day, n in rows}

    def closed_per_day(self) -> dict[date, int]:
        c = DashboardClosed
        rows = self.session.execute(
            select(c.closed_day, func.sum(c.n)).where(*self.where(c), c.closed_day >= self.periods.weeks[0])
            .group_by(c.closed_day)
        ).all()
        return {_as_date(day): n for day, n in rows}

    def median_close_days(self) -> float | None:
        """Median of the days each closed case took (Bangkok dates), from the days-taken counts:
        the smallest day counts whose running total reaches the middle one or two cases."""
        parts = []
        if self.split.has_months:
            d = DashboardCloseDays
            month = [*_scope(d, self.actor, self.filters)]
            if self.split.first_month:
                month.append(d.period >= self.split.first_month)
            if self.split.last_month:
                month.append(d.period <= self.split.last_month)
            parts.append(select(d.days.label("days"), d.n.label("n")).where(*month))
        c = DashboardClosed
        days_taken = _DAYS_BETWEEN[self.session.get_bind().dialect.name](c.period, c.closed_day)
        for first, last in self.split.day_spans:
            parts.append(select(days_taken.label("days"), c.n.label("n")).where(
                *_scope(c, self.actor, self.filters), c.grain == "d", c.period >= first, c.period <= last))
        if not parts:
            return None
        counts = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
        per_day = select(counts.c.days, func.sum(counts.c.n).label("n")).group_by(counts.c.days).subquery()
        running = select(
            per_day.c.days,
            func.sum(per_day.c.n).over(order_by=per_day.c.days).label("cum"),
            func.sum(per_day.c.n).over().label("total"),
        ).subquery()
        lower = func.min(case((running.c.cum * 2 >= running.c.total, running.c.days)))
        upper = func.min(case((running.c.cum * 2 > running.c.total, running.c.days)))
        value = self.session.execute(select((lower + upper) / 2.0)).scalar()
        return None if value is None else round(float(value), 1)

    def top_provinces(self, *, listed_only: bool = False) -> list[dict]:
        """The provinces with most cases as stored (a drill-down finds each spelling), or with
        `listed_only` those of the list of 77, each spelling counted under the one it names (at
        most a few hundred stored spellings are read)."""
        p = DashboardProvince
        n = func.sum(p.n).label("n")
        stmt = select(p.province, n).where(*self.where(p)).group_by(p.province)
        if listed_only:
            return rules.top_listed_provinces(self.session.execute(stmt).all())
        rows = self.session.execute(stmt.order_by(n.desc(), p.province).limit(rules.TOP_PROVINCES)).all()
        return [{"province": province, "count": int(count)} for province, count in rows]


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _weekly(periods: rules.Periods, per_day: dict[date, int]) -> list[int]:
    counts = [0] * len(periods.weeks)
    origin = periods.weeks[0]
    for day, n in per_day.items():
        index = (day - origin).days // 7
        if 0 <= index < len(counts):
            counts[index] += int(n)
    return counts


# ---- the figures ---------------------------------------------------------------------------------

def refresh_summaries(session, limit: int | None = DEFAULT_REFRESH_LIMIT) -> dict:
    """Bring the summaries up to date with recent writes before reading them (bounded work)."""
    with transaction():
        return summary.refresh(session, limit=limit)


def figures(session, actor: Actor, filters: rules.DashboardFilters, now: datetime | None = None, *,
            listed_provinces: bool = False) -> dict:
    """Every tile and chart of a dashboard, for what `actor` may see, under `filters` (with
    `listed_provinces`, the provinces as the public page shows them)."""
    now = now or datetime.now(timezone.utc)
    periods = rules.periods_at(now)
    query = _Query(session, actor, filters, periods)

    tiles = dict.fromkeys(("total", "open", "new_today", "new_week", "closed_month", "closed", "on_time",
                           "breached", "at_risk"), 0)
    by_status = dict.fromkeys((s.value for s in rules.STATUS_ORDER), 0)
    by_type: dict[int, int] = {}
    by_agency: dict[int, dict] = {}
    for row in query.cells():
        n, on_time = int(row.n), int(row.on_time)
        is_open, is_closed = row.status in _OPEN, row.status in _CLOSED
        tiles["total"] += n
        tiles["on_time"] += on_time
        if is_open:
            tiles["open"] += n
            tiles["breached"] += n if row.sla_flag == SlaFlag.BREACHED else 0
            tiles["at_risk"] += n if row.sla_flag == SlaFlag.AT_RISK else 0
        if is_closed:
            tiles["closed"] += n
        by_status[row.status] = by_status.get(row.status, 0) + n
        by_type[row.case_type_id] = by_type.get(row.case_type_id, 0) + n
        agency = by_agency.setdefault(row.agency_id, {"count": 0, "open": 0, "closed": 0, "on_time": 0,
                                                      "ratings": 0, "satisfaction_sum": 0})
        agency["count"] += n
        agency["open"] += n if is_open else 0
        agency["closed"] += n if is_closed else 0
        agency["on_time"] += on_time
        agency["ratings"] += int(row.ratings)
        agency["satisfaction_sum"] += int(row.satisfaction_sum or 0)

    new_per_day = query.new_per_day()
    closed_per_day = query.closed_per_day()
    tiles["new_today"] = sum(int(n) for day, n in new_per_day.items() if day >= periods.today_date)
    tiles["new_week"] = sum(int(n) for day, n in new_per_day.items() if day >= periods.week_date)
    tiles["closed_month"] = sum(int(n) for day, n in closed_per_day.items() if day >= periods.month_date)
    tiles["on_time_share"] = rules.share(tiles["on_time"], tiles["closed"])
    tiles["median_close_days"] = query.median_close_days() if tiles["closed"] else None
    ratings = sum(a["ratings"] for a in by_agency.values())
    tiles["ratings"] = ratings
    tiles["satisfaction"] = round(sum(a["satisfaction_sum"] for a in by_agency.values()) / ratings, 2) \
        if ratings else None
    new_weekly, closed_weekly = _weekly(periods, new_per_day), _weekly(periods, closed_per_day)

    return {
        "generated_at": now.astimezone(timezone.utc).isoformat(),
        "filters": filters.as_dict(),
        "tiles": tiles,
        "by_status": [{"status": s, "count": n} for s, n in by_status.items()],
        "by_type": _types(session, by_type),
        "by_agency": _agencies(session, by_agency),
        "weekly": [{"week": week.isoformat(), "new": new, "closed": closed}
                   for week, new, closed in zip(periods.weeks, new_weekly, closed_weekly)],
        "top_provinces": query.top_provinces(listed_only=listed_provinces),
    }


def _types(session, counts: dict[int, int]) -> list[dict]:
    if not counts:
        return []
    rows = session.execute(
        select(CaseType.id, CaseType.code, CaseType.agency_id, CaseType.kind, CaseType.name_th, CaseType.name_en)
        .where(CaseType.id.in_(counts)).order_by(CaseType.agency_id, CaseType.id)
    ).all()
    return [{"case_type_id": r.id, "code": r.code, "agency_id": r.agency_id, "kind": r.kind,
             "name_th": r.name_th, "name_en": r.name_en, "count": counts[r.id]} for r in rows]


def _agencies(session, figures_by_agency: dict[int, dict]) -> list[dict]:
    if not figures_by_agency:
        return []
    rows = session.execute(
        select(Agency.id, Agency.code, Agency.short_th, Agency.name_th, Agency.name_en)
        .where(Agency.id.in_(figures_by_agency)).order_by(Agency.id)
    ).all()
    out = []
    for r in rows:
        f = figures_by_agency[r.id]
        out.append({
            "agency_id": r.id, "code": r.code, "short_th": r.short_th, "name_th": r.name_th,
            "name_en": r.name_en, "count": f["count"], "open": f["open"], "closed": f["closed"],
            "on_time": f["on_time"], "on_time_share": rules.share(f["on_time"], f["closed"]),
            "ratings": f["ratings"],
            "satisfaction": round(f["satisfaction_sum"] / f["ratings"], 2) if f["ratings"] else None,
        })
    return out


# ---- the public page: ministry-wide, briefly cached ----------------------------------------------

PUBLIC_ACTOR = Actor.system("transparency")
_PUBLIC_TILES = ("total", "open", "new_week", "closed_month", "closed", "on_time", "on_time_share",
                 "median_close_days", "satisfaction", "ratings")
_PUBLIC_AGENCY_KEYS = ("agency_id", "code", "short_th", "name_th", "name_en", "count", "open", "closed",
                       "on_time", "on_time_share")


def current_figures(session, actor: Actor, filters: rules.DashboardFilters,
                    refresh_limit: int | None = DEFAULT_REFRESH_LIMIT) -> dict:
    """The figures after taking in recent writes: what the pages show."""
    refresh_summaries(session, refresh_limit)
    return figures_at_one_moment(session, actor, filters)


def figures_at_one_moment(session, actor: Actor, filters: rules.DashboardFilters,
                          now: datetime | None = None, **options) -> dict:
    """`figures`, every query from one snapshot: a refresh committing between the tiles' query
    and the charts' would otherwise give a page tiles from before it and charts from after it.
    Ends the session's transaction; the one it leaves open only reads."""
    begin_read_only(session)
    return figures(session, actor, filters, now, **options)


def public_figures(session, now: datetime | None = None, refresh_limit: int | None = DEFAULT_REFRESH_LIMIT) -> dict:
    """Ministry-wide figures for everyone: counts and shares only, nothing about a person."""
    refresh_summaries(session, refresh_limit)
    data = figures_at_one_moment(session, PUBLIC_ACTOR, rules.DashboardFilters(), now, listed_provinces=True)
    return {
        "generated_at": data["generated_at"],
        "tiles": {key: data["tiles"][key] for key in _PUBLIC_TILES},
        "by_status": data["by_status"],
        "by_agency": [{key: a[key] for key in _PUBLIC_AGENCY_KEYS} for a in data["by_agency"]],
        "weekly": data["weekly"],
        # Every way in checks a province against the list of 77; rows loaded some other way may
        # hold free text there, which the public does not see (left off before the top is taken).
        "top_provinces": data["top_provinces"],
    }


class TtlCache:
    """A tiny in-process cache: one value per key, kept `seconds`. Visitors asking for the same
    key at once wait for one computation; different keys compute side by side."""

    MAX_KEYS = 256

    def __init__(self):
        self._lock = threading.Lock()
        self._values: dict = {}
        self._key_locks: dict = {}

    def _fresh(self, key, seconds: float):
        hit = self._values.get(key)
        return hit if hit is not None and time.monotonic() - hit[0] < seconds else None

    def get(self, key, seconds: float, compute):
        if seconds <= 0:
            return compute()
        with self._lock:
            hit = self._fresh(key, seconds)
            if hit is not None:
                return hit[1]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                hit = self._fresh(key, seconds)
            if hit is not None:
                return hit[1]
            value = compute()
            with self._lock:
                if len(self._values) >= self.MAX_KEYS:  # many filter combinations: start afresh
                    self._values.clear()
                    self._key_locks = {key: key_lock}
                self._values[key] = (time.monotonic(), value)
            return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._key_locks.clear()


public_cache = TtlCache()

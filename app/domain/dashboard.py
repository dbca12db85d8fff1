"""Dashboard rules: the filters people choose, the periods the tiles count, and the case-list
links a tile or a bar opens. Pure: no Flask or database imports.

Every figure is counted over cases submitted in the chosen date range (Bangkok days, both ends
included), of the chosen agency, kind and type; the same conditions, written as Flask-AppBuilder
list filters, make the drill-down link, so the list counts what the tile counts.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from app.domain import geo
from app.domain.case_rules import ValidationFailed
from app.domain.errors import RuleError
from app.domain.local_time import BANGKOK, start_of_local_day
from app.domain.statuses import CLOSED_STATUSES, OPEN_STATUSES, Kind, SlaFlag, Status
from app.domain.thai_dates import SCREEN_LATEST, DateTextError, parse_day

WEEKS_SHOWN = 52  # "new against closed per week over twelve months"
TOP_PROVINCES = 15
# Dates outside this span are typing mistakes, not filters. The last day is one before the last
# the screens read (thai_dates.SCREEN_LATEST): a list link says "before the day after".
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = SCREEN_LATEST - timedelta(days=1)

# Status order on the charts: the workflow's order, open first.
STATUS_ORDER = (Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING_APPLICANT, Status.FORWARDED,
                Status.RESOLVED, Status.REJECTED, Status.CANCELLED)
OPEN_LIST = tuple(s.value for s in STATUS_ORDER if s in OPEN_STATUSES)
CLOSED_LIST = tuple(s.value for s in STATUS_ORDER if s in CLOSED_STATUSES)


@dataclass(frozen=True)
class DashboardFilters:
    date_from: date | None = None
    date_to: date | None = None
    agency_id: int | None = None
    kind: str | None = None
    case_type_id: int | None = None

    def as_dict(self) -> dict:
        return {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "agency": self.agency_id,
            "kind": self.kind,
            "type": self.case_type_id,
        }


def _error(field_name: str, en: str, th: str) -> RuleError:
    return RuleError(en, th, code=f"invalid_{field_name}", field=field_name)


def parse_date(text: str) -> date:
    """A day as the filter form sends it (24/11/2569 from a Thai screen, 2026-11-24 from an English
    one) or as a link writes it (YYYY-MM-DD, C.E. or B.E.): app.domain.thai_dates reads it."""
    value = parse_day(text)  # DateTextError names what was typed and what is wrong with it
    if value is None or not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(text)
    return value


def _parse_id(text: str) -> int:
    value = int(text.strip())
    if value <= 0 or value > 2**31 - 1:
        raise ValueError(text)
    return value


_FIELD_LABELS = {
    "from": ("From date", "วันที่เริ่มต้น"),
    "to": ("To date", "วันที่สิ้นสุด"),
    "agency": ("Agency", "หน่วยงาน"),
    "kind": ("Kind", "ลักษณะเรื่อง"),
    "type": ("Case type", "ประเภทเรื่อง"),
}


def parse_filters(args: Mapping[str, str], *, allow_agency: bool) -> DashboardFilters:
    """Filters from query arguments; blank arguments mean "all". Raises ValidationFailed listing
    every bad argument, in Thai and English. `agency` is read only where the user may choose it."""
    errors: list[RuleError] = []
    values: dict = {}

    def read(name: str, parse, en_hint: str, th_hint: str):
        raw = args.get(name)
        if raw is None or str(raw).strip() == "":
            return None
        try:
            return parse(str(raw))
        except DateTextError as error:
            label_en, label_th = _FIELD_LABELS[name]
            errors.append(_error(name, f"{label_en}: {error.message_en}", f"{label_th}: {error.message_th}"))
            return None
        except (ValueError, TypeError, OverflowError):
            label_en, label_th = _FIELD_LABELS[name]
            errors.append(_error(name, f"{label_en}: {en_hint}", f"{label_th}: {th_hint}"))
            return None

    first, last = EARLIEST_DATE, LATEST_DATE
    date_hint = ("give a date as YYYY-MM-DD or DD/MM/YYYY (e.g. 2026-01-31 or 31/01/2569), "
                 f"from {first:%Y-%m-%d} to {last:%Y-%m-%d}",
                 "ระบุวันที่เป็น วว/ดด/ปปปป (เช่น 31/01/2569) ตั้งแต่ "
                 f"{first:%d/%m}/{first.year + 543} ถึง {last:%d/%m}/{last.year + 543}")
    values["date_from"] = read("from", parse_date, *date_hint)
    values["date_to"] = read("to", parse_date, *date_hint)
    if allow_agency:
        values["agency_id"] = read("agency", _parse_id, "choose an agency from the list",
                                   "เลือกหน่วยงานจากรายการ")
    values["kind"] = read("kind", lambda v: Kind(v.strip()).value, "choose complaint or request",
                          "เลือกเรื่องร้องเรียนหรือคำขอ")
    values["case_type_id"] = read("type", _parse_id, "choose a case type from the list",
                                  "เลือกประเภทเรื่องจากรายการ")
    if values["date_from"] and values["date_to"] and values["date_to"] < values["date_from"]:
        errors.append(_error("to", "To date: must not be before the from date",
                             "วันที่สิ้นสุด: ต้องไม่ก่อนวันที่เริ่มต้น"))
    if errors:
        raise ValidationFailed(errors)
    return DashboardFilters(**values)


def check_choices(filters: DashboardFilters, agency_ids: Collection[int], type_agencies: Mapping[int, int]) -> None:
    """The chosen agency and case type must be ones the reader's form offers (`agency_ids`, and
    `type_agencies`: each offered type's agency), and the type one of the chosen agency's: a link
    naming another would otherwise count nothing while the form showed "all"."""
    errors: list[RuleError] = []
    if filters.agency_id is not None and filters.agency_id not in agency_ids:
        errors.append(_error("agency", "Agency: choose an agency from the list", "หน่วยงาน: เลือกหน่วยงานจากรายการ"))
    if filters.case_type_id is not None:
        owner = type_agencies.get(filters.case_type_id)
        if owner is None:
            errors.append(_error("type", "Case type: choose a case type from the list",
                                 "ประเภทเรื่อง: เลือกประเภทเรื่องจากรายการ"))
        elif filters.agency_id is not None and filters.agency_id in agency_ids and owner != filters.agency_id:
            errors.append(_error("type", "Case type: choose a case type of the chosen agency",
                                 "ประเภทเรื่อง: เลือกประเภทเรื่องของหน่วยงานที่เลือก"))
    if errors:
        raise ValidationFailed(errors)


# ---- periods ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class RangeSplit:
    """A submitted-date range as whole months plus the days of the partial months at its ends,
    so summaries kept per month and per day can answer it exactly. Bounds are inclusive; None
    is open-ended. `every_month` means no date filter at all."""

    first_month: date | None = None
    last_month: date | None = None
    has_months: bool = True
    day_spans: tuple[tuple[date, date], ...] = ()

    @property
    def every_month(self) -> bool:
        return self.has_months and self.first_month is None and self.last_month is None and not self.day_spans


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def split_range(date_from: date | None, date_to: date | None) -> RangeSplit:
    spans = []
    first = date_from if date_from is None or date_from.day == 1 else _next_month(date_from)
    # The month after the last full one: `to` ends its month only if the next day starts one.
    after = None if date_to is None else _month_start(date_to + timedelta(days=1))
    if first is not None and after is not None and first >= after:
        # No whole month inside: the range is days only.
        return RangeSplit(has_months=False, day_spans=((date_from, date_to),))
    if date_from is not None and first != date_from:
        spans.append((date_from, first - timedelta(days=1)))
    if date_to is not None and after != date_to + timedelta(days=1):
        spans.append((after, date_to))
    last = None if after is None else _month_start(after - timedelta(days=1))
    return RangeSplit(first_month=first, last_month=last, has_months=True, day_spans=tuple(spans))


@dataclass(frozen=True)
class Periods:
    """The moments the tiles count from, and the weeks of the weekly chart, all in UTC."""

    now: datetime
    today: datetime
    week: datetime          # this Monday, Bangkok
    month: datetime         # the first of this month, Bangkok
    weeks: tuple[date, ...] = field(default=())  # Bangkok Mondays, oldest first

    @property
    def today_date(self) -> date:
        return self.today.astimezone(BANGKOK).date()

    @property
    def week_date(self) -> date:
        return self.week.astimezone(BANGKOK).date()

    @property
    def month_date(self) -> date:
        return self.month.astimezone(BANGKOK).date()

    @property
    def weeks_origin(self) -> datetime:
        return start_of_local_day(self.weeks[0])


def periods_at(now: datetime) -> Periods:
    if now.tzinfo is None:
        raise ValueError("naive datetime")
    local = now.astimezone(BANGKOK).date()
    monday = local - timedelta(days=local.weekday())
    weeks = tuple(monday - timedelta(weeks=WEEKS_SHOWN - 1 - i) for i in range(WEEKS_SHOWN))
    return Periods(now=now.astimezone(timezone.utc), today=start_of_local_day(local), week=start_of_local_day(monday),
                   month=start_of_local_day(local.replace(day=1)), weeks=weeks)


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def top_listed_provinces(counts: Iterable[tuple[str, int]], top: int = TOP_PROVINCES) -> list[dict]:
    """The `top` provinces with most cases, of the list of 77 only, for the public: each stored
    spelling taken for the province it names ("Rayong", "จ.ระยอง" and "ระยอง" are one bar, under
    its Thai name), free text that names none left off before the top is taken."""
    totals: dict[str, int] = {}
    for stored, count in counts:
        province = geo.province_by_name(stored) if stored else None
        if province is not None:
            totals[province.name_th] = totals.get(province.name_th, 0) + int(count)
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [{"province": name, "count": count} for name, count in ranked]


# ---- drill-down: the same conditions as case-list filters --------------------------------------
# Flask-AppBuilder names a list filter `_flt_<n>_<column>`, n being the filter's place in the
# list its SQLAFilterConverter gives that column's type (flask_appbuilder/models/sqla/filters.py).

class Op:
    TEXT_EQUAL = 3      # is_string: starts with, ends with, contains, EQUAL, ..., IN (8)
    TEXT_IN = 8
    INT_GREATER = 1     # is_integer: equal, GREATER, smaller, ...
    TIME_GREATER = 1    # is_datetime: equal, GREATER, SMALLER, not equal
    TIME_SMALLER = 2
    RELATION = 0        # many-to-one: RELATION, no relation


# The list's date filters read a day as every instant the list shows as that Bangkok day
# (app/views/date_fields.py): "after" the day before a range's first day is "from" that day, and
# "before" the day after its last is "to" it. The field then shows the day as the screen writes
# dates (24/11/2569 in Thai). Links written before, with ISO moments, still work.
@dataclass(frozen=True)
class Condition:
    column: str
    op: int
    values: tuple

    def args(self) -> list[tuple[str, str]]:
        return [(f"_flt_{self.op}_{self.column}", v) for v in self.values]


def since(column: str, first_day: date) -> Condition:
    """From the start of the Bangkok day first_day on."""
    return Condition(column, Op.TIME_GREATER, ((first_day - timedelta(days=1)).isoformat(),))


def before(column: str, end_day: date) -> Condition:
    """Before the Bangkok day end_day, which is left out."""
    return Condition(column, Op.TIME_SMALLER, (end_day.isoformat(),))


def text_in(column: str, values) -> Condition:
    return Condition(column, Op.TEXT_IN, tuple(str(v) for v in values))


def text_equal(column: str, value: str) -> Condition:
    return Condition(column, Op.TEXT_EQUAL, (str(value),))


def relation(column: str, key: int) -> Condition:
    return Condition(column, Op.RELATION, (str(key),))


def rated() -> Condition:
    return Condition("satisfaction", Op.INT_GREATER, ("0",))


def filter_conditions(filters: DashboardFilters) -> list[Condition]:
    conditions = []
    if filters.date_from:
        conditions.append(since("submitted_at", filters.date_from))
    if filters.date_to:
        conditions.append(before("submitted_at", filters.date_to + timedelta(days=1)))
    if filters.agency_id:
        conditions.append(relation("agency", filters.agency_id))
    if filters.kind:
        conditions.append(text_equal("kind", filters.kind))
    if filters.case_type_id:
        conditions.append(relation("case_type", filters.case_type_id))
    return conditions


def tile_conditions(periods: Periods) -> dict[str, list[Condition]]:
    """What each tile counts, as list filters (the SQL in services/dashboard.py says the same)."""
    open_cases = text_in("status", OPEN_LIST)
    closed_cases = text_in("status", CLOSED_LIST)
    return {
        "open": [open_cases],
        "new_today": [since("submitted_at", periods.today_date)],
        "new_week": [since("submitted_at", periods.week_date)],
        "closed_month": [closed_cases, since("closed_at", periods.month_date)],
        "closed": [closed_cases],
        "breached": [open_cases, text_equal("sla_flag", SlaFlag.BREACHED)],
        "at_risk": [open_cases, text_equal("sla_flag", SlaFlag.AT_RISK)],
    }


def week_conditions(periods: Periods, index: int) -> dict[str, list[Condition]]:
    start = periods.weeks[index]
    end = start + timedelta(days=7)
    return {
        "new": [since("submitted_at", start), before("submitted_at", end)],
        "closed": [text_in("status", CLOSED_LIST), since("closed_at", start), before("closed_at", end)],
    }


def list_args(filters: DashboardFilters, extra: list[Condition]) -> list[tuple[str, str]]:
    """Query arguments of the case list showing what a tile or bar counted."""
    pairs: list[tuple[str, str]] = []
    for condition in filter_conditions(filters) + list(extra):
        pairs.extend(condition.args())
    return pairs

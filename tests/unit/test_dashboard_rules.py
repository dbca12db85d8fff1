"""Dashboard rules, table-driven: filters from query arguments, Bangkok periods, month/day splits
of a date range, and the case-list filter arguments behind each tile."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from app.domain import dashboard as rules
from app.domain.case_rules import ValidationFailed

D = date


@pytest.mark.parametrize("args, allow_agency, want", [
    ({}, True, rules.DashboardFilters()),
    ({"from": "", "to": " ", "kind": "", "type": "", "agency": ""}, True, rules.DashboardFilters()),
    ({"from": "2026-01-31", "to": "2026-02-28"}, False, rules.DashboardFilters(D(2026, 1, 31), D(2026, 2, 28))),
    ({"from": "2569-01-31"}, False, rules.DashboardFilters(date_from=D(2026, 1, 31))),  # B.E. year
    # as the date fields send them: Thai screens B.E., a C.E. year typed there read as C.E.
    ({"from": "01/01/2569", "to": "31/01/2569"}, False, rules.DashboardFilters(D(2026, 1, 1), D(2026, 1, 31))),
    ({"from": "29/02/2567", "to": "31/01/2026"}, False, rules.DashboardFilters(D(2024, 2, 29), D(2026, 1, 31))),
    ({"agency": "3", "kind": "request", "type": "7"}, True, rules.DashboardFilters(agency_id=3, kind="request",
                                                                                   case_type_id=7)),
    ({"agency": "3"}, False, rules.DashboardFilters()),  # agency staff cannot choose an agency
    ({"from": "2026-03-01", "to": "2026-03-01"}, False, rules.DashboardFilters(D(2026, 3, 1), D(2026, 3, 1))),
])
def test_parse_filters(args, allow_agency, want):
    assert rules.parse_filters(args, allow_agency=allow_agency) == want


@pytest.mark.parametrize("args, fields", [
    ({"from": "31/13/2569"}, ["from"]),
    ({"from": "31/01/1999"}, ["from"]),
    ({"from": "2026-02-30"}, ["from"]),
    ({"to": "1999-12-31"}, ["to"]),
    ({"from": "2026-02-02", "to": "2026-02-01"}, ["to"]),
    ({"kind": "Complaint "}, ["kind"]),
    ({"type": "0"}, ["type"]),
    ({"type": "12abc", "agency": "-1", "kind": "x"}, ["agency", "kind", "type"]),
    ({"agency": "99999999999"}, ["agency"]),
])
def test_parse_filters_reports_every_bad_argument_in_both_languages(args, fields):
    with pytest.raises(ValidationFailed) as caught:
        rules.parse_filters(args, allow_agency=True)
    assert sorted(e.field for e in caught.value.errors) == sorted(fields)
    assert all(e.message_en and e.message_th for e in caught.value.errors)


def test_a_date_that_cannot_be_read_is_named_with_what_is_wrong_with_it():
    """31/04/2569 was answered with the format to use, which it already had."""
    with pytest.raises(ValidationFailed) as caught:
        rules.parse_filters({"from": "31/04/2569", "to": "next friday"}, allow_agency=False)
    by_field = {e.field: e for e in caught.value.errors}
    assert by_field["from"].message_th == "วันที่เริ่มต้น: ไม่มีวันที่นี้ในปฏิทิน: '31/04/2569'"
    assert "31/04/2569" in by_field["from"].message_en and "From date: " in by_field["from"].message_en
    assert "next friday" in by_field["to"].message_th and "next friday" in by_field["to"].message_en


@pytest.mark.parametrize("now, today, monday, first_of_month", [
    # 23:30 UTC on Sunday 30 Nov is already Monday 1 Dec in Bangkok.
    (datetime(2025, 11, 30, 23, 30, tzinfo=timezone.utc), D(2025, 12, 1), D(2025, 12, 1), D(2025, 12, 1)),
    (datetime(2025, 11, 30, 16, 59, tzinfo=timezone.utc), D(2025, 11, 30), D(2025, 11, 24), D(2025, 11, 1)),
    (datetime(2026, 3, 4, 5, 0, tzinfo=timezone.utc), D(2026, 3, 4), D(2026, 3, 2), D(2026, 3, 1)),
])
def test_periods_follow_bangkok_days(now, today, monday, first_of_month):
    periods = rules.periods_at(now)
    assert (periods.today_date, periods.week_date, periods.month_date) == (today, monday, first_of_month)
    assert periods.today == rules.start_of_local_day(today)
    assert len(periods.weeks) == rules.WEEKS_SHOWN and periods.weeks[-1] == monday
    assert all(w.weekday() == 0 for w in periods.weeks)
    assert (periods.weeks[-1] - periods.weeks[0]).days == 7 * (rules.WEEKS_SHOWN - 1)


def test_periods_refuse_a_naive_time():
    with pytest.raises(ValueError):
        rules.periods_at(datetime(2026, 1, 1))


@pytest.mark.parametrize("first, last, months, spans", [
    (None, None, (None, None), ()),
    (D(2026, 1, 1), D(2026, 3, 31), (D(2026, 1, 1), D(2026, 3, 1)), ()),
    (D(2026, 1, 15), D(2026, 3, 10), (D(2026, 2, 1), D(2026, 2, 1)),
     ((D(2026, 1, 15), D(2026, 1, 31)), (D(2026, 3, 1), D(2026, 3, 10)))),
    (None, D(2026, 3, 10), (None, D(2026, 2, 1)), ((D(2026, 3, 1), D(2026, 3, 10)),)),
    (D(2026, 1, 15), None, (D(2026, 2, 1), None), ((D(2026, 1, 15), D(2026, 1, 31)),)),
    (D(2024, 2, 1), D(2024, 2, 29), (D(2024, 2, 1), D(2024, 2, 1)), ()),  # leap February, whole
])
def test_split_range_into_whole_months_and_edge_days(first, last, months, spans):
    split = rules.split_range(first, last)
    assert split.has_months
    assert (split.first_month, split.last_month) == months
    assert split.day_spans == spans


@pytest.mark.parametrize("first, last", [
    (D(2026, 1, 15), D(2026, 1, 20)), (D(2026, 1, 15), D(2026, 2, 10)), (D(2026, 1, 1), D(2026, 1, 30)),
    (D(2026, 1, 31), D(2026, 2, 1)),
])
def test_split_range_without_a_whole_month_is_days_only(first, last):
    split = rules.split_range(first, last)
    assert not split.has_months and split.day_spans == ((first, last),)


def test_split_range_covers_each_day_exactly_once():
    start = D(2025, 12, 20)
    for length in (0, 5, 11, 12, 40, 41, 70, 400):
        last = date.fromordinal(start.toordinal() + length)
        split = rules.split_range(start, last)
        covered = []
        if split.has_months:
            month = split.first_month
            while month <= split.last_month:
                nxt = rules._next_month(month)
                covered += [date.fromordinal(o) for o in range(month.toordinal(), nxt.toordinal())]
                month = nxt
        for a, b in split.day_spans:
            covered += [date.fromordinal(o) for o in range(a.toordinal(), b.toordinal() + 1)]
        assert sorted(covered) == [date.fromordinal(o) for o in range(start.toordinal(), last.toordinal() + 1)]


def test_list_arguments_say_what_the_tile_counts():
    periods = rules.periods_at(datetime(2026, 3, 4, 5, 0, tzinfo=timezone.utc))
    filters = rules.DashboardFilters(date_from=D(2026, 1, 1), date_to=D(2026, 1, 31), agency_id=2, kind="complaint",
                                     case_type_id=5)
    tiles = rules.tile_conditions(periods)
    assert rules.list_args(filters, tiles["breached"]) == [
        ("_flt_1_submitted_at", "2025-12-31"),  # after 31 Dec: from 1 Jan (Bangkok days)
        ("_flt_2_submitted_at", "2026-02-01"),  # before 1 Feb: to 31 Jan
        ("_flt_0_agency", "2"), ("_flt_3_kind", "complaint"), ("_flt_0_case_type", "5"),
        ("_flt_8_status", "received"), ("_flt_8_status", "in_progress"), ("_flt_8_status", "waiting_applicant"),
        ("_flt_8_status", "forwarded"), ("_flt_3_sla_flag", "breached"),
    ]
    assert rules.list_args(rules.DashboardFilters(), tiles["closed_month"])[-1] == (
        "_flt_1_closed_at", "2026-02-28")  # from 1 March, this month
    week = rules.week_conditions(periods, rules.WEEKS_SHOWN - 1)
    assert rules.list_args(rules.DashboardFilters(), week["new"]) == [
        ("_flt_1_submitted_at", "2026-03-01"), ("_flt_2_submitted_at", "2026-03-09")]  # Monday 2 to Sunday 8


@pytest.mark.parametrize("part, whole, want", [(0, 0, None), (0, 5, 0.0), (2, 3, 0.6667), (5, 5, 1.0)])
def test_share(part, whole, want):
    assert rules.share(part, whole) == want


def test_the_public_top_provinces_are_of_the_list_each_spelling_under_the_one_it_names():
    """Free text stored as a province is left off before the top is taken, so it takes no place
    of a listed province; "Rayong", "จ.ระยอง" and "ระยอง " are one bar, under its Thai name."""
    from app.domain.dashboard import top_listed_provinces

    stored = [(f"บ้านเลขที่ {n} หมู่ 3", 30) for n in range(5)]
    stored += [("Rayong", 2), ("จ.ระยอง", 2), ("ระยอง", 2), ("ระยอง ", 1), (None, 40), ("", 9)]
    listed = ["กรุงเทพมหานคร", "ชลบุรี", "เชียงใหม่", "ขอนแก่น", "ภูเก็ต", "สงขลา", "นครราชสีมา", "อุดรธานี",
              "พิษณุโลก", "สุราษฎร์ธานี", "ลำปาง", "ตรัง", "ยะลา", "น่าน", "เลย", "ตาก"]
    stored += [(name, 20 - n) for n, name in enumerate(listed)]
    top = top_listed_provinces(stored)
    assert len(top) == 15
    assert top[0] == {"province": "กรุงเทพมหานคร", "count": 20}
    assert {"province": "ระยอง", "count": 7} in top
    assert all("บ้านเลขที่" not in row["province"] for row in top)
    assert [row["count"] for row in top] == sorted((row["count"] for row in top), reverse=True)
    assert "ตาก" not in [row["province"] for row in top]  # 16th of the listed: past the top


def test_a_date_past_the_range_is_told_the_range_it_may_take():
    """The message said "to 2200" while the last day taken is 30/12/2200."""
    with pytest.raises(ValidationFailed) as info:
        rules.parse_filters({"to": "2200-12-31"}, allow_agency=False)
    [error] = info.value.errors
    assert "from 2000-01-01 to 2200-12-30" in error.message_en
    assert "ตั้งแต่ 01/01/2543 ถึง 30/12/2743" in error.message_th
    assert rules.parse_filters({"to": "2200-12-30"}, allow_agency=False).date_to == rules.LATEST_DATE

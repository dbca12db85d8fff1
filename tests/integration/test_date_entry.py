"""Dates where staff pick or type them: the extra-holiday form, the list filters on date and time
columns, the dashboards' date range and the monthly report's month. Thai screens show and take
B.E. dates, English ones C.E.; what is stored is the C.E. date; nonsense is refused in both
languages and nothing is saved; the URLs outside tools use keep working."""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from urllib.parse import quote

import pytest
from sqlalchemy import delete, select, update

from app.domain.local_time import local_date
from app.extensions import db
from app.models import Case, ExtraHoliday

UTC = timezone.utc


def _holidays(app) -> list[tuple[date, str]]:
    with app.app_context():
        rows = db.session.execute(select(ExtraHoliday.day, ExtraHoliday.name_en).order_by(ExtraHoliday.day)).all()
        db.session.rollback()
        return [tuple(row) for row in rows]


def _add_holiday(admin, day: str, name: str = "Off"):
    return admin.post("/extra-holidays/add", data={"day": day, "name_th": "หยุด" + name, "name_en": name})


@pytest.mark.parametrize("typed, stored", [
    ("29/02/2567", date(2024, 2, 29)),     # what the Thai picker writes, in a leap year
    ("5/1/2569", date(2026, 1, 5)),        # typed by hand, without zeros
    ("๑๘/๑๒/๒๕๖๙", date(2026, 12, 18)),    # Thai digits
    ("18 ธ.ค. 2569", date(2026, 12, 18)),  # as the screens show a date
    ("18/12/2026", date(2026, 12, 18)),    # a C.E. year on a Thai screen is read as C.E.
    ("2026-12-18", date(2026, 12, 18)),    # the ISO form
])
def test_a_holiday_typed_on_a_thai_screen_is_stored_as_its_ce_date(app, browser, typed, stored):
    admin = browser("admin")
    response = _add_holiday(admin, typed)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    assert _holidays(app) == [(stored, "Off")]


def test_the_holiday_forms_show_the_date_in_the_screens_era(app, browser):
    admin = browser("admin")
    assert _add_holiday(admin, "29/02/2567").status_code == 302
    with app.app_context():
        pk = db.session.execute(select(ExtraHoliday.id)).scalar_one()
    thai = admin.get(f"/extra-holidays/edit/{pk}").get_data(as_text=True)
    assert 'value="29/02/2567"' in thai and 'data-day-picker="th"' in thai and 'placeholder="วว/ดด/ปปปป"' in thai
    assert "appbuilder_date" not in thai  # Flask-AppBuilder's C.E. picker is not used
    # The form it takes stays written under the field once something is typed (a placeholder goes).
    today = local_date(datetime.now(timezone.utc))
    assert 'aria-describedby="day-help"' in thai
    assert f"รูปแบบ วว/ดด/ปปปป (ปี พ.ศ.) เช่น {today.day:02d}/{today.month:02d}/{today.year + 543}" in thai
    admin.get("/lang/en")
    english = admin.get(f"/extra-holidays/edit/{pk}").get_data(as_text=True)
    assert 'value="2024-02-29"' in english and 'data-day-picker="en"' in english
    assert f"Format yyyy-mm-dd, e.g. {today.isoformat()}" in english
    # saved from the English screen as it shows it: the same day
    response = admin.post(f"/extra-holidays/edit/{pk}", data={"day": "2024-02-29", "name_th": "หยุด", "name_en": "Leap"})
    assert response.status_code == 302
    assert _holidays(app) == [(date(2024, 2, 29), "Leap")]


@pytest.mark.parametrize("typed, thai, english", [
    ("29/02/2568", "ไม่มีวันที่นี้ในปฏิทิน", "No such day in the calendar"),   # 2025 is not a leap year
    ("24/11/2300", "ไม่ใช่ทั้ง พ.ศ. และ ค.ศ.", "neither a plausible B.E. nor C.E. year"),
    ("next Friday", "อ่านวันที่ไม่ได้", "Cannot read the date"),
])
def test_a_nonsense_holiday_date_is_refused_in_both_languages_and_nothing_is_saved(app, browser, typed, thai,
                                                                                   english):
    admin = browser("admin")
    page = _add_holiday(admin, typed)
    assert page.status_code == 200 and thai in page.get_data(as_text=True)
    admin.get("/lang/en")
    page = _add_holiday(admin, typed)
    assert page.status_code == 200 and english in page.get_data(as_text=True)
    assert _holidays(app) == []


# ---- list filters -------------------------------------------------------------------------------

@pytest.fixture()
def dated_cases(app, make_case):
    """Three DIW cases submitted on 23, 24 and 25 November 2026 (Bangkok), at 00:30, 23:30 and
    12:00, each due on the day after it was submitted."""
    made = {}
    moments = {
        "23": datetime(2026, 11, 22, 17, 30, tzinfo=UTC),  # 00:30 on the 23rd, Bangkok
        "24": datetime(2026, 11, 24, 16, 30, tzinfo=UTC),  # 23:30 on the 24th
        "25": datetime(2026, 11, 25, 5, 0, tzinfo=UTC),    # 12:00 on the 25th
    }
    for key, moment in moments.items():
        case = make_case("DIW")
        due_day = int(key) + 1  # due on the next day: due_at is 00:00 Bangkok the day after that
        with app.app_context():
            db.session.execute(update(Case).where(Case.id == case["id"]).values(
                submitted_at=moment, due_at=datetime(2026, 11, due_day, 17, 0, tzinfo=UTC)))
            db.session.commit()
        made[key] = case["tracking_code"]
    return made


def _listed(page, cases) -> set[str]:
    html = page.get_data(as_text=True)
    return {key for key, code in cases.items() if code in html}


@pytest.mark.parametrize("args, listed", [
    ("_flt_0_submitted_at=24/11/2569", {"24"}),            # on the 24th, Bangkok time, 23:30 included
    ("_flt_1_submitted_at=23/11/2569", {"24", "25"}),      # after the 23rd
    ("_flt_2_submitted_at=24/11/2569", {"23"}),            # before the 24th
    ("_flt_3_submitted_at=24/11/2569", {"23", "25"}),      # not on the 24th
    ("_flt_1_submitted_at=23/11/2569&_flt_2_submitted_at=25/11/2569", {"24"}),
    ("_flt_0_submitted_at=2026-11-24", {"24"}),            # ISO, C.E.
    ("_flt_0_submitted_at=24/11/2026", {"24"}),            # C.E. typed on a Thai screen
    ("_flt_0_submitted_at=24 พ.ย. 2569", {"24"}),
    # the due date is shown as the day before due_at: "on the 25th" is the case due that day
    ("_flt_0_due_at=25/11/2569", {"24"}),
    ("_flt_2_due_at=25/11/2569", {"23"}),
    # a moment, as the dashboards' links wrote them: kept to the microsecond
    ("_flt_1_submitted_at=" + quote("2026-11-23T16:59:59.999999+00:00"), {"24", "25"}),
    ("_flt_2_submitted_at=" + quote("2026-11-24T16:30:00+00:00"), {"23"}),
])
def test_the_case_lists_date_filters_read_bangkok_days(browser, dated_cases, args, listed):
    page = browser("diw.officer").get(f"/cases/list/?{args}")
    assert page.status_code == 200
    assert _listed(page, dated_cases) == listed


def test_an_unreadable_filter_date_is_named_and_left_out(browser, dated_cases):
    officer = browser("diw.officer")
    page = officer.get("/cases/list/?_flt_1_submitted_at=" + quote("31/02/2569"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and _listed(page, dated_cases) == {"23", "24", "25"}
    assert "ตัวกรอง" in html and "ไม่มีวันที่นี้ในปฏิทิน" in html and "31/02/2569" in html
    officer.get("/lang/en")
    html = officer.get("/cases/list/?_flt_1_submitted_at=" + quote("<i>soon</i>")).get_data(as_text=True)
    assert "was not applied" in html and "Cannot read the date" in html
    assert "<i>soon</i>" not in html


def test_the_filter_fields_are_date_fields_in_the_screens_era(browser, dated_cases):
    officer = browser("diw.officer")
    html = officer.get("/cases/list/").get_data(as_text=True)
    assert 'data-day-picker=\\"th\\"' in html and "appbuilder_date" not in html
    # the filters' names (in the page's JSON): on, after, before, not on, in Thai
    assert json.dumps(["ตรงกับวันที่", "หลังวันที่", "ก่อนวันที่", "ไม่ตรงกับวันที่"]) in html


def test_the_export_follows_the_lists_date_filters(browser, dated_cases):
    import io

    import openpyxl

    clerk = browser("diw.clerk")
    response = clerk.get("/cases/excel/export?_flt_0_submitted_at=" + quote("24/11/2569"))
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0].iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [dated_cases["24"]]


def test_an_export_with_an_unreadable_date_filter_is_refused_not_widened(browser, dated_cases):
    """The list leaves an unreadable date filter out and says so; the export left it out without a
    word, writing every case instead of the ones asked for."""
    clerk = browser("diw.clerk")
    response = clerk.get("/cases/excel/export?_flt_0_submitted_at=" + quote("31/02/2569"))
    assert response.status_code == 302 and "/cases/list/" in response.headers["Location"]
    assert "_flt_0_submitted_at=" in response.headers["Location"]
    page = clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert "ไม่ได้ส่งออก: อ่านตัวกรองวันที่ไม่ได้" in page and "ไม่ได้ใช้ตัวกรอง" in page


def test_the_refused_export_goes_back_to_the_list_with_every_argument_as_it_came(browser, dated_cases):
    """Arguments named like url_for()'s own options (_scheme, _anchor) were read as options: a 500."""
    clerk = browser("diw.clerk")
    response = clerk.get("/cases/excel/export?_flt_0_submitted_at=" + quote("31/02/2569") + "&_scheme=x&_anchor=y")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        "/cases/list/?_flt_0_submitted_at=31%2F02%2F2569&_scheme=x&_anchor=y")


def test_job_runs_filter_by_a_bangkok_day(app, browser):
    from app.models import JobRun
    from tests.integration.jobs_support import clear_job_runs

    clear_job_runs(app)
    with app.app_context():
        early = JobRun(job="sla-flags", status="succeeded", started_at=datetime(2026, 11, 23, 18, tzinfo=UTC))  # 24th 01:00
        late = JobRun(job="sla-flags", status="failed", started_at=datetime(2026, 11, 23, 16, tzinfo=UTC))  # 23rd 23:00
        db.session.add_all([early, late])
        db.session.commit()
        on_the_24th, on_the_23rd = early.id, late.id
    try:
        html = browser("admin").get("/job-runs/list/?_flt_0_started_at=" + quote("24/11/2569")).get_data(as_text=True)
        assert f"/job-runs/show/{on_the_24th}" in html and f"/job-runs/show/{on_the_23rd}" not in html
    finally:
        clear_job_runs(app)


def test_the_holiday_list_filters_by_day(app, browser):
    admin = browser("admin")
    for typed, name in (("24/11/2569", "Tuesday"), ("25/11/2569", "Wednesday")):
        assert _add_holiday(admin, typed, name).status_code == 302
    html = admin.get("/extra-holidays/list/?_flt_1_day=" + quote("24/11/2569")).get_data(as_text=True)
    assert "Wednesday" in html and "Tuesday" not in html
    with app.app_context():
        db.session.execute(delete(ExtraHoliday))
        db.session.commit()


def test_the_api_keeps_flask_appbuilders_date_filters(browser, dated_cases):
    """The REST API's filters are Flask-AppBuilder's own (opr gt, lt...), with ISO moments."""
    officer = browser("diw.officer")
    q = "(filters:!((col:submitted_at,opr:gt,value:'2026-11-24T00:00:00+07:00')))"
    response = officer.api("GET", f"/api/v1/cases/?q={quote(q)}")
    assert response.status_code == 200, response.get_data(as_text=True)
    codes = {row["tracking_code"] for row in response.get_json()["result"]}
    assert codes == {dated_cases["24"], dated_cases["25"]}


# ---- dashboards and the monthly report -------------------------------------------------------------

def test_the_dashboards_date_fields_show_and_take_the_screens_dates(browser):
    manager = browser("diw.manager")
    html = manager.get("/dashboards/agency/?from=2026-01-31&to=2026-02-28").get_data(as_text=True)  # ISO links
    assert 'value="31/01/2569"' in html and 'value="28/02/2569"' in html and 'type="date"' not in html
    html = manager.get("/dashboards/agency/?from=31/01/2569&to=28/02/2569").get_data(as_text=True)  # the form's own
    assert 'value="31/01/2569"' in html and re.search(r'dash-error"[^>]* role="alert" hidden', html)
    data = manager.get("/dashboards/agency/data?from=" + quote("31/01/2569") + "&to=" + quote("29/02/2567"))
    assert data.status_code == 422 and {e["field"] for e in data.get_json()["errors"]} == {"to"}  # to before from
    assert manager.get("/dashboards/agency/data?from=" + quote("29/02/2567")).status_code == 200
    refused = manager.get("/dashboards/agency/?from=" + quote("30/02/2569")).get_data(as_text=True)
    assert 'value="30/02/2569"' in refused and "วันที่เริ่มต้น" in refused  # what was typed, and why not
    manager.get("/lang/en")
    html = manager.get("/dashboards/agency/?from=2026-01-31").get_data(as_text=True)
    assert 'value="2026-01-31"' in html and 'placeholder="yyyy-mm-dd"' in html


def test_the_monthly_report_takes_the_month_as_the_screen_writes_it(browser, make_case):
    manager = browser("diw.manager")
    form = manager.get("/cases/excel/monthly").get_data(as_text=True)
    assert 'data-month-picker="th"' in form and 'type="month"' not in form
    assert __import__("re").search(r'name="month" id="month" value="\d{2}/25\d{2}"', form)
    for month in ("11/2569", "2026-11", "2569-11", "พ.ย. 2569"):
        response = manager.get("/cases/excel/monthly.xlsx?month=" + quote(month))
        assert response.status_code == 200 and "monthly-2026-11.xlsx" in response.headers["Content-Disposition"], month
    refused = manager.get("/cases/excel/monthly.xlsx?month=" + quote("13/2569"), follow_redirects=True)
    assert "ไม่ใช่เดือนที่ถูกต้อง" in refused.get_data(as_text=True)


def test_a_refused_month_stays_in_the_field(browser):
    """The form came back with last month in the field instead of what was typed."""
    refused = browser("diw.manager").get("/cases/excel/monthly.xlsx?month=" + quote("13/2569"))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "ไม่ใช่เดือนที่ถูกต้อง" in html and 'name="month" id="month" value="13/2569"' in html


def test_every_date_field_of_every_screen_shows_the_screens_era(app):
    """No screen is left with Flask-AppBuilder's own date fields (C.E., yyyy-mm-dd, dateutil)."""
    from flask_appbuilder import ModelView
    from wtforms import DateField, DateTimeField
    from wtforms.fields.core import UnboundField

    from app.views.date_fields import DayFilter

    checked = 0
    for view in app.appbuilder.baseviews:
        if not isinstance(view, ModelView):
            continue
        forms = {"search": view.search_form}
        for route in ("add", "edit"):
            if route not in (view.exclude_route_methods or set()):
                forms[route] = getattr(view, f"{route}_form")
        for kind, form in forms.items():
            for name in dir(form):
                unbound = getattr(form, name, None)
                if isinstance(unbound, UnboundField) and unbound.field_class in (DateField, DateTimeField):
                    raise AssertionError(f"{type(view).__name__}: the {kind} form's {name} is Flask-AppBuilder's")
        for column, filters in view._filters.get_search_filters().items():
            if view.datamodel.is_date(column) or view.datamodel.is_datetime(column):
                assert all(isinstance(f, DayFilter) for f in filters), (type(view).__name__, column)
                checked += 1
    assert checked >= 5  # the cases' three, the job runs' and the holidays'

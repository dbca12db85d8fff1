"""The jobs area's screens: job runs (scoped), extra holidays, unknown statuses, agency sync settings."""
from __future__ import annotations

import re
import socket

import pytest
from sqlalchemy import delete, select

from app.extensions import db
from app.models import Agency, ExtraHoliday, JobRun, UnknownExternalStatus
from tests.integration.jobs_support import case_types, clear_job_runs, insert_cases, job_runs, run, utc


def _agency_id(code: str) -> int:
    return db.session.execute(select(Agency.id).where(Agency.code == code)).scalar_one()


@pytest.fixture()
def some_runs(app):
    clear_job_runs(app)
    with app.app_context():
        runs = {
            "ministry": JobRun(job="sla-flags", status="succeeded", started_at=utc(2025, 6, 1, 1), fetched=7),
            "DIW": JobRun(job="sync-status", agency_id=_agency_id("DIW"), status="failed", started_at=utc(2025, 6, 1, 2),
                          message="ConnectionError: the DIW licence system did not answer"),
            "OPS": JobRun(job="sync-status", agency_id=_agency_id("OPS"), status="failed", started_at=utc(2025, 6, 1, 3),
                          message="Timeout: the OPS system is slow"),
        }
        db.session.add_all(runs.values())
        db.session.commit()
        ids = {key: run.id for key, run in runs.items()}
    yield ids
    clear_job_runs(app)


def test_administrators_see_every_run(browser, some_runs):
    page = browser("admin").get("/job-runs/list/").get_data(as_text=True)
    assert "did not answer" in page and "the OPS system is slow" in page


def test_managers_see_their_agency_and_ministry_wide_runs_only(browser, some_runs):
    manager = browser("diw.manager")
    page = manager.get("/job-runs/list/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "did not answer" in html and "sla-flags" in html
    assert "the OPS system is slow" not in html
    assert manager.get(f"/job-runs/show/{some_runs['DIW']}").status_code == 200
    assert manager.get(f"/job-runs/show/{some_runs['OPS']}").status_code == 404


@pytest.mark.parametrize("user", ["diw.officer", "diw.clerk"])
def test_officers_and_clerks_do_not_see_job_runs(browser, some_runs, user):
    response = browser(user).get("/job-runs/list/")
    assert response.status_code in (302, 403)
    assert "did not answer" not in response.get_data(as_text=True)


def test_job_runs_cannot_be_edited_or_deleted(browser, some_runs):
    admin = browser("admin")
    assert admin.post(f"/job-runs/delete/{some_runs['DIW']}").status_code in (404, 405)
    assert admin.get(f"/job-runs/edit/{some_runs['DIW']}").status_code in (404, 405)


def test_the_manager_menu_shows_job_runs(browser):
    html = browser("diw.manager").get("/cases/list/").get_data(as_text=True)
    assert "/job-runs/list/" in html
    assert "/extra-holidays/list/" not in html


@pytest.mark.parametrize("user", ["diw.manager", "ministry", "diw.officer"])
def test_only_administrators_manage_extra_holidays_and_unknown_statuses(browser, user):
    client = browser(user)
    for url in ("/extra-holidays/list/", "/unknown-external-statuses/list/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    response = client.post("/extra-holidays/add", data={"day": "2025-06-20", "name_th": "x", "name_en": "x"})
    assert response.status_code in (302, 403)


def test_a_bad_or_repeated_holiday_date_is_refused_and_nothing_is_written(app, browser):
    admin = browser("admin")
    page = admin.post("/extra-holidays/add", data={"day": "31/06/2568", "name_th": "x", "name_en": "x"})
    assert page.status_code == 200  # the form again, with its error and what was typed
    html = page.get_data(as_text=True)
    assert "ไม่มีวันที่นี้ในปฏิทิน: &#39;31/06/2568&#39;" in html and 'value="31/06/2568"' in html
    # what was typed comes back as text, never as markup
    page = admin.post("/extra-holidays/add", data={"day": "<b>soon</b>", "name_th": "x", "name_en": "x"})
    html = page.get_data(as_text=True)
    assert "<b>soon</b>" not in html and "&lt;b&gt;soon&lt;/b&gt;" in html
    with app.app_context():
        assert db.session.execute(select(ExtraHoliday)).first() is None
    assert admin.post("/extra-holidays/add", data={"day": "2025-06-20", "name_th": "หยุด", "name_en": "Off"}
                      ).status_code == 302
    again = admin.post("/extra-holidays/add", data={"day": "2025-06-20", "name_th": "ซ้ำ", "name_en": "Again"})
    assert again.status_code == 200
    with app.app_context():
        assert db.session.execute(select(ExtraHoliday.name_en)).scalars().all() == ["Off"]


def test_unknown_external_statuses_are_listed_for_administrators(app, browser):
    with app.app_context():
        db.session.add(UnknownExternalStatus(agency_id=_agency_id("DIW"), external_status="ON_HOLD_LEGAL",
                                             first_seen=utc(2025, 6, 1), last_seen=utc(2025, 6, 2), count=4,
                                             example_ref="RG4-2568-0001"))
        db.session.commit()
    try:
        html = browser("admin").get("/unknown-external-statuses/list/").get_data(as_text=True)
        assert "ON_HOLD_LEGAL" in html and "RG4-2568-0001" in html
    finally:
        with app.app_context():
            db.session.execute(delete(UnknownExternalStatus))
            db.session.commit()


def _agency_id_in(app, code):
    with app.app_context():
        return _agency_id(code)


def _agency_form(**changes) -> dict:
    data = {"code": "DIW", "short_th": "กรอ.", "name_th": "กรมโรงงานอุตสาหกรรม", "name_en": "Department of Industrial Works",
            "description": "", "active": "y", "connector_kind": "rest_json",
            "connector_settings": '{"base_url": "http://127.0.0.1:8090/diw", "token": "s3cret", "timeout": 5}',
            "status_map": '{"APPROVED": "resolved", "PENDING_DOCS": "waiting_applicant"}',
            "sync_interval_minutes": "10", "sync_enabled": "y"}
    data.update(changes)
    return data


def _diw(app) -> Agency:
    with app.app_context():
        agency = db.session.get(Agency, _agency_id("DIW"))
        db.session.expunge(agency)
        return agency


def test_administrators_set_an_agencys_sync_settings(app, browser, diw_agency):
    admin = browser("admin")
    response = admin.post(f"/agencies/edit/{diw_agency}", data=_agency_form())
    assert response.status_code == 302
    agency = _diw(app)
    assert agency.connector_kind == "rest_json" and agency.sync_enabled and agency.sync_interval_minutes == 10
    assert agency.connector_settings == {"base_url": "http://127.0.0.1:8090/diw", "token": "s3cret", "timeout": 5}
    assert agency.status_map == {"APPROVED": "resolved", "PENDING_DOCS": "waiting_applicant"}

    # The token is never shown back; sending the mask back keeps it.
    form = admin.get(f"/agencies/edit/{diw_agency}").get_data(as_text=True)
    assert "s3cret" not in form and "********" in form
    # The JSON boxes are tall enough to read a status map (Flask-AppBuilder's are 3 rows).
    assert re.search(r'<textarea[^>]*name="status_map"[^>]*rows="10"|<textarea[^>]*rows="10"[^>]*name="status_map"', form)
    assert "s3cret" not in admin.get(f"/agencies/show/{diw_agency}").get_data(as_text=True)
    admin.post(f"/agencies/edit/{diw_agency}", data=_agency_form(
        connector_settings='{"base_url": "http://127.0.0.1:8090/diw2", "token": "********"}'))
    assert _diw(app).connector_settings == {"base_url": "http://127.0.0.1:8090/diw2", "token": "s3cret"}


def test_the_hidden_token_cannot_be_guessed_through_the_agency_lists_filters(app, browser, diw_agency):
    """The ministry-wide viewer reads agencies; a "contains" filter on the settings narrowed the
    list to DIW exactly when a guess of the token's first characters was right."""
    browser("admin").post(f"/agencies/edit/{diw_agency}", data=_agency_form())
    viewer = browser("ministry")
    for fragment in ('"token": "s3c', '"token": "zzz'):
        for position in range(4):
            page = viewer.get("/agencies/list/", query_string={f"_flt_{position}_connector_settings": fragment})
            assert page.status_code == 200
            listed = set(re.findall(r"<td>\s*(OPS|DIW|DIPROM|TISI|DPIM)\s*</td>", page.get_data(as_text=True)))
            assert listed == {"OPS", "DIW", "DIPROM", "TISI", "DPIM"}, "the filter narrowed the list"


SECRET_COLUMNS = {"connector_settings", "api_key_hash", "password", "token"}


def test_no_generated_screen_filters_on_a_secret_column(app):
    from flask_appbuilder import ModelView

    from app.extensions import appbuilder

    with app.app_context():
        views = [view for view in appbuilder.baseviews if isinstance(view, ModelView)]
        assert len(views) >= 6
        for view in views:
            assert not SECRET_COLUMNS & set(view.search_columns), (type(view).__name__, view.search_columns)


@pytest.mark.parametrize("changes, message", [
    ({"status_map": '{"APPROVED": "done"}'}, "not one of our statuses"),
    ({"status_map": "{APPROVED: resolved}"}, "not valid JSON"),
    ({"connector_settings": '{"base_url": "http://x", "colour": "red"}'}, "does not read: colour"),
    ({"connector_kind": "carrier-pigeon"}, "Not a valid choice"),
    ({"sync_interval_minutes": "0"}, "Number must be"),
])
def test_bad_sync_settings_are_refused_with_a_message_and_nothing_is_saved(app, browser, diw_agency,
                                                                           changes, message):
    before = _diw(app)
    admin = browser("admin")
    admin.get("/lang/en")
    response = admin.post(f"/agencies/edit/{diw_agency}", data=_agency_form(**changes))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html or message.replace("'", "&#39;") in html
    after = _diw(app)
    assert (after.status_map, after.connector_settings, after.connector_kind) == (
        before.status_map, before.connector_settings, before.connector_kind)


def test_the_at_risk_and_breached_quick_filters_of_the_case_list(app, browser):
    with case_types(app, [(10, 0.8)]) as (agency_id, [type_id]):
        base = {"agency_id": agency_id, "case_type_id": type_id, "status": "in_progress"}
        insert_cases(app, [
            {**base, "title": "เรื่องปกติ on-track-case", "submitted_at": utc(2025, 6, 16, 2)},
            {**base, "title": "เรื่องใกล้ครบ at-risk-case", "submitted_at": utc(2025, 6, 3, 2)},
            {**base, "title": "เรื่องเกินกำหนด breached-case", "submitted_at": utc(2025, 5, 1, 2)},
            # Closed cases keep the flag they closed with; the quick links are for open ones.
            {**base, "title": "ปิดแล้วล่าช้า closed-late-case", "status": "resolved", "submitted_at": utc(2025, 5, 1, 2),
             "closed_at": utc(2025, 6, 10, 2), "sla_flag": "breached"},
            {**base, "title": "ยกเลิกแล้ว cancelled-at-risk-case", "status": "cancelled",
             "submitted_at": utc(2025, 6, 3, 2), "closed_at": utc(2025, 6, 16, 2), "sla_flag": "at_risk"},
        ])
        run(app, "sla-flags", now=utc(2025, 6, 17, 2))
        manager = browser("diw.manager")
        list_page = manager.get("/cases/list/").get_data(as_text=True)
        titles = ("on-track-case", "at-risk-case", "breached-case", "closed-late-case", "cancelled-at-risk-case")
        for flag, title in (("at_risk", "at-risk-case"), ("breached", "breached-case")):
            # Follow the quick link the list shows, whatever filter it uses.
            [link] = set(re.findall(rf'href="([^"]*sla_flag={flag}[^"]*)"', list_page))
            html = manager.get(link.replace("&amp;", "&")).get_data(as_text=True)
            shown = {t for t in titles if re.search(rf"[\s>]{t}", html)}
            assert shown == {title}


def _wait_for_run(app, timeout: float = 20.0) -> JobRun:
    """The run a "sync now" started in the background, once it has ended."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = [r for r in job_runs(app, "sync-status") if r.status != "running"]
        if runs:
            return runs[-1]
        time.sleep(0.1)
    raise AssertionError("the sync run did not end")


def test_sync_now_runs_the_agencys_sync_once_and_records_it(app, browser, diw_agency):
    clear_job_runs(app)
    admin = browser("admin")
    admin.get("/lang/en")
    # A port nobody listens on: the run is made, fails, and says why.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    admin.post(f"/agencies/edit/{diw_agency}", data=_agency_form(
        connector_settings=f'{{"base_url": "http://127.0.0.1:{closed_port}", "token": "t", "timeout": 1, '
                           f'"max_retries": 0}}'))
    show = admin.get(f"/agencies/show/{diw_agency}").get_data(as_text=True)
    assert 'id="sync-now"' in show and "Sync status now" in show

    response = admin.post(f"/agencies/sync-now/{diw_agency}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/job-runs/list/?_flt_0_agency={diw_agency}")
    run = _wait_for_run(app)
    assert run.agency_id == diw_agency and run.status == "failed" and run.message
    listed = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Status sync for DIW has started" in listed and "Failed" in listed
    clear_job_runs(app)


def test_sync_now_refuses_an_agency_with_no_departmental_system(app, browser, diw_agency):
    clear_job_runs(app)
    admin = browser("admin")
    admin.post(f"/agencies/edit/{diw_agency}", data=_agency_form(connector_kind="", connector_settings=""))
    response = admin.post(f"/agencies/sync-now/{diw_agency}", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "ยังเชื่อมต่อระบบงานของหน่วยงานนี้ตามที่ตั้งค่าไว้ไม่ได้" in html  # the administrator's language is Thai
    assert job_runs(app, "sync-status") == []


@pytest.mark.parametrize("user", ["diw.manager", "ministry", "diw.officer"])
def test_only_administrators_may_sync_now(app, browser, diw_agency, user):
    clear_job_runs(app)
    response = browser(user).post(f"/agencies/sync-now/{diw_agency}")
    assert response.status_code == 403
    assert job_runs(app, "sync-status") == []


def test_sync_now_needs_the_forms_csrf_token(app, browser, diw_agency):
    clear_job_runs(app)
    admin = browser("admin")
    assert admin.client.post(f"/agencies/sync-now/{diw_agency}").status_code == 400
    assert job_runs(app, "sync-status") == []


def test_unticking_a_check_box_saves_no(app, browser, diw_agency):
    """Flask-AppBuilder made the NOT NULL check boxes required: an unticked one was refused."""
    admin = browser("admin")
    admin.post(f"/agencies/edit/{diw_agency}", data=_agency_form())
    assert _diw(app).sync_enabled
    unticked = _agency_form()
    del unticked["sync_enabled"]
    response = admin.post(f"/agencies/edit/{diw_agency}", data=unticked)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert _diw(app).sync_enabled is False and _diw(app).active is True


def test_no_generated_form_requires_a_check_box_to_be_ticked(app):
    from flask_appbuilder import ModelView
    from wtforms import BooleanField
    from wtforms.validators import DataRequired, InputRequired

    from app.extensions import appbuilder

    checked = 0
    with app.test_request_context():
        for view in appbuilder.baseviews:
            if not isinstance(view, ModelView):
                continue
            for form_class in (view.add_form, view.edit_form):
                if form_class is None:
                    continue
                for field in form_class():
                    if isinstance(field, BooleanField):
                        checked += 1
                        assert not any(isinstance(v, (DataRequired, InputRequired)) for v in field.validators), \
                            (type(view).__name__, field.name)
    assert checked >= 6


def test_deleting_a_case_type_in_use_is_refused_with_the_reason(app, browser, make_case):
    from app.models import Case, CaseType

    case = make_case("DIW")
    with app.app_context():
        type_id = db.session.get(Case, case["id"]).case_type_id
    admin = browser("admin")
    admin.post(f"/case-types/delete/{type_id}")
    page = admin.get("/case-types/list/").get_data(as_text=True)
    assert "ลบรายการนี้ไม่ได้ เพราะยังมีเรื่องหรือข้อมูลอื่นอ้างถึงอยู่" in page
    with app.app_context():
        assert db.session.get(CaseType, type_id) is not None
        assert db.session.get(Case, case["id"]) is not None


def test_a_case_type_no_case_uses_can_still_be_deleted(app, browser):
    from app.models import CaseType

    with app.app_context():
        diw = db.session.execute(select(Agency).where(Agency.code == "DIW")).scalar_one()
        spare = CaseType(code="DIW-SPARE", agency_id=diw.id, kind="complaint", name_th="ทดลอง", name_en="Spare",
                         sla_days=5)
        db.session.add(spare)
        db.session.commit()
        spare_id = spare.id
    admin = browser("admin")
    admin.post(f"/case-types/delete/{spare_id}")
    with app.app_context():
        assert db.session.get(CaseType, spare_id) is None


def test_the_confirmation_dialog_speaks_thai(browser):
    page = browser("admin").get("/case-types/list/").get_data(as_text=True)
    assert ">ยกเลิก</button>" in page and ">ตกลง</a>" in page


def test_a_runs_duration_is_worded_in_the_readers_language(app, browser):
    from datetime import timedelta

    clear_job_runs(app)
    with app.app_context():
        started = utc(2025, 6, 1, 1)
        db.session.add(JobRun(job="sla-flags", status="succeeded", started_at=started,
                              finished_at=started + timedelta(seconds=2.5)))
        db.session.commit()
    admin = browser("admin")
    assert "2.5 วินาที" in admin.get("/job-runs/list/").get_data(as_text=True)
    admin.get("/lang/en")
    assert "2.5 s" in admin.get("/job-runs/list/").get_data(as_text=True)
    clear_job_runs(app)


@pytest.mark.parametrize("url, field, typed", [
    ("agencies", "status_map", '{"DONE": "50% <b>finished</b>"}'),
    ("extra-holidays", "day", "50% <b>finished</b>"),
])
def test_a_refused_value_is_quoted_back_as_text_never_as_markup(app, browser, diw_agency, url, field, typed):
    """A field's error quotes what was typed; it was printed through Jinja's _(), which marks it
    safe (the markup ran) and reads it as a format string (a typed % failed the page)."""
    admin = browser("admin")
    data = _agency_form(**{field: typed}) if url == "agencies" else {"day": typed, "name_th": "x", "name_en": "x"}
    target = f"/agencies/edit/{diw_agency}" if url == "agencies" else "/extra-holidays/add"
    page = admin.post(target, data=data)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "&lt;b&gt;finished&lt;/b&gt;" in html and "<b>finished</b>" not in html


def test_wtforms_own_messages_are_in_thai_on_thai_screens(browser):
    """An empty choice or a word where a number goes was refused in English on a Thai screen."""
    page = browser("admin").post("/case-types/add", data={
        "code": "DIW-X", "kind": "", "name_th": "x", "name_en": "x", "sla_days": "ten", "at_risk_share": "0.8"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "กรุณาเลือกจากรายการ" in html and "กรุณากรอกเป็นจำนวนเต็ม" in html
    assert "Not a valid choice" not in html and "Not a valid integer value" not in html


def test_wtforms_messages_that_name_a_number_are_in_the_screens_language(app, browser):
    """A number out of range or a text too long: WTForms writes the limit into its message, so it
    was never one the catalogue knew, and showed in English on Thai screens."""
    from tests.integration.test_scoping import _type_id

    data = {"code": "DIW-X", "kind": "complaint", "name_th": "ก" * 201, "name_en": "x", "sla_days": "0",
            "at_risk_share": "0.8"}
    admin = browser("admin")
    thai = admin.post("/case-types/add", data=data).get_data(as_text=True)
    assert "กรุณากรอกตัวเลขระหว่าง 1 ถึง 3650" in thai and "ไม่เกิน 200 ตัวอักษร" in thai
    assert "Number must be" not in thai and "cannot be longer" not in thai
    officer = browser("diw.officer")
    case = {"case_type": _type_id(app, "DIW-NUISANCE"), "channel": "web", "priority": "normal", "title": "ก" * 301}
    page = officer.post("/cases/add", data=case).get_data(as_text=True)
    assert "ไม่เกิน 300 ตัวอักษร" in page and "cannot be longer" not in page
    admin.get("/lang/en")
    english = admin.post("/case-types/add", data=data).get_data(as_text=True)
    assert "Number must be between 1 and 3650." in english
    assert "Field cannot be longer than 200 characters." in english


def test_a_runs_references_and_statuses_are_shown_as_they_are_and_its_times_as_times(app, browser):
    """A reference such as 25690112 or a status such as 2026-01-05 looks like a date to an ISO
    parser: only the keys that hold times are written as times."""
    clear_job_runs(app)
    with app.app_context():
        run = JobRun(job="sync-status", agency_id=_agency_id("DIW"), status="succeeded", started_at=utc(2025, 6, 1, 2),
                     details={"unknown_ref_examples": ["25690112"], "unknown_statuses": ["2026-01-05"],
                              "since": "2025-06-01T01:00:00+00:00"})
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    try:
        page = browser("admin").get(f"/job-runs/show/{run_id}").get_data(as_text=True)
        assert "25690112" in page and "2026-01-05" in page
        assert "2025-06-01T01:00:00" not in page  # the time, formatted for the reader
    finally:
        clear_job_runs(app)


def test_an_agency_code_is_saved_in_capitals_and_one_that_cannot_begin_a_tracking_code_is_refused(app, browser):
    """'Dlt' would be looked up as DLT by the jobs, the scheduler and /track, and never found."""
    admin = browser("admin")
    form = _agency_form(code="Dlt", short_th="กพร.", name_th="กรมทดสอบ", name_en="Test Department",
                        connector_kind="", connector_settings="", status_map="", sync_enabled="")
    refused = admin.post("/agencies/add", data={**form, "code": "กพร"})
    assert refused.status_code == 200 and "DIW-2569-000123" in refused.get_data(as_text=True)
    try:
        assert admin.post("/agencies/add", data=form).status_code == 302
        with app.app_context():
            assert db.session.execute(select(Agency.code).where(Agency.name_en == "Test Department")).scalar_one() == "DLT"
    finally:
        with app.app_context():
            db.session.execute(Agency.__table__.delete().where(Agency.name_en == "Test Department"))
            db.session.commit()


def test_the_calendar_range_of_an_sla_run_is_shown_as_the_screens_write_dates(app, browser):
    clear_job_runs(app)
    with app.app_context():
        run = JobRun(job="sla-flags", status="succeeded", started_at=utc(2025, 6, 1, 2),
                     details={"calendar": {"first": "2015-01-01", "last": "2040-12-31", "rebuilt": False}})
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    try:
        page = browser("admin").get(f"/job-runs/show/{run_id}").get_data(as_text=True)
        assert "2015-01-01" not in page and "2558" in page and "2583" in page, "B.E. years on a Thai screen"
    finally:
        clear_job_runs(app)

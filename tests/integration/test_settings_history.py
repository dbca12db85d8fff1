"""The settings history: every change to agencies, case types, holidays, Open311 clients and staff
accounts is recorded in the same transaction, by whom, field by field, with no secret written."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import delete, select

from app.extensions import db
from app.models import Agency, Case, CaseType, ExtraHoliday, SettingsChange, StaffUser


@pytest.fixture()
def history(app):
    """Starts from an empty history; returns a reader of what was recorded since."""
    with app.app_context():
        db.session.execute(delete(SettingsChange))
        db.session.commit()

    def read(entity: str | None = None) -> list[SettingsChange]:
        with app.app_context():
            stmt = select(SettingsChange).order_by(SettingsChange.id)
            if entity:
                stmt = stmt.where(SettingsChange.entity == entity)
            rows = db.session.execute(stmt).scalars().all()
            db.session.expunge_all()
            return rows

    return read


def _agency_form(**changes) -> dict:
    data = {"code": "DIW", "short_th": "กรอ.", "name_th": "กรมโรงงานอุตสาหกรรม", "name_en": "Department of Industrial Works",
            "description": "", "active": "y", "connector_kind": "rest_json",
            "connector_settings": '{"base_url": "http://127.0.0.1:8090/diw", "token": "s3cret-one"}',
            "status_map": '{"APPROVED": "resolved"}', "sync_interval_minutes": "10", "sync_enabled": "y"}
    data.update(changes)
    return data


def _by_field(row: SettingsChange) -> dict:
    return {(entry["field"], entry.get("key")): entry for entry in row.changes}


def test_an_agencys_sync_settings_change_is_recorded_with_its_author_and_no_secret(app, browser, history,
                                                                                   diw_agency):
    admin = browser("admin")
    assert admin.post(f"/agencies/edit/{diw_agency}", data=_agency_form()).status_code == 302
    admin.post(f"/agencies/edit/{diw_agency}", data=_agency_form(
        connector_settings='{"base_url": "http://127.0.0.1:8090/diw2", "token": "s3cret-two"}',
        status_map='{"APPROVED": "rejected", "ON_HOLD": "waiting_applicant"}'))
    rows = history("agency")
    assert len(rows) == 2
    first, second = rows
    assert (second.actor_label, second.entity_label, second.action, second.entity_id) == ("admin", "DIW", "changed",
                                                                                          diw_agency)
    assert second.actor_id is not None
    entries = _by_field(second)
    assert entries[("connector_settings", "base_url")]["old"] == "http://127.0.0.1:8090/diw"
    assert entries[("connector_settings", "base_url")]["new"] == "http://127.0.0.1:8090/diw2"
    assert entries[("connector_settings", "token")] == {"field": "connector_settings", "key": "token", "old": "set",
                                                        "new": "replaced", "secret": True}
    assert entries[("status_map", "APPROVED")]["new"] == "rejected"
    assert entries[("status_map", "ON_HOLD")] == {"field": "status_map", "key": "ON_HOLD", "old": None,
                                                  "new": "waiting_applicant"}
    assert ("code", None) not in entries, "unchanged fields are not recorded"
    stored = json.dumps([row.changes for row in rows])
    assert "s3cret" not in stored

    # The screen shows it, field by field, in the reader's language, and never the token.
    page = admin.get(f"/settings-history/show/{second.id}").get_data(as_text=True)
    assert "ตารางเทียบสถานะ, APPROVED" in page and "เปลี่ยนแล้ว" in page and "s3cret" not in page
    listing = admin.get("/settings-history/list/").get_data(as_text=True)
    assert "หน่วยงาน" in listing and "การตั้งค่าตัวเชื่อมต่อ" in listing


def test_a_masked_token_sent_back_records_no_change_of_token(app, browser, history, diw_agency):
    admin = browser("admin")
    admin.post(f"/agencies/edit/{diw_agency}", data=_agency_form())
    admin.post(f"/agencies/edit/{diw_agency}", data=_agency_form(
        connector_settings='{"base_url": "http://127.0.0.1:8090/diw", "token": "********"}', sync_interval_minutes="20"))
    last = history("agency")[-1]
    assert [(entry["field"], entry.get("key")) for entry in last.changes] == [("sync_interval_minutes", None)]


def test_saving_a_form_unchanged_records_nothing(app, browser, history, diw_agency):
    admin = browser("admin")
    admin.post(f"/agencies/edit/{diw_agency}", data=_agency_form())
    before = len(history("agency"))
    admin.post(f"/agencies/edit/{diw_agency}", data=_agency_form(
        connector_settings='{"base_url": "http://127.0.0.1:8090/diw", "token": "********"}'))
    assert len(history("agency")) == before


def test_a_refused_change_leaves_no_history(app, browser, history, diw_agency):
    page = browser("admin").post(f"/agencies/edit/{diw_agency}", data=_agency_form(status_map='{"APPROVED": "done"}'))
    assert page.status_code == 200  # the form again, with its message
    assert history() == []


def test_a_case_type_and_a_holiday_are_recorded_from_creation_to_deletion(app, browser, history):
    admin = browser("admin")
    with app.app_context():
        diw = db.session.execute(select(Agency).where(Agency.code == "DIW")).scalar_one()
        spare = CaseType(code="DIW-HIST", agency_id=diw.id, kind="request", name_th="ทดลอง", name_en="Trial",
                         sla_days=15)
        db.session.add(spare)
        db.session.commit()
        spare_id, diw_id = spare.id, diw.id
    form = {"code": "DIW-HIST", "agency": str(diw_id), "kind": "request", "name_th": "ทดลอง", "name_en": "Trial",
            "sla_days": "20", "at_risk_share": "0.8", "first_response_days": "", "active": "y"}
    assert admin.post(f"/case-types/edit/{spare_id}", data=form).status_code == 302
    admin.post(f"/case-types/delete/{spare_id}")
    admin.post("/extra-holidays/add", data={"day": "2026-12-30", "name_th": "วันหยุดพิเศษ", "name_en": "Special"})

    made, edited, deleted = history("case_type")
    assert (made.action, made.actor_label, made.entity_label) == ("created", "command line", "DIW DIW-HIST")
    assert {entry["field"]: entry["new"] for entry in made.changes}["agency"] == "DIW"
    assert edited.actor_label == "admin"
    changed = {entry["field"]: (entry["old"], entry["new"]) for entry in edited.changes}
    assert changed["sla_days"] == (15, 20) and changed["public"] == (True, False)
    assert deleted.action == "deleted" and {e["field"]: e["old"] for e in deleted.changes}["sla_days"] == 20
    (holiday,) = history("extra_holiday")
    assert (holiday.action, holiday.entity_label) == ("created", "2026-12-30")
    with app.app_context():
        db.session.execute(delete(ExtraHoliday))
        db.session.commit()


def test_an_accounts_roles_and_password_are_recorded_but_not_the_password(app, history):
    from app.domain import roles

    with app.app_context():
        sm = app.appbuilder.sm
        user = db.session.execute(select(StaffUser).where(StaffUser.username == "tisi.officer")).scalar_one()
        kept_roles, kept_password = list(user.roles), user.password
        user.roles = kept_roles + [sm.find_role(roles.AGENCY_MANAGER)]
        sm.reset_password(user.id, "another-pass-2569")
        db.session.commit()
        try:
            rows = history("user")
            entries = {entry["field"]: entry for row in rows for entry in row.changes}
            assert entries["roles"]["new"] == sorted(["Agency Officer", "Agency Manager"])
            assert entries["password"] == {"field": "password", "old": "set", "new": "replaced", "secret": True}
            assert "pbkdf2" not in json.dumps([row.changes for row in rows]) and "scrypt" not in json.dumps(
                [row.changes for row in rows])
        finally:
            user = db.session.execute(select(StaffUser).where(StaffUser.username == "tisi.officer")).scalar_one()
            user.roles, user.password = kept_roles, kept_password
            db.session.commit()


def test_logging_in_and_running_jobs_are_not_settings_changes(app, browser, history):
    from app.jobs.runner import run_job

    browser("diw.officer")  # a login writes last_login and login_count
    with app.app_context():
        run_job("sla-flags")
    assert history() == []


@pytest.mark.parametrize("user", ["ministry", "diw.manager", "diw.officer", "diw.clerk"])
def test_only_administrators_read_the_history(browser, history, user):
    assert browser(user).get("/settings-history/list/").status_code in (302, 403)


def test_the_history_cannot_be_written_by_hand(browser, history):
    admin = browser("admin")
    assert admin.get("/settings-history/list/").status_code == 200
    for url in ("/settings-history/add", "/settings-history/edit/1", "/settings-history/delete/1",
                "/api/v1/settingschangeview/"):
        assert admin.get(url).status_code in (404, 405), url


def test_an_agencys_page_links_to_its_own_history(app, browser, history, diw_agency):
    admin = browser("admin")
    admin.post(f"/agencies/edit/{diw_agency}", data=_agency_form())
    with app.app_context():
        ops = db.session.execute(select(Agency).where(Agency.code == "OPS")).scalar_one()
        ops.description = (ops.description or "") + " "
        db.session.commit()
        ops_id = ops.id
    page = admin.get(f"/agencies/show/{diw_agency}").get_data(as_text=True)
    link = re.search(r'href="([^"]+)" id="agency-history"', page).group(1).replace("&amp;", "&")
    listing = admin.get(link).get_data(as_text=True)
    assert ">DIW<" in listing.replace("\n", "").replace(" ", "") and ">OPS<" not in listing.replace(
        "\n", "").replace(" ", "")
    assert 'id="agency-history"' not in browser("ministry").get(f"/agencies/show/{ops_id}").get_data(as_text=True)
    with app.app_context():
        ops = db.session.get(Agency, ops_id)
        ops.description = ops.description[:-1]
        db.session.commit()


def test_a_holidays_day_is_shown_as_the_screen_writes_dates(app, browser, history):
    """The record kept the day as 2026-12-30, and the screen showed it so on Thai screens too."""
    admin = browser("admin")
    admin.post("/extra-holidays/add", data={"day": "30/12/2569", "name_th": "วันหยุดพิเศษ", "name_en": "Special"})
    (holiday,) = history("extra_holiday")
    try:
        listed = admin.get("/settings-history/list/").get_data(as_text=True)
        shown = admin.get(f"/settings-history/show/{holiday.id}").get_data(as_text=True)
        for page in (listed, shown):
            assert "30 ธ.ค. 2569" in page and "2026-12-30" not in page
        assert "(ไม่มี) → 30 ธ.ค. 2569" in shown
        admin.get("/lang/en")
        assert "30 Dec 2026" in admin.get(f"/settings-history/show/{holiday.id}").get_data(as_text=True)
    finally:
        with app.app_context():
            db.session.execute(delete(ExtraHoliday))
            db.session.commit()


def test_a_case_type_that_cases_use_keeps_its_agency_and_kind(app, browser, make_case):
    """Moved to another agency, DIW's cases would carry an OPS type (and their export would not
    import back); a type no case uses may still be corrected."""
    made = make_case("DIW")
    with app.app_context():
        case_type = db.session.get(Case, made["id"]).case_type
        ops = db.session.execute(select(Agency.id).where(Agency.code == "OPS")).scalar_one()
        form = {"code": case_type.code, "agency": str(case_type.agency_id), "kind": case_type.kind,
                "name_th": case_type.name_th, "name_en": case_type.name_en, "sla_days": str(case_type.sla_days),
                "at_risk_share": str(case_type.at_risk_share), "first_response_days": "", "public": "y", "active": "y"}
        type_id, diw, kind = case_type.id, case_type.agency_id, case_type.kind
    admin = browser("admin")
    other_kind = "request" if kind == "complaint" else "complaint"
    for change in ({"agency": str(ops)}, {"kind": other_kind}):
        refused = admin.post(f"/case-types/edit/{type_id}", data={**form, **change}, follow_redirects=True)
        assert "Cases use this case type" in refused.get_data(as_text=True) or \
            "มีเรื่องที่ใช้ประเภทเรื่องนี้อยู่" in refused.get_data(as_text=True)
        with app.app_context():
            stored = db.session.get(CaseType, type_id)
            assert (stored.agency_id, stored.kind) == (diw, kind)
    # Its other fields still change.
    assert admin.post(f"/case-types/edit/{type_id}", data={**form, "sla_days": "21"}).status_code == 302
    with app.app_context():
        assert db.session.get(CaseType, type_id).sla_days == 21
        db.session.get(CaseType, type_id).sla_days = int(form["sla_days"])
        db.session.commit()

"""Staff accounts: the forms that make and change them refuse what their columns cannot hold with
a message, and the one that changes one's own password is limited like the login page."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, select

from app.extensions import db
from app.models import StaffUser
from tests.conftest import PASSWORD, csrf_token_from
from tests.integration.test_security import _app_with_login_limit, restore_limiter  # noqa: F401


def _officer_role_id(app) -> int:
    from flask_appbuilder.security.sqla.models import Role

    with app.app_context():
        role_id = db.session.execute(select(Role.id).where(Role.name == "Agency Officer")).scalar_one()
        db.session.rollback()
    return role_id


def _account_exists(app, username: str) -> bool:
    with app.app_context():
        found = db.session.execute(select(StaffUser.id).where(StaffUser.username == username)).first()
        db.session.rollback()
    return found is not None


def _remove(app, username: str) -> None:
    from flask_appbuilder.security.sqla.models import assoc_user_role

    with app.app_context():
        ids = select(StaffUser.id).where(StaffUser.username == username).scalar_subquery()
        db.session.execute(delete(assoc_user_role).where(assoc_user_role.c.user_id.in_(ids)))
        db.session.execute(delete(StaffUser.__table__).where(StaffUser.username == username))
        db.session.commit()


GOOD = {"first_name": "สมหญิง", "last_name": "ใจดี", "username": "somying.j", "email": "somying@diw.go.th",
        "active": "y", "password": "ดอกคูนบานริมทางหลวง", "conf_password": "ดอกคูนบานริมทางหลวง"}


@pytest.mark.parametrize("change, thai", [
    ({"roles": None}, "กรุณาเลือกบทบาทอย่างน้อยหนึ่งบทบาท"),
    ({"email": "bad"}, "ไม่ใช่ที่อยู่อีเมล"),
    ({"first_name": "ก" * 65}, "ไม่เกิน 64 ตัวอักษร"),
    ({"username": "u" * 129}, "ไม่เกิน 128 ตัวอักษร"),
])
def test_a_new_account_the_columns_cannot_hold_is_refused_with_a_message(app, browser, change, thai):
    form = {**GOOD, "roles": str(_officer_role_id(app)), **change}
    form = {name: value for name, value in form.items() if value is not None}
    page = browser("admin").post("/users/add", data=form)
    assert page.status_code == 200, "a message on the form, not a 500 nor a save"
    assert thai in page.get_data(as_text=True)
    assert not _account_exists(app, form["username"])


def test_an_account_with_a_role_and_a_good_email_is_saved(app, browser):
    try:
        response = browser("admin").post("/users/add", data={**GOOD, "roles": str(_officer_role_id(app))})
        assert response.status_code == 302 and _account_exists(app, "somying.j")
    finally:
        _remove(app, "somying.j")


def test_ones_own_name_is_kept_within_its_column(app, browser):
    officer = browser("diw.officer")
    page = officer.post("/userinfoeditview/form", data={"first_name": "ก" * 300, "last_name": "ทดสอบ"})
    assert page.status_code == 200 and "ไม่เกิน 64 ตัวอักษร" in page.get_data(as_text=True)
    with app.app_context():
        first = db.session.execute(select(StaffUser.first_name).where(StaffUser.username == "diw.officer")).scalar_one()
        db.session.rollback()
    assert len(first) <= 64


def test_an_accounts_page_shows_dates_in_bangkok_and_no_none(app, browser):
    with app.app_context():
        user_id = db.session.execute(select(StaffUser.id).where(StaffUser.username == "dpim.clerk")).scalar_one()
        db.session.rollback()
    html = browser("admin").get(f"/users/show/{user_id}").get_data(as_text=True)
    assert "None" not in re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+", html), "no raw stored times"


def test_changing_ones_own_password_is_limited_like_the_login_page(app, restore_limiter):  # noqa: F811
    """The current password could be guessed without limit from a session left open."""
    limited = _app_with_login_limit("3 per minute")
    client = limited.test_client()
    page = client.get("/login/").get_data(as_text=True)
    client.post("/login/", data={"username": "tisi.clerk", "password": PASSWORD, "csrf_token": csrf_token_from(page)})
    form = client.get("/resetmypassword/form").get_data(as_text=True)
    token = csrf_token_from(form)
    guesses = [client.post("/resetmypassword/form", data={
        "csrf_token": token, "current_password": f"guess-number-{n}", "password": "ดอกคูนบานริมทางหลวง",
        "conf_password": "ดอกคูนบานริมทางหลวง"}).status_code for n in range(5)]
    assert guesses[:2] == [200, 200] and guesses[-1] == 429, guesses


def test_the_api_login_without_a_provider_is_a_400_naming_it(client):
    response = client.post("/api/v1/security/login", json={"username": "diw.officer", "password": PASSWORD})
    body = response.get_json()
    assert response.status_code == 400 and body["field"] == "provider" and body["message_th"]
    assert client.post("/api/v1/security/login", json={"username": "diw.officer", "password": PASSWORD,
                                                       "provider": "db"}).status_code == 200


def test_there_are_no_user_group_screens(browser):
    """Permissions come from a user's roles alone: a group's roles would grant nothing, and the
    group screens were in English on Thai pages."""
    admin = browser("admin")
    for url in ("/groups/list/", "/groups/add", "/groups/show/1"):
        assert admin.get(url).status_code == 404, url
    menu = admin.get("/users/list/").get_data(as_text=True)
    assert "/groups/" not in menu and "/roles/list/" in menu


def test_the_roles_list_names_roles_in_the_readers_language(browser):
    html = browser("admin").get("/roles/list/").get_data(as_text=True)
    assert "ผู้บริหารหน่วยงาน" in html and ">Agency Manager<" not in html
    assert "<td>[]</td>" not in html


def test_an_account_moved_or_switched_off_leaves_its_open_cases_unassigned(app, browser, make_case):
    """It could no longer open them, and nobody's "my open cases" showed them."""
    from app.models import Agency, Case, CaseEvent

    manager = browser("diw.manager")
    role_id = _officer_role_id(app)
    with app.app_context():
        officer = db.session.execute(select(StaffUser).where(StaffUser.username == "diw.officer")).scalar_one()
        officer_id, diw = officer.id, officer.agency_id
        ops = db.session.execute(select(Agency.id).where(Agency.code == "OPS")).scalar_one()
        form = {"first_name": officer.first_name, "last_name": officer.last_name, "username": officer.username,
                "email": officer.email, "active": "y", "roles": str(role_id)}
        db.session.rollback()
    open_case, closed_case = make_case("DIW"), make_case("DIW")
    for case in (open_case, closed_case):
        assert manager.api("POST", f"/api/v1/cases/{case['id']}/assign",
                           json={"assignee_id": officer_id}).status_code == 200
    assert manager.api("POST", f"/api/v1/cases/{closed_case['id']}/status",
                       json={"status": "rejected", "note": "ซ้ำกับเรื่องเดิม"}).status_code == 200

    def assignees() -> tuple:
        with app.app_context():
            return tuple(db.session.get(Case, case["id"]).assignee_id for case in (open_case, closed_case))

    admin = browser("admin")
    try:
        # Saved with nothing changed: the cases stay theirs.
        assert admin.post(f"/users/edit/{officer_id}", data={**form, "agency": str(diw)}).status_code == 302
        assert assignees() == (officer_id, officer_id)
        moved = admin.post(f"/users/edit/{officer_id}", data={**form, "agency": str(ops)}, follow_redirects=True)
        assert "1 open case" in moved.get_data(as_text=True) or "1 เรื่อง" in moved.get_data(as_text=True)
        assert assignees() == (None, officer_id)
        with app.app_context():
            entry = db.session.execute(select(CaseEvent).where(CaseEvent.case_id == open_case["id"],
                                                               CaseEvent.kind == "assignment")
                                       .order_by(CaseEvent.id.desc())).scalars().first()
            assert entry.changes == {"assignee": ["diw.officer", None]} and entry.actor_label
        # Back in the agency and given the case again, then switched off: released again.
        admin.post(f"/users/edit/{officer_id}", data={**form, "agency": str(diw)})
        assert manager.api("POST", f"/api/v1/cases/{open_case['id']}/assign",
                           json={"assignee_id": officer_id}).status_code == 200
        admin.post(f"/users/edit/{officer_id}", data={**{k: v for k, v in form.items() if k != "active"},
                                                      "agency": str(diw)})
        assert assignees() == (None, officer_id)
    finally:
        with app.app_context():
            officer = db.session.get(StaffUser, officer_id)
            officer.agency_id, officer.active = diw, True
            db.session.commit()

"""Staff passwords on screen: every form that sets one applies the password rules, in the reader's
language, and one's own is changed only with the current one."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import StaffUser

OLD = "ลมหนาวมาแล้วที่เชียงใหม่"
NEW = "ดอกคูนบานริมทางหลวง"


@pytest.fixture()
def own_account(app):
    """An account of its own for the test, so that the shared demo accounts keep their password."""
    from flask_appbuilder.security.sqla.models import Role

    with app.app_context():
        role = db.session.execute(select(Role).where(Role.name == "Agency Officer")).scalar_one()
        user = StaffUser(first_name="ทดสอบ", last_name="รหัสผ่าน", username="password.tester",
                         email="password.tester@example.org", active=True, password=generate_password_hash(OLD),
                         roles=[role])
        db.session.add(user)
        db.session.commit()
        user_id = user.id
    yield user_id
    _remove_account(app, "password.tester")


def _remove_account(app, username: str) -> None:
    """The account and its roles: SQLite gives the next account the same id, which would find
    the roles still there."""
    from flask_appbuilder.security.sqla.models import assoc_user_role

    with app.app_context():
        user_ids = select(StaffUser.id).where(StaffUser.username == username).scalar_subquery()
        db.session.execute(delete(assoc_user_role).where(assoc_user_role.c.user_id.in_(user_ids)))
        db.session.execute(delete(StaffUser.__table__).where(StaffUser.username == username))
        db.session.commit()


def _password_is(app, user_id: int, password: str) -> bool:
    with app.app_context():
        stored = db.session.get(StaffUser, user_id).password
        db.session.rollback()
    return check_password_hash(stored, password)


def _change_own(browser, current: str, new: str, confirm: str | None = None, lang: str = "th"):
    me = browser(None)
    me.login("password.tester", OLD)
    me.get(f"/lang/{lang}")
    return me.post("/resetmypassword/form", data={"current_password": current, "password": new,
                                                   "conf_password": confirm or new})


def test_ones_own_password_changes_with_the_current_one(app, browser, own_account):
    page = _change_own(browser, OLD, NEW)
    assert page.status_code == 302
    assert _password_is(app, own_account, NEW)


@pytest.mark.parametrize("current, new, lang, message", [
    ("not-my-password-at-all", NEW, "th", "รหัสผ่านปัจจุบันไม่ถูกต้อง"),
    ("not-my-password-at-all", NEW, "en", "This is not your current password."),
    (OLD, "short", "th", "สั้นเกินไป ต้องยาวอย่างน้อย 10 ตัวอักษร"),
    (OLD, "0812345678", "en", "Not digits alone"),
    (OLD, "rueang-demo", "th", "เดาได้ง่ายเกินไป"),
    (OLD, "my password.tester key", "en", "Too easy to guess"),
])
def test_a_refused_change_says_why_and_keeps_the_password(app, browser, own_account, current, new, lang, message):
    page = _change_own(browser, current, new, lang=lang)
    assert page.status_code == 200 and message in page.get_data(as_text=True)
    assert _password_is(app, own_account, OLD)


def test_the_form_asks_for_the_current_password_first_and_states_the_rules(browser, own_account):
    me = browser(None)
    me.login("password.tester", OLD)
    html = me.get("/resetmypassword/form").get_data(as_text=True)
    assert html.index('name="current_password"') < html.index('name="password"') < html.index('name="conf_password"')
    assert "อย่างน้อย 10 ตัวอักษร" in html


def test_an_administrator_cannot_give_a_new_account_a_weak_password(app, browser):
    from flask_appbuilder.security.sqla.models import Role

    with app.app_context():
        role_id = db.session.execute(select(Role.id).where(Role.name == "Agency Officer")).scalar_one()
        db.session.rollback()
    admin = browser("admin")
    form = {"first_name": "ใหม่", "last_name": "บัญชี", "username": "new.account", "email": "new.account@example.org",
            "active": "y", "roles": str(role_id), "password": "1234567890", "conf_password": "1234567890"}
    page = admin.post("/users/add", data=form)
    assert page.status_code == 200 and "ต้องไม่เป็นตัวเลขล้วน" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(StaffUser).where(StaffUser.username == "new.account")).first() is None
    good = admin.post("/users/add", data={**form, "password": NEW, "conf_password": NEW})
    assert good.status_code == 302
    _remove_account(app, "new.account")


def test_a_new_password_ends_the_other_sessions_and_keeps_this_one(app, browser, own_account):
    """Sessions are signed cookies: one signed in elsewhere (a shared office computer, a stolen
    cookie) went on working after the password was changed."""
    elsewhere = browser(None)
    elsewhere.login("password.tester", OLD)
    assert elsewhere.get("/cases/list/").status_code == 200
    here = browser(None)
    here.login("password.tester", OLD)
    assert here.post("/resetmypassword/form", data={"current_password": OLD, "password": NEW,
                                                     "conf_password": NEW}).status_code == 302
    assert here.get("/cases/list/").status_code == 200
    ended = elsewhere.get("/cases/list/")
    assert ended.status_code == 302 and "/login/" in ended.headers["Location"]
    again = browser(None)
    again.login("password.tester", NEW)
    assert again.get("/cases/list/").status_code == 200


def test_an_administrators_reset_ends_the_accounts_sessions(app, browser, own_account):
    session = browser(None)
    session.login("password.tester", OLD)
    admin = browser("admin")
    assert admin.post(f"/resetpassword/form?pk={own_account}",
                      data={"password": NEW, "conf_password": NEW}).status_code == 302
    assert _password_is(app, own_account, NEW)
    assert session.get("/cases/list/").status_code == 302
    weak = admin.post(f"/resetpassword/form?pk={own_account}", data={"password": "password.tester-2026",
                                                                    "conf_password": "password.tester-2026"})
    assert weak.status_code == 200 and "เดาได้ง่ายเกินไป" in weak.get_data(as_text=True)


def test_a_new_password_refuses_the_tokens_made_before_it(app, client, browser, own_account):
    """An access token lasts 15 minutes and a refresh token 30 days: a stolen pair kept working
    after the password was changed."""
    tokens = client.post("/api/v1/security/login", json={"username": "password.tester", "password": OLD,
                                                          "provider": "db", "refresh": True}).get_json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    refresh = {"Authorization": f"Bearer {tokens['refresh_token']}"}
    assert client.get("/api/v1/cases/", headers=bearer).status_code == 200
    assert client.post("/api/v1/security/refresh", headers=refresh).status_code == 200

    assert browser("admin").post(f"/resetpassword/form?pk={own_account}",
                                 data={"password": NEW, "conf_password": NEW}).status_code == 302
    assert client.get("/api/v1/cases/", headers=bearer).status_code == 401
    assert client.post("/api/v1/security/refresh", headers=refresh).status_code == 401
    fresh = client.post("/api/v1/security/login", json={"username": "password.tester", "password": NEW,
                                                         "provider": "db"}).get_json()
    assert client.get("/api/v1/cases/", headers={"Authorization": f"Bearer {fresh['access_token']}"}).status_code == 200


def test_flask_appbuilders_commands_keep_the_password_rules(app, own_account):
    """`fab create-admin` and `fab reset-password` set a password with no form: the first
    administrator of a new server could be called admin with the password "admin12345"."""
    from flask_appbuilder.cli import fab

    runner = app.test_cli_runner()

    def create_admin(password: str):
        return runner.invoke(fab, ["create-admin", "--username", "first.admin", "--firstname", "ผู้ดูแล",
                                   "--lastname", "ระบบ", "--email", "first.admin@example.org", "--password", password])

    def exists() -> bool:
        with app.app_context():
            found = db.session.execute(select(StaffUser.id).where(StaffUser.username == "first.admin")).first()
            db.session.rollback()
        return found is not None

    try:
        refused = create_admin("first.admin2569")
        assert refused.exit_code == 1 and "Too easy to guess" in refused.output and "เดาได้ง่ายเกินไป" in refused.output
        assert not exists()
        assert create_admin(NEW).exit_code == 0 and exists()
    finally:
        _remove_account(app, "first.admin")

    reset = runner.invoke(fab, ["reset-password", "--username", "password.tester", "--password", "0812345678"])
    assert reset.exit_code == 1 and "Not digits alone" in reset.output
    assert _password_is(app, own_account, OLD)
    assert runner.invoke(fab, ["reset-password", "--username", "password.tester", "--password", NEW]).exit_code == 0
    assert _password_is(app, own_account, NEW)

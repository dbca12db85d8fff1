"""Administrators register Open311 clients; the api_key shows once and is kept only as a hash."""
import re

import pytest


@pytest.fixture()
def no_clients(app):
    from sqlalchemy import text

    from app.extensions import db

    def clear():
        with app.app_context():
            db.session.execute(text("DELETE FROM open311_client"))
            db.session.commit()

    clear()
    yield
    clear()


KEY = re.compile(r'<pre id="api-key"[^>]*>(r311_[A-Za-z0-9_\-]+)</pre>')


def _stored(app):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Open311Client

    with app.app_context():
        return db.session.execute(select(Open311Client)).scalar_one()


def test_admin_makes_a_client_and_sees_its_key_once(app, browser, client, no_clients):
    admin = browser("admin")
    form = admin.get("/open311-clients/add").get_data(as_text=True)
    agency_id = re.search(r'<option value="(\d+)">[^<]*DIW', form).group(1)
    made = admin.post("/open311-clients/add", data={"name": "Rayong city app", "agency": agency_id, "active": "y"})
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    key = KEY.search(made.get_data(as_text=True)).group(1)
    stored = _stored(app)
    assert stored.api_key_hash != key and key not in stored.api_key_hash and key.startswith(stored.key_prefix)
    listing = admin.get("/open311-clients/list/").get_data(as_text=True)
    assert "Rayong city app" in listing and key not in listing
    assert key not in admin.get(f"/open311-clients/show/{stored.id}").get_data(as_text=True)

    post = {"api_key": key, "service_code": "DIW-NUISANCE", "lat": "13.7", "long": "100.5"}
    assert client.post("/open311/v2/requests.json", data=post).status_code == 201

    renewed = admin.post(f"/open311-clients/new-key/{stored.id}")
    new_key = KEY.search(renewed.get_data(as_text=True)).group(1)
    assert new_key != key
    assert client.post("/open311/v2/requests.json", data=post).status_code == 403
    assert client.post("/open311/v2/requests.json", data={**post, "api_key": new_key}).status_code == 201


def test_a_duplicate_name_is_refused_with_a_message(browser, no_clients):
    admin = browser("admin")
    admin.post("/open311-clients/add", data={"name": "Partner", "active": "y"})
    again = admin.post("/open311-clients/add", data={"name": "Partner", "active": "y"})
    html = again.get_data(as_text=True)
    assert again.status_code == 200 and 'id="api-key"' not in html
    assert "มีข้อมูลนี้อยู่แล้ว" in html or "มีระบบชื่อ" in html


@pytest.mark.parametrize("user", ["diw.manager", "diw.officer", "ministry"])
def test_only_administrators_manage_clients(app, browser, user, no_clients):
    staff = browser(user)
    assert staff.get("/open311-clients/list/").status_code in (302, 403)
    assert staff.post("/open311-clients/add", data={"name": "Sneaky", "active": "y"}).status_code in (302, 403)
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context():
        assert db.session.execute(text("SELECT COUNT(*) FROM open311_client")).scalar_one() == 0


@pytest.mark.parametrize("typed, thai", [("   ", "กรุณาตั้งชื่อไม่เกิน 100 ตัวอักษร"), ("  Partner  ", "มีข้อมูลนี้อยู่แล้ว")])
def test_renaming_a_client_keeps_the_names_rules(app, browser, no_clients, typed, thai):
    """The add form trimmed the name and refused an empty or repeated one; the edit form took
    "   " and "  Partner  " beside "Partner"."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Open311Client

    admin = browser("admin")
    admin.post("/open311-clients/add", data={"name": "Partner", "active": "y"})
    admin.post("/open311-clients/add", data={"name": "Other", "active": "y"})
    with app.app_context():
        other_id = db.session.execute(select(Open311Client.id).where(Open311Client.name == "Other")).scalar_one()
        db.session.rollback()
    page = admin.post(f"/open311-clients/edit/{other_id}", data={"name": typed, "active": "y"})
    assert page.status_code == 200 and thai in page.get_data(as_text=True)
    with app.app_context():
        names = sorted(db.session.execute(select(Open311Client.name)).scalars())
        db.session.rollback()
    assert names == ["Other", "Partner"]
    assert admin.post(f"/open311-clients/edit/{other_id}", data={"name": "  Rayong app ", "active": "y"}
                      ).status_code == 302
    with app.app_context():
        assert db.session.get(Open311Client, other_id).name == "Rayong app"

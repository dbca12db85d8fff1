"""Every surface is scoped to the user's agency, for every verb; nothing changes on a GET."""
import pytest

OFFICERS = ["ops.officer", "diw.officer", "diprom.officer", "tisi.officer", "dpim.officer"]


@pytest.fixture()
def diw_case(make_case):
    return make_case("DIW", title="น้ำเสียจากโรงงานไหลลงคลอง")


@pytest.fixture()
def ops_case(make_case):
    return make_case("OPS", title="ร้องเรียนการให้บริการล่าช้า")


def test_list_shows_only_own_agency(browser, diw_case, ops_case):
    page = browser("diw.officer").get("/cases/list/").get_data(as_text=True)
    assert diw_case["tracking_code"] in page
    assert ops_case["tracking_code"] not in page


def test_ministry_viewer_and_admin_see_every_agency(browser, diw_case, ops_case):
    for user in ("ministry", "admin"):
        page = browser(user).get("/cases/list/").get_data(as_text=True)
        assert diw_case["tracking_code"] in page and ops_case["tracking_code"] in page


@pytest.mark.parametrize("user", ["ops.officer", "ops.manager", "ops.clerk", "tisi.officer"])
def test_other_agency_case_by_id_is_not_found_on_screens(browser, diw_case, user):
    b = browser(user)
    pk = diw_case["id"]
    assert b.get(f"/cases/show/{pk}").status_code == 404
    edit = b.get(f"/cases/edit/{pk}")
    assert edit.status_code in (403, 404)  # clerks lack the edit permission altogether
    if user != "ops.clerk":
        assert edit.status_code == 404
        assert b.post(f"/cases/edit/{pk}", data={"title": "x", "version": diw_case["version"]}).status_code == 404
        for action, data in [("status", {"status": "in_progress"}), ("forward", {"agency": "OPS"}),
                             ("reopen", {}), ("note", {"note": "แอบแก้"})]:
            assert b.post(f"/cases/{pk}/{action}", data=data).status_code == 404, action


@pytest.mark.parametrize("user", ["ops.officer", "ops.manager", "tisi.officer"])
def test_other_agency_case_by_id_is_not_found_in_the_api(browser, diw_case, user):
    b = browser(user)
    pk = diw_case["id"]
    assert b.api("GET", f"/api/v1/cases/{pk}").status_code == 404
    assert b.api("PUT", f"/api/v1/cases/{pk}", json={"title": "x"}).status_code == 404
    assert b.api("GET", f"/api/v1/cases/{pk}/timeline").status_code == 404
    for action, body in [("status", {"status": "in_progress"}), ("forward", {"agency": "OPS"}),
                         ("reopen", {}), ("notes", {"note": "แอบแก้"})]:
        assert b.api("POST", f"/api/v1/cases/{pk}/{action}", json=body).status_code == 404, action
    listed = b.api("GET", "/api/v1/cases/").get_json()
    assert pk not in {row["id"] for row in listed["result"]}


def test_other_agency_case_is_unchanged_after_all_attempts(browser, diw_case, app):
    test_other_agency_case_by_id_is_not_found_in_the_api(browser, diw_case, "ops.officer")
    admin = browser("admin")
    case = admin.api("GET", f"/api/v1/cases/{diw_case['id']}").get_json()["result"]
    assert case["status"] == "received" and case["version"] == diw_case["version"]
    timeline = admin.api("GET", f"/api/v1/cases/{diw_case['id']}/timeline").get_json()["result"]
    assert [e["kind"] for e in timeline] == ["created"]


def test_cases_cannot_be_deleted_by_anyone(browser, diw_case):
    for user in ("admin", "diw.manager", "diw.officer"):
        b = browser(user)
        assert b.get(f"/cases/delete/{diw_case['id']}").status_code in (404, 405)
        assert b.post(f"/cases/delete/{diw_case['id']}").status_code in (404, 405)
        assert b.api("DELETE", f"/api/v1/cases/{diw_case['id']}").status_code in (404, 405)


def test_case_type_drop_down_offers_own_agency_only(browser, app):
    page = browser("diw.officer").get("/cases/add").get_data(as_text=True)
    assert "DIW-NUISANCE" in page or "เหตุเดือดร้อนรำคาญ" in page
    assert "ขอประทานบัตร" not in page and "ขอสินเชื่อ SME" not in page


def _type_id(app, code):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import CaseType

    with app.app_context():
        return db.session.execute(select(CaseType.id).where(CaseType.code == code)).scalar_one()


def test_cannot_create_a_case_in_another_agency(browser, app):
    b = browser("ops.officer")
    dpim_type = _type_id(app, "DPIM-IMPACT")
    response = b.api("POST", "/api/v1/cases/", json={"title": "ทดสอบ", "case_type_id": dpim_type})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "case_type_id"
    page = b.post("/cases/add", data={"title": "ทดสอบ", "case_type": dpim_type, "channel": "web",
                                      "priority": "normal"})
    assert page.status_code == 200
    listed = browser("admin").api("GET", "/api/v1/cases/").get_json()
    assert listed["count"] == 0


def test_ministry_viewer_reads_but_cannot_write(browser, diw_case):
    b = browser("ministry")
    assert b.get(f"/cases/show/{diw_case['id']}").status_code == 200
    assert b.api("GET", f"/api/v1/cases/{diw_case['id']}").status_code == 200
    assert b.api("PUT", f"/api/v1/cases/{diw_case['id']}", json={"title": "x"}).status_code == 403
    assert b.api("POST", f"/api/v1/cases/{diw_case['id']}/status", json={"status": "in_progress"}).status_code == 403
    assert b.post(f"/cases/{diw_case['id']}/status", data={"status": "in_progress"}).status_code == 403
    assert browser("admin").api("GET", f"/api/v1/cases/{diw_case['id']}").get_json()["result"]["status"] == "received"


def test_clerk_reads_own_agency_but_cannot_edit(browser, diw_case):
    b = browser("diw.clerk")
    assert b.get(f"/cases/show/{diw_case['id']}").status_code == 200
    assert b.api("PUT", f"/api/v1/cases/{diw_case['id']}", json={"title": "x"}).status_code == 403


def test_anonymous_gets_nothing(client, diw_case):
    assert client.get("/cases/list/").status_code == 302
    assert client.get(f"/cases/show/{diw_case['id']}").status_code == 302
    assert client.get(f"/api/v1/cases/{diw_case['id']}").status_code == 401
    assert client.get("/api/v1/cases/").status_code == 401


def test_state_changes_need_a_csrf_token(browser, diw_case):
    b = browser("diw.officer")
    response = b.client.post(f"/cases/{diw_case['id']}/status", data={"status": "in_progress"})
    assert response.status_code == 400
    response = b.client.post(f"/api/v1/cases/{diw_case['id']}/status", json={"status": "in_progress"})
    assert response.status_code == 400
    assert browser("admin").api("GET", f"/api/v1/cases/{diw_case['id']}").get_json()["result"]["status"] == "received"


def test_a_made_up_bearer_token_does_not_switch_the_csrf_check_off(browser, diw_case):
    b = browser("diw.officer")
    response = b.client.post(f"/api/v1/cases/{diw_case['id']}/status", json={"status": "in_progress"},
                             headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 400
    assert browser("admin").api("GET", f"/api/v1/cases/{diw_case['id']}").get_json()["result"]["status"] == "received"


def test_a_real_bearer_token_needs_no_csrf_token(app, diw_case):
    from tests.conftest import PASSWORD

    client = app.test_client()
    login = client.post("/api/v1/security/login", json={"username": "diw.officer", "password": PASSWORD,
                                                         "provider": "db"})
    assert login.status_code == 200, login.get_data(as_text=True)
    token = login.get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    response = client.post(f"/api/v1/cases/{diw_case['id']}/status", json={"status": "in_progress"}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert client.get(f"/api/v1/cases/{diw_case['id']}", headers=headers).get_json()["result"]["status"] == "in_progress"


@pytest.mark.parametrize("path", ["status", "forward", "reopen", "note", "assign"])
def test_nothing_changes_on_a_get(browser, diw_case, path):
    """A move's address opened (not posted) leads to the case's page and moves nothing."""
    manager = browser("diw.manager")
    before = manager.api("GET", f"/api/v1/cases/{diw_case['id']}").get_json()["result"]
    answer = manager.get(f"/cases/{diw_case['id']}/{path}")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/cases/show/{diw_case['id']}")
    assert manager.api("GET", f"/api/v1/cases/{diw_case['id']}").get_json()["result"] == before


def test_admin_screens_are_for_admins(browser):
    assert browser("diw.officer").get("/agencies/add").status_code == 403
    assert browser("admin").get("/agencies/add").status_code == 200
    assert browser("diw.manager").get("/users/list/").status_code == 403
    assert browser("admin").get("/users/list/").status_code == 200


def test_openapi_document_lists_the_case_api(browser):
    response = browser("diw.officer").get("/api/v1/_openapi")
    assert response.status_code == 200
    document = response.get_json()
    paths = document["paths"]
    assert "/api/v1/cases/" in paths and "/api/v1/cases/{pk}/status" in paths
    # The actions' case id is one shared parameter, and it resolves.
    assert paths["/api/v1/cases/{pk}/forward"]["post"]["parameters"] == [{"$ref": "#/components/parameters/case_pk"}]
    assert document["components"]["parameters"]["case_pk"]["in"] == "path"


def test_list_count_is_capped_but_pages_still_work(browser, make_case, app):
    app.config["CASE_LIST_COUNT_CAP"] = 3
    try:
        for _ in range(5):
            make_case("DIW")
        page = browser("diw.officer").get("/cases/list/").get_data(as_text=True)
        assert "3+" in page
    finally:
        app.config["CASE_LIST_COUNT_CAP"] = 10_000


def test_error_pages_speak_the_readers_language_in_the_apps_layout(browser, client, diw_case):
    officer = browser("diw.officer")
    missing = officer.get("/cases/show/999999")
    page = missing.get_data(as_text=True)
    assert missing.status_code == 404
    assert "ไม่พบหน้าหรือรายการที่ต้องการ" in page and "Not Found" not in page
    assert 'href="/cases/list/"' in page  # inside the staff's layout, with its menu
    officer.get("/lang/en")
    page = officer.get("/no-such-page").get_data(as_text=True)
    assert "There is no such page or record here" in page
    assert officer.get(f"/cases/{diw_case['id']}/unlink/1").status_code == 405
    # A visitor gets the public pages' layout; an API client gets JSON with both languages.
    visitor = client.get("/no-such-page")
    assert visitor.status_code == 404 and "ไม่พบหน้าที่ต้องการ" in visitor.get_data(as_text=True)
    answer = officer.get("/api/v1/no-such-thing")
    assert answer.status_code == 404 and answer.get_json()["code"] == "not_found"
    assert answer.get_json()["message_th"]


def test_an_expired_form_on_a_staff_screen_says_so(browser, diw_case):
    officer = browser("diw.officer")
    response = officer.client.post(f"/cases/{diw_case['id']}/status", data={"status": "in_progress"})
    assert response.status_code == 400
    assert "แบบฟอร์มหมดอายุหรือไม่สมบูรณ์" in response.get_data(as_text=True)


@pytest.mark.parametrize("user", ["ministry", "diw.manager", "ops.officer", "tisi.clerk"])
def test_every_staff_member_opens_their_own_profile_and_no_one_elses(app, browser, user):
    """The profile link led every account but Admin's to a 403: the self-service permissions
    named Flask-AppBuilder's user screen, which the app replaces."""
    staff = browser(user)
    page = staff.get("/users/userinfo/")
    assert page.status_code == 200 and user in page.get_data(as_text=True)
    assert staff.get("/resetmypassword/form").status_code == 200
    assert staff.get("/userinfoeditview/form").status_code == 200
    assert staff.get("/users/list/").status_code in (302, 403)
    assert staff.get("/users/show/1").status_code in (302, 403)

"""Moving cases through the workflow on screens and through the API; every change on the timeline."""
import re

import pytest


def _case(b, pk):
    return b.api("GET", f"/api/v1/cases/{pk}").get_json()["result"]


def _timeline(b, pk):
    return b.api("GET", f"/api/v1/cases/{pk}/timeline").get_json()["result"]


def test_create_on_screen_gives_tracking_code_and_timeline(browser, app):
    b = browser("diw.officer")
    page = b.get("/cases/add").get_data(as_text=True)
    import re
    type_id = re.search(r'<option value="(\d+)">[^<]*เหตุเดือดร้อนรำคาญ', page).group(1)
    response = b.post("/cases/add", data={
        "case_type": type_id, "channel": "phone", "priority": "high", "title": "เสียงดังจากโรงงานตอนกลางคืน",
        "description": "ได้ยินเสียงเครื่องจักรทั้งคืน", "requester_name": "นายสมศักดิ์ ทดสอบ",
        "requester_phone": "081-234-5678", "province": "ระยอง", "latitude": "12.68", "longitude": "101.27",
    })
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    pk = int(response.headers["Location"].rstrip("/").split("/")[-1])
    case = _case(b, pk)
    assert case["tracking_code"].startswith("DIW-25") and case["status"] == "received"
    assert case["requester_phone"] == "0812345678"
    assert case["due_at"] and case["sla_flag"] == "on_track"
    events = _timeline(b, pk)
    assert events[0]["kind"] == "created" and events[0]["source"] == "screen" and events[0]["actor"] == "diw.officer"


def test_status_moves_and_refusal(browser, make_case):
    case = make_case("DIW")
    b = browser("diw.officer")
    pk = case["id"]
    ok = b.api("POST", f"/api/v1/cases/{pk}/status", json={"status": "in_progress", "note": "รับเรื่องแล้ว"})
    assert ok.status_code == 200
    assert ok.get_json()["result"]["first_response_at"]
    bad = b.api("POST", f"/api/v1/cases/{pk}/status", json={"status": "forwarded"})
    assert bad.status_code == 409
    assert "Forward" in bad.get_json()["message"] and bad.get_json()["message_th"]
    b.api("POST", f"/api/v1/cases/{pk}/status", json={"status": "resolved", "note": "แก้ไขเรียบร้อย"})
    closed = _case(b, pk)
    assert closed["status"] == "resolved" and closed["closed_at"]
    refused = b.post(f"/cases/{pk}/status", data={"status": "in_progress"}, follow_redirects=True)
    assert "Reopen" in refused.get_data(as_text=True) or "เปิดเรื่องใหม่" in refused.get_data(as_text=True)
    kinds = [(e["kind"], e["from_status"], e["to_status"]) for e in _timeline(b, pk)]
    assert kinds == [("created", None, "received"), ("status", "received", "in_progress"),
                     ("status", "in_progress", "resolved")]


def test_reopen_raises_count(browser, make_case):
    pk = make_case("TISI")["id"]
    b = browser("tisi.officer")
    b.api("POST", f"/api/v1/cases/{pk}/status", json={"status": "rejected"})
    response = b.post(f"/cases/{pk}/reopen", data={"note": "ผู้ร้องส่งหลักฐานเพิ่ม"})
    assert response.status_code == 302
    case = _case(b, pk)
    assert case["status"] == "in_progress" and case["reopen_count"] == 1 and case["closed_at"] is None
    assert _timeline(b, pk)[-1]["kind"] == "reopen"


def test_forward_hands_the_case_over_and_records_both_sides(app, browser, make_case):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import StaffUser

    pk = make_case("OPS", title="โรงงานปล่อยควันดำ")["id"]
    ops = browser("ops.officer")
    with app.app_context():
        officer_id = db.session.execute(select(StaffUser.id).where(StaffUser.username == "ops.officer")).scalar_one()
        db.session.rollback()
    assert browser("ops.manager").api("POST", f"/api/v1/cases/{pk}/assign",
                                      json={"assignee_id": officer_id}).status_code == 200
    old_type = _case(ops, pk)["case_type"]["code"]
    response = ops.post(f"/cases/{pk}/forward", data={"agency": "DIW", "note": "เป็นเรื่องของโรงงาน"})
    # The case is DIW's now: OPS lands on its list, told where the case went, not on a page it may not see.
    assert response.status_code == 302 and response.headers["Location"].endswith("/cases/list/")
    landing = ops.get(response.headers["Location"]).get_data(as_text=True)
    assert "ถูกส่งต่อไปยัง DIW กรมโรงงานอุตสาหกรรม แล้ว" in landing
    assert ops.get(f"/cases/show/{pk}").status_code == 404
    diw = browser("diw.officer")
    case = _case(diw, pk)
    assert case["agency"]["code"] == "DIW" and case["status"] == "forwarded"
    assert case["case_type"]["code"].startswith("DIW-")
    out, into = _timeline(diw, pk)[-2:]
    assert (out["kind"], into["kind"]) == ("forward_out", "forward_in")
    assert out["from_agency"] == into["from_agency"] == "OPS" and out["to_agency"] == into["to_agency"] == "DIW"
    # The receiving side reads what the move changed besides the agency: the type, the assignee.
    assert into["changes"]["assignee"] == ["ops.officer", None]
    assert into["changes"]["case_type_id"][0] != into["changes"]["case_type_id"][1]
    assert case["case_type"]["code"] != old_type and case["assignee"] is None
    assert diw.api("POST", f"/api/v1/cases/{pk}/status", json={"status": "in_progress"}).status_code == 200


def _external_agency(app, pk):
    """The agency whose departmental system the case's reference is a number of."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Agency, Case

    with app.app_context():
        code = db.session.execute(select(Agency.code).join(Case, Case.external_agency_id == Agency.id)
                                  .where(Case.id == pk)).scalar_one_or_none()
        db.session.rollback()
        return code


def test_a_reference_stays_with_the_system_it_came_from_when_forwarded(browser, make_case, app):
    # DIW's own system already has the number the OPS case carries: forwarding still works.
    make_case("DIW", external_ref="TF-000042")
    pk = make_case("OPS", external_ref="TF-000042")["id"]
    ops = browser("ops.officer")
    assert ops.api("POST", f"/api/v1/cases/{pk}/forward", json={"agency": "DIW", "note": "เป็นเรื่องของโรงงาน"}).status_code == 200
    assert _external_agency(app, pk) == "OPS"
    diw = browser("diw.officer")
    # Saving other fields keeps the reference OPS's.
    version = _case(diw, pk)["version"]
    assert diw.api("PUT", f"/api/v1/cases/{pk}", json={"title": "ควันดำจากปล่องโรงงาน", "version": version}
                   ).status_code == 200
    assert _external_agency(app, pk) == "OPS"
    # A reference DIW types is a number in DIW's system, checked against DIW's numbers.
    version = _case(diw, pk)["version"]
    taken = diw.api("PUT", f"/api/v1/cases/{pk}", json={"external_ref": "TF-000042x", "version": version})
    assert taken.status_code == 200, taken.get_json()
    assert _external_agency(app, pk) == "DIW"
    make_case("DIW", external_ref="DIW-EXT-000777")
    version = _case(diw, pk)["version"]
    clash = diw.api("PUT", f"/api/v1/cases/{pk}", json={"external_ref": "DIW-EXT-000777", "version": version})
    assert clash.status_code == 422 and clash.get_json()["errors"][0]["code"] == "duplicate_reference"


def test_forward_to_unknown_agency_is_refused(browser, make_case):
    pk = make_case("OPS")["id"]
    response = browser("ops.officer").api("POST", f"/api/v1/cases/{pk}/forward", json={"agency": "NASA"})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["code"] == "unknown_agency"


def test_second_save_from_a_stale_copy_is_refused(browser, make_case, app):
    from tests.integration.test_scoping import _type_id

    case = make_case("DIW")
    first, second = browser("diw.officer"), browser("diw.manager")
    pk, version = case["id"], case["version"]
    form = {"version": version, "channel": "web", "priority": "normal", "case_type": _type_id(app, "DIW-NUISANCE")}
    assert first.post(f"/cases/edit/{pk}", data={**form, "title": "ชื่อเรื่องจากคนแรก"}).status_code == 302
    page = second.post(f"/cases/edit/{pk}", data={**form, "title": "ชื่อเรื่องจากคนที่สอง"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "มีผู้อื่นบันทึกเรื่องนี้" in text or "Someone else saved this case" in text
    assert _case(second, pk)["title"] == "ชื่อเรื่องจากคนแรก"
    api = second.api("PUT", f"/api/v1/cases/{pk}", json={"title": "API", "version": version})
    assert api.status_code == 409
    assert _case(second, pk)["title"] == "ชื่อเรื่องจากคนแรก"


def test_assignment_to_own_agency_officer_only(browser, make_case, app):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import StaffUser

    with app.app_context():
        ids = dict(db.session.execute(select(StaffUser.username, StaffUser.id)).all())
    pk = make_case("DIW")["id"]
    manager = browser("diw.manager")
    assert manager.api("POST", f"/api/v1/cases/{pk}/assign", json={"assignee_id": ids["ops.officer"]}).status_code == 422
    assert manager.api("POST", f"/api/v1/cases/{pk}/assign", json={"assignee_id": ids["diw.officer"]}).status_code == 200
    assert _case(manager, pk)["assignee"]["username"] == "diw.officer"
    assert browser("diw.officer").api("POST", f"/api/v1/cases/{pk}/assign",
                                      json={"assignee_id": None}).status_code == 403


def test_switching_language_on_a_case_page_stays_on_it(browser, make_case):
    """The case page was never put in the screens' history, so the language menu (and the back
    button of the page after it) went to the case list instead."""
    case = make_case("DIW")
    officer = browser("diw.officer")
    officer.get("/cases/list/")
    officer.get(f"/cases/show/{case['id']}")
    switched = officer.get("/lang/en", follow_redirects=True)
    assert switched.request.path == f"/cases/show/{case['id']}" and "Timeline" in switched.get_data(as_text=True)
    # From the edit form, back is the case page; the language menu stays on the form.
    officer.get(f"/cases/edit/{case['id']}")
    assert officer.get("/lang/th", follow_redirects=True).request.path == f"/cases/edit/{case['id']}"
    assert officer.get("/back").headers["Location"].endswith(f"/cases/show/{case['id']}")


def test_a_new_case_on_screen_starts_at_normal_priority(browser):
    """The form offered Low first and chose it: every case typed in without a look at the
    priority was filed as Low, where the API and the import file it as Normal."""
    page = browser("diw.officer").get("/cases/add").get_data(as_text=True)
    priority = re.search(r'<select[^>]*name="priority"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option[^>]*selected[^>]*value="(\w+)"|<option[^>]*value="(\w+)"[^>]*selected', priority) \
        in ([("normal", "")], [("", "normal")])


def test_a_new_case_on_screen_starts_as_come_by_phone(browser):
    """The form chose the web, its first channel, for a case an officer typed in: the web form
    files its own cases, and those typed in came by phone, letter, walk-in or LINE."""
    page = browser("diw.officer").get("/cases/add").get_data(as_text=True)
    channel = re.search(r'<select[^>]*name="channel"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option[^>]*selected[^>]*value="(\w+)"|<option[^>]*value="(\w+)"[^>]*selected', channel) \
        in ([("phone", "")], [("", "phone")])


def test_a_case_is_assigned_only_to_someone_who_may_work_it(browser, make_case, app):
    """The manager was offered, and could choose, the agency's clerk, who may only read cases."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import StaffUser

    with app.app_context():
        ids = dict(db.session.execute(select(StaffUser.username, StaffUser.id)).all())
    case = make_case("DIW")
    manager = browser("diw.manager")
    page = manager.get(f"/cases/show/{case['id']}").get_data(as_text=True)
    offered = re.search(r'<select id="assignee"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert "(diw.officer)" in offered and "(diw.manager)" in offered and "(diw.clerk)" not in offered
    refused = manager.api("POST", f"/api/v1/cases/{case['id']}/assign", json={"assignee_id": ids["diw.clerk"]})
    assert refused.status_code == 422 and refused.get_json()["errors"][0]["code"] == "bad_assignee"
    assert _case(manager, case["id"])["assignee"] is None
    # A number no account can have is refused the same way (SQLite could not even look it up).
    for huge in (10**20, "99999999999999999999", -1):
        refused = manager.api("POST", f"/api/v1/cases/{case['id']}/assign", json={"assignee_id": huge})
        assert refused.status_code == 422, huge
    page = manager.post(f"/cases/{case['id']}/assign", data={"assignee": "99999999999999999999"})
    assert page.status_code == 422 and "ผู้รับผิดชอบ" in page.get_data(as_text=True)


def test_the_staff_offered_for_assignment_are_read_in_the_same_statements_however_many(browser, make_case, app):
    """Each account's roles were read one query at a time on every manager's case page."""
    from sqlalchemy import event, select

    from app.extensions import db
    from app.models import Agency, StaffUser
    from app.domain import roles

    case = make_case("DIW")
    manager = browser("diw.manager")

    def statements() -> int:
        seen = []

        def count(*_):
            seen.append(1)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert manager.get(f"/cases/show/{case['id']}").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    before = statements()
    with app.app_context():
        diw = db.session.execute(select(Agency.id).where(Agency.code == "DIW")).scalar_one()
        officer = app.appbuilder.sm.find_role(roles.AGENCY_OFFICER)
        made = [StaffUser(username=f"diw.extra{n}", first_name="เจ้าหน้าที่", last_name=f"ที่ {n}", active=True,
                          email=f"diw.extra{n}@example.org", agency_id=diw, roles=[officer]) for n in range(12)]
        db.session.add_all(made)
        db.session.commit()
    try:
        assert statements() == before
        page = manager.get(f"/cases/show/{case['id']}").get_data(as_text=True)
        assert "(diw.extra11)" in page
    finally:
        with app.app_context():
            for user in db.session.execute(select(StaffUser).where(StaffUser.username.like("diw.extra%"))).scalars():
                db.session.delete(user)
            db.session.commit()


def test_notes_public_and_internal(browser, make_case):
    pk = make_case("DPIM")["id"]
    b = browser("dpim.officer")
    assert b.api("POST", f"/api/v1/cases/{pk}/notes", json={"note": "ลงพื้นที่ตรวจสอบ", "public": True}).status_code == 201
    assert b.post(f"/cases/{pk}/note", data={"note": "ผู้ประกอบการขอเลื่อน"}).status_code == 302
    events = _timeline(b, pk)
    assert [(e["kind"], e["public"]) for e in events[1:]] == [("public_note", True), ("internal_note", False)]


@pytest.mark.parametrize("body, field, code", [
    ({"title": "x" * 301}, "title", "too_long"),
    ({"title": ""}, "title", "required"),
    ({"title": 12}, None, None),
    ({"title": ["a"]}, "title", "wrong_type"),
    ({"case_type_id": 99999}, "case_type_id", "unknown_case_type"),
    ({"case_type_id": "abc"}, "case_type_id", "not_a_number"),
    ({"latitude": 48.85, "longitude": 2.35}, "latitude", "outside_thailand"),
    ({"latitude": "north", "longitude": 100}, "latitude", "not_a_number"),
    ({"requester_id": "1234567890123"}, "requester_id", "bad_id"),
    ({"requester_email": "not-an-email"}, "requester_email", "bad_email"),
    ({"channel": "pigeon"}, "channel", "unknown_channel"),
    ({"agency_id": 1}, "agency_id", "unknown_field"),
    ({"province": "Paris"}, "province", "unknown_province"),
    ({"description": "ก" * 10_001}, "description", "too_long"),
])
def test_bad_input_to_the_api_writes_nothing(browser, app, body, field, code):
    from tests.integration.test_scoping import _type_id

    b = browser("diw.officer")
    data = {"title": "ทดสอบข้อมูลผิด", "case_type_id": _type_id(app, "DIW-NUISANCE")}
    data.update(body)
    response = b.api("POST", "/api/v1/cases/", json=data)
    if field is None:  # numbers are accepted as text
        assert response.status_code == 201
        return
    assert response.status_code == 422, response.get_json()
    errors = response.get_json()["errors"]
    assert (errors[0]["field"], errors[0]["code"]) == (field, code)
    assert errors[0]["message_th"]
    assert browser("admin").api("GET", "/api/v1/cases/").get_json()["count"] == 0


def test_non_json_body_is_a_400(browser):
    b = browser("diw.officer")
    response = b.client.post("/api/v1/cases/", data="not json", headers={"X-CSRFToken": b.token,
                                                                         "Content-Type": "application/json"})
    assert response.status_code == 400


def test_duplicate_reference_is_refused(browser, make_case, app):
    make_case("DIW", external_ref="DIW-EXT-000001")
    from tests.integration.test_scoping import _type_id

    response = browser("diw.officer").api("POST", "/api/v1/cases/", json={
        "title": "ซ้ำ", "case_type_id": _type_id(app, "DIW-RNG4"), "external_ref": "DIW-EXT-000001"})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["code"] == "duplicate_reference"


def test_bad_input_on_the_form_shows_messages_in_both_languages(browser, app):
    from tests.integration.test_scoping import _type_id

    b = browser("diw.officer")
    data = {"case_type": _type_id(app, "DIW-NUISANCE"), "channel": "web", "priority": "normal",
            "title": "พิกัดผิด", "latitude": "35.0", "longitude": "139.0"}
    thai = b.post("/cases/add", data=data).get_data(as_text=True)
    assert "อยู่นอกประเทศไทย" in thai
    b.get("/lang/en")
    english = b.post("/cases/add", data=data).get_data(as_text=True)
    assert "outside Thailand" in english
    assert browser("admin").api("GET", "/api/v1/cases/").get_json()["count"] == 0


def test_a_refused_field_is_named_once_by_its_field_and_once_in_the_summary(browser, make_case, app):
    """Each refused field was told three times (a banner, the summary, under the field), and the
    summary named the field twice ("อีเมล: อีเมล: รูปแบบอีเมลไม่ถูกต้อง")."""
    from tests.integration.test_scoping import _type_id

    case = make_case("DIW")
    data = {"version": case["version"], "case_type": _type_id(app, "DIW-NUISANCE"), "channel": "web",
            "priority": "normal", "title": "ชื่อเรื่อง", "requester_email": "ไม่ใช่อีเมล", "latitude": "48.8",
            "longitude": "100.5"}
    officer = browser("diw.officer")
    page = officer.post(f"/cases/edit/{case['id']}", data=data).get_data(as_text=True)
    assert page.count("รูปแบบอีเมลไม่ถูกต้อง") == 2 and "อีเมล: อีเมล:" not in page
    assert page.count("อยู่นอกประเทศไทย") == 2 and "ละติจูด: ละติจูด:" not in page
    assert 'value="ไม่ใช่อีเมล"' in page  # what was typed stays
    officer.get("/lang/en")
    english = officer.post(f"/cases/edit/{case['id']}", data=data).get_data(as_text=True)
    assert english.count("is not an email address") == 2 and "Email: Email:" not in english


@pytest.fixture()
def first_response_target(app):
    """DIW's first case type answers within 2 working days, for the test's length."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import CaseType

    with app.app_context():
        case_type = db.session.execute(select(CaseType).where(CaseType.agency.has(code="DIW"))
                                       .order_by(CaseType.id)).scalars().first()
        saved, case_type.first_response_days = case_type.first_response_days, 2
        db.session.commit()
        type_id = case_type.id
    yield type_id
    with app.app_context():
        db.session.get(CaseType, type_id).first_response_days = saved
        db.session.commit()


def _answered(app, pk, submitted, responded=None):
    from app.extensions import db
    from app.models import Case

    with app.app_context():
        case = db.session.get(Case, pk)
        case.submitted_at, case.first_response_at = submitted, responded
        db.session.commit()


def test_the_case_page_shows_the_first_response_target(app, browser, make_case, first_response_target):
    from datetime import UTC, datetime, timedelta

    b = browser("diw.officer")
    # Received on Thursday 10 April 2025 at 10:00 Bangkok: due by Thursday 17 April, after Songkran.
    submitted = datetime(2025, 4, 10, 3, 0, tzinfo=UTC)
    waiting = make_case("DIW", case_type_id=first_response_target)["id"]
    _answered(app, waiting, submitted)
    html = b.get(f"/cases/show/{waiting}").get_data(as_text=True)
    assert 'id="first-response"' in html and "17 เม.ย. 2568" in html
    assert "ยังไม่ตอบรับ เกินกำหนด" in html and "first-response-overdue" in html

    answered = make_case("DIW", case_type_id=first_response_target)["id"]
    _answered(app, answered, submitted, responded=submitted + timedelta(days=1))
    html = b.get(f"/cases/show/{answered}").get_data(as_text=True)
    assert "ตอบรับตามกำหนด" in html and "first-response-" not in html.split('id="first-response"')[0]

    fresh = make_case("DIW", case_type_id=first_response_target)["id"]  # submitted now: still awaited
    assert "รอตอบรับ" in b.get(f"/cases/show/{fresh}").get_data(as_text=True)


def test_no_first_response_line_without_a_target(app, browser, make_case):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import CaseType

    with app.app_context():
        untargeted = db.session.execute(select(CaseType.id).where(CaseType.agency.has(code="DIW"),
                                                                  CaseType.first_response_days.is_(None))).scalar()
    assert untargeted is not None
    pk = make_case("DIW", case_type_id=untargeted)["id"]
    assert 'id="first-response"' not in browser("diw.officer").get(f"/cases/show/{pk}").get_data(as_text=True)


def test_the_apis_info_describes_the_bodies_it_takes(browser):
    response = browser("diw.officer").get("/api/v1/cases/_info")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    info = response.get_json()
    added = {field["name"] for field in info["add_columns"]}
    edited = {field["name"] for field in info["edit_columns"]}
    assert {"case_type_id", "title"} <= added and "version" in edited
    # Only the bodies' own fields: no related records offered (staff or case types of every agency).
    assert not {"agency", "assignee", "case_type"} & (added | edited)
    assert "can_write" in info["permissions"]


def test_the_list_and_the_case_page_name_the_due_date_itself(app, browser, make_case):
    """due_at is 00:00 Bangkok on the day after the due date; the screens showed that next day."""
    from datetime import datetime, timezone

    from sqlalchemy import update

    from app.extensions import db
    from app.models import Case

    case = make_case("DIW")
    with app.app_context():
        db.session.execute(update(Case).where(Case.id == case["id"]).values(
            due_at=datetime(2024, 12, 27, 17, 0, tzinfo=timezone.utc)))
        db.session.commit()
    officer = browser("diw.officer")
    for page in (officer.get(f"/cases/list/?_flt_0_tracking_code={case['tracking_code']}"),
                 officer.get(f"/cases/show/{case['id']}")):
        text = page.get_data(as_text=True)
        assert "27 ธ.ค. 2567" in text and "28 ธ.ค. 2567" not in text


def test_the_timeline_names_an_edits_fields_and_values_as_the_screens_do(browser, make_case):
    from app.domain.statuses import PRIORITY_LABELS

    case = make_case("DIW")
    officer = browser("diw.officer")
    response = officer.api("PUT", f"/api/v1/cases/{case['id']}", json={"priority": "high", "version": case["version"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    page = officer.get(f"/cases/show/{case['id']}").get_data(as_text=True)
    assert f"ความเร่งด่วน: {PRIORITY_LABELS['normal'][0]} → {PRIORITY_LABELS['high'][0]}" in page
    assert "priority:" not in page and "normal → high" not in page
    officer.get("/lang/en")
    english = officer.get(f"/cases/show/{case['id']}").get_data(as_text=True)
    assert f"Priority: {PRIORITY_LABELS['normal'][1]} → {PRIORITY_LABELS['high'][1]}" in english


def test_english_screens_name_provinces_and_case_types_in_english(browser, make_case):
    case = make_case("DIW", province="ระยอง")
    officer = browser("diw.officer")
    officer.get("/lang/en")
    listed = officer.get(f"/cases/list/?_flt_0_tracking_code={case['tracking_code']}").get_data(as_text=True)
    assert "Rayong" in listed and "ระยอง" not in listed
    form = officer.get(f"/cases/edit/{case['id']}").get_data(as_text=True)
    assert ">Factory nuisance" in form or "Factory nuisance (" in form
    assert "Bangkok (กรุงเทพมหานคร)" not in form and ">Bangkok<" in form


def test_the_case_pages_moves_ask_for_a_choice_and_confirm_closing_or_forwarding(browser, make_case):
    case = make_case("DIW")
    page = browser("diw.officer").get(f"/cases/show/{case['id']}").get_data(as_text=True)
    # No status or agency is chosen for the officer: the first one offered was sent on one click.
    assert page.count('<option value="" selected disabled>— เลือก —</option>') == 2
    assert 'data-confirm="เปลี่ยนสถานะเรื่องนี้เป็น %s หรือไม่ เรื่องจะถูกปิด"' in page
    assert 'data-confirm-values="rejected cancelled"' in page
    assert 'data-confirm="ส่งต่อเรื่องนี้ไปยัง %s หรือไม่' in page and "js/case_actions.js" in page


def test_reopening_a_closed_case_asks_first(app, browser, make_case):
    from app.services import cases
    from app.services.actor import Actor

    case = make_case("DIW")
    with app.app_context():
        cases.change_status(Actor.system("tests"), case["id"], "cancelled", note="ซ้ำกับเรื่องอื่น")
    page = browser("diw.officer").get(f"/cases/show/{case['id']}").get_data(as_text=True)
    assert 'data-confirm="เปิดเรื่องนี้ใหม่หรือไม่ เรื่องจะกลับไปอยู่ระหว่างดำเนินการ รวมทั้งในหน้าติดตามเรื่อง"' in page


def test_the_api_filters_on_times_read_iso_dates_in_bangkok_time_and_refuse_the_rest(browser, make_case):
    """A time without an offset (or a date alone) in a list filter was a 500; a value that was not
    a time was dropped without a word, listing every case."""
    from datetime import timedelta

    from app.domain.local_time import BANGKOK
    from app.models.types import utcnow

    make_case("DIW")
    today = utcnow().astimezone(BANGKOK).date()
    diw = browser("diw.officer")

    def count(value):
        response = diw.get("/api/v1/cases/", query_string={
            "q": f"(filters:!((col:submitted_at,opr:gt,value:'{value}')))"})
        return response.status_code, response.get_json()

    for since, expected in ((today - timedelta(days=1), 1), (today + timedelta(days=1), 0)):
        for value in (since.isoformat(), f"{since.isoformat()}T00:00:00", f"{since.isoformat()}T00:00:00+07:00"):
            status, body = count(value)
            assert (status, body["count"]) == (200, expected), value
    for value in ("garbage", "24/11/2569"):
        status, body = count(value)
        assert status == 400 and body["code"] == "invalid_filter" and "ISO 8601" in body["message"], value
        assert body["message_th"]


def test_the_case_lists_open_and_my_open_cases_quick_links(app, browser, make_case):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import StaffUser
    from app.services import cases
    from app.services.actor import Actor

    with app.app_context():
        officer_id = db.session.execute(select(StaffUser.id).where(StaffUser.username == "diw.officer")).scalar_one()
        db.session.rollback()
    system = Actor.system("tests")
    mine = make_case("DIW", title="quick-link mine-open")
    closed = make_case("DIW", title="quick-link mine-closed")
    make_case("DIW", title="quick-link unassigned-open")
    with app.app_context():
        cases.assign_case(system, mine["id"], officer_id)
        cases.assign_case(system, closed["id"], officer_id)
        cases.change_status(system, closed["id"], "cancelled", note="ซ้ำ")
    officer = browser("diw.officer")
    page = officer.get("/cases/list/").get_data(as_text=True)
    titles = ("mine-open", "mine-closed", "unassigned-open")

    def shown(link_id: str) -> set[str]:
        link = re.search(rf'href="([^"]+)" id="{link_id}"', page).group(1).replace("&amp;", "&")
        html = officer.get(link + "&psize_CaseView=100").get_data(as_text=True)
        return {title for title in titles if f"quick-link {title}" in html}

    assert shown("quick-mine") == {"mine-open"}
    assert shown("quick-open") == {"mine-open", "unassigned-open"}
    # An account of no agency works no case, nor does a clerk, who is never given one: no "my open cases".
    assert 'id="quick-mine"' not in browser("ministry").get("/cases/list/").get_data(as_text=True)
    assert 'id="quick-mine"' not in browser("diw.clerk").get("/cases/list/").get_data(as_text=True)


@pytest.mark.parametrize("action, body", [("forward", {"agency": "TISI"}), ("reopen", {})])
def test_forwarding_and_reopening_say_why(browser, make_case, action, body):
    """The receiving agency and the next officer need the reason; a blank one is refused, in both
    languages, and the case does not move."""
    pk = make_case("DIW")["id"]
    diw = browser("diw.officer")
    if action == "reopen":
        assert diw.api("POST", f"/api/v1/cases/{pk}/status", json={"status": "resolved"}).status_code == 200
    before = _case(diw, pk)
    for note in (None, "", "   \n"):
        refused = diw.api("POST", f"/api/v1/cases/{pk}/{action}", json={**body, "note": note})
        assert refused.status_code == 422
        error = refused.get_json()["errors"][0]
        assert (error["code"], error["field"]) == ("required", "note")
        assert "Reason" in error["message"] and "เหตุผล" in error["message_th"]
    after = _case(diw, pk)
    assert (after["status"], after["agency"], after["version"]) == (before["status"], before["agency"], before["version"])
    done = diw.api("POST", f"/api/v1/cases/{pk}/{action}", json={**body, "note": "ผู้ร้องแจ้งเพิ่มเติม"})
    assert done.status_code == 200


def test_a_forward_with_neither_agency_nor_reason_is_told_both(browser, make_case):
    pk = make_case("OPS")["id"]
    response = browser("ops.officer").api("POST", f"/api/v1/cases/{pk}/forward", json={"agency": "NASA"})
    assert response.status_code == 422
    assert {e["code"] for e in response.get_json()["errors"]} == {"unknown_agency", "required"}


def test_an_unknown_status_is_a_field_error_like_an_unknown_agency(browser, make_case):
    pk = make_case("OPS")["id"]
    response = browser("ops.officer").api("POST", f"/api/v1/cases/{pk}/status", json={"status": "done"})
    assert response.status_code == 422
    body = response.get_json()
    assert [(e["code"], e["field"]) for e in body["errors"]] == [("unknown_status", "status")]
    assert "done" in body["message"] and "ไม่รู้จักสถานะ" in body["message_th"]


@pytest.mark.parametrize("action, body", [
    ("status", {"status": "in_progress", "public": True}),
    ("notes", {"public": True}),
    ("forward", {"agency": "TISI", "public": True}),
])
def test_a_public_note_with_personal_data_is_refused_and_kept_for_staff_when_unticked(
        browser, make_case, app, action, body):
    pk = make_case("DIW", requester_name="นายสมชาย ใจดี")["id"]
    diw = browser("diw.officer")
    before, events_before = _case(diw, pk), len(_timeline(diw, pk))
    note = "โทรแจ้งคุณสมชาย 081-234-5678 แล้ว"
    refused = diw.api("POST", f"/api/v1/cases/{pk}/{action}", json={**body, "note": note})
    assert refused.status_code == 422
    error = refused.get_json()["errors"][0]
    assert (error["code"], error["field"]) == ("personal_data", "note")
    assert "081-234-5678" in error["message"] and "requester's name (สมชาย)" in error["message"]
    assert "หมายเลขโทรศัพท์มือถือ" in error["message_th"]
    after = _case(diw, pk)
    assert (after["status"], after["version"]) == (before["status"], before["version"])
    assert len(_timeline(diw, pk)) == events_before  # nothing written
    # Kept for staff, the same words are taken; the public page does not show them.
    kept = diw.api("POST", f"/api/v1/cases/{pk}/{action}", json={**body, "public": False, "note": note})
    assert kept.status_code in (200, 201), kept.get_json()
    code = before["tracking_code"]
    assert "081-234-5678" not in app.test_client().get(f"/track/{code}").get_data(as_text=True)


def test_an_offices_landline_may_be_published(browser, make_case, app):
    pk = make_case("DIW", requester_name="นายสมชาย ใจดี")["id"]
    note = "สอบถามความคืบหน้าได้ที่ 02-202-4000"
    response = browser("diw.officer").api("POST", f"/api/v1/cases/{pk}/notes", json={"note": note, "public": True})
    assert response.status_code == 201, response.get_json()
    code = _case(browser("diw.officer"), pk)["tracking_code"]
    assert note in app.test_client().get(f"/track/{code}").get_data(as_text=True)


def test_the_case_page_says_what_each_move_did(app, browser, make_case):
    """Every move answered "Done." alone; the page now names what changed."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import StaffUser

    with app.app_context():
        officer_id = db.session.execute(select(StaffUser.id).where(StaffUser.username == "diw.officer")).scalar_one()
        db.session.rollback()
    case = make_case("DIW")
    manager = browser("diw.manager")
    show = f"/cases/show/{case['id']}"

    def said(url, data) -> str:
        version = re.search(r'name="version" value="(\d+)"', manager.get(show).get_data(as_text=True)).group(1)
        response = manager.post(url, data={**data, "version": version}, follow_redirects=True)
        return response.get_data(as_text=True)

    assert "สถานะของเรื่องตอนนี้: กำลังดำเนินการ" in said(f"/cases/{case['id']}/status", {"status": "in_progress"})
    assert "เพิ่มบันทึกแล้ว เห็นเฉพาะเจ้าหน้าที่" in said(f"/cases/{case['id']}/note", {"note": "โทรนัดตรวจแล้ว"})
    assert "เพิ่มบันทึกแล้ว และแสดงในหน้าติดตามสถานะสาธารณะ" in said(
        f"/cases/{case['id']}/note", {"note": "นัดตรวจโรงงานสัปดาห์หน้า", "public": "y"})
    page = said(f"/cases/{case['id']}/assign", {"assignee": str(officer_id)})
    assert re.search(r"มอบหมายเรื่องให้ สุดา [^<]* แล้ว", page)  # the demo officer's name
    assert "ขณะนี้เรื่องนี้ไม่มีผู้รับผิดชอบ" in said(f"/cases/{case['id']}/assign", {"assignee": ""})


def test_the_timeline_names_people_and_systems_not_identifiers(app, browser, make_case):
    """It read "sync:rest_json · departmental system · internal · rest_json:DIW-EXT-000007:1" and
    staff by their user names."""
    from app.domain.statuses import EventKind, EventSource
    from app.extensions import db
    from app.models import CaseEvent
    from app.models.types import utcnow

    case = make_case("DIW")
    officer = browser("diw.officer")
    version = re.search(r'name="version" value="(\d+)"',
                        officer.get(f"/cases/show/{case['id']}").get_data(as_text=True)).group(1)
    officer.post(f"/cases/{case['id']}/status", data={"status": "in_progress", "version": version})
    with app.app_context():
        db.session.add(CaseEvent(case_id=case["id"], at=utcnow(), kind=EventKind.INTERNAL_NOTE, source=EventSource.SYNC,
                                 actor_label="sync:rest_json", origin="rest_json:DIW-EXT-000007:1", public=False,
                                 note="ตรวจเอกสารแล้ว"))
        db.session.commit()
    page = officer.get(f"/cases/show/{case['id']}").get_data(as_text=True)
    timeline = page[page.index('class="timeline'):]
    assert '<span title="diw.officer">สุดา รักงาน (DIW)</span>' in timeline
    assert "sync:rest_json" not in timeline and 'title="rest_json:DIW-EXT-000007:1"' in timeline

"""Edits of a case as the timeline must record them, and what a form or the API may not send."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.models import CaseType

BIG = "99999999999999999999999"


def _timeline(b, pk):
    return b.api("GET", f"/api/v1/cases/{pk}/timeline").get_json()["result"]


def _case(b, pk):
    return b.api("GET", f"/api/v1/cases/{pk}").get_json()["result"]


def _diw_types(app) -> dict[str, CaseType]:
    with app.app_context():
        types = db.session.execute(select(CaseType).where(CaseType.agency.has(code="DIW"))).scalars().all()
        db.session.expunge_all()
        db.session.rollback()
    return {t.code: t for t in types}


def test_a_change_of_type_is_on_the_timeline_with_the_kind_it_brings(app, browser, make_case):
    types = _diw_types(app)
    complaint = next(t for t in types.values() if t.kind == "complaint" and t.active)
    request_type = next(t for t in types.values() if t.kind == "request" and t.active)
    pk = make_case("DIW", type_code=complaint.code)["id"]
    b = browser("diw.officer")
    response = b.api("PUT", f"/api/v1/cases/{pk}", json={"case_type_id": request_type.id})
    assert response.status_code == 200, response.get_json()
    [edit] = [e for e in _timeline(b, pk) if e["kind"] == "edit"]
    assert edit["changes"]["case_type_id"] == [complaint.id, request_type.id]
    assert edit["changes"]["kind"] == ["complaint", "request"]
    page = b.get(f"/cases/show/{pk}").get_data(as_text=True)
    assert complaint.name_th in page and request_type.name_th in page, "the timeline names both types"


def test_each_move_raises_the_version_by_one(browser, make_case):
    case = make_case("DIW")
    b = browser("diw.officer")
    for step, status in enumerate(["in_progress", "waiting_applicant", "in_progress"], start=1):
        answer = b.api("POST", f"/api/v1/cases/{case['id']}/status", json={"status": status})
        assert answer.get_json()["result"]["version"] == case["version"] + step


def test_editing_a_case_of_a_switched_off_type_keeps_its_type(app, browser, make_case):
    types = _diw_types(app)
    retired = next(t for t in types.values() if t.active)
    pk = make_case("DIW", type_code=retired.code)["id"]
    with app.app_context():
        db.session.execute(update(CaseType).where(CaseType.id == retired.id).values(active=False))
        db.session.commit()
    try:
        b = browser("diw.officer")
        page = b.get(f"/cases/edit/{pk}").get_data(as_text=True)
        chosen = re.search(r'<select[^>]*name="case_type".*?</select>', page, re.S).group(0)
        assert re.search(rf'<option selected value="{retired.id}"|<option value="{retired.id}" selected', chosen), \
            "the case's own type is offered and chosen"
        form = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
        before = _case(b, pk)
        # What the browser sends: the form as shown, with the title changed.
        response = b.post(f"/cases/edit/{pk}", data={**form, "case_type": str(retired.id), "title": "แก้ชื่อเรื่อง",
                                                     "channel": before["channel"], "priority": before["priority"]})
        assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
        case = _case(b, pk)
        assert case["title"] == "แก้ชื่อเรื่อง" and case["case_type"]["code"] == retired.code
        [edit] = [e for e in _timeline(b, pk) if e["kind"] == "edit"]
        assert set(edit["changes"]) == {"title"}
    finally:
        with app.app_context():
            db.session.execute(update(CaseType).where(CaseType.id == retired.id).values(active=True))
            db.session.commit()


@pytest.mark.parametrize("body, field, code", [
    ({"channel": None}, "channel", "required"),
    ({"channel": ""}, "channel", "required"),
    ({"priority": None}, "priority", "required"),
    ({"title": True}, "title", "wrong_type"),
    ({"district": ["a", "b"]}, "district", "wrong_type"),
    ({"case_type_id": True}, "case_type_id", "not_a_number"),
    ({"case_type_id": int(BIG)}, "case_type_id", "not_a_number"),
])
def test_an_edit_the_rules_refuse_is_a_422_naming_the_field(browser, make_case, body, field, code):
    case = make_case("DIW")
    response = browser("diw.officer").api("PUT", f"/api/v1/cases/{case['id']}", json=body)
    assert response.status_code == 422, response.get_json()
    assert [(e["field"], e["code"]) for e in response.get_json()["errors"]] == [(field, code)]


@pytest.mark.parametrize("note", [["call", "back"], {"a": 1}, True])
def test_a_note_that_is_not_text_is_refused_and_not_published(browser, make_case, note):
    pk = make_case("DIW")["id"]
    other = make_case("DIW")["tracking_code"]
    b = browser("diw.officer")
    for url, body in [(f"/api/v1/cases/{pk}/notes", {"note": note}),
                      (f"/api/v1/cases/{pk}/status", {"status": "in_progress", "note": note, "public": True}),
                      (f"/api/v1/cases/{pk}/links", {"code": other, "kind": "related", "note": note})]:
        response = b.api("POST", url, json=body)
        assert response.status_code == 422, (url, response.get_json())
        assert response.get_json()["errors"][0]["code"] == "wrong_type"
    assert [e["kind"] for e in _timeline(b, pk)] == ["created"]


def test_assigning_the_same_officer_again_records_nothing(app, browser, make_case):
    pk = make_case("DIW")["id"]
    b = browser("diw.manager")
    from app.models import StaffUser

    with app.app_context():
        officer_id = db.session.execute(select(StaffUser.id).where(StaffUser.username == "diw.officer")).scalar_one()
        db.session.rollback()
    for _ in range(2):
        assert b.api("POST", f"/api/v1/cases/{pk}/assign", json={"assignee_id": officer_id}).status_code == 200
    assert [e["kind"] for e in _timeline(b, pk)].count("assignment") == 1
    assert b.api("POST", f"/api/v1/cases/{pk}/assign", json={"assignee_id": True}).status_code == 422


@pytest.mark.parametrize("url", [f"/cases/show/{BIG}", f"/cases/edit/{BIG}", f"/case-photos/{BIG}", f"/cases/show/-{BIG}"])
def test_a_record_number_past_any_integer_is_not_found_on_the_screens(browser, url):
    assert browser("diw.officer").get(url).status_code == 404


@pytest.mark.parametrize("method, url", [("GET", f"/api/v1/cases/{BIG}"), ("PUT", f"/api/v1/cases/{BIG}"),
                                         ("POST", f"/api/v1/cases/{BIG}/status"),
                                         ("GET", f"/api/v1/cases/{BIG}/timeline"),
                                         ("DELETE", f"/api/v1/cases/1/links/{BIG}")])
def test_a_record_number_past_any_integer_is_not_found_on_the_api(browser, method, url):
    response = browser("diw.officer").api(method, url, json={"status": "in_progress", "title": "x"})
    assert response.status_code == 404 and response.get_json()["code"] == "not_found"


@pytest.mark.parametrize("user, url", [("admin", f"/users/show/{BIG}"), ("admin", f"/agencies/show/{BIG}"),
                                       ("admin", f"/job-runs/show/{BIG}")])
def test_an_administration_screen_number_past_any_integer_is_not_found(browser, user, url):
    assert browser(user).get(url).status_code == 404


def test_a_filter_number_past_any_integer_is_a_400_in_both_languages(browser):
    officer = browser("diw.officer")
    page = officer.get(f"/cases/list/?_flt_0_satisfaction={BIG}")
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "ตัวเลขในคำขอมีค่ามากเกินกว่าที่ระบบเก็บได้" in html
    # In the staff layout, menu and all: on PostgreSQL the refused statement had aborted the
    # transaction the layout reads the menu in.
    assert 'href="/cases/list/"' in html
    for query in [f"(filters:!((col:satisfaction,opr:eq,value:{BIG})))",
                  "(filters:!((col:satisfaction,opr:eq,value:lots)))",
                  f"(filters:!((col:assignee,opr:rel_o_m,value:{BIG})))",
                  f"(page:{BIG})", "(page:-1)", "(page_size:abc)"]:
        response = officer.api("GET", f"/api/v1/cases/?q={query}")
        body = response.get_json()
        assert response.status_code == 400, (query, body)
        assert body["message"] and body["message_th"], query
    assert officer.api("GET", "/api/v1/cases/?q=(filters:!((col:satisfaction,opr:eq,value:5)),page:0,page_size:10)").status_code \
        == 200
    # A page size past the bounds is brought to the largest, as before.
    assert officer.api("GET", "/api/v1/cases/?q=(page:0,page_size:-1)").status_code == 200


def test_the_staff_forms_description_says_its_limit_as_the_public_form_does(browser, make_case):
    officer = browser("diw.officer")
    pk = make_case("DIW")["id"]
    for url in ("/cases/add", f"/cases/edit/{pk}"):
        html = officer.get(url).get_data(as_text=True)
        assert re.search(r'<textarea[^>]*maxlength="10000"[^>]*name="description"', html), url

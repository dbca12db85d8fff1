"""A move refused on the case page (someone else saved first, a tracking code that names no case)
answers with the case as it is now and what the officer typed still in the form, not an empty one."""
from __future__ import annotations

import html as html_module
import re

from sqlalchemy import select

from app.extensions import db
from app.models import CaseEvent


def _field(page: str, form: str, name: str) -> str:
    """The value a field of one of the page's forms shows: an input's value, a textarea's text, a
    select's chosen option."""
    block = re.search(rf'<form[^>]*action="[^"]*/{form}"[^>]*>(.*?)</form>', page, re.S)
    assert block, f"no {form} form on the page"
    text = block.group(1)
    textarea = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', text, re.S)
    if textarea:
        return html_module.unescape(textarea.group(1))
    select_ = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', text, re.S)
    if select_:
        chosen = re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', select_.group(1))
        assert len(chosen) <= 1, chosen
        return chosen[0] if chosen else ""
    value = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', text)
    return html_module.unescape(value.group(1)) if value else ""


def _notes(app, pk) -> list[str]:
    with app.app_context():
        notes = [event.note for event in db.session.execute(
            select(CaseEvent).where(CaseEvent.case_id == pk).order_by(CaseEvent.id)).scalars()]
        db.session.rollback()
        return notes


def test_a_status_change_refused_because_someone_saved_first_keeps_what_was_typed(app, browser, make_case):
    case = make_case("DIW")
    pk, stale = case["id"], case["version"]
    manager = browser("diw.manager")
    moved = manager.api("POST", f"/api/v1/cases/{pk}/status", json={"status": "in_progress"})
    assert moved.status_code == 200
    current = moved.get_json()["result"]["version"]
    officer = browser("diw.officer")
    note = "ตรวจสอบพื้นที่แล้ว <รอเอกสาร> จากผู้ร้อง & ผู้ประกอบการ"
    response = officer.post(f"/cases/{pk}/status", data={
        "status": "waiting_applicant", "note": note, "public": "y", "version": stale})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "มีผู้อื่นบันทึกเรื่องนี้หลังจากที่ท่านเปิดไว้" in page and "ข้อความที่ท่านพิมพ์ยังอยู่ในแบบฟอร์ม" in page
    assert "กรุณาโหลดเรื่องใหม่" not in page  # this page is the case as it is now
    # The page is the case as it is now: its version, so sending the form again goes through.
    assert f'name="version" value="{current}"' in page and f'name="version" value="{stale}"' not in page
    assert _field(page, "status", "status") == "waiting_applicant"
    assert _field(page, "status", "note") == note
    assert "&lt;รอเอกสาร&gt;" in page and "<รอเอกสาร>" not in page
    assert note not in _notes(app, pk)
    again = officer.post(f"/cases/{pk}/status", data={
        "status": "waiting_applicant", "note": note, "public": "y", "version": current})
    assert again.status_code == 302 and note in _notes(app, pk)


def test_a_refused_link_keeps_the_code_and_note_typed(app, browser, make_case):
    case = make_case("DIW")
    officer = browser("diw.officer")
    response = officer.post(f"/cases/{case['id']}/link", data={
        "code": "DIW-2569-999999", "kind": "duplicate", "note": "โรงงานเดียวกัน"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "ไม่พบเรื่องที่มีเลขที่เรื่อง" in page
    assert _field(page, "link", "code") == "DIW-2569-999999"
    assert _field(page, "link", "kind") == "duplicate"
    assert _field(page, "link", "note") == "โรงงานเดียวกัน"
    # Only that form: the others stay as they were.
    assert _field(page, "note", "note") == "" and _field(page, "status", "status") == ""


def test_a_refused_forward_keeps_the_agency_and_reason(app, browser, make_case):
    case = make_case("DIW")
    officer = browser("diw.officer")
    officer.api("POST", f"/api/v1/cases/{case['id']}/notes", json={"note": "x"})
    browser("diw.manager").api("POST", f"/api/v1/cases/{case['id']}/status", json={"status": "in_progress"})
    response = officer.post(f"/cases/{case['id']}/forward", data={
        "agency": "DIPROM", "note": "เป็นเรื่องการส่งเสริม SME", "version": case["version"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert _field(page, "forward", "agency") == "DIPROM"
    assert _field(page, "forward", "note") == "เป็นเรื่องการส่งเสริม SME"


def test_a_public_note_with_a_phone_number_comes_back_with_the_reason_and_the_text(app, browser, make_case):
    case = make_case("DIW")
    note = "นัดตรวจพื้นที่แล้ว ผู้ร้องโทร 089-765-4321"
    officer = browser("diw.officer")
    response = officer.post(f"/cases/{case['id']}/status", data={
        "status": "in_progress", "note": note, "public": "y", "version": case["version"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "หมายเลขโทรศัพท์มือถือ (089-765-4321)" in page and "ข้อมูลส่วนบุคคล" in page
    assert _field(page, "status", "note") == note and _field(page, "status", "status") == "in_progress"
    assert note not in _notes(app, case["id"])


def test_a_moves_address_opened_again_leads_to_the_case(browser, make_case):
    """A refused move answers from its own address; reloaded later or copied, it was a bare
    "method not allowed" with no way back to the case."""
    case = make_case("DIW")
    officer = browser("diw.officer")
    for move in ("status", "forward", "reopen", "note", "assign", "link"):
        answer = officer.get(f"/cases/{case['id']}/{move}")
        assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/cases/show/{case['id']}"), move
    assert browser("ops.officer").get(f"/cases/{case['id']}/status", follow_redirects=True).status_code == 404

"""Linked cases on the case page: made by the case's agency, to any agency's case by its tracking
code; the other side sees only what the public status page shows."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import CaseEvent, CaseLink


def _links(app) -> list[tuple[int, int, str]]:
    with app.app_context():
        return [(link.case_id, link.linked_case_id, link.kind)
                for link in db.session.execute(select(CaseLink).order_by(CaseLink.id)).scalars()]


def _events(app, case_id, kind) -> list[str]:
    with app.app_context():
        return [event.note for event in db.session.execute(
            select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.kind == kind)).scalars()
            if not event.public]


@pytest.fixture()
def two_agencies(make_case):
    complaint = make_case("OPS", title="กลิ่นเหม็นจากโรงงานริมคลอง", requester_name="นางสาวสมหญิง ใจงาม",
                          requester_phone="0812345678")
    licence = make_case("DIW", title="ขอใบอนุญาตโรงงานสีย้อมผ้า", requester_name="บริษัท ตัวอย่าง จำกัด")
    return complaint, licence


def test_an_officer_links_their_case_to_another_agencys_case(app, browser, two_agencies):
    complaint, licence = two_agencies
    diw = browser("diw.officer")
    typed = licence["tracking_code"]  # DIW's own, typed loosely below
    response = diw.post(f"/cases/{licence['id']}/link", data={"code": complaint["tracking_code"].lower(),
                                                               "kind": "related", "note": "โรงงานเดียวกัน"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/show/{licence['id']}#links")
    assert _links(app) == [(licence["id"], complaint["id"], "related")]
    assert _events(app, licence["id"], "link") == [f"{complaint['tracking_code']} โรงงานเดียวกัน"]

    # DIW sees OPS's case as the public does: code, agency, type, status; not its title or requester.
    page = diw.get(f"/cases/show/{licence['id']}").get_data(as_text=True)
    assert complaint["tracking_code"] in page and f"/track/{complaint['tracking_code']}" in page
    assert "กลิ่นเหม็นจากโรงงานริมคลอง" not in page and "สมหญิง" not in page and "0812345678" not in page
    # OPS sees the link on its own case, and DIW's case the same way.
    ops_page = browser("ops.officer").get(f"/cases/show/{complaint['id']}").get_data(as_text=True)
    assert typed in ops_page and "ขอใบอนุญาตโรงงานสีย้อมผ้า" not in ops_page and "โรงงานเดียวกัน" in ops_page
    # The ministry-wide viewer may open both, and sees titles; it cannot link.
    ministry = browser("ministry")
    assert "กลิ่นเหม็นจากโรงงานริมคลอง" in ministry.get(f"/cases/show/{licence['id']}").get_data(as_text=True)
    assert 'action="/cases/' not in ministry.get(f"/cases/show/{licence['id']}").get_data(as_text=True).split(
        'id="links"')[1].split("</section>")[0]
    # Nothing of it reaches the public page.
    public = browser(None).get(f"/track/{licence['tracking_code']}").get_data(as_text=True)
    assert complaint["tracking_code"] not in public


def test_a_duplicate_reads_from_both_sides(app, browser, make_case):
    first = make_case("OPS", title="ถนนหน้าโรงงานมีน้ำเสีย")
    again = make_case("OPS", title="น้ำเสียหน้าโรงงาน")
    ops = browser("ops.officer")
    ops.post(f"/cases/{again['id']}/link", data={"code": first["tracking_code"], "kind": "duplicate"})
    assert "ซ้ำกับเรื่อง" in ops.get(f"/cases/show/{again['id']}").get_data(as_text=True)
    page = ops.get(f"/cases/show/{first['id']}").get_data(as_text=True)
    assert "มีเรื่องซ้ำ" in page and "น้ำเสียหน้าโรงงาน" in page  # the same agency's case: its title too


@pytest.mark.parametrize("data, message, status", [
    ({"code": "DIW-2569-999999", "kind": "related"}, "ไม่พบเรื่องที่มีเลขที่เรื่อง", 422),
    ({"code": "not a code", "kind": "related"}, "ไม่พบเรื่องที่มีเลขที่เรื่อง", 422),
    ({"code": "SELF", "kind": "related"}, "เชื่อมโยงเรื่องกับตัวเองไม่ได้", 400),
    ({"code": "OTHER", "kind": "merged"}, "กรุณาเลือกลักษณะการเชื่อมโยง", 422),
    ({"code": "OTHER", "kind": "related", "note": "x" * 501}, "ไม่เกิน 500 ตัวอักษร", 422),
])
def test_a_bad_link_is_refused_with_a_message_and_nothing_is_written(app, browser, two_agencies, data, message,
                                                                       status):
    complaint, licence = two_agencies
    data = {**data, "code": {"SELF": licence["tracking_code"], "OTHER": complaint["tracking_code"]}.get(
        data["code"], data["code"])}
    refused = browser("diw.officer").post(f"/cases/{licence['id']}/link", data=data)
    # The case page answers, with the message and what was typed still in the form.
    assert refused.status_code == status and message in refused.get_data(as_text=True)
    assert _links(app) == [] and _events(app, licence["id"], "link") == []


def test_the_api_names_every_wrong_field_of_a_link_at_once(app, browser, two_agencies):
    _complaint, licence = two_agencies
    refused = browser("diw.officer").api("POST", f"/api/v1/cases/{licence['id']}/links",
                                         json={"code": "DIW-2569-999999", "kind": "merged", "note": "x" * 501})
    body = refused.get_json()
    assert refused.status_code == 422 and body["code"] == "validation_failed"
    assert {(error["field"], error["code"]) for error in body["errors"]} == {
        ("code", "unknown_tracking_code"), ("kind", "invalid_link_kind"), ("note", "note_too_long")}
    assert _links(app) == []


def test_the_same_two_cases_are_linked_once_either_way(app, browser, two_agencies):
    complaint, licence = two_agencies
    browser("diw.officer").post(f"/cases/{licence['id']}/link", data={"code": complaint["tracking_code"],
                                                                       "kind": "related"})
    ops = browser("ops.officer")
    again = ops.post(f"/cases/{complaint['id']}/link", data={"code": licence["tracking_code"], "kind": "duplicate"})
    assert "สองเรื่องนี้เชื่อมโยงกันอยู่แล้ว" in again.get_data(as_text=True)
    assert len(_links(app)) == 1


def test_only_the_cases_own_agency_links_it_and_only_with_the_forms_token(app, browser, two_agencies):
    complaint, licence = two_agencies
    data = {"code": licence["tracking_code"], "kind": "related"}
    assert browser("diw.officer").post(f"/cases/{complaint['id']}/link", data=data).status_code == 404
    assert browser("ops.clerk").post(f"/cases/{complaint['id']}/link", data=data).status_code in (302, 403)
    assert browser("ministry").post(f"/cases/{complaint['id']}/link", data=data).status_code in (302, 403)
    assert browser("ops.officer").client.post(f"/cases/{complaint['id']}/link", data=data).status_code == 400
    assert _links(app) == []


def test_a_link_is_removed_by_the_agency_that_made_it(app, browser, two_agencies):
    complaint, licence = two_agencies
    diw = browser("diw.officer")
    diw.post(f"/cases/{licence['id']}/link", data={"code": complaint["tracking_code"], "kind": "related"})
    with app.app_context():
        link_id = db.session.execute(select(CaseLink.id)).scalar_one()
    # Not from the other side, and not through another case's address.
    assert browser("ops.officer").post(f"/cases/{complaint['id']}/unlink/{link_id}").status_code == 404
    assert browser("ops.officer").post(f"/cases/{licence['id']}/unlink/{link_id}").status_code == 404
    assert len(_links(app)) == 1
    response = diw.post(f"/cases/{licence['id']}/unlink/{link_id}")
    assert response.status_code == 302 and _links(app) == []
    assert _events(app, licence["id"], "unlink") == [complaint["tracking_code"]]


def test_the_rest_api_lists_makes_and_removes_links(app, browser, two_agencies):
    complaint, licence = two_agencies
    diw = browser("diw.officer")
    made = diw.api("POST", f"/api/v1/cases/{licence['id']}/links",
                   json={"code": complaint["tracking_code"], "kind": "duplicate", "note": "ซ้ำ"})
    assert made.status_code == 201
    again = diw.api("POST", f"/api/v1/cases/{licence['id']}/links", json={"code": complaint["tracking_code"],
                                                                          "kind": "related"})
    assert again.status_code == 400 and again.get_json()["code"] == "already_linked"
    (listed,) = diw.get(f"/api/v1/cases/{licence['id']}/links").get_json()["result"]
    assert listed["tracking_code"] == complaint["tracking_code"] and listed["agency"] == "OPS"
    assert listed["kind"] == "duplicate" and listed["made_here"] is True
    assert listed["title"] is None and listed["case_id"] is None  # another agency's case
    (seen,) = browser("ops.officer").get(f"/api/v1/cases/{complaint['id']}/links").get_json()["result"]
    assert seen["made_here"] is False and seen["tracking_code"] == licence["tracking_code"]
    assert browser("ops.officer").get(f"/api/v1/cases/{licence['id']}/links").status_code == 404
    assert diw.api("DELETE", f"/api/v1/cases/{licence['id']}/links/{listed['id']}").status_code == 200
    assert _links(app) == []


def _statements_of(app, action) -> int:
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine
    seen = []

    def count(*_):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_reading_a_cases_links_takes_the_same_statements_however_many_there_are(app, browser, make_case):
    hub = make_case("DIW", title="โรงงานต้นเรื่อง")
    diw = browser("diw.officer")
    others = [make_case(agency, title=f"เรื่องที่ {n}") for n, agency in enumerate(["OPS", "TISI", "DPIM"] * 3)]

    def read():
        answer = diw.get(f"/api/v1/cases/{hub['id']}/links")
        assert answer.status_code == 200
        return len(answer.get_json()["result"])

    counted = {}
    for other in others:
        made = diw.api("POST", f"/api/v1/cases/{hub['id']}/links", json={"code": other["tracking_code"],
                                                                        "kind": "related"})
        assert made.status_code == 201
        counted[read()] = _statements_of(app, read)
    assert counted[1] == counted[len(others)], counted


def test_two_officers_linking_two_cases_each_way_at_once_do_not_wait_on_each_other(app, browser, two_agencies,
                                                                                   monkeypatch):
    """Each reads the other's case while holding nothing: the two rows are then locked in the order
    of their ids, so neither holds one and waits for the other (PostgreSQL; SQLite takes one
    writer at a time)."""
    import threading

    from app.services import case_links

    with app.app_context():
        if db.session.get_bind().dialect.name != "postgresql":
            pytest.skip("rows are locked on PostgreSQL only")
    complaint, licence = two_agencies
    both_read = threading.Barrier(2, timeout=10)
    real_other_case = case_links._other_case

    def other_case_then_wait(session, code):
        found = real_other_case(session, code)
        both_read.wait()
        return found

    monkeypatch.setattr(case_links, "_other_case", other_case_then_wait)
    officers = {"DIW": browser("diw.officer"), "OPS": browser("ops.officer")}
    answers = {}

    def link(agency, case, other):
        answers[agency] = officers[agency].api("POST", f"/api/v1/cases/{case['id']}/links",
                                               json={"code": other["tracking_code"], "kind": "related"})

    threads = [threading.Thread(target=link, args=("DIW", licence, complaint)),
               threading.Thread(target=link, args=("OPS", complaint, licence))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    codes = sorted(answer.status_code for answer in answers.values())
    # One link is made; the other finds the pair already linked. Neither is a deadlock's 500.
    assert codes == [201, 400], {agency: answer.get_data(as_text=True)[:200] for agency, answer in answers.items()}
    assert len(_links(app)) == 1


def test_duplicates_never_go_round_in_a_loop(app, browser, make_case):
    """A a duplicate of B, B of C, then C of A would leave no case the original."""
    a, b, c = (make_case("DIW", title=f"กลิ่นเหม็น ครั้งที่ {n}") for n in range(3))
    officer = browser("diw.officer")

    def link(case, other, kind="duplicate"):
        return officer.api("POST", f"/api/v1/cases/{case['id']}/links", json={"code": other["tracking_code"],
                                                                             "kind": kind})

    assert link(a, b).status_code == 201 and link(b, c).status_code == 201
    looped = link(c, a)
    assert looped.status_code == 400 and looped.get_json()["code"] == "duplicate_loop"
    assert a["tracking_code"] in looped.get_json()["message"] and looped.get_json()["message_th"]
    assert len(_links(app)) == 2
    # Related cases may tie them any way; and C may still be a duplicate of another case.
    assert link(c, a, "related").status_code == 201
    assert link(c, make_case("DIW")).status_code == 201

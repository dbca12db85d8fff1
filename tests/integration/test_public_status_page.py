"""The public status page: status, agency, expected date and public notes, and never anything
personal, in any state a case can be in."""
import re

import pytest

from tests.integration.public_support import (
    ACTOR_LABEL, EXACT_POINT, SECRET_NOTE, SENTINELS, assert_nothing_personal,
)


def _actor(label=ACTOR_LABEL):
    from app.services.actor import Actor

    return Actor.system(label)


@pytest.fixture()
def personal_case(app):
    """A DIW complaint full of personal details, assigned to an officer, with an internal note."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import CaseType, StaffUser
    from app.services import cases

    with app.app_context():
        type_id = db.session.execute(select(CaseType.id).where(CaseType.code == "DIW-NUISANCE")).scalar_one()
        case = cases.create_case(_actor(), {**SENTINELS, "case_type_id": type_id, "province": "กรุงเทพมหานคร",
                                            "district": "ปทุมวัน", "latitude": EXACT_POINT[0],
                                            "longitude": EXACT_POINT[1]})
        officer = db.session.execute(select(StaffUser).where(StaffUser.username == "diw.officer")).scalar_one()
        cases.assign_case(_actor(), case.id, officer.id)
        cases.add_note(_actor(), case.id, SECRET_NOTE, public=False)
        return {"id": case.id, "code": case.tracking_code}


def _steps():
    """Every status, reached with an internal note each time, and a public note now and then."""
    return [
        ("status", "in_progress", False), ("status", "waiting_applicant", False), ("status", "in_progress", True),
        ("forward", "OPS", False), ("status", "resolved", True), ("reopen", None, False),
        ("status", "rejected", False), ("reopen", None, False), ("status", "cancelled", False),
    ]


def _outputs(client, code):
    yield "page (th)", client.get(f"/track/{code}")
    yield "page (en)", client.get(f"/track/{code}?lang=en")
    yield "open311 json", client.get(f"/open311/v2/requests/{code}.json")
    yield "open311 xml", client.get(f"/open311/v2/requests/{code}.xml")
    yield "open311 list json", client.get("/open311/v2/requests.json")
    yield "open311 list xml", client.get(f"/open311/v2/requests.xml?service_request_id={code}")


def test_no_personal_data_in_any_state(app, client, personal_case):
    from app.services import cases

    code = personal_case["code"]
    seen_statuses = set()
    for index, (action, target, public_note) in enumerate([("none", None, False), *_steps()]):
        with app.app_context():
            note = f"ข้อความสาธารณะที่ {index}" if public_note else SECRET_NOTE
            if action == "status":
                cases.change_status(_actor(), personal_case["id"], target, note=note, public=public_note)
            elif action == "forward":
                cases.forward_case(_actor(), personal_case["id"], target, note="ส่งต่อตามหน้าที่")
                cases.add_note(_actor(), personal_case["id"], SECRET_NOTE, public=False)
            elif action == "reopen":
                cases.reopen_case(_actor(), personal_case["id"], note="ผู้ร้องแจ้งว่ายังไม่แก้ไข")
                cases.add_note(_actor(), personal_case["id"], SECRET_NOTE, public=False)
            from app.extensions import db
            from app.models import Case

            status = db.session.get(Case, personal_case["id"]).status
            db.session.rollback()
        seen_statuses.add(status)
        for where, response in _outputs(client, code):
            assert response.status_code == 200, where
            text = response.get_data(as_text=True)
            if where.startswith("page") or "list" not in where:
                assert code in text
            assert_nothing_personal(text, f"{where} while {status}")
            assert SECRET_NOTE not in text
        if public_note:
            assert f"ข้อความสาธารณะที่ {index}" in client.get(f"/track/{code}").get_data(as_text=True)
    assert seen_statuses == {"received", "in_progress", "waiting_applicant", "forwarded", "resolved", "rejected",
                             "cancelled"}


def test_the_page_shows_status_agency_expected_date_and_public_notes(app, client, make_case):
    from app.services import cases

    case = make_case("DIW", province="ระยอง", district="เมืองระยอง")
    with app.app_context():
        cases.change_status(_actor(), case["id"], "in_progress", note="เจ้าหน้าที่ลงพื้นที่แล้ว", public=True)
        from app.extensions import db
        from app.models import Case

        due = db.session.get(Case, case["id"]).due_at
        db.session.rollback()
    from datetime import timedelta

    from app.domain.local_time import BANGKOK
    from app.i18n import format_date

    # due_at is 00:00 Bangkok on the day after the due date; the page names the due date itself.
    assert due.astimezone(BANGKOK).hour == 0
    due_day = due.astimezone(BANGKOK).date() - timedelta(days=1)
    thai = client.get(f"/track/{case['tracking_code']}").get_data(as_text=True)
    assert "กำลังดำเนินการ" in thai and "กรมโรงงานอุตสาหกรรม" in thai and "เมืองระยอง, ระยอง" in thai
    assert format_date(due_day, "th") in thai and str(due_day.year + 543) in thai
    assert format_date(due, "th") not in thai
    assert "เจ้าหน้าที่ลงพื้นที่แล้ว" in thai
    english = client.get(f"/track/{case['tracking_code']}?lang=en").get_data(as_text=True)
    assert "In progress" in english and "Department of Industrial Works" in english
    assert format_date(due_day, "en") in english and "Mueang Rayong, Rayong" in english


def test_a_public_note_published_before_the_personal_data_rules_stays_off_the_public_pages(app, client, make_case):
    """Departmental notes synced as public before they were checked for personal data (Traffy
    Fondue's officers write the complainant's phone in them) are in the database as public."""
    from sqlalchemy import update

    from app.extensions import db
    from app.models import CaseEvent
    from app.services import cases

    case = make_case("DIW")
    with app.app_context():
        cases.change_status(_actor(), case["id"], "in_progress", note="เจ้าหน้าที่ลงพื้นที่แล้ว", public=True)
        cases.change_status(_actor(), case["id"], "waiting_applicant", note="ภายใน", public=False)
        db.session.execute(update(CaseEvent).where(CaseEvent.case_id == case["id"], CaseEvent.note == "ภายใน")
                           .values(note="โทรนัดผู้ร้อง 089-111-2222 แล้ว รอเอกสาร", public=True, source="sync"))
        db.session.commit()
    code = case["tracking_code"]
    for where, response in _outputs(client, code):
        text = response.get_data(as_text=True)
        assert response.status_code == 200 and "089-111-2222" not in text, where
    assert "เจ้าหน้าที่ลงพื้นที่แล้ว" in client.get(f"/track/{code}").get_data(as_text=True)
    assert "รอเอกสาร" not in client.get(f"/open311/v2/requests/{code}.json").get_data(as_text=True)


def test_the_status_page_is_light_cacheable_and_cookie_free(client, make_case):
    code = make_case("TISI")["tracking_code"]
    response = client.get(f"/track/{code}")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"].startswith("public")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    assert len(html) < 8000
    assert 'name="viewport"' in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "the page must not load anything from another host"
    assert "appbuilder" not in html and "bootstrap" not in html.lower()


def test_a_house_address_typed_as_the_district_is_not_published(client, make_case):
    case = make_case("DIW", province="ระยอง", district="12/3 ถ.สุขุมวิท บ้านนายสมชาย โทร 0812345678")
    page = client.get(f"/track/{case['tracking_code']}").get_data(as_text=True)
    assert "ระยอง" in page
    assert "0812345678" not in page and "สมชาย" not in page and "สุขุมวิท" not in page


def test_the_requesters_name_as_the_district_or_in_an_old_public_note_is_not_published(app, client, make_case):
    """A surname alone has a place's shape, and a note published before the name rules counted
    'Vincent' as a business ('inc'): the requester's own name keeps both off the public pages."""
    from sqlalchemy import update

    from app.extensions import db
    from app.models import CaseEvent
    from app.services import cases

    case = make_case("DIW", province="ระยอง", district="ใจดี", requester_name="นายสมชาย ใจดี")
    other = make_case("DIW", province="ระยอง", district="ท่าใหม่", requester_name="Vincent Tanaka")
    with app.app_context():
        for made, note in ((case, "โทรแจ้งคุณสมชายแล้ว"), (other, "Told Mr Tanaka by phone")):
            cases.change_status(_actor(), made["id"], "in_progress", note="ภายใน", public=False)
            db.session.execute(update(CaseEvent).where(CaseEvent.case_id == made["id"], CaseEvent.note == "ภายใน")
                               .values(note=note, public=True))
        db.session.commit()
    for made, names in ((case, ("สมชาย", "ใจดี")), (other, ("Vincent", "Tanaka"))):
        for where, response in _outputs(client, made["tracking_code"]):
            text = response.get_data(as_text=True)
            assert response.status_code == 200 and not any(name in text for name in names), where
    assert "ท่าใหม่, ระยอง" in client.get(f"/track/{other['tracking_code']}").get_data(as_text=True)


@pytest.mark.parametrize("typed", ["DIW-2569-999999", "NOPE-2569-000001"])
def test_an_unknown_code_gets_a_friendly_404(client, typed):
    response = client.get(f"/track/{typed}")
    assert response.status_code == 404
    assert "ไม่พบเรื่องเลขที่" in response.get_data(as_text=True)
    assert 'name="code"' in response.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["hello", "DIW-2569", "'; DROP TABLE case; --", "x" * 500, "<script>x</script>"])
def test_a_malformed_code_gets_a_friendly_404(client, typed):
    response = client.get("/track", query_string={"code": typed})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "เลขที่เรื่องไม่ถูกต้อง" in html and "<script>x" not in html
    assert client.get(f"/track/{typed[:60]}").status_code == 404


def test_the_lookup_form_redirects_to_the_canonical_page(client, make_case):
    code = make_case("DPIM")["tracking_code"]
    agency, year, number = code.split("-")
    response = client.get("/track", query_string={"code": f"  {agency.lower()}-{year}-{int(number)} "})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/track/{code}")
    assert client.get(f"/track/{code.lower()}").status_code == 301
    assert client.get("/track?code=&lang=en").status_code == 400
    assert client.get("/track").status_code == 200


def test_home_is_public_for_visitors_and_the_case_list_for_staff(client, browser):
    home = client.get("/")
    html = home.get_data(as_text=True)
    assert home.status_code == 200 and 'action="/track"' in html and 'href="/complain"' in html
    staff = browser("diw.officer").get("/")
    assert staff.status_code == 302 and "/cases/list" in staff.headers["Location"]


def test_nothing_changes_on_a_get(app, client, make_case):
    from tests.integration.public_support import counts

    code = make_case("DIW")["tracking_code"]
    before = counts(app)
    for url in ("/", "/track", f"/track/{code}", "/complain", f"/track/{code}/private/not-a-token",
                f"/track/{code}/private/x/rate", "/open311/v2/requests.json", "/open311/v2/services.xml"):
        client.get(url)
    assert counts(app) == before


def test_a_connection_the_server_dropped_is_replaced_without_an_error(app, client, make_case):
    """The status page's own pool skips the liveness ping; a dead connection costs one retry."""
    from sqlalchemy import text

    from app.extensions import db

    code = make_case("DIW")["tracking_code"]
    assert client.get(f"/track/{code}").status_code == 200
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the separate pool is used on PostgreSQL only")
        hot = app.extensions["rueang_hot_reads"]
        raw = hot.raw_connection()
        pid = raw.driver_connection.info.backend_pid
        raw.close()
        db.session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        db.session.commit()
    assert client.get(f"/track/{code}").status_code == 200


@pytest.mark.parametrize("lang, words, staff_words", [
    ("th", "ตรวจสอบที่อยู่", "ขอบเขตของท่าน"),
    ("en", "Check the address", "outside your agency"),
])
def test_a_mistyped_address_tells_a_visitor_what_to_do_not_about_agencies(client, lang, words, staff_words):
    """A visitor has no agency: the staff's 'outside your agency' would only puzzle them."""
    page = client.get(f"/track/DIW-2569-000001/extra?lang={lang}")
    html = page.get_data(as_text=True)
    assert page.status_code == 404 and words in html and staff_words not in html


def test_the_staff_sign_in_opens_in_the_language_the_public_pages_were_read_in(client):
    """From an English public page the sign-in opened in Thai (the staff screens keep their
    language in the session, the public pages in ?lang=)."""
    footer_link = '/staff-sign-in?lang=en'
    assert footer_link in client.get("/track?lang=en").get_data(as_text=True)
    answer = client.get(footer_link)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/login/")
    assert '<html lang="en"' in client.get("/login/").get_data(as_text=True)
    client.get("/staff-sign-in?lang=th")  # from a page read in Thai: Thai again
    assert '<html lang="th"' in client.get("/login/").get_data(as_text=True)

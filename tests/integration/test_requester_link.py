"""The requester's private link: rate once the case is closed, reopen it once, and nothing at all
with a wrong token."""
import pytest

from tests.integration.public_support import PublicVisitor, counts, filed, good_form, uploads  # noqa: F401


@pytest.fixture()
def complaint(app, uploads):
    visitor = PublicVisitor(app)
    code, token = filed(visitor.post("/complain", good_form(app, contact_name="ผู้ร้อง ทดสอบ"), follow_redirects=True))
    return visitor, code, token


def _case(app, code):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Case

    with app.app_context():
        case = db.session.execute(select(Case).where(Case.tracking_code == code)).scalar_one()
        db.session.expunge(case)
        return case


def _close(app, code, status="resolved"):
    from app.services import cases
    from app.services.actor import Actor

    with app.app_context():
        cases.change_status(Actor.system("tests"), _case(app, code).id, status, note="ดำเนินการแล้ว")


def _events(app, code):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import CaseEvent

    with app.app_context():
        rows = db.session.execute(select(CaseEvent.kind, CaseEvent.source, CaseEvent.public, CaseEvent.note)
                                  .where(CaseEvent.case_id == _case(app, code).id).order_by(CaseEvent.id)).all()
        return [tuple(row) for row in rows]


def test_the_private_page_waits_for_the_case_to_close(app, complaint):
    visitor, code, token = complaint
    page = visitor.client.get(f"/track/{code}/private/{token}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "เมื่อเรื่องปิดแล้ว" in html and 'name="stars"' not in html
    refused = visitor.post(f"/track/{code}/private/{token}/rate", {"stars": "5"})
    assert refused.status_code == 409 and "เมื่อเรื่องปิดแล้ว" in refused.get_data(as_text=True)
    assert _case(app, code).satisfaction is None


def test_rating_a_closed_case(app, complaint):
    visitor, code, token = complaint
    _close(app, code)
    for bad in ("0", "6", "five", ""):
        response = visitor.post(f"/track/{code}/private/{token}/rate", {"stars": bad})
        assert response.status_code == 400 and "1 ถึง 5 ดาว" in response.get_data(as_text=True)
    response = visitor.post(f"/track/{code}/private/{token}/rate", {"stars": "4"})
    assert response.status_code == 303
    page = visitor.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ท่านให้ 4 ดาว" in page
    assert _case(app, code).satisfaction == 4
    rating = [e for e in _events(app, code) if e[0] == "rating"]
    assert rating == [("rating", "public", False, None)]
    public_page = app.test_client().get(f"/track/{code}").get_data(as_text=True)
    assert "4 ดาว" not in public_page


def test_the_english_rating_reads_well_for_one_star(app, complaint):
    visitor, code, token = complaint
    _close(app, code)
    page = visitor.client.get(f"/track/{code}/private/{token}?lang=en").get_data(as_text=True)
    assert "1 stars" not in page
    response = visitor.post(f"/track/{code}/private/{token}/rate?lang=en", {"stars": "1", "lang": "en"})
    assert response.status_code == 303
    page = visitor.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you" in page and "1 stars" not in page


def test_reopening_once_only(app, complaint):
    visitor, code, token = complaint
    _close(app, code, "rejected")
    reason = "ยังได้กลิ่นทุกคืน ติดต่อ 0812345678"
    assert visitor.post(f"/track/{code}/private/{token}/reopen", {"note": ""}).status_code == 400
    response = visitor.post(f"/track/{code}/private/{token}/reopen", {"note": reason})
    assert response.status_code == 303
    case = _case(app, code)
    assert (case.status, case.reopen_count) == ("in_progress", 1)
    events = _events(app, code)
    assert ("reopen", "public", False, reason) in events
    public_page = app.test_client().get(f"/track/{code}").get_data(as_text=True)
    assert "เปิดเรื่องใหม่" in public_page and "0812345678" not in public_page

    _close(app, code)
    html = visitor.client.get(f"/track/{code}/private/{token}").get_data(as_text=True)
    assert "ใช้เปิดเรื่องใหม่ไปแล้ว" in html and 'name="note"' not in html
    again = visitor.post(f"/track/{code}/private/{token}/reopen", {"note": "อีกครั้ง"})
    assert again.status_code == 409 and "ใช้เปิดเรื่องใหม่ไปแล้ว" in again.get_data(as_text=True)
    assert _case(app, code).status == "resolved"


def test_a_wrong_token_is_not_found_and_changes_nothing(app, complaint):
    visitor, code, token = complaint
    _close(app, code)
    before = counts(app)
    wrong = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for url, data in [(f"/track/{code}/private/{wrong}", None), (f"/track/{code}/private/{wrong}/rate", {"stars": "1"}),
                      (f"/track/{code}/private/{wrong}/reopen", {"note": "x"}),
                      # A bad answer on a wrong link was checked first, and then the link: a 500.
                      (f"/track/{code}/private/{wrong}/rate", {"stars": "ten"}),
                      (f"/track/{code}/private/{wrong}/reopen", {"note": ""}),
                      (f"/track/DIW-2569-999999/private/{token}/rate", {}),
                      (f"/track/DIW-2569-999999/private/{token}", None), (f"/track/nonsense/private/{token}", None)]:
        response = visitor.client.get(url) if data is None else visitor.post(url, data)
        assert response.status_code == 404, url
        assert "ไม่พบเรื่อง" in response.get_data(as_text=True)
    assert counts(app) == before and _case(app, code).satisfaction is None


def test_the_private_forms_need_the_csrf_token(app, complaint):
    _, code, token = complaint
    _close(app, code)
    response = app.test_client().post(f"/track/{code}/private/{token}/rate", data={"stars": "5"})
    assert response.status_code == 400 and _case(app, code).satisfaction is None


def test_a_refused_reason_or_rating_is_tied_to_its_field_and_the_reason_kept(app, complaint):
    """A reason of spaces only (the browser lets it through) was refused in a message above the
    page: the field was emptied, not marked, nor described by the message; a refused rating too."""
    from tests.integration.a11y_support import Page

    visitor, code, token = complaint
    _close(app, code)
    refused = visitor.post(f"/track/{code}/private/{token}/reopen", {"note": "   \n  "})
    assert refused.status_code == 400
    page = Page(refused.get_data(as_text=True))
    note = page.ids["note"]
    assert note.get("aria-invalid") == "true" and "กรุณาระบุเหตุผล" in page.described_by(note)
    assert page.ids[note.get("aria-describedby")].get("role") == "alert"
    refused = visitor.post(f"/track/{code}/private/{token}/rate", {"stars": "9"})
    page = Page(refused.get_data(as_text=True))
    stars = page.find("fieldset", class_="stars")
    assert stars.get("aria-invalid") is None and page.described_by(stars)
    assert all(radio.get("aria-invalid") == "true" for radio in stars.find_all("input"))
    assert page.ids["note"].get("aria-invalid") is None
    # What was typed stays in the field when another rule refuses it.
    long_reason = "ก" * 5001
    refused = visitor.post(f"/track/{code}/private/{token}/reopen", {"note": long_reason})
    assert refused.status_code == 400 and Page(refused.get_data(as_text=True)).ids["note"].text() == long_reason

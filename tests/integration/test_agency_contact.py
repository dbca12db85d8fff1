"""An agency's public contact: set by administrators on the agency screen (checked, recorded in the
settings history), shown on the status page of each case the agency holds and on the
confirmation after a complaint, and nowhere when it is not set."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Agency, SettingsChange
from tests.integration.public_support import PublicVisitor, filed, good_form, uploads  # noqa: F401  (fixture)

CONTACT = {"contact_phone": "1569, 02-202-4000 ต่อ 4100", "contact_email": "saraban@diw.mail.go.th",
           "contact_office": "75/6 ถนนพระรามที่ 6 ราชเทวี กรุงเทพฯ\nจันทร์-ศุกร์ 08:30-16:30 น."}
FIELDS = tuple(CONTACT)


def _form(**changes) -> dict:
    data = {"code": "DIW", "short_th": "กรอ.", "name_th": "กรมโรงงานอุตสาหกรรม",
            "name_en": "Department of Industrial Works", "description": "", "active": "y", **CONTACT,
            "connector_kind": "", "connector_settings": "", "status_map": "", "sync_interval_minutes": "15"}
    data.update(changes)
    return data


def _contact(app, agency_id: int) -> tuple:
    with app.app_context():
        agency = db.session.get(Agency, agency_id)
        contact = tuple(getattr(agency, key) for key in FIELDS)
        db.session.rollback()
    return contact


def test_an_administrator_sets_the_contact_and_the_history_records_it(app, browser, diw_agency):
    admin = browser("admin")
    assert admin.post(f"/agencies/edit/{diw_agency}", data=_form(contact_email="  saraban@diw.mail.go.th ")).status_code == 302
    assert _contact(app, diw_agency) == tuple(CONTACT.values())
    with app.app_context():
        last = db.session.execute(select(SettingsChange).where(SettingsChange.entity == "agency")
                                  .order_by(SettingsChange.id.desc())).scalars().first()
        assert {entry["field"] for entry in last.changes} >= set(FIELDS)
    page = admin.get(f"/agencies/show/{diw_agency}").get_data(as_text=True)
    assert "saraban@diw.mail.go.th" in page and "โทรศัพท์สำหรับประชาชน" in page
    # Emptied fields are stored as nothing, not as blanks.
    admin.post(f"/agencies/edit/{diw_agency}", data=_form(contact_phone=" ", contact_email="", contact_office=""))
    assert _contact(app, diw_agency) == (None, None, None)


@pytest.mark.parametrize("lang, field, value, message", [
    ("th", "contact_phone", "โทรหาคุณสมชาย", "ไม่ใช่หมายเลขโทรศัพท์"),
    ("en", "contact_phone", "02-202-300", "is not a phone number"),
    ("th", "contact_email", "saraban", "รูปแบบอีเมลไม่ถูกต้อง"),
    ("en", "contact_email", "saraban", "Not an email address"),
])
def test_a_bad_contact_is_refused_in_the_readers_language_and_nothing_is_saved(app, browser, diw_agency, lang, field,
                                                                              value, message):
    admin = browser("admin")
    before = _contact(app, diw_agency)
    admin.get(f"/lang/{lang}")
    page = admin.post(f"/agencies/edit/{diw_agency}", data=_form(**{field: value}))
    assert page.status_code == 200 and message in page.get_data(as_text=True)
    assert _contact(app, diw_agency) == before


def _set_contact(app, agency_id: int, **values) -> None:
    with app.app_context():
        agency = db.session.get(Agency, agency_id)
        for key in FIELDS:
            setattr(agency, key, values.get(key))
        db.session.commit()


def test_the_status_page_shows_how_to_reach_the_agency(app, diw_agency, make_case):
    from app.services import cases
    from app.services.actor import Actor

    _set_contact(app, diw_agency, **CONTACT)
    case = make_case("DIW")
    visitor = PublicVisitor(app)
    page = visitor.client.get(f"/track/{case['tracking_code']}").get_data(as_text=True)
    assert "ติดต่อกรมโรงงานอุตสาหกรรม" in page
    assert '<a href="tel:1569">1569, 02-202-4000 ต่อ 4100</a>' in page
    assert 'href="mailto:saraban@diw.mail.go.th"' in page and "จันทร์-ศุกร์ 08:30-16:30 น." in page
    assert case["tracking_code"] in page.split('id="contact-heading"')[1]
    assert "หน่วยงานรอเอกสาร" not in page
    english = visitor.client.get(f"/track/{case['tracking_code']}?lang=en").get_data(as_text=True)
    assert "Contact Department of Industrial Works" in english

    # Waiting for the applicant: the page says the agency waits for them, and where to send it.
    with app.app_context():
        cases.change_status(Actor.system("tests"), case["id"], "waiting_applicant", note="ขอสำเนาใบอนุญาต",
                            public=True)
    page = visitor.client.get(f"/track/{case['tracking_code']}").get_data(as_text=True)
    assert "หน่วยงานรอเอกสารหรือข้อมูลเพิ่มเติมจากท่าน" in page


def test_no_contact_set_shows_no_contact_section(app, diw_agency, make_case):
    _set_contact(app, diw_agency)
    case = make_case("DIW")
    page = PublicVisitor(app).client.get(f"/track/{case['tracking_code']}").get_data(as_text=True)
    assert 'id="contact-heading"' not in page


def test_the_confirmation_after_a_complaint_says_whom_to_contact(app, diw_agency, uploads):  # noqa: F811
    _set_contact(app, diw_agency, contact_phone="1569")
    visitor = PublicVisitor(app)
    visitor.form()
    page = visitor.post("/complain", good_form(app), follow_redirects=True)
    code, _ = filed(page)
    html = page.get_data(as_text=True)
    assert '<a href="tel:1569">1569</a>' in html and f"โปรดแจ้งเลขที่เรื่อง {code}" in html

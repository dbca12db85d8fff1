"""A citizen on a phone, in headless Chromium, with no account: a complaint refused with Thai
messages and what was typed kept, then filed with a district from the suggestions, the phone's
location and a photo; its tracking code looked up on the status page, which shows how the case
stands and nothing of the person who filed it."""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from tests.e2e.browser_support import SHOTS, assert_own_origin

PHONE = {"width": 390, "height": 844}
NAME, PHONE_NUMBER, EMAIL = "นางสาวผู้ร้อง ทดสอบเบราว์เซอร์", "0812345670", "citizen.browser@example.org"
PLACE = {"latitude": 13.7563412, "longitude": 100.5018123}


@pytest.fixture()
def photo(tmp_path):
    path = tmp_path / "กลิ่นเหม็น.jpg"
    image = Image.new("RGB", (640, 480), (120, 160, 90))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture()
def uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


def test_a_citizen_files_a_complaint_and_follows_it(app, served, browser_page, photo, uploads):
    page, base = browser_page, served
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(PLACE)

    page.goto(f"{base}/complain")
    page.fill("#title", "กลิ่นเหม็นจากโรงงานทุกคืน")
    page.click("form.complaint button[type=submit]")
    page.wait_for_load_state("load")
    # Refused: each missing field named in Thai, and what was typed is still there.
    errors = page.inner_text("#form-errors")
    assert re.search(r"[\u0e00-\u0e7f]", errors) and page.locator("[aria-invalid=true]").count() >= 3
    assert page.input_value("#title") == "กลิ่นเหม็นจากโรงงานทุกคืน"
    page.screenshot(path=str(SHOTS / "complaint-refused.png"), full_page=True)

    first_type = page.eval_on_selector("#case_type", "s => s.querySelector('option[value]:not([value=\"\"])').value")
    page.select_option("#case_type", first_type)
    page.fill("#description", "มีกลิ่นเหม็นคล้ายยางไหม้จากโรงงานใกล้บ้านทุกคืนตั้งแต่สองทุ่ม")
    page.select_option("#province", label="ระยอง")
    suggestions = page.eval_on_selector_all("#district-names option", "options => options.map(o => o.value)")
    assert suggestions and all(re.search(r"[\u0e00-\u0e7f]", name) for name in suggestions)
    page.fill("#district", suggestions[0])
    page.click("#use-location")
    page.wait_for_function("() => document.getElementById('latitude').value !== ''")
    assert float(page.input_value("#latitude")) == pytest.approx(PLACE["latitude"], abs=1e-5)
    page.set_input_files("#photos", str(photo))
    page.fill("#contact_name", NAME)
    page.fill("#contact_phone", PHONE_NUMBER)
    page.fill("#contact_email", EMAIL)
    page.click("form.complaint button[type=submit]")
    page.wait_for_selector("#tracking-code")
    code = page.inner_text("#tracking-code").strip()
    assert re.fullmatch(r"[A-Z]+-\d{4}-\d{6}", code), code
    assert page.url == f"{base}/complain/filed", "the form's answer is a redirect, so a reload cannot send it again"
    private_link = page.get_attribute("#private-link", "href")
    page.screenshot(path=str(SHOTS / "complaint-filed.png"), full_page=True)
    page.reload()
    assert page.inner_text("#tracking-code").strip() == code
    assert page.get_attribute("#private-link", "href") == private_link
    assert _cases_filed_by(app, NAME) == 1

    # The status page, as anyone with the code sees it: the case, and nothing about who filed it.
    page.context.clear_cookies()
    page.goto(f"{base}/track")
    page.fill("input[name=code]", code.lower())
    page.click("form button[type=submit]")
    page.wait_for_load_state("load")
    shown = page.inner_text("body")
    assert code in shown and "รับเรื่อง" in shown
    for personal in (NAME, PHONE_NUMBER, EMAIL, "ยางไหม้", str(PLACE["latitude"])):
        assert personal not in page.content(), personal
    page.screenshot(path=str(SHOTS / "status-page.png"), full_page=True)

    # The officer sees the person, the place and the photo.
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Case
    from app.models.attachment import CaseAttachment

    with app.app_context():
        case = db.session.execute(select(Case).where(Case.tracking_code == code)).scalar_one()
        assert (case.requester_name, case.requester_phone, case.requester_email) == (NAME, PHONE_NUMBER, EMAIL)
        assert case.latitude == pytest.approx(PLACE["latitude"], abs=1e-5) and case.district == suggestions[0]
        assert db.session.execute(select(func.count()).where(CaseAttachment.case_id == case.id)).scalar_one() == 1
    assert_own_origin(page, base)


def _cases_filed_by(app, name: str) -> int:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Case

    with app.app_context():
        try:
            return db.session.execute(select(func.count()).where(Case.requester_name == name)).scalar_one()
        finally:
            db.session.rollback()


def test_a_photo_too_large_is_refused_before_the_form_is_sent(app, served, browser_page, tmp_path, monkeypatch):
    """A photo past the limit, in a form past the request limit, would be refused by the server
    before it reads a field (413): the page would lose everything typed. The browser checks the
    chosen photos first, says what is wrong beside them, and sends nothing."""
    page, base = browser_page, served
    monkeypatch.setitem(app.config, "PUBLIC_MAX_PHOTO_BYTES", 100 * 1024)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 200 * 1024)
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff\xd8\xff" + bytes(300 * 1024))
    page.set_viewport_size(PHONE)
    for lang, words in (("th", "รูปภาพที่ 1: ไฟล์ใหญ่เกินไป"), ("en", "Photo 1: the file is too large")):
        page.goto(f"{base}/complain?lang={lang}")
        page.fill("#title", "น้ำเสียลงคลอง")
        page.fill("#description", "โรงงานปล่อยน้ำเสียลงคลองทุกเช้า")
        page.set_input_files("#photos", str(big))
        page.click("form.complaint button[type=submit]")
        page.wait_for_timeout(300)
        assert "/complain" in page.url and page.input_value("#title") == "น้ำเสียลงคลอง"
        assert page.input_value("#description") == "โรงงานปล่อยน้ำเสียลงคลองทุกเช้า"
        assert words in page.inner_text("#photos-check")
        assert page.get_attribute("#photos", "aria-invalid") == "true"
        assert "photos-check" in page.get_attribute("#photos", "aria-describedby")


def test_choosing_other_photos_clears_what_the_server_said_of_the_ones_sent(app, served, browser_page, tmp_path,
                                                                            monkeypatch):
    """"Photo 1 is not a photo" stayed beside the field and in the list above the form after
    another photo was chosen, which the page itself then found too large: two messages about one
    photo that disagreed."""
    page, base = browser_page, served
    monkeypatch.setitem(app.config, "PUBLIC_MAX_PHOTO_BYTES", 100 * 1024)
    fake = tmp_path / "not-a-photo.jpg"
    fake.write_bytes(b"just text, not a picture")
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff\xd8\xff" + bytes(300 * 1024))
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/complain")
    page.fill("#title", "น้ำเสียลงคลอง")
    page.set_input_files("#photos", str(fake))
    page.click("form.complaint button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("#photos-error").count() == 1
    assert page.locator('#form-errors a[href="#photos"]').count() == 1
    page.set_input_files("#photos", str(big))
    assert page.locator("#photos-error").count() == 0
    assert page.locator('#form-errors a[href="#photos"]').count() == 0
    assert "รูปภาพที่ 1: ไฟล์ใหญ่เกินไป" in page.inner_text("#photos-check")
    assert "photos-error" not in (page.get_attribute("#photos", "aria-describedby") or "")
    assert page.locator("#form-errors").is_visible()  # the other fields' messages stay


def test_a_double_tap_on_a_slow_connection_files_the_complaint_once(app, served, browser_page, uploads,
                                                                    monkeypatch):
    """The first sending is on its way (the server is slow to answer) when the button is tapped
    again: the page drops the second, and says it is sending."""
    import time

    from app.views import public

    real_file_complaint = public.file_complaint

    def slow_file_complaint(*args, **kwargs):
        time.sleep(1.0)
        return real_file_complaint(*args, **kwargs)

    monkeypatch.setattr(public, "file_complaint", slow_file_complaint)
    page, base = browser_page, served
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/complain")
    first_type = page.eval_on_selector("#case_type", "s => s.querySelector('option[value]:not([value=\"\"])').value")
    page.select_option("#case_type", first_type)
    page.fill("#title", "เสียงดังจากโรงงานตอนกลางคืน")
    page.fill("#description", "เครื่องจักรดังทั้งคืน")
    page.select_option("#province", label="ระยอง")
    page.fill("#district", "เมืองระยอง")
    page.fill("#contact_name", "นายแตะสอง ครั้งเดียว")
    sent = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    button = page.locator("form.complaint button[type=submit]")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # Taps as a finger makes them: the page cannot be asked anything while its form is on its way.
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_selector("#tracking-code", timeout=15_000)
    time.sleep(1.5)  # a second sending, had it left, would be filed by now
    assert len([url for url in sent if url.endswith("/complain")]) == 1, sent
    assert _cases_filed_by(app, "นายแตะสอง ครั้งเดียว") == 1


def test_switching_language_keeps_what_was_typed(served, browser_page):
    """The language links load the form again: what was typed came back empty."""
    page, base = browser_page, served
    page.goto(f"{base}/complain")
    page.select_option("#province", label="ระยอง")
    page.fill("#title", "น้ำเสียลงคลอง")
    page.fill("#description", "โรงงานปล่อยน้ำเสียลงคลองทุกเช้า")
    page.fill("#contact_phone", PHONE_NUMBER)
    page.click(".langs a[hreflang=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.input_value("#title") == "น้ำเสียลงคลอง"
    assert page.input_value("#description") == "โรงงานปล่อยน้ำเสียลงคลองทุกเช้า"
    assert page.input_value("#contact_phone") == PHONE_NUMBER
    assert page.locator("#province option:checked").inner_text() == "Rayong"
    # Put back once: the tab keeps nothing of it afterwards.
    assert page.evaluate("window.sessionStorage.getItem('rueang-complaint-draft')") is None
    page.goto(f"{base}/complain")
    assert page.input_value("#title") == ""


def test_a_long_link_in_an_agency_note_stays_within_a_phone_screen(app, served, browser_page, make_case):
    """Staff often paste a link into a public note; unbroken, it pushed the whole status page
    sideways on a phone."""
    from app.services import cases
    from app.services.actor import Actor

    page, base = browser_page, served
    made = make_case("DIW", province="ระยอง", district="เมืองระยอง")
    with app.app_context():
        cases.add_note(Actor.system("tests"), made["id"], "ดูประกาศได้ที่ https://www.diw.go.th/webdiw/"
                       "announcement_on_factory_odour_inspection_results/rayong/2569/final_version.pdf", public=True)
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto(f"{base}/track/{made['tracking_code']}")
    assert "announcement_on_factory" in page.inner_text(".timeline")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

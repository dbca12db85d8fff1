"""The complaint form without an account: good complaints land in the right agency at once; bad
ones get a clear message in Thai and English and write nothing (no case, no file)."""
import io
import re

import pytest
from PIL import Image

from tests.integration.public_support import (
    PublicVisitor, counts, filed, files_in, good_form, jpeg, type_id, uploads,  # noqa: F401  (fixture)
)


def test_the_form_offers_public_complaint_types_only(app):
    page = PublicVisitor(app).form().get_data(as_text=True)
    assert 'name="csrf_token"' in page and 'name="website"' in page
    assert f'value="{type_id(app, "DIW-NUISANCE")}"' in page
    assert f'value="{type_id(app, "DIW-RNG4")}"' not in page  # a licence application, not a complaint
    assert "กรุงเทพมหานคร" in page and "ระยอง" in page
    assert "https://" not in page and "http://" not in page.replace('http://localhost', '')


@pytest.mark.parametrize("lang, title_hint, description_hint", [
    ("th", "ไม่เกิน 300 ตัวอักษร", "(ไม่เกิน 10,000 ตัวอักษร)"),
    ("en", "At most 300 characters", "(at most 10,000 characters)"),
])
def test_the_form_says_how_long_the_subject_and_the_description_may_be(app, lang, title_hint, description_hint):
    """The browser stops typing at the limit (maxlength): the form says where that is, so that a
    pasted text cut short is no surprise."""
    page = PublicVisitor(app).form(lang).get_data(as_text=True)
    assert re.search(r'<input id="title"[^>]* maxlength="300"[^>]* aria-describedby="title-hint"', page)
    assert f'<p class="hint" id="title-hint">{title_hint}</p>' in page
    assert re.search(r'<textarea id="description"[^>]* maxlength="10000"', page)
    assert re.search(rf'<p class="hint" id="description-hint">[^<]+ {re.escape(description_hint)}</p>', page)


def test_the_private_link_hint_says_how_long_the_page_keeps_it(app, uploads):
    visitor = PublicVisitor(app)
    visitor.form("en")
    page = visitor.post("/complain?lang=en", {**good_form(app), "lang": "en"}, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "Copy it now: this page shows it for an hour, in this browser only" in html
    assert "will not be shown again" not in html


def _province_options(page: str) -> list[str]:
    select = re.search(r'<select id="province".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)


def test_the_provinces_are_listed_in_each_language_s_dictionary_order(app):
    thai = _province_options(PublicVisitor(app).form().get_data(as_text=True))
    assert len(thai) == 77
    assert thai[thai.index("ชุมพร"):thai.index("ตรัง") + 1] == ["ชุมพร", "เชียงราย", "เชียงใหม่", "ตรัง"]
    assert thai[thai.index("พิษณุโลก"):thai.index("ภูเก็ต") + 1] == ["พิษณุโลก", "เพชรบุรี", "เพชรบูรณ์", "แพร่",
                                                                     "ภูเก็ต"]
    assert thai[-1] == "อุบลราชธานี"
    english = _province_options(PublicVisitor(app).form("en").get_data(as_text=True))
    assert english == sorted(english, key=str.casefold) and english[0] == "Amnat Charoen"


def test_a_complaint_lands_in_the_agency_list_with_photos_and_a_private_link(app, browser, uploads):
    visitor = PublicVisitor(app)
    response = visitor.post("/complain", {**good_form(app, contact_name="สมหญิง รักบ้าน", contact_phone="0812345678",
                                                      latitude="12.6814", longitude="101.2816"),
                                          "photos": [(io.BytesIO(jpeg()), "IMG_0001.jpg"),
                                                     (io.BytesIO(jpeg(gps=False)), "second.JPG")]},
                            content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200, response.get_data(as_text=True)[-3000:]
    assert [r.status_code for r in response.history] == [303]
    assert response.headers["Cache-Control"] == "no-store"
    code, token = filed(response)
    assert code.startswith("DIW-") and len(token) >= 40

    officer = browser("diw.officer")
    assert code in officer.get("/cases/list/").get_data(as_text=True)
    assert code not in browser("ops.officer").get("/cases/list/").get_data(as_text=True)

    from sqlalchemy import select

    from app.extensions import db
    from app.models import Case, CaseAttachment, CaseEvent, RequesterLink

    with app.app_context():
        case = db.session.execute(select(Case).where(Case.tracking_code == code)).scalar_one()
        assert (case.channel, case.requester_phone, case.province) == ("web", "0812345678", "ระยอง")
        created = db.session.execute(select(CaseEvent).where(CaseEvent.case_id == case.id)).scalar_one()
        assert (created.kind, created.source, created.origin) == ("created", "public", "127.0.0.1")
        photos = db.session.execute(select(CaseAttachment).where(CaseAttachment.case_id == case.id)).scalars().all()
        link = db.session.get(RequesterLink, case.id)
        assert token not in link.token_hash and len(link.token_hash) == 64
        case_id = case.id
    stored = files_in(uploads)
    assert len(photos) == 2 and len(stored) == 2
    for photo, path in zip(sorted(photos, key=lambda p: p.stored_name), sorted(stored, key=lambda p: p.name)):
        assert path.name == photo.stored_name and "IMG_0001" not in path.name
        with Image.open(path) as image:
            assert image.format == "JPEG" and not image.getexif() and not image.getexif().get_ifd(0x8825)
        assert b"Sentinel Somchai" not in path.read_bytes()

    page = officer.get(f"/cases/show/{case_id}").get_data(as_text=True)
    for photo in photos:
        assert f"/case-photos/{photo.id}" in page
        served = officer.get(f"/case-photos/{photo.id}")
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        assert browser("ops.officer").get(f"/case-photos/{photo.id}").status_code == 404
        anonymous = app.test_client().get(f"/case-photos/{photo.id}")
        assert anonymous.status_code in (302, 401, 403)
    public_page = app.test_client().get(f"/track/{code}").get_data(as_text=True)
    assert "/case-photos/" not in public_page


@pytest.mark.usefixtures("uploads")
def test_filing_redirects_to_a_confirmation_that_a_reload_shows_again_without_filing_twice(app):
    visitor = PublicVisitor(app)
    before = counts(app)
    response = visitor.post("/complain", good_form(app))
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.endswith("/complain/filed") and "private" not in location
    assert counts(app)['"case"'] == before['"case"'] + 1
    after_filing = counts(app)

    first = visitor.client.get(location)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    code, token = filed(first)
    again = visitor.client.get(location)
    assert again.status_code == 200 and filed(again) == (code, token)
    assert counts(app) == after_filing, "reloading the confirmation filed the complaint again"
    assert visitor.client.get(f"/track/{code}/private/{token}").status_code == 200


@pytest.mark.usefixtures("uploads")
def test_the_confirmation_keeps_the_language_the_form_was_sent_in(app):
    visitor = PublicVisitor(app)
    visitor.form("en")
    response = visitor.post("/complain?lang=en", {**good_form(app), "lang": "en"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/complain/filed?lang=en")
    page = visitor.client.get(response.headers["Location"])
    assert "Your tracking code" in page.get_data(as_text=True)
    code, token = filed(page)
    assert "?lang=en" in page.get_data(as_text=True).split(f"/private/{token}", 1)[1][:10]


@pytest.mark.usefixtures("uploads")
@pytest.mark.parametrize("lang, agency, next_step", [
    ("th", "กรมโรงงานอุตสาหกรรม", "ขั้นตอนต่อไป"),
    ("en", "Department of Industrial Works", "What happens next"),
])
def test_the_confirmation_says_what_happens_next(app, lang, agency, next_step):
    """Who has the complaint now, by when it should be done (as the status page shows it), and
    how to keep the code: a person leaving the page must not wonder whether anyone got it."""
    from app.i18n import format_date
    from app.services import public_status

    visitor = PublicVisitor(app)
    visitor.form(lang)
    page = visitor.post(f"/complain?lang={lang}", {**good_form(app), "lang": lang}, follow_redirects=True)
    code, _ = filed(page)
    html = page.get_data(as_text=True)
    with app.app_context():
        due = public_status.find(code).due_date
    assert next_step in html and agency in html and format_date(due, lang) in html
    assert ("ภาพหน้าจอ" if lang == "th" else "screenshot") in html


def test_the_confirmation_with_nothing_filed_goes_to_the_form(app):
    response = app.test_client().get("/complain/filed")
    assert response.status_code in (302, 303) and response.headers["Location"].endswith("/complain")
    english = app.test_client().get("/complain/filed?lang=en")
    assert english.headers["Location"].endswith("/complain?lang=en")


@pytest.mark.usefixtures("uploads")
def test_the_confirmation_is_not_shown_again_once_its_time_is_up(app, monkeypatch):
    visitor = PublicVisitor(app)
    location = visitor.post("/complain", good_form(app)).headers["Location"]
    assert visitor.client.get(location).status_code == 200
    import app.views.public as public_views

    monkeypatch.setattr(public_views, "FILED_SHOWN_SECONDS", -1)
    later = visitor.client.get(location)
    assert later.status_code in (302, 303) and later.headers["Location"].endswith("/complain")


@pytest.mark.usefixtures("uploads")
def test_after_filing_the_status_page_still_sets_no_cookie(app):
    visitor = PublicVisitor(app)
    code, _ = filed(visitor.post("/complain", good_form(app), follow_redirects=True))
    response = visitor.client.get(f"/track/{code}")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def _refused(app, uploads, data, *, status=400, lang=None, **kw):
    before, files_before = counts(app), files_in(uploads)
    visitor = PublicVisitor(app)
    visitor.form(lang)
    if lang:
        data = {**data, "lang": lang}
    response = visitor.post(f"/complain?lang={lang}" if lang else "/complain", data, **kw)
    expected = status if isinstance(status, tuple) else (status,)
    assert response.status_code in expected, response.get_data(as_text=True)[-2000:]
    assert counts(app) == before, "a refused complaint wrote something"
    assert files_in(uploads) == files_before, "a refused complaint left a file"
    return response.get_data(as_text=True)


@pytest.mark.parametrize("changes, thai, english", [
    ({"case_type": None, "title": None, "description": None, "province": None, "district": None},
     "เรื่อง (สรุปสั้น ๆ)", "Subject: is required."),
    ({"title": "ก" * 301}, "ยาวเกินไป", "is too long"),
    ({"latitude": "51.5072", "longitude": "-0.1276"}, "อยู่นอกประเทศไทย", "is outside Thailand"),
    ({"province": "Atlantis"}, "ไม่พบจังหวัด", "is not a province of Thailand"),
    ({"contact_email": "nobody-at-example"}, "รูปแบบอีเมลไม่ถูกต้อง", "is not an email address"),
    # A digit to str.isdigit() that int() refuses: the field's message, not a server error.
    ({"case_type": "²"}, "ประเภทเรื่องร้องเรียน: กรุณาเลือกจากรายการ", "Kind of complaint: choose one from the list."),
    ({"case_type": "9" * 40}, "ประเภทเรื่องร้องเรียน: กรุณาเลือกจากรายการ", "Kind of complaint: choose one from the list."),
])
def test_bad_fields_get_messages_in_both_languages_and_write_nothing(app, uploads, changes, thai, english):
    if "title" in changes and changes["title"] is None:
        thai = "เรื่อง: กรุณากรอก"
    page = _refused(app, uploads, good_form(app, **changes))
    assert thai in page and 'aria-invalid="true"' in page
    page_en = _refused(app, uploads, good_form(app, **changes), lang="en")
    assert english in page_en


def test_missing_fields_are_each_named(app, uploads):
    page = _refused(app, uploads, {"title": "", "description": ""}, lang="en")
    for message in ("Kind of complaint: is required.", "Subject: is required.", "What happened: is required.",
                    "Province: is required.", "District: is required."):
        assert message in page


@pytest.mark.parametrize("multipart", [False, True])
def test_ten_megabytes_of_text_is_refused_clearly(app, uploads, multipart):
    # Whether the body is refused whole (413) or the field is named (400), the message says why.
    data = good_form(app, description="x" * (10 * 1024 * 1024))
    kw = {"content_type": "multipart/form-data"} if multipart else {}
    page = _refused(app, uploads, data, status=(400, 413), lang="en", **kw)
    assert "10,000" in page and ("too long" in page or "too large" in page)
    thai = _refused(app, uploads, good_form(app, title="ก" * (3 * 1024 * 1024)), status=(400, 413))
    assert "ยาวเกินไป" in thai or "ใหญ่เกินไป" in thai


def test_fields_of_invisible_characters_alone_are_missing(app, uploads):
    page = _refused(app, uploads, good_form(app, title="\u200b\u200b", description="\x01\x02", district="\x7f"),
                    lang="en")
    for message in ("Subject: is required.", "What happened: is required.", "District: is required."):
        assert message in page


@pytest.mark.usefixtures("uploads")
def test_a_description_at_the_browsers_limit_with_line_breaks_is_taken(app):
    """The browser counts a line break as one character and sends CR LF: 10,000 characters as it
    counts them, 99 of them line breaks, must not be refused as 10,099."""
    description = "\r\n".join(["ก" * 100] * 99 + ["ก"])  # 9,901 letters and 99 line breaks
    response = PublicVisitor(app).post("/complain", good_form(app, description=description))
    assert response.status_code == 303, response.get_data(as_text=True)[-1500:]
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Case

    with app.app_context():
        kept = db.session.execute(select(Case.description).order_by(Case.id.desc()).limit(1)).scalar_one()
    assert len(kept) == 10_000 and "\r" not in kept


def test_a_description_just_over_the_limit_is_named(app, uploads):
    page = _refused(app, uploads, good_form(app, description="x" * 10_001), lang="en")
    assert "What happened" in page or "Description" in page
    assert "at most 10,000" in page


def test_a_non_image_named_jpg_is_refused(app, uploads):
    data = {**good_form(app), "photos": [(io.BytesIO(b"MZ\x90\x00 not a picture at all"), "holiday.jpg")]}
    page = _refused(app, uploads, data, content_type="multipart/form-data")
    assert "รูปภาพที่ 1: ไฟล์นี้ไม่ใช่รูปภาพ" in page


def test_one_bad_photo_among_good_ones_keeps_every_file_out(app, uploads):
    data = {**good_form(app), "photos": [(io.BytesIO(jpeg()), "a.jpg"), (io.BytesIO(b"<?php echo 1; ?>"), "b.jpg")]}
    _refused(app, uploads, data, content_type="multipart/form-data")


def test_too_many_photos(app, uploads):
    photos = [(io.BytesIO(jpeg()), f"{n}.jpg") for n in range(app.config["PUBLIC_MAX_PHOTOS"] + 1)]
    page = _refused(app, uploads, {**good_form(app), "photos": photos}, content_type="multipart/form-data", lang="en")
    assert "at most 3 photos" in page


def test_the_honeypot_refuses_and_writes_nothing(app, uploads):
    page = _refused(app, uploads, good_form(app, website="http://cheap-pills.example"), lang="en")
    assert "We could not accept this form" in page


def test_without_the_csrf_token_nothing_is_written(app, uploads):
    before = counts(app)
    response = app.test_client().post("/complain", data=good_form(app))
    assert response.status_code == 400
    assert "แบบฟอร์มหมดอายุ" in response.get_data(as_text=True)
    assert counts(app) == before


def test_script_tags_are_stored_as_text_and_escaped_on_every_page(app, browser, uploads):
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = PublicVisitor(app).post("/complain", good_form(app, title=script, description=script,
                                                               district="<b>เมือง</b>"), follow_redirects=True)
    assert response.status_code == 200
    code, _ = filed(response)
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Case

    with app.app_context():
        case = db.session.execute(select(Case).where(Case.tracking_code == code)).scalar_one()
        assert case.title == script
        case_id = case.id
    staff_page = browser("diw.officer").get(f"/cases/show/{case_id}").get_data(as_text=True)
    assert "&lt;script&gt;" in staff_page and script not in staff_page
    public_page = app.test_client().get(f"/track/{code}").get_data(as_text=True)
    assert "<script>" not in public_page and "<b>เมือง</b>" not in public_page


def test_a_refused_form_keeps_what_was_typed(app, uploads):
    page = _refused(app, uploads, good_form(app, title="หัวเรื่องเดิม", province=""), lang="en")
    assert 'value="หัวเรื่องเดิม"' in page

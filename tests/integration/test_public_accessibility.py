"""The public pages against the basics of WCAG 2.1 AA, read from their HTML: the page's language,
a title that says where you are, one h1 and headings in order, a link that skips to the main
content, a name for every link, button and field, and a refused complaint's errors tied to their
fields and announced."""
from __future__ import annotations

import re

from tests.integration.a11y_support import Page, problems_of_pages
from tests.integration.public_support import PublicVisitor, good_form, uploads  # noqa: F401


def test_public_pages_pass_the_basics_in_thai_and_in_english(app, make_case):
    code = make_case("DIW")["tracking_code"]
    visitor = app.test_client()
    for lang in ("th", "en"):
        pages = [f"/?lang={lang}", f"/track?lang={lang}", f"/track/{code}?lang={lang}",
                 f"/track/DIW-2569-999999?lang={lang}", f"/complain?lang={lang}", f"/no-such-page?lang={lang}",
                 f"/transparency?lang={lang}"]
        assert problems_of_pages(visitor, pages, lang) == {}


def test_the_other_language_is_named_in_its_own_language(app, make_case):
    code = make_case("DIW")["tracking_code"]
    page = Page(app.test_client().get(f"/track/{code}").get_data(as_text=True))
    english = next(a for a in page.find_all("a") if a.get("hreflang") == "en")
    assert english.get("lang") == "en" and english.text() == "English"


def test_a_refused_complaint_announces_and_links_its_errors(app, uploads):  # noqa: F811
    visitor = PublicVisitor(app)
    response = visitor.post("/complain", good_form(app, title=None, contact_email="not-an-email"))
    assert response.status_code == 400
    page = Page(response.get_data(as_text=True))
    assert page.title.startswith("ข้อมูลไม่ครบหรือไม่ถูกต้อง: ")
    summary = page.ids["form-errors"]
    assert summary.get("role") == "alert" and summary.get("tabindex") == "-1"
    assert {"#title", "#contact_email"} <= {a.get("href") for a in summary.find_all("a")}
    for name in ("title", "contact_email"):
        field = page.ids[name]
        assert field.get("aria-invalid") == "true" and page.described_by(field), name
    # The description keeps its hint tied to it; the photos field is named by its legend.
    assert page.described_by(page.ids["description"]) and page.name_of(page.ids["photos"]).startswith("รูปภาพ")
    assert len(re.findall(r'id="title-error"', page.html)) == 1


def test_public_titles_say_where_you_are(app, make_case):
    code = make_case("DIW")["tracking_code"]
    visitor = app.test_client()
    assert Page(visitor.get("/").get_data(as_text=True)).title.startswith("ติดตามเรื่อง ·")
    assert Page(visitor.get(f"/track/{code}").get_data(as_text=True)).title.startswith(f"{code} · ติดตามเรื่อง")
    assert Page(visitor.get("/no-such-page?lang=en").get_data(as_text=True)).title.startswith("Page not found ·")
    # An expired form is named as one, not as a bad request.
    response = visitor.post("/complain", data={"title": "x"})
    assert response.status_code == 400 and Page(response.get_data(as_text=True)).title.startswith("แบบฟอร์มหมดอายุ")


def test_a_tracking_code_not_found_is_tied_to_the_code_field(app, make_case):
    """A code that finds no case (or is not a code, or is empty) was said in a message above the
    field; the field itself was not marked invalid nor described by it."""
    code = make_case("DIW")["tracking_code"]
    visitor = app.test_client()
    for url, words in (("/track?code=DIW-2569-999999", "DIW-2569-999999"), ("/track?code=ZZZ", ""),
                       ("/track?code=", ""), ("/track/DIW-2569-999999?lang=en", "DIW-2569-999999")):
        page = Page(visitor.get(url, follow_redirects=True).get_data(as_text=True))
        field = page.ids["code"]
        assert field.get("aria-invalid") == "true", url
        described = page.described_by(field)
        assert described and words in described and page.ids[field.get("aria-describedby")].get("role") == "alert", url
    for url in ("/track", f"/track/{code}"):
        field = Page(visitor.get(url).get_data(as_text=True)).ids["code"]
        assert field.get("aria-invalid") is None and field.get("aria-describedby") is None, url


def test_thai_text_people_typed_is_marked_thai_on_an_english_page(app, make_case, browser):
    """A screen reader reads a page's text in the page's language: a Thai note on the English
    status page was read with an English voice (WCAG 3.1.2)."""
    case = make_case("DIW")
    officer = browser("diw.officer")
    officer.api("POST", f"/api/v1/cases/{case['id']}/status",
                json={"status": "in_progress", "note": "ส่งเจ้าหน้าที่ตรวจสอบโรงงานแล้ว", "public": True})
    visitor = app.test_client()
    english = Page(visitor.get(f"/track/{case['tracking_code']}?lang=en").get_data(as_text=True))
    [note] = [p for p in english.find_all("p") if "note" in (p.get("class") or "")]
    assert note.get("lang") == "th"
    thai = Page(visitor.get(f"/track/{case['tracking_code']}?lang=th").get_data(as_text=True))
    [note] = [p for p in thai.find_all("p") if "note" in (p.get("class") or "")]
    assert note.get("lang") is None, "the page's own language needs no mark"

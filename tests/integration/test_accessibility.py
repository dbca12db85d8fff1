"""The staff screens against the basics of WCAG 2.1 AA, read from their HTML: the page's language,
a title that says where you are, one h1 and headings in order, a link that skips to the main
content, a name for every link, button and field, errors tied to their fields and announced,
icons hidden from screen readers, charts with their figures in a table. The public pages have
theirs in test_public_accessibility.py."""
from __future__ import annotations

import re
import time
from pathlib import Path

import flask_appbuilder
import pytest

from tests.integration.a11y_support import Page, problems_of_pages

APP_TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"


def test_staff_screens_pass_the_basics_in_thai_and_in_english(app, browser, make_case):
    case = make_case("DIW")
    make_case("DIW", title="เรื่องที่สอง")
    manager = browser("diw.manager")
    screens = ["/cases/list/", "/cases/list/?psize_CaseView=1", f"/cases/show/{case['id']}",
               f"/cases/edit/{case['id']}", "/cases/add", "/dashboards/agency/", "/cases/excel/monthly",
               "/cases/show/999999", "/users/userinfo/", "/cases/list/?page_CaseView=99"]
    assert problems_of_pages(manager.client, screens, "th") == {}
    manager.get("/lang/en")
    assert problems_of_pages(manager.client, screens, "en") == {}
    clerk = browser("diw.clerk")
    assert problems_of_pages(clerk.client, ["/cases/excel/import"], "th") == {}
    admin = browser("admin")
    assert problems_of_pages(admin.client, ["/dashboards/ministry/", "/agencies/list/", "/users/list/", "/roles/list/", "/agencies/show/1",
                                       "/job-runs/list/"], "th") == {}
    assert problems_of_pages(app.test_client(), ["/login/"], "th") == {}


def test_staff_titles_say_where_you_are(browser, make_case):
    case = make_case("DIW")
    manager = browser("diw.manager")
    titles = {url: Page(manager.get(url).get_data(as_text=True)).title for url in
              ("/cases/list/", f"/cases/show/{case['id']}", f"/cases/edit/{case['id']}", "/dashboards/agency/",
               "/cases/excel/monthly", "/cases/show/999999")}
    assert titles["/cases/list/"].startswith("เรื่องร้องเรียน/คำขอ ·")
    assert titles[f"/cases/show/{case['id']}"].startswith(f"เรื่อง {case['tracking_code']} ·")
    # Two cases open for editing in two tabs are told apart by their titles.
    assert titles[f"/cases/edit/{case['id']}"].startswith(f"แก้ไขเรื่อง {case['tracking_code']} ·")
    assert titles["/dashboards/agency/"].startswith("แดชบอร์ดหน่วยงาน ·")
    assert titles["/cases/excel/monthly"].startswith("รายงานประจำเดือน")
    assert titles["/cases/show/999999"].startswith("ไม่พบหน้าที่ต้องการ ·")


def test_a_refused_staff_form_announces_and_links_its_errors(browser, make_case):
    case = make_case("DIW")
    manager = browser("diw.manager")
    response = manager.post(f"/cases/edit/{case['id']}", data={"title": "", "version": case["version"]})
    page = Page(response.get_data(as_text=True))
    summary = page.ids["form-errors"]
    assert summary.get("role") == "alert" and summary.get("tabindex") == "-1"
    assert "#title" in [a.get("href") for a in summary.find_all("a")]
    title = page.ids["title"]
    assert title.get("aria-invalid") == "true"
    assert "กรุณากรอกข้อมูลในช่องนี้" in page.described_by(title)
    # A field with no error is not marked.
    assert page.ids["description"].get("aria-invalid") is None
    # The confirmation dialog is named by its heading.
    dialog = page.ids["modal-confirm"]
    assert dialog.get("role") == "alertdialog" and page.name_of(dialog) == "กรุณายืนยันการดำเนินการ"


def test_sign_in_names_its_fields_for_password_managers_and_announces_a_refusal(app):
    client = app.test_client()
    page = Page(client.get("/login/").get_data(as_text=True))
    assert page.ids["username"].get("autocomplete") == "username"
    assert page.ids["password"].get("autocomplete") == "current-password"
    from tests.conftest import csrf_token_from

    token = csrf_token_from(page.html)
    refused = client.post("/login/", data={"username": "diw.manager", "password": "wrong", "csrf_token": token},
                          follow_redirects=True)
    alerts = [e for e in Page(refused.get_data(as_text=True)).find_all("div") if "alert" in (e.get("class") or "")]
    assert alerts and all(e.get("role") == "alert" for e in alerts)
    close = alerts[0].find("button")
    assert close.get("aria-label") == "ปิด"


def test_menu_buttons_and_page_links_say_what_they_do(browser, make_case):
    for n in range(3):
        make_case("DIW", title=f"เรื่องที่ {n}")
    page = Page(browser("diw.manager").get("/cases/list/?psize_CaseView=1&page_CaseView=1").get_data(as_text=True))
    assert page.ids["language-menu"].get("aria-label") == "ภาษา: ไทย"
    toggle = page.find("button", class_="navbar-toggle")
    assert toggle.get("aria-label") == "เมนู"
    pages = page.find("nav", aria_label="หน้า")
    names = [a.get("aria-label") for a in pages.find_all("a")]
    assert {"หน้าแรก", "หน้าก่อน", "หน้าถัดไป", "หน้าสุดท้าย"} <= set(names)
    assert pages.find("a", aria_current="page").text() == "2"
    # Icons beside words are not read out as stray characters.
    icons = [e for e in page.find_all("i", "span") if re.search(r"\bfa-", e.get("class") or "")]
    assert icons and all(e.get("aria-hidden") == "true" for e in icons)


def test_the_case_list_names_every_column(browser, make_case):
    make_case("DIW")
    page = Page(browser("diw.manager").get("/cases/list/?_oc_CaseView=tracking_code&_od_CaseView=asc")
                .get_data(as_text=True))
    headers = page.find("table", class_="table table-bordered table-hover").find("thead").find_all("th")
    assert all(h.text(spoken=True) for h in headers)
    assert [h.get("aria-sort") for h in headers if h.get("aria-sort")] == ["ascending"]


@pytest.mark.parametrize("who, url", [("diw.manager", "/dashboards/agency/"), (None, "/transparency")])
def test_dashboard_charts_have_a_table_for_their_figures(browser, who, url):
    page = Page(browser(who).get(url).get_data(as_text=True))
    charts = page.find_all("canvas")
    assert charts
    for canvas in charts:
        name = canvas.get("data-chart")
        table = page.ids[f"table-{name}"]
        assert table.tag == "table" and table.find("caption").text() == canvas.get("aria-label")
        assert table.parent.tag == "details"
    levels = [level for level, _ in page.headings()]
    assert levels[0] == 1 and levels.count(1) == 1 and set(levels[1:]) == {2}, page.headings()
    # Tiles are not live regions (a refresh every few seconds would be read out each time); a lost
    # connection is.
    assert not page.find_all("a", aria_live="polite")
    assert page.find("span", role="status").find("span", class_="dash-problem")


def test_an_export_in_progress_tells_its_progress_to_screen_readers(app, browser, make_case, monkeypatch, tmp_path):
    from app.services import export_runs

    monkeypatch.setitem(app.config, "EXCEL_EXPORT_INLINE_MAX_ROWS", 0)
    monkeypatch.setitem(app.config, "EXCEL_IMPORT_DIR", str(tmp_path / "imports"))
    make_case("DIW")
    manager = browser("diw.manager")
    url = manager.post("/cases/excel/export").headers["Location"].split("?")[0]
    deadline = time.monotonic() + 30
    while manager.get(url + "/status").get_json()["state"] == "writing" and time.monotonic() < deadline:
        time.sleep(0.05)  # the export's own worker is done before the test writes its status
    with app.test_request_context():
        stored = export_runs.StoredExport(export_runs.export_dir(), url.rsplit("/", 1)[1])
        stored.write_status({"state": "writing", "progress": {"stage": "export", "done": 1, "total": 4}}, force=True)
    try:
        page = Page(manager.get(url).get_data(as_text=True))
    finally:
        stored.remove()  # a status left "writing" would be the manager's export under way in later tests
    bar = page.ids["progress-bar"]
    assert (bar.get("role"), bar.get("aria-valuenow"), bar.get("aria-valuemin"), bar.get("aria-valuemax")) == \
        ("progressbar", "25", "0", "100")
    assert page.name_of(bar) == "เขียนแถว"


def test_the_flask_appbuilder_macros_the_app_overrides_are_all_still_there():
    """app/templates/appbuilder/general/lib.html replaces Flask-AppBuilder's macros of the same
    name; a Flask-AppBuilder upgrade that adds one would otherwise break its screens."""
    macro = re.compile(r"{%-?\s*macro\s+(\w+)")
    installed = Path(flask_appbuilder.__file__).parent / "templates" / "appbuilder" / "general" / "lib.html"
    ours = APP_TEMPLATES / "appbuilder" / "general" / "lib.html"
    assert set(macro.findall(installed.read_text("utf-8"))) <= set(macro.findall(ours.read_text("utf-8")))




def test_the_case_pages_forms_mark_the_fields_they_need(browser, make_case):
    """The case page's own forms (link, status, forward, reopen, note) did not mark the fields they
    cannot go without, as the add and edit forms do with a red star."""
    case = make_case("DIW")
    html = browser("diw.manager").get(f"/cases/show/{case['id']}").get_data(as_text=True)
    page = Page(html)
    needed = [e for e in page.find_all("input", "select", "textarea") if "required" in e.attrs]
    assert {e.get("id") for e in needed} >= {"link-code", "status-target", "forward-agency", "forward-note", "note-text"}
    for element in needed:
        label = next(lab for lab in page.find_all("label") if lab.get("for") == element.get("id"))
        mark = label.find("strong", class_="required-mark")
        assert mark is not None and mark.get("aria-hidden") == "true", element.get("id")
    for element in page.find_all("input", "select", "textarea"):
        if element.get("id") and "required" not in element.attrs:
            label = next((lab for lab in page.find_all("label") if lab.get("for") == element.get("id")), None)
            assert label is None or label.find("strong", class_="required-mark") is None, element.get("id")


@pytest.mark.parametrize("form, data, field, words", [
    ("forward", {"agency": "TISI", "note": "ผู้ร้องโทร 089-765-4321", "public": "y"}, "forward-note",
     "หมายเลขโทรศัพท์มือถือ (089-765-4321)"),
    ("link", {"code": "DIW-2569-999999", "kind": "duplicate"}, "link-code", "ไม่พบเรื่องที่มีเลขที่เรื่อง"),
    ("note", {"note": "ผู้ร้องโทร 089-765-4321", "public": "y"}, "note-text", "หมายเลขโทรศัพท์มือถือ"),
])
def test_a_refused_case_page_form_ties_its_error_to_the_field(browser, make_case, form, data, field, words):
    """A case page form refused for one of its fields said so only in the message above the page:
    the field itself was not marked, nor described by the message, and the focus stayed at the top."""
    case = make_case("DIW")
    response = browser("diw.manager").post(f"/cases/{case['id']}/{form}", data={"version": case["version"], **data})
    assert response.status_code in (400, 422)
    page = Page(response.get_data(as_text=True))
    element = page.ids[field]
    assert element.get("aria-invalid") == "true"
    assert words in page.described_by(element)
    summary = page.ids["form-errors"]
    assert summary.get("role") == "alert" and summary.get("tabindex") == "-1"
    assert f"#{field}" in [a.get("href") for a in summary.find_all("a")]
    # Inside the refused form, and said once: not again in a message above the page.
    assert summary.parent.parent.tag == "form" or summary.parent.tag == "form"
    assert page.html.count(words) == 1
    others = [e for e in page.find_all("input", "select", "textarea") if e.get("aria-invalid") and e is not element]
    assert others == []


@pytest.mark.parametrize("who", ["diw.clerk", "admin"])
def test_the_import_form_marks_its_fields_and_ties_the_file_limits_to_the_file_field(browser, who):
    """The import form's fields (the file, and the agency for a ministry-wide user) were required
    only to the browser, and the file field's limits (format, size) were not read with it."""
    page = Page(browser(who).get("/cases/excel/import").get_data(as_text=True))
    needed = [e for e in page.find_all("input", "select") if "required" in e.attrs]
    assert [e.get("id") for e in needed] == (["file"] if who == "diw.clerk" else ["agency", "file"])
    for element in needed:
        label = next(lab for lab in page.find_all("label") if lab.get("for") == element.get("id"))
        assert label.find("strong", class_="required-mark") is not None
    assert "MB" in page.described_by(page.ids["file"])


def test_a_refused_dashboard_date_is_tied_to_its_field(browser):
    """A date the dashboard's filters could not read was named in the message under the filters;
    the field itself was not marked invalid nor described by it."""
    page = Page(browser("diw.manager").get("/dashboards/agency/?from=31/13/2569&to=01/01/2569")
                .get_data(as_text=True))
    fields = {e.get("name"): e for e in page.find_all("input") if e.get("name") in ("from", "to")}
    assert fields["from"].get("aria-invalid") == "true"
    message = page.described_by(fields["from"])
    assert message.startswith("ตั้งแต่") or "วันที่" in message, message
    refusal = page.ids[fields["from"].get("aria-describedby")]
    assert refusal.get("role") == "alert"
    assert fields["to"].get("aria-invalid") is None
    plain = Page(browser("diw.manager").get("/dashboards/agency/").get_data(as_text=True))
    assert not [e for e in plain.find_all("input") if e.get("aria-invalid")]


@pytest.mark.parametrize("language, pattern", [("th", "วว/ดด/ปปปป"), ("en", "yyyy-mm-dd")])
def test_the_dashboards_date_filters_say_how_to_write_a_date_in_their_label(browser, language, pattern):
    """How to write a date was only the fields' placeholder, gone as soon as one types."""
    manager = browser("diw.manager")
    manager.get(f"/lang/{language}")
    page = Page(manager.get("/dashboards/agency/").get_data(as_text=True))
    fields = [e for e in page.find_all("input") if e.get("name") in ("from", "to")]
    assert len(fields) == 2
    for field in fields:
        assert field.get("placeholder") == pattern
        assert pattern in page.name_of(field), page.name_of(field)

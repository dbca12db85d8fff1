"""Generated screens speak the user's language: Flask-AppBuilder makes an English title ("Edit
Agency") from the model's name for any view that does not set its own, and shows a column's
Python value (True, None, [Admin]) unless the view formats it."""
from __future__ import annotations

import re

import pytest
from flask_appbuilder import ModelView
from flask_babel import force_locale

THAI = re.compile(r"[\u0e00-\u0e7f]")
TITLES = (("list", "list_title"), ("show", "show_title"), ("add", "add_title"), ("edit", "edit_title"))


def test_every_model_screen_has_a_thai_title(app):
    untitled = []
    with app.test_request_context(), force_locale("th"):
        for view in app.appbuilder.baseviews:
            if not isinstance(view, ModelView):
                continue
            for route, attribute in TITLES:
                if route in (view.exclude_route_methods or ()) or not hasattr(view, route):
                    continue
                title = str(getattr(view, attribute))
                if not THAI.search(title):
                    untitled.append(f"{type(view).__name__}.{attribute} = {title!r}")
    assert not untitled, "\n".join(untitled)


def test_lists_show_no_python_words(app, browser, make_case):
    """A yes-or-no column reads ใช่ or ไม่, an empty agency says what it means, roles are named:
    never True, False, None or a Python list."""
    case = make_case("DIW")
    admin = browser("admin")
    pages = ["/agencies/list/", "/case-types/list/", "/users/list/", "/open311-clients/list/",
             "/job-runs/list/", "/extra-holidays/list/", "/unknown-external-statuses/list/", "/cases/list/",
             f"/cases/show/{case['id']}", "/agencies/show/1", "/case-types/show/1", "/users/show/1"]
    cells = re.compile(r"<td[^>]*>\s*(?:<span[^>]*>)?\s*(True|False|None|\[[^\]<]*\])\s*(?:</span>)?\s*</td>")
    for url in pages:
        html = admin.get(url).get_data(as_text=True)
        assert not cells.findall(html), (url, [html[m.start() - 300:m.end()] for m in cells.finditer(html)][:2])
    users = admin.get("/users/list/").get_data(as_text=True)
    assert "ทั้งกระทรวง" in users and "ผู้ดูแลระบบ" in users and "ผู้บริหารหน่วยงาน" in users
    assert "ใช่" in admin.get("/agencies/list/").get_data(as_text=True)


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no {name} drop-down"
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))]


def test_forms_offer_agencies_and_roles_by_name_and_say_what_an_empty_agency_means(browser):
    """The user and Open311 client forms offered an empty agency as "__None" (WTForms shows an
    empty choice's value), agencies by their code alone, and roles by their English names."""
    admin = browser("admin")
    for url in ("/users/add", "/users/edit/1"):
        html = admin.get(url).get_data(as_text=True)
        agencies = _options(html, "agency")
        assert agencies[0] == "ทั้งกระทรวง" and "DIW กรมโรงงานอุตสาหกรรม" in agencies, agencies
        roles = _options(html, "roles")
        assert "เจ้าหน้าที่" in roles and "ผู้ดูแลระบบ" in roles and "Agency Officer" not in roles, roles
    clients = _options(admin.get("/open311-clients/add").get_data(as_text=True), "agency")
    assert clients[0] == "ทุกหน่วยงาน" and "DIW กรมโรงงานอุตสาหกรรม" in clients, clients
    admin.get("/lang/en")
    html = admin.get("/users/add").get_data(as_text=True)
    assert _options(html, "agency")[0] == "Ministry-wide" and "Agency officer" in _options(html, "roles")
    assert "DIW Department of Industrial Works" in _options(html, "agency")


@pytest.mark.parametrize("user, url", [
    ("diw.manager", "/dashboards/agency/"), ("ministry", "/dashboards/ministry/"),
    ("diw.manager", "/cases/excel/monthly"), ("diw.clerk", "/cases/excel/import"),
])
def test_switching_language_stays_on_the_page(browser, user, url):
    """The dashboards and the Excel screens were never put in the screens' history: the language
    menu took their reader to the case list."""
    reader = browser(user)
    reader.get("/cases/list/")
    reader.get(url)
    assert reader.get("/lang/en", follow_redirects=True).request.path == url

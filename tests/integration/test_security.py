"""What a signed-in member of one agency, or a visitor, must not get by going around the screens:
password guessing through the API login, framing the staff screens, what pages leave behind in
caches, other agencies' names in a cached filter bar, notes published that no one marked public,
whole tables in one list page, the session cookie over plain HTTP, a bare error page for a
file past the size limit, and lists sorted by columns no screen shows."""
import re
import time

import pytest

from tests.conftest import PASSWORD


@pytest.fixture()
def restore_limiter(app):
    yield
    # The limiter is one object shared by every app: hand it back to the test app's settings.
    from app.extensions import limiter

    limiter.init_app(app)


def _app_with_login_limit(limit: str):
    from config import TestConfig

    class Limited(TestConfig):
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = "memory://"
        AUTH_RATE_LIMITED = True
        AUTH_RATE_LIMIT = limit

    from app import create_app

    return create_app(Limited)


def test_the_api_login_is_rate_limited_like_the_login_page(app, restore_limiter):
    """The login page allowed AUTH_RATE_LIMIT attempts per address; the API's login, which checks
    the same passwords, allowed any number, so passwords could be guessed through it at full speed."""
    limited = _app_with_login_limit("3 per minute")
    client = limited.test_client()
    wrong = {"username": "diw.officer", "password": "not-the-password", "provider": "db"}
    for _ in range(3):
        assert client.post("/api/v1/security/login", json=wrong).status_code == 401
    assert client.post("/api/v1/security/login", json=wrong).status_code == 429
    right = {**wrong, "password": PASSWORD}
    refused = client.post("/api/v1/security/login", json=right)
    assert refused.status_code == 429, "the limit holds for a right guess too"
    assert refused.get_json()["code"] == "too_many_requests"

    other = limited.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.9"
    assert other.post("/api/v1/security/login", json=right).status_code == 200, "per address"


def test_no_page_can_be_framed_by_another_site(browser, client, make_case):
    """Only the public pages said frame-ancestors 'none': another site could show the staff's case
    page, with its status and forward buttons, in an invisible frame and have an officer click
    them (clickjacking)."""
    case = make_case("DIW")
    officer = browser("diw.officer")
    responses = {
        "case page": officer.get(f"/cases/show/{case['id']}"),
        "case list": officer.get("/cases/list/"),
        "case API": officer.get(f"/api/v1/cases/{case['id']}"),
        "login page": client.get("/login/"),
        "transparency page": client.get("/transparency"),
        "status page": client.get(f"/track/{case['tracking_code']}"),
    }
    for name, response in responses.items():
        assert response.status_code == 200, name
        assert response.headers.get("X-Frame-Options") == "DENY", name
        assert "frame-ancestors 'none'" in response.headers.get("Content-Security-Policy", ""), name
        assert response.headers.get("X-Content-Type-Options") == "nosniff", name
    # The public pages keep their own, stricter policy; staff pages take scripts, images and
    # requests from this site alone, send forms nowhere else, and run an inline script only
    # with the answer's own nonce, which each of the page's inline scripts carries.
    assert "default-src 'self'" in responses["status page"].headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in responses["status page"].headers["Content-Security-Policy"]
    nonces, inline_scripts = set(), 0
    for name in ("case page", "case list", "login page"):
        policy = responses[name].headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "img-src 'self' data:" in policy, name
        assert "form-action 'self'" in policy and "object-src 'none'" in policy, name
        nonce = re.search(r"script-src 'self' 'nonce-([\w-]+)';", policy).group(1)
        page = responses[name].get_data(as_text=True)
        inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", page)
        assert all(f'nonce="{nonce}"' in attributes for attributes in inline), (name, inline)
        nonces.add(nonce)
        inline_scripts += len(inline)
    assert len(nonces) == 3 and inline_scripts  # one per answer; the generated list has inline scripts


def test_pages_with_personal_data_are_not_kept_in_caches(browser, make_case, client):
    """A case page (requester's name, phone, ID) had no Cache-Control at all: a shared office
    computer's browser cache kept it after the officer signed out."""
    case = make_case("DIW", requester_name="นายทดสอบ ระบบ", requester_id="1101700207030")
    officer = browser("diw.officer")
    for url in (f"/cases/show/{case['id']}", f"/cases/edit/{case['id']}", "/cases/list/",
                f"/api/v1/cases/{case['id']}", f"/api/v1/cases/{case['id']}/timeline"):
        response = officer.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers.get("Cache-Control", ""), url
    # What may be cached still is: the public status page, and the app's own files.
    assert client.get(f"/track/{case['tracking_code']}").headers["Cache-Control"] == "public, max-age=30"
    static = client.get("/static/css/public.css")
    assert static.status_code == 200 and "no-store" not in static.headers.get("Cache-Control", "")


@pytest.fixture()
def unplaced_officer(app):
    """An officer account an administrator left without an agency: it reads no case at all."""
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from app.domain import roles
    from app.extensions import db
    from app.models import StaffUser

    with app.app_context():
        user = db.session.execute(select(StaffUser).where(StaffUser.username == "unplaced.officer")).scalar_one_or_none()
        if user is None:
            user = StaffUser(username="unplaced.officer", first_name="ไม่มี", last_name="สังกัด",
                             email="unplaced.officer@demo.rueang.invalid", active=True)
            db.session.add(user)
        user.roles = [app.appbuilder.sm.find_role(roles.AGENCY_OFFICER)]
        user.agency_id = None
        user.password = generate_password_hash(PASSWORD)
        db.session.commit()
    return "unplaced.officer"


def test_an_officer_without_an_agency_is_not_shown_the_filters_of_every_agency(browser, make_case, unplaced_officer):
    """The case list's filter bar is rendered once a minute per scope, and the scope of an account
    with no agency was taken for the ministry-wide one: after an administrator's visit, such an
    officer's filter bar offered every agency's officers by name and every agency's case types."""
    make_case("OPS")
    assert "(OPS)" in browser("admin").get("/cases/list/").get_data(as_text=True)  # OPS's officers, as assignees
    page = browser(unplaced_officer).get("/cases/list/").get_data(as_text=True)
    assert "(OPS)" not in page and "(DIW)" not in page
    assert "ขอประทานบัตร" not in page  # DPIM's case type


def test_the_note_column_of_an_import_stays_with_staff_when_the_import_moves_a_status(app, client, browser, tmp_path):
    """A register's note column (หมายเหตุ) is the office's own remark. A new case kept it internal,
    but an update that moved only the status wrote it as a public note: the status page and
    Open311 then published it, a phone number and all."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Case, StaffUser
    from app.services.case_import import import_actor, run_import
    from tests.integration.excel_support import legacy_rows, write_register

    remark = "ผู้ร้องโทรตามเรื่อง 0812345678"
    with app.app_context():
        clerk = import_actor(db.session.execute(select(StaffUser).where(StaffUser.username == "diw.clerk")).scalar_one())
        run_import(clerk, write_register(tmp_path / "first.xlsx", legacy_rows()), isolated=False)
        moved = [[1, None, "REG-67-001", None, None, None, None, None, None, "กำลังดำเนินการ", None, None, remark]]
        plan = run_import(clerk, write_register(tmp_path / "second.xlsx", moved), isolated=False)
        assert plan.counts.as_dict()["updated"] == 1
        code = db.session.execute(select(Case.tracking_code).where(Case.external_ref == "REG-67-001")).scalar_one()
        db.session.rollback()
    page = client.get(f"/track/{code}")
    assert page.status_code == 200 and "กำลังดำเนินการ" in page.get_data(as_text=True)
    assert remark not in page.get_data(as_text=True)
    assert remark not in client.get(f"/open311/v2/requests/{code}.json").get_data(as_text=True)
    # Staff still read it on the case's timeline.
    with app.app_context():
        case_id = db.session.execute(select(Case.id).where(Case.tracking_code == code)).scalar_one()
    assert remark in browser("diw.officer").get(f"/cases/show/{case_id}").get_data(as_text=True)


def _published(client, code: str) -> str:
    return client.get(f"/track/{code}").get_data(as_text=True) + client.get(
        f"/open311/v2/requests/{code}.json").get_data(as_text=True)


def _public_type_case(app, make_case, agency: str):
    """A case of a type on the public form, which Open311 lists."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import CaseType

    with app.app_context():
        code = db.session.execute(select(CaseType.code).where(
            CaseType.public.is_(True), CaseType.agency.has(code=agency)).order_by(CaseType.id)).scalars().first()
        db.session.rollback()
    return make_case(agency, type_code=code)


def test_a_forwarding_or_reopening_reason_is_published_only_when_staff_say_so(app, browser, client, make_case):
    """The forward and reopen forms ask for a "Reason" and said nothing of the public, but wrote it
    as a public note: a reason naming the requester or their phone went onto the status page and
    into Open311. Now it is shown only when the officer ticks "Show this reason to the public"
    (or the API says "public": true), as notes and status changes already were."""
    screen_case, api_case = _public_type_case(app, make_case, "OPS"), _public_type_case(app, make_case, "OPS")
    officer = browser("ops.officer")
    secret = "ผู้ร้อง นายสมชาย โทร 0812345678 ขอให้ส่งต่อ"
    page = officer.get(f"/cases/show/{screen_case['id']}").get_data(as_text=True)
    assert "Show this reason to the public" in page or "แสดงเหตุผลนี้ต่อสาธารณะ" in page
    forwarded = officer.post(f"/cases/{screen_case['id']}/forward", data={"agency": "DIW", "note": secret})
    assert forwarded.status_code == 302
    answer = officer.api("POST", f"/api/v1/cases/{api_case['id']}/forward", json={"agency": "DIW", "note": secret})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    for case in (screen_case, api_case):
        shown = _published(client, case["tracking_code"])
        assert "กรมโรงงานอุตสาหกรรม" in shown, "the forwarding itself is public"
        assert secret not in shown

    # At DIW now: closed, then reopened with a private reason, then with a public one.
    diw = browser("diw.officer")
    for case in (screen_case, api_case):
        assert diw.api("POST", f"/api/v1/cases/{case['id']}/status", json={"status": "resolved"}).status_code == 200
    assert diw.post(f"/cases/{screen_case['id']}/reopen", data={"note": secret}).status_code == 302
    assert diw.api("POST", f"/api/v1/cases/{api_case['id']}/reopen", json={"note": secret}).status_code == 200
    for case in (screen_case, api_case):
        assert secret not in _published(client, case["tracking_code"])
        timeline = diw.api("GET", f"/api/v1/cases/{case['id']}/timeline").get_json()["result"]
        assert [e["public"] for e in timeline if e["note"] == secret] == [False, False, False], "staff still read it"

    said = "ส่งเรื่องให้กรมโรงงานอุตสาหกรรมตรวจสอบ"
    for case in (screen_case, api_case):
        assert diw.api("POST", f"/api/v1/cases/{case['id']}/status", json={"status": "resolved"}).status_code == 200
    assert diw.post(f"/cases/{screen_case['id']}/reopen", data={"note": said, "public": "y"}).status_code == 302
    assert diw.api("POST", f"/api/v1/cases/{api_case['id']}/reopen", json={"note": said, "public": True}).status_code == 200
    for case in (screen_case, api_case):
        assert said in client.get(f"/track/{case['tracking_code']}").get_data(as_text=True)


def test_a_list_page_never_holds_more_rows_than_the_screen_offers(app, browser, make_case):
    """The page size came from the address as it was: psize_CaseView=1000000 (or -1, which SQLite
    reads as no limit) made one request read and render every case of the agency, a load any
    signed-in clerk could put on the server. The screen offers 25 to 100 rows a page; a page
    now holds at most that."""
    from app.views.datamodel import MAX_PAGE_SIZE

    for _ in range(MAX_PAGE_SIZE + 1):
        make_case("DIW")
    clerk = browser("diw.clerk")

    def rows(url):
        page = clerk.get(url)
        assert page.status_code == 200, url
        return page.get_data(as_text=True).count('<span class="tracking-code">')

    assert rows("/cases/list/") == 25
    assert rows("/cases/list/?psize_CaseView=100") == 100
    assert rows("/cases/list/?psize_CaseView=1000000") == MAX_PAGE_SIZE
    assert rows("/cases/list/?psize_CaseView=-1") == 25
    assert rows("/cases/list/?psize_CaseView=0") == 25


def test_the_production_environment_sends_the_session_cookie_over_https_only():
    """deploy/rueang.env.example puts the app behind a TLS proxy but left SESSION_COOKIE_SECURE
    off, so a staff member's browser sent the session cookie along with any plain-HTTP request
    to the host (a typed address, an old link) before the proxy could redirect it."""
    import os
    import re
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    settings = dict(re.findall(r"^([A-Z_]+)=(.*)$", (root / "deploy" / "rueang.env.example").read_text(), flags=re.M))
    assert settings.get("SESSION_COOKIE_SECURE") == "1"
    # The example's placeholder key is refused in production (the test below): a real one here.
    env = {**{k: v for k, v in os.environ.items() if k not in settings}, **settings,
           "SECRET_KEY": "kJ3v9Q0tQm1x7bYp2Wc8zR5nL4sH6dFa0eUi"}
    secure = subprocess.run([sys.executable, "-c", "import config; print(config.config_from_environment()"
                             "().SESSION_COOKIE_SECURE)"], cwd=root, env=env, capture_output=True, text=True)
    assert secure.stdout.strip() == "True", secure.stderr


@pytest.mark.parametrize("env, secure", [
    ({"RUEANG_ENV": "production"}, "True"),  # not in the environment at all
    ({"RUEANG_ENV": "production", "SESSION_COOKIE_SECURE": "0"}, "False"),  # said to be plain HTTP
    ({"RUEANG_ENV": "development"}, "False"),  # the development server, http://127.0.0.1:8080
])
def test_the_production_session_cookie_is_secure_unless_told_otherwise(env, secure):
    """The production configuration sent the session cookie over plain HTTP unless
    SESSION_COOKIE_SECURE was set: a deployment that forgot that line of the example file leaked
    staff sessions to anyone on the network at the first http:// request."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    base = {k: v for k, v in os.environ.items() if k not in ("SESSION_COOKIE_SECURE", "RUEANG_ENV")}
    made = subprocess.run([sys.executable, "-c", "import config; print(config.config_from_environment()()"
                           ".SESSION_COOKIE_SECURE)"], cwd=Path(__file__).resolve().parents[2],
                          env={**base, "SECRET_KEY": "kJ3v9Q0tQm1x7bYp2Wc8zR5nL4sH6dFa0eUi", **env},
                          capture_output=True, text=True)
    assert made.stdout.strip() == secure, made.stderr


@pytest.mark.parametrize("key, starts", [
    ("change-me-to-a-long-random-value", False),  # deploy/rueang.env.example as it comes
    ("development-only-secret-key-change-me", False),
    ("short-key", False),
    ("kJ3v9Q0tQm1x7bYp2Wc8zR5nL4sH6dFa0eUi", True),
])
def test_production_refuses_a_published_or_short_secret_key(key, starts):
    """The production configuration refused only a missing SECRET_KEY: a server started with the
    example file's "change-me-to-a-long-random-value" signed its sessions with a key anyone can
    read here, and anyone could sign a session cookie of an administrator."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "RUEANG_ENV": "production", "SECRET_KEY": key}
    made = subprocess.run([sys.executable, "-c", "import config; config.config_from_environment()()"],
                          cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True)
    assert (made.returncode == 0) is starts, made.stderr
    if not starts:
        assert "SECRET_KEY" in made.stderr and "token_urlsafe" in made.stderr


def test_a_sheet_over_the_request_limit_gets_a_clear_message(app, browser):
    """A file within 64 KB over the import's limit passed its early size check, but the request
    size limit (MAX_CONTENT_LENGTH, the same 20 MB by default) stopped the request while its form
    was read for the CSRF token, and the clerk got Werkzeug's bare English "413 Request Entity
    Too Large" page, outside the app. Now the app's own error page says what happened, in the
    clerk's language; the public pages and Open311 keep their own answers."""
    import io

    limit = app.config["MAX_CONTENT_LENGTH"]
    clerk = browser("diw.clerk")
    data = {"file": (io.BytesIO(b"PK\x03\x04" + bytes(limit + 10 * 1024)), "big.xlsx")}
    response = clerk.post("/cases/excel/import", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "ไฟล์ใหญ่เกิน 20 MB" in page and 'href="/cases/list/"' in page  # in the staff's layout
    answer = clerk.client.post("/api/v1/cases/", data=bytes(limit + 1), content_type="application/json")
    assert answer.status_code == 413 and answer.get_json()["code"] == "too_large"
    # The complaint form's own words, and Open311's error format, stay theirs.
    visitor = app.test_client()
    assert "รูปภาพรวมกันไม่เกิน" in visitor.post("/complain", data=bytes(limit + 1)).get_data(as_text=True)
    assert b"<code>400</code>" in visitor.post("/open311/v2/requests.xml", data=bytes(limit + 1)).data


def test_signing_out_takes_a_post_with_the_forms_token(browser, app):
    """A link or an image on another site could sign a user out while /logout/ answered a GET."""
    officer = browser("diw.officer")
    page = officer.get("/cases/list/").get_data(as_text=True)
    assert 'action="/logout/"' in page and 'href="/logout/"' not in page
    # The old address asks first and changes nothing.
    asked = officer.get("/logout/")
    assert asked.status_code == 200 and 'method="post"' in asked.get_data(as_text=True)
    assert officer.get("/cases/list/").status_code == 200
    # A post without the token (another site's form) is refused, still signed in.
    assert officer.client.post("/logout/").status_code == 400
    assert officer.get("/cases/list/").status_code == 200
    signed_out = officer.post("/logout/")
    assert signed_out.status_code == 302
    assert officer.get("/cases/list/").status_code == 302
    # Signed out, the old address goes to the sign-in page.
    again = officer.get("/logout/")
    assert again.status_code == 302 and "/login/" in again.headers["Location"]


def test_a_list_screen_sorts_only_by_the_columns_it_offers(app, browser, diw_agency):
    """Flask-AppBuilder's list screens sorted by any column the address named, hidden and related
    ones too: a ministry viewer could sort the agencies by their connector settings, whose token
    every screen masks, and read from the order what the token holds. An order the screen does
    not offer is now dropped (as the REST API and the Excel export drop it)."""
    import re

    from app.extensions import db
    from app.models import Agency

    with app.app_context():
        agency = db.session.get(Agency, diw_agency)
        agency.connector_kind = "rest_json"
        agency.connector_settings = {"base_url": "http://127.0.0.1:1", "token": "a-secret-token"}
        db.session.commit()
    viewer = browser("ministry")

    def order(url: str) -> list[str]:
        response = viewer.get(url, follow_redirects=True)
        assert response.status_code == 200
        table = response.get_data(as_text=True).split("<table", 1)[1]
        return [code for code in re.findall(r">\s*(OPS|DIW|DIPROM|TISI|DPIM)\s*<", table)]

    plain = order("/agencies/list/")
    for column in ("connector_settings", "status_map", "sync_cursor"):
        assert order(f"/agencies/list/?_oc_AgencyView={column}&_od_AgencyView=asc") == plain, column
        assert order(f"/agencies/list/?_oc_AgencyView={column}&_od_AgencyView=desc") == plain, column
    response = viewer.get("/agencies/list/?_oc_AgencyView=connector_settings&_od_AgencyView=desc&_flt_0_code=DIW")
    assert response.status_code == 302 and "_oc_" not in response.location and "_flt_0_code=DIW" in response.location
    # What the screen offers still sorts.
    assert order("/agencies/list/?_oc_AgencyView=code&_od_AgencyView=desc") == sorted(plain, reverse=True)
    officer = browser("diw.officer")
    assert officer.get("/cases/list/?_oc_CaseView=assignee.password&_od_CaseView=asc").status_code == 302
    assert officer.get("/cases/list/?_oc_CaseView=due_at&_od_CaseView=asc").status_code == 200


@pytest.mark.parametrize("user", [None, "diw.officer", "admin"])
def test_an_unknown_bulk_or_row_action_is_not_found(browser, user):
    """Flask-AppBuilder looked up the action named in /<view>/action/<name>/<pk> (and the form of
    /<view>/action_post) before checking who asked, and one the view lacks raised: anyone, signed
    in or not, got a server error from a made-up address."""
    b = browser(user)
    for path in ("/agencies", "/case-types", "/users", "/roles", "/groups", "/permissions"):
        assert b.post(f"{path}/action/no-such-action/1").status_code == 404, path
        assert b.post(f"{path}/action_post", data={"action": "no-such-action", "rowid": "1"}).status_code == 404, path


@pytest.mark.parametrize("user", [None, "diw.officer", "admin"])
def test_the_unused_file_download_route_is_not_found(app, browser, user):
    """Every list view had Flask-AppBuilder's /<view>/download/<file>, for file columns no model
    here has, and it read an UPLOAD_FOLDER nothing sets: a server error for an administrator."""
    downloads = sorted(rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.endswith(".download"))
    assert "/users/download/<string:filename>" in downloads
    b = browser(user)
    for rule in downloads:
        assert b.get(rule.replace("<string:filename>", "report.xlsx")).status_code == 404, rule


def test_over_https_every_answer_tells_the_browser_to_stay_on_https(browser, client, make_case):
    """Session cookies are Secure in production, but nothing told a browser to keep to HTTPS: the
    next typed address or old http:// link went out in plain text first, where someone on the
    same network could answer it with a look-alike sign-in page."""
    case = make_case("DIW")
    officer = browser("diw.officer")
    for who, path in [(client, "/track"), (client, f"/track/{case['tracking_code']}"), (client, "/login/"),
                      (officer.client, "/cases/list/"), (officer.client, f"/api/v1/cases/{case['id']}")]:
        secure = who.get(path, base_url="https://localhost")
        assert secure.headers.get("Strict-Transport-Security") == "max-age=31536000", path
        # Over plain HTTP (a development server) the header means nothing and is not sent.
        assert "Strict-Transport-Security" not in who.get(path).headers, path


@pytest.mark.parametrize("public", ["false", "no", 0, "0", [], {}])
def test_the_api_publishes_a_note_only_on_a_json_true(app, browser, make_case, public):
    """"public" was read for its truth: a client sending "false" or "no" (a form's habit) had the
    note meant for staff shown on the public status page. Anything but true or false is refused."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import CaseEvent

    case = make_case("DIW")
    officer = browser("diw.officer")
    for path, body in [("notes", {"note": "ผู้ร้องเป็นญาติผู้บริหารโรงงาน"}),
                       ("status", {"status": "in_progress", "note": "รอผลตรวจ"}),
                       ("forward", {"agency": "OPS", "note": "ส่งต่อเพราะเรื่องนี้ไม่ใช่ของกรม"})]:
        response = officer.api("POST", f"/api/v1/cases/{case['id']}/{path}", json={**body, "public": public})
        assert response.status_code == 422, (path, response.get_data(as_text=True))
        assert response.get_json()["errors"][0]["field"] == "public"
    with app.app_context():
        assert db.session.execute(select(CaseEvent.kind).where(CaseEvent.case_id == case["id"])).scalars().all() == [
            "created"]
    kept = officer.api("POST", f"/api/v1/cases/{case['id']}/notes", json={"note": "ภายใน", "public": False})
    shown = officer.api("POST", f"/api/v1/cases/{case['id']}/notes", json={"note": "ลงพื้นที่แล้ว", "public": True})
    default = officer.api("POST", f"/api/v1/cases/{case['id']}/notes", json={"note": "ภายในอีกข้อ", "public": None})
    assert kept.status_code == shown.status_code == default.status_code == 201
    with app.app_context():
        notes = dict(db.session.execute(select(CaseEvent.note, CaseEvent.public).where(
            CaseEvent.case_id == case["id"], CaseEvent.note.is_not(None))).all())
    assert notes == {"ภายใน": False, "ลงพื้นที่แล้ว": True, "ภายในอีกข้อ": False}


@pytest.fixture()
def clock(monkeypatch):
    """The time the session cookie's signature and the session rules read, moved by the test
    (clock[0] += seconds)."""
    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


def test_a_signed_in_session_ends_after_its_idle_time_and_each_request_renews_it(app, browser, clock):
    """A session cookie copied from a browser, or a browser left signed in overnight, stops working
    once the session has gone unused for PERMANENT_SESSION_LIFETIME (eight hours by default)."""
    assert app.permanent_session_lifetime.total_seconds() == 8 * 3600
    idle = app.permanent_session_lifetime.total_seconds()
    manager = browser("diw.manager")
    for _ in range(3):  # in use: past the idle time in all (within SESSION_MAX_HOURS), never idle that long
        clock[0] += idle * 0.45
        assert manager.get("/cases/list/").status_code == 200
    # Within the minute a dashboard's refresh does not send the cookie again, so one still under
    # way when its user signs out cannot sign them back in.
    clock[0] += 10
    refreshed = manager.get("/dashboards/agency/data")
    assert refreshed.status_code == 200 and "session=" not in refreshed.headers.get("Set-Cookie", "")
    clock[0] += idle + 5
    left = manager.get("/cases/list/")
    assert left.status_code == 302 and "/login/" in left.headers["Location"]


def test_a_member_of_staff_gets_no_cookie_on_an_answer_shared_caches_keep(app, browser, make_case, clock):
    """The status page, Open311 and the transparency data may be kept by shared caches: a signed-in
    officer looking at them gets their renewed session cookie on the next staff page instead."""
    code = make_case("DIW")["tracking_code"]
    officer = browser("diw.officer")
    for path in (f"/track/{code}", "/open311/v2/requests.json", "/transparency/data"):
        clock[0] += 120  # past the minute: a staff page now would renew the session
        response = officer.get(path)
        assert response.status_code == 200 and response.cache_control.public, path
        assert "Set-Cookie" not in response.headers, path
    renewed = officer.get("/cases/list/")
    assert renewed.status_code == 200 and "session=" in renewed.headers.get("Set-Cookie", "")


def _session_cookie(b) -> str:
    cookie = b.client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_a_copy_of_the_cookie_is_refused_once_its_user_signs_out(app, browser):
    """The session cookie is signed, not stored: a copy taken before the sign-out (a shared
    computer's browser, a stolen cookie) stayed signed in until it went unused for the idle time."""
    from app.extensions import db
    from app.models import EndedSession

    manager = browser("diw.manager")
    copied = _session_cookie(manager)
    other = browser("diw.manager")  # the same person on another computer
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/cases/list/").status_code == 200
    assert manager.post("/logout/").status_code == 302
    refused = thief.get("/cases/list/")
    assert refused.status_code == 302 and "/login/" in refused.headers["Location"]
    assert thief.get("/api/v1/cases/").status_code == 401
    assert other.get("/cases/list/").status_code == 200  # signing out here ends this session only
    manager.login("diw.manager")
    assert manager.get("/cases/list/").status_code == 200
    with app.app_context():
        assert db.session.query(EndedSession).count() >= 1


def test_a_session_ends_some_hours_after_its_sign_in_however_much_it_is_used(app, browser, clock):
    """Renewed by each request, a session in use, or a copied cookie kept in use, never ended;
    SESSION_MAX_HOURS (twelve by default) after the sign-in it does, and the sign-outs recorded
    before are forgotten once their cookies could no longer work anyway."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import EndedSession

    assert app.config["SESSION_MAX_HOURS"] == 12
    early = browser("diw.officer")
    assert early.post("/logout/").status_code == 302
    manager = browser("diw.manager")
    for _ in range(11):
        clock[0] += 3600
        assert manager.get("/cases/list/").status_code == 200
    clock[0] += 3600 + 60
    ended = manager.get("/cases/list/")
    assert ended.status_code == 302 and "/login/" in ended.headers["Location"]
    manager.login("diw.manager")
    assert manager.get("/cases/list/").status_code == 200
    assert manager.post("/logout/").status_code == 302
    with app.app_context():
        untils = [until.timestamp() for until in db.session.execute(select(EndedSession.until)).scalars()]
        db.session.rollback()
    assert untils and all(until > clock[0] for until in untils)  # the officer's early sign-out is gone


def test_sign_in_works_and_stays_limited_when_the_shared_limit_store_is_down(app, restore_limiter):
    """With RATELIMIT_STORAGE_URI at a Redis that is down (not installed, restarting), every
    sign-in, API login, complaint and Open311 call was a server error: the limits now fall back
    to the process's memory until the store answers again, and still hold."""
    import socket

    with socket.socket() as probe:  # a port on which nothing listens
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    from config import TestConfig

    class RedisDown(TestConfig):
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = f"redis://127.0.0.1:{closed_port}/0"
        AUTH_RATE_LIMITED = True
        AUTH_RATE_LIMIT = "3 per minute"

    from app import create_app

    from app.extensions import limiter

    limited = create_app(RedisDown)
    try:
        client = limited.test_client()
        wrong = {"username": "diw.officer", "password": "not-the-password", "provider": "db"}
        for _ in range(3):
            assert client.post("/api/v1/security/login", json=wrong).status_code == 401
        assert client.post("/api/v1/security/login", json=wrong).status_code == 429
        other = limited.test_client()
        other.environ_base["REMOTE_ADDR"] = "192.0.2.10"
        assert other.post("/api/v1/security/login", json={**wrong, "password": PASSWORD}).status_code == 200
        assert other.get("/open311/v2/services.json").status_code == 200
    finally:
        # The shared limiter remembers its store as dead across init_app: the next app's is alive.
        limiter._storage_dead = False


def test_a_nul_character_anywhere_in_a_request_is_a_clear_400(browser, client):
    """PostgreSQL's text cannot hold U+0000: a filter, an Open311 code or a form with one failed
    there as a server error, and passed on SQLite."""
    officer = browser("diw.officer")
    answers = [
        officer.get("/cases/list/?_flt_0_title=a%00b"),
        client.get("/open311/v2/services/a%00b.json"),
        client.get("/open311/v2/requests.json?service_code=a%00b"),
        officer.api("POST", "/api/v1/cases/", json={"title": "a\x00b"}),
        officer.post("/cases/list/", data={"note": "a\x00b"}),
    ]
    for answer in answers:
        assert answer.status_code == 400, answer.request.path
    assert "U+0000" in answers[1].get_json()[0]["description"]
    assert answers[3].get_json()["message_th"] and "U+0000" in answers[3].get_json()["message"]


def raw_post(person, url: str, body: str):
    return person.client.post(url, data=body, content_type="application/json",
                              headers={"X-CSRFToken": person.token})


def test_half_a_surrogate_pair_in_a_json_body_is_a_clear_400(browser, client):
    """JSON can escape a lone surrogate; UTF-8 cannot carry it, so it could be neither stored nor
    written back in an answer (a 500 in Open311, the case API and the links' notes)."""
    officer = browser("diw.officer")
    lone = '{"title": "smell \\ud800 here", "api_key": "x"}'
    answers = [
        client.post("/open311/v2/requests.json", data=lone, content_type="application/json"),
        client.post("/open311/v2/requests.json", data='{"jurisdiction_id": "\\udc00x"}',
                    content_type="application/json"),
        raw_post(officer, "/api/v1/cases/", lone),
    ]
    for answer in answers:
        assert answer.status_code == 400, (answer.request.path, answer.get_data(as_text=True)[:300])
    assert "surrogate" in answers[0].get_json()[0]["description"]
    assert "surrogate" in answers[2].get_json()["message"] and answers[2].get_json()["message_th"]
    # A whole pair is a character like any other (an emoji escaped by an encoder with ensure_ascii).
    whole = raw_post(officer, "/api/v1/cases/", '{"title": "\\ud83d\\ude00"}')
    assert whole.status_code != 400 or "surrogate" not in whole.get_data(as_text=True)

"""Dashboards against the database: every figure equals a count made independently from the case
rows, per role and scope; another agency's figures never reach an agency user; filters work;
every tile and bar links to a case list with the same count; the public page holds no personal
data; bad filters get a clear message and no 500."""
from __future__ import annotations

import html
import re
import statistics
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, text

from app.domain import dashboard as rules
from app.domain.local_time import BANGKOK
from app.domain.statuses import CLOSED_STATUSES, OPEN_STATUSES

OPEN = {s.value for s in OPEN_STATUSES}
CLOSED = {s.value for s in CLOSED_STATUSES}
COUNT_RE = re.compile(r'<div class="pull-right">\s*<strong>[^<]*</strong>\s*([\d,]+\+?)\s*</div>')


@pytest.fixture()
def demo_rows(dash_app):
    """600 realistic demo cases over two years, all agencies and provinces; returns their rows."""
    from app.services.demo import load_cases

    with dash_app.app_context():
        load_cases(600, seed=11)
    return case_rows(dash_app)


def case_rows(app) -> list[dict]:
    from app.extensions import db
    from app.models import Case

    with app.app_context():
        result = db.session.execute(select(
            Case.id, Case.agency_id, Case.case_type_id, Case.kind, Case.status, Case.sla_flag, Case.submitted_at,
            Case.closed_at, Case.due_at, Case.province, Case.satisfaction, Case.requester_name,
            Case.requester_phone, Case.tracking_code))
        return [dict(row._mapping) for row in result]


def ids(app) -> tuple[dict, dict]:
    from app.extensions import db
    from app.models import Agency, CaseType

    with app.app_context():
        agencies = {code: id_ for id_, code in db.session.execute(select(Agency.id, Agency.code))}
        types = {code: id_ for id_, code in db.session.execute(select(CaseType.id, CaseType.code))}
    return agencies, types


def local(moment: datetime) -> date:
    return moment.astimezone(BANGKOK).date()


def expected(rows: list[dict], now: datetime, *, agency_id=None, kind=None, type_id=None, date_from=None,
             date_to=None) -> dict:
    """The dashboard's figures, counted in plain Python over the case rows."""
    periods = rules.periods_at(now)
    chosen = [r for r in rows
              if (agency_id is None or r["agency_id"] == agency_id) and (kind is None or r["kind"] == kind)
              and (type_id is None or r["case_type_id"] == type_id)
              and (date_from is None or local(r["submitted_at"]) >= date_from)
              and (date_to is None or local(r["submitted_at"]) <= date_to)]
    open_ = [r for r in chosen if r["status"] in OPEN]
    closed = [r for r in chosen if r["status"] in CLOSED]
    rated = [r["satisfaction"] for r in chosen if r["satisfaction"] is not None]
    days = [(local(r["closed_at"]) - local(r["submitted_at"])).days for r in closed if r["closed_at"]]
    weeks_new, weeks_closed = Counter(), Counter()
    for r in chosen:
        weeks_new[(local(r["submitted_at"]) - periods.weeks[0]).days // 7] += 1
    for r in closed:
        if r["closed_at"]:
            weeks_closed[(local(r["closed_at"]) - periods.weeks[0]).days // 7] += 1
    provinces = Counter(r["province"] for r in chosen if r["province"])
    on_time = sum(1 for r in closed if r["closed_at"] and r["due_at"] and r["closed_at"] <= r["due_at"])
    return {
        "tiles": {
            "total": len(chosen),
            "open": len(open_),
            "new_today": sum(1 for r in chosen if local(r["submitted_at"]) >= periods.today_date),
            "new_week": sum(1 for r in chosen if local(r["submitted_at"]) >= periods.week_date),
            "closed_month": sum(1 for r in closed if r["closed_at"] and local(r["closed_at"]) >= periods.month_date),
            "closed": len(closed),
            "on_time": on_time,
            "on_time_share": round(on_time / len(closed), 4) if closed else None,
            "breached": sum(1 for r in open_ if r["sla_flag"] == "breached"),
            "at_risk": sum(1 for r in open_ if r["sla_flag"] == "at_risk"),
            "median_close_days": round(float(statistics.median(days)), 1) if days else None,
            "ratings": len(rated),
            "satisfaction": round(sum(rated) / len(rated), 2) if rated else None,
        },
        "by_status": {s: n for s, n in Counter(r["status"] for r in chosen).items()},
        "by_type": dict(Counter(r["case_type_id"] for r in chosen)),
        "by_agency": dict(Counter(r["agency_id"] for r in chosen)),
        "weekly_new": [weeks_new.get(i, 0) for i in range(rules.WEEKS_SHOWN)],
        "weekly_closed": [weeks_closed.get(i, 0) for i in range(rules.WEEKS_SHOWN)],
        "top_counts": sorted(provinces.values(), reverse=True)[:rules.TOP_PROVINCES],
        "provinces": provinces,
    }


def assert_matches(data: dict, want: dict) -> None:
    for key, value in want["tiles"].items():
        assert data["tiles"][key] == value, key
    assert {r["status"]: r["count"] for r in data["by_status"] if r["count"]} == want["by_status"]
    assert {r["case_type_id"]: r["count"] for r in data["by_type"]} == want["by_type"]
    assert {r["agency_id"]: r["count"] for r in data["by_agency"]} == want["by_agency"]
    assert [w["new"] for w in data["weekly"]] == want["weekly_new"]
    assert [w["closed"] for w in data["weekly"]] == want["weekly_closed"]
    assert [p["count"] for p in data["top_provinces"]] == want["top_counts"]
    for row in data["top_provinces"]:
        assert want["provinces"][row["province"]] == row["count"]


def now_of(data: dict) -> datetime:
    return datetime.fromisoformat(data["generated_at"])


def get_json(user, url: str) -> dict:
    response = user.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()


# ---- figures = independent counts, per role and scope --------------------------------------------

@pytest.mark.parametrize("username, url, agency_code", [
    ("ministry", "/dashboards/ministry/data", None),
    ("admin", "/dashboards/ministry/data", None),
    ("diw.manager", "/dashboards/agency/data", "DIW"),
    ("ops.officer", "/dashboards/agency/data", "OPS"),
    ("ministry", "/dashboards/agency/data", None),
])
def test_figures_equal_independent_counts(dash_app, demo_rows, browser, username, url, agency_code):
    agencies, _ = ids(dash_app)
    data = get_json(browser(username), url)
    assert_matches(data, expected(demo_rows, now_of(data), agency_id=agencies.get(agency_code)))


def test_an_agency_user_never_sees_another_agencys_figures(dash_app, demo_rows, browser):
    agencies, types = ids(dash_app)
    diw = agencies["DIW"]
    user = browser("diw.manager")
    for url in ("/dashboards/agency/data", f"/dashboards/agency/data?agency={agencies['OPS']}"):
        data = get_json(user, url)
        assert {a["agency_id"] for a in data["by_agency"]} <= {diw}
        assert all(t["agency_id"] == diw for t in data["by_type"])
        assert data["tiles"]["total"] == sum(1 for r in demo_rows if r["agency_id"] == diw)
        assert "OPS" not in {a["code"] for a in data["by_agency"]}
    # Another agency's type is not theirs to choose: refused, and nothing of it is told.
    refused = user.get(f"/dashboards/agency/data?type={types['OPS-GENERAL']}")
    assert refused.status_code == 422 and "tiles" not in refused.get_json()
    # The ministry dashboard is not theirs.
    assert user.get("/dashboards/ministry/data").status_code in (401, 403)
    assert user.get("/dashboards/ministry/").status_code in (302, 403)


def test_filters_date_range_agency_kind_and_type(dash_app, demo_rows, browser):
    agencies, types = ids(dash_app)
    ministry = browser("ministry")
    newest = max(local(r["submitted_at"]) for r in demo_rows)
    # A range with whole months and partial months at both ends, and one inside a month.
    spans = [(newest - timedelta(days=200), newest - timedelta(days=20)),
             (newest - timedelta(days=45), newest - timedelta(days=40)),
             (None, newest - timedelta(days=300)), (newest - timedelta(days=90), None)]
    for first, last in spans:
        query = "&".join(f"{k}={v.isoformat()}" for k, v in (("from", first), ("to", last)) if v)
        data = get_json(ministry, f"/dashboards/ministry/data?{query}")
        assert_matches(data, expected(demo_rows, now_of(data), date_from=first, date_to=last))
    data = get_json(ministry, f"/dashboards/ministry/data?agency={agencies['DPIM']}&kind=complaint")
    assert_matches(data, expected(demo_rows, now_of(data), agency_id=agencies["DPIM"], kind="complaint"))
    data = get_json(ministry, f"/dashboards/ministry/data?type={types['DIW-NUISANCE']}")
    assert_matches(data, expected(demo_rows, now_of(data), type_id=types["DIW-NUISANCE"]))
    # Buddhist-Era years are read too.
    be = f"{newest.year + 543}-{newest:%m-%d}"
    data = get_json(ministry, f"/dashboards/ministry/data?from={be}&to={be}")
    assert_matches(data, expected(demo_rows, now_of(data), date_from=newest, date_to=newest))


def test_figures_follow_writes_at_once(dash_app, make_case, browser):
    """New cases, status changes and forwarding reach the figures on the next read (triggers mark
    the cells; the read refreshes them), with edge cases of the definitions."""
    from app.extensions import db
    from app.services import cases
    from app.services.actor import Actor

    agencies, _ = ids(dash_app)
    manager = browser("diw.manager")
    assert get_json(manager, "/dashboards/agency/data")["tiles"]["total"] == 0
    first = make_case("DIW", province="ชลบุรี")
    second = make_case("DIW", province="ชลบุรี")
    make_case("OPS", province="ระยอง")
    data = get_json(manager, "/dashboards/agency/data")
    assert data["tiles"]["open"] == 2 and data["tiles"]["new_today"] == 2
    assert data["top_provinces"] == [{"province": "ชลบุรี", "count": 2, "label": "ชลบุรี",
                                      "href": data["top_provinces"][0]["href"]}]
    manager.get("/lang/en")
    assert get_json(manager, "/dashboards/agency/data")["top_provinces"][0]["label"] == "Chon Buri"
    manager.get("/lang/th")
    with dash_app.app_context():
        system = Actor.system("tests")
        cases.change_status(system, first["id"], "resolved", note="เสร็จ")
        cases.forward_case(system, second["id"], "OPS", note="ส่งต่อ")
    data = get_json(manager, "/dashboards/agency/data")
    assert data["tiles"]["open"] == 0 and data["tiles"]["closed"] == 1 and data["tiles"]["total"] == 1
    assert data["tiles"]["on_time"] == 1 and data["tiles"]["median_close_days"] == 0.0
    assert data["tiles"]["closed_month"] == 1
    ops = get_json(browser("ops.manager"), "/dashboards/agency/data")
    assert ops["tiles"]["open"] == 2 and {r["status"]: r["count"] for r in ops["by_status"]}["forwarded"] == 1
    with dash_app.app_context():
        pending = db.session.execute(text("SELECT count(*) FROM dashboard_dirty")).scalar_one()
    assert pending == 0
    assert agencies  # both agencies seeded


def test_closed_on_time_counts_a_case_closed_exactly_at_its_due_time(dash_app, make_case, browser):
    from app.extensions import db
    from app.models import Case

    made = [make_case("TISI") for _ in range(3)]
    now = datetime.now(timezone.utc)
    with dash_app.app_context():
        for n, case in enumerate(made):
            row = db.session.get(Case, case["id"])
            row.status, row.submitted_at = "resolved", now - timedelta(days=10 + n)
            row.due_at = now - timedelta(days=2)
            row.closed_at = row.due_at + timedelta(seconds=n - 1)  # early, exactly on time, late
        db.session.commit()
    data = get_json(browser("tisi.manager"), "/dashboards/agency/data")
    assert data["tiles"]["closed"] == 3 and data["tiles"]["on_time"] == 2


# ---- drill-down: the case list counts what the tile or bar counted -------------------------------

def list_count(user, href: str) -> int:
    response = user.get(href)
    assert response.status_code == 200, href
    match = COUNT_RE.search(response.get_data(as_text=True))
    assert match, f"no record count on {href}"
    return int(match.group(1).replace(",", "").rstrip("+"))


def test_every_tile_and_bar_opens_a_list_with_the_same_count(dash_app, demo_rows, browser):
    agencies, _ = ids(dash_app)
    newest = max(local(r["submitted_at"]) for r in demo_rows)
    for username, url in (("ministry", f"/dashboards/ministry/data?from={newest - timedelta(days=400)}"
                                       f"&to={newest - timedelta(days=3)}&kind=complaint"),
                          ("diw.manager", "/dashboards/agency/data")):
        user = browser(username)
        data = get_json(user, url)
        links = data["links"]
        for tile in ("total", "open", "new_today", "new_week", "closed_month", "closed", "breached", "at_risk"):
            assert list_count(user, links[tile]) == data["tiles"][tile], (username, tile)
        assert list_count(user, links["satisfaction"]) == data["tiles"]["ratings"]
        for row in data["by_status"]:
            assert list_count(user, row["href"]) == row["count"], row["status"]
        for row in data["by_type"]:
            assert list_count(user, row["href"]) == row["count"]
        for row in data["by_agency"]:
            assert list_count(user, row["href"]) == row["count"]
            assert list_count(user, row["closed_href"]) == row["closed"]
            assert list_count(user, row["rated_href"]) == row["ratings"]
        for row in data["top_provinces"][:3]:
            assert list_count(user, row["href"]) == row["count"]
        busy = [w for w in data["weekly"] if w["new"] or w["closed"]][-3:]
        for row in busy:
            assert list_count(user, row["new_href"]) == row["new"]
            assert list_count(user, row["closed_href"]) == row["closed"]


def test_drill_down_links_stay_in_the_users_scope(dash_app, demo_rows, browser):
    agencies, _ = ids(dash_app)
    user = browser("diw.manager")
    # Even a hand-made link naming another agency lists nothing of it.
    href = f"/cases/list/?_flt_0_agency={agencies['OPS']}"
    assert list_count(user, href) == 0


# ---- the public page -----------------------------------------------------------------------------

def test_public_page_shows_ministry_figures_and_no_personal_data(dash_app, demo_rows, client):
    page = client.get("/transparency")
    assert page.status_code == 200
    response = client.get("/transparency/data")
    assert response.status_code == 200
    data = response.get_json()
    want = expected(demo_rows, now_of(data))
    for key in ("total", "open", "closed", "on_time_share", "median_close_days", "new_week", "closed_month"):
        assert data["tiles"][key] == want["tiles"][key], key
    assert {a["agency_id"]: a["count"] for a in data["by_agency"]} == want["by_agency"]
    assert set(data) == {"generated_at", "generated_label", "tiles", "by_status", "by_agency", "weekly",
                         "top_provinces"}
    assert "links" not in data and all("href" not in r for r in data["by_status"])
    body = response.get_data(as_text=True)
    for row in demo_rows[:200]:
        for field in ("requester_name", "requester_phone", "tracking_code"):
            if row[field]:
                assert row[field] not in body


def test_public_page_is_read_in_the_visitors_language_and_leads_back_to_the_public_pages(dash_app, client):
    """A visitor comes from the public pages' language links (?lang=en) with no session: the page,
    the figures it loads and their labels are in that language, it offers the other language, and
    it leads to the status lookup and the complaint form; the public pages lead to it."""
    english = client.get("/transparency?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "Ministry of Industry statistics" in english
    assert 'href="/transparency?lang=th"' in english
    assert 'href="/track?lang=en"' in english and 'href="/complain?lang=en"' in english
    # The page's script adds the page's query (?lang=en) to the data address.
    data = client.get("/transparency/data?lang=en").get_json()
    assert {row["status"]: row["label"] for row in data["by_status"]}["resolved"] == "Resolved"
    assert data["generated_label"].isascii()
    thai = client.get("/transparency").get_data(as_text=True)
    assert '<html lang="th">' in thai and 'href="/transparency?lang=en"' in thai and 'href="/track"' in thai
    assert client.get("/transparency/data").get_json()["by_status"][0]["label"].isascii() is False
    assert 'href="/transparency?lang=en"' in client.get("/track?lang=en").get_data(as_text=True)
    assert 'href="/transparency"' in client.get("/complain").get_data(as_text=True)


def test_public_figures_are_cached_briefly(dash_app, make_case, client):
    dash_app.config["PUBLIC_DASHBOARD_CACHE_SECONDS"] = 60
    first = client.get("/transparency/data").get_json()
    make_case("DIW")
    assert client.get("/transparency/data").get_json()["tiles"]["total"] == first["tiles"]["total"]
    from app.services.dashboard import public_cache

    public_cache.clear()
    assert client.get("/transparency/data").get_json()["tiles"]["total"] == first["tiles"]["total"] + 1


# ---- who may see what; bad input --------------------------------------------------------------------

def test_permissions(dash_app, browser, client):
    assert client.get("/dashboards/agency/").status_code in (302, 401, 403)
    assert client.get("/dashboards/agency/data").status_code == 401
    assert client.get("/dashboards/ministry/data").status_code == 401
    clerk = browser("diw.clerk")
    assert clerk.get("/dashboards/agency/data").status_code in (401, 403)
    for username in ("diw.manager", "diw.officer", "ministry", "admin"):
        assert browser(username).get("/dashboards/agency/").status_code == 200, username
    for username in ("ministry", "admin"):
        assert browser(username).get("/dashboards/ministry/").status_code == 200, username
    menu = browser("diw.officer").get("/dashboards/agency/").get_data(as_text=True)
    assert "/dashboards/agency/" in menu and "/dashboards/ministry/" not in menu


def test_each_case_type_choice_names_its_agency(dash_app, browser):
    """The page's script offers only the chosen agency's case types; each option says whose it is."""
    from app.extensions import db
    from app.models import CaseType

    with dash_app.app_context():
        owners = {str(id_): str(agency_id) for id_, agency_id in db.session.execute(select(CaseType.id, CaseType.agency_id))}
    html = browser("ministry").get("/dashboards/ministry/").get_data(as_text=True)
    select_ = re.search(r'<select[^>]*name="type">(.*?)</select>', html, re.S).group(1)
    offered = dict(re.findall(r'<option value="(\d+)" data-agency="(\d+)"', select_))
    assert offered == owners
    assert "js/dashboard_filters.js" in html


@pytest.mark.parametrize("query, field", [
    ("from=2026-13-01", "from"), ("from=yesterday", "from"), ("to=31/13/2569", "to"),
    ("from=2026-02-01&to=2026-01-01", "to"), ("kind=rumour", "kind"), ("type=abc", "type"), ("type=-3", "type"),
    ("type=99999999999999999999", "type"), ("agency=0", "agency"), ("from=1066-10-14", "from"),
])
def test_bad_filters_get_a_clear_message_in_both_languages(dash_app, browser, query, field):
    ministry = browser("ministry")
    response = ministry.get(f"/dashboards/ministry/data?{query}")
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "validation_failed"
    assert [e["field"] for e in body["errors"]] == [field]
    assert all(e["message"] and e["message_th"] for e in body["errors"])
    page = ministry.get(f"/dashboards/ministry/?{query}")
    shown = re.search(r'<div class="alert alert-danger dash-error"[^>]* role="alert">([^<]+)</div>', page.get_data(as_text=True))
    # The message quotes what was typed, escaped on the page.
    assert page.status_code == 200 and shown and html.unescape(shown.group(1)) == body["message_th"]


def test_an_agency_or_type_the_form_does_not_offer_is_refused_not_counted_as_nothing(dash_app, browser):
    """A link naming an unknown agency or type, or a type of another agency than the one chosen,
    counted nothing while the form showed "all"."""
    agencies, types = ids(dash_app)
    diw_type, ops_type = types["DIW-NUISANCE"], types["OPS-GENERAL"]
    ministry, manager = browser("ministry"), browser("diw.manager")
    refusals = [
        (ministry, "/dashboards/ministry/data?agency=999", "agency", "Agency: choose an agency from the list"),
        (ministry, "/dashboards/ministry/data?type=99999", "type", "Case type: choose a case type from the list"),
        (ministry, f"/dashboards/ministry/data?agency={agencies['OPS']}&type={diw_type}", "type",
         "Case type: choose a case type of the chosen agency"),
        (manager, f"/dashboards/agency/data?type={ops_type}", "type", "Case type: choose a case type from the list"),
    ]
    for reader, url, field, message in refusals:
        response = reader.get(url)
        assert response.status_code == 422, url
        body = response.get_json()
        assert [(e["field"], e["message"]) for e in body["errors"]] == [(field, message)], url
        assert body["errors"][0]["message_th"]
    assert ministry.get(f"/dashboards/ministry/data?agency={agencies['DIW']}&type={diw_type}").status_code == 200
    assert manager.get(f"/dashboards/agency/data?type={diw_type}").status_code == 200
    page = ministry.get("/dashboards/ministry/?type=99999").get_data(as_text=True)
    assert "ประเภทเรื่อง: เลือกประเภทเรื่องจากรายการ" in page


def _tiles_in(html: str) -> dict:
    return {name: (value.strip(), href) for name, href, value in re.findall(
        r'data-tile="(\w+)"(?: href="([^"]*)")?>\s*<span class="dash-tile-value">([^<]*)</span>', html)}


def test_the_pages_are_served_with_their_figures_for_a_browser_without_script(dash_app, demo_rows, browser, client):
    """Every tile read "–" and every table was empty until the script fetched the figures: with
    scripts off (or Chart.js failing), the page showed nothing."""
    ministry = browser("ministry")
    page = ministry.get("/dashboards/ministry/").get_data(as_text=True)
    data = get_json(ministry, "/dashboards/ministry/data")
    tiles = _tiles_in(page)
    assert tiles["open"] == (f"{data['tiles']['open']:,}", html.escape(data["links"]["open"]))
    assert tiles["breached"][0] == f"{data['tiles']['breached']:,}"
    assert data["generated_label"] in page
    by_status = re.search(r'<table[^>]*id="table-by_status".*?</table>', page, re.S).group(0)
    for row in data["by_status"]:
        assert f'<th scope="row">{row["label"]}</th><td><a href="{html.escape(row["href"])}">{row["count"]:,}</a></td>' \
            in by_status
    assert 'id="dashboard-first"' in page
    public = client.get("/transparency").get_data(as_text=True)
    shown = client.get("/transparency/data").get_json()
    assert _tiles_in(public)["total"] == (f"{shown['tiles']['total']:,}", "")
    assert "href=\"/cases" not in public  # no way into the staff list from the public page
    # A refused filter is served with its message and no figures.
    refused = ministry.get("/dashboards/ministry/?from=yesterday").get_data(as_text=True)
    assert _tiles_in(refused)["open"] == ("–", "") and 'id="dashboard-first"' not in refused


def test_odd_input_never_gives_a_500(dash_app, browser, client):
    ministry = browser("ministry")
    for query in ("from=2026-02-30", "kind=" + "x" * 5000, "agency=1&agency=2", "type=1.5",
                  "from=%E0%B8%81", "to=9999-12-31", "_flt_0_status=x"):
        for url in ("/dashboards/ministry/data", "/dashboards/ministry/", "/dashboards/agency/data"):
            assert ministry.get(f"{url}?{query}").status_code in (200, 422), (url, query)
        assert client.get(f"/transparency?{query}").status_code == 200
        assert client.get(f"/transparency/data?{query}").status_code == 200
    # A NUL character is refused before any view reads it, on every side.
    for url in ("/dashboards/ministry/data", "/dashboards/agency/data", "/transparency", "/transparency/data"):
        assert (ministry if url.startswith("/dash") else client).get(f"{url}?from=%00").status_code == 400, url


def test_pages_load_nothing_from_another_host(dash_app, browser, client):
    pages = [browser("ministry").get("/dashboards/ministry/"), browser("diw.manager").get("/dashboards/agency/"),
             client.get("/transparency")]
    for page in pages:
        html = page.get_data(as_text=True)
        assert "vendor/chartjs/chart.umd.min.js" in html
        for url in re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)', html):
            assert not urlsplit(url).netloc, url
    script = client.get("/static/vendor/chartjs/chart.umd.min.js")
    assert script.status_code == 200 and b"Chart.js v4.6.1" in script.data


def test_nothing_changes_on_get(dash_app, demo_rows, browser):
    from app.extensions import db

    with dash_app.app_context():
        before = db.session.execute(text('SELECT count(*), max(updated_at) FROM "case"')).one()
    browser("ministry").get("/dashboards/ministry/data")
    with dash_app.app_context():
        after = db.session.execute(text('SELECT count(*), max(updated_at) FROM "case"')).one()
    assert tuple(before) == tuple(after)



@pytest.mark.parametrize("username, lang, whose", [
    ("diw.manager", "th", "DIW กรมโรงงานอุตสาหกรรม"),
    ("diw.manager", "en", "DIW Department of Industrial Works"),
    ("ministry", "th", "ทุกหน่วยงาน"),
    ("admin", "en", "every agency"),
])
def test_the_agency_dashboard_names_whose_cases_it_counts(browser, username, lang, whose):
    """A ministry-wide reader opening the agency dashboard could not tell that it counted every agency."""
    reader = browser(username)
    reader.get(f"/lang/{lang}")
    page = reader.get("/dashboards/agency/").get_data(as_text=True)
    assert f'<small class="dash-whose">{whose}</small>' in page
    assert "dash-whose" not in reader.get("/dashboards/ministry/").get_data(as_text=True)


def test_the_last_day_a_dashboard_takes_gives_list_links_the_list_reads(dash_app, browser):
    """The link says 'before the day after the range': for the last day taken, a day the list
    still reads, not one it refuses with a warning and leaves out."""
    import re

    from app.domain.dashboard import LATEST_DATE

    ministry = browser("ministry")
    data = ministry.get(f"/dashboards/ministry/data?from=2000-01-01&to={LATEST_DATE.isoformat()}").get_json()
    links = re.findall(r'"(/cases/list/[^"]+)"', str(data).replace("'", '"'))
    assert links
    page = ministry.get(links[0].replace("&amp;", "&")).get_data(as_text=True)
    assert "ไม่ได้ใช้ตัวกรอง" not in page and "was not applied" not in page


def test_the_transparency_data_is_cached_per_cookie(client):
    """A signed-in reader's language comes from their cookie: a shared cache keeps one per cookie."""
    response = client.get("/transparency/data")
    assert response.cache_control.public and response.headers["Vary"] == "Cookie"


def test_free_text_stored_as_a_province_stays_off_the_transparency_page(dash_app, app, client, make_case):
    """Rows loaded past the province check (an old load, a hand-made one) may hold a person's
    address there: the public chart shows provinces of the list only."""
    from sqlalchemy import update

    from app.extensions import db
    from app.models import Case

    case = make_case("DIW", province="ระยอง")
    with app.app_context():
        db.session.execute(update(Case).where(Case.id == case["id"]).values(province="บ้านนายสมชาย 081-234-5678"))
        db.session.commit()
    data = client.get("/transparency/data").get_data(as_text=True)
    assert "สมชาย" not in data and "081-234-5678" not in data

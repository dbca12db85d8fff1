"""Open311 GeoReport v2 at /open311/v2/: every answer checked field by field against the spec, in
JSON and in XML; errors as the spec's list with 400, 403 and 404."""
import re
from datetime import timedelta, timezone

import pytest

from tests.integration import open311_spec as spec
from tests.integration.public_support import assert_nothing_personal, counts

BASE = "/open311/v2"


def get(client, path, fmt, schema, root, expect=200, **query):
    """GET in one format, check status and content type, return the document as JSON would have it."""
    response = client.get(f"{BASE}/{path}.{fmt}", query_string=query)
    assert response.status_code == expect, response.get_data(as_text=True)[:500]
    if fmt == "json":
        assert response.content_type == "application/json; charset=utf-8"
        document = response.get_json()
    else:
        assert response.content_type == "text/xml; charset=utf-8"
        document = spec.from_xml(response.data, root, schema)
    spec.check(schema, document)
    return document


def both(client, path, schema, root, expect=200, **query):
    json_doc = get(client, path, "json", schema, root, expect, **query)
    xml_doc = get(client, path, "xml", schema, root, expect, **query)
    assert json_doc == xml_doc, "the JSON and XML answers differ"
    return json_doc


def _actor():
    from app.services.actor import Actor

    return Actor.system("tests")


def _case_at(app, agency_type: str, days_ago: float, **fields):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import CaseType
    from app.models.types import utcnow
    from app.services import cases

    with app.app_context():
        type_id = db.session.execute(select(CaseType.id).where(CaseType.code == agency_type)).scalar_one()
        case = cases.create_case(_actor(), {"title": "กลิ่นเหม็น", "case_type_id": type_id, **fields},
                                 submitted_at=utcnow() - timedelta(days=days_ago))
        return case.id, case.tracking_code


@pytest.fixture()
def api_key(app):
    from sqlalchemy import text

    from app.extensions import db
    from app.services import open311_clients

    with app.app_context():
        db.session.execute(text("DELETE FROM open311_client"))
        db.session.commit()
        _, key = open311_clients.create_client("Rayong city app")
    yield key
    with app.app_context():
        db.session.execute(text("DELETE FROM open311_client"))
        db.session.commit()


def test_service_list(client):
    services = both(client, "services", spec.SERVICES, "services")
    codes = {s["service_code"] for s in services}
    assert {"DIW-NUISANCE", "TISI-UNSAFE", "DPIM-IMPACT", "DIW-RNG4"} <= codes
    nuisance = next(s for s in services if s["service_code"] == "DIW-NUISANCE")
    assert nuisance["metadata"] is False and nuisance["type"] == "realtime"
    assert nuisance["group"] == "กรมโรงงานอุตสาหกรรม" and "DIW" in nuisance["keywords"]
    english = get(client, "services", "json", spec.SERVICES, "services", lang="en")
    assert next(s for s in english if s["service_code"] == "DIW-NUISANCE")["group"] == "Department of Industrial Works"


def test_service_definition_and_unknown_service(client):
    definition = both(client, "services/DIW-NUISANCE", spec.SERVICE_DEFINITION, "service_definition")
    assert definition == {"service_code": "DIW-NUISANCE", "attributes": []}
    errors = both(client, "services/NO-SUCH", spec.ERRORS, "errors", expect=404)
    assert errors[0]["code"] == 404 and "NO-SUCH" in errors[0]["description"]


def test_requests_defaults_filters_and_paging(app, client):
    from app.services import cases

    old_id, old_code = _case_at(app, "DIW-NUISANCE", 120)
    open_id, open_code = _case_at(app, "DIW-NUISANCE", 10, province="ระยอง", district="เมืองระยอง",
                                  latitude="12.681234", longitude="101.275678")
    closed_id, closed_code = _case_at(app, "TISI-UNSAFE", 5)
    newest_id, newest_code = _case_at(app, "DPIM-IMPACT", 1)
    with app.app_context():
        cases.change_status(_actor(), closed_id, "resolved", note="แก้ไขแล้ว", public=True)
        cases.add_note(_actor(), open_id, "นัดตรวจโรงงานวันจันทร์", public=True)
        cases.add_note(_actor(), open_id, "บันทึกภายใน", public=False)

    listed = both(client, "requests", spec.REQUESTS, "service_requests")
    ids = [r["service_request_id"] for r in listed]
    assert ids == [newest_code, closed_code, open_code], "newest first, only the last 90 days"
    by_id = {r["service_request_id"]: r for r in listed}
    assert by_id[closed_code]["status"] == "closed" and by_id[closed_code]["status_notes"] == "แก้ไขแล้ว"
    assert by_id[open_code]["status"] == "open" and by_id[open_code]["status_notes"] == "นัดตรวจโรงงานวันจันทร์"
    assert by_id[open_code]["address"] == "เมืองระยอง, ระยอง"
    assert (by_id[open_code]["lat"], by_id[open_code]["long"]) == (12.681, 101.276)
    for row in listed:
        assert spec.BANGKOK_DATETIME.match(row["requested_datetime"])
        assert spec.BANGKOK_DATETIME.match(row["expected_datetime"])
        assert row["agency_responsible"] and "media_url" not in row

    assert [r["service_request_id"] for r in both(client, "requests", spec.REQUESTS, "service_requests",
                                                  status="closed")] == [closed_code]
    assert [r["service_request_id"] for r in both(client, "requests", spec.REQUESTS, "service_requests",
                                                  status="open", service_code="DIW-NUISANCE,DPIM-IMPACT")] \
        == [newest_code, open_code]
    paged = [both(client, "requests", spec.REQUESTS, "service_requests", page=str(n), page_size="1")
             for n in (1, 2, 3, 4)]
    assert [p[0]["service_request_id"] if p else None for p in paged] == [newest_code, closed_code, open_code, None]

    from app.models.types import utcnow

    start = (utcnow() - timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (utcnow() - timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%S+07:00")
    window = both(client, "requests", spec.REQUESTS, "service_requests", start_date=start, end_date=end)
    assert [r["service_request_id"] for r in window] == [old_code]
    chosen = both(client, "requests", spec.REQUESTS, "service_requests",
                  service_request_id=f"{old_code},{newest_code.lower()},DIW-2569-999999", status="closed")
    assert {r["service_request_id"] for r in chosen} == {old_code, newest_code}, "ids override every other filter"

    single = both(client, f"requests/{open_code}", spec.REQUESTS, "service_requests")
    assert len(single) == 1 and single[0]["service_request_id"] == open_code


def test_requests_default_limit_is_1000(app, client):
    from sqlalchemy import text

    from app.extensions import db

    _case_at(app, "DIW-NUISANCE", 1)
    with app.app_context():
        # 1,100 copies of that case in one statement: enough to pass the default limit.
        db.session.execute(text(
            'INSERT INTO "case" (tracking_code, agency_id, case_type_id, kind, channel, title, status, priority, '
            'submitted_at, created_at, updated_at, paused_days, reopen_count, version) '
            "SELECT 'DIW-2569-' || (900000 + n), agency_id, case_type_id, kind, channel, title, status, priority, "
            'submitted_at, created_at, updated_at, 0, 0, 1 FROM "case", '
            "(WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 1100) SELECT n FROM seq) s"))
        db.session.commit()
    assert len(client.get(f"{BASE}/requests.json").get_json()) == 1000
    assert len(client.get(f"{BASE}/requests.json?page=2").get_json()) == 101


@pytest.mark.parametrize("query", [
    {"start_date": "last tuesday"},
    {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-12-31T00:00:00Z"},
    {"status": "pending"},
    {"page": "zero"},
    # What str.isdigit() takes and int() does not, a page past any integer, dates at the ends of time.
    {"page": "²"}, {"page_size": "²"}, {"page": "9" * 5000},
    {"end_date": "0001-01-01"}, {"start_date": "9999-12-31"},
    {"start_date": "0001-01-01T00:00:00+14:00", "end_date": "0001-01-02"},
])
def test_bad_arguments_are_the_spec_errors_with_400(client, query):
    """A 400 (a fault of ours would now be a 500), said in English and Thai."""
    errors = both(client, "requests", spec.ERRORS, "errors", expect=400, **query)
    assert errors[0]["code"] == 400
    english, thai = errors[0]["description"].split(" / ")
    assert english and any("\u0e00" <= char <= "\u0e7f" for char in thai)


def test_a_fault_of_ours_is_a_500_not_the_clients_400(app, client, monkeypatch):
    from app.services import open311 as open311_service

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(open311_service, "services", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    for fmt in ("json", "xml"):
        response = client.get(f"{BASE}/services.{fmt}")
        assert response.status_code == 500, fmt
        assert "ระบบขัดข้อง" in response.get_data(as_text=True) and "a bug" not in response.get_data(as_text=True)


def test_control_characters_echoed_in_an_error_leave_the_xml_well_formed(client):
    from xml.etree import ElementTree

    response = client.get(f"{BASE}/services.xml?jurisdiction_id=%01a%1Fb")
    assert response.status_code == 404
    [error] = ElementTree.fromstring(response.data)
    assert "'ab'" in error.find("description").text


def test_not_found_answers(client):
    assert both(client, "requests/DIW-2569-999999", spec.ERRORS, "errors", expect=404)[0]["code"] == 404
    assert both(client, "requests/not-a-code", spec.ERRORS, "errors", expect=404)[0]["code"] == 404
    assert both(client, "tokens/12345", spec.ERRORS, "errors", expect=404)[0]["code"] == 404
    assert both(client, "nothing/here", spec.ERRORS, "errors", expect=404)[0]["code"] == 404
    other = both(client, "services", spec.ERRORS, "errors", expect=404, jurisdiction_id="bangkok.go.th")
    assert "jurisdiction_id" in other[0]["description"]
    assert both(client, "services", spec.SERVICES, "services", jurisdiction_id="industry.go.th")


def test_get_answers_carry_nothing_personal(app, client):
    from tests.integration.public_support import EXACT_POINT, SENTINELS

    _, code = _case_at(app, "DIW-NUISANCE", 1, **SENTINELS, province="กรุงเทพมหานคร", district="ปทุมวัน",
                       latitude=EXACT_POINT[0], longitude=EXACT_POINT[1])
    for fmt in ("json", "xml"):
        for path in (f"requests.{fmt}", f"requests/{code}.{fmt}"):
            assert_nothing_personal(client.get(f"{BASE}/{path}").get_data(as_text=True), path)


def test_updated_datetime_is_the_last_change_the_public_sees(app, client):
    """An internal note or an assignment is the agency's own: its time is not told."""
    from datetime import datetime as moment

    from sqlalchemy import update

    from app.extensions import db
    from app.models import CaseEvent
    from app.services import cases

    case_id, code = _case_at(app, "DIW-NUISANCE", 3)
    with app.app_context():
        db.session.execute(update(CaseEvent).where(CaseEvent.case_id == case_id)
                           .values(at=moment(2026, 1, 5, 2, 0, tzinfo=timezone.utc)))
        db.session.commit()
        cases.add_note(_actor(), case_id, "ภายใน", public=False)

    def updated() -> str:
        return client.get(f"{BASE}/requests/{code}.json").get_json()[0]["updated_datetime"]

    assert updated() == "2026-01-05T09:00:00+07:00"
    with app.app_context():
        cases.change_status(_actor(), case_id, "in_progress")
    assert updated() > "2026-01-05T09:00:00+07:00"


def test_a_request_asked_for_by_id_is_found_whatever_its_type_is_now(app, client):
    """Forwarded to a type that is not on the public form, a request leaves the lists but its
    client still finds it by its id, as the status page does."""
    from sqlalchemy import select, update

    from app.extensions import db
    from app.models import Agency, CaseType
    from app.services import cases

    case_id, code = _case_at(app, "DIW-NUISANCE", 1)
    with app.app_context():
        tisi = db.session.execute(select(Agency.id).where(Agency.code == "TISI")).scalar_one()
        receiving = cases.receiving_type(db.session, tisi, "complaint")
        receiving_id, receiving_code = receiving.id, receiving.code
        db.session.execute(update(CaseType).where(CaseType.id == receiving_id).values(public=False))
        db.session.commit()
    try:
        with app.app_context():
            cases.forward_case(_actor(), case_id, "TISI", note="เรื่องของ สมอ.")
        [found] = both(client, f"requests/{code}", spec.REQUESTS, "service_requests")
        assert (found["service_request_id"], found["service_code"]) == (code, receiving_code)
        by_id = both(client, "requests", spec.REQUESTS, "service_requests", service_request_id=code)
        assert [r["service_request_id"] for r in by_id] == [code]
        listed = both(client, "requests", spec.REQUESTS, "service_requests")
        assert code not in [r["service_request_id"] for r in listed]
    finally:
        with app.app_context():
            db.session.execute(update(CaseType).where(CaseType.id == receiving_id).values(public=True))
            db.session.commit()


def test_status_notes_is_the_newest_note_the_public_may_read(app, client):
    """A newer public note withheld for personal data (as a departmental system may send one) leaves
    the one before it, as on the status page."""
    from app.domain.statuses import EventKind, EventSource
    from app.extensions import db
    from app.models import CaseEvent
    from app.models.types import utcnow

    case_id, code = _case_at(app, "DIW-NUISANCE", 1)
    with app.app_context():
        for hours, note in ((2, "เจ้าหน้าที่ลงพื้นที่ตรวจสอบแล้ว"), (1, "ติดต่อผู้ร้องที่ 081-234-5678")):
            db.session.add(CaseEvent(case_id=case_id, at=utcnow() - timedelta(hours=hours), kind=EventKind.PUBLIC_NOTE,
                                     source=EventSource.SYNC, public=True, note=note))
        db.session.commit()
    for answer in (client.get(f"{BASE}/requests/{code}.json").get_json()[0],
                   both(client, "requests", spec.REQUESTS, "service_requests", service_request_id=code)[0]):
        assert answer["status_notes"] == "เจ้าหน้าที่ลงพื้นที่ตรวจสอบแล้ว"
    assert "081-234-5678" not in client.get(f"{BASE}/requests.json").get_data(as_text=True)


def _post(client, fmt="json", **form):
    return client.post(f"{BASE}/requests.{fmt}", data=form)


def test_post_creates_a_case_through_the_case_service(app, client, browser, api_key):
    response = _post(client, api_key=api_key, service_code="DIW-NUISANCE", lat="12.6814", long="101.2816",
                     description="น้ำเสียไหลลงคลองทุกเช้า\nตั้งแต่สัปดาห์ก่อน", first_name="สมชาย", last_name="ใจดี",
                     email="somchai@example.com", phone="081-234-5678", address_string="ซอย 5, เมืองระยอง, ระยอง")
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    spec.check(spec.CREATED, created)
    code = created[0]["service_request_id"]
    assert code.startswith("DIW-") and "token" not in created[0]
    xml = _post(client, "xml", api_key=api_key, service_code="TISI-UNSAFE", address_string="ปทุมวัน, กรุงเทพมหานคร")
    assert xml.status_code == 201
    spec.check(spec.CREATED, spec.from_xml(xml.data, "service_requests", spec.CREATED))

    from sqlalchemy import select

    from app.extensions import db
    from app.models import Case, CaseEvent, Open311Client

    with app.app_context():
        case = db.session.execute(select(Case).where(Case.tracking_code == code)).scalar_one()
        assert (case.channel, case.title, case.province, case.district) == ("web", "น้ำเสียไหลลงคลองทุกเช้า", "ระยอง",
                                                                               "เมืองระยอง")
        assert (case.requester_name, case.requester_phone) == ("สมชาย ใจดี", "0812345678")
        event = db.session.execute(select(CaseEvent).where(CaseEvent.case_id == case.id)).scalar_one()
        assert (event.source, event.actor_label) == ("api", "Open311: Rayong city app")
        assert db.session.execute(select(Open311Client.last_used_at)).scalar_one() is not None
    assert code in browser("diw.officer").get("/cases/list/").get_data(as_text=True)
    shown = client.get(f"{BASE}/requests/{code}.json").get_json()[0]
    assert shown["status"] == "open" and shown["description"] is None


def test_a_house_address_posted_does_not_become_the_public_district(app, client, api_key):
    house = "บ้านเลขที่ 99/1 หมู่ 5 ซอยวัดใหม่"
    response = _post(client, api_key=api_key, service_code="DIW-NUISANCE", description="กลิ่นเหม็น",
                     address_string=f"{house}, ระยอง")
    assert response.status_code == 201, response.get_data(as_text=True)
    code = response.get_json()[0]["service_request_id"]
    shown = client.get(f"{BASE}/requests/{code}.json").get_json()[0]
    assert shown["address"] == "ระยอง"
    assert house not in client.get(f"/track/{code}").get_data(as_text=True)

    from sqlalchemy import select

    from app.extensions import db
    from app.models import Case

    with app.app_context():
        case = db.session.execute(select(Case).where(Case.tracking_code == code)).scalar_one()
        # The agency still has the whole address as given, in the description.
        assert (case.province, case.district) == ("ระยอง", None) and house in case.description


def test_post_errors(app, client, api_key):
    from app.services import open311_clients

    before = counts(app)
    assert both_post(client, 403, service_code="DIW-NUISANCE", lat="13.7", long="100.5")
    assert both_post(client, 403, api_key="r311_guess", service_code="DIW-NUISANCE", lat="13.7", long="100.5")
    assert both_post(client, 400, api_key=api_key, lat="13.7", long="100.5")
    assert both_post(client, 400, api_key=api_key, service_code="DIW-NUISANCE")
    assert both_post(client, 404, api_key=api_key, service_code="NO-SUCH", lat="13.7", long="100.5")
    outside = both_post(client, 400, api_key=api_key, service_code="DIW-NUISANCE", lat="35.68", long="139.69")
    assert "outside Thailand" in outside[0]["description"] and "นอกประเทศไทย" in outside[0]["description"]
    with app.app_context():
        _, diw_only = open311_clients.create_client("DIW partner", agency_id=_agency_id(app, "DIW"))
        _, disabled = open311_clients.create_client("Old system", active=False)
    assert both_post(client, 403, api_key=diw_only, service_code="TISI-UNSAFE", lat="13.7", long="100.5")
    assert both_post(client, 403, api_key=disabled, service_code="DIW-NUISANCE", lat="13.7", long="100.5")
    assert counts(app) == before
    assert _post(client, api_key=diw_only, service_code="DIW-NUISANCE", lat="13.7", long="100.5").status_code == 201


def test_a_json_body_takes_text_and_numbers_only(app, client, api_key):
    """true or false, a list or an object would be stored in Python's spelling ('True', "['x']")."""
    before = counts(app)
    for field, value in (("description", {"a": 1}), ("first_name", True), ("email", ["x@example.com"])):
        body = {"api_key": api_key, "service_code": "DIW-NUISANCE", "lat": 13.7, "long": 100.5, field: value}
        refused = client.post(f"{BASE}/requests.json", json=body)
        assert refused.status_code == 400, refused.get_data(as_text=True)
        description = refused.get_json()[0]["description"]
        assert description.startswith(f"{field}: must be text or a number") and "ต้องเป็นข้อความ" in description
    assert counts(app) == before
    numbers = client.post(f"{BASE}/requests.json", json={"api_key": api_key, "service_code": "DIW-NUISANCE",
                                                          "lat": 13.7, "long": 100.5, "phone": 812345678})
    assert numbers.status_code == 201, numbers.get_data(as_text=True)


@pytest.mark.parametrize("method, path", [
    ("GET", "/tokens/12345.json"), ("GET", "/nothing/here.json"), ("PUT", "/services.json"),
    ("TRACE", "/services.json"), ("POST", "/requests.json?x=1"),
])
def test_every_error_description_is_in_english_then_thai(client, method, path):
    kwargs = {"data": "[1", "content_type": "application/json"} if method == "POST" else {}
    answer = client.open(f"{BASE}{path}", method=method, **kwargs)
    assert answer.status_code >= 400
    description = answer.get_json()[0]["description"]
    english, _, thai = description.partition(" / ")
    assert english.isascii() and re.search("[\u0e00-\u0e7f]", thai), description


def both_post(client, status, **form):
    answers = []
    for fmt in ("json", "xml"):
        response = _post(client, fmt, **form)
        assert response.status_code == status, response.get_data(as_text=True)
        document = response.get_json() if fmt == "json" else spec.from_xml(response.data, "errors", spec.ERRORS)
        spec.check(spec.ERRORS, document)
        assert document[0]["code"] == status
        answers.append(document)
    assert answers[0] == answers[1]
    return answers[0]


def _agency_id(app, code):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Agency

    with app.app_context():
        return db.session.execute(select(Agency.id).where(Agency.code == code)).scalar_one()


def test_only_open311_skips_the_csrf_check(app, client, api_key):
    ok = _post(client, api_key=api_key, service_code="DIW-NUISANCE", lat="13.7", long="100.5")
    assert ok.status_code == 201
    # Everything else that changes state still needs the token.
    assert client.post("/complain", data={"title": "x"}).status_code == 400
    # Open311 reads no cookie: a method its path does not take is its own 404, not a CSRF refusal.
    refused = client.post(f"{BASE}/services.json")
    assert refused.status_code == 405 and refused.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert "does not take POST" in refused.get_json()[0]["description"]
    unknown = client.delete(f"{BASE}/nothing.json")
    assert unknown.status_code == 404 and "No such resource" in unknown.get_json()[0]["description"]


@pytest.mark.parametrize("path, allowed", [
    ("/services.json", "GET, HEAD, OPTIONS"), ("/requests.json", "GET, HEAD, OPTIONS, POST"),
    ("/requests/X.xml", "GET, HEAD, OPTIONS"), ("/services/DIW-NUISANCE.json", "GET, HEAD, OPTIONS"),
])
def test_options_and_wrong_methods_name_only_what_the_resource_takes(client, path, allowed):
    assert client.options(f"{BASE}{path}").headers["Allow"] == allowed
    put = client.put(f"{BASE}{path}", data="x")
    assert put.status_code == 405 and put.headers["Allow"] == allowed
    # A method no route takes at all is refused by the router, in the spec's format all the same.
    trace = client.open(f"{BASE}{path}", method="TRACE")
    assert trace.status_code == 405 and trace.headers.get("Allow")
    answer = trace.get_json() if path.endswith(".json") else None
    assert answer is None or answer[0]["code"] == 405

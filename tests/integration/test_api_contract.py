"""The REST API as an outside tool sees it: the OpenAPI document is well formed and says what the
API answers, and every error under /api/v1 has the one documented shape."""
from __future__ import annotations

import re

import pytest
from jsonschema import Draft4Validator

from tests.conftest import PASSWORD

OPERATION_KEYS = {"tags", "summary", "description", "externalDocs", "operationId", "parameters", "requestBody",
                  "responses", "callbacks", "deprecated", "security", "servers"}
RESPONSE_KEYS = {"description", "headers", "content", "links"}
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture()
def diw_case(make_case):
    return make_case("DIW", title="น้ำเสียจากโรงงานไหลลงคลอง")


def _token(client, username: str) -> dict:
    login = client.post("/api/v1/security/login", json={"username": username, "password": PASSWORD,
                                                         "provider": "db"})
    assert login.status_code == 200, login.get_data(as_text=True)
    return {"Authorization": f"Bearer {login.get_json()['access_token']}"}


@pytest.fixture()
def document(client):
    response = client.get("/api/v1/_openapi", headers=_token(client, "diw.officer"))
    assert response.status_code == 200
    return response.get_json()


def _resolve(document: dict, ref: str):
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        assert part in node, f"{ref} does not resolve"
        node = node[part]
    return node


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _case_operations(document: dict):
    for path, item in document["paths"].items():
        if path.startswith("/api/v1/cases/"):
            for method, operation in item.items():
                yield path, method, operation


def test_the_openapi_document_is_well_formed(document):
    assert re.fullmatch(r"3\.0\.\d", document["openapi"])
    for ref in _refs(document):
        _resolve(document, ref)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            assert method in METHODS, where
            assert set(operation) <= OPERATION_KEYS, (where, set(operation) - OPERATION_KEYS)
            assert operation["responses"], where
            for status, response in operation["responses"].items():
                if "$ref" in response:
                    continue
                # A response is an object of known keys with a text description (a YAML flow mapping
                # with a comma in it used to split a description into stray keys).
                assert set(response) <= RESPONSE_KEYS, (where, status, set(response) - RESPONSE_KEYS)
                assert isinstance(response.get("description"), str), (where, status)
            declared = set()
            for parameter in operation.get("parameters", []):
                if "$ref" in parameter:
                    parameter = _resolve(document, parameter["$ref"])
                assert {"name", "in"} <= set(parameter), (where, parameter)
                if parameter["in"] == "path":
                    assert parameter.get("required") is True, (where, parameter)
                    declared.add(parameter["name"])
            if path.startswith("/api/v1/cases/"):
                assert declared == set(re.findall(r"{(\w+)}", path)), where


def test_every_case_operation_documents_the_errors_it_can_answer(document):
    error = _resolve(document, "#/components/schemas/Error")
    for path, method, operation in _case_operations(document):
        where = f"{method.upper()} {path}"
        responses = operation["responses"]
        expected = {"400", "401", "403"} | ({"404"} if "{pk}" in path else set())
        if method in ("post", "put") and path != "/api/v1/cases/_info":
            expected |= {"422"}
        assert expected <= set(responses), (where, expected - set(responses))
        for status in expected:
            response = responses[status]
            if "$ref" in response:
                response = _resolve(document, response["$ref"])
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"} or schema == error, (where, status)


def _error_validator(document: dict) -> Draft4Validator:
    # The error schema is whole in itself (no references), so it validates as JSON Schema as it is.
    schema = _resolve(document, "#/components/schemas/Error")
    assert not list(_refs(schema))
    return Draft4Validator(schema)


def _check_error(document: dict, response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:200]
    body = response.get_json()
    errors = sorted(_error_validator(document).iter_errors(body), key=str)
    assert not errors, (body, [e.message for e in errors])
    assert body["message"] and body["message_th"], body
    if code:
        assert body["code"] == code, body
    return body


def test_every_api_error_has_a_code_and_an_english_and_a_thai_message(client, document, diw_case):
    officer = _token(client, "diw.officer")
    case = f"/api/v1/cases/{diw_case['id']}"
    _check_error(document, client.get("/api/v1/cases/"), 401, "unauthorized")
    _check_error(document, client.get("/api/v1/cases/", headers={"Authorization": "Bearer not-a-token"}),
                 401, "unauthorized")
    _check_error(document, client.post(f"{case}/assign", json={"assignee_id": None}, headers=officer),
                 403, "forbidden")
    _check_error(document, client.get("/api/v1/cases/999999", headers=officer), 404, "not_found")
    _check_error(document, client.get("/api/v1/cases/999999/timeline", headers=officer), 404, "not_found")
    body = _check_error(document, client.get("/api/v1/cases/?q=(order_column:nope)", headers=officer), 400,
                        "bad_request")
    assert "nope" in body["message"]  # the detail is kept
    _check_error(document, client.get("/api/v1/cases/?q=garbage(", headers=officer), 400, "bad_request")
    _check_error(document, client.post(f"{case}/status", data="x", headers=officer), 400, "not_json")
    _check_error(document, client.get("/api/v1/cases/?q=(filters:!((col:submitted_at,opr:gt,value:soon)))",
                                      headers=officer), 400, "invalid_filter")
    body = _check_error(document, client.post("/api/v1/cases/", json={}, headers=officer), 422, "validation_failed")
    assert {e["field"] for e in body["errors"]} == {"title", "case_type_id"}
    _check_error(document, client.post(f"{case}/status", json={"status": "received", "version": 99},
                                       headers=officer), 409, "conflict")


def test_a_method_an_api_address_does_not_take_is_a_json_405_not_a_csrf_refusal(browser, client, diw_case):
    # With a session cookie and no CSRF token: the address decides first, the CSRF check only
    # guards requests something would answer.
    officer = browser("diw.officer")
    for method, path in [("DELETE", "/api/v1/cases/"), ("DELETE", f"/api/v1/cases/{diw_case['id']}"),
                         ("POST", "/api/v1/_openapi"), ("POST", "/health"), ("PUT", "/health")]:
        response = officer.client.open(path, method=method)
        assert response.status_code == 405, (method, path, response.status_code)
        assert response.mimetype == "application/json", (method, path)
        assert response.get_json()["code"] == "method_not_allowed"
        assert response.headers.get("Allow"), (method, path)  # and says what it takes
    # The public pages too.
    response = client.post("/track")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    response = officer.client.post("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.get_json()["code"] == "not_found"
    # Open311 reads no cookie: its answers stay in the spec's error format.
    response = client.put("/open311/v2/requests.json")
    assert response.status_code == 405 and response.headers["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert response.get_json()[0]["code"] == 405


def test_the_health_check_and_the_openapi_document_answer_head_and_options(client):
    head = client.head("/health")
    assert head.status_code == 200 and head.mimetype == "application/json"
    options = client.options("/health")
    assert options.status_code == 200 and set(options.allow) == {"GET", "HEAD", "OPTIONS"}
    headers = _token(client, "diw.officer")
    assert client.head("/api/v1/_openapi", headers=headers).mimetype == "application/json"


def test_info_describes_the_fields_a_body_takes_in_words_not_the_catalogue_header(client):
    # gettext("") is the catalogue's header: a field without a description used to show it.
    info = client.get("/api/v1/cases/_info", headers=_token(client, "diw.officer")).get_json()
    for key in ("add_columns", "edit_columns"):
        fields = {field["name"]: field for field in info[key]}
        assert "title" in fields and "case_type_id" in fields, key
        for field in fields.values():
            assert "Project-Id-Version" not in field["description"], (key, field["name"])
        assert fields["requester_id"]["description"] == "13-digit citizen or juristic ID"
        assert fields["district"]["description"] == ""
    assert "version" in {field["name"] for field in info["edit_columns"]}


def test_a_filter_operator_the_column_does_not_take_is_refused_not_dropped(client, document, make_case):
    make_case("DIW", title="ไม่ควรออกมา")
    officer = _token(client, "diw.officer")
    # 'ge' is no operator: dropped silently, the list answered every case as if unfiltered.
    response = client.get("/api/v1/cases/?q=(filters:!((col:submitted_at,opr:ge,value:'2099-01-01')))",
                          headers=officer)
    body = _check_error(document, response, 400, "invalid_filter")
    assert body["field"] == "submitted_at" and "ge" in body["message"] and "gt" in body["message"]
    response = client.get("/api/v1/cases/?q=(filters:!((col:status,opr:zz,value:received)))", headers=officer)
    _check_error(document, response, 400, "invalid_filter")
    good = client.get("/api/v1/cases/?q=(filters:!((col:submitted_at,opr:gt,value:'2099-01-01')))", headers=officer)
    assert good.status_code == 200 and good.get_json()["count"] == 0


def test_login_errors_say_what_is_wrong(client, document):
    wrong = client.post("/api/v1/security/login", json={"username": "diw.officer", "password": "wrong",
                                                         "provider": "db"})
    body = _check_error(document, wrong, 401, "unauthorized")
    assert "password" in body["message"] and "รหัสผ่าน" in body["message_th"]
    missing = client.post("/api/v1/security/login", json={"username": "diw.officer", "provider": "db"})
    body = _check_error(document, missing, 400, "bad_request")
    assert body["message"].startswith("password:"), body
    # An address the API does not have, or a method it does not take, speaks of the API, not of a page.
    body = _check_error(document, client.get("/api/v1/security/login"), 405, "method_not_allowed")
    assert "page" not in body["message"]


@pytest.mark.parametrize("method, path", [("GET", "/api/v1/cases/abc"), ("PUT", "/api/v1/cases/abc"),
                                          ("GET", "/api/v1/cases/-3"), ("GET", "/api/v1/cases/abc/timeline"),
                                          ("POST", "/api/v1/cases/abc/status")])
def test_a_case_id_that_is_not_a_number_is_no_such_case(client, document, method, path):
    # GET /cases/abc used to be a 405 (only the edit's route took any id).
    response = client.open(path, method=method, json={"status": "resolved"}, headers=_token(client, "diw.officer"))
    _check_error(document, response, 404, "not_found")


def _as_json_schema(document: dict, node):
    """An OpenAPI 3.0 schema as plain JSON Schema: references followed, nullable as a null type."""
    if isinstance(node, list):
        return [_as_json_schema(document, item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _as_json_schema(document, _resolve(document, node["$ref"]))
    out = {key: _as_json_schema(document, value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        out = {"anyOf": [out, {"type": "null"}]}
    return out


def _answers_as_documented(document: dict, response, path: str, method: str) -> dict:
    documented = document["paths"][path][method]["responses"].get(str(response.status_code))
    assert documented, (method, path, response.status_code, response.get_data(as_text=True)[:300])
    if "$ref" in documented:
        documented = _resolve(document, documented["$ref"])
    schema = documented["content"]["application/json"]["schema"]
    body = response.get_json()
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
                for e in Draft4Validator(_as_json_schema(document, schema)).iter_errors(body)]
    assert not problems, (method, path, problems)
    return body


def test_successful_answers_match_their_documented_schemas(client, document, make_case, app):
    from app.extensions import db
    from app.models import CaseType

    manager = _token(client, "diw.manager")
    first = make_case("DIW", title="เรื่องแรก")
    other = make_case("DIW", title="เรื่องที่สอง")
    case = f"/api/v1/cases/{first['id']}"

    def call(method, url, path, status, json=None):
        response = client.open(url, method=method.upper(), json=json, headers=manager)
        assert response.status_code == status, (method, url, response.get_data(as_text=True)[:300])
        return _answers_as_documented(document, response, path, method)

    listed = call("get", "/api/v1/cases/?q=(page_size:5)", "/api/v1/cases/", 200)
    assert listed["result"][0]["assignee"] is None  # a case nobody is assigned to is valid as documented
    call("get", case, "/api/v1/cases/{pk}", 200)
    call("get", "/api/v1/cases/_info", "/api/v1/cases/_info", 200)
    call("post", f"{case}/notes", "/api/v1/cases/{pk}/notes", 201, {"note": "ตรวจแล้ว"})
    call("post", f"{case}/status", "/api/v1/cases/{pk}/status", 200, {"status": "in_progress"})
    edited = call("put", case, "/api/v1/cases/{pk}", 200, {"title": "เรื่องแรก (แก้)"})
    assert edited["result"]["title"] == "เรื่องแรก (แก้)"
    call("post", f"{case}/links", "/api/v1/cases/{pk}/links", 201, {"code": other["tracking_code"],
                                                                    "kind": "related"})
    links = call("get", f"{case}/links", "/api/v1/cases/{pk}/links", 200)
    assert links["result"][0]["tracking_code"] == other["tracking_code"]
    timeline = call("get", f"{case}/timeline", "/api/v1/cases/{pk}/timeline", 200)
    assert {"created", "status"} <= {event["kind"] for event in timeline["result"]}
    with app.app_context():
        type_id = db.session.query(CaseType.id).filter(CaseType.code.like("DIW-%")).first()[0]
    created = call("post", "/api/v1/cases/", "/api/v1/cases/", 201, {"title": "เรื่องใหม่", "case_type_id": type_id})
    assert created["result"]["tracking_code"].startswith("DIW-")
    call("post", f"{case}/assign", "/api/v1/cases/{pk}/assign", 200, {"assignee_id": None})
    call("delete", f"{case}/links/{links['result'][0]['id']}", "/api/v1/cases/{pk}/links/{link_id}", 200)


@pytest.mark.parametrize("version", ["abc", True, 1.5, [1]])
def test_a_version_that_is_not_a_whole_number_is_an_invalid_field_not_a_conflict(client, document, diw_case,
                                                                                 version):
    officer = _token(client, "diw.officer")
    case = f"/api/v1/cases/{diw_case['id']}"
    for method, url, body in [("PUT", case, {"title": "แก้ชื่อ"}), ("POST", f"{case}/status", {"status": "in_progress"})]:
        response = client.open(url, method=method, json={**body, "version": version}, headers=officer)
        body = _check_error(document, response, 422, "validation_failed")
        assert body["errors"][0]["field"] == "version", body
    # The right version still goes through; a stale one is still a conflict.
    assert client.put(case, json={"title": "แก้ชื่อ", "version": diw_case["version"]}, headers=officer).status_code == 200
    _check_error(document, client.put(case, json={"title": "อีกครั้ง", "version": diw_case["version"]},
                                      headers=officer), 409, "conflict")


def test_a_write_without_a_valid_token_or_login_is_a_401_not_a_csrf_refusal(client, app, document, diw_case):
    # An API client whose token expired must see the 401 it refreshes on, on writes as on reads;
    # it was told "the form expired, reload the page".
    from datetime import timedelta

    from flask_jwt_extended import create_access_token

    with app.app_context():
        expired = create_access_token(identity="1", expires_delta=timedelta(seconds=-60))
    case = f"/api/v1/cases/{diw_case['id']}"
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": f"Bearer {expired}"}):
        for method, url in [("POST", "/api/v1/cases/"), ("POST", f"{case}/status"), ("PUT", case)]:
            response = client.open(url, method=method, json={"status": "in_progress"}, headers=headers)
            _check_error(document, response, 401, "unauthorized")
    expired_read = client.get(case, headers={"Authorization": f"Bearer {expired}"})
    assert "expired" in _check_error(document, expired_read, 401, "unauthorized")["message"]


def test_a_body_over_the_size_limit_is_a_413_with_the_error_shape(client, app, document, diw_case):
    officer = _token(client, "diw.officer")
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 2000
    try:
        big = {"title": "ก" * 3000}
        for method, url in [("POST", "/api/v1/cases/"), ("PUT", f"/api/v1/cases/{diw_case['id']}"),
                            ("POST", f"/api/v1/cases/{diw_case['id']}/notes")]:
            response = client.open(url, method=method, json=big, headers=officer)
            body = _check_error(document, response, 413, "too_large")  # it was a 500, "something went wrong"
            assert "2,000" in body["message"], body
        # Outside the case API too (the token login), JSON in the same shape rather than a page.
        response = client.post("/api/v1/security/login", json={"username": "x" * 3000, "password": "y"})
        _check_error(document, response, 413, "too_large")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit

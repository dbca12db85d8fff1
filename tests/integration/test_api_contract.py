"""The REST API as an outside tool sees it: the OpenAPI document is well formed."""
from __future__ import annotations

import re

import pytest

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

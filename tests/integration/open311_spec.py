"""GeoReport v2 answers, field by field, as the spec (open311.org GeoReport v2) describes them.

The checks are JSON Schemas written from the spec's tables: each response field, whether it must be
there, its type, and its allowed values. XML answers are read back into the same shape by the
spec's Spark convention (list elements hold one element per item; true/false; empty is null) and
checked against the same schemas.
"""
from __future__ import annotations

import re
from xml.etree import ElementTree

from jsonschema import Draft7Validator

W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
BANGKOK_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$")


def _maybe(kind: str, **extra) -> dict:
    return {"anyOf": [{"type": kind, **extra}, {"type": "null"}]}


def _datetime() -> dict:
    return {"type": "string", "pattern": W3C_DATETIME.pattern}


SERVICE = {
    "type": "object",
    "required": ["service_code", "service_name", "metadata", "type"],
    "properties": {
        "service_code": {"type": "string", "minLength": 1},
        "service_name": {"type": "string", "minLength": 1},
        "description": _maybe("string"),
        "metadata": {"type": "boolean"},
        "type": {"enum": ["realtime", "batch", "blackbox"]},
        "keywords": _maybe("string"),
        "group": _maybe("string"),
    },
}
SERVICES = {"type": "array", "items": SERVICE}

ATTRIBUTE = {
    "type": "object",
    "required": ["variable", "code", "datatype", "required"],
    "properties": {
        "variable": {"type": "boolean"},
        "code": {"type": "string"},
        "datatype": {"enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]},
        "required": {"type": "boolean"},
        "datatype_description": _maybe("string"),
        "order": _maybe("integer"),
        "description": _maybe("string"),
        "values": {"type": "array", "items": {"type": "object", "required": ["key", "name"]}},
    },
}
SERVICE_DEFINITION = {
    "type": "object",
    "required": ["service_code", "attributes"],
    "properties": {"service_code": {"type": "string"}, "attributes": {"type": "array", "items": ATTRIBUTE}},
}

REQUEST = {
    "type": "object",
    "required": ["service_request_id", "status", "service_code", "requested_datetime"],
    "properties": {
        "service_request_id": {"type": "string", "minLength": 1},
        "status": {"enum": ["open", "closed"]},
        "status_notes": _maybe("string"),
        "service_name": _maybe("string"),
        "service_code": {"type": "string"},
        "description": _maybe("string", maxLength=4000),
        "agency_responsible": _maybe("string"),
        "service_notice": _maybe("string"),
        "requested_datetime": _datetime(),
        "updated_datetime": {"anyOf": [_datetime(), {"type": "null"}]},
        "expected_datetime": {"anyOf": [_datetime(), {"type": "null"}]},
        "address": _maybe("string"),
        "address_id": _maybe("string"),
        "zipcode": _maybe("string"),
        "lat": _maybe("number"),
        "long": _maybe("number"),
        "media_url": _maybe("string"),
    },
}
REQUESTS = {"type": "array", "items": REQUEST}

# POST answers: an id or a token (never both), with an optional notice and account id.
CREATED = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "properties": {"service_request_id": {"type": "string"}, "token": {"type": "string"},
                       "service_notice": _maybe("string"), "account_id": _maybe("string")},
        "oneOf": [{"required": ["service_request_id"]}, {"required": ["token"]}],
    },
}

ERRORS = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": ["integer", "string"]}, "description": {"type": "string", "minLength": 1}},
    },
}


def check(schema: dict, document) -> None:
    errors = sorted(Draft7Validator(schema).iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


# ---- XML read back by the Spark convention ----------------------------------------------------------

ITEMS = {"services": "service", "service_requests": "request", "attributes": "attribute", "values": "value",
         "errors": "error"}


def _typed(text: str | None, schema: dict):
    if text is None or text == "":
        return None
    kinds = set()
    for option in schema.get("anyOf", [schema]):
        kind = option.get("type")
        kinds |= set(kind) if isinstance(kind, list) else {kind}
    if "boolean" in kinds:
        assert text in ("true", "false"), f"boolean written as {text!r}"
        return text == "true"
    if "integer" in kinds and re.fullmatch(r"-?\d+", text):
        return int(text)
    if "number" in kinds:
        return float(text)
    return text


def _object(element: ElementTree.Element, schema: dict) -> dict:
    properties = schema.get("properties", {})
    out = {}
    for child in element:
        assert child.tag in properties, f"<{child.tag}> is not a field of <{element.tag}>"
        assert child.tag not in out, f"<{child.tag}> appears twice in <{element.tag}>"
        field = properties[child.tag]
        if field.get("type") == "array":
            out[child.tag] = [_object(item, field["items"]) for item in child]
            assert all(item.tag == ITEMS[child.tag] for item in child)
        else:
            assert len(child) == 0, f"<{child.tag}> should hold text only"
            out[child.tag] = _typed(child.text, field)
    return out


def from_xml(body: bytes, root: str, schema: dict):
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>'), "XML declaration with UTF-8 missing"
    element = ElementTree.fromstring(body)
    assert element.tag == root, f"root is <{element.tag}>, not <{root}>"
    if schema.get("type") == "array":
        assert all(child.tag == ITEMS[root] for child in element), f"<{root}> must hold <{ITEMS[root]}> items"
        return [_object(child, schema["items"]) for child in element]
    return _object(element, schema)

"""Open311 answers as JSON or XML, one mapping of the other (the spec's Spark convention).

A list becomes an XML element named after the list whose children are named after one item
(services/service, service_requests/request, attributes/attribute, values/value, errors/error);
true and false are written in lower case and a missing value is an empty element.
"""
from __future__ import annotations

import json
import re
from typing import Any
from xml.etree import ElementTree

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
}


# What XML 1.0 cannot hold (an argument echoed in an error may carry it): left out.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ElementTree.SubElement(element, key), item)
    elif isinstance(value, list):
        item_name = ITEM_NAMES.get(element.tag, "item")
        for item in value:
            _fill(ElementTree.SubElement(element, item_name), item)
    else:
        element.text = _text(value)


def to_xml(root: str, payload: Any) -> bytes:
    """`payload` under a root element: a list for services, service_requests and errors, a dict
    for service_definition."""
    element = ElementTree.Element(root)
    _fill(element, payload)
    body = ElementTree.tostring(element, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8")


def to_json(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def render(fmt: str, root: str, payload: Any) -> tuple[bytes, str]:
    """The body and its content type in the format asked for."""
    if fmt == "xml":
        return to_xml(root, payload), CONTENT_TYPES["xml"]
    return to_json(payload), CONTENT_TYPES["json"]

"""Open311 GeoReport v2 rules: arguments, defaults, entries and both formats, from the spec."""
import re
from datetime import datetime, timedelta, timezone
from xml.etree import ElementTree

import pytest

from app.domain.open311 import (
    DEFAULT_SPAN, MAX_REQUESTS, Open311Error, RequestRow, ServiceType, parse_post, parse_request_query,
    request_entry, service_definition, service_entry, w3_datetime,
)
from app.domain.open311_format import render, to_xml
from app.domain.statuses import CLOSED_STATUSES, OPEN_STATUSES

NOW = datetime(2026, 3, 1, 5, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("moment, text", [
    (datetime(2026, 1, 1, 0, 0, tzinfo=timezone.utc), "2026-01-01T07:00:00+07:00"),
    (datetime(2025, 12, 31, 17, 0, 30, 999, tzinfo=timezone.utc), "2026-01-01T00:00:30+07:00"),
    (None, None),
])
def test_times_are_w3_with_bangkok_offset(moment, text):
    assert w3_datetime(moment) == text


def test_defaults_are_the_last_90_days_and_1000_requests():
    query = parse_request_query({}, NOW)
    assert (query.start, query.end) == (NOW - DEFAULT_SPAN, NOW)
    assert (query.page, query.page_size, query.offset) == (1, MAX_REQUESTS, 0)
    assert not query.statuses and not query.service_codes


@pytest.mark.parametrize("args, start, end", [
    ({"start_date": "2026-01-01T00:00:00Z"}, datetime(2026, 1, 1, tzinfo=timezone.utc),
     datetime(2026, 3, 1, 5, 0, tzinfo=timezone.utc)),
    ({"end_date": "2026-02-01T00:00:00+07:00"}, datetime(2026, 2, 1, tzinfo=timezone(timedelta(hours=7))) - DEFAULT_SPAN,
     datetime(2026, 2, 1, tzinfo=timezone(timedelta(hours=7)))),
    # A bare end date takes in its whole day.
    ({"start_date": "2026-01-01", "end_date": "2026-01-31"}, datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=7))),
     datetime(2026, 1, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=7)))),
    # "+07:00" sent unencoded in an address arrives as " 07:00".
    ({"start_date": "2026-01-01T00:00:00 07:00", "end_date": "2026-01-02T08:30:00 0700"},
     datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=7))),
     datetime(2026, 1, 2, 8, 30, tzinfo=timezone(timedelta(hours=7)))),
])
def test_date_ranges(args, start, end):
    query = parse_request_query(args, NOW)
    assert (query.start, query.end) == (start, end)


@pytest.mark.parametrize("args", [
    {"start_date": "yesterday"},
    {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},  # more than 90 days
    {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},  # backwards
    {"status": "pending"},
    {"page": "0"}, {"page": "-1"}, {"page_size": "many"},
    {"service_request_id": ",".join(f"DIW-2569-{n:06d}" for n in range(1, 102))},
])
def test_bad_arguments_are_400(args):
    with pytest.raises(Open311Error) as info:
        parse_request_query(args, NOW)
    assert info.value.status == 400
    assert all(entry["code"] == 400 and entry["description"] for entry in info.value.entries())


def test_filters():
    query = parse_request_query({"status": "open", "service_code": "DIW-NUISANCE,TISI-UNSAFE", "page": "2",
                                 "page_size": "5000"}, NOW)
    assert query.statuses == OPEN_STATUSES
    assert query.service_codes == ("DIW-NUISANCE", "TISI-UNSAFE")
    assert (query.page, query.page_size, query.offset) == (2, MAX_REQUESTS, MAX_REQUESTS)
    both = parse_request_query({"status": "open,closed"}, NOW)
    assert both.statuses == OPEN_STATUSES | CLOSED_STATUSES


def test_service_request_id_overrides_everything_else():
    query = parse_request_query({"service_request_id": "diw-2569-000001, DIW-2569-000002", "status": "nonsense"}, NOW)
    assert query.ids == ("DIW-2569-000001", "DIW-2569-000002") and query.start is None


SERVICE = ServiceType("DIW-NUISANCE", "complaint", "เหตุเดือดร้อนรำคาญ", "Factory nuisance", 15, "DIW",
                      "กรมโรงงานอุตสาหกรรม", "Department of Industrial Works", "กรอ.")


@pytest.mark.parametrize("lang, name, group", [("th", "เหตุเดือดร้อนรำคาญ", "กรมโรงงานอุตสาหกรรม"),
                                               ("en", "Factory nuisance", "Department of Industrial Works")])
def test_service_entry(lang, name, group):
    entry = service_entry(SERVICE, lang)
    assert list(entry) == ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
    assert (entry["service_code"], entry["service_name"], entry["group"]) == ("DIW-NUISANCE", name, group)
    assert entry["metadata"] is False and entry["type"] == "realtime"
    assert "DIW" in entry["keywords"].split(", ")
    assert service_definition(SERVICE) == {"service_code": "DIW-NUISANCE", "attributes": []}


ROW = RequestRow("DIW-2569-000007", "resolved", "DIW-NUISANCE", "เหตุเดือดร้อนรำคาญ", "Factory nuisance",
                 "กรมโรงงานอุตสาหกรรม", "Department of Industrial Works",
                 submitted_at=datetime(2026, 1, 5, 2, 0, tzinfo=timezone.utc),
                 updated_at=datetime(2026, 1, 20, 2, 0, tzinfo=timezone.utc),
                 closed_at=datetime(2026, 1, 10, 2, 0, tzinfo=timezone.utc),
                 due_at=datetime(2026, 1, 26, 17, 0, tzinfo=timezone.utc),
                 province="ระยอง", district="เมืองระยอง", latitude=12.681234, longitude=101.275678,
                 public_note="แก้ไขแล้ว")


def test_request_entry_fields():
    entry = request_entry(ROW, "en")
    assert entry["service_request_id"] == "DIW-2569-000007"
    assert entry["status"] == "closed" and entry["status_notes"] == "แก้ไขแล้ว"
    assert entry["agency_responsible"] == "Department of Industrial Works"
    assert entry["requested_datetime"] == "2026-01-05T09:00:00+07:00"
    assert entry["updated_datetime"] == "2026-01-10T09:00:00+07:00"  # closed: the day it closed
    assert entry["expected_datetime"] == "2026-01-26T23:59:59+07:00"  # the end of the due date
    assert entry["address"] == "Mueang Rayong, Rayong"
    assert (entry["lat"], entry["long"]) == (12.681, 101.276)
    assert entry["description"] is None and "media_url" not in entry


def test_open_request_is_updated_at_its_last_change():
    entry = request_entry(RequestRow(**{**ROW.__dict__, "status": "in_progress", "closed_at": None}), "th")
    assert entry["status"] == "open" and entry["updated_datetime"] == "2026-01-20T09:00:00+07:00"


def test_xml_follows_the_spark_convention():
    body = to_xml("service_requests", [request_entry(ROW, "th")])
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ElementTree.fromstring(body)
    assert root.tag == "service_requests" and [child.tag for child in root] == ["request"]
    request = root[0]
    assert request.findtext("status") == "closed" and request.findtext("lat") == "12.681"
    assert request.find("description").text is None
    definition = ElementTree.fromstring(to_xml("service_definition", service_definition(SERVICE)))
    assert definition.findtext("service_code") == "DIW-NUISANCE" and definition.find("attributes") is not None
    services = ElementTree.fromstring(to_xml("services", [service_entry(SERVICE, "th")]))
    assert services[0].tag == "service" and services[0].findtext("metadata") == "false"


def test_render_content_types():
    assert render("json", "errors", [])[1] == "application/json; charset=utf-8"
    assert render("xml", "errors", [])[1] == "text/xml; charset=utf-8"


@pytest.mark.parametrize("form, message", [
    ({}, "service_code"),
    ({"service_code": "X"}, "location"),
    ({"service_code": "X", "lat": "13.7"}, "lat and long"),
    ({"service_code": "X", "lat": "13.7", "long": "100.5", "description": "x" * 4001}, "description"),
])
def test_post_needs_service_code_and_location(form, message):
    with pytest.raises(Open311Error) as info:
        parse_post(form)
    assert info.value.status == 400 and any(message in d for d in info.value.descriptions)
    # A refused field is described in English and Thai, as the case rules' refusals are.
    assert all(re.search(r" / .*[\u0e00-\u0e7f]", d) for d in info.value.descriptions), info.value.descriptions


def test_post_maps_onto_case_fields():
    posted = parse_post({"service_code": "DIW-NUISANCE", "address_string": "99/1 ซอยสุขุมวิท 3, เมืองระยอง, ระยอง",
                         "description": "กลิ่นเหม็นทุกคืน\nตั้งแต่เดือนที่แล้ว", "first_name": "สมชาย",
                         "last_name": "ใจดี", "email": "somchai@example.com", "phone": "0812345678"})
    fields = posted.fields
    assert posted.service_code == "DIW-NUISANCE"
    assert (fields["province"], fields["district"]) == ("ระยอง", "เมืองระยอง")
    assert fields["title"] == "กลิ่นเหม็นทุกคืน"
    assert "99/1 ซอยสุขุมวิท 3" in fields["description"]  # kept for staff, never published
    assert fields["requester_name"] == "สมชาย ใจดี" and fields["channel"] == "web"

"""What administrators type as sync settings: accepted, or refused in Thai and English."""
from __future__ import annotations

import json

import pytest

from app.domain.errors import RuleError
from app.domain.sync_settings import check_sync_interval, parse_connector_settings, parse_status_map


@pytest.mark.parametrize("text, expected", [
    ("", None),
    ("   ", None),
    (None, None),
    ("{}", {}),
    ('{"APPROVED": "resolved", " PENDING ": "waiting_applicant"}',
     {"APPROVED": "resolved", "PENDING": "waiting_applicant"}),
    ('{"อนุมัติ": "resolved"}', {"อนุมัติ": "resolved"}),
])
def test_status_maps_accepted(text, expected):
    assert parse_status_map(text) == expected


@pytest.mark.parametrize("text, code", [
    ("{not json", "invalid_json"),
    ('["resolved"]', "not_an_object"),
    ('"resolved"', "not_an_object"),
    ('{"APPROVED": "done"}', "unknown_status"),
    ('{"APPROVED": 3}', "unknown_status"),
    ('{"APPROVED": null}', "unknown_status"),
    ('{"": "resolved"}', "bad_external_status"),
    ('{"' + "x" * 101 + '": "resolved"}', "bad_external_status"),
    ('{"A ": "resolved", "A": "rejected"}', "duplicate_external_status"),
])
def test_status_maps_refused_with_a_message_in_both_languages(text, code):
    with pytest.raises(RuleError) as caught:
        parse_status_map(text)
    assert caught.value.code == code and caught.value.field == "status_map"
    assert caught.value.message_en and caught.value.message_th and caught.value.message_th != caught.value.message_en


@pytest.mark.parametrize("text, keys, expected", [
    ("", ["base_url"], None),
    ('{"base_url": "http://127.0.0.1:8090", "timeout": 5}', ["base_url", "timeout"],
     {"base_url": "http://127.0.0.1:8090", "timeout": 5}),
    ('{"anything": 1}', None, {"anything": 1}),
])
def test_connector_settings_accepted(text, keys, expected):
    assert parse_connector_settings(text, keys) == expected


@pytest.mark.parametrize("text, keys, code", [
    ("[1]", None, "not_an_object"),
    ("{", None, "invalid_json"),
    ('{"base_url": "x", "colour": "red"}', ["base_url", "token"], "unknown_setting"),
    ('{"timeout": 0}', None, "bad_setting"), ('{"timeout": -1}', None, "bad_setting"),
    ('{"timeout": NaN}', None, "bad_setting"), ('{"timeout": "fast"}', None, "bad_setting"),
    ('{"max_retries": 1000}', None, "bad_setting"), ('{"backoff": true}', None, "bad_setting"),
])
def test_connector_settings_refused(text, keys, code):
    with pytest.raises(RuleError) as caught:
        parse_connector_settings(text, keys)
    assert caught.value.code == code


@pytest.mark.parametrize("minutes, ok", [(1, True), (15, True), (1440, True), (0, False), (1441, False),
                                         (None, False), (-5, False)])
def test_sync_intervals(minutes, ok):
    if ok:
        assert check_sync_interval(minutes) == minutes
    else:
        with pytest.raises(RuleError):
            check_sync_interval(minutes)


def test_the_settings_screen_takes_no_page_the_rest_connector_refuses():
    from app.connectors.rest_json import MAX_PAGE_SIZE

    assert parse_connector_settings(f'{{"page_size": {MAX_PAGE_SIZE}}}') == {"page_size": MAX_PAGE_SIZE}
    with pytest.raises(RuleError) as caught:
        parse_connector_settings(f'{{"page_size": {MAX_PAGE_SIZE + 1}}}')
    assert caught.value.code == "bad_setting"


@pytest.mark.parametrize("url", ["https://user:pass@licences.diw.go.th/api", "https://licences.diw.go.th/api?token=abc",
                                 "https://h.example/api?API_KEY=1", "ftp://h.example/api", "licences.diw.go.th/api", "   ", 5])
def test_a_base_url_with_a_credential_or_not_http_is_refused(url):
    """A user and password or a token in the address would be shown and kept in the settings
    history unmasked; the token setting is masked."""
    with pytest.raises(RuleError) as refused:
        parse_connector_settings(json.dumps({"base_url": url, "token": "t"}), ["base_url", "token"])
    assert refused.value.field == "connector_settings" and refused.value.message_th


@pytest.mark.parametrize("url", ["https://licences.diw.go.th/api", "http://127.0.0.1:8090/rest/DIW?region=east", "",
                                 None])
def test_a_plain_base_url_or_none_is_taken(url):
    """Left empty, a kind's own address is used (Traffy Fondue's public exchange API)."""
    assert parse_connector_settings(json.dumps({"base_url": url}), ["base_url"])["base_url"] == url


def test_json_that_cannot_be_read_is_said_where_in_the_readers_words():
    """The Thai message carried the parser's English ("Expecting property name...")."""
    with pytest.raises(RuleError) as caught:
        parse_status_map('{\n  "APPROVED": "resolved",\n  oops\n}')
    assert caught.value.message_th.endswith("ไม่ใช่ JSON ที่ถูกต้อง (บรรทัดที่ 3 ตำแหน่งที่ 3)")
    assert caught.value.message_en.startswith("The status map: this is not valid JSON (Expecting")

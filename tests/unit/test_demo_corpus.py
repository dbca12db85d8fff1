"""The demo case generator (app/domain/demo_corpus.py)."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from itertools import islice

import pytest

from app.domain import geo
from app.domain.defaults import AGENCIES, CASE_TYPES
from app.domain.demo_corpus import (
    ANONYMOUS_NAME,
    CASE_KEYS,
    COVERAGE_STRIDE,
    generate_cases,
    thai_id_check_digit,
)
from app.domain.statuses import CLOSED_STATUSES, OPEN_STATUSES, Channel, Kind, Priority, Status

NOW = datetime(2026, 3, 15, 5, 30, 12, 345678, tzinfo=timezone.utc)
TWO_YEARS = timedelta(days=730)
PHONE = re.compile(r"^0[689]\d{8}$")
CASE_TYPE_BY_CODE = {ct.code: ct for ct in CASE_TYPES}
AGENCY_CODES = {a.code for a in AGENCIES}
DISTRICTS = {p.name_th: {d.name_th: set(d.subdistricts) for d in p.districts} for p in geo.provinces()}


def thai_id_ok(digits: str) -> bool:
    """Independent of the module under test: sum of digit i times (13 - i), mod 11."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


@pytest.fixture(scope="module")
def cases() -> list[dict]:
    return list(generate_cases(5_000, now=NOW))


@pytest.mark.parametrize("first12, check", [
    ("110170020340", "9"),   # 1-1017-00203-40-9
    ("310060020002", "1"),
    ("010553600012", "7"),   # a juristic number shape
    ("000000000000", "1"),
])
def test_thai_id_check_digit(first12, check):
    assert thai_id_check_digit(first12) == check
    assert thai_id_ok(first12 + check)


def test_same_seed_same_cases():
    assert list(generate_cases(500, now=NOW)) == list(generate_cases(500, now=NOW))


def test_other_seed_other_cases():
    assert list(generate_cases(50, now=NOW)) != list(generate_cases(50, seed=7, now=NOW))


def test_a_longer_run_starts_with_a_shorter_one():
    assert list(generate_cases(300, now=NOW)) == list(islice(generate_cases(2_000, now=NOW), 300))


def test_count(cases):
    assert len(cases) == 5_000
    assert list(generate_cases(0, now=NOW)) == []


def test_every_key_and_only_those(cases):
    for case in cases:
        assert tuple(case) == CASE_KEYS


def test_values_fit_the_vocabulary_and_the_seeds(cases):
    statuses, channels, priorities = set(Status), set(Channel), set(Priority)
    for case in cases:
        case_type = CASE_TYPE_BY_CODE[case["case_type_code"]]
        assert case["agency_code"] == case_type.agency and case["agency_code"] in AGENCY_CODES
        assert case["kind"] == case_type.kind and case["kind"] in set(Kind)
        assert type(case["kind"]) is str and type(case["status"]) is str
        assert case["status"] in statuses
        assert case["channel"] in channels and case["channel"] != Channel.IMPORT
        assert case["priority"] in priorities
        assert case["title"] and case["description"]
        assert len(case["title"]) <= 300
        assert isinstance(case["reopen_count"], int) and 0 <= case["reopen_count"] <= 2


def test_all_case_types_and_statuses_appear(cases):
    assert {c["case_type_code"] for c in cases} == set(CASE_TYPE_BY_CODE)
    assert {c["status"] for c in cases} == set(Status)


def test_traffy_only_carries_ops_and_diw_complaints(cases):
    traffy = [c for c in cases if c["channel"] == Channel.TRAFFY]
    assert traffy
    for case in traffy:
        assert case["kind"] == Kind.COMPLAINT and case["agency_code"] in {"OPS", "DIW"}


def test_requests_come_mostly_through_departmental_systems(cases):
    requests = Counter(c["channel"] for c in cases if c["kind"] == Kind.REQUEST)
    assert requests.most_common(1)[0][0] == Channel.DEPARTMENT


def test_locations_are_real_and_inside_thailand(cases):
    for case in cases:
        subdistricts = DISTRICTS[case["province"]][case["district"]]
        assert case["subdistrict"] in subdistricts
        assert geo.in_thailand(case["latitude"], case["longitude"])
        province = geo.province_by_name(case["province"])
        assert abs(case["latitude"] - province.latitude) <= 0.031
        assert abs(case["longitude"] - province.longitude) <= 0.031


def test_all_77_provinces_at_5000(cases):
    assert len({c["province"] for c in cases}) == 77


def test_all_77_provinces_from_1001_cases():
    assert len({c["province"] for c in generate_cases(76 * COVERAGE_STRIDE + 1, now=NOW)}) == 77


def test_bangkok_and_industrial_provinces_get_more(cases):
    counts = Counter(c["province"] for c in cases)
    assert counts.most_common(1)[0][0] == "กรุงเทพมหานคร"
    for name in ("ระยอง", "ชลบุรี", "สมุทรปราการ", "สมุทรสาคร", "พระนครศรีอยุธยา"):
        assert counts[name] > 3 * counts["แม่ฮ่องสอน"], name


def test_no_mining_cases_in_bangkok(cases):
    assert not [c for c in cases if c["province"] == "กรุงเทพมหานคร" and c["agency_code"] == "DPIM"]


def test_times_are_consistent(cases):
    for case in cases:
        submitted, first, closed = case["submitted_at"], case["first_response_at"], case["closed_at"]
        assert submitted.tzinfo is not None and submitted.utcoffset() == timedelta(0)
        assert NOW - TWO_YEARS <= submitted < NOW
        if first is not None:
            assert submitted <= first <= NOW
        if case["status"] in CLOSED_STATUSES:
            assert closed is not None and submitted < closed <= NOW
            if first is not None:
                assert first <= closed
        else:
            assert case["status"] in OPEN_STATUSES
            assert closed is None
        if case["status"] == Status.RECEIVED:
            assert first is None and case["reopen_count"] == 0
        if case["status"] in (Status.IN_PROGRESS, Status.WAITING_APPLICANT, Status.FORWARDED):
            assert first is not None


def test_old_cases_mostly_closed_recent_ones_mostly_open(cases):
    old = [c for c in cases if NOW - c["submitted_at"] > timedelta(days=180)]
    recent = [c for c in cases if NOW - c["submitted_at"] < timedelta(days=7)]
    assert sum(c["status"] in CLOSED_STATUSES for c in old) / len(old) > 0.95
    assert sum(c["status"] in OPEN_STATUSES for c in recent) / len(recent) > 0.6
    closed = Counter(c["status"] for c in cases if c["status"] in CLOSED_STATUSES)
    assert 0.65 < closed[Status.RESOLVED] / sum(closed.values()) < 0.85


def test_satisfaction_only_on_some_resolved_cases(cases):
    rated = [c for c in cases if c["satisfaction"] is not None]
    assert rated
    for case in rated:
        assert case["status"] == Status.RESOLVED and case["satisfaction"] in {1, 2, 3, 4, 5}
    resolved = [c for c in cases if c["status"] == Status.RESOLVED]
    assert len(rated) < len(resolved)


def test_public_notes_only_on_closed_cases(cases):
    noted = [c for c in cases if c["public_note"] is not None]
    assert noted
    assert all(c["status"] in CLOSED_STATUSES for c in noted)


def test_mostly_normal_priority_and_no_reopen(cases):
    assert Counter(c["priority"] for c in cases).most_common(1)[0][0] == Priority.NORMAL
    assert Counter(c["reopen_count"] for c in cases)[0] / len(cases) > 0.9


def test_requester_ids_have_valid_check_digits(cases):
    ids = [c["requester_id"] for c in cases if c["requester_id"] is not None]
    assert len(ids) > len(cases) * 0.7
    for citizen_or_juristic in ids:
        assert thai_id_ok(citizen_or_juristic), citizen_or_juristic


def test_citizens_start_1_to_8_and_companies_start_0(cases):
    for case in cases:
        number, name = case["requester_id"], case["requester_name"]
        if number is None:
            continue
        if name.startswith(("บริษัท ", "ห้างหุ้นส่วนจำกัด ")):
            assert number[0] == "0", case
        else:
            assert name.startswith(("นาย", "นาง", "นางสาว")), name
            assert number[0] in "12345678", case


def test_phones_and_emails(cases):
    phones = [c["requester_phone"] for c in cases if c["requester_phone"] is not None]
    assert phones
    assert all(PHONE.match(p) for p in phones)
    emails = [c["requester_email"] for c in cases]
    assert any(e is None for e in emails) and any(e is not None for e in emails)
    assert all(re.match(r"^[^@\s]+@[^@\s]+\.[a-z.]+$", e) for e in emails if e)


def test_anonymous_complaints_have_no_contact(cases):
    anonymous = [c for c in cases if c["requester_name"] == ANONYMOUS_NAME]
    assert anonymous
    for case in anonymous:
        assert case["kind"] == Kind.COMPLAINT
        assert case["requester_id"] is case["requester_phone"] is case["requester_email"] is None


def test_requests_name_a_requester_with_an_id(cases):
    for case in cases:
        if case["kind"] == Kind.REQUEST:
            assert case["requester_id"] is not None and case["requester_name"] != ANONYMOUS_NAME
            assert case["description"].startswith(case["requester_name"])


def test_juristic_requesters_appear(cases):
    assert any(c["requester_name"].startswith("บริษัท ") for c in cases)
    assert any(c["requester_name"].startswith("ห้างหุ้นส่วนจำกัด ") for c in cases)


def test_external_refs_unique_per_agency(cases):
    seen = defaultdict(set)
    for case in cases:
        ref = case["external_ref"]
        if case["kind"] == Kind.REQUEST:
            assert ref is not None and ref.startswith(f"{case['agency_code']}-EXT-")
        if ref is not None:
            assert ref not in seen[case["agency_code"]], ref
            seen[case["agency_code"]].add(ref)
    complaints = [c for c in cases if c["kind"] == Kind.COMPLAINT]
    assert sum(c["external_ref"] is None for c in complaints) / len(complaints) > 0.6


@pytest.mark.parametrize("code, words", [
    ("DIW-NUISANCE", ("โรงงาน", "โรงสี")),
    ("DIW-RNG4", ("ร.ง.4", "คำขออนุญาตประกอบกิจการ")),
    ("DIPROM-SME-LOAN", ("สินเชื่อ SME",)),
    ("TISI-LICENCE", ("มอก.",)),
    ("DPIM-CONCESSION", ("ประทานบัตร",)),
    ("DPIM-IMPACT", ("เหมือง",)),
    ("OPS-SERVICE", ("สำนักงาน",)),
])
def test_titles_fit_their_case_type(cases, code, words):
    titles = [c["title"] for c in cases if c["case_type_code"] == code]
    assert titles
    assert all(any(word in title for word in words) for title in titles), code
    assert len(set(titles)) >= min(10, len(titles))  # variety


def test_location_appears_in_the_description(cases):
    for case in cases:
        if case["case_type_code"] in ("DIW-NUISANCE", "DIW-RNG4", "DPIM-CONCESSION"):
            assert case["subdistrict"] in case["description"] and case["district"] in case["description"]


def test_agencies_limit_the_case_types():
    only_tisi = [a for a in AGENCIES if a.code == "TISI"]
    cases = list(generate_cases(300, now=NOW, agencies=only_tisi))
    assert {c["agency_code"] for c in cases} == {"TISI"}
    with pytest.raises(ValueError):
        generate_cases(10, now=NOW, agencies=[])


def test_now_must_be_aware_and_count_not_negative():
    with pytest.raises(ValueError):
        generate_cases(10, now=datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        generate_cases(-1, now=NOW)


def test_now_in_another_zone_is_the_same_instant():
    bangkok = timezone(timedelta(hours=7))
    assert list(generate_cases(200, now=NOW)) == list(generate_cases(200, now=NOW.astimezone(bangkok)))

from datetime import datetime, timezone

import pytest

from app.domain.tracking import be_year, format_tracking_code, parse_tracking_code


@pytest.mark.parametrize("agency, year, seq, code", [
    ("DIW", 2569, 123, "DIW-2569-000123"),
    ("ops", 2568, 1, "OPS-2568-000001"),
    ("DIPROM", 2570, 1_234_567, "DIPROM-2570-1234567"),
])
def test_format(agency, year, seq, code):
    assert format_tracking_code(agency, year, seq) == code
    assert parse_tracking_code(code) == (agency.upper(), year, seq)


@pytest.mark.parametrize("text", ["", "DIW-2569-12", "DIW2569000123", "DIW-69-000123", "<script>", None])
def test_parse_rejects_malformed(text):
    assert parse_tracking_code(text) is None


def test_parse_tolerates_case_and_spaces():
    assert parse_tracking_code("  diw-2569-000123 ") == ("DIW", 2569, 123)


def test_sequence_starts_at_one():
    with pytest.raises(ValueError):
        format_tracking_code("DIW", 2569, 0)


@pytest.mark.parametrize("moment, year", [
    (datetime(2025, 12, 31, 16, 59, tzinfo=timezone.utc), 2568),  # 23:59 in Bangkok
    (datetime(2025, 12, 31, 17, 0, tzinfo=timezone.utc), 2569),   # midnight in Bangkok: new year
    (datetime(2026, 6, 1, tzinfo=timezone.utc), 2569),
])
def test_be_year_follows_bangkok_calendar(moment, year):
    assert be_year(moment) == year


def test_be_year_refuses_naive():
    with pytest.raises(ValueError):
        be_year(datetime(2026, 1, 1))


@pytest.mark.parametrize("typed, code", [("DIW", "DIW"), (" dlt ", "DLT"), ("Tisi", "TISI"), ("ABCDEFGHIJKL", "ABCDEFGHIJKL")])
def test_agency_codes_are_kept_in_capitals(typed, code):
    from app.domain.tracking import check_agency_code

    assert check_agency_code(typed) == code


@pytest.mark.parametrize("typed", ["", "D", "DIW-2", "กรอ", "ABCDEFGHIJKLM", "D W", None])
def test_an_agency_code_that_cannot_begin_a_tracking_code_is_refused(typed):
    from app.domain.errors import RuleError
    from app.domain.tracking import check_agency_code

    with pytest.raises(RuleError) as caught:
        check_agency_code(typed)
    assert caught.value.code == "bad_agency_code" and "DIW-2569-000123" in caught.value.message_th

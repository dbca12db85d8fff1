"""The agencies and case types a new database starts with."""
import re

from app.domain.defaults import AGENCIES, CASE_TYPES

THAI = re.compile(r"[\u0E00-\u0E7F]")
LATIN = re.compile(r"[A-Za-z]{3,}")


def test_each_agencys_description_reads_in_both_languages():
    """It is one text on the screens of either language: it was English only on Thai screens."""
    for agency in AGENCIES:
        assert THAI.search(agency.role) and LATIN.search(agency.role), agency.code
        assert THAI.match(agency.role), "Thai first"
        assert len(agency.role) <= 500  # agency.description


def test_every_case_type_belongs_to_a_seeded_agency_and_is_named_in_both_languages():
    codes = {agency.code for agency in AGENCIES}
    for case_type in CASE_TYPES:
        assert case_type.agency in codes and case_type.code.startswith(case_type.agency + "-")
        assert THAI.search(case_type.name_th) and LATIN.search(case_type.name_en), case_type.code

"""The province table and its lookups (app/domain/geo.py)."""
from __future__ import annotations

import dataclasses

import pytest

from app.domain.geo import (
    THAILAND_BBOX,
    Province,
    Region,
    districts_of,
    in_thailand,
    province_by_code,
    province_by_name,
    provinces,
)

INDUSTRIAL_CODES = ("11", "13", "14", "19", "20", "21", "24", "25", "74")


def test_there_are_77_provinces_in_code_order():
    codes = [p.code for p in provinces()]
    assert len(codes) == 77
    assert codes == sorted(codes)


def test_codes_and_names_are_unique():
    all_provinces = provinces()
    assert len({p.code for p in all_provinces}) == 77
    assert len({p.name_th for p in all_provinces}) == 77
    assert len({p.name_en.casefold() for p in all_provinces}) == 77


def test_codes_are_iso_3166_2_th_numbers():
    for province in provinces():
        assert len(province.code) == 2 and province.code.isdigit(), province
        assert 10 <= int(province.code) <= 96, province


@pytest.mark.parametrize("region, count", [
    (Region.NORTH, 9), (Region.NORTHEAST, 20), (Region.CENTRAL, 22),
    (Region.EAST, 7), (Region.WEST, 5), (Region.SOUTH, 14),
])
def test_six_region_division(region, count):
    assert sum(p.region is region for p in provinces()) == count


def test_every_centroid_is_inside_thailand():
    for province in provinces():
        assert in_thailand(province.latitude, province.longitude), province.name_en


def test_every_province_has_districts_with_subdistricts():
    for province in provinces():
        assert len(province.districts) >= 3, province.name_en
        district_names = [d.name_th for d in province.districts]
        assert len(set(district_names)) == len(district_names), province.name_en
        for district in province.districts:
            assert district.name_th and district.name_en
            assert district.subdistricts, (province.name_en, district.name_en)
            assert len(set(district.subdistricts)) == len(district.subdistricts)


def test_capital_district_comes_first():
    for province in provinces():
        capital = province.capital_district
        if province.code == "10":
            assert capital.name_th == "พระนคร"
        elif province.code == "14":
            assert capital.name_th == "พระนครศรีอยุธยา"
        else:
            assert capital.name_th == "เมือง" + province.name_th, province.name_en
            assert capital.name_en == "Mueang " + province.name_en, province.name_en


def test_industrial_provinces_list_more_districts():
    for code in INDUSTRIAL_CODES:
        province = province_by_code(code)
        subdistricts = sum(len(d.subdistricts) for d in province.districts)
        assert len(province.districts) >= 6 or subdistricts >= 10, province.name_en


@pytest.mark.parametrize("code, name_th", [
    ("10", "กรุงเทพมหานคร"), ("14", "พระนครศรีอยุธยา"), ("25", "ปราจีนบุรี"),
    ("84", "สุราษฎร์ธานี"), ("80", "นครศรีธรรมราช"), ("34", "อุบลราชธานี"), ("38", "บึงกาฬ"),
    ("50", "เชียงใหม่"), ("21", "ระยอง"), ("20", "ชลบุรี"), ("74", "สมุทรสาคร"),
])
def test_thai_spellings(code, name_th):
    assert province_by_code(code).name_th == name_th


@pytest.mark.parametrize("name, code", [
    ("กรุงเทพมหานคร", "10"), ("กรุงเทพฯ", "10"), ("กทม.", "10"), ("กทม", "10"),
    ("Bangkok", "10"), ("BANGKOK", "10"), (" bangkok ", "10"), ("Krung Thep Maha Nakhon", "10"),
    ("จังหวัดเชียงใหม่", "50"), ("จ.เชียงใหม่", "50"), ("จ. เชียงใหม่", "50"), ("เชียงใหม่", "50"),
    ("Chiang Mai", "50"), ("chiangmai", "50"), ("Chiang Mai Province", "50"),
    ("จ.จันทบุรี", "22"), ("จันทบุรี", "22"), ("จังหวัดจันทบุรี", "22"),
    ("Chonburi", "20"), ("Chon Buri", "20"), ("ชลบุรี", "20"),
    ("อยุธยา", "14"), ("Ayutthaya", "14"), ("Phra Nakhon Si Ayutthaya", "14"),
    ("พระนครศรีอยุธยา", "14"), ("Prachinburi", "25"), ("ปราจีนบุรี", "25"),
    ("Lopburi", "16"), ("Buriram", "31"), ("Sisaket", "33"), ("Si Sa Ket", "33"),
    ("Phang-nga", "82"), ("Phangnga", "82"), ("Nong Bua Lamphu", "39"), ("โคราช", "30"),
    ("Samut Prakarn", "11"), ("สมุทรปราการ", "11"), ("Changwat Rayong", "21"),
    ("สุราษฎร์ธานี", "84"), ("Surat Thani", "84"), ("บึงกาฬ", "38"), ("Bueng Kan", "38"),
])
def test_province_by_name(name, code):
    assert province_by_name(name).code == code


@pytest.mark.parametrize("name", ["", "   ", "Pattaya", "Vientiane", "จ.", "กรุงเทพมหานครฯ2"])
def test_province_by_name_unknown(name):
    assert province_by_name(name) is None


def test_province_by_code():
    assert province_by_code("50").name_en == "Chiang Mai"
    assert province_by_code("99") is None


def test_districts_of_accepts_a_province_a_name_or_a_code():
    chiang_mai = province_by_code("50")
    assert districts_of(chiang_mai) == districts_of("เชียงใหม่") == districts_of("50")
    assert districts_of("Bangkok")[0].name_th == "พระนคร"
    with pytest.raises(KeyError):
        districts_of("Atlantis")


@pytest.mark.parametrize("province, district, subdistrict", [
    ("10", "บางรัก", "สีลม"), ("10", "ปทุมวัน", "ลุมพินี"), ("21", "เมืองระยอง", "มาบตาพุด"),
    ("20", "ศรีราชา", "ทุ่งสุขลา"), ("50", "เมืองเชียงใหม่", "ศรีภูมิ"),
    ("14", "บางปะอิน", "คลองจิก"), ("74", "กระทุ่มแบน", "อ้อมน้อย"),
])
def test_known_subdistricts(province, district, subdistrict):
    by_name = {d.name_th: d for d in districts_of(province)}
    assert subdistrict in by_name[district].subdistricts


def test_bangkok_uses_khet_and_khwaeng():
    assert province_by_code("10").district_prefix == "เขต"
    assert province_by_code("10").subdistrict_prefix == "แขวง"
    assert province_by_code("50").district_prefix == "อำเภอ"
    assert province_by_code("50").subdistrict_prefix == "ตำบล"


@pytest.mark.parametrize("lat, lon, inside", [
    (13.75, 100.50, True), (5.6, 97.3, True), (20.5, 105.7, True), (5.59, 100.0, False),
    (20.51, 100.0, False), (13.0, 97.29, False), (13.0, 105.71, False), (0.0, 0.0, False),
])
def test_in_thailand(lat, lon, inside):
    assert in_thailand(lat, lon) is inside
    assert THAILAND_BBOX.contains(lat, lon) is inside


def test_table_is_immutable():
    province = provinces()[0]
    assert isinstance(provinces(), tuple) and isinstance(province.districts, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        province.name_th = "x"  # type: ignore[misc]
    assert isinstance(province, Province)


@pytest.mark.parametrize("stored, lang, shown", [
    ("ระยอง", "en", "Rayong"),
    ("จ.เชียงใหม่", "en", "Chiang Mai"),
    ("ระยอง", "th", "ระยอง"),
    ("Rayong", "th", "Rayong"),            # stored as typed: shown as stored to Thai readers
    ("ที่ไหนสักแห่ง", "en", "ที่ไหนสักแห่ง"),    # not a province we know: as stored
    (None, "en", ""),
])
def test_province_label(stored, lang, shown):
    from app.domain.geo import province_label

    assert province_label(stored, lang) == shown

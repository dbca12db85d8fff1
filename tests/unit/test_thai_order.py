"""Thai dictionary order (app/domain/thai_order.py) and the province list people choose from."""
from __future__ import annotations

import pytest

from app.domain.geo import provinces, provinces_by_name
from app.domain.thai_order import thai_sort_key


@pytest.mark.parametrize("earlier, later, why", [
    ("ชุมพร", "เชียงราย", "เ is read after ช, and ุ comes before เ"),
    ("เชียงใหม่", "ตรัง", "เชียงใหม่ is filed under ช, not after ฮ"),
    ("พิษณุโลก", "เพชรบุรี", "ิ before เ under พ"),
    ("เพชรบูรณ์", "แพร่", "เ before แ under พ"),
    ("แพร่", "ภูเก็ต", "แพร่ is filed under พ"),
    ("มุกดาหาร", "แม่ฮ่องสอน", "ุ before แ under ม"),
    ("ลำพูน", "เลย", "ำ before เ under ล"),
    ("สุโขทัย", "สุพรรณบุรี", "a later leading vowel is read after its consonant too: ข before พ"),
    ("เชียงราย", "เชียงใหม่", "ร before ห (ใหม่ is filed as หใม่)"),
    ("ชลบุรี", "ชัยนาท", "a consonant before any vowel"),
    ("ร้อยเอ็ด", "ระนอง", "the tone mark does not count at first: อ before ะ"),
    ("นราธิวาส", "น่าน", "the tone mark does not count at first: ร before า"),
    ("กา", "ก่า", "words alike but for a tone mark: the unmarked one first"),
    ("ก่า", "ก้า", "then by tone mark: ่ before ้"),
    ("สิงห์บุรี", "สุโขทัย", "the silent mark (์) does not count at first"),
    ("อุบลราชธานี", "ไอ", "ไอ is filed under อ, after อุ"),
    ("Bangkok", "chiang mai", "other text ignores case"),
])
def test_dictionary_order(earlier, later, why):
    assert thai_sort_key(earlier) < thai_sort_key(later), why


@pytest.mark.parametrize("text, first_key", [
    ("เชียงใหม่", "ชเียงหใม"),
    ("แพร่", "พแร"),
    ("ไอ", "อไ"),
    ("เ", "เ"),          # a lone vowel stays where it is
    ("เ1", "เ1"),        # so does one before something that is not a consonant
    ("", ""),
])
def test_the_first_key(text, first_key):
    assert thai_sort_key(text)[0] == first_key


# The published alphabetical list of the 77 provinces (Royal Institute order).
THAI_DICTIONARY_ORDER = (
    "กระบี่ กรุงเทพมหานคร กาญจนบุรี กาฬสินธุ์ กำแพงเพชร ขอนแก่น จันทบุรี ฉะเชิงเทรา ชลบุรี ชัยนาท ชัยภูมิ "
    "ชุมพร เชียงราย เชียงใหม่ ตรัง ตราด ตาก นครนายก นครปฐม นครพนม นครราชสีมา นครศรีธรรมราช นครสวรรค์ "
    "นนทบุรี นราธิวาส น่าน บึงกาฬ บุรีรัมย์ ปทุมธานี ประจวบคีรีขันธ์ ปราจีนบุรี ปัตตานี พระนครศรีอยุธยา "
    "พะเยา พังงา พัทลุง พิจิตร พิษณุโลก เพชรบุรี เพชรบูรณ์ แพร่ ภูเก็ต มหาสารคาม มุกดาหาร แม่ฮ่องสอน ยโสธร "
    "ยะลา ร้อยเอ็ด ระนอง ระยอง ราชบุรี ลพบุรี ลำปาง ลำพูน เลย ศรีสะเกษ สกลนคร สงขลา สตูล สมุทรปราการ "
    "สมุทรสงคราม สมุทรสาคร สระแก้ว สระบุรี สิงห์บุรี สุโขทัย สุพรรณบุรี สุราษฎร์ธานี สุรินทร์ หนองคาย "
    "หนองบัวลำภู อ่างทอง อำนาจเจริญ อุดรธานี อุตรดิตถ์ อุทัยธานี อุบลราชธานี"
).split()


def test_thai_province_names_are_in_dictionary_order():
    assert [p.name_th for p in provinces_by_name("th")] == list(THAI_DICTIONARY_ORDER)


def test_english_province_names_are_alphabetical():
    names = [p.name_en for p in provinces_by_name("en")]
    assert names == sorted(names, key=str.casefold) and len(names) == 77
    assert names[0] == "Amnat Charoen" and names[-1] == "Yasothon"


def test_the_code_order_stays_for_the_staff_forms():
    assert [p.code for p in provinces()] == sorted(p.code for p in provinces())

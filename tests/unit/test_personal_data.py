"""Which notes meant for the public status page show someone's personal data."""
from __future__ import annotations

import pytest

from app.domain.personal_data import described, personal_data_in


@pytest.mark.parametrize("text, name, expected", [
    # Mobile numbers, however written.
    ("โทรแจ้งผู้ร้องที่ 081-234-5678 แล้ว", None, [("phone", "081-234-5678")]),
    ("ติดต่อ 0812345678", None, [("phone", "0812345678")]),
    ("โทร ๐๙๑ ๒๓๔ ๕๖๗๘", None, [("phone", "๐๙๑ ๒๓๔ ๕๖๗๘")]),
    ("call +66 81 234 5678", None, [("phone", "+66 81 234 5678")]),
    ("เบอร์ 06.1234.5678", None, [("phone", "06.1234.5678")]),
    # ... with Word's dashes, brackets, spaced dashes, full-width digits or zero-width spaces.
    ("โทร 081–234–5678", None, [("phone", "081–234–5678")]),
    ("โทร (081) 234-5678", None, [("phone", "(081) 234-5678")]),
    ("โทร 081 - 234 - 5678", None, [("phone", "081 - 234 - 5678")]),
    ("โทร ０８１２３４５６７８", None, [("phone", "０８１２３４５６７８")]),
    ("โทร 081\u200b234\u200b5678 ครับ", None, [("phone", "081\u200b234\u200b5678")]),
    # ... with a slash after the prefix, underscores, or a space between every digit.
    ("โทร 081/2345678", None, [("phone", "081/2345678")]),
    ("โทร 081_234_5678", None, [("phone", "081_234_5678")]),
    ("โทร 0 8 1 2 3 4 5 6 7 8", None, [("phone", "0 8 1 2 3 4 5 6 7 8")]),
    ("call +66 (0)81 234 5678", None, [("phone", "(0)81 234 5678")]),
    # An office's landline, the hotline, dates, times, codes and amounts are not personal.
    ("สอบถามได้ที่ 02-202-4000 หรือสายด่วน 1111", None, []),
    ("ตรวจโรงงานวันที่ 08/12/2567 เวลา 09.30-10.00 น.", None, []),
    ("นัดวันที่ 08/12/2567 10.30 น. และ 09/01/2568 13.00 น.", None, []),
    ("ครั้งที่ 0 8 ราย", None, []),
    ("เรื่อง DIW-2569-000123 ค่าปรับ 50,000 บาท ใบอนุญาต จ3-50(1)-12/2560", None, []),
    ("ยอดขาย 0812345678901 บาท", None, []),
    # Citizen IDs (valid check digit); a company's registration number starts with 0.
    ("ผู้ร้องเลขประจำตัว 1-1017-00230-70-8", None, [("national_id", "1-1017-00230-70-8")]),
    ("เลข 1101700230708", None, [("national_id", "1101700230708")]),
    ("เลข 1101700230709", None, []),
    ("เลข 1/1017/00230/70/8", None, [("national_id", "1/1017/00230/70/8")]),
    ("บริษัทเลขทะเบียน 0105556000121", None, []),
    # Email: people's, not the government's offices'.
    ("ส่งผลทาง somchai.j@gmail.com แล้ว", None, [("email", "somchai.j@gmail.com")]),
    ("ส่งเอกสารที่ saraban@diw.go.th", None, []),
    ("ส่งทาง somchai＠gmail.com", None, [("email", "somchai＠gmail.com")]),
    # The requester's name, with or without the title, first or last name.
    ("แจ้งคุณสมชายทราบแล้ว", "นายสมชาย ใจดี", [("name", "สมชาย")]),
    ("บ้านของนางใจดี", "นายสมชาย ใจดี", [("name", "ใจดี")]),
    ("Told Mr Smith by letter", "Mr. John Smith", [("name", "Smith")]),
    ("ลงพื้นที่ตรวจสอบแล้ว", "นายสมชาย ใจดี", []),
    ("ตรวจโรงงานของบริษัท ไทยเคมี จำกัด แล้ว", "บริษัท ไทยเคมี จำกัด", []),
    ("Sent to Thai Chem Co., Ltd.", "Thai Chem Co., Ltd.", []),
    # An English business word inside a person's name does not make them a business.
    ("ติดต่อคุณ Vincent Tanaka แล้ว", "Vincent Tanaka", [("name", "Vincent"), ("name", "Tanaka")]),
    ("Called Mr Lincoln", "Mr. Abraham Lincoln", [("name", "Lincoln")]),
    # A name with ำ, which NFKC spells in two characters, on both sides alike.
    ("แจ้งนายสำราญแล้ว", "นายสำราญ ดีมาก", [("name", "สำราญ")]),
    ("ตรวจแล้ว", "นาย ก", []),
    ("", "นายสมชาย ใจดี", []),
    (None, None, []),
])
def test_personal_data_in_a_public_note(text, name, expected):
    assert [(f.kind, f.text) for f in personal_data_in(text, name)] == expected


def test_what_was_found_is_said_in_both_languages():
    findings = personal_data_in("โทร 081-234-5678 อีเมล a@b.com", None)
    english, thai = described(findings)
    assert english == "a mobile phone number (081-234-5678), an email address (a@b.com)"
    assert thai == "หมายเลขโทรศัพท์มือถือ (081-234-5678), อีเมล (a@b.com)"

"""What a fresh install and the demo data start with (GLOSSARY.md).

Agencies and case types are data administrators can change; these are only the seeds.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.domain.statuses import Kind


@dataclass(frozen=True)
class AgencySeed:
    code: str
    name_th: str
    short_th: str
    name_en: str
    # What it does, in Thai and then in English: one text for the screens of either language.
    role: str


@dataclass(frozen=True)
class CaseTypeSeed:
    code: str
    agency: str
    kind: Kind
    name_th: str
    name_en: str
    sla_days: int
    first_response_days: int | None = None


AGENCIES = (
    AgencySeed("OPS", "สำนักงานปลัดกระทรวงอุตสาหกรรม", "สปอ.", "Office of the Permanent Secretary",
               "รับเรื่องร้องเรียนจากประชาชนและผู้ประกอบการ และติดตามคำขอทั้งกระทรวง "
               "(receives complaints from the public and businesses; tracks requests ministry-wide)"),
    AgencySeed("DIW", "กรมโรงงานอุตสาหกรรม", "กรอ.", "Department of Industrial Works",
               "พิจารณาอนุญาตประกอบกิจการโรงงาน และติดตามคำร้องที่ยื่นต่อกรม "
               "(reviews and approves factory operating licences; tracks petitions filed with it)"),
    AgencySeed("DIPROM", "กรมส่งเสริมอุตสาหกรรม", "กสอ.", "Department of Industrial Promotion",
               "สินเชื่อและการส่งเสริม SME คำปรึกษาและการแก้ปัญหาให้ผู้ประกอบการ "
               "(SME loans and support, advice and problem solving for businesses)"),
    AgencySeed("TISI", "สำนักงานมาตรฐานผลิตภัณฑ์อุตสาหกรรม", "สมอ.", "Thai Industrial Standards Institute",
               "การรับรองมาตรฐานผลิตภัณฑ์อุตสาหกรรมและการติดตามผล (product standard certification and its follow-up)"),
    AgencySeed("DPIM", "กรมอุตสาหกรรมพื้นฐานและการเหมืองแร่", "กพร.", "Department of Primary Industries and Mines",
               "การอนุญาตประทานบัตรเหมืองแร่ (mining concessions)"),
)

CASE_TYPES = (
    CaseTypeSeed("OPS-GENERAL", "OPS", Kind.COMPLAINT, "ร้องเรียนทั่วไป", "General complaint", 15, 2),
    CaseTypeSeed("OPS-SERVICE", "OPS", Kind.COMPLAINT, "ร้องเรียนการให้บริการ", "Poor service", 15, 2),
    CaseTypeSeed("OPS-MISCONDUCT", "OPS", Kind.COMPLAINT, "ร้องเรียนเจ้าหน้าที่/ทุจริต", "Misconduct of an official", 30, 3),
    CaseTypeSeed("OPS-INFO", "OPS", Kind.REQUEST, "ขอข้อมูลข่าวสารของราชการ", "Official information request", 15),
    CaseTypeSeed("DIW-NUISANCE", "DIW", Kind.COMPLAINT, "เหตุเดือดร้อนรำคาญจากโรงงาน (กลิ่น เสียง น้ำเสีย)",
                 "Factory nuisance (odour, noise, waste water)", 15, 1),
    CaseTypeSeed("DIW-RNG4", "DIW", Kind.REQUEST, "ขอใบอนุญาตประกอบกิจการโรงงาน (ร.ง.4)",
                 "Factory operating licence (Ror Ngor 4)", 30),
    CaseTypeSeed("DIW-EXPANSION", "DIW", Kind.REQUEST, "ขอขยายโรงงาน", "Factory expansion licence", 30),
    CaseTypeSeed("DIPROM-SME-LOAN", "DIPROM", Kind.REQUEST, "ขอสินเชื่อ SME", "SME loan", 45),
    CaseTypeSeed("DIPROM-ADVICE", "DIPROM", Kind.REQUEST, "ขอคำปรึกษาแนะนำธุรกิจ", "Business advice", 15),
    CaseTypeSeed("DIPROM-COMPLAINT", "DIPROM", Kind.COMPLAINT, "ร้องเรียนโครงการส่งเสริม", "Promotion programme complaint", 15, 2),
    CaseTypeSeed("TISI-LICENCE", "TISI", Kind.REQUEST, "ขอใบอนุญาต มอก.", "Product standard (TIS) licence", 60),
    CaseTypeSeed("TISI-UNSAFE", "TISI", Kind.COMPLAINT, "ร้องเรียนสินค้าไม่ได้มาตรฐาน", "Unsafe or substandard product", 15, 2),
    CaseTypeSeed("DPIM-CONCESSION", "DPIM", Kind.REQUEST, "ขอประทานบัตร", "Mining concession", 120),
    CaseTypeSeed("DPIM-IMPACT", "DPIM", Kind.COMPLAINT, "ผลกระทบจากการทำเหมืองแร่", "Mining impact", 15, 2),
)

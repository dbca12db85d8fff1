"""Realistic Thai demo cases, generated fast and deterministically from a seed.

``generate_cases(count, seed=..., now=...)`` yields plain dicts (one per case, keys in
``CASE_KEYS``) for a bulk loader such as a PostgreSQL COPY. Pure: no Flask or database imports.

How it stays fast (well over 150,000 cases a second on one core; a million in a few seconds):

- Everything that can be decided ahead is decided once per (seed, agencies, case types), with the
  one ``random.Random(seed)``, and cached: people and companies with their phones, e-mails and
  valid 13-digit IDs; per case type and area, a pool of text skeletons (title and description
  with the location left out); per case type, a pool of attribute bundles (channel, priority,
  outcome, rating, note, response and resolution delays as seconds and timedeltas); the
  weighted (province, location, case type) combinations. The generator then restarts the same
  random state, so a run depends only on its arguments.
- Weighted choices are pools expanded to a power-of-two size, so one ``getrandbits`` picks.
  Pools stay small enough to sit in the CPU caches: a random walk over a big one costs more in
  cache misses than it saves in arithmetic.
- Times are integer seconds; datetimes come from a per-day midnight plus a cached timedelta.

How it stays realistic:

- Provinces are weighted (Bangkok and the industrial provinces most, every province some; among
  the first 1,001 cases every province appears at least once); case types are weighted per
  province (mining where mines are, none in Bangkok), factory kinds and minerals per area.
- A case closes once its drawn resolution delay has passed, so old cases are mostly closed and
  recent ones open, and no time is ever after ``now``. Stuck cases stay open.
- Each case carries its ``history`` (app/domain/demo_history.py): the timeline that brought it to
  its status, with its first response, waits for the applicant, reopenings, forwarding and rating.
  A bundle's histories are made with it (a closed case's depends only on its bundle); only an
  open case whose history depends on its age gets its own.
"""
from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from itertools import accumulate, chain, repeat
from typing import NamedTuple

from app.domain import demo_history, geo
from app.domain.defaults import AGENCIES, CASE_TYPES, AgencySeed, CaseTypeSeed
from app.domain.statuses import Channel, Kind, Priority, Status

CASE_KEYS = (
    "agency_code", "case_type_code", "kind", "channel", "title", "description",
    "requester_name", "requester_phone", "requester_email", "requester_id",
    "province", "district", "subdistrict", "latitude", "longitude",
    "status", "priority", "submitted_at", "first_response_at", "closed_at",
    "satisfaction", "reopen_count", "external_ref", "public_note", "history",
)

SPAN_DAYS = 730
ANONYMOUS_NAME = "ไม่ประสงค์ออกนาม"
# Jitter around a province centre, in millionths of a degree (about 3 km either way).
JITTER_MICRODEGREES = 30_000
# Positions i * COVERAGE_STRIDE (i < 77) take province i, so any run of 1,001+ covers all 77.
COVERAGE_STRIDE = 13

_UTC = timezone.utc
_BANGKOK_OFFSET = 7 * 3600
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

_INDUSTRIAL = frozenset({"11", "13", "14", "19", "20", "21", "24", "25", "74"})
_LARGE = frozenset({"12", "30", "40", "41", "50", "73", "70", "80", "84", "90"})
_MINING = frozenset({"19", "16", "52", "71", "70", "66", "42", "80", "84", "63", "67", "65", "85",
                     "61", "41", "36"})

# Areas: the six regions, with Bangkok on its own (no villages, mines or rice mills there).
_BANGKOK_AREA = "bangkok"
_AREAS = (*(r.value for r in geo.Region), _BANGKOK_AREA)


# ---------------------------------------------------------------------------------------------
# Thai ID check digit
# ---------------------------------------------------------------------------------------------

def thai_id_check_digit(first12: str) -> str:
    """The mod-11 check digit shared by Thai citizen and juristic IDs."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return str((11 - total % 11) % 10)


# ---------------------------------------------------------------------------------------------
# Word pools
# ---------------------------------------------------------------------------------------------

_MALE_FIRST = (
    ("สมชาย", "somchai"), ("สมศักดิ์", "somsak"), ("วีระ", "weera"), ("ธนากร", "thanakorn"),
    ("ณัฐพล", "nattapon"), ("อนุชา", "anucha"), ("สุรชัย", "surachai"), ("ชัยวัฒน์", "chaiwat"),
    ("ประเสริฐ", "prasert"), ("วิชัย", "wichai"), ("กิตติพงษ์", "kittipong"), ("ธีรวัฒน์", "teerawat"),
    ("พงศกร", "pongsakorn"), ("ศุภชัย", "supachai"), ("อภิชาติ", "apichart"), ("บุญมี", "boonmee"),
    ("สุทธิพงษ์", "suttipong"), ("ปิยะพงษ์", "piyapong"), ("เอกชัย", "ekkachai"), ("ชาญวิทย์", "chanwit"),
    ("ธนวัฒน์", "thanawat"), ("จักรพันธ์", "jakkapan"), ("วรวุฒิ", "worawut"), ("ศักดิ์ชัย", "sakchai"),
    ("อดิศักดิ์", "adisak"), ("มานพ", "manop"), ("สมบัติ", "sombat"), ("ไพโรจน์", "pairoj"),
    ("ยุทธนา", "yuttana"), ("ณรงค์", "narong"), ("ทองสุข", "thongsuk"), ("วิทยา", "wittaya"),
    ("สุเมธ", "sumet"), ("ภานุวัฒน์", "panuwat"), ("เกรียงไกร", "kriangkrai"), ("ประพันธ์", "prapan"),
    ("อำนาจ", "amnat"), ("บรรจง", "banjong"), ("สมพงษ์", "sompong"), ("นพดล", "noppadon"),
)
_FEMALE_FIRST = (
    ("สมหญิง", "somying"), ("มาลี", "malee"), ("สุภาพร", "supaporn"), ("วราภรณ์", "waraporn"),
    ("กัญญา", "kanya"), ("ปิยะนุช", "piyanuch"), ("ศิริพร", "siriporn"), ("นภัสสร", "napatsorn"),
    ("ณัฐธิดา", "nattida"), ("พิมพ์ชนก", "pimchanok"), ("อรุณี", "arunee"), ("จันทร์เพ็ญ", "janpen"),
    ("บุษบา", "butsaba"), ("รัตนา", "rattana"), ("สุนันทา", "sunanta"), ("ธิดารัตน์", "thidarat"),
    ("กาญจนา", "kanjana"), ("เพ็ญศรี", "pensri"), ("วิไลวรรณ", "wilaiwan"), ("อัญชลี", "anchalee"),
    ("ปวีณา", "paweena"), ("ชุติมา", "chutima"), ("ลำดวน", "lamduan"), ("ทองใบ", "thongbai"),
    ("สายสุนีย์", "saisunee"), ("พรทิพย์", "porntip"), ("นิตยา", "nittaya"), ("อรทัย", "orathai"),
    ("จิราพร", "jiraporn"), ("มณีรัตน์", "maneerat"), ("สุดารัตน์", "sudarat"), ("วันเพ็ญ", "wanpen"),
    ("ประภาพร", "prapaporn"), ("เยาวลักษณ์", "yaowalak"), ("ดวงใจ", "duangjai"), ("รุ่งนภา", "rungnapa"),
    ("อุไรวรรณ", "uraiwan"), ("ศศิธร", "sasitorn"), ("กนกวรรณ", "kanokwan"), ("บังอร", "bung-orn"),
)
_SURNAMES = (
    ("ศรีสุข", "srisuk"), ("ใจดี", "jaidee"), ("แก้วมณี", "kaewmanee"), ("บุญมา", "boonma"),
    ("ทองดี", "thongdee"), ("สุขสวัสดิ์", "suksawat"), ("วงศ์ใหญ่", "wongyai"), ("จันทร์หอม", "janhom"),
    ("พรหมมา", "promma"), ("ศรีวงศ์", "sriwong"), ("แสงทอง", "saengthong"), ("ชัยมงคล", "chaimongkol"),
    ("รัตนพันธ์", "rattanapan"), ("อินทร์แก้ว", "inkaew"), ("สมบูรณ์ชัย", "somboonchai"),
    ("เพชรรัตน์", "petcharat"), ("ธนสาร", "thanasarn"), ("กิตติวงศ์", "kittiwong"),
    ("นาคสวัสดิ์", "naksawat"), ("บุญเรือง", "boonruang"), ("ปัญญาดี", "panyadee"), ("มั่นคง", "mankong"),
    ("วัฒนกุล", "wattanakul"), ("สุวรรณรัตน์", "suwannarat"), ("ทองคำ", "thongkham"),
    ("ศรีประเสริฐ", "sriprasert"), ("เจริญสุข", "charoensuk"), ("พึ่งบุญ", "phuengboon"),
    ("อ่อนศรี", "onsri"), ("คงเจริญ", "khongcharoen"), ("ภักดี", "phakdee"), ("ยอดเพชร", "yodphet"),
    ("สายทอง", "saithong"), ("วิเศษศักดิ์", "wisetsak"), ("หอมจันทร์", "homjan"), ("กลิ่นหอม", "klinhom"),
    ("โพธิ์ทอง", "phothong"), ("มีสุข", "meesuk"), ("ดวงดี", "duangdee"), ("ศักดิ์สิทธิ์", "saksit"),
    ("แก้วประเสริฐ", "kaewprasert"), ("บุญประเสริฐ", "boonprasert"), ("ชูศรี", "chusri"),
    ("นิลสุวรรณ", "ninsuwan"), ("ทรัพย์มาก", "sapmak"), ("สิทธิชัย", "sittichai"), ("เรืองศรี", "ruangsri"),
    ("จันทร์แก้ว", "jankaew"), ("ประทุมทอง", "prathumthong"), ("ศรีทอง", "srithong"),
    ("อุ่นเรือน", "unruan"), ("พันธ์ดี", "phandee"), ("ทองมา", "thongma"), ("สีดา", "seeda"),
    ("บัวแก้ว", "buakaew"), ("รักษาชาติ", "raksachat"), ("เกษมสุข", "kasemsuk"), ("ไชยวงศ์", "chaiwong"),
)
_MAIL_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "hotmail.com", "yahoo.com", "outlook.com")

_COMPANY_PREFIXES = (
    ("สยาม", "siam"), ("ไทย", "thai"), ("เอเชีย", "asia"), ("ตะวันออก", "tawanok"),
    ("รุ่งเรือง", "rungruang"), ("เจริญกิจ", "charoenkit"), ("มั่นคง", "mankong"), ("ศรีสุข", "srisuk"),
    ("ทองไทย", "thongthai"), ("โกลเด้น", "golden"), ("โปรเกรส", "progress"), ("ยูไนเต็ด", "united"),
    ("แปซิฟิก", "pacific"), ("เพชรเกษม", "phetkasem"), ("นครไทย", "nakhonthai"), ("พัฒนา", "pattana"),
    ("อุดมสุข", "udomsuk"), ("ไทยเจริญ", "thaicharoen"), ("บูรพา", "burapha"), ("ล้านนา", "lanna"),
    ("อันดามัน", "andaman"), ("สหมิตร", "sahamit"), ("ธนพัฒน์", "thanapat"), ("รวมทรัพย์", "ruamsap"),
)
_COMPANY_SHAPES = (
    # (Thai format, English infix, juristic type digit: 5 company, 3 partnership, 7 public company)
    ("บริษัท {p}{s} จำกัด", "", "5"),
    ("บริษัท {p}{s} จำกัด", "", "5"),
    ("บริษัท {p} {s} อินดัสทรี จำกัด", "industry", "5"),
    ("บริษัท {p}{s} (ประเทศไทย) จำกัด", "thailand", "5"),
    ("ห้างหุ้นส่วนจำกัด {p}{s}", "", "3"),
    ("บริษัท {p}{s} จำกัด (มหาชน)", "", "7"),
)
_COMPANY_SHAPE_WEIGHTS = (30, 30, 12, 8, 16, 4)

# Factory kinds: name, company name stems, capacity unit and range, nuisances (title word, what
# the factory does, nuisance kind), and weights per area.
_NUISANCE_IMPACTS = {
    "odour": ("ทำให้ผู้อยู่อาศัยมีอาการแสบจมูกและเวียนศีรษะ", "ไม่สามารถเปิดหน้าต่างบ้านได้",
              "เด็กเล็กและผู้สูงอายุในชุมชนมีอาการไอและหายใจไม่สะดวก"),
    "noise": ("ทำให้ไม่สามารถพักผ่อนได้ในเวลากลางคืน", "เสียงดังจนบ้านเรือนสั่นสะเทือน",
              "เด็กนักเรียนไม่มีสมาธิในการเรียนและทำการบ้าน"),
    "water": ("ปลาในคลองตายเป็นจำนวนมาก", "น้ำในคลองเปลี่ยนเป็นสีดำและส่งกลิ่นเหม็น",
              "เกษตรกรไม่สามารถนำน้ำไปใช้ทำนาได้"),
    "dust": ("ฝุ่นเกาะตามบ้านเรือน รถยนต์ และพืชผลทางการเกษตร",
             "ผู้อยู่อาศัยมีอาการระคายเคืองตาและผิวหนัง"),
    "smoke": ("ควันดำลอยเข้าบ้านเรือน", "ผ้าที่ตากไว้มีคราบเขม่าดำติด"),
}


@dataclass(frozen=True)
class _FactoryKind:
    name: str
    stems: tuple[tuple[str, str], ...]
    unit: str
    capacity: tuple[int, int]
    nuisances: tuple[tuple[str, str, str], ...]
    weights: dict[str, float]


_W_EVERYWHERE = {"north": 1, "northeast": 1, "central": 1, "east": 1, "west": 1, "south": 1, "bangkok": 1}
_FACTORY_KINDS = (
    _FactoryKind("โรงงานผลิตชิ้นส่วนยานยนต์", (("ออโต้พาร์ท", "autoparts"), ("ออโตโมทีฟ", "automotive")),
                 "ชิ้นต่อปี", (200_000, 5_000_000),
                 (("เสียงดัง", "มีเสียงดังจากเครื่องปั๊มขึ้นรูปโลหะ", "noise"),
                  ("กลิ่นสี", "ส่งกลิ่นทินเนอร์และสีพ่นรุนแรง", "odour")),
                 {**_W_EVERYWHERE, "east": 5, "central": 3, "bangkok": 2, "north": 0.3, "south": 0.2}),
    _FactoryKind("โรงงานแปรรูปอาหารทะเล", (("ซีฟู้ด", "seafood"), ("ฟู้ดส์", "foods")),
                 "ตันต่อวัน", (5, 200),
                 (("กลิ่นเหม็น", "ส่งกลิ่นเหม็นคล้ายปลาเน่า", "odour"),
                  ("น้ำเสีย", "ปล่อยน้ำเสียสีคล้ำลงคลองสาธารณะ", "water")),
                 {**_W_EVERYWHERE, "south": 4, "central": 2, "east": 2, "north": 0.1, "northeast": 0.1}),
    _FactoryKind("โรงงานผลิตผลิตภัณฑ์พลาสติก", (("พลาสติก", "plastic"), ("โพลีเมอร์", "polymer")),
                 "ตันต่อเดือน", (20, 2_000),
                 (("กลิ่นพลาสติกไหม้", "ส่งกลิ่นพลาสติกไหม้", "odour"),
                  ("เสียงดัง", "มีเสียงดังจากเครื่องฉีดพลาสติกตลอดคืน", "noise")),
                 {**_W_EVERYWHERE, "east": 3, "central": 3, "bangkok": 2}),
    _FactoryKind("โรงงานผลิตอาหารสัตว์", (("ฟีดมิลล์", "feedmill"), ("อะโกร", "agro")),
                 "ตันต่อวัน", (20, 600),
                 (("ฝุ่นและกลิ่น", "มีฝุ่นและกลิ่นจากวัตถุดิบอาหารสัตว์ฟุ้งกระจาย", "dust"),),
                 {**_W_EVERYWHERE, "bangkok": 0.1, "northeast": 2, "central": 2}),
    _FactoryKind("โรงงานผลิตน้ำแข็ง", (("ไอซ์", "ice"),),
                 "ตันต่อวัน", (10, 300),
                 (("กลิ่นแอมโมเนีย", "มีกลิ่นแอมโมเนียรั่วไหลออกมา", "odour"),
                  ("เสียงดัง", "มีเสียงดังจากเครื่องทำความเย็น", "noise")),
                 _W_EVERYWHERE),
    _FactoryKind("โรงงานแปรรูปยางพารา", (("รับเบอร์", "rubber"),),
                 "ตันต่อเดือน", (100, 5_000),
                 (("กลิ่นเหม็น", "ส่งกลิ่นเหม็นของยางดิบ", "odour"),
                  ("น้ำเสีย", "ปล่อยน้ำเสียจากบ่อล้างยางลงลำห้วย", "water")),
                 {**_W_EVERYWHERE, "south": 6, "east": 2, "northeast": 1.5, "bangkok": 0, "central": 0.3}),
    _FactoryKind("โรงงานผลิตชิ้นส่วนอิเล็กทรอนิกส์", (("อิเล็กทรอนิกส์", "electronics"), ("เทคโนโลยี", "technology")),
                 "ชิ้นต่อเดือน", (100_000, 20_000_000),
                 (("กลิ่นสารเคมี", "ส่งกลิ่นสารเคมีจากปล่องระบายอากาศ", "odour"),),
                 {**_W_EVERYWHERE, "central": 4, "east": 3, "north": 1.5, "south": 0.2}),
    _FactoryKind("โรงงานผลิตปุ๋ยอินทรีย์", (("เฟอร์ทิไลเซอร์", "fertilizer"), ("อะกริเทค", "agritech")),
                 "ตันต่อเดือน", (50, 3_000),
                 (("กลิ่นเหม็น", "ส่งกลิ่นเหม็นจากการหมักมูลสัตว์", "odour"),
                  ("แมลงวัน", "มีแมลงวันจำนวนมากจากลานหมักปุ๋ย", "odour")),
                 {**_W_EVERYWHERE, "bangkok": 0, "northeast": 2, "north": 2}),
    _FactoryKind("โรงงานผลิตเครื่องดื่ม", (("เบฟเวอเรจ", "beverage"), ("ดริงค์", "drinks")),
                 "ลิตรต่อวัน", (5_000, 500_000),
                 (("น้ำเสีย", "ปล่อยน้ำเสียจากการล้างขวดลงท่อระบายน้ำสาธารณะ", "water"),
                  ("เสียงดัง", "มีเสียงดังจากสายพานบรรจุขวดตลอดคืน", "noise")),
                 _W_EVERYWHERE),
    _FactoryKind("โรงงานหลอมและรีดเหล็ก", (("สตีล", "steel"), ("เมทัล", "metal")),
                 "ตันต่อเดือน", (500, 50_000),
                 (("ควันและฝุ่นโลหะ", "ปล่อยควันและฝุ่นโลหะจากเตาหลอม", "smoke"),
                  ("เสียงดัง", "มีเสียงดังจากการรีดเหล็กตลอดคืน", "noise")),
                 {**_W_EVERYWHERE, "east": 4, "central": 3, "west": 2, "north": 0.3, "south": 0.3}),
    _FactoryKind("โรงงานผลิตบรรจุภัณฑ์กระดาษ", (("แพ็คเกจจิ้ง", "packaging"), ("เปเปอร์", "paper")),
                 "ตันต่อเดือน", (50, 5_000),
                 (("กลิ่นกาวและหมึกพิมพ์", "ส่งกลิ่นกาวและหมึกพิมพ์รุนแรง", "odour"),),
                 {**_W_EVERYWHERE, "central": 3, "east": 2}),
    _FactoryKind("โรงสีข้าว", (("ไรซ์", "rice"), ("ไรซ์มิลล์", "ricemill")),
                 "ตันต่อวัน", (20, 500),
                 (("ฝุ่นแกลบ", "มีฝุ่นแกลบและรำข้าวปลิวเข้าบ้านเรือน", "dust"),
                  ("เสียงดัง", "มีเสียงดังจากเครื่องสีข้าวในเวลากลางคืน", "noise")),
                 {**_W_EVERYWHERE, "bangkok": 0, "central": 3, "northeast": 4, "north": 2, "south": 0.3}),
    _FactoryKind("โรงงานผลิตคอนกรีตผสมเสร็จ", (("คอนกรีต", "concrete"),),
                 "ลูกบาศก์เมตรต่อวัน", (100, 2_000),
                 (("ฝุ่นปูนซีเมนต์", "มีฝุ่นปูนซีเมนต์ฟุ้งกระจาย", "dust"),
                  ("รถโม่ปูน", "มีรถโม่ปูนเข้าออกทั้งคืนพร้อมเสียงดัง", "noise")),
                 _W_EVERYWHERE),
    _FactoryKind("โรงงานฟอกย้อมสิ่งทอ", (("เท็กซ์ไทล์", "textile"),),
                 "ตันต่อเดือน", (20, 2_000),
                 (("น้ำเสียสีย้อม", "ปล่อยน้ำเสียที่มีสีย้อมลงคลอง", "water"),
                  ("กลิ่นสารเคมี", "ส่งกลิ่นสารเคมีจากการฟอกย้อม", "odour")),
                 {**_W_EVERYWHERE, "central": 3, "bangkok": 2, "south": 0.2}),
    _FactoryKind("โรงงานผลิตเฟอร์นิเจอร์ไม้", (("เฟอร์นิเจอร์", "furniture"), ("วู้ดเวิร์ค", "woodwork")),
                 "ชิ้นต่อเดือน", (500, 30_000),
                 (("ฝุ่นไม้", "มีฝุ่นขี้เลื่อยปลิวเข้าบ้านเรือน", "dust"),
                  ("กลิ่นแลกเกอร์", "ส่งกลิ่นทินเนอร์และแลกเกอร์จากการพ่นสี", "odour")),
                 {**_W_EVERYWHERE, "north": 3, "central": 2}),
    _FactoryKind("โรงงานคัดแยกและรีไซเคิลวัสดุที่ไม่ใช้แล้ว", (("รีไซเคิล", "recycle"), ("เอ็นไวโร", "enviro")),
                 "ตันต่อวัน", (5, 300),
                 (("กลิ่นเหม็นและควันไฟ", "ส่งกลิ่นเหม็นจากกองขยะและมีการเผาเศษวัสดุ", "smoke"),
                  ("น้ำชะขยะ", "ปล่อยน้ำชะขยะไหลลงคูน้ำ", "water")),
                 {**_W_EVERYWHERE, "east": 3, "central": 3, "bangkok": 1.5}),
    _FactoryKind("โรงงานผลิตแป้งมันสำปะหลัง", (("สตาร์ช", "starch"), ("ทาปิโอก้า", "tapioca")),
                 "ตันต่อวัน", (100, 1_500),
                 (("กลิ่นเหม็นเปรี้ยว", "ส่งกลิ่นเหม็นเปรี้ยวจากบ่อน้ำเสีย", "odour"),
                  ("น้ำเสีย", "ปล่อยน้ำเสียจากบ่อบำบัดล้นลงลำห้วย", "water")),
                 {**_W_EVERYWHERE, "northeast": 6, "east": 2, "central": 1, "bangkok": 0, "south": 0,
                  "north": 0.5}),
    _FactoryKind("โรงงานผลิตเคมีภัณฑ์", (("เคมิคอล", "chemical"),),
                 "ตันต่อเดือน", (100, 20_000),
                 (("กลิ่นสารเคมี", "ส่งกลิ่นฉุนของสารเคมี", "odour"),
                  ("ไอสารเคมี", "มีไอสารเคมีรั่วไหลในเวลากลางคืน", "odour")),
                 {**_W_EVERYWHERE, "east": 5, "central": 2, "north": 0.2, "northeast": 0.3, "south": 0.3}),
)

_SOI_NAMES = ("ร่วมมิตร", "สุขสันต์", "เทศบาล", "พัฒนา", "วัดโพธิ์", "ประชาร่วมใจ", "เจริญสุข", "สามัคคี",
              "มิตรภาพ", "ร่วมใจ", "สุขใจ", "ประชาอุทิศ")
_ESTATE_NAMES = ("ร่มเย็น", "สวนทอง", "พฤกษ์ภิรมย์", "บ้านสวนเกษตร", "เอื้ออาทร", "สุขสบาย", "ทรัพย์สมบูรณ์",
                 "กานดา", "ชัยพฤกษ์", "เศรษฐกิจ")
_VILLAGE_NAMES = ("หนองบัว", "โคกสูง", "ดอนแดง", "ห้วยทราย", "หนองไผ่", "นาดี", "โนนสะอาด", "ป่าแดง",
                  "บ่อทอง", "คลองใหม่", "ท่าช้าง", "หนองปลาไหล", "วังหิน", "ทุ่งยาว")

_OPENINGS = ("ผู้ร้องพักอาศัยอยู่ที่", "ชาวบ้านกว่า {n} ครัวเรือนใน", "ข้าพเจ้าและเพื่อนบ้านซึ่งอาศัยอยู่ที่")
_DURATIONS = ("มาเป็นเวลากว่า 2 สัปดาห์", "ต่อเนื่องมาหลายเดือน", "ทุกคืนตั้งแต่เวลาประมาณ 22.00 น.",
              "ตั้งแต่ต้นเดือนที่ผ่านมา", "เกือบทุกวันในช่วงเช้ามืด")
_ASKS = ("ขอให้หน่วยงานเข้าตรวจสอบและสั่งการให้โรงงานแก้ไขโดยด่วน",
         "ขอให้ตรวจสอบใบอนุญาตและระบบบำบัดมลพิษของโรงงาน",
         "ชาวบ้านเคยแจ้งโรงงานแล้วแต่ไม่มีการแก้ไข จึงขอให้เจ้าหน้าที่เข้าตรวจสอบ")
_RNG4_EXTRAS = ("พร้อมแผนผังโรงงานและรายละเอียดระบบบำบัดน้ำเสีย", "ยื่นเอกสารครบถ้วนผ่านระบบอิเล็กทรอนิกส์",
                "ขอรับการตรวจสถานที่ก่อนออกใบอนุญาต", "พร้อมรายงานการประเมินความเสี่ยงด้านอัคคีภัย")

_SME_BUSINESSES = (
    # (activity, brand stems (Thai, English))
    ("ผลิตขนมไทยแปรรูป", (("ขนมบ้านยาย", "khanombanyai"), ("หวานละมุน", "wanlamun"))),
    ("ผลิตน้ำพริกและอาหารแปรรูป", (("น้ำพริกแม่บุญ", "namprikmaeboon"), ("รสเด็ด", "rotdet"))),
    ("ผลิตเครื่องจักสานจากผักตบชวา", (("จักสานไทย", "jaksanthai"), ("ผักตบคราฟต์", "phaktobcraft"))),
    ("ตัดเย็บเสื้อผ้าสำเร็จรูป", (("ผ้างามการ์เมนต์", "phangamgarment"), ("ไหมทองแฟชั่น", "maithongfashion"))),
    ("ผลิตสบู่และเครื่องสำอางสมุนไพร", (("สมุนไพรไทยเฮิร์บ", "thaiherb"), ("บัวหอม", "buahom"))),
    ("ผลิตเฟอร์นิเจอร์ไม้สัก", (("สักทองเฟอร์นิเจอร์", "sakthongfurniture"), ("ไม้งาม", "maingam"))),
    ("แปรรูปผลไม้อบแห้ง", (("ผลไม้ไทยฟรุต", "thaifruit"), ("สวนหวาน", "suanwan"))),
    ("กลึงและผลิตชิ้นส่วนโลหะ", (("ช่างเก่งเมทัล", "changkengmetal"), ("ซีเอ็นซีไทย", "cncthai"))),
    ("ซ่อมบำรุงเครื่องจักรการเกษตร", (("เกษตรยนต์", "kasetyon"), ("รถไถการช่าง", "rotthaikarnchang"))),
    ("ผลิตเครื่องปั้นดินเผา", (("ดินงาม", "dinngam"), ("เซรามิกล้านนา", "lannaceramic"))),
    ("คั่วและแปรรูปเมล็ดกาแฟ", (("กาแฟดอยงาม", "doingamcoffee"), ("คั่วดีคอฟฟี่", "khuadeecoffee"))),
    ("ผลิตผ้าทอมือ", (("ผ้าทอบ้านนา", "phathobanna"), ("ไหมไทยทอมือ", "maithaithomue"))),
)
_SME_PURPOSES = (("ซื้อเครื่องจักร", "ซื้อเครื่องจักรใหม่ทดแทนเครื่องเดิมที่ชำรุด"),
                 ("เงินทุนหมุนเวียน", "ใช้เป็นเงินทุนหมุนเวียนในการซื้อวัตถุดิบ"),
                 ("ปรับปรุงโรงเรือน", "ปรับปรุงโรงเรือนผลิตให้ได้มาตรฐานและปลอดภัย"),
                 ("ขยายกำลังการผลิต", "ขยายกำลังการผลิตเพื่อรองรับคำสั่งซื้อที่เพิ่มขึ้น"))
_SME_AMOUNTS = (300_000, 500_000, 800_000, 1_000_000, 1_500_000, 2_000_000, 3_000_000, 5_000_000)
_ADVICE_TOPICS = (("การพัฒนาบรรจุภัณฑ์", "ต้องการออกแบบบรรจุภัณฑ์ใหม่เพื่อวางจำหน่ายในร้านค้าสมัยใหม่"),
                  ("การปรับปรุงสถานที่ผลิต", "ต้องการปรับปรุงผังสถานที่ผลิตให้ถูกสุขลักษณะและปลอดภัย"),
                  ("การตลาดออนไลน์", "ต้องการขยายช่องทางขายผ่านแพลตฟอร์มออนไลน์"),
                  ("การลดต้นทุนการผลิต", "ต้องการนำแนวคิดการผลิตแบบลีนมาลดของเสียในสายการผลิต"),
                  ("การขอรับรองมาตรฐานผลิตภัณฑ์ชุมชน", "ต้องการทราบขั้นตอนการขอรับรองมาตรฐานผลิตภัณฑ์ชุมชน (มผช.)"),
                  ("การส่งออก", "ต้องการส่งออกสินค้าไปประเทศเพื่อนบ้าน"),
                  ("ระบบบัญชีต้นทุน", "ต้องการจัดทำระบบบัญชีต้นทุนเพื่อยื่นขอสินเชื่อ"),
                  ("ระบบอัตโนมัติ", "ต้องการนำเครื่องจักรอัตโนมัติมาใช้แทนแรงงานในบางขั้นตอน"))
_DIPROM_PROGRAMS = ("พัฒนาผู้ประกอบการ SMEs", "ยกระดับอุตสาหกรรมชุมชน", "อบรมการตลาดดิจิทัล",
                    "ปั้นผู้ประกอบการใหม่", "พัฒนาผลิตภัณฑ์ชุมชน")
_DIPROM_ISSUES = ("ผู้ร้องไม่ได้รับใบประกาศนียบัตรหลังจบการอบรม", "วิทยากรไม่มาตามกำหนดการที่แจ้งไว้",
                  "ผู้ร้องสมัครเข้าร่วมแล้วแต่ไม่ได้รับแจ้งผลการคัดเลือก",
                  "เจ้าหน้าที่ผู้ประสานงานโครงการไม่ติดต่อกลับตามที่นัดหมาย",
                  "ค่าใช้จ่ายที่เรียกเก็บไม่ตรงกับที่ประกาศไว้")

# Products: Thai name, company stems, defect (title, description), licence kind weights.
_PRODUCTS = (
    ("ปลั๊กพ่วง", (("อีเลคทริค", "electric"), ("พาวเวอร์", "power")),
     ("ไหม้ขณะใช้งาน", "สายไฟและเต้ารับละลายและมีควันขณะใช้งานกับกาต้มน้ำ")),
    ("หมวกกันน็อก", (("เซฟตี้", "safety"), ("เฮลเม็ท", "helmet")),
     ("ไม่มีเครื่องหมาย มอก.", "เปลือกหมวกบางและแตกง่าย ไม่มีเครื่องหมาย มอก.")),
    ("ของเล่นเด็ก", (("ทอยส์", "toys"), ("คิดส์", "kids")),
     ("มีชิ้นส่วนเล็กหลุดง่าย", "มีชิ้นส่วนเล็กหลุดง่าย เสี่ยงต่อการกลืนของเด็ก และไม่มีคำเตือนภาษาไทย")),
    ("เหล็กเส้นข้ออ้อย", (("สตีล", "steel"),),
     ("ขนาดไม่ตรงตามที่ระบุ", "เส้นผ่านศูนย์กลางเล็กกว่าที่ระบุบนป้ายและน้ำหนักต่อเมตรต่ำกว่ามาตรฐาน")),
    ("หม้อหุงข้าวไฟฟ้า", (("โฮมแอพพลายแอนซ์", "homeappliance"),),
     ("ไฟรั่ว", "มีไฟรั่วที่ตัวหม้อขณะใช้งาน")),
    ("พัดลมไฟฟ้า", (("อีเลคทริค", "electric"),),
     ("มอเตอร์ไหม้", "มอเตอร์ร้อนจัดจนมีกลิ่นไหม้หลังใช้งานไม่ถึงชั่วโมง")),
    ("ยางรถยนต์", (("ไทร์", "tire"), ("รับเบอร์", "rubber")),
     ("ดอกยางฉีกขาด", "ดอกยางฉีกขาดหลังใช้งานไม่ถึงสามเดือน")),
    ("หลอดไฟ LED", (("ไลท์ติ้ง", "lighting"),),
     ("แตกและมีประกายไฟ", "ขั้วหลอดแตกและมีประกายไฟขณะเปิดใช้งาน")),
    ("สายไฟฟ้า", (("เคเบิล", "cable"), ("ไวร์", "wire")),
     ("ฉนวนบางผิดปกติ", "ฉนวนหุ้มสายบางและแตกร้าวง่าย")),
    ("ถังก๊าซหุงต้ม", (("แก๊ส", "gas"),),
     ("วาล์วรั่ว", "วาล์วถังรั่วและได้กลิ่นก๊าซหลังเปลี่ยนถัง")),
    ("เครื่องทำน้ำอุ่น", (("โฮมแอพพลายแอนซ์", "homeappliance"),),
     ("ไฟรั่ว", "เครื่องตัดไฟไม่ทำงานและมีไฟรั่วขณะอาบน้ำ")),
)
_MINING_STEMS = (("ไมน์นิ่ง", "mining"), ("มินเนอรัล", "mineral"))
_PROPERTY_STEMS = (("แลนด์", "land"), ("พร็อพเพอร์ตี้", "property"))
_TRADING_STEMS = (("เทรดดิ้ง", "trading"), ("เอ็นเตอร์ไพรส์", "enterprise"))
_PURCHASE_PLACES = (("ผ่านร้านค้าออนไลน์", False), ("ผ่านการไลฟ์สดบนโซเชียลมีเดีย", False),
                    ("จากร้านค้าในตลาดนัด", True), ("จากร้านค้าส่งใน", True), ("จากห้างสรรพสินค้าใน", True))

_MINERALS = {
    # area: (mineral, weight)
    "central": (("หินปูนเพื่ออุตสาหกรรมก่อสร้าง", 6), ("ดินขาว", 1), ("หินดินดานเพื่ออุตสาหกรรมซีเมนต์", 2)),
    "north": (("หินปูนเพื่ออุตสาหกรรมก่อสร้าง", 3), ("ดินขาว", 2), ("เฟลด์สปาร์", 2), ("ถ่านหิน", 1)),
    "northeast": (("หินปูนเพื่ออุตสาหกรรมก่อสร้าง", 3), ("เกลือหิน", 2), ("โพแทช", 1)),
    "east": (("หินแกรนิตเพื่ออุตสาหกรรมก่อสร้าง", 4), ("ทรายแก้ว", 2), ("หินปูนเพื่ออุตสาหกรรมก่อสร้าง", 1)),
    "west": (("หินปูนเพื่ออุตสาหกรรมก่อสร้าง", 4), ("เฟลด์สปาร์", 2), ("ฟลูออไรต์", 1)),
    "south": (("หินปูนเพื่ออุตสาหกรรมก่อสร้าง", 4), ("ยิปซัม", 2), ("ดินขาว", 1), ("ดีบุก", 1)),
    "bangkok": (("หินปูนเพื่ออุตสาหกรรมก่อสร้าง", 1),),
}
_MINE_IMPACTS = (
    ("ฝุ่นละออง", "ฝุ่นจากการระเบิดหินและการขนส่ง", "ฝุ่นปกคลุมบ้านเรือนและพืชผลทางการเกษตร"),
    ("แรงสั่นสะเทือน", "แรงสั่นสะเทือนจากการระเบิดหิน", "ผนังบ้านหลายหลังเกิดรอยร้าว"),
    ("รถบรรทุกแร่", "รถบรรทุกแร่ที่วิ่งผ่านชุมชนตลอดวัน", "ถนนชำรุดและเกิดอุบัติเหตุบ่อยครั้ง"),
    ("น้ำขุ่นจากบ่อเหมือง", "น้ำขุ่นที่ไหลจากบ่อพักน้ำของเหมือง", "ลำห้วยตื้นเขินและใช้ทำการเกษตรไม่ได้"),
    ("เสียงดัง", "เสียงดังจากโรงโม่และการระเบิดหิน", "เด็กและผู้สูงอายุตกใจและนอนไม่หลับ"),
)

_OPS_GENERAL = (
    ("ขอให้ตรวจสอบโรงงานประกอบกิจการโดยไม่ได้รับอนุญาต",
     "พบสถานประกอบการลักษณะโรงงานดำเนินการผลิตโดยไม่มีป้ายใบอนุญาต และมีรถบรรทุกเข้าออกตลอดคืน"),
    ("แจ้งเบาะแสการลักลอบทิ้งกากอุตสาหกรรม", "พบรถบรรทุกนำถังสารเคมีและกากของเสียมาทิ้งในบ่อดินร้าง"),
    ("ขอให้ตรวจสอบการลักลอบเผาขยะอุตสาหกรรม", "มีการเผาเศษวัสดุและขยะอุตสาหกรรมในที่โล่งเกือบทุกคืน ควันลอยเข้าชุมชน"),
    ("สอบถามความคืบหน้าเรื่องร้องเรียนเดิม",
     "ผู้ร้องเคยร้องเรียนเรื่องโรงงานในพื้นที่ไว้เมื่อหลายเดือนก่อน แต่ยังไม่ได้รับแจ้งผลการดำเนินการ"),
    ("ขอให้ตรวจสอบการรั่วไหลของสารเคมีจากโรงงาน", "พบกลิ่นสารเคมีรุนแรงและมีคราบน้ำมันไหลออกจากรั้วโรงงานลงท่อระบายน้ำ"),
    ("ขอให้ตรวจสอบความปลอดภัยของหม้อไอน้ำในโรงงาน",
     "ชาวบ้านได้ยินเสียงดังคล้ายการระเบิดจากโรงงานและกังวลเรื่องความปลอดภัยของหม้อไอน้ำ"),
    ("ร้องเรียนโรงงานตั้งใกล้โรงเรียนและชุมชน",
     "มีการก่อสร้างโรงงานห่างจากโรงเรียนไม่ถึง 500 เมตร ผู้ปกครองกังวลเรื่องมลพิษ"),
)
_OPS_SERVICE = (
    ("เจ้าหน้าที่ไม่รับสายโทรศัพท์", "ผู้ร้องโทรศัพท์ติดต่อ", "หลายครั้งในเวลาราชการแต่ไม่มีผู้รับสาย"),
    ("รอรับบริการนานเกินไป", "ผู้ร้องไปยื่นเอกสารที่", " ต้องรอรับบริการนานกว่า 3 ชั่วโมง"),
    ("ไม่ได้รับการติดต่อกลับหลังยื่นเรื่อง", "ผู้ร้องยื่นเรื่องไว้ที่", " เกินหนึ่งเดือนแล้วแต่ยังไม่มีเจ้าหน้าที่ติดต่อกลับ"),
    ("ได้รับข้อมูลไม่ตรงกันจากเจ้าหน้าที่", "เจ้าหน้าที่ของ",
     "แต่ละคนแจ้งรายการเอกสารที่ต้องใช้ไม่ตรงกัน ทำให้ผู้ร้องต้องเดินทางไปติดต่อหลายครั้ง"),
    ("ระบบยื่นคำขอออนไลน์ใช้งานไม่ได้", "ผู้ร้องพยายามยื่นคำขอถึง",
     "ผ่านระบบออนไลน์ แต่ระบบขัดข้องและแนบเอกสารไม่ได้ติดต่อกันหลายวัน"),
)
_OPS_MISCONDUCT = (
    ("ร้องเรียนเจ้าหน้าที่เรียกรับเงินเพื่อเร่งออกใบอนุญาต", "ผู้ร้องถูกเจ้าหน้าที่ของ",
     "เรียกรับเงินเพื่อแลกกับการพิจารณาคำขอให้เร็วขึ้น"),
    ("ร้องเรียนเจ้าหน้าที่ใช้วาจาไม่สุภาพ", "เจ้าหน้าที่ของ", "ใช้วาจาไม่สุภาพกับผู้มาติดต่อราชการ"),
    ("ร้องเรียนเจ้าหน้าที่ละเว้นการปฏิบัติหน้าที่", "ผู้ร้องแจ้งเหตุเดือดร้อนจากโรงงานต่อ",
     "หลายครั้ง แต่ไม่มีเจ้าหน้าที่เข้าตรวจสอบ"),
    ("ร้องเรียนการเอื้อประโยชน์ให้ผู้ประกอบการ", "ผู้ร้องสงสัยว่าเจ้าหน้าที่ของ",
     "เอื้อประโยชน์ให้ผู้ประกอบการรายหนึ่งในการพิจารณาใบอนุญาต"),
)
_OPS_INFO = (
    ("ขอสำเนารายงานผลการตรวจวัดคุณภาพน้ำทิ้งของโรงงาน", "รายงานผลการตรวจวัดคุณภาพน้ำทิ้งของโรงงาน"),
    ("ขอข้อมูลรายชื่อโรงงานในพื้นที่", "รายชื่อและประเภทของโรงงาน"),
    ("ขอสำเนาใบอนุญาตประกอบกิจการโรงงาน", "สำเนาใบอนุญาตประกอบกิจการของโรงงาน"),
    ("ขอข้อมูลสถิติเรื่องร้องเรียนเกี่ยวกับโรงงาน", "สถิติเรื่องร้องเรียนเกี่ยวกับโรงงานย้อนหลัง 3 ปี"),
)
_OPS_INFO_PURPOSES = ("ใช้ประกอบการศึกษาวิจัย", "ใช้ประกอบการพิจารณาซื้อที่ดินใกล้เคียง",
                      "ใช้ติดตามปัญหามลพิษของชุมชน", "ใช้ประกอบการดำเนินคดี")

_NOTES = {
    "DIW-NUISANCE": {
        Status.RESOLVED: ("ตรวจสอบแล้ว โรงงานได้ปรับปรุงระบบบำบัดน้ำเสีย",
                          "เจ้าหน้าที่ตรวจสอบแล้ว สั่งให้โรงงานติดตั้งระบบดูดและบำบัดกลิ่นภายใน 30 วัน",
                          "โรงงานปรับเวลาทำงานของเครื่องจักรเพื่อลดเสียงรบกวนแล้ว",
                          "ตรวจวัดคุณภาพอากาศแล้ว อยู่ในเกณฑ์มาตรฐาน และให้โรงงานเฝ้าระวังต่อเนื่อง"),
        Status.REJECTED: ("ตรวจสอบแล้ว แหล่งกำเนิดไม่ใช่โรงงานตามกฎหมาย ส่งเรื่องให้องค์กรปกครองส่วนท้องถิ่น",
                          "ไม่พบเหตุเดือดร้อนรำคาญตามที่ร้องเรียน"),
        Status.CANCELLED: ("ผู้ร้องขอยุติเรื่อง เนื่องจากปัญหาได้รับการแก้ไขแล้ว",),
    },
    "DIW-RNG4": {
        Status.RESOLVED: ("ออกใบอนุญาตประกอบกิจการโรงงานแล้ว", "อนุญาตแล้ว ผู้ยื่นรับใบอนุญาตได้ทางระบบอิเล็กทรอนิกส์"),
        Status.REJECTED: ("ไม่อนุญาต เนื่องจากที่ตั้งโรงงานไม่สอดคล้องกับผังเมือง",
                          "ไม่อนุญาต เนื่องจากไม่ส่งเอกสารเพิ่มเติมภายในเวลาที่กำหนด"),
        Status.CANCELLED: ("ผู้ยื่นขอถอนคำขอ",),
    },
    "DIW-EXPANSION": {
        Status.RESOLVED: ("อนุญาตให้ขยายโรงงานแล้ว",),
        Status.REJECTED: ("ไม่อนุญาต เนื่องจากระบบบำบัดน้ำเสียไม่รองรับกำลังการผลิตที่เพิ่มขึ้น",),
        Status.CANCELLED: ("ผู้ยื่นขอถอนคำขอ",),
    },
    "DIPROM-SME-LOAN": {
        Status.RESOLVED: ("อนุมัติสินเชื่อแล้ว ส่งเรื่องให้ธนาคารพัฒนาวิสาหกิจขนาดกลางและขนาดย่อมแห่งประเทศไทยดำเนินการต่อ",),
        Status.REJECTED: ("ไม่ผ่านการพิจารณา เนื่องจากคุณสมบัติไม่เป็นไปตามเงื่อนไขโครงการ",),
        Status.CANCELLED: ("ผู้ยื่นขอยกเลิกคำขอสินเชื่อ",),
    },
    "DIPROM-ADVICE": {
        Status.RESOLVED: ("ที่ปรึกษาเข้าให้คำแนะนำ ณ สถานประกอบการแล้ว", "ให้คำปรึกษาทางออนไลน์และส่งเอกสารแนะนำแล้ว"),
        Status.REJECTED: ("เรื่องที่ขอคำปรึกษาอยู่นอกขอบเขตงานของกรม แนะนำหน่วยงานที่เกี่ยวข้องแล้ว",),
        Status.CANCELLED: ("ผู้ยื่นขอยกเลิกนัดหมาย",),
    },
    "TISI-LICENCE": {
        Status.RESOLVED: ("ออกใบอนุญาตแล้ว ผลทดสอบผลิตภัณฑ์เป็นไปตามมาตรฐาน",),
        Status.REJECTED: ("ไม่อนุญาต เนื่องจากผลทดสอบผลิตภัณฑ์ไม่เป็นไปตามมาตรฐาน",),
        Status.CANCELLED: ("ผู้ยื่นขอถอนคำขอ",),
    },
    "TISI-UNSAFE": {
        Status.RESOLVED: ("ตรวจยึดสินค้าที่ไม่เป็นไปตามมาตรฐานแล้ว และดำเนินคดีกับผู้จำหน่าย",
                          "แจ้งแพลตฟอร์มออนไลน์ให้ระงับการขายสินค้าแล้ว"),
        Status.REJECTED: ("ตรวจสอบแล้ว สินค้าเป็นไปตามมาตรฐานและได้รับใบอนุญาตถูกต้อง",),
        Status.CANCELLED: ("ผู้ร้องขอยุติเรื่อง",),
    },
    "DPIM-CONCESSION": {
        Status.RESOLVED: ("ออกประทานบัตรแล้ว",),
        Status.REJECTED: ("ไม่อนุญาต เนื่องจากพื้นที่คำขอทับซ้อนเขตป่าสงวนแห่งชาติ",),
        Status.CANCELLED: ("ผู้ยื่นขอถอนคำขอประทานบัตร",),
    },
    "DPIM-IMPACT": {
        Status.RESOLVED: ("ตรวจสอบแล้ว สั่งให้ผู้ประกอบการลดปริมาณวัตถุระเบิดและติดตั้งระบบพ่นละอองน้ำ",
                          "สั่งให้ผู้ประกอบการปรับปรุงบ่อตกตะกอนและล้างล้อรถก่อนออกจากพื้นที่"),
        Status.REJECTED: ("ตรวจวัดแรงสั่นสะเทือนและฝุ่นแล้ว อยู่ในเกณฑ์มาตรฐาน",),
        Status.CANCELLED: ("ผู้ร้องขอยุติเรื่อง",),
    },
}
_COMPLAINT_NOTES = {
    Status.RESOLVED: ("ดำเนินการแก้ไขและแจ้งผลให้ผู้ร้องทราบแล้ว", "ชี้แจงข้อเท็จจริงให้ผู้ร้องทราบแล้ว"),
    Status.REJECTED: ("เรื่องไม่อยู่ในอำนาจหน้าที่ของกระทรวงอุตสาหกรรม แนะนำให้ติดต่อหน่วยงานที่เกี่ยวข้อง",),
    Status.CANCELLED: ("ผู้ร้องขอยกเลิกเรื่อง",),
}
_REQUEST_NOTES = {
    Status.RESOLVED: ("ดำเนินการตามคำขอเรียบร้อยแล้ว",),
    Status.REJECTED: ("ไม่อนุมัติคำขอ และแจ้งเหตุผลให้ผู้ยื่นทราบแล้ว",),
    Status.CANCELLED: ("ผู้ยื่นขอถอนคำขอ",),
}

# Attribute distributions, as (value, weight) pairs.
_COMPLAINT_CHANNELS = ((Channel.WEB, 28), (Channel.TRAFFY, 22), (Channel.LINE, 15), (Channel.PHONE, 17),
                       (Channel.LETTER, 9), (Channel.WALK_IN, 9))
_CHANNELS = {
    "OPS-MISCONDUCT": ((Channel.LETTER, 40), (Channel.WEB, 30), (Channel.PHONE, 15), (Channel.WALK_IN, 15)),
    "OPS-INFO": ((Channel.WEB, 40), (Channel.LETTER, 35), (Channel.WALK_IN, 20), (Channel.LINE, 5)),
    "DIW-RNG4": ((Channel.DEPARTMENT, 75), (Channel.WALK_IN, 20), (Channel.LETTER, 5)),
    "DIW-EXPANSION": ((Channel.DEPARTMENT, 75), (Channel.WALK_IN, 20), (Channel.LETTER, 5)),
    "DIPROM-SME-LOAN": ((Channel.DEPARTMENT, 50), (Channel.WEB, 30), (Channel.WALK_IN, 20)),
    "DIPROM-ADVICE": ((Channel.WEB, 35), (Channel.LINE, 20), (Channel.PHONE, 20), (Channel.WALK_IN, 15),
                      (Channel.DEPARTMENT, 10)),
    "DIPROM-COMPLAINT": ((Channel.WEB, 40), (Channel.PHONE, 25), (Channel.LINE, 20), (Channel.LETTER, 15)),
    "TISI-LICENCE": ((Channel.DEPARTMENT, 85), (Channel.WALK_IN, 10), (Channel.LETTER, 5)),
    "TISI-UNSAFE": ((Channel.WEB, 40), (Channel.LINE, 25), (Channel.PHONE, 20), (Channel.LETTER, 15)),
    "DPIM-CONCESSION": ((Channel.DEPARTMENT, 60), (Channel.WALK_IN, 25), (Channel.LETTER, 15)),
    "DPIM-IMPACT": ((Channel.LETTER, 30), (Channel.WEB, 25), (Channel.PHONE, 20), (Channel.WALK_IN, 15),
                    (Channel.LINE, 10)),
}
_REQUEST_CHANNELS = ((Channel.DEPARTMENT, 55), (Channel.WEB, 25), (Channel.WALK_IN, 15), (Channel.LETTER, 5))
# Traffy Fondue carries complaints to OPS and DIW only.
_TRAFFY_AGENCIES = frozenset({"OPS", "DIW"})

_PRIORITIES = {
    Kind.COMPLAINT: ((Priority.LOW, 5), (Priority.NORMAL, 76), (Priority.HIGH, 15), (Priority.URGENT, 4)),
    Kind.REQUEST: ((Priority.LOW, 8), (Priority.NORMAL, 84), (Priority.HIGH, 7), (Priority.URGENT, 1)),
}
_OPEN_STATUSES = {
    Kind.COMPLAINT: ((Status.IN_PROGRESS, 70), (Status.FORWARDED, 22), (Status.WAITING_APPLICANT, 8)),
    Kind.REQUEST: ((Status.IN_PROGRESS, 62), (Status.WAITING_APPLICANT, 35), (Status.FORWARDED, 3)),
}
_CLOSED_STATUSES = {
    Kind.COMPLAINT: ((Status.RESOLVED, 76), (Status.REJECTED, 15), (Status.CANCELLED, 9)),
    Kind.REQUEST: ((Status.RESOLVED, 75), (Status.REJECTED, 13), (Status.CANCELLED, 12)),
}
_RATINGS = ((5, 34), (4, 36), (3, 17), (2, 7), (1, 6))

_CASE_TYPE_WEIGHTS = {
    "OPS-GENERAL": 6, "OPS-SERVICE": 3, "OPS-MISCONDUCT": 1, "OPS-INFO": 2, "DIW-NUISANCE": 18,
    "DIW-RNG4": 14, "DIW-EXPANSION": 5, "DIPROM-SME-LOAN": 9, "DIPROM-ADVICE": 7, "DIPROM-COMPLAINT": 2,
    "TISI-LICENCE": 14, "TISI-UNSAFE": 6, "DPIM-CONCESSION": 3, "DPIM-IMPACT": 3,
}
_DEFAULT_CASE_TYPE_WEIGHT = 3

# Pool sizes (powers of two: one getrandbits picks).
_PEOPLE_BITS = 13
_COMPANY_BITS = 4
_SKELETON_BITS = 7
_BUNDLE_BITS = 9
_TIME_OF_DAY_BITS = 10
_COMBINATION_BITS = 16
_COVERAGE_BITS = 10
_DAY_BITS = 13
_JITTER_BITS = 10

# Location slots a skeleton can put in its title or description.
_SLOT_NONE, _SLOT_SHORT, _SLOT_FULL, _SLOT_OFFICE, _SLOT_PROVINCE = range(5)


# ---------------------------------------------------------------------------------------------
# Pool helpers
# ---------------------------------------------------------------------------------------------

def _expand(pairs: Iterable[tuple[object, float]], bits: int) -> list:
    """A list of 2**bits items in proportion to their weights (largest remainder), every item
    with a positive weight at least once; a uniform index into it is a weighted choice."""
    items = [(value, weight) for value, weight in pairs if weight > 0]
    if not items:
        raise ValueError("nothing to choose from")
    size = 1 << bits
    if len(items) > size:
        raise ValueError(f"{len(items)} items do not fit a pool of {size}")
    total = float(sum(w for _, w in items))
    exact = [w * size / total for _, w in items]
    counts = [max(1, int(e)) for e in exact]
    surplus = sum(counts) - size
    if surplus < 0:  # hand the rest to the largest remainders
        order = sorted(range(len(items)), key=lambda i: exact[i] - counts[i], reverse=True)
        for i in range(-surplus):
            counts[order[i % len(order)]] += 1
    while surplus > 0:  # items raised to one entry push others down, most over their share first
        order = sorted((i for i in range(len(items)) if counts[i] > 1),
                       key=lambda i: counts[i] - exact[i], reverse=True)
        for i in order[:surplus]:
            counts[i] -= 1
        surplus = sum(counts) - size
    pool: list = []
    for (value, _), n in zip(items, counts):
        pool.extend([value] * n)
    return pool


class _Choice:
    """A weighted choice prepared once: cumulative weights, then one bisect per pick."""

    def __init__(self, pairs: Iterable[tuple[object, float]]):
        pairs = [(value, weight) for value, weight in pairs if weight > 0]
        self.values = [value for value, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random):
        return self.values[bisect(self.cumulative, rng.random() * self.total)]


# ---------------------------------------------------------------------------------------------
# People and companies
# ---------------------------------------------------------------------------------------------

_PROVINCE_CODES = tuple(p.code for p in geo.provinces())
# Citizen IDs: 1 for people registered at birth since 1984, 3 for those registered before, the
# rest rarer (late registration, foreigners' children, naturalised...).
_CITIZEN_FIRST_DIGIT = _Choice((("1", 55), ("3", 35), ("2", 3), ("5", 3), ("8", 2), ("4", 1), ("6", 1)))
_MOBILE_HEAD = _Choice((("08", 50), ("09", 35), ("06", 15)))
_COMPANY_SHAPE = _Choice(zip(_COMPANY_SHAPES, _COMPANY_SHAPE_WEIGHTS))
_SMALL_COMPANY_SHAPE = _Choice(((("บริษัท {s} จำกัด", "", "5"), 55),
                                (("ห้างหุ้นส่วนจำกัด {s}", "", "3"), 45)))
_FACTORY_KIND_BY_AREA = {
    area: _Choice((k, k.weights.get(area, 1)) for k in _FACTORY_KINDS) for area in _AREAS}
_MINERAL_BY_AREA = {area: _Choice(pairs) for area, pairs in _MINERALS.items()}


def _citizen_id(rng: random.Random) -> str:
    first = _CITIZEN_FIRST_DIGIT.pick(rng)
    body = first + rng.choice(_PROVINCE_CODES) + f"{rng.randint(1, 20):02d}" + f"{rng.randrange(10**7):07d}"
    return body + thai_id_check_digit(body)


def _juristic_id(rng: random.Random, province_code: str, type_digit: str) -> str:
    # Shaped like a Department of Business Development number: 0, registrar, type, B.E. year, running.
    body = "0" + province_code + type_digit + str(rng.randint(530, 568)) + f"{rng.randrange(1, 10**5):05d}"
    return body + thai_id_check_digit(body)


def _mobile(rng: random.Random) -> str:
    return _MOBILE_HEAD.pick(rng) + f"{rng.randrange(10**8):08d}"


def _person(rng: random.Random) -> tuple:
    if rng.random() < 0.5:
        first_th, first_en = rng.choice(_MALE_FIRST)
        title = "นาย"
    else:
        first_th, first_en = rng.choice(_FEMALE_FIRST)
        title = "นาง" if rng.random() < 0.55 else "นางสาว"
    last_th, last_en = rng.choice(_SURNAMES)
    email = None
    if rng.random() < 0.7:
        style = rng.randrange(3)
        local = (f"{first_en}.{last_en[0]}" if style == 0 else
                 f"{first_en}{rng.randint(1, 99):02d}" if style == 1 else f"{first_en}_{last_en}")
        email = f"{local}@{rng.choice(_MAIL_DOMAINS)}"
    return (f"{title}{first_th} {last_th}", _mobile(rng), email, _citizen_id(rng))


def _company(rng: random.Random, stems: Sequence[tuple[str, str]], province_code: str, *,
             small: bool = False) -> tuple:
    """A juristic requester: (name, phone, e-mail, juristic ID). Small businesses keep their
    brand as the name; others take a prefix word and one of the usual company shapes."""
    stem_th, stem_en = rng.choice(stems)
    if small:
        prefix_th = prefix_en = ""
        shape, infix, type_digit = _SMALL_COMPANY_SHAPE.pick(rng)
    else:
        prefix_th, prefix_en = rng.choice(_COMPANY_PREFIXES)
        shape, infix, type_digit = _COMPANY_SHAPE.pick(rng)
    name = shape.format(p=prefix_th, s=stem_th).replace("  ", " ")
    if type_digit == "3":
        email = f"{prefix_en}{stem_en}{rng.randint(1, 99)}@gmail.com"
    else:
        mailbox = rng.choice(("info", "contact", "sales", "admin", "office"))
        email = f"{mailbox}@{prefix_en}{stem_en}{infix}.co.th"
    return (name, _mobile(rng), email, _juristic_id(rng, province_code, type_digit))


# ---------------------------------------------------------------------------------------------
# Text skeletons: (title_head, title_slot, title_tail, leads_with_requester, desc_head,
# desc_slot, desc_tail, requester) where requester is a company tuple, or None for a person.
# ---------------------------------------------------------------------------------------------

def _place(rng: random.Random, area: str) -> str:
    roll = rng.random()
    if area == _BANGKOK_AREA or roll < 0.35:
        return f"ซอย{rng.choice(_SOI_NAMES)} {rng.randint(1, 30)}"
    if roll < 0.6:
        return f"หมู่บ้าน{rng.choice(_ESTATE_NAMES)}"
    return f"บ้าน{rng.choice(_VILLAGE_NAMES)} หมู่ที่ {rng.randint(1, 15)}"


def _factory_address(rng: random.Random, area: str) -> str:
    number = f"เลขที่ {rng.randint(1, 999)}/{rng.randint(1, 99)}"
    return number if area == _BANGKOK_AREA else f"{number} หมู่ที่ {rng.randint(1, 12)}"


def _kind_for(rng: random.Random, area: str) -> _FactoryKind:
    return _FACTORY_KIND_BY_AREA[area].pick(rng)


def _skel_nuisance(rng, area, company_for, person_share):
    kind = _kind_for(rng, area)
    nuisance_title, nuisance_clause, nuisance_class = rng.choice(kind.nuisances)
    place = _place(rng, area)
    accused = kind.name
    roll = rng.random()
    if roll < 0.45:
        accused = f"{kind.name}ของ{company_for(kind.stems)[0]}"
    elif roll < 0.6:
        accused = f"{kind.name}ไม่ทราบชื่อ"
    style = rng.randrange(3)
    if style == 0:
        title = (f"ร้องเรียน{nuisance_title}จาก{kind.name} ", _SLOT_SHORT, "")
    elif style == 1:
        title = (f"{nuisance_title}จาก{kind.name}ใกล้{place} ", _SLOT_SHORT, "")
    else:
        title = (f"ขอให้ตรวจสอบ{kind.name}ที่{nuisance_clause} ", _SLOT_SHORT, "")
    opening = rng.choice(_OPENINGS).format(n=rng.randint(10, 80))
    impact = rng.choice(_NUISANCE_IMPACTS[nuisance_class])
    desc_head = f"{opening}{place} "
    desc_tail = (f" ได้รับความเดือดร้อนจาก{accused} ซึ่ง{nuisance_clause} {rng.choice(_DURATIONS)} "
                 f"{impact} {rng.choice(_ASKS)}")
    return (*title, False, desc_head, _SLOT_FULL, desc_tail, None)


def _skel_factory_licence(expansion: bool):
    def build(rng, area, company_for, person_share):
        kind = _kind_for(rng, area)
        requester = None if rng.random() < person_share else company_for(kind.stems)
        low, high = kind.capacity
        capacity = rng.randint(low, high)
        horsepower = rng.randrange(50, 5_000, 10)
        address = _factory_address(rng, area)
        if expansion:
            title = (f"ขออนุญาตขยายโรงงาน ({kind.name}) ", _SLOT_SHORT, "")
            head = f" ขออนุญาตขยาย{kind.name} {address} "
            floor_area = rng.randrange(200, 10_000, 50)
            tail = (f" โดยเพิ่มเครื่องจักร {horsepower:,} แรงม้า และพื้นที่อาคารผลิต {floor_area:,} ตารางเมตร "
                    f"เพื่อเพิ่มกำลังการผลิตเป็น {capacity:,} {kind.unit}")
        else:
            title = rng.choice(((f"ขอใบอนุญาตประกอบกิจการโรงงาน (ร.ง.4) {kind.name} ", _SLOT_SHORT, ""),
                                (f"ยื่นคำขอ ร.ง.4 {kind.name} ", _SLOT_SHORT, ""),
                                (f"คำขออนุญาตประกอบกิจการ{kind.name} ", _SLOT_PROVINCE, "")))
            head = f" ยื่นคำขออนุญาตประกอบกิจการ{kind.name} ตั้งอยู่{address} "
            tail = (f" กำลังการผลิต {capacity:,} {kind.unit} เครื่องจักรรวม {horsepower:,} แรงม้า "
                    f"คนงาน {rng.randint(50, 800)} คน {rng.choice(_RNG4_EXTRAS)}")
        return (*title, True, head, _SLOT_FULL, tail, requester)
    return build


def _skel_sme_loan(rng, area, company_for, person_share):
    activity, brands = rng.choice(_SME_BUSINESSES)
    brand_th, brand_en = rng.choice(brands)
    short_purpose, purpose = rng.choice(_SME_PURPOSES)
    amount = rng.choice(_SME_AMOUNTS)
    if rng.random() < person_share:
        requester = None
        business = f" เจ้าของกิจการ “{brand_th}”"
        title_name = f"“{brand_th}”"
    else:
        requester = company_for(((brand_th, brand_en),), small=True)
        business = ""
        title_name = requester[0]
    title = (f"ขอสินเชื่อ SME เพื่อ{short_purpose} {title_name}", _SLOT_NONE, "")
    head = f"{business} ประกอบกิจการ{activity} ตั้งอยู่ที่"
    tail = f" ขอสินเชื่อวงเงิน {amount:,} บาท เพื่อ{purpose} ระยะเวลาผ่อนชำระ {rng.choice((3, 5, 7))} ปี"
    return (*title, True, head, _SLOT_FULL, tail, requester)


def _skel_advice(rng, area, company_for, person_share):
    activity, brands = rng.choice(_SME_BUSINESSES)
    topic, detail = rng.choice(_ADVICE_TOPICS)
    requester = None if rng.random() < person_share else company_for(brands, small=True)
    title = (f"ขอคำปรึกษาด้าน{topic} กิจการ{activity}", _SLOT_NONE, "")
    head = f" ประกอบกิจการ{activity} ตั้งอยู่ที่"
    return (*title, True, head, _SLOT_FULL, f" {detail} จึงขอรับคำปรึกษาจากผู้เชี่ยวชาญของกรม", requester)


def _skel_diprom_complaint(rng, area, company_for, person_share):
    program = rng.choice(_DIPROM_PROGRAMS)
    title = (f"ร้องเรียนโครงการ{program} ", _SLOT_PROVINCE, "")
    head = f"ผู้ร้องเข้าร่วมโครงการ{program} ที่จัดขึ้นใน"
    tail = f" {rng.choice(_DIPROM_ISSUES)} ขอให้ตรวจสอบและชี้แจง"
    return (*title, False, head, _SLOT_PROVINCE, tail, None)


def _skel_tis_licence(rng, area, company_for, person_share):
    product, stems, _ = rng.choice(_PRODUCTS)
    requester = company_for(stems)
    if rng.random() < 0.7:
        title = (f"ขอใบอนุญาตทำ{product} ตาม มอก.", _SLOT_NONE, "")
        head = (f" ยื่นคำขอรับใบอนุญาตทำ{product}ให้เป็นไปตามมาตรฐานผลิตภัณฑ์อุตสาหกรรม (มอก.) "
                f"โรงงานตั้งอยู่ที่")
    else:
        title = (f"ขอใบอนุญาตนำเข้า{product} ตาม มอก.", _SLOT_NONE, "")
        head = (f" ยื่นคำขอรับใบอนุญาตนำเข้า{product}ให้เป็นไปตามมาตรฐานผลิตภัณฑ์อุตสาหกรรม (มอก.) "
                f"สถานที่เก็บสินค้าตั้งอยู่ที่")
    tail = f" พร้อมผลทดสอบจากห้องปฏิบัติการ {rng.randint(3, 20)} รายการ"
    return (*title, True, head, _SLOT_FULL, tail, requester)


def _skel_unsafe_product(rng, area, company_for, person_share):
    product, _, (defect_title, defect) = rng.choice(_PRODUCTS)
    where, located = rng.choice(_PURCHASE_PLACES)
    title = rng.choice(((f"{product}{defect_title}", _SLOT_NONE, ""),
                        (f"ร้องเรียน{product}ไม่ได้มาตรฐาน", _SLOT_NONE, "")))
    head = f"ผู้ร้องซื้อ{product}{where}"
    tail = f" เมื่อนำมาใช้งานพบว่า{defect} ขอให้ตรวจสอบผู้ผลิตและผู้จำหน่าย"
    if located:
        head += " "
        return (*title, False, head, _SLOT_SHORT, tail, None)
    return (*title, False, head, _SLOT_NONE, tail, None)


def _mineral(rng, area):
    return _MINERAL_BY_AREA[area].pick(rng)


def _skel_concession(rng, area, company_for, person_share):
    mineral = _mineral(rng, area)
    requester = None if rng.random() < person_share else company_for(_MINING_STEMS)
    title = (f"ขอประทานบัตรทำเหมือง{mineral} ", _SLOT_SHORT, "")
    head = f" ยื่นคำขอประทานบัตรทำเหมือง{mineral} ในพื้นที่"
    rai, years = rng.randrange(50, 300, 5), rng.choice((10, 15, 20, 25))
    tail = (f" เนื้อที่ประมาณ {rai} ไร่ อายุประทานบัตร {years} ปี "
            f"พร้อมรายงานการวิเคราะห์ผลกระทบสิ่งแวดล้อม (EIA) และแผนฟื้นฟูพื้นที่หลังการทำเหมือง")
    return (*title, True, head, _SLOT_FULL, tail, requester)


def _skel_mining_impact(rng, area, company_for, person_share):
    mineral = _mineral(rng, area).split("เพื่อ")[0]  # หินปูนเพื่ออุตสาหกรรมก่อสร้าง: หินปูน
    issue, clause, impact = rng.choice(_MINE_IMPACTS)
    place = _place(rng, area)
    title = (f"ร้องเรียน{issue}จากเหมือง{mineral} ", _SLOT_SHORT, "")
    head = f"ชาวบ้านบริเวณ{place} "
    tail = (f" ได้รับผลกระทบจาก{clause}ของเหมือง{mineral}ในพื้นที่ {impact} "
            f"ขอให้กรมอุตสาหกรรมพื้นฐานและการเหมืองแร่เข้าตรวจสอบ")
    return (*title, False, head, _SLOT_FULL, tail, None)


def _skel_ops_general(rng, area, company_for, person_share):
    title_text, what = rng.choice(_OPS_GENERAL)
    place = _place(rng, area)
    return (f"{title_text} ", _SLOT_SHORT, "", False, f"{what} บริเวณ{place} ", _SLOT_FULL,
            " ขอให้หน่วยงานที่เกี่ยวข้องตรวจสอบและแจ้งผลให้ทราบ", None)


def _skel_office(pool):
    def build(rng, area, company_for, person_share):
        title_text, head, tail = rng.choice(pool)
        return (f"{title_text} ", _SLOT_OFFICE, "", False, head, _SLOT_OFFICE, tail, None)
    return build


def _skel_ops_info(rng, area, company_for, person_share):
    title_text, what = rng.choice(_OPS_INFO)
    requester = None if rng.random() < person_share else company_for(_PROPERTY_STEMS)
    head = (f" ขอข้อมูลข่าวสารตามพระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. 2540 ได้แก่ {what} "
            f"ในพื้นที่")
    return (f"{title_text} ", _SLOT_SHORT, "", True, head, _SLOT_FULL,
            f" เพื่อ{rng.choice(_OPS_INFO_PURPOSES)}", requester)


def _skel_generic(case_type: CaseTypeSeed):
    """For case types an administrator added: the type's name and the place."""
    name = case_type.name_th

    def build(rng, area, company_for, person_share):
        if case_type.kind == Kind.REQUEST:
            requester = None if rng.random() < person_share else company_for(_TRADING_STEMS)
            return (f"{name} ", _SLOT_SHORT, "", True, f" ยื่นคำขอ{name} ในพื้นที่", _SLOT_FULL, "",
                    requester)
        return (f"{name} ", _SLOT_SHORT, "", False, f"ผู้ร้องขอให้ตรวจสอบเรื่อง{name} ในพื้นที่", _SLOT_FULL, "",
                None)
    return build


_SKELETONS = {
    "DIW-NUISANCE": _skel_nuisance,
    "DIW-RNG4": _skel_factory_licence(expansion=False),
    "DIW-EXPANSION": _skel_factory_licence(expansion=True),
    "DIPROM-SME-LOAN": _skel_sme_loan,
    "DIPROM-ADVICE": _skel_advice,
    "DIPROM-COMPLAINT": _skel_diprom_complaint,
    "TISI-LICENCE": _skel_tis_licence,
    "TISI-UNSAFE": _skel_unsafe_product,
    "DPIM-CONCESSION": _skel_concession,
    "DPIM-IMPACT": _skel_mining_impact,
    "OPS-GENERAL": _skel_ops_general,
    "OPS-SERVICE": _skel_office(_OPS_SERVICE),
    "OPS-MISCONDUCT": _skel_office(_OPS_MISCONDUCT),
    "OPS-INFO": _skel_ops_info,
}
# Share of requesters who file as a person rather than a company, per case type.
_PERSON_SHARE = {"DIW-RNG4": 0.1, "DIW-EXPANSION": 0.05, "DIPROM-SME-LOAN": 0.45, "DIPROM-ADVICE": 0.6,
                 "TISI-LICENCE": 0.0, "DPIM-CONCESSION": 0.15, "OPS-INFO": 0.85}
# Complaints: share filed anonymously; share of named complainants who give no ID.
_ANONYMOUS_SHARE = {"OPS-MISCONDUCT": 0.45, "DIW-NUISANCE": 0.12, "DPIM-IMPACT": 0.15}
_DEFAULT_ANONYMOUS_SHARE = 0.08
_NO_ID_SHARE = 0.3
# Some complaints come from businesses hurt by a neighbour: resorts, farms, shops.
_JURISTIC_COMPLAINANT_SHARE = 0.06
_COMPLAINANT_STEMS = (("รีสอร์ท", "resort"), ("ฟาร์ม", "farm"), ("เทรดดิ้ง", "trading"),
                      ("โฮมสเตย์", "homestay"))


# ---------------------------------------------------------------------------------------------
# The prepared corpus
# ---------------------------------------------------------------------------------------------

class _Corpus(NamedTuple):
    # Pool of (province, location, case type) combinations, each a tuple:
    # (province, district, subdistrict, location slots, lat µ°, lon µ°, skeletons, bundles,
    #  agency, agency index, case type code, kind, is_request)
    combinations: list
    combinations_by_province: tuple[list, ...]
    agency_codes: tuple[str, ...]
    people: list
    jitters: list  # offsets in millionths of a degree
    times_of_day: list  # (seconds after local midnight, timedelta)
    rng_state: tuple


def _area_of(province: geo.Province) -> str:
    return _BANGKOK_AREA if province.is_bangkok else province.region.value


def _location_slots(province: geo.Province, district: geo.District, subdistrict: str) -> tuple:
    if province.is_bangkok:
        short = f"แขวง{subdistrict} เขต{district.name_th}"
        full = f"แขวง{subdistrict} เขต{district.name_th} {province.name_th}"
        office = "สำนักงานปลัดกระทรวงอุตสาหกรรม"
        province_phrase = province.name_th
    else:
        short = f"ต.{subdistrict} อ.{district.name_th}"
        full = f"ตำบล{subdistrict} อำเภอ{district.name_th} จังหวัด{province.name_th}"
        office = f"สำนักงานอุตสาหกรรมจังหวัด{province.name_th}"
        province_phrase = f"จังหวัด{province.name_th}"
    return ("", short, full, office, province_phrase)


def _province_weight(code: str) -> float:
    if code == geo.BANGKOK_CODE:
        return 10
    if code in _INDUSTRIAL:
        return 7
    if code in _LARGE:
        return 3
    return 1


def _case_type_weight(case_type: CaseTypeSeed, province: geo.Province) -> float:
    weight = float(_CASE_TYPE_WEIGHTS.get(case_type.code, _DEFAULT_CASE_TYPE_WEIGHT))
    agency = case_type.agency
    if agency == "DPIM":
        if province.is_bangkok:
            return 0.0
        weight *= 4 if province.code in _MINING else 0.5
    elif agency == "DIW" and province.code in _INDUSTRIAL:
        weight *= 1.5
    elif agency == "TISI" and (province.is_bangkok or province.code in _INDUSTRIAL):
        weight *= 1.5
    elif agency == "DIPROM" and not (province.is_bangkok or province.code in _INDUSTRIAL):
        weight *= 1.5
    elif agency == "OPS" and province.is_bangkok:
        weight *= 1.5
    return weight


def _channels_for(case_type: CaseTypeSeed) -> _Choice:
    channels = _CHANNELS.get(case_type.code)
    if channels is None:
        channels = _COMPLAINT_CHANNELS if case_type.kind == Kind.COMPLAINT else _REQUEST_CHANNELS
    if case_type.kind != Kind.COMPLAINT or case_type.agency not in _TRAFFY_AGENCIES:
        channels = tuple((c, w) for c, w in channels if c != Channel.TRAFFY)
    return _Choice((c.value, w) for c, w in channels)


def _notes_for(case_type: CaseTypeSeed) -> dict:
    notes = _NOTES.get(case_type.code) or (
        _COMPLAINT_NOTES if case_type.kind == Kind.COMPLAINT else _REQUEST_NOTES)
    return {status.value: pool for status, pool in notes.items()}


_NEVER = 10**12  # a resolution delay no case reaches: the case stays open
_RATING = _Choice(_RATINGS)
_PRIORITY = {kind: _Choice((p.value, w) for p, w in pairs) for kind, pairs in _PRIORITIES.items()}
_OPEN_STATUS = {kind: _Choice((s.value, w) for s, w in pairs) for kind, pairs in _OPEN_STATUSES.items()}
_CLOSED_STATUS = {kind: _Choice((s.value, w) for s, w in pairs) for kind, pairs in _CLOSED_STATUSES.items()}


class _Bundle(NamedTuple):
    """Everything about a case that does not depend on where or when it is, drawn once per bundle
    of a case type; with its history in each outcome (app/domain/demo_history.py), made ahead
    where it does not depend on the case's age either."""

    channel: str
    priority: str
    anonymous: bool
    has_id: bool
    keeps_email: bool
    open_status: str
    open_reopens: int
    open_history: demo_history.History | None  # None: made per case, from its age
    plan: demo_history.Plan
    closed_status: str
    closed_reopens: int
    closed_satisfaction: int | None
    closed_note: str | None
    closed_history: demo_history.History | None  # None: the case never closes
    rated_history: demo_history.History | None  # with the rating, once it is in the past
    rated_after: int  # seconds after submission at which the rating is in the past
    received_history: demo_history.History
    resolve_seconds: int
    resolve_delta: timedelta
    respond_seconds: int
    respond_delta: timedelta
    closed_first_delta: timedelta  # the first response of a case that closed


def _bundles(rng: random.Random, history_rng: random.Random, case_type: CaseTypeSeed,
             origin: str | None, forward_note: str) -> list[_Bundle]:
    """Per case type, a pool of bundles. `origin` is the agency its forwarded cases come from
    (None: none is forwarded), `forward_note` the reason given when forwarding them."""
    kind = case_type.kind
    channels = _channels_for(case_type)
    notes = _notes_for(case_type)
    anonymous_share = _ANONYMOUS_SHARE.get(case_type.code, _DEFAULT_ANONYMOUS_SHARE)
    # Resolution takes about 60% of the allowed working days, in calendar time, with a long tail;
    # the first response a few working days at most.
    resolution_median = max(case_type.sla_days, 1) * 0.6 * 1.4 * 86_400
    response_days = case_type.first_response_days or max(1, case_type.sla_days // 10)
    response_median = response_days * 0.5 * 86_400
    out = []
    for _ in range(1 << _BUNDLE_BITS):
        anonymous = kind == Kind.COMPLAINT and rng.random() < anonymous_share
        has_id = kind != Kind.COMPLAINT or rng.random() >= _NO_ID_SHARE
        roll = rng.random()
        reopen = 2 if roll < 0.005 else 1 if roll < 0.035 else 0
        closed_status = _CLOSED_STATUS[kind].pick(rng)
        rating = _RATING.pick(rng) if rng.random() < 0.35 else None
        note = rng.choice(notes[closed_status]) if rng.random() < 0.85 else None
        resolve = int(min(400 * 86_400, max(1_800, rng.lognormvariate(0, 0.75) * resolution_median)))
        if rng.random() < 0.02:  # stuck: stays open however old
            resolve = _NEVER
        respond = int(min(20 * 86_400, max(600, rng.lognormvariate(0, 0.9) * response_median)))
        # A case the first response closes was first answered when it closed: any status change
        # is a response (app/services/cases.py).
        closed_first = timedelta(seconds=min(respond, resolve))
        channel, priority, keeps_email = channels.pick(rng), _PRIORITY[kind].pick(rng), rng.random() < 0.8
        drawn_open_status = _OPEN_STATUS[kind].pick(rng)
        satisfaction = rating if closed_status == Status.RESOLVED else None
        plan = demo_history.make_plan(
            history_rng, kind=kind.value, agency=case_type.agency, origin=origin, channel=channel, respond=respond, resolve=resolve,
            closed_status=closed_status, closed_note=note, reopens=reopen, satisfaction=satisfaction,
            forward_note=forward_note)
        open_status = demo_history.open_status(plan, drawn_open_status)
        open_reopens = 0 if open_status == Status.FORWARDED else plan.reopens
        fixed_open = None
        if respond < resolve and not demo_history.open_depends_on_age(plan, open_status):
            fixed_open = demo_history.open_history(plan, open_status, respond)
        closed = rated = None
        rated_after = 0
        if resolve != _NEVER:
            closed = demo_history.closed_history(plan)
            if satisfaction is not None:
                rated = demo_history.rated(closed, plan)
                rated_after = resolve + plan.rating_delay
        out.append(_Bundle(
            channel, priority, anonymous, has_id, keeps_email, open_status, open_reopens, fixed_open, plan,
            closed_status, plan.reopens, satisfaction, note, closed, rated, rated_after,
            demo_history.received_history(plan), resolve, timedelta(seconds=min(resolve, 400 * 86_400)), respond,
            timedelta(seconds=respond), closed_first,
        ))
    return out


# Submissions by hour of the day, Bangkok time: office hours, a lunch dip, evenings online.
_HOURS = ((0, 1), (1, 1), (2, 1), (3, 1), (4, 1), (5, 2), (6, 4), (7, 8), (8, 20), (9, 28), (10, 30),
          (11, 26), (12, 14), (13, 24), (14, 26), (15, 22), (16, 16), (17, 10), (18, 8), (19, 8),
          (20, 7), (21, 5), (22, 3), (23, 2))


@lru_cache(maxsize=8)
def _prepare(seed: int, agencies: tuple[AgencySeed, ...], case_types: tuple[CaseTypeSeed, ...]) -> _Corpus:
    agency_codes = tuple(a.code for a in agencies)
    usable = tuple(ct for ct in case_types if ct.agency in agency_codes)
    if not usable:
        raise ValueError("no case type belongs to one of the given agencies")
    rng = random.Random(seed)
    all_provinces = geo.provinces()

    people = [_person(rng) for _ in range(1 << _PEOPLE_BITS)]

    # A few companies per (name stems, area), so one company files several cases.
    area_provinces = {area: tuple(p.code for p in all_provinces if _area_of(p) == area) for area in _AREAS}
    company_pools: dict[tuple, list] = {}

    def company_for_area(area: str):
        def company_for(stems, small=False):
            key = (tuple(stems), area, small)
            pool = company_pools.get(key)
            if pool is None:
                pool = company_pools[key] = [
                    _company(rng, stems, rng.choice(area_provinces[area]), small=small)
                    for _ in range(1 << _COMPANY_BITS)]
            return pool[rng.getrandbits(_COMPANY_BITS)]
        return company_for

    # The histories draw from their own generator, so that the rest of the corpus stays as it was.
    history_rng = random.Random(f"{seed}:history")
    short_names = {a.code: a.short_th for a in agencies}
    per_case_type = []
    for ct in usable:
        build = _SKELETONS.get(ct.code) or _skel_generic(ct)
        person_share = _PERSON_SHARE.get(ct.code, 0.5 if ct.kind == Kind.REQUEST else 0.92)
        skeletons = {}
        for area in _AREAS:
            company_for = company_for_area(area)
            pool = []
            for _ in range(1 << _SKELETON_BITS):
                skeleton = build(rng, area, company_for, person_share)
                if ct.kind == Kind.COMPLAINT and rng.random() < _JURISTIC_COMPLAINANT_SHARE:
                    skeleton = (*skeleton[:-1], company_for(_COMPLAINANT_STEMS))
                pool.append(skeleton)
            skeletons[area] = pool
        origin = demo_history.forwarding_agency(ct.agency, agency_codes)
        forward_note = demo_history.FORWARD_NOTE.format(agency=short_names[ct.agency])
        per_case_type.append((ct, skeletons, _bundles(rng, history_rng, ct, origin, forward_note)))

    combinations: list[tuple[tuple, float]] = []
    by_province = []
    for province in all_provinces:
        area = _area_of(province)
        lat, lon = round(province.latitude * 1_000_000), round(province.longitude * 1_000_000)
        locations = []
        for position, district in enumerate(province.districts):
            share = 3 if position == 0 else 1  # the capital district sees most cases
            for subdistrict in district.subdistricts:
                locations.append((district.name_th, subdistrict,
                                  _location_slots(province, district, subdistrict), share))
        location_total = sum(share for *_, share in locations)
        type_weights = [_case_type_weight(ct, province) for ct, _, _ in per_case_type]
        type_total = sum(type_weights)
        mine = []
        for district_name, subdistrict, slots, share in locations:
            for (ct, skeletons, bundles), type_weight in zip(per_case_type, type_weights):
                if type_weight <= 0:
                    continue
                kind = Kind(ct.kind)
                combination = (province.name_th, district_name, subdistrict, slots, lat, lon, skeletons[area],
                               bundles, ct.agency, agency_codes.index(ct.agency), ct.code, kind.value,
                               kind == Kind.REQUEST)
                mine.append((combination, share / location_total * type_weight / type_total))
        combinations.extend((c, w * _province_weight(province.code)) for c, w in mine)
        by_province.append(_expand(mine, _COVERAGE_BITS))

    times_of_day = []
    for hour in _expand(_HOURS, _TIME_OF_DAY_BITS):
        seconds = hour * 3600 + rng.randrange(3600)
        times_of_day.append((seconds, timedelta(seconds=seconds)))

    jitters = [rng.randint(-JITTER_MICRODEGREES, JITTER_MICRODEGREES) for _ in range(1 << _JITTER_BITS)]
    return _Corpus(combinations=_expand(combinations, _COMBINATION_BITS),
                   combinations_by_province=tuple(by_province), agency_codes=agency_codes, people=people,
                   jitters=jitters, times_of_day=times_of_day, rng_state=rng.getstate())


def _days(now_ts: int) -> tuple[list, list, list, list]:
    """Per day back from today (Bangkok), up to SPAN_DAYS: local midnight in UTC seconds and as a
    datetime, and the year; plus a pool of day indexes weighted for weekdays (weekends about a
    third) and a mild growth over the two years."""
    today = (now_ts + _BANGKOK_OFFSET) // 86_400 + _EPOCH_ORDINAL
    starts, midnights, years, weights = [], [], [], []
    for back in range(SPAN_DAYS + 1):
        day = date.fromordinal(today - back)
        start = (today - back - _EPOCH_ORDINAL) * 86_400 - _BANGKOK_OFFSET
        starts.append(start)
        midnights.append(datetime.fromtimestamp(start, _UTC))
        years.append(day.year)
        if back < SPAN_DAYS:
            weight = 1.0 if day.weekday() < 5 else (0.35 if day.weekday() == 5 else 0.25)
            weights.append((back, weight * (1.2 - 0.4 * back / SPAN_DAYS)))
    return starts, midnights, years, _expand(weights, _DAY_BITS)


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------

def generate_cases(
    count: int,
    *,
    seed: int = 2569,
    now: datetime,
    agencies: Sequence[AgencySeed] = AGENCIES,
    case_types: Sequence[CaseTypeSeed] = CASE_TYPES,
) -> Iterator[dict]:
    """Yield ``count`` demo cases submitted within the two years before ``now`` (an aware
    datetime). The same arguments give the same cases, and a longer run starts with the cases of
    a shorter one. Only case types of the given agencies are used."""
    if count < 0:
        raise ValueError("count must not be negative")
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    corpus = _prepare(seed, tuple(agencies), tuple(case_types))
    rng = random.Random()
    rng.setstate(corpus.rng_state)
    return _generate(count, corpus, int(now.timestamp()), rng)


def _schedule(corpus: _Corpus, count: int) -> Iterator[tuple[list, int]]:
    """Which pool each case draws its (province, location, case type) from: every
    COVERAGE_STRIDE-th of the first cases from one province in turn, all others from the whole."""
    whole = (corpus.combinations, _COMBINATION_BITS)
    by_province = corpus.combinations_by_province
    head = [(by_province[n // COVERAGE_STRIDE], _COVERAGE_BITS) if n % COVERAGE_STRIDE == 0 else whole
            for n in range(min(count, len(by_province) * COVERAGE_STRIDE))]
    return chain(head, repeat(whole, count - len(head)))


def _generate(count: int, corpus: _Corpus, now_ts: int, rng: random.Random) -> Iterator[dict]:
    grb = rng.getrandbits
    day_starts, midnights, years, day_pool = _days(now_ts)
    times_of_day = corpus.times_of_day
    people = corpus.people
    jitters = corpus.jitters
    counters = [0] * len(corpus.agency_codes)
    traffy_counter = 0
    traffy = Channel.TRAFFY.value
    received = Status.RECEIVED.value
    rated, open_history = demo_history.rated, demo_history.open_history
    # Copying a dict that already has the keys, then setting them, beats a 24-key literal.
    blank = dict.fromkeys(CASE_KEYS).copy

    for pool, bits in _schedule(corpus, count):
        (province, district, subdistrict, slots, lat, lon, skeletons, bundles, agency, agency_index,
         case_type_code, kind, is_request) = pool[grb(bits)]
        (title_head, title_slot, title_tail, leads, desc_head, desc_slot, desc_tail,
         requester) = skeletons[grb(_SKELETON_BITS)]
        (channel, priority, anonymous, has_id, keeps_email, open_status, open_reopens, fixed_open, plan,
         closed_status, closed_reopens, closed_satisfaction, closed_note, closed_history, rated_history, rated_after,
         received_history, resolve_seconds, resolve_delta, respond_seconds, respond_delta,
         closed_first_delta) = bundles[grb(_BUNDLE_BITS)]
        if anonymous:
            name = ANONYMOUS_NAME
            phone = email = citizen_id = None
        else:
            name, phone, email, citizen_id = requester or people[grb(_PEOPLE_BITS)]
            if not keeps_email:
                email = None
            if not has_id:
                citizen_id = None

        day = day_pool[grb(_DAY_BITS)]
        tod_seconds, tod_delta = times_of_day[grb(_TIME_OF_DAY_BITS)]
        submitted_ts = day_starts[day] + tod_seconds
        if submitted_ts >= now_ts:  # later today than now: the day before instead
            day += 1
            submitted_ts -= 86_400
        submitted_at = midnights[day] + tod_delta
        age = now_ts - submitted_ts
        if resolve_seconds < age:
            status = closed_status
            closed_at = submitted_at + resolve_delta
            first_response_at = submitted_at + closed_first_delta
            satisfaction = closed_satisfaction
            public_note = closed_note
            reopen_count = closed_reopens
            if satisfaction is None:
                history = closed_history
            elif age >= rated_after:
                history = rated_history
            else:  # closed so lately that the rating came just now
                history = rated(closed_history, plan, age)
        elif respond_seconds < age:
            status = open_status
            first_response_at = submitted_at + respond_delta
            closed_at = satisfaction = public_note = None
            reopen_count = open_reopens
            history = fixed_open or open_history(plan, status, age)
        else:
            status = received
            first_response_at = closed_at = satisfaction = public_note = None
            reopen_count = 0
            history = received_history

        if is_request:
            counters[agency_index] += 1
            external_ref = agency + "-EXT-" + str(counters[agency_index]).zfill(6)
        elif channel == traffy:
            traffy_counter += 1
            external_ref = f"TRAFFY-{years[day]}-" + str(traffy_counter).zfill(6)
        else:
            external_ref = None

        case = blank()
        case["agency_code"] = agency
        case["case_type_code"] = case_type_code
        case["kind"] = kind
        case["channel"] = channel
        case["title"] = title_head + slots[title_slot] + title_tail
        case["description"] = ((name + desc_head) if leads else desc_head) + slots[desc_slot] + desc_tail
        case["requester_name"] = name
        case["requester_phone"] = phone
        case["requester_email"] = email
        case["requester_id"] = citizen_id
        case["province"] = province
        case["district"] = district
        case["subdistrict"] = subdistrict
        case["latitude"] = (lat + jitters[grb(_JITTER_BITS)]) / 1_000_000
        case["longitude"] = (lon + jitters[grb(_JITTER_BITS)]) / 1_000_000
        case["status"] = status
        case["priority"] = priority
        case["submitted_at"] = submitted_at
        case["first_response_at"] = first_response_at
        case["closed_at"] = closed_at
        case["satisfaction"] = satisfaction
        case["reopen_count"] = reopen_count
        case["external_ref"] = external_ref
        case["public_note"] = public_note
        case["history"] = history
        yield case

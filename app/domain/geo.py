"""Thai geography: the 77 provinces (จังหวัด), a few of their districts and subdistricts, and a
coarse test for coordinates inside Thailand.

Pure data and lookups, no Flask or database imports.

- Codes are the ISO 3166-2:TH numeric codes, which are also the Department of Provincial
  Administration's (กรมการปกครอง) province codes: "10" Bangkok, "50" Chiang Mai.
- Regions follow the six-region division of the National Geographical Committee (1977): north,
  northeast, central (with Bangkok), east, west and south.
- ``latitude``/``longitude`` is an approximate centre of the province's populated area, to two
  decimals, chosen to lie inside the province (for provinces on the Mekong or the sea it sits a
  little inland of the capital, so small jitter stays on Thai land).
- Each province lists a handful of real districts (อำเภอ; เขต in Bangkok), always with the capital
  district, and one or more real subdistricts (ตำบล; แขวง in Bangkok) of each. Provinces where
  factories cluster list more. Names are spelt as in the Department of Provincial
  Administration's register, without the อำเภอ/เขต or ตำบล/แขวง prefix.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.thai_order import thai_sort_key


class Region(StrEnum):
    NORTH = "north"
    NORTHEAST = "northeast"
    CENTRAL = "central"
    EAST = "east"
    WEST = "west"
    SOUTH = "south"


REGION_LABELS = {
    Region.NORTH: ("ภาคเหนือ", "North"),
    Region.NORTHEAST: ("ภาคตะวันออกเฉียงเหนือ", "Northeast"),
    Region.CENTRAL: ("ภาคกลาง", "Central"),
    Region.EAST: ("ภาคตะวันออก", "East"),
    Region.WEST: ("ภาคตะวันตก", "West"),
    Region.SOUTH: ("ภาคใต้", "South"),
}

BANGKOK_CODE = "10"


@dataclass(frozen=True, slots=True)
class BoundingBox:
    south: float
    west: float
    north: float
    east: float

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


# Thailand spans about 5.61°N (Betong, Yala) to 20.46°N (Mae Sai, Chiang Rai) and 97.34°E
# (Mae Hong Son) to 105.64°E (Khong Chiam, Ubon Ratchathani); the box rounds those outwards.
# It is a sanity check for typed or imported coordinates, not a border: it also takes in parts
# of Myanmar, Laos, Cambodia and Malaysia.
THAILAND_BBOX = BoundingBox(south=5.6, west=97.3, north=20.5, east=105.7)


def in_thailand(lat: float, lon: float) -> bool:
    """True when (lat, lon) lies in THAILAND_BBOX, edges included."""
    return THAILAND_BBOX.contains(lat, lon)


@dataclass(frozen=True, slots=True)
class District:
    name_th: str
    name_en: str
    subdistricts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    name_th: str
    name_en: str
    region: Region
    latitude: float
    longitude: float
    districts: tuple[District, ...]

    @property
    def is_bangkok(self) -> bool:
        return self.code == BANGKOK_CODE

    @property
    def district_prefix(self) -> str:
        """อำเภอ, or เขต in Bangkok."""
        return "เขต" if self.is_bangkok else "อำเภอ"

    @property
    def subdistrict_prefix(self) -> str:
        """ตำบล, or แขวง in Bangkok."""
        return "แขวง" if self.is_bangkok else "ตำบล"

    @property
    def capital_district(self) -> District:
        return self.districts[0]


# code, Thai name, English name, region, latitude, longitude,
# districts as (Thai, English, (subdistricts in Thai...)), the capital district first.
_TABLE = (
    ("10", "กรุงเทพมหานคร", "Bangkok", Region.CENTRAL, 13.75, 100.55, (
        ("พระนคร", "Phra Nakhon", ("พระบรมมหาราชวัง", "ชนะสงคราม")),
        ("ปทุมวัน", "Pathum Wan", ("ลุมพินี", "วังใหม่")),
        ("บางรัก", "Bang Rak", ("สีลม", "สุริยวงศ์")),
        ("จตุจักร", "Chatuchak", ("จตุจักร", "ลาดยาว")),
        ("ห้วยขวาง", "Huai Khwang", ("ห้วยขวาง", "สามเสนนอก")),
        ("คลองเตย", "Khlong Toei", ("คลองเตย", "พระโขนง")),
        ("ดินแดง", "Din Daeng", ("ดินแดง",)),
        ("ลาดกระบัง", "Lat Krabang", ("ลาดกระบัง", "ลำปลาทิว")),
        ("บางขุนเทียน", "Bang Khun Thian", ("แสมดำ", "ท่าข้าม")),
        ("บางบอน", "Bang Bon", ("บางบอนเหนือ", "คลองบางพราน")),
        ("หนองแขม", "Nong Khaem", ("หนองแขม", "หนองค้างพลู")),
        ("บางนา", "Bang Na", ("บางนาเหนือ", "บางนาใต้")),
        ("มีนบุรี", "Min Buri", ("มีนบุรี", "แสนแสบ")),
        ("หนองจอก", "Nong Chok", ("หนองจอก", "กระทุ่มราย")),
        ("ประเวศ", "Prawet", ("ประเวศ", "หนองบอน")),
        ("ราษฎร์บูรณะ", "Rat Burana", ("ราษฎร์บูรณะ", "บางปะกอก")),
    )),
    ("11", "สมุทรปราการ", "Samut Prakan", Region.CENTRAL, 13.57, 100.72, (
        ("เมืองสมุทรปราการ", "Mueang Samut Prakan", ("ปากน้ำ", "บางปูใหม่", "แพรกษา")),
        ("บางพลี", "Bang Phli", ("บางพลีใหญ่", "ราชาเทวะ")),
        ("บางบ่อ", "Bang Bo", ("บางบ่อ", "คลองด่าน")),
        ("พระประแดง", "Phra Pradaeng", ("บางพึ่ง", "สำโรงใต้")),
        ("พระสมุทรเจดีย์", "Phra Samut Chedi", ("นาเกลือ", "แหลมฟ้าผ่า")),
        ("บางเสาธง", "Bang Sao Thong", ("บางเสาธง", "ศีรษะจรเข้น้อย")),
    )),
    ("12", "นนทบุรี", "Nonthaburi", Region.CENTRAL, 13.90, 100.42, (
        ("เมืองนนทบุรี", "Mueang Nonthaburi", ("สวนใหญ่", "บางกระสอ")),
        ("ปากเกร็ด", "Pak Kret", ("ปากเกร็ด", "บางตลาด")),
        ("บางบัวทอง", "Bang Bua Thong", ("โสนลอย", "บางรักพัฒนา")),
        ("บางใหญ่", "Bang Yai", ("บางแม่นาง", "เสาธงหิน")),
        ("ไทรน้อย", "Sai Noi", ("ไทรน้อย",)),
    )),
    ("13", "ปทุมธานี", "Pathum Thani", Region.CENTRAL, 14.05, 100.68, (
        ("เมืองปทุมธานี", "Mueang Pathum Thani", ("บางปรอก", "บางกะดี")),
        ("คลองหลวง", "Khlong Luang", ("คลองหนึ่ง", "คลองสอง")),
        ("ธัญบุรี", "Thanyaburi", ("ประชาธิปัตย์", "รังสิต")),
        ("ลำลูกกา", "Lam Luk Ka", ("ลำลูกกา", "คูคต")),
        ("ลาดหลุมแก้ว", "Lat Lum Kaeo", ("ลาดหลุมแก้ว", "ระแหง")),
        ("สามโคก", "Sam Khok", ("สามโคก", "บางเตย")),
        ("หนองเสือ", "Nong Suea", ("บึงบา",)),
    )),
    ("14", "พระนครศรีอยุธยา", "Phra Nakhon Si Ayutthaya", Region.CENTRAL, 14.36, 100.56, (
        ("พระนครศรีอยุธยา", "Phra Nakhon Si Ayutthaya", ("ประตูชัย", "หอรัตนไชย")),
        ("บางปะอิน", "Bang Pa-in", ("คลองจิก", "บ้านเลน")),
        ("อุทัย", "Uthai", ("อุทัย", "ธนู")),
        ("วังน้อย", "Wang Noi", ("ลำตาเสา", "วังน้อย")),
        ("นครหลวง", "Nakhon Luang", ("นครหลวง",)),
        ("ท่าเรือ", "Tha Ruea", ("ท่าเรือ",)),
        ("บางไทร", "Bang Sai", ("บางไทร",)),
        ("เสนา", "Sena", ("เสนา",)),
        ("ภาชี", "Phachi", ("ภาชี",)),
    )),
    ("15", "อ่างทอง", "Ang Thong", Region.CENTRAL, 14.62, 100.38, (
        ("เมืองอ่างทอง", "Mueang Ang Thong", ("ตลาดหลวง", "บางแก้ว")),
        ("ป่าโมก", "Pa Mok", ("ป่าโมก",)),
        ("วิเศษชัยชาญ", "Wiset Chai Chan", ("ไผ่จำศิล",)),
        ("โพธิ์ทอง", "Pho Thong", ("อินทประมูล",)),
    )),
    ("16", "ลพบุรี", "Lop Buri", Region.CENTRAL, 15.00, 100.80, (
        ("เมืองลพบุรี", "Mueang Lop Buri", ("ท่าหิน", "ทะเลชุบศร")),
        ("บ้านหมี่", "Ban Mi", ("บ้านหมี่",)),
        ("ชัยบาดาล", "Chai Badan", ("ลำนารายณ์",)),
        ("พัฒนานิคม", "Phatthana Nikhom", ("พัฒนานิคม",)),
        ("โคกสำโรง", "Khok Samrong", ("โคกสำโรง",)),
    )),
    ("17", "สิงห์บุรี", "Sing Buri", Region.CENTRAL, 14.89, 100.40, (
        ("เมืองสิงห์บุรี", "Mueang Sing Buri", ("บางพุทรา", "ต้นโพธิ์")),
        ("อินทร์บุรี", "In Buri", ("อินทร์บุรี",)),
        ("บางระจัน", "Bang Rachan", ("สิงห์",)),
        ("พรหมบุรี", "Phrom Buri", ("พรหมบุรี",)),
    )),
    ("18", "ชัยนาท", "Chai Nat", Region.CENTRAL, 15.18, 100.12, (
        ("เมืองชัยนาท", "Mueang Chai Nat", ("ในเมือง", "บ้านกล้วย")),
        ("สรรคบุรี", "Sankhaburi", ("แพรกศรีราชา",)),
        ("มโนรมย์", "Manorom", ("คุ้งสำเภา",)),
        ("หันคา", "Hankha", ("หันคา",)),
    )),
    ("19", "สระบุรี", "Saraburi", Region.CENTRAL, 14.53, 100.92, (
        ("เมืองสระบุรี", "Mueang Saraburi", ("ปากเพรียว", "ตะกุด")),
        ("แก่งคอย", "Kaeng Khoi", ("ทับกวาง", "ตาลเดี่ยว")),
        ("หนองแค", "Nong Khae", ("หนองแค", "หนองปลาหมอ")),
        ("วิหารแดง", "Wihan Daeng", ("วิหารแดง", "หนองหมู")),
        ("พระพุทธบาท", "Phra Phutthabat", ("ขุนโขลน", "พระพุทธบาท")),
        ("มวกเหล็ก", "Muak Lek", ("มวกเหล็ก", "มิตรภาพ")),
        ("เสาไห้", "Sao Hai", ("เสาไห้",)),
        ("เฉลิมพระเกียรติ", "Chaloem Phra Kiat", ("หน้าพระลาน", "พุแค")),
    )),
    ("20", "ชลบุรี", "Chon Buri", Region.EAST, 13.30, 101.10, (
        ("เมืองชลบุรี", "Mueang Chon Buri", ("บางปลาสร้อย", "บ้านสวน", "ดอนหัวฬ่อ")),
        ("ศรีราชา", "Si Racha", ("ทุ่งสุขลา", "บึง", "บ่อวิน")),
        ("บางละมุง", "Bang Lamung", ("หนองปรือ", "บางละมุง")),
        ("พานทอง", "Phan Thong", ("พานทอง", "หนองตำลึง")),
        ("บ้านบึง", "Ban Bueng", ("บ้านบึง", "หนองซ้ำซาก")),
        ("สัตหีบ", "Sattahip", ("สัตหีบ", "บางเสร่")),
        ("พนัสนิคม", "Phanat Nikhom", ("พนัสนิคม",)),
        ("หนองใหญ่", "Nong Yai", ("หนองใหญ่",)),
        ("บ่อทอง", "Bo Thong", ("บ่อทอง",)),
    )),
    ("21", "ระยอง", "Rayong", Region.EAST, 12.78, 101.30, (
        ("เมืองระยอง", "Mueang Rayong", ("ท่าประดู่", "มาบตาพุด", "ห้วยโป่ง", "เนินพระ")),
        ("ปลวกแดง", "Pluak Daeng", ("ปลวกแดง", "มาบยางพร")),
        ("บ้านฉาง", "Ban Chang", ("บ้านฉาง", "พลา")),
        ("นิคมพัฒนา", "Nikhom Phatthana", ("นิคมพัฒนา", "มะขามคู่")),
        ("บ้านค่าย", "Ban Khai", ("บ้านค่าย", "หนองละลอก")),
        ("แกลง", "Klaeng", ("ทางเกวียน", "เนินฆ้อ")),
        ("วังจันทร์", "Wang Chan", ("วังจันทร์",)),
    )),
    ("22", "จันทบุรี", "Chanthaburi", Region.EAST, 12.70, 102.15, (
        ("เมืองจันทบุรี", "Mueang Chanthaburi", ("ตลาด", "วัดใหม่")),
        ("ท่าใหม่", "Tha Mai", ("ท่าใหม่",)),
        ("ขลุง", "Khlung", ("ขลุง",)),
        ("มะขาม", "Makham", ("มะขาม",)),
        ("โป่งน้ำร้อน", "Pong Nam Ron", ("ทับไทร",)),
    )),
    ("23", "ตราด", "Trat", Region.EAST, 12.24, 102.51, (
        ("เมืองตราด", "Mueang Trat", ("บางพระ", "วังกระแจะ")),
        ("คลองใหญ่", "Khlong Yai", ("คลองใหญ่", "หาดเล็ก")),
        ("เขาสมิง", "Khao Saming", ("เขาสมิง",)),
        ("เกาะช้าง", "Ko Chang", ("เกาะช้าง",)),
    )),
    ("24", "ฉะเชิงเทรา", "Chachoengsao", Region.EAST, 13.68, 101.20, (
        ("เมืองฉะเชิงเทรา", "Mueang Chachoengsao", ("หน้าเมือง", "บางตีนเป็ด")),
        ("บางปะกง", "Bang Pakong", ("ท่าสะอ้าน", "บางวัว")),
        ("บางคล้า", "Bang Khla", ("บางคล้า",)),
        ("บ้านโพธิ์", "Ban Pho", ("บ้านโพธิ์", "ลาดขวาง")),
        ("บางน้ำเปรี้ยว", "Bang Nam Priao", ("บางน้ำเปรี้ยว",)),
        ("พนมสารคาม", "Phanom Sarakham", ("พนมสารคาม", "เกาะขนุน")),
        ("แปลงยาว", "Plaeng Yao", ("แปลงยาว", "หัวสำโรง")),
        ("สนามชัยเขต", "Sanam Chai Khet", ("ท่ากระดาน",)),
    )),
    ("25", "ปราจีนบุรี", "Prachin Buri", Region.EAST, 14.00, 101.45, (
        ("เมืองปราจีนบุรี", "Mueang Prachin Buri", ("หน้าเมือง", "ดงขี้เหล็ก")),
        ("ศรีมหาโพธิ", "Si Maha Phot", ("ท่าตูม", "หัวหว้า")),
        ("กบินทร์บุรี", "Kabin Buri", ("กบินทร์", "นนทรี")),
        ("ประจันตคาม", "Prachantakham", ("ประจันตคาม",)),
        ("บ้านสร้าง", "Ban Sang", ("บ้านสร้าง", "บางกระเบา")),
        ("ศรีมโหสถ", "Si Mahosot", ("โคกปีบ",)),
        ("นาดี", "Na Di", ("นาดี",)),
    )),
    ("26", "นครนายก", "Nakhon Nayok", Region.CENTRAL, 14.20, 101.21, (
        ("เมืองนครนายก", "Mueang Nakhon Nayok", ("นครนายก", "บ้านใหญ่")),
        ("องครักษ์", "Ongkharak", ("องครักษ์",)),
        ("บ้านนา", "Ban Na", ("บ้านนา",)),
        ("ปากพลี", "Pak Phli", ("ปากพลี",)),
    )),
    ("27", "สระแก้ว", "Sa Kaeo", Region.EAST, 13.82, 102.07, (
        ("เมืองสระแก้ว", "Mueang Sa Kaeo", ("สระแก้ว", "ท่าเกษม")),
        ("อรัญประเทศ", "Aranyaprathet", ("อรัญประเทศ", "ป่าไร่")),
        ("วัฒนานคร", "Watthana Nakhon", ("วัฒนานคร",)),
        ("วังน้ำเย็น", "Wang Nam Yen", ("วังน้ำเย็น",)),
    )),
    ("30", "นครราชสีมา", "Nakhon Ratchasima", Region.NORTHEAST, 14.97, 102.10, (
        ("เมืองนครราชสีมา", "Mueang Nakhon Ratchasima", ("ในเมือง", "หนองไผ่ล้อม", "หนองระเวียง")),
        ("ปากช่อง", "Pak Chong", ("ปากช่อง", "กลางดง")),
        ("สีคิ้ว", "Sikhio", ("สีคิ้ว", "ลาดบัวขาว")),
        ("สูงเนิน", "Sung Noen", ("สูงเนิน", "กุดจิก")),
        ("พิมาย", "Phimai", ("ในเมือง",)),
        ("โชคชัย", "Chok Chai", ("โชคชัย",)),
        ("ด่านขุนทด", "Dan Khun Thot", ("ด่านขุนทด",)),
    )),
    ("31", "บุรีรัมย์", "Buri Ram", Region.NORTHEAST, 14.99, 103.10, (
        ("เมืองบุรีรัมย์", "Mueang Buri Ram", ("ในเมือง", "อิสาณ")),
        ("นางรอง", "Nang Rong", ("นางรอง",)),
        ("ประโคนชัย", "Prakhon Chai", ("ประโคนชัย",)),
        ("ลำปลายมาศ", "Lam Plai Mat", ("ลำปลายมาศ",)),
    )),
    ("32", "สุรินทร์", "Surin", Region.NORTHEAST, 14.88, 103.49, (
        ("เมืองสุรินทร์", "Mueang Surin", ("ในเมือง", "นอกเมือง")),
        ("ปราสาท", "Prasat", ("กังแอน",)),
        ("ศีขรภูมิ", "Sikhoraphum", ("ระแงง",)),
        ("รัตนบุรี", "Rattanaburi", ("รัตนบุรี",)),
    )),
    ("33", "ศรีสะเกษ", "Si Sa Ket", Region.NORTHEAST, 15.12, 104.32, (
        ("เมืองศรีสะเกษ", "Mueang Si Sa Ket", ("เมืองใต้", "เมืองเหนือ")),
        ("กันทรลักษ์", "Kantharalak", ("น้ำอ้อม",)),
        ("ขุขันธ์", "Khukhan", ("ห้วยเหนือ",)),
        ("อุทุมพรพิสัย", "Uthumphon Phisai", ("กำแพง",)),
    )),
    ("34", "อุบลราชธานี", "Ubon Ratchathani", Region.NORTHEAST, 15.23, 104.86, (
        ("เมืองอุบลราชธานี", "Mueang Ubon Ratchathani", ("ในเมือง", "ขามใหญ่")),
        ("วารินชำราบ", "Warin Chamrap", ("วารินชำราบ", "แสนสุข")),
        ("เดชอุดม", "Det Udom", ("เมืองเดช",)),
        ("พิบูลมังสาหาร", "Phibun Mangsahan", ("พิบูล",)),
        ("ตระการพืชผล", "Trakan Phuet Phon", ("ขุหลุ",)),
        ("โขงเจียม", "Khong Chiam", ("โขงเจียม",)),
    )),
    ("35", "ยโสธร", "Yasothon", Region.NORTHEAST, 15.79, 104.15, (
        ("เมืองยโสธร", "Mueang Yasothon", ("ในเมือง",)),
        ("เลิงนกทา", "Loeng Nok Tha", ("สามแยก",)),
        ("มหาชนะชัย", "Maha Chana Chai", ("ฟ้าหยาด",)),
        ("คำเขื่อนแก้ว", "Kham Khuean Kaeo", ("ลุมพุก",)),
    )),
    ("36", "ชัยภูมิ", "Chaiyaphum", Region.NORTHEAST, 15.81, 102.03, (
        ("เมืองชัยภูมิ", "Mueang Chaiyaphum", ("ในเมือง", "รอบเมือง")),
        ("ภูเขียว", "Phu Khiao", ("ผักปัง",)),
        ("แก้งคร้อ", "Kaeng Khro", ("หนองสังข์",)),
        ("จัตุรัส", "Chatturat", ("บ้านกอก",)),
    )),
    ("37", "อำนาจเจริญ", "Amnat Charoen", Region.NORTHEAST, 15.86, 104.63, (
        ("เมืองอำนาจเจริญ", "Mueang Amnat Charoen", ("บุ่ง", "โนนหนามแท่ง")),
        ("ปทุมราชวงศา", "Pathum Ratchawongsa", ("นาหว้า",)),
        ("ลืออำนาจ", "Lue Amnat", ("อำนาจ",)),
        ("ชานุมาน", "Chanuman", ("ชานุมาน",)),
    )),
    ("38", "บึงกาฬ", "Bueng Kan", Region.NORTHEAST, 18.05, 103.70, (
        ("เมืองบึงกาฬ", "Mueang Bueng Kan", ("บึงกาฬ", "วิศิษฐ์")),
        ("เซกา", "Seka", ("เซกา",)),
        ("พรเจริญ", "Phon Charoen", ("พรเจริญ",)),
        ("บุ่งคล้า", "Bung Khla", ("บุ่งคล้า",)),
        ("โซ่พิสัย", "So Phisai", ("โซ่",)),
        ("ปากคาด", "Pak Khat", ("ปากคาด",)),
    )),
    ("39", "หนองบัวลำภู", "Nong Bua Lam Phu", Region.NORTHEAST, 17.10, 102.30, (
        ("เมืองหนองบัวลำภู", "Mueang Nong Bua Lam Phu", ("หนองบัว", "ลำภู")),
        ("ศรีบุญเรือง", "Si Bun Rueang", ("เมืองใหม่",)),
        ("นากลาง", "Na Klang", ("นากลาง",)),
        ("โนนสัง", "Non Sang", ("โนนสัง",)),
    )),
    ("40", "ขอนแก่น", "Khon Kaen", Region.NORTHEAST, 16.43, 102.83, (
        ("เมืองขอนแก่น", "Mueang Khon Kaen", ("ในเมือง", "ศิลา")),
        ("บ้านไผ่", "Ban Phai", ("ในเมือง",)),
        ("น้ำพอง", "Nam Phong", ("น้ำพอง", "ม่วงหวาน")),
        ("ชุมแพ", "Chum Phae", ("ชุมแพ",)),
        ("พล", "Phon", ("เมืองพล",)),
        ("อุบลรัตน์", "Ubolratana", ("เขื่อนอุบลรัตน์",)),
    )),
    ("41", "อุดรธานี", "Udon Thani", Region.NORTHEAST, 17.41, 102.79, (
        ("เมืองอุดรธานี", "Mueang Udon Thani", ("หมากแข้ง", "หนองขอนกว้าง")),
        ("กุมภวาปี", "Kumphawapi", ("กุมภวาปี",)),
        ("บ้านดุง", "Ban Dung", ("ศรีสุทโธ",)),
        ("หนองหาน", "Nong Han", ("หนองหาน",)),
        ("เพ็ญ", "Phen", ("เพ็ญ",)),
        ("ประจักษ์ศิลปาคม", "Prachaksinlapakhom", ("นาม่วง",)),
    )),
    ("42", "เลย", "Loei", Region.NORTHEAST, 17.49, 101.73, (
        ("เมืองเลย", "Mueang Loei", ("กุดป่อง", "เมือง")),
        ("เชียงคาน", "Chiang Khan", ("เชียงคาน",)),
        ("วังสะพุง", "Wang Saphung", ("วังสะพุง", "เขาหลวง")),
        ("ด่านซ้าย", "Dan Sai", ("ด่านซ้าย",)),
        ("ภูเรือ", "Phu Ruea", ("หนองบัว",)),
    )),
    ("43", "หนองคาย", "Nong Khai", Region.NORTHEAST, 17.83, 102.70, (
        ("เมืองหนองคาย", "Mueang Nong Khai", ("ในเมือง", "มีชัย")),
        ("ท่าบ่อ", "Tha Bo", ("ท่าบ่อ",)),
        ("โพนพิสัย", "Phon Phisai", ("จุมพล",)),
        ("ศรีเชียงใหม่", "Si Chiang Mai", ("พานพร้าว",)),
    )),
    ("44", "มหาสารคาม", "Maha Sarakham", Region.NORTHEAST, 16.18, 103.30, (
        ("เมืองมหาสารคาม", "Mueang Maha Sarakham", ("ตลาด", "แวงน่าง")),
        ("กันทรวิชัย", "Kantharawichai", ("ขามเรียง", "โคกพระ")),
        ("บรบือ", "Borabue", ("บรบือ",)),
        ("วาปีปทุม", "Wapi Pathum", ("หนองแสง",)),
    )),
    ("45", "ร้อยเอ็ด", "Roi Et", Region.NORTHEAST, 16.05, 103.65, (
        ("เมืองร้อยเอ็ด", "Mueang Roi Et", ("ในเมือง", "รอบเมือง")),
        ("เสลภูมิ", "Selaphum", ("กลาง",)),
        ("สุวรรณภูมิ", "Suwannaphum", ("สระคู",)),
        ("โพนทอง", "Phon Thong", ("แวง",)),
    )),
    ("46", "กาฬสินธุ์", "Kalasin", Region.NORTHEAST, 16.43, 103.51, (
        ("เมืองกาฬสินธุ์", "Mueang Kalasin", ("กาฬสินธุ์", "หลุบ")),
        ("กมลาไสย", "Kamalasai", ("กมลาไสย",)),
        ("ยางตลาด", "Yang Talat", ("ยางตลาด",)),
        ("สมเด็จ", "Somdet", ("สมเด็จ",)),
    )),
    ("47", "สกลนคร", "Sakon Nakhon", Region.NORTHEAST, 17.16, 104.15, (
        ("เมืองสกลนคร", "Mueang Sakon Nakhon", ("ธาตุเชิงชุม", "ธาตุนาเวง")),
        ("สว่างแดนดิน", "Sawang Daen Din", ("สว่างแดนดิน",)),
        ("พังโคน", "Phang Khon", ("พังโคน",)),
        ("วานรนิวาส", "Wanon Niwat", ("วานรนิวาส",)),
    )),
    ("48", "นครพนม", "Nakhon Phanom", Region.NORTHEAST, 17.25, 104.55, (
        ("เมืองนครพนม", "Mueang Nakhon Phanom", ("ในเมือง", "หนองญาติ")),
        ("ธาตุพนม", "That Phanom", ("ธาตุพนม",)),
        ("ศรีสงคราม", "Si Songkhram", ("ศรีสงคราม",)),
        ("นาแก", "Na Kae", ("นาแก",)),
    )),
    ("49", "มุกดาหาร", "Mukdahan", Region.NORTHEAST, 16.55, 104.55, (
        ("เมืองมุกดาหาร", "Mueang Mukdahan", ("มุกดาหาร", "ศรีบุญเรือง")),
        ("คำชะอี", "Khamcha-i", ("คำชะอี",)),
        ("ดอนตาล", "Don Tan", ("ดอนตาล",)),
        ("นิคมคำสร้อย", "Nikhom Kham Soi", ("นิคมคำสร้อย",)),
    )),
    ("50", "เชียงใหม่", "Chiang Mai", Region.NORTH, 18.79, 98.98, (
        ("เมืองเชียงใหม่", "Mueang Chiang Mai", ("ศรีภูมิ", "สุเทพ")),
        ("สันทราย", "San Sai", ("สันทรายหลวง", "หนองหาร")),
        ("หางดง", "Hang Dong", ("หางดง", "บ้านแหวน")),
        ("สันกำแพง", "San Kamphaeng", ("สันกำแพง",)),
        ("แม่ริม", "Mae Rim", ("ริมใต้",)),
        ("ฝาง", "Fang", ("เวียง",)),
        ("สารภี", "Saraphi", ("ยางเนิ้ง",)),
        ("ดอยสะเก็ด", "Doi Saket", ("เชิงดอย",)),
    )),
    ("51", "ลำพูน", "Lamphun", Region.NORTH, 18.58, 99.01, (
        ("เมืองลำพูน", "Mueang Lamphun", ("ในเมือง", "บ้านกลาง", "เหมืองง่า")),
        ("ป่าซาง", "Pa Sang", ("ป่าซาง",)),
        ("บ้านธิ", "Ban Thi", ("บ้านธิ",)),
        ("ลี้", "Li", ("ลี้",)),
        ("แม่ทา", "Mae Tha", ("ทาสบเส้า",)),
    )),
    ("52", "ลำปาง", "Lampang", Region.NORTH, 18.29, 99.49, (
        ("เมืองลำปาง", "Mueang Lampang", ("เวียงเหนือ", "สวนดอก")),
        ("แม่เมาะ", "Mae Mo", ("แม่เมาะ", "สบป้าด")),
        ("เกาะคา", "Ko Kha", ("เกาะคา",)),
        ("งาว", "Ngao", ("หลวงเหนือ",)),
        ("เถิน", "Thoen", ("ล้อมแรด",)),
    )),
    ("53", "อุตรดิตถ์", "Uttaradit", Region.NORTH, 17.62, 100.10, (
        ("เมืองอุตรดิตถ์", "Mueang Uttaradit", ("ท่าอิฐ", "ท่าเสา")),
        ("ลับแล", "Laplae", ("ศรีพนมมาศ",)),
        ("พิชัย", "Phichai", ("ในเมือง",)),
        ("ตรอน", "Tron", ("บ้านแก่ง",)),
    )),
    ("54", "แพร่", "Phrae", Region.NORTH, 18.14, 100.14, (
        ("เมืองแพร่", "Mueang Phrae", ("ในเวียง", "ทุ่งโฮ้ง")),
        ("เด่นชัย", "Den Chai", ("เด่นชัย",)),
        ("สูงเม่น", "Sung Men", ("สูงเม่น",)),
        ("ลอง", "Long", ("ห้วยอ้อ",)),
    )),
    ("55", "น่าน", "Nan", Region.NORTH, 18.78, 100.78, (
        ("เมืองน่าน", "Mueang Nan", ("ในเวียง", "ดู่ใต้")),
        ("ปัว", "Pua", ("ปัว",)),
        ("เวียงสา", "Wiang Sa", ("กลางเวียง",)),
        ("ท่าวังผา", "Tha Wang Pha", ("ท่าวังผา",)),
    )),
    ("56", "พะเยา", "Phayao", Region.NORTH, 19.17, 99.90, (
        ("เมืองพะเยา", "Mueang Phayao", ("เวียง", "แม่ต๋ำ")),
        ("ดอกคำใต้", "Dok Khamtai", ("ดอกคำใต้",)),
        ("เชียงคำ", "Chiang Kham", ("หย่วน",)),
        ("จุน", "Chun", ("ห้วยข้าวก่ำ",)),
    )),
    ("57", "เชียงราย", "Chiang Rai", Region.NORTH, 19.91, 99.83, (
        ("เมืองเชียงราย", "Mueang Chiang Rai", ("เวียง", "รอบเวียง")),
        ("แม่สาย", "Mae Sai", ("แม่สาย", "เวียงพางคำ")),
        ("เชียงแสน", "Chiang Saen", ("เวียง",)),
        ("เชียงของ", "Chiang Khong", ("เวียง",)),
        ("แม่จัน", "Mae Chan", ("แม่จัน",)),
        ("พาน", "Phan", ("เมืองพาน",)),
    )),
    ("58", "แม่ฮ่องสอน", "Mae Hong Son", Region.NORTH, 19.20, 97.95, (
        ("เมืองแม่ฮ่องสอน", "Mueang Mae Hong Son", ("จองคำ", "ปางหมู")),
        ("ปาย", "Pai", ("เวียงใต้",)),
        ("แม่สะเรียง", "Mae Sariang", ("แม่สะเรียง",)),
        ("ขุนยวม", "Khun Yuam", ("ขุนยวม",)),
    )),
    ("60", "นครสวรรค์", "Nakhon Sawan", Region.CENTRAL, 15.70, 100.12, (
        ("เมืองนครสวรรค์", "Mueang Nakhon Sawan", ("ปากน้ำโพ", "นครสวรรค์ตก")),
        ("ตาคลี", "Takhli", ("ตาคลี",)),
        ("ท่าตะโก", "Tha Tako", ("ท่าตะโก",)),
        ("พยุหะคีรี", "Phayuha Khiri", ("พยุหะ",)),
        ("ลาดยาว", "Lat Yao", ("ลาดยาว",)),
    )),
    ("61", "อุทัยธานี", "Uthai Thani", Region.CENTRAL, 15.38, 99.88, (
        ("เมืองอุทัยธานี", "Mueang Uthai Thani", ("อุทัยใหม่",)),
        ("หนองฉาง", "Nong Chang", ("หนองฉาง",)),
        ("ทัพทัน", "Thap Than", ("ทัพทัน",)),
        ("บ้านไร่", "Ban Rai", ("บ้านไร่",)),
    )),
    ("62", "กำแพงเพชร", "Kamphaeng Phet", Region.CENTRAL, 16.48, 99.52, (
        ("เมืองกำแพงเพชร", "Mueang Kamphaeng Phet", ("ในเมือง", "นครชุม")),
        ("ขาณุวรลักษบุรี", "Khanu Woralaksaburi", ("ป่าพุทรา",)),
        ("พรานกระต่าย", "Phran Kratai", ("พรานกระต่าย",)),
        ("คลองขลุง", "Khlong Khlung", ("คลองขลุง",)),
    )),
    ("63", "ตาก", "Tak", Region.WEST, 16.88, 99.13, (
        ("เมืองตาก", "Mueang Tak", ("ระแหง", "หนองหลวง")),
        ("แม่สอด", "Mae Sot", ("แม่สอด", "ท่าสายลวด")),
        ("บ้านตาก", "Ban Tak", ("ตากออก",)),
        ("อุ้มผาง", "Umphang", ("อุ้มผาง",)),
        ("พบพระ", "Phop Phra", ("พบพระ",)),
    )),
    ("64", "สุโขทัย", "Sukhothai", Region.CENTRAL, 17.01, 99.82, (
        ("เมืองสุโขทัย", "Mueang Sukhothai", ("ธานี", "เมืองเก่า")),
        ("สวรรคโลก", "Sawankhalok", ("เมืองสวรรคโลก",)),
        ("ศรีสัชนาลัย", "Si Satchanalai", ("หาดเสี้ยว",)),
        ("ศรีสำโรง", "Si Samrong", ("คลองตาล",)),
    )),
    ("65", "พิษณุโลก", "Phitsanulok", Region.CENTRAL, 16.82, 100.26, (
        ("เมืองพิษณุโลก", "Mueang Phitsanulok", ("ในเมือง", "อรัญญิก")),
        ("วังทอง", "Wang Thong", ("วังทอง",)),
        ("บางระกำ", "Bang Rakam", ("บางระกำ",)),
        ("พรหมพิราม", "Phrom Phiram", ("พรหมพิราม",)),
        ("นครไทย", "Nakhon Thai", ("นครไทย",)),
    )),
    ("66", "พิจิตร", "Phichit", Region.CENTRAL, 16.44, 100.35, (
        ("เมืองพิจิตร", "Mueang Phichit", ("ในเมือง",)),
        ("ตะพานหิน", "Taphan Hin", ("ตะพานหิน",)),
        ("บางมูลนาก", "Bang Mun Nak", ("บางมูลนาก",)),
        ("ทับคล้อ", "Thap Khlo", ("ทับคล้อ", "เขาเจ็ดลูก")),
    )),
    ("67", "เพชรบูรณ์", "Phetchabun", Region.CENTRAL, 16.42, 101.16, (
        ("เมืองเพชรบูรณ์", "Mueang Phetchabun", ("ในเมือง", "สะเดียง")),
        ("หล่มสัก", "Lom Sak", ("หล่มสัก",)),
        ("วิเชียรบุรี", "Wichian Buri", ("ท่าโรง",)),
        ("ชนแดน", "Chon Daen", ("ชนแดน",)),
        ("หล่มเก่า", "Lom Kao", ("หล่มเก่า",)),
    )),
    ("70", "ราชบุรี", "Ratchaburi", Region.WEST, 13.54, 99.81, (
        ("เมืองราชบุรี", "Mueang Ratchaburi", ("หน้าเมือง", "คุ้งน้ำวน")),
        ("บ้านโป่ง", "Ban Pong", ("บ้านโป่ง", "ท่าผา")),
        ("โพธาราม", "Photharam", ("โพธาราม",)),
        ("ดำเนินสะดวก", "Damnoen Saduak", ("ดำเนินสะดวก",)),
        ("ปากท่อ", "Pak Tho", ("ปากท่อ",)),
        ("จอมบึง", "Chom Bueng", ("จอมบึง",)),
    )),
    ("71", "กาญจนบุรี", "Kanchanaburi", Region.WEST, 14.02, 99.53, (
        ("เมืองกาญจนบุรี", "Mueang Kanchanaburi", ("บ้านเหนือ", "ท่ามะขาม")),
        ("ท่าม่วง", "Tha Muang", ("ท่าม่วง", "วังขนาย")),
        ("ท่ามะกา", "Tha Maka", ("ท่ามะกา", "ท่าเรือ")),
        ("ทองผาภูมิ", "Thong Pha Phum", ("ท่าขนุน", "ชะแล")),
        ("ไทรโยค", "Sai Yok", ("ไทรโยค",)),
        ("สังขละบุรี", "Sangkhla Buri", ("หนองลู",)),
    )),
    ("72", "สุพรรณบุรี", "Suphan Buri", Region.CENTRAL, 14.47, 100.12, (
        ("เมืองสุพรรณบุรี", "Mueang Suphan Buri", ("ท่าพี่เลี้ยง", "รั้วใหญ่")),
        ("อู่ทอง", "U Thong", ("อู่ทอง",)),
        ("สองพี่น้อง", "Song Phi Nong", ("สองพี่น้อง",)),
        ("บางปลาม้า", "Bang Pla Ma", ("บางปลาม้า",)),
        ("ศรีประจันต์", "Si Prachan", ("ศรีประจันต์",)),
    )),
    ("73", "นครปฐม", "Nakhon Pathom", Region.CENTRAL, 13.82, 100.06, (
        ("เมืองนครปฐม", "Mueang Nakhon Pathom", ("พระปฐมเจดีย์", "สนามจันทร์")),
        ("สามพราน", "Sam Phran", ("สามพราน", "อ้อมใหญ่", "กระทุ่มล้ม")),
        ("นครชัยศรี", "Nakhon Chai Si", ("นครชัยศรี",)),
        ("กำแพงแสน", "Kamphaeng Saen", ("กำแพงแสน",)),
        ("บางเลน", "Bang Len", ("บางเลน",)),
        ("พุทธมณฑล", "Phutthamonthon", ("ศาลายา",)),
    )),
    ("74", "สมุทรสาคร", "Samut Sakhon", Region.CENTRAL, 13.60, 100.25, (
        ("เมืองสมุทรสาคร", "Mueang Samut Sakhon", ("มหาชัย", "ท่าจีน", "ท่าทราย", "นาดี", "โคกขาม")),
        ("กระทุ่มแบน", "Krathum Baen", ("ตลาดกระทุ่มแบน", "อ้อมน้อย", "สวนหลวง")),
        ("บ้านแพ้ว", "Ban Phaeo", ("บ้านแพ้ว", "หลักสาม")),
    )),
    ("75", "สมุทรสงคราม", "Samut Songkhram", Region.CENTRAL, 13.42, 99.97, (
        ("เมืองสมุทรสงคราม", "Mueang Samut Songkhram", ("แม่กลอง", "ลาดใหญ่")),
        ("อัมพวา", "Amphawa", ("อัมพวา",)),
        ("บางคนที", "Bang Khonthi", ("บางคนที",)),
    )),
    ("76", "เพชรบุรี", "Phetchaburi", Region.WEST, 13.11, 99.94, (
        ("เมืองเพชรบุรี", "Mueang Phetchaburi", ("ท่าราบ", "คลองกระแชง")),
        ("ชะอำ", "Cha-am", ("ชะอำ",)),
        ("ท่ายาง", "Tha Yang", ("ท่ายาง",)),
        ("บ้านแหลม", "Ban Laem", ("บ้านแหลม",)),
        ("เขาย้อย", "Khao Yoi", ("เขาย้อย",)),
    )),
    ("77", "ประจวบคีรีขันธ์", "Prachuap Khiri Khan", Region.WEST, 12.20, 99.80, (
        ("เมืองประจวบคีรีขันธ์", "Mueang Prachuap Khiri Khan", ("ประจวบคีรีขันธ์", "อ่าวน้อย")),
        ("หัวหิน", "Hua Hin", ("หัวหิน", "หนองแก")),
        ("ปราณบุรี", "Pran Buri", ("ปราณบุรี",)),
        ("บางสะพาน", "Bang Saphan", ("กำเนิดนพคุณ", "แม่รำพึง")),
        ("ทับสะแก", "Thap Sakae", ("ทับสะแก",)),
    )),
    ("80", "นครศรีธรรมราช", "Nakhon Si Thammarat", Region.SOUTH, 8.42, 99.90, (
        ("เมืองนครศรีธรรมราช", "Mueang Nakhon Si Thammarat", ("ในเมือง", "ท่าวัง")),
        ("ทุ่งสง", "Thung Song", ("ปากแพรก",)),
        ("ปากพนัง", "Pak Phanang", ("ปากพนัง",)),
        ("สิชล", "Sichon", ("สิชล",)),
        ("ท่าศาลา", "Tha Sala", ("ท่าศาลา",)),
        ("ร่อนพิบูลย์", "Ron Phibun", ("ร่อนพิบูลย์",)),
    )),
    ("81", "กระบี่", "Krabi", Region.SOUTH, 8.20, 99.00, (
        ("เมืองกระบี่", "Mueang Krabi", ("ปากน้ำ", "กระบี่ใหญ่")),
        ("อ่าวลึก", "Ao Luek", ("อ่าวลึกใต้",)),
        ("คลองท่อม", "Khlong Thom", ("คลองท่อมใต้",)),
        ("เหนือคลอง", "Nuea Khlong", ("เหนือคลอง",)),
        ("เกาะลันตา", "Ko Lanta", ("เกาะลันตาใหญ่",)),
    )),
    ("82", "พังงา", "Phang Nga", Region.SOUTH, 8.48, 98.50, (
        ("เมืองพังงา", "Mueang Phang Nga", ("ท้ายช้าง", "ถ้ำน้ำผุด")),
        ("ตะกั่วป่า", "Takua Pa", ("ตะกั่วป่า", "บางนายสี")),
        ("ท้ายเหมือง", "Thai Mueang", ("ท้ายเหมือง",)),
        ("ตะกั่วทุ่ง", "Takua Thung", ("กระโสม",)),
        ("ทับปุด", "Thap Put", ("ทับปุด",)),
    )),
    ("83", "ภูเก็ต", "Phuket", Region.SOUTH, 7.95, 98.34, (
        ("เมืองภูเก็ต", "Mueang Phuket", ("ตลาดใหญ่", "ตลาดเหนือ", "วิชิต", "ฉลอง")),
        ("กะทู้", "Kathu", ("กะทู้", "ป่าตอง")),
        ("ถลาง", "Thalang", ("เทพกระษัตรี", "ศรีสุนทร")),
    )),
    ("84", "สุราษฎร์ธานี", "Surat Thani", Region.SOUTH, 9.08, 99.25, (
        ("เมืองสุราษฎร์ธานี", "Mueang Surat Thani", ("ตลาด", "มะขามเตี้ย")),
        ("พุนพิน", "Phunphin", ("ท่าข้าม",)),
        ("กาญจนดิษฐ์", "Kanchanadit", ("กะแดะ",)),
        ("เกาะสมุย", "Ko Samui", ("อ่างทอง", "บ่อผุด")),
        ("ไชยา", "Chaiya", ("ตลาดไชยา",)),
        ("เวียงสระ", "Wiang Sa", ("เวียงสระ",)),
    )),
    ("85", "ระนอง", "Ranong", Region.SOUTH, 9.95, 98.70, (
        ("เมืองระนอง", "Mueang Ranong", ("เขานิเวศน์", "บางริ้น")),
        ("กระบุรี", "Kra Buri", ("น้ำจืด",)),
        ("กะเปอร์", "Kapoe", ("กะเปอร์",)),
        ("ละอุ่น", "La-un", ("ละอุ่นใต้",)),
    )),
    ("86", "ชุมพร", "Chumphon", Region.SOUTH, 10.49, 99.15, (
        ("เมืองชุมพร", "Mueang Chumphon", ("ท่าตะเภา", "วังไผ่")),
        ("หลังสวน", "Lang Suan", ("หลังสวน",)),
        ("ท่าแซะ", "Tha Sae", ("ท่าแซะ",)),
        ("ปะทิว", "Pathio", ("บางสน",)),
        ("สวี", "Sawi", ("นาโพธิ์",)),
    )),
    ("90", "สงขลา", "Songkhla", Region.SOUTH, 7.00, 100.47, (
        ("เมืองสงขลา", "Mueang Songkhla", ("บ่อยาง", "เขารูปช้าง")),
        ("หาดใหญ่", "Hat Yai", ("หาดใหญ่", "คอหงส์", "ควนลัง")),
        ("สะเดา", "Sadao", ("สะเดา", "ปาดังเบซาร์")),
        ("จะนะ", "Chana", ("บ้านนา",)),
        ("ระโนด", "Ranot", ("ระโนด",)),
        ("นาหม่อม", "Na Mom", ("นาหม่อม",)),
    )),
    ("91", "สตูล", "Satun", Region.SOUTH, 6.80, 100.05, (
        ("เมืองสตูล", "Mueang Satun", ("พิมาน", "คลองขุด")),
        ("ละงู", "La-ngu", ("กำแพง",)),
        ("ควนโดน", "Khuan Don", ("ควนโดน",)),
        ("ท่าแพ", "Tha Phae", ("ท่าแพ",)),
    )),
    ("92", "ตรัง", "Trang", Region.SOUTH, 7.56, 99.61, (
        ("เมืองตรัง", "Mueang Trang", ("ทับเที่ยง", "นาตาล่วง")),
        ("กันตัง", "Kantang", ("กันตัง",)),
        ("ห้วยยอด", "Huai Yot", ("ห้วยยอด",)),
        ("ย่านตาขาว", "Yan Ta Khao", ("ย่านตาขาว",)),
    )),
    ("93", "พัทลุง", "Phatthalung", Region.SOUTH, 7.62, 100.08, (
        ("เมืองพัทลุง", "Mueang Phatthalung", ("คูหาสวรรค์", "ปรางหมู่")),
        ("ควนขนุน", "Khuan Khanun", ("ควนขนุน",)),
        ("เขาชัยสน", "Khao Chaison", ("เขาชัยสน",)),
        ("ปากพะยูน", "Pak Phayun", ("ปากพะยูน",)),
    )),
    ("94", "ปัตตานี", "Pattani", Region.SOUTH, 6.87, 101.25, (
        ("เมืองปัตตานี", "Mueang Pattani", ("สะบารัง", "อาเนาะรู")),
        ("หนองจิก", "Nong Chik", ("ตุยง",)),
        ("โคกโพธิ์", "Khok Pho", ("โคกโพธิ์",)),
        ("สายบุรี", "Sai Buri", ("ตะลุบัน",)),
    )),
    ("95", "ยะลา", "Yala", Region.SOUTH, 6.54, 101.28, (
        ("เมืองยะลา", "Mueang Yala", ("สะเตง", "สะเตงนอก")),
        ("เบตง", "Betong", ("เบตง",)),
        ("บันนังสตา", "Bannang Sata", ("บันนังสตา",)),
        ("รามัน", "Raman", ("ตะโล๊ะหะลอ",)),
    )),
    ("96", "นราธิวาส", "Narathiwat", Region.SOUTH, 6.30, 101.70, (
        ("เมืองนราธิวาส", "Mueang Narathiwat", ("บางนาค", "ลำภู")),
        ("ตากใบ", "Tak Bai", ("เจ๊ะเห",)),
        ("สุไหงโก-ลก", "Su-ngai Kolok", ("สุไหงโก-ลก",)),
        ("ระแงะ", "Ra-ngae", ("ตันหยงมัส",)),
        ("รือเสาะ", "Rueso", ("รือเสาะ",)),
    )),
)

_PROVINCES: tuple[Province, ...] = tuple(
    Province(code, name_th, name_en, region, lat, lon,
             tuple(District(d_th, d_en, subs) for d_th, d_en, subs in districts))
    for code, name_th, name_en, region, lat, lon, districts in _TABLE
)
_BY_CODE = {p.code: p for p in _PROVINCES}

# Other names people write for a province, besides its Thai and English names.
_ALIASES = {
    "10": ("กรุงเทพ", "กรุงเทพฯ", "กทม.", "กทม", "Krung Thep", "Krung Thep Maha Nakhon", "BKK"),
    "11": ("Samut Prakarn",),
    "14": ("อยุธยา", "Ayutthaya", "Ayudhya"),
    "30": ("โคราช", "Korat", "Khorat"),
    "34": ("อุบล", "Ubon"),
    "41": ("อุดร", "Udon"),
    "80": ("นครศรีฯ", "Nakhon Sri Thammarat"),
    "84": ("สุราษฎร์", "Surat"),
}

_DROPPED_CHARACTERS = str.maketrans("", "", " \t\u00a0\u200b.-'ฯ")


def _fold(name: str, wrappers: tuple[str, ...], suffix: str) -> str:
    """Folds the ways a place name is written: case, spaces, dots, hyphens, ฯ, the first of
    `wrappers` it starts with, and `suffix`."""
    text = name.strip().casefold()
    for prefix in wrappers:
        if text.startswith(prefix):
            text = text[len(prefix):]
            break
    return text.removesuffix(suffix).translate(_DROPPED_CHARACTERS)


def _normalize(name: str) -> str:
    """A province name folded, with the จังหวัด / จ. / Changwat / Province wrappers."""
    return _fold(name, ("จังหวัด", "จ.", "จ ", "changwat "), " province")


def _name_index() -> dict[str, Province]:
    index: dict[str, Province] = {}
    for province in _PROVINCES:
        names = (province.name_th, province.name_en, *_ALIASES.get(province.code, ()))
        for name in names:
            key = _normalize(name)
            if index.setdefault(key, province) is not province:
                raise ValueError(f"province name {name!r} is ambiguous")
    return index


_BY_NAME = _name_index()


def provinces() -> tuple[Province, ...]:
    """The 77 provinces, in code order."""
    return _PROVINCES


def provinces_by_name(lang: str) -> tuple[Province, ...]:
    """The 77 provinces as a person looks for one in a list: Thai names in Thai dictionary order,
    English names alphabetically."""
    if lang == "th":
        return tuple(sorted(_PROVINCES, key=lambda p: thai_sort_key(p.name_th)))
    return tuple(sorted(_PROVINCES, key=lambda p: (p.name_en.casefold(), p.name_en)))


def province_by_code(code: str) -> Province | None:
    return _BY_CODE.get(str(code).strip())


def province_by_name(name: str) -> Province | None:
    """The province a Thai or English name (or a common short form) stands for, or None.

    Tolerates the จังหวัด/จ. prefix, spacing, dots, hyphens, ฯ and letter case:
    'จ.เชียงใหม่', 'chiangmai', 'กทม.', 'กรุงเทพฯ' and 'Bangkok' all resolve.
    """
    if not name:
        return None
    return _BY_NAME.get(_normalize(name))


_DISTRICT_WRAPPERS = ("อำเภอ", "อ.", "กิ่งอำเภอ", "เขต", "amphoe ", "amphur ", "khet ")


def _normalize_district(name: str) -> str:
    """A district name folded, with the อำเภอ / อ. / เขต / Amphoe / Khet / District wrappers."""
    return _fold(name, _DISTRICT_WRAPPERS, " district")


# (province code, folded Thai or English name) -> the listed district: the public status page
# looks its case's district up on every request.
_DISTRICTS_BY_NAME = {(province.code, _normalize_district(name)): district
                      for province in _PROVINCES for district in province.districts
                      for name in (district.name_th, district.name_en)}


def district_by_name(province: Province, name: str | None) -> District | None:
    """The listed district of `province` that a Thai or English name stands for, or None
    (the table lists a handful of each province's districts, not all of them)."""
    if not name:
        return None
    return _DISTRICTS_BY_NAME.get((province.code, _normalize_district(name)))


def province_label(name: str | None, lang: str) -> str:
    """A stored province name as a reader of `lang` reads it: the English name in English when
    it is a province we know, else the name as stored."""
    if not name:
        return ""
    found = province_by_name(name) if lang != "th" else None
    return found.name_en if found is not None else name


def districts_of(province: Province | str) -> tuple[District, ...]:
    """Districts of a Province, or of a province given by code or name; KeyError if unknown."""
    if isinstance(province, Province):
        return province.districts
    found = province_by_code(province) or province_by_name(province)
    if found is None:
        raise KeyError(f"unknown province: {province!r}")
    return found.districts

"""Words of the public pages, in Thai and English.

The public pages stand apart from the staff screens (no Flask-AppBuilder layout, no gettext
catalogue to load): one table, looked up by key, keeps both languages side by side.
"""
from __future__ import annotations

from app.domain.statuses import by_language

TEXT: dict[str, tuple[str, str]] = {
    "site.name": ("เรื่อง · ระบบรับเรื่องร้องเรียนและติดตามคำขอ กระทรวงอุตสาหกรรม",
                  "Rueang · Complaints and requests, Ministry of Industry"),
    "site.short": ("เรื่อง", "Rueang"),
    "site.ministry": ("กระทรวงอุตสาหกรรม", "Ministry of Industry"),
    "nav.track": ("ติดตามเรื่อง", "Track a case"),
    "nav.complain": ("แจ้งเรื่องร้องเรียน", "File a complaint"),
    "nav.transparency": ("สถิติเรื่องร้องเรียนและคำขอ", "Statistics"),
    "nav.staff": ("สำหรับเจ้าหน้าที่", "Staff sign-in"),
    "home.lead": ("ติดตามความคืบหน้าเรื่องร้องเรียนหรือคำขอของท่าน หรือแจ้งเรื่องใหม่ได้โดยไม่ต้องสมัครสมาชิก",
                  "Follow your complaint or request, or file a new complaint without an account."),
    "track.heading": ("ติดตามเรื่อง", "Track a case"),
    "track.code_label": ("เลขที่เรื่อง", "Tracking code"),
    "track.code_hint": ("เช่น DIW-2569-000123", "e.g. DIW-2569-000123"),
    "track.submit": ("ค้นหา", "Look up"),
    "track.not_found_title": ("ไม่พบเรื่อง", "Case not found"),
    "track.not_found": ("ไม่พบเรื่องเลขที่ {code} กรุณาตรวจสอบเลขที่เรื่องอีกครั้ง",
                        "We could not find case {code}. Please check the tracking code."),
    "track.malformed": ("เลขที่เรื่องไม่ถูกต้อง เลขที่เรื่องมีรูปแบบ หน่วยงาน-ปี พ.ศ.-ลำดับ เช่น DIW-2569-000123",
                        "That is not a tracking code. A tracking code reads agency-year-number, e.g. DIW-2569-000123."),
    "track.empty": ("กรุณากรอกเลขที่เรื่อง", "Please type a tracking code."),
    "case.status": ("สถานะ", "Status"),
    "case.agency": ("หน่วยงานที่รับผิดชอบ", "Agency responsible"),
    "case.type": ("ประเภทเรื่อง", "Kind of case"),
    "case.place": ("พื้นที่", "Area"),
    "case.submitted": ("วันที่แจ้ง", "Filed on"),
    "case.expected": ("คาดว่าจะแล้วเสร็จ", "Expected by"),
    "case.closed": ("วันที่ปิดเรื่อง", "Closed on"),
    "case.timeline": ("ความคืบหน้า", "Progress"),
    "case.no_timeline": ("ยังไม่มีความคืบหน้า", "Nothing yet."),
    "event.created": ("รับเรื่อง", "Case received"),
    "event.status": ("เปลี่ยนสถานะเป็น", "Status changed to"),
    "event.reopen": ("เปิดเรื่องใหม่", "Case reopened"),
    "event.forward_in": ("ส่งต่อเรื่อง", "Case forwarded"),
    "event.public_note": ("ข้อความจากเจ้าหน้าที่", "Note from the agency"),
    "event.forwarded_to": ("จาก {from_agency} ถึง {to_agency}", "from {from_agency} to {to_agency}"),
    "complain.heading": ("แจ้งเรื่องร้องเรียน", "File a complaint"),
    "complain.lead": ("กรอกข้อมูลให้ครบถ้วน ช่องที่มีเครื่องหมาย * ต้องกรอก เมื่อส่งแล้วท่านจะได้รับเลขที่เรื่องทันที",
                      "Fields marked * are required. You get your tracking code as soon as you send the form."),
    "complain.problem": ("เรื่องที่ต้องการแจ้ง", "The problem"),
    "complain.case_type": ("ประเภทเรื่องร้องเรียน", "Kind of complaint"),
    "complain.choose": ("— เลือก —", "— choose —"),
    "complain.title": ("เรื่อง (สรุปสั้น ๆ)", "Subject (in a few words)"),
    "complain.length_hint": ("ไม่เกิน {count} ตัวอักษร", "at most {count} characters"),
    "complain.description": ("รายละเอียด", "What happened"),
    "complain.description_hint": ("เล่าสิ่งที่พบ เมื่อไร ที่ไหน และผลกระทบ", "What you saw, when, where, and how it affects you"),
    "complain.location": ("สถานที่", "Where"),
    "complain.province": ("จังหวัด", "Province"),
    "complain.district": ("อำเภอ/เขต", "District"),
    "complain.subdistrict": ("ตำบล/แขวง", "Subdistrict"),
    "complain.point": ("ตำแหน่งบนแผนที่ (ไม่บังคับ)", "Map point (optional)"),
    "complain.latitude": ("ละติจูด", "Latitude"),
    "complain.longitude": ("ลองจิจูด", "Longitude"),
    "complain.use_location": ("ใช้ตำแหน่งปัจจุบันของฉัน", "Use my location"),
    "complain.locating": ("กำลังหาตำแหน่ง…", "Finding your location…"),
    "complain.located": ("ได้ตำแหน่งแล้ว", "Location filled in."),
    "complain.locate_failed": ("หาตำแหน่งไม่ได้ กรุณากรอกเอง", "Could not find your location; please type it."),
    "complain.photos": ("รูปภาพ (ไม่บังคับ)", "Photos (optional)"),
    "complain.photos_hint": ("ไม่เกิน {count} รูป รูปละไม่เกิน {size} MB (JPEG, PNG, WebP) ระบบจะลบข้อมูลตำแหน่งในไฟล์ออก "
                             "และรูปจะเห็นได้เฉพาะเจ้าหน้าที่",
                             "Up to {count} photos of at most {size} MB each (JPEG, PNG, WebP). Location data in the "
                             "files is removed, and only staff see them."),
    "complain.contact": ("ข้อมูลติดต่อกลับ (ไม่บังคับ)", "How to reach you (optional)"),
    "complain.contact_hint": ("ข้อมูลนี้เห็นได้เฉพาะเจ้าหน้าที่ และไม่แสดงในหน้าติดตามเรื่อง",
                              "Only staff see this; it never appears on the status page."),
    "complain.name": ("ชื่อ-นามสกุล", "Name"),
    "complain.phone": ("โทรศัพท์", "Phone"),
    "complain.email": ("อีเมล", "Email"),
    "complain.honeypot": ("เว็บไซต์ (เว้นว่างไว้)", "Website (leave empty)"),
    "complain.submit": ("ส่งเรื่อง", "Send"),
    "complain.sending": ("กำลังส่งเรื่อง…", "Sending…"),
    "complain.errors": ("กรุณาแก้ไขข้อมูลต่อไปนี้ แล้วส่งอีกครั้ง", "Please correct the following and send again:"),
    "filed.heading": ("ได้รับเรื่องของท่านแล้ว", "We have your complaint"),
    "filed.code": ("เลขที่เรื่องของท่าน", "Your tracking code"),
    "filed.keep": ("กรุณาจดเลขที่เรื่องไว้ หรือบันทึกภาพหน้าจอนี้ เพื่อใช้ติดตามความคืบหน้า",
                   "Write this code down, or take a screenshot of this page, to follow your case."),
    "filed.next": ("ขั้นตอนต่อไป", "What happens next"),
    "filed.next_agency": ("{agency} ได้รับเรื่องของท่านแล้ว และจะพิจารณาดำเนินการตามเรื่องที่แจ้ง",
                          "Your complaint has gone to the agency responsible, {agency}, which will look into it."),
    "filed.next_due": ("คาดว่าจะดำเนินการแล้วเสร็จภายในวันที่ {date}", "It expects to be done by {date}."),
    "filed.next_follow": ("ความคืบหน้าทุกขั้นตอนจะแสดงในหน้าสถานะเรื่อง หากท่านให้ข้อมูลติดต่อไว้ "
                          "เจ้าหน้าที่อาจติดต่อกลับเพื่อสอบถามเพิ่มเติม",
                          "Each step shows on the status page. If you left your contact details, staff may "
                          "contact you to ask for more."),
    "filed.status_link": ("ดูสถานะเรื่อง", "See the status"),
    "contact.heading": ("ติดต่อ{agency}", "Contact {agency}"),
    "contact.waiting": ("หน่วยงานรอเอกสารหรือข้อมูลเพิ่มเติมจากท่าน ตามบันทึกด้านล่าง ส่งหรือสอบถามได้ที่ช่องทางนี้",
                        "The agency is waiting for documents or details from you, as the note below says: send them "
                        "or ask here."),
    "contact.phone": ("โทรศัพท์", "Phone"),
    "contact.email": ("อีเมล", "Email"),
    "contact.office": ("สำนักงานและเวลาทำการ", "Office and hours"),
    "contact.quote_code": ("โปรดแจ้งเลขที่เรื่อง {code} ทุกครั้งที่ติดต่อ", "Give the tracking code {code} whenever you get in touch."),
    "filed.private": ("ลิงก์ส่วนตัวของท่าน", "Your private link"),
    "filed.private_hint": ("เก็บลิงก์นี้ไว้เป็นความลับ เมื่อเรื่องปิดแล้ว ท่านใช้ลิงก์นี้ประเมินความพึงพอใจ "
                           "หรือขอเปิดเรื่องใหม่ได้หนึ่งครั้ง โปรดคัดลอกเก็บไว้เดี๋ยวนี้ หน้านี้แสดงลิงก์ให้เพียงหนึ่งชั่วโมง "
                           "และเฉพาะในเบราว์เซอร์นี้ ลิงก์จะไม่ถูกส่งไปที่ใดอีก",
                           "Keep this link to yourself. Once the case is closed you can use it to rate the service or "
                           "to reopen the case once. Copy it now: this page shows it for an hour, in this browser only, "
                           "and it is sent nowhere else."),
    "private.heading": ("จัดการเรื่องของท่าน", "Your case"),
    "private.rate": ("ประเมินความพึงพอใจ", "Rate the service"),
    "private.rate_hint": ("ท่านพึงพอใจกับการดำเนินการเรื่องนี้เพียงใด", "How satisfied are you with how this case was handled?"),
    "private.stars": ("{n} ดาว", "{n} of 5"),
    "private.rate_submit": ("ส่งคะแนน", "Send rating"),
    "private.rated": ("ขอบคุณสำหรับการประเมิน ท่านให้ {n} ดาว", "Thank you. You rated it {n} out of 5."),
    "private.reopen": ("ขอเปิดเรื่องใหม่", "Reopen the case"),
    "private.reopen_hint": ("หากปัญหายังไม่ได้รับการแก้ไข ท่านขอเปิดเรื่องใหม่ได้หนึ่งครั้ง",
                            "If the problem is not solved, you can reopen the case once."),
    "private.reason": ("เหตุผล", "Reason"),
    "private.reopen_submit": ("เปิดเรื่องใหม่", "Reopen"),
    "private.reopened": ("เปิดเรื่องใหม่แล้ว หน่วยงานจะดำเนินการต่อ", "The case is open again; the agency will take it up."),
    "private.reopen_used": ("ลิงก์นี้ใช้เปิดเรื่องใหม่ไปแล้ว", "This link has already been used to reopen the case."),
    "private.wait_closed": ("เมื่อเรื่องปิดแล้ว ท่านจะประเมินความพึงพอใจหรือขอเปิดเรื่องใหม่ได้ที่หน้านี้",
                            "Once the case is closed, you can rate it or reopen it here."),
    "error.heading": ("ขออภัย", "Sorry"),
    "error.csrf": ("แบบฟอร์มหมดอายุหรือไม่สมบูรณ์ กรุณาโหลดหน้าใหม่แล้วส่งอีกครั้ง",
                   "The form expired or was incomplete. Please reload the page and send it again."),
    "error.too_large": ("ข้อมูลที่ส่งมีขนาดใหญ่เกินไป ข้อความแต่ละช่องยาวได้ไม่เกิน 10,000 ตัวอักษร "
                        "และรูปภาพรวมกันไม่เกิน {size} MB",
                        "What you sent is too large: each text may have at most 10,000 characters, and the photos "
                        "together at most {size} MB."),
    "error.too_many": ("ท่านส่งคำขอบ่อยเกินไป กรุณารอสักครู่แล้วลองใหม่",
                       "Too many requests from your address. Please wait a while and try again."),
    "error.back": ("กลับไปหน้าแรก", "Back to the start"),
    # An error page's title (the browser's tab, the first words a screen reader says), by status.
    "error.title.400": ("คำขอไม่ถูกต้อง", "Request not understood"),
    "error.title.403": ("ไม่มีสิทธิ์เปิดหน้านี้", "Not allowed"),
    "error.title.404": ("ไม่พบหน้าที่ต้องการ", "Page not found"),
    "error.title.405": ("คำขอไม่ถูกต้อง", "Request not accepted"),
    "error.title.413": ("ข้อมูลที่ส่งใหญ่เกินไป", "Too much sent"),
    "error.title.429": ("ส่งคำขอบ่อยเกินไป", "Too many requests"),
    "error.title.500": ("ระบบขัดข้อง", "Something went wrong"),
    "error.title.503": ("ระบบไม่พร้อมให้บริการชั่วคราว", "Temporarily unavailable"),
    "error.title.csrf": ("แบบฟอร์มหมดอายุ", "Form expired"),
    "title.error": ("ข้อมูลไม่ครบหรือไม่ถูกต้อง", "Error"),
    "skip": ("ข้ามไปยังเนื้อหาหลัก", "Skip to main content"),
    "lang.th": ("ไทย", "ไทย"),
    "lang.en": ("English", "English"),
}


def text(key: str, lang: str, **values) -> str:
    thai, english = TEXT[key]
    chosen = thai if lang == "th" else english
    return chosen.format(**values) if values else chosen


def error_title(status: int, lang: str, *, csrf: bool = False) -> str:
    """What an error page is, in a few words, for its title: 'Page not found', not 'Sorry'."""
    key = "error.title.csrf" if csrf else f"error.title.{status}"
    return text(key if key in TEXT else "error.heading", lang)


# One ready dictionary per language, for templates to index directly.
BY_LANGUAGE: dict[str, dict[str, str]] = by_language(TEXT)

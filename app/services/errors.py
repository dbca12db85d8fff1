"""Typed failures of the use cases; views and APIs map them to a message or a status code."""
from __future__ import annotations

from app.domain.errors import RuleError


class NotFound(RuleError):
    code = "not_found"
    http_status = 404

    def __init__(self, what_en: str = "case", what_th: str = "เรื่อง"):
        super().__init__(f"No such {what_en}.", f"ไม่พบ{what_th}")


class Forbidden(RuleError):
    code = "forbidden"
    http_status = 403

    def __init__(self, message_en: str = "You may not do this.", message_th: str = "ท่านไม่มีสิทธิ์ทำรายการนี้"):
        super().__init__(message_en, message_th)


class Conflict(RuleError):
    code = "conflict"
    http_status = 409

    def __init__(self):
        super().__init__(
            "Someone else saved this case after you opened it. Your changes were not saved: "
            "reload the case to see the newest version, then make your change again.",
            "มีผู้อื่นบันทึกเรื่องนี้หลังจากที่ท่านเปิดไว้ การแก้ไขของท่านยังไม่ถูกบันทึก "
            "กรุณาโหลดเรื่องใหม่เพื่อดูฉบับล่าสุด แล้วแก้ไขอีกครั้ง",
        )

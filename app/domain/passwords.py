"""What a staff password must be: long enough, and not one an attacker tries first.

Length and a list of refused passwords, without rules on kinds of characters (NIST SP 800-63B,
5.1.1.2): a Thai phrase is as good as any. The list holds the passwords tried first the world
over, those a Thai office is likely to pick, and the demo's own, which the README publishes.
"""
from __future__ import annotations

import re

from app.domain.errors import RuleError

MIN_LENGTH = 10
MAX_LENGTH = 128
REFUSED = frozenset({
    "password", "password1", "password12", "password123", "passw0rd", "p@ssw0rd", "p@ssword", "qwerty1234",
    "qwertyuiop", "1qaz2wsx3edc", "abcd1234", "abc1234567", "iloveyou", "admin12345", "administrator",
    "welcome123", "changeme", "letmein123", "thailand", "thailand1", "bangkok123", "krungthep", "rueang-demo",
    "industry", "industry123", "moi12345", "diw12345", "tisi12345",
})
_ONE_CHARACTER = re.compile(r"^(.)\1*$", re.DOTALL)


def check_password(password: str | None, username: str | None = None) -> None:
    """Raises RuleError (Thai and English) when the password may not be used."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        raise RuleError(f"Too short: at least {MIN_LENGTH} characters (a few words together are easy to remember).",
                        f"สั้นเกินไป ต้องยาวอย่างน้อย {MIN_LENGTH} ตัวอักษร (ใช้หลายคำต่อกันจะจำได้ง่าย)",
                        code="password_too_short", field="password")
    if len(password) > MAX_LENGTH:
        raise RuleError(f"Too long: at most {MAX_LENGTH} characters.", f"ยาวเกินไป ไม่เกิน {MAX_LENGTH} ตัวอักษร",
                        code="password_too_long", field="password")
    if password.isdigit():
        raise RuleError("Not digits alone: a phone, ID or date is the first thing tried.",
                        "ต้องไม่เป็นตัวเลขล้วน เพราะหมายเลขโทรศัพท์ เลขประจำตัว หรือวันที่ จะถูกลองเป็นอย่างแรก",
                        code="password_digits_only", field="password")
    lowered = password.lower()
    if lowered in REFUSED or _ONE_CHARACTER.match(password) or (username and username.lower() in lowered):
        raise RuleError("Too easy to guess (a common password, one character repeated, or your user name): "
                        "choose another.",
                        "เดาได้ง่ายเกินไป (เป็นรหัสผ่านที่ใช้กันทั่วไป ตัวอักษรซ้ำกันทั้งหมด หรือมีชื่อผู้ใช้อยู่) "
                        "กรุณาเลือกรหัสผ่านอื่น", code="password_guessable", field="password")

"""Helpers for the public-side tests: an upload directory per test, form posts, counts, and cases
carrying unmistakable personal details to look for in public output."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import csrf_token_from

# Details no public page or Open311 answer may ever contain.
SENTINELS = {
    "requester_name": "Sentinel Somchai นางสาวทดสอบลับเฉพาะ",
    "requester_phone": "0899990001",
    "requester_email": "sentinel.person@example.org",
    "requester_id": "1101700207030",
    "subdistrict": "แขวงลับเฉพาะทดสอบ",
    "description": "รายละเอียดส่วนตัว บ้านเลขที่ 99/9 โทร 0899990001",
    "title": "หัวเรื่องที่มีชื่อผู้ร้อง Sentinel",
}
SECRET_NOTE = "INTERNAL-SECRET-NOTE บันทึกภายในห้ามเผยแพร่"
ACTOR_LABEL = "officer.sentinel.label"
EXACT_POINT = ("13.7563412", "100.5018123")


def forbidden_strings() -> list[str]:
    return [*SENTINELS.values(), SECRET_NOTE, ACTOR_LABEL, "0899990001", "sentinel.person", "1101700207030",
            EXACT_POINT[0], EXACT_POINT[1], "diw.officer", "สุดา", "รักงาน", "ops.officer"]


def assert_nothing_personal(text: str, where: str) -> None:
    for secret in forbidden_strings():
        assert secret not in text, f"{secret!r} leaked into {where}"


@pytest.fixture()
def uploads(app, tmp_path):
    """Photos go to a fresh directory for each test."""
    directory = tmp_path / "uploads"
    old = app.config["UPLOAD_DIR"]
    app.config["UPLOAD_DIR"] = str(directory)
    yield directory
    app.config["UPLOAD_DIR"] = old


def files_in(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if p.is_file()] if directory.exists() else []


def counts(app) -> dict:
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context():
        return {table: db.session.execute(text(f'SELECT COUNT(*) FROM {table}')).scalar_one()
                for table in ('"case"', "case_event", "case_attachment", "requester_link")}


def type_id(app, code: str) -> int:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import CaseType

    with app.app_context():
        return db.session.execute(select(CaseType.id).where(CaseType.code == code)).scalar_one()


class PublicVisitor:
    """An anonymous visitor with a browser: gets the form, keeps its cookie, posts with its token."""

    def __init__(self, app):
        self.client = app.test_client()
        self.token = None

    def form(self, lang: str | None = None):
        page = self.client.get("/complain" + (f"?lang={lang}" if lang else ""))
        self.token = csrf_token_from(page.get_data(as_text=True))
        return page

    def post(self, url: str, data: dict, **kw):
        if self.token is None:
            self.form()
        body = {"csrf_token": self.token, **data}
        return self.client.post(url, data=body, **kw)


def good_form(app, **changes) -> dict:
    form = {"case_type": str(type_id(app, "DIW-NUISANCE")), "title": "กลิ่นเหม็นจากโรงงานตอนกลางคืน",
            "description": "มีกลิ่นเหม็นทุกคืนหลังสองทุ่ม", "province": "21", "district": "เมืองระยอง"}
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def jpeg(size=(320, 240), gps=True) -> bytes:
    image = Image.new("RGB", size, (20, 120, 40))
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (13.0, 45.0, 22.8), 3: "E", 4: (100.0, 30.0, 6.5)}
        exif[0x013B] = "Sentinel Somchai"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


PRIVATE_LINK = re.compile(r'id="private-link" href="[^"]*?/track/([^/"]+)/private/([^"?]+)')
CODE = re.compile(r'id="tracking-code">([^<]+)<')


def filed(response) -> tuple[str, str]:
    """Tracking code and private token from the confirmation page shown after filing (a post sent
    with follow_redirects=True arrives there through a 303)."""
    assert [r.status_code for r in response.history] in ([], [303]), response.history
    html = response.get_data(as_text=True)
    code, token = PRIVATE_LINK.search(html).groups()
    assert CODE.search(html).group(1) == code
    return code, token

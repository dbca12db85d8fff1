"""The Thai catalogue covers every Flask-AppBuilder string a user can see, and its .mo is current.

Flask-AppBuilder ships no Thai catalogue; app/translations/th carries one for its strings.
The reference list is read from the installed Flask-AppBuilder at test time, so an upgrade
that adds strings fails here until they are translated (scripts/i18n.sh update, then compile).
"""
from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

import flask_appbuilder
import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from tests.unit.catalogue_support import message_forms, msgid_key

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
PO_PATH = TRANSLATIONS / "th" / "LC_MESSAGES" / "messages.po"
MO_PATH = TRANSLATIONS / "th" / "LC_MESSAGES" / "messages.mo"
FAB_DIR = Path(flask_appbuilder.__file__).resolve().parent
FAB_TRANSLATIONS = FAB_DIR / "translations"

# %(name)s, %s, %d ... and {name}, {0}, {}; "%%" and "{{" are escapes, not placeholders.
PLACEHOLDER = re.compile(
    r"%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[sdifFeEgGxXorac]"
    r"|%[#0 +-]*\d*(?:\.\d+)?[sdifFeEgGxXoc]"
    r"|(?<!\{)\{[A-Za-z_0-9.\[\]]*(?:![rsa])?(?::[^{}]*)?\}(?!\})"
)
# Some catalogues Flask-AppBuilder ships carry header dates Babel cannot parse.
HEADER_DATES = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*"$', re.M)


def _read_po_text(path: Path) -> Catalog:
    text = HEADER_DATES.sub("", path.read_text(encoding="utf-8"))
    return read_po(io.StringIO(text))


@lru_cache(maxsize=None)
def thai() -> Catalog:
    with PO_PATH.open("rb") as fh:
        return read_po(fh, locale="th")


@lru_cache(maxsize=None)
def fab_reference_catalogue() -> Catalog:
    """The German catalogue: the most complete one Flask-AppBuilder ships (it has no .pot)."""
    pot = FAB_TRANSLATIONS / "messages.pot"
    return _read_po_text(pot if pot.exists() else FAB_TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.po")


@lru_cache(maxsize=None)
def fab_shipped_msgids() -> frozenset[str]:
    """Every English msgid of every catalogue Flask-AppBuilder ships."""
    ids = set()
    for path in sorted(FAB_TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        for message in _read_po_text(path):
            # A msgid in another script is a slip of that catalogue, not a string FAB shows.
            if message.id and msgid_key(message.id).isascii():
                ids.add(msgid_key(message.id))
    return frozenset(ids)


@lru_cache(maxsize=None)
def fab_source_msgids() -> frozenset[str]:
    """Literal strings Flask-AppBuilder's Python and templates pass to gettext and friends."""
    keywords = dict(DEFAULT_KEYWORDS, lazy_gettext=None, lazy_formatter_gettext=None)
    method_map = [("templates/**.html", "jinja2"), ("**.py", "python")]
    return frozenset(
        msgid_key(msgid)
        for _filename, _lineno, msgid, _comments, _context in extract_from_dir(
            str(FAB_DIR), method_map, keywords=keywords
        )
    )


def _untranslated(msgids) -> list[str]:
    catalogue = thai()
    missing = []
    for msgid in sorted(msgids):
        message = catalogue.get(msgid)
        if message is None or message.fuzzy or not all(f and f.strip() for f in message_forms(message.string)):
            missing.append(msgid)
    return missing


def _messages() -> list:
    return [m for m in thai() if m.id]


def test_header_is_thai_with_a_single_plural_form():
    catalogue = thai()
    headers = dict(catalogue.mime_headers)
    assert headers["Language"] == "th"
    assert headers["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert catalogue.num_plurals == 1
    assert not catalogue.fuzzy


def test_every_msgid_of_the_reference_catalogue_is_translated():
    reference = {msgid_key(m.id) for m in fab_reference_catalogue() if m.id}
    assert len(reference) > 100, "the reference catalogue looks truncated"
    assert _untranslated(reference) == []


def test_every_msgid_of_every_shipped_catalogue_is_translated():
    assert _untranslated(fab_shipped_msgids()) == []


def test_every_string_marked_in_fab_sources_and_templates_is_translated():
    source = fab_source_msgids()
    for expected in ("Added Row", "Invalid login. Please try again.", "Equal to", "Add Filter"):
        assert expected in source, "extraction from Flask-AppBuilder found too little"
    assert _untranslated(source) == []


def test_every_entry_is_translated_and_not_fuzzy():
    assert _messages(), "the catalogue is empty"
    assert _untranslated(msgid_key(m.id) for m in _messages()) == []


def test_plural_entries_have_exactly_one_form():
    for message in _messages():
        if message.pluralizable:
            assert len(message_forms(message.string)) == 1, message.id


@pytest.mark.parametrize("message", _messages(), ids=lambda m: msgid_key(m.id)[:40])
def test_placeholders_and_edge_whitespace_match(message):
    for msgid in message_forms(message.id):
        for form in message_forms(message.string):
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(msgid))
            # Templates glue text to what follows it ("Sign In with " + provider name).
            assert (form[:1].isspace(), form[-1:].isspace()) == (msgid[:1].isspace(), msgid[-1:].isspace())


def test_babel_finds_no_errors_in_the_catalogue():
    problems = [(m.id, [str(e) for e in errors]) for m, errors in thai().check()]
    assert problems == []


def test_compiled_catalogue_matches_the_po():
    assert MO_PATH.exists(), "run scripts/i18n.sh compile"
    fresh = io.BytesIO()
    write_mo(fresh, thai())
    fresh.seek(0)
    with MO_PATH.open("rb") as fh:
        compiled = read_mo(fh)
    expected = read_mo(fresh)

    def table(catalogue):
        return {msgid_key(m.id): tuple(message_forms(m.string)) for m in catalogue if m.id}

    assert table(compiled) == table(expected), "the .mo is stale: run scripts/i18n.sh compile"


@pytest.mark.parametrize(
    ("msgid", "thai_text"),
    [
        ("Add", "เพิ่ม"),
        ("Edit", "แก้ไข"),
        ("Delete", "ลบ"),
        ("Show", "ดูรายละเอียด"),
        ("Search", "ค้นหา"),
        ("Save", "บันทึก"),
        ("Login", "เข้าสู่ระบบ"),
        ("Logout", "ออกจากระบบ"),
        ("Username", "ชื่อผู้ใช้"),
        ("Password", "รหัสผ่าน"),
        ("Security", "ความปลอดภัย"),
        ("List Users", "รายชื่อผู้ใช้"),
        ("List Roles", "บทบาท"),
        ("Actions", "การดำเนินการ"),
        ("Add a new record", "เพิ่มรายการใหม่"),
        ("Record Count", "จำนวนรายการ"),
        ("Are you sure you want to delete this item?", "ยืนยันการลบรายการนี้หรือไม่?"),
        ("Added Row", "เพิ่มรายการเรียบร้อยแล้ว"),
        ("Invalid login. Please try again.", "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง กรุณาลองใหม่อีกครั้ง"),
        ("Equal to", "เท่ากับ"),
        ("Starts with", "ขึ้นต้นด้วย"),
        ("Contains", "มีคำว่า"),
        ("Greater than", "มากกว่า"),
        ("Sign In with ", "เข้าสู่ระบบด้วย "),
    ],
)
def test_key_strings(msgid, thai_text):
    assert thai()[msgid].string == thai_text


def test_flask_appbuilder_babel_manager_serves_the_thai_catalogue():
    """FAB puts its own translations first and the app's directories after them; the app's win."""
    from flask import Flask
    from flask_appbuilder.babel.manager import BabelManager
    from flask_babel import gettext, lazy_gettext

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY="test",
        BABEL_DEFAULT_LOCALE="th",
        BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS),
        LANGUAGES={"th": {"flag": "th", "name": "ไทย"}, "en": {"flag": "gb", "name": "English"}},
    )
    with app.app_context():
        BabelManager(appbuilder=None)
    assert app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[-1] == str(TRANSLATIONS)

    with app.test_request_context("/"):
        assert gettext("List Users") == "รายชื่อผู้ใช้"
        assert str(lazy_gettext("Are you sure you want to delete this item?")) == (
            "ยืนยันการลบรายการนี้หรือไม่?"
        )
    with app.test_request_context("/?_l_=en"):
        assert gettext("List Users") == "List Users"

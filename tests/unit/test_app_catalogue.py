"""Every string the app marks for translation has a Thai translation, in the .po and in the .mo.

The app's messages are extracted here, in memory, with the method map of babel.cfg and the
keywords scripts/i18n.sh uses, so a screen that adds a string fails this test until the string
is translated: scripts/i18n.sh extract, update, translate, then compile.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.unit.catalogue_support import message_forms

ROOT = Path(__file__).resolve().parents[2]
APP_DIR = ROOT / "app"
BABEL_CFG = ROOT / "babel.cfg"
PO_PATH = APP_DIR / "translations" / "th" / "LC_MESSAGES" / "messages.po"
MO_PATH = APP_DIR / "translations" / "th" / "LC_MESSAGES" / "messages.mo"

# Flask-Babel's names and the app's alias _l; the plural ones take singular and plural.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "lazy_ngettext": (1, 2),
}

# %(name)s, %s, %d ... and {name}, {0}, {}; "%%" and "{{" are escapes, not placeholders.
PLACEHOLDER = re.compile(
    r"%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[sdifFeEgGxXorac]"
    r"|%[#0 +-]*\d*(?:\.\d+)?[sdifFeEgGxXoc]"
    r"|(?<!\{)\{[A-Za-z_0-9.\[\]]*(?:![rsa])?(?::[^{}]*)?\}(?!\})"
)
# Markup a translation must carry over as it is: tags and entities.
MARKUP = re.compile(r"</?[A-Za-z][^<>]*>|&[#A-Za-z0-9]+;")


@lru_cache(maxsize=None)
def app_messages() -> dict[str, tuple[str, ...]]:
    """msgid -> its forms (one, or singular and plural), as extraction finds them in app/."""
    with BABEL_CFG.open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, filename=str(BABEL_CFG))
    found: dict[str, tuple[str, ...]] = {}
    for filename, lineno, msgid, _comments, _context in extract_from_dir(
        str(APP_DIR), method_map, options_map, keywords=KEYWORDS
    ):
        forms = tuple(message_forms(msgid))
        assert all(forms), f"empty msgid at app/{filename}:{lineno}"
        found.setdefault(forms[0], forms)
    return found


@lru_cache(maxsize=None)
def thai_po() -> Catalog:
    with PO_PATH.open("rb") as fh:
        return read_po(fh, locale="th")


@lru_cache(maxsize=None)
def thai_mo() -> Catalog:
    with MO_PATH.open("rb") as fh:
        return read_mo(fh)


def _translated(message) -> bool:
    return message is not None and all(form and form.strip() for form in message_forms(message.string))


def test_extraction_uses_babel_cfg_and_finds_the_apps_strings():
    messages = app_messages()
    # One from Python (lazy_gettext as _l), one from a template, one with a placeholder.
    for expected in ("Tracking code", "Change status", "Case %(code)s was created."):
        assert expected in messages, f"extraction from app/ missed {expected!r}: check babel.cfg"
    assert len(messages) > 50, "extraction from app/ found too little: check babel.cfg"


def test_every_app_message_is_translated_in_the_po():
    catalogue = thai_po()
    missing = [msgid for msgid in sorted(app_messages()) if not _translated(catalogue.get(msgid))]
    assert missing == [], "untranslated: scripts/i18n.sh extract && scripts/i18n.sh update, then translate"


def test_no_app_message_is_fuzzy_in_the_po():
    catalogue = thai_po()
    fuzzy = [msgid for msgid in sorted(app_messages()) if (m := catalogue.get(msgid)) is not None and m.fuzzy]
    assert fuzzy == []


def test_plural_app_messages_are_plural_in_the_po():
    catalogue = thai_po()
    wrong = [
        msgid
        for msgid, forms in sorted(app_messages().items())
        if (m := catalogue.get(msgid)) is not None and (len(forms) > 1) != m.pluralizable
    ]
    assert wrong == []


def test_every_app_message_is_translated_in_the_compiled_mo():
    assert MO_PATH.exists(), "run scripts/i18n.sh compile"
    po, mo = thai_po(), thai_mo()
    missing, stale = [], []
    for msgid in sorted(app_messages()):
        compiled = mo.get(msgid)
        if not _translated(compiled):
            missing.append(msgid)
        elif (source := po.get(msgid)) is not None and message_forms(compiled.string) != message_forms(source.string):
            stale.append(msgid)
    assert missing == [], "not in the .mo: run scripts/i18n.sh compile"
    assert stale == [], "the .mo is older than the .po: run scripts/i18n.sh compile"


def test_placeholders_and_markup_of_app_messages_are_kept():
    catalogue = thai_po()
    wrong = []
    for msgid, forms in sorted(app_messages().items()):
        message = catalogue.get(msgid)
        if not _translated(message):
            continue  # reported by the tests above
        for translation in message_forms(message.string):
            for pattern in (PLACEHOLDER, MARKUP):
                # Each translation form carries what some source form carries (plural forms
                # may differ from the singular by a count placeholder).
                if not any(
                    sorted(pattern.findall(translation)) == sorted(pattern.findall(form)) for form in forms
                ):
                    wrong.append((msgid, translation))
    assert wrong == []

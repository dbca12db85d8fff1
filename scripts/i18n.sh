#!/usr/bin/env bash
# Message catalogues of the web interface (domain "messages", app/translations).
#
#   scripts/i18n.sh extract   the app's own strings -> app/translations/messages.pot
#   scripts/i18n.sh update    merge the template into app/translations/<lang>/LC_MESSAGES/messages.po
#   scripts/i18n.sh compile   messages.po -> messages.mo (refuses fuzzy or broken catalogues)
#   scripts/i18n.sh all       extract, update, compile
#
# Flask-AppBuilder ships no Thai catalogue, so the Thai catalogue also carries the
# translations of Flask-AppBuilder's own strings. A plain `pybabel update` against the
# app's template would mark those obsolete (and drop them from the .mo), so `update`
# merges the app's template with the strings of the installed Flask-AppBuilder: those
# marked in its sources and templates, and those in the catalogues it ships.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENV="${VENV:-$ROOT/.venv}"
PYBABEL="$VENV/bin/pybabel"
PYTHON="$VENV/bin/python"
TRANSLATIONS="app/translations"
POT="$TRANSLATIONS/messages.pot"
LOCALES=(${I18N_LOCALES:-th})

die() {
    echo "i18n: $*" >&2
    exit 1
}

usage() {
    sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

require_tools() {
    [[ -x "$PYBABEL" ]] || die "$PYBABEL not found: create the virtualenv and install requirements.txt"
    [[ -x "$PYTHON" ]] || die "$PYTHON not found"
}

extract() {
    mkdir -p "$TRANSLATIONS"
    "$PYBABEL" extract -F babel.cfg \
        -k lazy_gettext -k _l -k lazy_ngettext:1,2 \
        --add-comments=TRANSLATORS: \
        --project=Rueang --copyright-holder="Rueang contributors" \
        -o "$POT" app
}

# Writes to $1 a template holding the app's messages ($POT) and Flask-AppBuilder's.
merged_template() {
    "$PYTHON" - "$POT" "$1" <<'PY'
import io
import re
import sys
from pathlib import Path

import flask_appbuilder
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

app_pot, out = sys.argv[1], sys.argv[2]
with open(app_pot, "rb") as fh:
    template = read_po(fh)

fab_dir = Path(flask_appbuilder.__file__).resolve().parent


def add(msgid, location=None):
    existing = template.get(msgid)
    if existing is None:
        template.add(msgid, locations=[location] if location else [])
    elif location and location not in existing.locations:
        existing.locations.append(location)


keywords = dict(DEFAULT_KEYWORDS, lazy_gettext=None, lazy_formatter_gettext=None)
method_map = [("templates/**.html", "jinja2"), ("**.py", "python")]
for filename, lineno, msgid, _comments, _context in extract_from_dir(
    str(fab_dir), method_map, keywords=keywords
):
    add(msgid, (f"flask_appbuilder/{filename}", lineno))

# Some shipped catalogues carry header dates Babel cannot parse; they do not matter here.
dates = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*"$', re.M)
for po in sorted(fab_dir.glob("translations/*/LC_MESSAGES/messages.po")):
    catalogue = read_po(io.StringIO(dates.sub("", po.read_text(encoding="utf-8"))))
    for message in catalogue:
        # A msgid that is not English is a slip in that catalogue, not a string FAB shows.
        if message.id and str(message.id).isascii():
            add(message.id)

with open(out, "wb") as fh:
    write_po(fh, template, width=100)
PY
}

update() {
    [[ -f "$POT" ]] || extract
    TEMPLATE="$(mktemp "${TMPDIR:-/tmp}/rueang-messages.XXXXXX")"
    trap 'rm -f "$TEMPLATE"' EXIT
    merged_template "$TEMPLATE"
    local lang
    for lang in "${LOCALES[@]}"; do
        if [[ -f "$TRANSLATIONS/$lang/LC_MESSAGES/messages.po" ]]; then
            "$PYBABEL" update -i "$TEMPLATE" -d "$TRANSLATIONS" -l "$lang" \
                --no-fuzzy-matching --width=100
        else
            "$PYBABEL" init -i "$TEMPLATE" -d "$TRANSLATIONS" -l "$lang" --width=100
        fi
    done
}

compile() {
    local lang
    for lang in "${LOCALES[@]}"; do
        "$PYBABEL" compile -d "$TRANSLATIONS" -l "$lang" --statistics
    done
}

main() {
    local command="${1:-}"
    case "$command" in
        extract) require_tools; extract ;;
        update) require_tools; update ;;
        compile) require_tools; compile ;;
        all) require_tools; extract; update; compile ;;
        -h|--help|help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"

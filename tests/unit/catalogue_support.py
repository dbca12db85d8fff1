"""What both catalogue tests read the same way: Babel message ids and strings, which are a text,
or a (singular, plural) pair for plural forms."""
from __future__ import annotations


def msgid_key(msgid) -> str:
    """The singular of a message id, by which a catalogue is looked up."""
    return msgid[0] if isinstance(msgid, (tuple, list)) else msgid


def message_forms(value) -> list[str]:
    """Every form of an id or a translation: one, or the singular and plural forms."""
    if isinstance(value, (tuple, list)):
        return list(value)
    return [value]

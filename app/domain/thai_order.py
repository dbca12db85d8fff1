"""Thai dictionary order (the Royal Institute dictionary's), for lists people read: province names
in a drop-down, for a start.

Code-point order files every word that begins with a leading vowel (เ แ โ ใ ไ, written before the
consonant they follow in speech) after every word that begins with a consonant, so เชียงใหม่ lands
after ฮ instead of under ช. A dictionary files a word by its consonants first: each leading vowel
is read after the consonant it stands before, and tone marks and the silent mark (์) only break
ties between words that are otherwise the same. Thai consonants and the other vowels are already
in dictionary order in Unicode, so after those two adjustments plain comparison does the rest.

Pure functions, no Flask or database imports; no ICU.
"""
from __future__ import annotations

LEADING_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")  # เ แ โ ใ ไ
FIRST_CONSONANT, LAST_CONSONANT = "\u0e01", "\u0e2e"  # ก ฮ
# Tone marks (่ ้ ๊ ๋) and the thanthakhat (์) that silences a letter: second-level differences.
TIE_BREAKING_MARKS = str.maketrans("", "", "\u0e48\u0e49\u0e4a\u0e4b\u0e4c")


def _consonant(char: str) -> bool:
    return FIRST_CONSONANT <= char <= LAST_CONSONANT


def _vowels_after_their_consonants(text: str) -> str:
    chars = list(text)
    i = 0
    while i < len(chars) - 1:
        if chars[i] in LEADING_VOWELS and _consonant(chars[i + 1]):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
            i += 2
        else:
            i += 1
    return "".join(chars)


def thai_sort_key(text: str) -> tuple[str, str, str]:
    """A key that sorts Thai words in dictionary order (and other text by its letters, ignoring
    case): consonants first with leading vowels moved after them, then tone marks, then the text
    itself so that equal keys never reorder distinct words by chance."""
    reordered = _vowels_after_their_consonants(text.strip().casefold())
    return reordered.translate(TIE_BREAKING_MARKS), reordered, text

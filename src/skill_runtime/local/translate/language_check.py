"""Is a text written in the script its language is written in?

A translator that answers in Russian when Spanish was asked, or an agent that
pastes the source back, gives text of the wrong script: delivered, it would be
tagged as the language asked for. The expected script comes from CLDR's likely
subtags (langcodes: es → Latn, ru → Cyrl, ja → Jpan); each letter's script
from its Unicode name. Languages whose script is not in the table below are
not checked rather than refused.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import cache

import langcodes

# ISO 15924 code → the first word of the Unicode names of its letters.
_LETTERS: dict[str, frozenset[str]] = {
    "Latn": frozenset({"LATIN"}),
    "Cyrl": frozenset({"CYRILLIC"}),
    "Grek": frozenset({"GREEK"}),
    "Arab": frozenset({"ARABIC"}),
    "Hebr": frozenset({"HEBREW"}),
    "Hans": frozenset({"CJK"}),
    "Hant": frozenset({"CJK"}),
    "Jpan": frozenset({"CJK", "HIRAGANA", "KATAKANA"}),
    "Kore": frozenset({"HANGUL", "CJK"}),
    "Deva": frozenset({"DEVANAGARI"}),
    "Beng": frozenset({"BENGALI"}),
    "Guru": frozenset({"GURMUKHI"}),
    "Gujr": frozenset({"GUJARATI"}),
    "Orya": frozenset({"ORIYA"}),
    "Taml": frozenset({"TAMIL"}),
    "Telu": frozenset({"TELUGU"}),
    "Knda": frozenset({"KANNADA"}),
    "Mlym": frozenset({"MALAYALAM"}),
    "Sinh": frozenset({"SINHALA"}),
    "Thai": frozenset({"THAI"}),
    "Laoo": frozenset({"LAO"}),
    "Khmr": frozenset({"KHMER"}),
    "Mymr": frozenset({"MYANMAR"}),
    "Tibt": frozenset({"TIBETAN"}),
    "Geor": frozenset({"GEORGIAN"}),
    "Armn": frozenset({"ARMENIAN"}),
    "Ethi": frozenset({"ETHIOPIC"}),
}
# Readable names for the scripts a wrong answer is in.
_NAMES = {
    "LATIN": "Latin",
    "CYRILLIC": "Cyrillic",
    "GREEK": "Greek",
    "ARABIC": "Arabic",
    "HEBREW": "Hebrew",
    "CJK": "Chinese characters",
    "HIRAGANA": "Japanese kana",
    "KATAKANA": "Japanese kana",
    "HANGUL": "Korean Hangul",
}
# At least this share of a text's letters must be in the expected script: names, brands
# and units in another one are normal ("Привет, YouTube!"), a whole answer in it is not.
_LEAST_OWN = 0.3


@cache
def script_of(language: str) -> str | None:
    """The ISO 15924 script `language` is usually written in, or None when unknown."""
    try:
        script = langcodes.Language.get(language).maximize().script
    except (ValueError, LookupError):
        return None
    return script if script in _LETTERS else None


def _letter_script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


def wrong_script(text: str, language: str) -> str | None:
    """The script most of `text`'s letters are in when it is not `language`'s, else None."""
    expected = script_of(language)
    if expected is None:
        return None
    counts = Counter(_letter_script(ch) for ch in text if ch.isalpha())
    total = sum(counts.values())
    if not total:
        return None
    wanted = _LETTERS[expected]
    if sum(n for s, n in counts.items() if s in wanted) / total >= _LEAST_OWN:
        return None
    found = next(s for s, _ in counts.most_common() if s not in wanted)
    return _NAMES.get(found, found.title())


def script_name(language: str) -> str:
    """The readable name of the script expected for `language` ("Latin", "Cyrillic")."""
    expected = script_of(language)
    if expected is None:
        return language
    return str(langcodes.Language.make(script=expected).script_name())

"""Language names and ISO 639-2 codes, from langcodes (CLDR) for every backend.

Whisper's tags are ISO 639-1 with its own legacy spellings (`jw`, `tl`), so tags
are looked up as given, not normalised (`tl` stays Tagalog, not Filipino).
"""

from __future__ import annotations

import langcodes


def _primary(code: str) -> str:
    return code.strip().lower().replace("_", "-").split("-")[0]


def _language(code: str) -> langcodes.Language | None:
    primary = _primary(code)
    try:
        found = langcodes.Language.get(primary, normalize=False)
    except (LookupError, ValueError):
        return None
    return found if found.is_valid() and found.language else None


def language_name(code: str) -> str:
    """English name of a tag's language (`pt-BR` → Portuguese); the tag itself when unknown."""
    found = _language(code)
    return str(found.display_name()) if found else code


def iso639_2(code: str) -> str:
    """Three-letter tag for an MP4 track (`de` → deu); 'und' (undetermined) when unknown."""
    found = _language(code)
    try:
        return str(found.to_alpha3()) if found else _three_letters(code)
    except LookupError:
        return "und"


def _three_letters(code: str) -> str:
    """A three-letter tag langcodes does not know is already ISO 639-2 shaped; else 'und'."""
    primary = _primary(code)
    return primary if len(primary) == 3 and primary.isascii() and primary.isalpha() else "und"

"""Language tags from the user, checked against the skill's table before any work.

A tag reaches file names (`talk.es.srt`) and prompts, so only a well-formed
BCP 47 tag whose primary language is in `translation.codes` gets through, in
its canonical spelling (`EN_us` → `en-US`). Anything else is a usage error
naming the closest known languages.
"""

from __future__ import annotations

import difflib
import re

import langcodes

from .errors import SkillError
from .language_names import language_name
from .settings.translation import TranslationSettings

_SHAPE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def _names(settings: TranslationSettings) -> dict[str, str]:
    """Lower-cased names and phrases (English, native, skill.yaml's) → code."""
    table: dict[str, str] = {}
    for code in settings.codes:
        language = langcodes.Language.get(code)
        for name in (language_name(code), language.display_name(), language.autonym()):
            table.setdefault(name.lower(), code)
    for code, entry in settings.languages.items():
        for name in entry.phrases:
            table.setdefault(name.lower(), code)
    return table


def close_matches(text: str, settings: TranslationSettings, limit: int = 3) -> list[str]:
    """Codes the user may have meant, as "es (Spanish)": a name names one, else near spellings."""
    wanted = text.strip().lower()
    names = _names(settings)
    if wanted in names:
        found = [names[wanted]]
    else:
        by_code = difflib.get_close_matches(wanted, settings.codes, n=limit, cutoff=0.5)
        by_name = [names[n] for n in difflib.get_close_matches(wanted, names, n=limit, cutoff=0.6)]
        found = by_code + by_name if len(wanted) <= 3 else by_name + by_code
    unique = list(dict.fromkeys(found))[:limit]
    return [f"{code} ({language_name(code)})" for code in unique]


def canonical(tag: str, settings: TranslationSettings, *, option: str = "--languages") -> str:
    """`tag` in canonical form, or a usage error when it is not a supported language."""
    text = tag.strip()
    codes = set(settings.codes)
    standard: str | None = None
    if _SHAPE.fullmatch(text):
        try:
            standard = langcodes.standardize_tag(text)
        except ValueError:
            standard = None
    primary, *rest = (standard or "").split("-")
    given = text.replace("_", "-").split("-")[0].lower()
    if standard is not None and primary not in codes and given in codes:
        # Whisper keeps legacy tags (`tl`, `jw`) that langcodes modernises (`fil`, `jv`).
        standard = "-".join([given, *rest])
    if standard is None or standard.split("-")[0] not in codes:
        raise SkillError(
            "unknown_language",
            tag=text,
            option=option,
            matches=close_matches(text, settings),
            known=sorted(settings.languages),
        )
    return standard


def canonical_list(
    tags: list[str], settings: TranslationSettings, *, option: str = "--languages"
) -> list[str]:
    """Each tag checked, duplicates dropped, order kept."""
    return list(dict.fromkeys(canonical(t, settings, option=option) for t in tags))

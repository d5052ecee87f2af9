"""Turn a chat sentence into typed caption edits, by the phrase tables in skill.yaml.

Pure: no session, no I/O beyond reading the (cached) config. Matching is
longest-phrase-first over a masked copy of the text, so "no highlight" is
read before "highlight", and a quoted word in "replace 'top' with 'bottom'"
is never mistaken for a position.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pydantic import ValidationError

from ... import keywords
from ...language_names import language_name
from ...settings.edit_models import (
    EDIT,
    ON_OFF,
    AddLanguages,
    Color,
    Edit,
    OnlyLanguages,
    RemoveLanguages,
    Shift,
)
from ...settings.edits import EditsConfig
from ...settings.translation import Language

_MASK = "\x00"
_CN_DIGITS = "一二两三四五六七八九十半"
_CN_NUMBER = re.compile(rf"[{_CN_DIGITS}]+(?=\s*(?:个|秒|毫秒|字|像素|号|步|次))")


@dataclass
class _Hit:
    start: int
    end: int
    edit: Edit | None = None
    language: str | None = None


def _cn_number(word: str, numerals: dict[str, float]) -> str:
    """一 -> 1, 十五 -> 15, 二十 -> 20, 半 -> 0.5; anything else left as it was."""
    if "十" in word:
        tens, _, ones = word.partition("十")
        value = (numerals.get(tens, 1) if tens else 1) * 10 + (numerals.get(ones, 0) if ones else 0)
    elif len(word) == 1 and word in numerals:
        value = numerals[word]
    else:
        return word
    return f"{value:g}"


def normalise(text: str, table: EditsConfig) -> str:
    """Full-width forms to ASCII (NFKC) and Chinese numerals before units to digits."""
    text = unicodedata.normalize("NFKC", text)
    return _CN_NUMBER.sub(lambda m: _cn_number(m.group(0), table.numerals), text)


def _finds(phrase: str, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in keywords.pattern(phrase).finditer(text)]


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + _MASK * (end - start) + text[end:]


def _pattern_edit(kind: str, groups: dict[str, str]) -> Edit | None:
    fields: dict[str, object] = {k: v.strip() for k, v in groups.items() if v is not None}
    if kind == "color":
        fields["color"] = str(fields["color"]).upper()
    try:
        return EDIT.validate_python({"kind": kind, **fields})
    except ValidationError:
        return None


def _last_match(phrases: list[str], text: str) -> int:
    """End offset of the last phrase occurrence in text, or -1."""
    return max((end for p in phrases for _, end in _finds(p, text)), default=-1)


def _clause_start(text: str, before: int, table: EditsConfig) -> int:
    return max(_last_match(table.clause_breaks, text[:before]), 0)


def _negated(text: str, hit: _Hit, floor: int, ceiling: int, table: EditsConfig) -> bool:
    """A negation in this clause before the phrase (not undone by an add verb), or `off` after."""
    start = max(floor, _clause_start(text, hit.start, table))
    before = text[start : hit.start]
    negation = _last_match(table.negations, before)
    if negation >= 0 and negation >= _last_match(table.language_verbs.add, before):
        return True
    after = text[hit.end : ceiling]
    cut = min((s for p in table.clause_breaks for s, _ in _finds(p, after)), default=len(after))
    return any(_finds(p, after[:cut]) for p in table.negations_after)


def _language_verb(text: str, hit: _Hit, table: EditsConfig) -> str:
    """Which verb governs a language name: the nearest before it, `only` winning its clause."""
    before = text[: hit.start]
    verbs = table.language_verbs
    clause = before[_clause_start(text, hit.start, table) :]
    if _last_match(verbs.only, clause) >= 0:
        return "only"
    ends = {
        "add": _last_match(verbs.add, before),
        "remove": _last_match(verbs.remove, before),
        "only": _last_match(verbs.only, before),
    }
    verb, end = max(ends.items(), key=lambda item: item[1])
    return verb if end >= 0 else "add"


def _names_a_language(text: str, start: int, table: EditsConfig) -> bool:
    """A word that is also a language ("polish") is the language right after a language verb."""
    before = text[:start].rstrip()
    verbs = table.language_verbs
    return _last_match([*verbs.add, *verbs.remove, *verbs.only], before) == len(before) > 0


def _shift(text: str, masked: str, table: EditsConfig) -> tuple[Shift, tuple[int, int]] | None:
    words = table.shift
    if not any(_finds(p, text) for p in words.context):
        return None
    match = re.search(words.quantity, masked, re.IGNORECASE)
    if match is None:
        return None
    amount = float(match.group("amount"))
    if match.group("unit").lower() in words.milliseconds:
        amount /= 1000
    sign = match.group("sign")
    if sign:
        direction = -1 if sign in "-−" else 1
    else:
        found = [(len(p), 1) for p in words.later if _finds(p, text)]
        found += [(len(p), -1) for p in words.earlier if _finds(p, text)]
        direction = max(found)[1] if found else 1
    return Shift(seconds=round(direction * amount, 3)), match.span()


def _phrase_table(
    table: EditsConfig, languages: dict[str, Language]
) -> list[tuple[str, Edit | None, str | None]]:
    rows: list[tuple[str, Edit | None, str | None]] = []
    for rule in table.rules:
        rows += [(p, rule.edit, None) for p in rule.phrases]
    for name, colour in table.colors.items():
        edit = Color(color=colour.hex, name=name)
        rows += [(p, edit, None) for p in colour.phrases]
    for code, language in languages.items():
        rows += [(p, None, code) for p in (language_name(code), *language.phrases)]
    return sorted(rows, key=lambda row: len(row[0]), reverse=True)


def _flip(edit: Edit) -> Edit:
    if isinstance(edit, ON_OFF):
        return edit.model_copy(update={"enabled": not edit.enabled})
    return edit


def _languages(text: str, hits: list[_Hit], table: EditsConfig) -> list[_Hit]:
    """Consecutive language names under one verb become one edit."""
    grouped: list[tuple[str, list[str], int]] = []
    for hit in hits:
        if hit.language is None:
            continue
        verb = _language_verb(text, hit, table)
        if grouped and grouped[-1][0] == verb:
            if hit.language not in grouped[-1][1]:
                grouped[-1][1].append(hit.language)
        else:
            grouped.append((verb, [hit.language], hit.start))
    return [_Hit(start, start, edit=_language_edit(verb, codes)) for verb, codes, start in grouped]


def _language_edit(verb: str, codes: list[str]) -> Edit:
    if verb == "remove":
        return RemoveLanguages(languages=codes)
    if verb == "only":
        return OnlyLanguages(languages=codes)
    return AddLanguages(languages=codes)


def _expand(regex: str, table: EditsConfig) -> str:
    """`{colours}` in a pattern stands for every colour phrase, so the names live in one table."""
    if "{colours}" not in regex:
        return regex
    phrases = sorted((p for c in table.colors.values() for p in c.phrases), key=len, reverse=True)
    return regex.replace("{colours}", "|".join(re.escape(p) for p in phrases))


def interpret(
    text: str,
    table: EditsConfig,
    languages: dict[str, Language],
) -> list[Edit]:
    """The caption edits `text` asks for, in the order it asks; [] when it asks for none.

    `table` is skill.yaml's `edits:` section, `languages` its `translation.languages`.
    """
    text = normalise(text, table)
    masked = text
    hits: list[_Hit] = []
    for rule in table.patterns:
        for match in re.finditer(_expand(rule.regex, table), masked, re.IGNORECASE):
            edit = _pattern_edit(rule.kind, match.groupdict())
            if edit is not None:
                hits.append(_Hit(*match.span(), edit=edit))
                masked = _mask(masked, *match.span())
    shift = _shift(text, masked, table)
    if shift is not None:
        hits.append(_Hit(*shift[1], edit=shift[0]))
        masked = _mask(masked, *shift[1])
    rows = _phrase_table(table, languages)
    language_words = {phrase.lower() for phrase, _, language in rows if language is not None}
    for phrase, edit, language in rows:
        for start, end in _finds(phrase, masked):
            named = language is None and phrase.lower() in language_words
            if named and _names_a_language(text, start, table):
                continue
            hits.append(_Hit(start, end, edit=edit, language=language))
            masked = _mask(masked, start, end)
    hits.sort(key=lambda h: h.start)
    edits: list[_Hit] = [h for h in hits if h.edit is not None]
    for i, hit in enumerate(edits):
        assert hit.edit is not None
        floor = edits[i - 1].end if i else 0
        ceiling = edits[i + 1].start if i + 1 < len(edits) else len(text)
        if isinstance(hit.edit, ON_OFF) and _negated(text, hit, floor, ceiling, table):
            hit.edit = _flip(hit.edit)
    edits += _languages(text, hits, table)
    edits.sort(key=lambda h: h.start)
    result: list[Edit] = []
    for hit in edits:
        assert hit.edit is not None
        if hit.edit not in result:
            result.append(hit.edit)
    return result


def asks_for_captions(text: str, table: EditsConfig) -> bool:
    """Whether the sentence asks for captions at all ("add captions", "加字幕")."""
    return any(_finds(p, normalise(text, table)) for p in table.caption_request)

"""Line breaking: display width, forbidden splits, balanced layouts.

Shared by the cue builder and by the translation helper (`wrap_text`), so
translated cues obey the same per-line limits as recognised ones.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import wcwidth

from ...settings.local import CueRules

_PUNCT_STRIP = "\"'“”‘’«»¿¡()[]"


def display_width(text: str) -> int:
    """Columns on screen, per grapheme: wide (CJK, emoji) count 2, combining marks 0.

    Thai tone and vowel marks and Devanagari matras sit on their letter, so a
    count of code points would measure those lines far wider than they are drawn.
    """
    return int(wcwidth.width(text, control_codes="ignore"))


def primary_language(language: str) -> str:
    return language.lower().replace("_", "-").split("-")[0]


def uses_spaces(language: str, rules: CueRules) -> bool:
    return primary_language(language) not in rules.no_space_languages


def tokens(text: str, language: str, rules: CueRules) -> list[str]:
    """Units a line may break between: words, or characters for unspaced scripts."""
    if uses_spaces(language, rules):
        return text.split()
    return [ch for ch in "".join(text.split()) if ch]


def join(parts: Sequence[str], language: str, rules: CueRules) -> str:
    return (" " if uses_spaces(language, rules) else "").join(parts)


def _bare(word: str) -> str:
    return word.strip(_PUNCT_STRIP).lower()


_WORDS: dict[tuple[int, str, str], tuple[CueRules, frozenset[str]]] = {}


def word_set(rules: CueRules, field: str, language: str) -> frozenset[str]:
    """A lower-cased per-language word list of `rules`; cached per rules object."""
    key = (id(rules), field, primary_language(language))
    hit = _WORDS.get(key)
    if hit is None or hit[0] is not rules:
        table: dict[str, list[str]] = getattr(rules, field)
        hit = (rules, frozenset(w.lower() for w in table.get(key[2], [])))
        _WORDS[key] = hit
    return hit[1]


def dangles(left: str, language: str, rules: CueRules) -> bool:
    """True when a line or cue ending in `left` leaves a word hanging (article, preposition,
    conjunction, pronoun, possessive...); punctuation after it makes it a clean end."""
    if not left or left[-1] in rules.sentence_end or left[-1] in rules.clause_end:
        return False
    bare = _bare(left)
    if bare in word_set(rules, "no_end_words", language):
        return True
    return any(bare.endswith(s) for s in word_set(rules, "no_end_suffixes", language))


def break_cost(left: str, right: str, language: str, rules: CueRules) -> float:
    """How bad it is to end a line (or cue) after `left` when `right` follows.

    0 after a sentence end, small after a clause mark or before a conjunction
    or preposition, large when the guide forbids the split (article|noun,
    pronoun|verb, verb|negation, first|last name, ...).
    """
    if left and left[-1] in rules.sentence_end:
        return 0.0
    if left and left[-1] in rules.clause_end:
        return 1.0
    if dangles(left, language, rules):
        return 40.0
    if _bare(right) in word_set(rules, "no_start_words", language):
        return 30.0
    if left[:1].isupper() and right[:1].isupper() and len(_bare(left)) > 1:
        return 25.0
    if _bare(right) in word_set(rules, "break_before_words", language):
        return 2.5
    return 4.0


def _line_cost(widths: list[int], breaks: list[float], limit: int) -> float:
    """Break quality first, then balance: lines of similar width, and where they differ the
    wider line below (a bottom-heavy pyramid keeps the eye's return short)."""
    spread = max(widths) - min(widths) if len(widths) > 1 else 0
    top_heavy = sum(max(0, a - b) for a, b in itertools.pairwise(widths))
    return sum(breaks) + (spread * 6 + top_heavy * 2) / max(limit, 1)


def arrange(
    parts: Sequence[str], language: str, rules: CueRules, max_chars: int | None = None
) -> tuple[float, list[str]] | None:
    """Best layout in the fewest lines (at most max_lines) and its cost, or None if none fits."""
    limit = max_chars or rules.max_chars_per_line
    sep = 1 if uses_spaces(language, rules) else 0
    n = len(parts)
    if n == 0:
        return 0.0, []
    widths = [display_width(p) for p in parts]

    def span(i: int, j: int) -> int:
        return sum(widths[i:j]) + sep * (j - i - 1)

    if span(0, n) <= limit:
        return 0.0, [join(parts, language, rules)]
    best: tuple[float, list[int]] | None = None

    def walk(start: int, left: int, cuts: list[int]) -> None:
        nonlocal best
        if left == 1:
            if span(start, n) > limit:
                return
            bounds = [0, *cuts, n]
            line_widths = [span(a, b) for a, b in itertools.pairwise(bounds)]
            costs = [break_cost(parts[c - 1], parts[c], language, rules) for c in cuts]
            cost = _line_cost(line_widths, costs, limit)
            if best is None or cost < best[0]:
                best = (cost, list(cuts))
            return
        for cut in range(start + 1, n - left + 2):
            if span(start, cut) > limit:
                break
            walk(cut, left - 1, [*cuts, cut])

    for lines in range(2, rules.max_lines + 1):
        walk(0, lines, [])
        if best is not None:
            break
    if best is None:
        return None
    bounds = [0, *best[1], n]
    return best[0], [join(parts[a:b], language, rules) for a, b in itertools.pairwise(bounds)]


def dialogue(speakers: Sequence[Sequence[str]], language: str, rules: CueRules) -> list[str]:
    """One line per speaker, each opened by the dialogue dash."""
    return [rules.dialogue_dash + join(parts, language, rules) for parts in speakers]


def speaker_lines(lines: Sequence[str], rules: CueRules) -> list[str] | None:
    """Each speaker's text when `lines` are dialogue (every line dashed), else None."""
    dash = rules.dialogue_dash
    if len(lines) < 2 or not all(line.startswith(dash) for line in lines):
        return None
    return [line[len(dash) :].strip() for line in lines]


def hard_split(part: str, limit: int) -> list[str]:
    """Cut one over-long token (a URL, an unspaced run) into pieces that fit.

    Trailing punctuation never becomes a piece of its own: a lone "," would
    make a cue or a line by itself.
    """
    pieces: list[str] = []
    current = ""
    for ch in part:
        if current and display_width(current + ch) > limit:
            pieces.append(current)
            current = ""
        current += ch
    if current:
        pieces.append(current)
    while len(pieces) > 1 and not any(ch.isalnum() for ch in pieces[-1]) and len(pieces[-2]) > 1:
        pieces[-2], pieces[-1] = pieces[-2][:-1], pieces[-2][-1] + pieces[-1]
    return pieces


def wrap_text(text: str, rules: CueRules, language: str, max_chars: int | None = None) -> list[str]:
    """Break `text` into lines by the cue rules.

    Returns at most `rules.max_lines` lines whenever the text fits in them; text
    too long for one cue comes back in as many lines as it needs, so the caller
    can decide to split the cue rather than silently lose words.
    """
    limit = max_chars or rules.max_chars_per_line
    parts = [p for t in tokens(text, language, rules) for p in hard_split(t, limit)]
    fitted = arrange(parts, language, rules, limit)
    if fitted is not None:
        return fitted[1]
    lines: list[str] = []
    current: list[str] = []
    for part in parts:
        candidate = [*current, part]
        if current and display_width(join(candidate, language, rules)) > limit:
            lines.append(join(current, language, rules))
            current = [part]
        else:
            current = candidate
    if current:
        lines.append(join(current, language, rules))
    return lines

"""A translated cue on its source cue's time, within the line rules.

Every translated cue keeps its source cue's start and end. A translation too
long for two lines is split only where the text allows a pause (a sentence or
clause end), inside the source window, into pieces of at most two lines and
at least the minimum duration; the window's time is shared by text length.
Only when no such split exists is the best word break used, and only when
even that cannot keep the minimum duration does one cue keep extra lines: a
word is never dropped and a cue never crosses into its neighbour's time.
"""

from __future__ import annotations

import itertools
import math

from ...captions import Cue
from ...settings.local import CueRules
from ..cues.text import break_cost, join, tokens, wrap_text

_MAX_BOUNDARIES = 12


def budget(duration: float, rules: CueRules, max_chars: int | None = None) -> int:
    """Characters a viewer can read in `duration`: two lines, and the reading speed."""
    limit = max_chars or rules.max_chars_per_line
    lines = rules.max_lines * limit + rules.max_lines - 1
    return max(1, min(lines, math.floor(rules.max_cps * duration)))


def fits(text: str, duration: float, language: str, rules: CueRules, max_chars: int | None) -> bool:
    """Within the budget and on at most two lines."""
    lines = wrap_text(text, rules, language, max_chars)
    return len(lines) <= rules.max_lines and len(text) <= budget(duration, rules, max_chars)


def _gap(rules: CueRules) -> float:
    return math.ceil(rules.min_gap_frames / rules.default_fps * 1000) / 1000


def _times(
    start: float, end: float, weights: list[int], rules: CueRules
) -> list[tuple[float, float]] | None:
    """Consecutive spans sharing [start, end] by weight, each at least the minimum duration.

    Whole milliseconds throughout, so rounding can never take a piece under the minimum.
    """
    gap, least = round(_gap(rules) * 1000), math.ceil(rules.min_duration_s * 1000)
    first, last = round(start * 1000), round(end * 1000)
    free = last - first - gap * (len(weights) - 1) - least * len(weights)
    if free < 0:
        return None
    spans: list[tuple[float, float]] = []
    at = first
    for k, weight in enumerate(weights):
        stop = last if k == len(weights) - 1 else at + least + free * weight // sum(weights)
        spans.append((at / 1000, stop / 1000))
        at = stop + gap
    return spans


def _split(
    cue: Cue, parts: list[str], cuts: list[int], language: str, rules: CueRules, limit: int | None
) -> tuple[float, list[Cue]] | None:
    bounds = [0, *cuts, len(parts)]
    texts = [join(parts[a:b], language, rules) for a, b in itertools.pairwise(bounds)]
    layouts = [wrap_text(t, rules, language, limit) for t in texts]
    if any(len(lines) > rules.max_lines for lines in layouts):
        return None
    spans = _times(cue.start, cue.end, [len(t) for t in texts], rules)
    if spans is None:
        return None
    over = sum(
        max(0.0, len(t) / (b - a) - rules.max_cps) for t, (a, b) in zip(texts, spans, strict=True)
    )
    breaks = sum(break_cost(parts[c - 1], parts[c], language, rules) for c in cuts)
    cues = [Cue(start=a, end=b, lines=lines) for (a, b), lines in zip(spans, layouts, strict=True)]
    return over * 10 + breaks, cues


def _best_split(
    cue: Cue,
    parts: list[str],
    candidates: list[int],
    language: str,
    rules: CueRules,
    limit: int | None,
) -> list[Cue] | None:
    """Fewest pieces first, then the least reading-speed overflow and the best break."""
    most = math.floor((cue.end - cue.start + _gap(rules)) / (rules.min_duration_s + _gap(rules)))
    for pieces in range(2, min(most, len(candidates) + 1) + 1):
        scored = [
            found
            for cuts in itertools.combinations(candidates, pieces - 1)
            if (found := _split(cue, parts, list(cuts), language, rules, limit)) is not None
        ]
        if scored:
            return min(scored, key=lambda s: s[0])[1]
    return None


def fit_cue(
    cue: Cue, text: str, language: str, rules: CueRules, max_chars: int | None = None
) -> list[Cue]:
    """`text` shown in `cue`'s window: one cue when it fits two lines, else split as above."""
    lines = wrap_text(text, rules, language, max_chars)
    if len(lines) <= rules.max_lines:
        return [Cue(start=cue.start, end=cue.end, lines=lines)]
    parts = tokens(text, language, rules)
    pauses = rules.sentence_end + rules.clause_end
    clauses = [k for k in range(1, len(parts)) if parts[k - 1][-1] in pauses]
    split = _best_split(cue, parts, clauses[:_MAX_BOUNDARIES], language, rules, max_chars)
    if split is None:
        ranked = sorted(
            range(1, len(parts)), key=lambda k: break_cost(parts[k - 1], parts[k], language, rules)
        )
        split = _best_split(
            cue, parts, sorted(ranked[:_MAX_BOUNDARIES]), language, rules, max_chars
        )
    return split or [Cue(start=cue.start, end=cue.end, lines=lines)]

"""Short-form looks drawn from the word timings: pop, spoken-word highlight, keywords.

Each keeps every word readable: a pop group (or a highlight) that would be on
screen for less than its minimum takes the next word with it, and a group is
never shown for less than `min_s`, so nothing flashes. Pop groups are centred
in the frame's safe area (the shape's margins, a platform's UI zones included)
and scale in with a libass \\t transform.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ... import keywords as phrase
from ...captions import Cue, Word
from ...settings.local import KeywordRules, PopTiming, Shape
from .escape import ass as escape

_TOKEN = re.compile(r"\d[\d.,:%]*\d%?|\d%?|[^\W\d_][\w'’\-]*", re.UNICODE)
SENTENCE_END = ".?!…。？！"
_CLAUSE_END = ",;:，、；："
_EPS = 1e-6  # word times are sums of floats; 0.29999... s counts as 0.3 s


def ass_colour(value: str) -> str:
    """&HAABBGGRR (or &HBBGGRR) as the inline tag form &HBBGGRR&."""
    raw = value.removeprefix("&H").rstrip("&").rjust(8, "0")
    return f"&H{raw[2:]}&"


@dataclass(frozen=True)
class Group:
    """Words shown together, and when."""

    start: float
    end: float
    words: list[Word]


def words_of(cue: Cue) -> list[Word]:
    """The cue's recognised words, or its text spread over its time by length (translations)."""
    if cue.words:
        return list(cue.words)
    tokens = " ".join(cue.lines).split()
    if not tokens:
        return []
    if len(tokens) == 1 and len(tokens[0]) > 4 and not any(ch.isascii() for ch in tokens[0]):
        tokens = list(tokens[0])
    total = sum(len(t) for t in tokens)
    span, cursor, out = cue.end - cue.start, cue.start, []
    for token in tokens:
        length = span * len(token) / total
        out.append(Word(text=token, start=cursor, end=cursor + length))
        cursor += length
    return out


def _joiner(cue: Cue) -> str:
    return " " if any(" " in line for line in cue.lines) or len(cue.words) <= 1 else ""


def group_words(words: list[Word], timing: PopTiming, sep: str = " ") -> list[list[Word]]:
    """Consecutive words in groups of at most `max_words`, each long enough to read.

    A group closes when it is full (words or characters), or when it has been
    up `target_s` (or ends a clause) and has been up at least `min_s`.
    """
    groups: list[list[Word]] = []
    current: list[Word] = []
    for k, word in enumerate(words):
        current.append(word)
        nxt = words[k + 1] if k + 1 < len(words) else None
        if nxt is None:
            break
        span = nxt.start - current[0].start + _EPS
        chars = len(sep.join(w.text for w in [*current, nxt]))
        full = len(current) >= timing.max_words or chars > timing.max_chars
        ends_clause = word.text[-1:] in SENTENCE_END + _CLAUSE_END
        if full or (span >= timing.min_s and (span >= timing.target_s or ends_clause)):
            groups.append(current)
            current = []
    if current:
        if groups and _too_short(current, timing) and _fits([*groups[-1], *current], timing, sep):
            groups[-1] += current
        else:
            groups.append(current)
    return groups


def _too_short(group: list[Word], timing: PopTiming) -> bool:
    return group[-1].end - group[0].start + _EPS < timing.min_s


def _fits(group: list[Word], timing: PopTiming, sep: str) -> bool:
    return (
        len(group) <= timing.max_words and len(sep.join(w.text for w in group)) <= timing.max_chars
    )


def pop_groups(cues: list[Cue], timing: PopTiming) -> list[tuple[Group, str]]:
    """Every cue's words in timed groups, with the text each shows; groups never overlap.

    A group stays until the next begins (or `linger_s` after its last word at
    a pause), and at least `min_s`; the next one waits for it if it must.
    """
    raw: list[tuple[list[Word], str]] = []
    for cue in cues:
        sep = _joiner(cue)
        raw += [(g, sep) for g in group_words(words_of(cue), timing, sep)]
    out: list[tuple[Group, str]] = []
    free_from = 0.0
    for k, (words, sep) in enumerate(raw):
        start = max(words[0].start, free_from)
        natural = words[-1].end + timing.linger_s
        if k + 1 < len(raw):
            natural = min(natural, raw[k + 1][0][0].start)
            natural = max(natural, words[-1].end)
        end = max(natural, start + timing.min_s)
        out.append((Group(start=start, end=end, words=words), sep))
        free_from = end
    return out


def pop_text(timing: PopTiming, shape: Shape, position: str, body: str) -> str:
    """Centred in the safe area, scaling in from `scale_from` % over `scale_in_ms`."""
    left, right = shape.left, shape.width - shape.right
    top, bottom = shape.margin_top, shape.height - shape.margin_bottom
    anchor = timing.anchor.get(position, 0.5)
    x, y = round((left + right) / 2), round(top + anchor * (bottom - top))
    grow = ""
    if timing.scale_in_ms:
        s = timing.scale_from
        grow = f"\\fscx{s}\\fscy{s}\\t(0,{timing.scale_in_ms},\\fscx100\\fscy100)"
    return f"{{\\an5\\pos({x},{y}){grow}}}{body}"


def highlight_spans(words: list[Word], min_s: float) -> list[tuple[float, float]]:
    """When each word is lit: from its start to the next word's start.

    Words lit for less than `min_s` share one span with the words after them
    (the last ones with the words before), so the highlight never flickers.
    """
    natural = [
        (w.start, max(w.start, words[k + 1].start if k + 1 < len(words) else w.end))
        for k, w in enumerate(words)
    ]
    groups: list[list[int]] = []
    current: list[int] = []
    for k in range(len(words)):
        current.append(k)
        if natural[current[-1]][1] - natural[current[0]][0] + _EPS >= min_s:
            groups.append(current)
            current = []
    if current:
        if groups:
            groups[-1] += current
        else:
            groups.append(current)
    spans: list[tuple[float, float]] = []
    for group in groups:
        begin, end = natural[group[0]][0], natural[group[-1]][1]
        spans += [(begin, max(end, begin + min_s))] * len(group)
    return spans


def _line_words(cue: Cue, words: list[Word]) -> list[list[Word]] | None:
    """The words on each line, or None when they no longer spell the lines (after an edit)."""
    out: list[list[Word]] = []
    k = 0
    for line in cue.lines:
        target, got, here = "".join(line.split()), "", []
        while k < len(words) and len(got) < len(target):
            got += words[k].text.strip()
            here.append(words[k])
            k += 1
        if got != target:
            return None
        out.append(here)
    return out if k == len(words) else None


def highlight_text(cue: Cue, accent: str, primary: str, min_s: float) -> str | None:
    """The phrase, each word switching to `accent` while it is spoken (\\t at the word's times)."""
    lines = _line_words(cue, list(cue.words))
    if not cue.words or lines is None:
        return None
    spans = iter(highlight_spans(list(cue.words), min_s))
    base = round(cue.start * 100) * 10  # the event starts on a centisecond
    out: list[str] = []
    sep = _joiner(cue)
    for line in lines:
        parts = []
        for word in line:
            on, off = next(spans)
            a, b = max(0, round(on * 1000) - base), max(1, round(off * 1000) - base)
            tags = f"\\1c{primary}\\t({a},{a + 1},\\1c{accent})\\t({b},{b + 1},\\1c{primary})"
            parts.append(f"{{{tags}}}{escape(word.text.strip())}")
        out.append(sep.join(parts))
    return "\\N".join(out)


@dataclass(frozen=True)
class KeywordFinder:
    """Numbers, names and the user's words, found in caption text."""

    rules: KeywordRules
    language: str | None
    user_words: tuple[str, ...]
    automatic: bool

    def spans(self, text: str, sentence_start: bool) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        for word in self.user_words:
            found += [m.span() for m in phrase.pattern(word).finditer(text)]
        if self.automatic:
            found += self._automatic(text, sentence_start)
        return _union(found)

    def _automatic(self, text: str, sentence_start: bool) -> Iterable[tuple[int, int]]:
        lang = (self.language or "en").split("-")[0]
        numbers = {w.lower() for w in self.rules.number_words.get(lang, [])}
        not_names = {w.lower() for w in self.rules.not_names.get(lang, [])}
        for m in _TOKEN.finditer(text):
            token = m.group(0)
            before = text[: m.start()].rstrip()
            starts_sentence = before[-1] in SENTENCE_END if before else sentence_start
            number = any(ch.isdigit() for ch in token) or token.lower() in numbers
            name = (
                token[0].isupper()
                and not starts_sentence
                and token.lower() not in not_names
                and len(token) > 1
            )
            if number or name:
                yield m.span()


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def coloured(text: str, spans: list[tuple[int, int]], accent: str, primary: str) -> str:
    """`text` escaped, with each span drawn in `accent`."""
    out, cursor = [], 0
    for start, end in spans:
        out.append(escape(text[cursor:start]))
        out.append(f"{{\\1c{accent}}}{escape(text[start:end])}{{\\1c{primary}}}")
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out)

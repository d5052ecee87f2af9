"""Cues from word timings: choose cue boundaries by dynamic programming, then time them.

Boundaries minimise a cost that prefers sentence and clause ends and long
pauses, forbids the guide's banned splits and any cue running on past a
sentence end followed by a pause (`sentence_pause_s`: a new scene or
recording), and treats reading-speed and duration limits as near-hard
constraints. A cue may count on the next one coming in up to `max_late_in_s`
after its first word (as the timing allows), at a cost below a dangling end:
on 9:16's short lines and fast speech that is often the only split that
leaves no article or pronoun hanging. Timing then applies linger, minimum
duration, reading speed, the 2-frame gap and gap chaining.
"""

from __future__ import annotations

import itertools
import math

from ...captions import Cue, Word
from ...settings.local import CueRules
from .text import arrange, break_cost, dialogue, display_width, hard_split, join, uses_spaces

_HARD = 1000.0
_LATE = 20.0


def clean_words(words: list[Word], rules: CueRules, max_chars: int) -> list[Word]:
    """Strip text, glue stray punctuation to the word before, split over-long tokens."""
    out: list[Word] = []
    for word in sorted(words, key=lambda w: w.start):
        text = word.text.strip()
        if not text:
            continue
        end = min(max(word.end, word.start), word.start + rules.max_duration_s)
        if out and not any(ch.isalnum() for ch in text):
            prev = out[-1]
            out[-1] = prev.model_copy(update={"text": prev.text + text, "end": max(prev.end, end)})
            continue
        pieces = hard_split(text, max_chars)
        # Time is shared by length, so each piece is spoken at the word's own pace.
        per_char = (end - word.start) / sum(len(p) for p in pieces)
        start = word.start
        for piece in pieces:
            stop = start + per_char * len(piece)
            first = start == word.start
            out.append(
                Word(
                    text=piece,
                    start=start,
                    end=stop,
                    probability=word.probability,
                    turn=word.turn and first,
                )
            )
            start = stop
    return out


class _Planner:
    def __init__(
        self, words: list[Word], language: str, rules: CueRules, fps: float, max_chars: int
    ):
        self.words = words
        self.texts = [w.text for w in words]
        self.language = language
        self.rules = rules
        self.gap = rules.min_gap_frames / fps
        self.max_chars = max_chars

    def layout(self, i: int, j: int) -> tuple[float, list[str]] | None:
        """Lines of words i..j: one dashed line per speaker when the speaker changes inside.

        Such a cue holds whole sentences, so each dash opens a speaker's words.
        """
        turns = [k for k in range(i + 1, j) if self.words[k].turn]
        if not turns:
            return arrange(self.texts[i:j], self.language, self.rules, self.max_chars)
        ends = self.rules.sentence_end
        whole = (i == 0 or self.texts[i - 1][-1] in ends) and (
            j == len(self.words) or self.texts[j - 1][-1] in ends
        )
        if len(turns) >= self.rules.max_lines or not whole:
            return None
        bounds = [i, *turns, j]
        lines = dialogue(
            [self.texts[a:b] for a, b in itertools.pairwise(bounds)], self.language, self.rules
        )
        if any(display_width(line) > self.max_chars for line in lines):
            return None
        return 0.0, lines

    def closes(self, k: int) -> bool:
        """True when a sentence ends at word k and a pause follows: no cue runs on past it."""
        return (
            k + 1 < len(self.words)
            and self.texts[k][-1] in self.rules.sentence_end
            and self.words[k + 1].start - self.words[k].end >= self.rules.sentence_pause_s
        )

    def cost(self, i: int, j: int) -> tuple[float, list[str]] | None:
        rules, words = self.rules, self.words
        if any(self.closes(k) for k in range(i, j - 1)):
            return None
        fitted = self.layout(i, j)
        if fitted is None:
            return None
        layout_cost, lines = fitted
        first, last = words[i], words[j - 1]
        if j - i > 1 and last.end - first.start > rules.max_duration_s:
            return None
        nxt = words[j].start if j < len(words) else math.inf
        ceiling = first.start + rules.max_duration_s
        avail = min(nxt - self.gap, ceiling) - first.start
        chars = len(join(self.texts[i:j], self.language, rules))
        cost = 6.0 + layout_cost
        needed = max(rules.min_duration_s, chars / rules.max_cps)
        if avail < needed:
            # The timing may bring the next cue in up to max_late_in_s after its
            # first word; worth it only to avoid a worse split (a dangling end).
            late = min(nxt + rules.max_late_in_s - self.gap, ceiling) - first.start
            cost += _LATE if late >= needed else _HARD
        elif chars / rules.target_cps > avail:
            cost += (chars / avail - rules.target_cps) * 3
        if j < len(words) and nxt - last.end < rules.split_pause_s and not words[j].turn:
            cost += 2 * break_cost(self.texts[j - 1], self.texts[j], self.language, rules)
        for k in range(i, j - 1):
            if words[k + 1].start - words[k].end >= rules.split_pause_s:
                cost += 30
            if self.texts[k][-1] in rules.sentence_end:
                cost += 3
        return cost, lines

    def plan(self) -> list[tuple[int, int, list[str]]]:
        n = len(self.words)
        empty: list[str] = []
        best = [(0.0, 0, empty)] + [(math.inf, 0, empty)] * n
        # A cue's text joined on one line: separators where lines break are not shown.
        sep = 1 if uses_spaces(self.language, self.rules) else 0
        widest = self.rules.max_lines * self.max_chars + (self.rules.max_lines - 1) * sep
        for j in range(1, n + 1):
            width = -sep
            for i in range(j - 1, -1, -1):
                width += display_width(self.texts[i]) + sep
                if i < j - 1 and width > widest:
                    break
                scored = self.cost(i, j)
                if scored is None:
                    continue
                total = best[i][0] + scored[0]
                if total < best[j][0]:
                    best[j] = (total, i, scored[1])
        spans: list[tuple[int, int, list[str]]] = []
        j = n
        while j > 0:
            _, i, lines = best[j]
            spans.append((i, j, lines))
            j = i
        return spans[::-1]


def build_cues(
    words: list[Word],
    language: str,
    rules: CueRules,
    *,
    fps: float | None = None,
    max_chars: int | None = None,
) -> list[Cue]:
    """Readable cues from recognised words, obeying every limit in `rules`."""
    rate = fps or rules.default_fps
    limit = max_chars or rules.max_chars_per_line
    cleaned = clean_words(words, rules, limit)
    if not cleaned:
        return []
    spans = _Planner(cleaned, language, rules, rate, limit).plan()
    return time_cues(
        [
            Cue(start=cleaned[i].start, end=cleaned[j - 1].end, lines=lines, words=cleaned[i:j])
            for i, j, lines in spans
        ],
        rules,
        rate,
    )


def time_cues(cues: list[Cue], rules: CueRules, fps: float) -> list[Cue]:
    """Set display times from speech times; cue start/end on input are speech start/end.

    The minimum duration and reading speed win over the next cue's in-time:
    when speech is too fast for both, the next cue comes in up to
    `max_late_in_s` after its first word. All times are rounded to whole
    milliseconds here, so the files written later keep the gaps exactly.
    """
    gap_ms = math.ceil(rules.min_gap_frames / fps * 1000)
    chain_ms = round(rules.chain_gap_frames / fps * 1000)
    late_ms = rules.max_late_in_s * 1000
    starts = [round(c.start * 1000) for c in cues]
    out: list[Cue] = []
    previous_end: int | None = None
    for k, cue in enumerate(cues):
        start = starts[k] if previous_end is None else max(starts[k], previous_end + gap_ms)
        chars = len(" ".join(cue.lines))
        speech_end = cue.end * 1000
        needed = start + max(rules.min_duration_s, chars / rules.max_cps) * 1000
        wanted = max(
            speech_end + rules.linger_s * 1000,
            start + rules.min_duration_s * 1000,
            start + chars / rules.target_cps * 1000,
        )
        ceiling = max(speech_end + rules.max_linger_s * 1000, needed)
        limit = start + rules.max_duration_s * 1000
        nxt = starts[k + 1] if k + 1 < len(cues) else None
        if nxt is not None:
            limit = min(limit, max(nxt - gap_ms, min(needed, nxt + late_ms - gap_ms)))
        end = min(math.ceil(min(wanted, ceiling)), math.floor(limit))
        if nxt is not None and nxt - end <= chain_ms:
            end = max(end, min(nxt - gap_ms, math.floor(start + rules.max_duration_s * 1000)))
        end = max(end, start + 1)
        out.append(cue.model_copy(update={"start": start / 1000, "end": end / 1000}))
        previous_end = end
    return out

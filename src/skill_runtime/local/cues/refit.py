"""Re-wrap existing cues to new limits, splitting any that no longer fit.

A narrower frame, a smaller line limit or a longer translation can leave a
cue with more lines than the rules allow; re-wrapping alone would show three
or four lines. Such a cue is cut at line boundaries into cues of at most
`max_lines` lines, its time shared by text width, with the minimum gap kept.
A dialogue cue keeps one dashed line per speaker while each still fits, and
otherwise becomes one cue per speaker.
"""

from __future__ import annotations

import math

from ...captions import Cue
from ...settings.local import CueRules
from .text import dialogue, display_width, join, speaker_lines, tokens, wrap_text


def _pieces(lines: list[str], rules: CueRules) -> list[list[str]]:
    step = rules.max_lines
    return [lines[i : i + step] for i in range(0, len(lines), step)]


def _split(cue: Cue, groups: list[list[str]], rules: CueRules) -> list[Cue]:
    widths = [sum(display_width(line) for line in g) for g in groups]
    span = max(cue.end - cue.start, 0.001 * len(groups))
    gap = math.ceil(rules.min_gap_frames / rules.default_fps * 1000) / 1000
    if gap * (len(groups) - 1) > span / 2:
        gap = 0.0  # too much text for its time: the pieces touch rather than run past the cue
    usable = span - gap * (len(groups) - 1)
    out: list[Cue] = []
    start = cue.start
    for k, (group, width) in enumerate(zip(groups, widths, strict=True)):
        end = cue.end if k == len(groups) - 1 else start + usable * width / sum(widths)
        out.append(Cue(start=round(start, 3), end=round(end, 3), lines=group))
        start = end + gap
    return out


def refit_cues(
    cues: list[Cue], language: str, rules: CueRules, max_chars: int | None = None
) -> list[Cue]:
    limit = max_chars or rules.max_chars_per_line
    out: list[Cue] = []
    for cue in cues:
        speakers = speaker_lines(cue.lines, rules)
        if speakers is not None:
            dashed = dialogue([tokens(s, language, rules) for s in speakers], language, rules)
            if len(dashed) <= rules.max_lines and all(display_width(d) <= limit for d in dashed):
                out.append(cue.model_copy(update={"lines": dashed}))
                continue
            groups = [
                g
                for text in speakers
                for g in _pieces(wrap_text(text, rules, language, max_chars), rules)
            ]
            out.extend(_split(cue, groups, rules))
            continue
        lines = wrap_text(join(cue.lines, language, rules), rules, language, max_chars)
        if len(lines) <= rules.max_lines:
            out.append(cue.model_copy(update={"lines": lines}))
        else:
            groups = [
                wrap_text(join(g, language, rules), rules, language, max_chars)
                for g in _pieces(lines, rules)
            ]
            out.extend(_split(cue, groups, rules))
    return out

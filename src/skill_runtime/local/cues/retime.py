"""Cues from elsewhere brought within the project's cue rules ("fix the timing").

A user's file keeps its timing on import; only when asked are its cues
refitted: too many lines split at line boundaries (`refit`), each cue at
least the minimum duration, and no cue running into the next.
"""

from __future__ import annotations

import math

from ...captions import Cue
from ...settings.local import CueRules
from .refit import refit_cues


def fix_timing(cues: list[Cue], language: str, rules: CueRules) -> list[Cue]:
    """Cues brought within the rules: too many lines split, each at least the minimum duration.

    A short cue is lengthened into the silence after it (then before it), never
    into its neighbour; overlapping cues end where the next begins, less the gap.
    """
    gap = math.ceil(rules.min_gap_frames / rules.default_fps * 1000) / 1000
    least = math.ceil(rules.min_duration_s * 1000) / 1000
    out = [c.model_copy(deep=True) for c in refit_cues(cues, language, rules)]
    for i, cue in enumerate(out):
        after = out[i + 1].start - gap if i + 1 < len(out) else math.inf
        before = out[i - 1].end + gap if i else 0.0
        if cue.end > after:
            cue.end = round(max(after, cue.start + 0.001), 3)
        short = least - (cue.end - cue.start)
        if short > 0:
            cue.end = round(min(after, cue.end + short), 3)
            short = least - (cue.end - cue.start)
        if short > 0:
            cue.start = round(max(before, cue.start - short), 3)
    return out

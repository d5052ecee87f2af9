"""Moving captions in time, always from the recognised times.

A job keeps its cues on the times speech was recognised at and the total
shift as a setting; outputs apply it here. So "-5 s" then "+5 s" gives back
exactly the original cues, even when the first shift pushed some before 0.
"""

from __future__ import annotations

from ...captions import Cue

_SHORTEST_S = 0.5


def shifted(cues: list[Cue], seconds: float) -> list[Cue]:
    """The cues (and word timings) moved by `seconds`; nothing starts before 0."""
    if not seconds:
        return cues
    out: list[Cue] = []
    for cue in cues:
        length = cue.end - cue.start
        start = max(0.0, round(cue.start + seconds, 3))
        end = max(round(cue.end + seconds, 3), round(start + min(length, _SHORTEST_S), 3))
        words = []
        for word in cue.words:
            w_start = max(0.0, round(word.start + seconds, 3))
            w_end = max(w_start, round(word.end + seconds, 3))
            words.append(word.model_copy(update={"start": w_start, "end": w_end}))
        out.append(cue.model_copy(update={"start": start, "end": end, "words": words}))
    return out

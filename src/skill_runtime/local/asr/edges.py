"""Drop words Whisper invents at the edges of speech islands.

Around an isolated phrase Whisper sometimes adds a word nobody said ("Right"
before it, "Yeah, yeah." after it): the decoder keeps going into breath or
room tone. Such text sits at an island's edge (no other speech within
`edge_island_gap_s`, or the start or end of the file), and the recogniser
itself says it is unsure. Two of its own signals decide, so a real but quiet
phrase is kept:

- a short edge segment (at most `edge_max_words`) whose average log-probability
  is below `edge_log_prob` and whose words average below `edge_probability`;
- an island's first or last word with a probability below
  `edge_word_probability` that has no duration or is mostly quiet (under
  `edge_loud_share` of its 10 ms frames louder than the noise floor).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from ...captions import Word
from ...settings.local import RecognitionSettings
from .onsets import FRAME_S, loud_frames


class Segment(NamedTuple):
    """One decoded Whisper segment: its words and the recogniser's confidence in it."""

    words: list[Word]
    avg_logprob: float
    no_speech_prob: float


def _isolated(words: list[Word], k: int, step: int, gap: float) -> bool:
    """True when no word of `words` lies within `gap` s of word k in direction `step`."""
    n = k + step
    if not 0 <= n < len(words):
        return True
    if step > 0:
        return words[n].start - words[k].end >= gap
    return words[k].start - words[n].end >= gap


def _unsure_segment(segment: Segment, settings: RecognitionSettings) -> bool:
    words = segment.words
    return (
        len(words) <= settings.edge_max_words
        and segment.avg_logprob < settings.edge_log_prob
        and float(np.mean([w.probability for w in words])) < settings.edge_probability
    )


def _quiet(word: Word, loud: npt.NDArray[np.bool_] | None, offset_s: float, share: float) -> bool:
    if word.end - word.start < FRAME_S:
        return True
    if loud is None:
        return False
    first = max(0, int((word.start - offset_s) / FRAME_S))
    last = max(first + 1, int((word.end - offset_s) / FRAME_S))
    span = loud[first:last]
    return span.size == 0 or float(span.mean()) < share


def spoken_words(
    segments: list[Segment],
    audio: npt.NDArray[np.float32],
    *,
    sample_rate: int,
    offset_s: float,
    settings: RecognitionSettings,
) -> list[Word]:
    """The segments' words without the ones invented at the edges of speech islands."""
    gap = settings.edge_island_gap_s
    flat = [w for s in segments for w in s.words]
    kept: list[Segment] = []
    seen = 0
    for segment in segments:
        first, last = seen, seen + len(segment.words) - 1
        seen += len(segment.words)
        at_edge = _isolated(flat, first, -1, gap) or _isolated(flat, last, 1, gap)
        if segment.words and not (at_edge and _unsure_segment(segment, settings)):
            kept.append(segment)
    words = [w for s in kept for w in s.words]
    loud = loud_frames(audio, sample_rate, settings.onset_threshold)
    out: list[Word] = []
    for k, word in enumerate(words):
        edge = _isolated(words, k, -1, gap) or _isolated(words, k, 1, gap)
        alone = _isolated(words, k, -1, gap) and _isolated(words, k, 1, gap)
        invented = (
            edge
            and not alone
            and word.probability < settings.edge_word_probability
            and _quiet(word, loud, offset_s, settings.edge_loud_share)
        )
        if not invented:
            out.append(word)
    return out

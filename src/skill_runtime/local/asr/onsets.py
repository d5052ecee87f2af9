"""Put each phrase's first word on the first frame of sound.

Whisper's word times are decoder estimates, and faster-whisper pads VAD
chunks by 400 ms, so a phrase often "starts" while the speaker is still
silent and the caption shows up early. The guide wants the in-time on the
first frame of speech. Frame energy of the audio already in memory finds
that frame: a phrase-initial start moves forward (never back, never past the
word's end, at most `onset_max_shift_s`) to the first frame louder than the
noise floor by `onset_threshold` of the file's speech level.

Whisper also stretches a word back over the pause before it ("way. In" with
"In" timed from the end of "way." to its own sound), which hides the pause
from the cue builder: a sentence end followed by a pause, even the join of two
recordings, then looks like running speech. A word after another whose span
opens with at least `pause_reveal_s` of quiet starts after that quiet.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ...captions import Word
from ...settings.local import RecognitionSettings

FRAME_S = 0.01


def loud_frames(
    audio: npt.NDArray[np.float32], sample_rate: int, share: float
) -> npt.NDArray[np.bool_] | None:
    hop = max(1, int(sample_rate * FRAME_S))
    count = len(audio) // hop
    if count == 0:
        return None
    frames = audio[: count * hop].astype(np.float64).reshape(count, hop)
    rms = np.sqrt((frames**2).mean(axis=1))
    floor, speech = np.percentile(rms, 10), np.percentile(rms, 95)
    if speech <= floor * 2:
        return None  # no clear contrast between silence and speech (music, noise)
    loud: npt.NDArray[np.bool_] = rms > floor + share * (speech - floor)
    return loud


def _after_quiet(loud: npt.NDArray[np.bool_], first: int, last: int, run: int) -> int | None:
    """The first loud frame in [first, last) after a leading quiet stretch of `run` frames."""
    span = loud[first:last]
    if span.size <= run or span[:run].any():
        return None
    hits = np.flatnonzero(span[run:])
    return first + run + int(hits[0]) if hits.size else None


def reveal_pauses(
    words: list[Word],
    loud: npt.NDArray[np.bool_],
    *,
    offset_s: float,
    settings: RecognitionSettings,
) -> list[Word]:
    """Words after the first start after the quiet their span opens with, if long enough."""
    run = max(1, round(settings.pause_reveal_s / FRAME_S))
    out = words[:1]
    for word in words[1:]:
        first = max(0, int((word.start - offset_s) / FRAME_S))
        last = int((word.end - offset_s) / FRAME_S)
        sound = _after_quiet(loud, first, last, run)
        if sound is not None:
            word = word.model_copy(update={"start": round(offset_s + sound * FRAME_S, 3)})
        out.append(word)
    return out


def snap_onsets(
    words: list[Word],
    audio: npt.NDArray[np.float32],
    *,
    sample_rate: int,
    offset_s: float,
    settings: RecognitionSettings,
) -> list[Word]:
    loud = loud_frames(audio, sample_rate, settings.onset_threshold)
    if loud is None:
        return words
    words = reveal_pauses(words, loud, offset_s=offset_s, settings=settings)
    out: list[Word] = []
    previous_end: float | None = None
    for word in words:
        phrase_start = (
            previous_end is None or word.start - previous_end >= settings.onset_phrase_gap_s
        )
        previous_end = word.end
        if phrase_start:
            first = max(0, int((word.start - offset_s) / FRAME_S))
            last = int(
                (min(word.end, word.start + settings.onset_max_shift_s) - offset_s) / FRAME_S
            )
            hits = np.flatnonzero(loud[first : max(first, last)])
            if hits.size and hits[0] > 0:
                start = round(offset_s + (first + int(hits[0])) * FRAME_S, 3)
                word = word.model_copy(update={"start": min(start, word.end)})
        out.append(word)
    return out

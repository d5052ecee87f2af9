"""Where the speaker changes, so a cue holding two speakers can show dialogue dashes.

No diarization model: two cheap signals at sentence boundaries. Text: a
question answered in a few words ("Do you hear me? Yes.") is a turn, and so
is the sentence after such an answer. Sound: after a pause, a voice whose
median pitch or loudness differs clearly from the sentence before is another
speaker. Pitch is the 20th percentile of voiced frames, a speaker's baseline:
emphasis raises a sentence's median by several semitones, the baseline barely
moves, while a change between a man and a woman moves it by 5-9 semitones.
Both are thresholds in skill.yaml.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from ...captions import Word
from ...settings.local import RecognitionSettings

_FRAME_S = 0.04
_HOP_S = 0.02
_F0_RANGE = (70.0, 400.0)
_VOICED = 0.45
_BASELINE = 20


def sentences(words: list[Word], sentence_end: str) -> list[tuple[int, int]]:
    """[start, stop) word ranges of each sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for k, word in enumerate(words):
        if word.text[-1:] in sentence_end or k == len(words) - 1:
            spans.append((start, k + 1))
            start = k + 1
    return spans


def voice(
    audio: npt.NDArray[np.float32], sample_rate: int, start_s: float, end_s: float
) -> tuple[float, float] | None:
    """Baseline pitch (Hz) of voiced frames and median level (dB) of a stretch, or None."""
    size, hop = int(sample_rate * _FRAME_S), int(sample_rate * _HOP_S)
    chunk = audio[max(0, int(start_s * sample_rate)) : max(0, int(end_s * sample_rate))]
    if len(chunk) < size:
        return None
    count = 1 + (len(chunk) - size) // hop
    frames = np.lib.stride_tricks.sliding_window_view(chunk, size)[::hop][:count].astype(np.float64)
    frames = frames - frames.mean(axis=1, keepdims=True)
    rms = np.sqrt((frames**2).mean(axis=1))
    loud = rms > max(1e-4, 0.25 * float(np.percentile(rms, 90)))
    if not loud.any():
        return None
    spectrum = np.fft.rfft(frames[loud] * np.hanning(size), n=2 * size)
    ac = np.fft.irfft(np.abs(spectrum) ** 2)[:, :size]
    lo, hi = int(sample_rate / _F0_RANGE[1]), int(sample_rate / _F0_RANGE[0])
    lags = ac[:, lo:hi] / np.maximum(ac[:, :1], 1e-12)
    best = lags.argmax(axis=1)
    voiced = lags[np.arange(len(best)), best] > _VOICED
    level = 20 * math.log10(float(np.median(rms[loud])) + 1e-9)
    if voiced.sum() < 3:
        return None
    return float(np.percentile(sample_rate / (best[voiced] + lo), _BASELINE)), level


def _acoustic_turn(
    before: tuple[float, float] | None,
    after: tuple[float, float] | None,
    settings: RecognitionSettings,
) -> bool:
    if before is None or after is None:
        return False
    semitones = abs(12 * math.log2(after[0] / before[0]))
    return (
        semitones >= settings.turn_pitch_semitones
        or abs(after[1] - before[1]) >= settings.turn_energy_db
    )


def mark_turns(
    words: list[Word],
    audio: npt.NDArray[np.float32],
    *,
    sample_rate: int,
    offset_s: float,
    sentence_end: str,
    settings: RecognitionSettings,
) -> list[Word]:
    """`words` with `turn` set on the first word of each new speaker's sentence."""
    spans = sentences(words, sentence_end)
    voices = [
        voice(audio, sample_rate, words[a].start - offset_s, words[b - 1].end - offset_s)
        for a, b in spans
    ]
    out = list(words)
    answered = False
    for k in range(1, len(spans)):
        b0, (a1, b1) = spans[k - 1][1], spans[k]
        pause = words[a1].start - words[b0 - 1].end
        short = b1 - a1 <= settings.turn_short_answer_words
        question = words[b0 - 1].text.endswith("?")
        turn = (question and short and not words[b1 - 1].text.endswith("?")) or answered
        answered = turn and question and short
        if not turn and pause >= settings.turn_pause_s:
            turn = _acoustic_turn(voices[k - 1], voices[k], settings)
        if turn:
            out[a1] = out[a1].model_copy(update={"turn": True})
    return out

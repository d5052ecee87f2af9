"""Audio to timed words with faster-whisper, guarded against hallucination.

VAD skips silence, no conditioning on earlier text stops runaway loops, and
two filters drop what still slips through: low-confidence segments (typical of
text invented over silence or music) and n-grams repeated back to back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel

from ...captions import Word
from ...progress import Progress
from ...settings.local import ModelSettings, RecognitionSettings
from ..audio import SAMPLE_RATE
from .edges import Segment, spoken_words
from .pieces import Piece, words_as_written


@dataclass(frozen=True)
class Partial:
    """What recognition has heard so far: speech up to `until_s` (media time), its words on demand.

    Handed out after each segment, so work that needs words (a burn ahead of
    the end) can start before recognition ends; `words` applies the same
    filters the final transcript gets, to the segments so far.
    """

    until_s: float
    language: str
    words: Callable[[], list[Word]]


class Transcript(BaseModel):
    language: str
    language_probability: float
    words: list[Word]


def _norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def collapse_repeats(words: list[Word], keep: int, longest: int = 8) -> list[Word]:
    """Keep at most `keep` back-to-back copies of any phrase of up to `longest` words."""
    out = list(words)
    for n in range(1, longest + 1):
        i = 0
        while i + n * (keep + 1) <= len(out):
            phrase = [_norm(w.text) for w in out[i : i + n]]
            copies = 1
            while [_norm(w.text) for w in out[i + copies * n : i + (copies + 1) * n]] == phrase:
                copies += 1
            if copies > keep and any(phrase):
                del out[i + keep * n : i + copies * n]
            i += 1
    return out


def transcribe(
    model: Any,
    audio: npt.NDArray[np.float32],
    *,
    duration: float,
    language: str | None,
    model_settings: ModelSettings,
    settings: RecognitionSettings,
    progress: Progress,
    offset_s: float = 0.0,
    unspaced_languages: Collection[str] = (),
    heard: Callable[[Partial], None] | None = None,
) -> Transcript:
    """Timed words of `audio`; `unspaced_languages` keep Whisper's word pieces apart.

    `heard`, if given, is called after every decoded segment.
    """
    segments, info = model.transcribe(
        audio,
        language=language,
        task="transcribe",
        beam_size=model_settings.beam_size,
        vad_filter=True,
        vad_parameters={"min_silence_duration_ms": settings.vad_min_silence_ms},
        word_timestamps=True,
        condition_on_previous_text=False,
        no_speech_threshold=settings.no_speech_threshold,
        log_prob_threshold=settings.log_prob_threshold,
        compression_ratio_threshold=settings.compression_ratio_threshold,
        hallucination_silence_threshold=settings.hallucination_silence_s,
    )
    spaced = info.language not in unspaced_languages
    decoded: list[Segment] = []

    def finished(segments: list[Segment]) -> list[Word]:
        words = spoken_words(
            segments, audio, sample_rate=SAMPLE_RATE, offset_s=offset_s, settings=settings
        )
        return collapse_repeats(words, settings.max_ngram_repeats)

    for segment in segments:
        progress.bar("progress/transcribing", segment.end, duration)
        seg_words = words_as_written(
            (Piece(w.word, w.start, w.end, w.probability) for w in segment.words or []),
            spaced=spaced,
            offset_s=offset_s,
        )
        sure = bool(seg_words) and (
            float(np.mean([w.probability for w in seg_words])) >= settings.min_segment_probability
        )
        if sure:
            decoded.append(Segment(seg_words, segment.avg_logprob, segment.no_speech_prob))
        if heard is not None:
            so_far = functools.partial(finished, list(decoded))
            heard(Partial(segment.end + offset_s, info.language, so_far))
    progress.bar("progress/transcribing", duration, duration)
    progress.finish()
    return Transcript(
        language=info.language,
        language_probability=float(info.language_probability),
        words=finished(decoded),
    )

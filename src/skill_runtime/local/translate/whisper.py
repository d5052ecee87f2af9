"""Whisper's own translate task: any spoken language to English, from the audio.

Whisper times its English words itself, so they are not aligned to the source
cues. `partition` assigns them back: contiguous, in order, at least one word
per cue, as close as possible to each cue's time span. That keeps the cue
count, order and timing of the source track exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ...environment import Environment
from ...errors import SkillError
from ...settings.local import LocalSettings
from ...settings.translation import ProviderName
from ..asr import load_model
from ..audio import load_audio
from ..probe import probe
from .base import Job, names

TimedWord = tuple[str, float, float]


def _distance(word: TimedWord, span: tuple[float, float]) -> float:
    middle = (word[1] + word[2]) / 2
    return max(span[0] - middle, 0.0, middle - span[1])


def partition(words: Sequence[TimedWord], spans: Sequence[tuple[float, float]]) -> list[str] | None:
    """Text per span from in-order words, each span non-empty; None with too few words.

    Dynamic programming over (span, word): word i either opens span j or
    extends it, minimising the summed distance of word midpoints from spans.
    """
    n, m = len(spans), len(words)
    if m < n:
        return None
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    opened = [[False] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for j in range(1, n + 1):
        for i in range(j, m - (n - j) + 1):
            here = _distance(words[i - 1], spans[j - 1])
            extend, start = cost[j][i - 1], cost[j - 1][i - 1]
            if start <= extend:
                cost[j][i], opened[j][i] = start + here, True
            else:
                cost[j][i] = extend + here
    texts: list[str] = []
    j, i, current = n, m, []
    while j > 0:
        current.append(words[i - 1][0])
        if opened[j][i]:
            texts.append("".join(reversed(current)).strip())
            current = []
            j -= 1
        i -= 1
    return list(reversed(texts))


class WhisperProvider:
    name: ProviderName = "whisper"

    def __init__(self, settings: LocalSettings, env: Environment, model: str | None = None) -> None:
        self.settings = settings
        self.env = env
        self.model = model

    def supports(self, source: str, target: str, *, audio: Path | None) -> bool:
        return target == "en" and source != "en" and audio is not None

    def _words(self, audio: Path, source: str) -> list[TimedWord]:
        settings = self.settings
        info = probe(audio, settings.media_extensions)
        model: Any = load_model(settings.model, self.model, self.env)
        segments, _ = model.transcribe(
            load_audio(info),
            language=source if source != "und" else None,
            task="translate",
            beam_size=settings.model.beam_size,
            vad_filter=True,
            word_timestamps=True,
            condition_on_previous_text=False,
        )
        offset = info.audio_offset_s
        return [
            (w.word, w.start + offset, w.end + offset)
            for segment in segments
            for w in segment.words or []
            if w.word.strip()
        ]

    def translate(self, job: Job) -> list[str]:
        if not self.supports(job.source, job.target, audio=job.audio):
            raise SkillError("translation_unavailable", provider=self.name, **names(job))
        assert job.audio is not None
        texts = partition(self._words(job.audio, job.source), job.times)
        if texts is None:
            raise SkillError(
                "translation_failed", provider=self.name, reason="empty", detail="", **names(job)
            )
        return texts

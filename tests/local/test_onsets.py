"""A phrase's first word starts on the first frame of sound, not in the silence before it."""

from __future__ import annotations

import numpy as np
import pytest

from skill_runtime.backends.local import LocalBackend
from skill_runtime.captions import Word
from skill_runtime.config import config
from skill_runtime.local.asr.onsets import snap_onsets
from skill_runtime.results import Result

RATE = 16000
SETTINGS = config().local.recognition


def _audio(loud_from: float, loud_to: float, total: float = 3.0) -> np.ndarray:
    """Near-silence with a 220 Hz tone between the two times."""
    t = np.arange(int(total * RATE)) / RATE
    rng = np.random.default_rng(7)
    audio = 0.001 * rng.standard_normal(t.size)
    inside = (t >= loud_from) & (t < loud_to)
    audio[inside] += 0.3 * np.sin(2 * np.pi * 220 * t[inside])
    return audio.astype(np.float32)


def _snap(words: list[Word], audio: np.ndarray, offset: float = 0.0) -> list[Word]:
    return snap_onsets(words, audio, sample_rate=RATE, offset_s=offset, settings=SETTINGS)


def test_an_early_first_word_moves_to_the_sound() -> None:
    [word] = _snap([Word(text="Hello", start=0.6, end=1.5)], _audio(1.0, 2.0))
    assert word.start == pytest.approx(1.0, abs=0.02)
    assert word.end == 1.5


def test_the_audio_start_offset_is_respected() -> None:
    [word] = _snap([Word(text="Hello", start=1.6, end=2.5)], _audio(1.0, 2.0), offset=1.0)
    assert word.start == pytest.approx(2.0, abs=0.02)


def test_a_start_with_no_sound_within_the_allowance_stays() -> None:
    words = [Word(text="Hello", start=0.2, end=1.8)]
    assert 0.2 + SETTINGS.onset_max_shift_s < 1.5
    assert _snap(words, _audio(1.5, 2.0)) == words


def test_words_inside_a_phrase_keep_their_times() -> None:
    words = [Word(text="one", start=1.0, end=1.3), Word(text="two", start=1.35, end=1.7)]
    assert _snap(words, _audio(0.9, 2.0)) == words


def test_without_silence_to_compare_nothing_moves() -> None:
    words = [Word(text="Hello", start=0.6, end=1.5)]
    assert _snap(words, _audio(0.0, 3.0)) == words


# The shared caption run recognises with the real Whisper model.
@pytest.mark.slow
def test_the_first_caption_of_a_real_run_waits_for_the_speech(
    captioned: tuple[Result, LocalBackend],
) -> None:
    result, _ = captioned
    first = min(cues[0]["start"] for cues in result.data["tracks"].values())
    assert first >= 0.45  # the clip's speech starts at 0.5 s

"""Greedy decoding first; only a window the greedy pass is unsure of gets the beam."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local.asr import load_model
from skill_runtime.local.asr.escalate import needs_beam
from skill_runtime.settings.local import LocalSettings

from .conftest import transcribe_file

LOCAL = config().local
RULE = LOCAL.model.escalation
# faster-whisper's own silence rule, as the project passes it (skill.yaml local.recognition).
OPTIONS = SimpleNamespace(
    no_speech_threshold=LOCAL.recognition.no_speech_threshold,
    log_prob_threshold=LOCAL.recognition.log_prob_threshold,
)


def _with_model(**changes: Any) -> LocalSettings:
    return LOCAL.model_copy(update={"model": LOCAL.model.model_copy(update=changes)})


@pytest.mark.parametrize(
    ("avg_logprob", "compression_ratio", "no_speech_prob", "beam"),
    [
        (-0.15, 1.6, 0.05, False),  # clear speech: greedy stands
        (-0.46, 1.2, 0.10, True),  # unsure words: decode again with the beam
        (-0.20, 3.0, 0.05, True),  # text repeating itself
        (-1.50, 1.0, 0.90, False),  # silence faster-whisper drops anyway
        (-1.50, 1.0, 0.10, True),  # speech decoded badly
    ],
)
def test_which_windows_get_the_beam(
    avg_logprob: float, compression_ratio: float, no_speech_prob: float, beam: bool
) -> None:
    assert RULE is not None
    decided = needs_beam(
        RULE,
        avg_logprob=avg_logprob,
        compression_ratio=compression_ratio,
        no_speech_prob=no_speech_prob,
        options=OPTIONS,
    )
    assert decided is beam


def _words(path: Path, settings: LocalSettings) -> tuple[list[str], int, int]:
    """The words of `path`, and how many windows were decoded and re-decoded with the beam."""
    model = load_model(settings.model, None, Environment.read(config()))
    windows, escalated = getattr(model, "windows", 0), getattr(model, "escalated", 0)
    transcript = transcribe_file(model, path, "en", settings)
    return (
        [w.text for w in transcript.words],
        model.windows - windows,
        model.escalated - escalated,
    )


@pytest.mark.slow
def test_an_unsure_window_is_decoded_again_and_matches_the_full_beam(recording: Path) -> None:
    """The Beckett recording is where greedy decoding slips ("Never tried" for "Ever tried")."""
    words, windows, escalated = _words(recording, LOCAL)
    beam, _, _ = _words(recording, _with_model(escalation=None))
    assert windows >= 1 and escalated == windows
    assert words == beam


@pytest.mark.slow
def test_a_confident_window_keeps_the_greedy_words(talk_clip: Path) -> None:
    words, windows, escalated = _words(talk_clip, LOCAL)
    greedy, _, _ = _words(talk_clip, _with_model(beam_size=1))
    assert windows >= 1 and escalated == 0
    assert words == greedy

"""Whisper's translate task: words re-timed onto the source cues, and real Spanish speech."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill_runtime.captions import Cue
from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.errors import SkillError
from skill_runtime.local.sample import make_clip
from skill_runtime.local.translate.service import translate_cues
from skill_runtime.local.translate.whisper import partition

SPANS = [(0.0, 2.0), (2.5, 4.0), (4.5, 6.0)]


def test_words_land_in_the_cue_whose_time_they_fall_in() -> None:
    words = [(" one", 0.2, 0.6), (" two", 1.0, 1.5), (" three", 2.6, 3.0), (" four", 4.6, 5.0)]
    assert partition(words, SPANS) == ["one two", "three", "four"]


def test_every_cue_gets_words_even_when_whisper_timing_drifts() -> None:
    words = [(" one", 0.2, 0.6), (" two", 0.7, 0.9), (" three", 1.0, 1.2), (" four", 1.3, 1.5)]
    texts = partition(words, SPANS)
    assert texts is not None and len(texts) == 3
    assert all(texts)
    assert " ".join(texts) == "one two three four"


def test_fewer_words_than_cues_cannot_be_aligned() -> None:
    assert partition([(" one", 0.2, 0.6)], SPANS) is None


@pytest.fixture(scope="module")
def spanish_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("whisper") / "hola.mp4"
    text = "Buenos días a todos. Hoy vamos a hablar del tiempo en la ciudad."
    return make_clip(out, text, voice="es", size="160x90", lead_s=0.3, tail_s=0.3)


@pytest.mark.slow
def test_spanish_speech_becomes_english_cues_on_the_source_timing(
    spanish_clip: Path,
) -> None:
    source = [
        Cue(start=0.3, end=1.9, lines=["Buenos días a todos."]),
        Cue(start=2.0, end=4.6, lines=["Hoy vamos a hablar del tiempo", "en la ciudad."]),
    ]
    out = translate_cues(
        source,
        "es",
        "en",
        audio=spanish_clip,
        rules=config().local.cues,
        config=config(),
        env=Environment.read(config()),
        provider="whisper",
    )
    assert [(c.start, c.end) for c in out] == [(0.3, 1.9), (2.0, 4.6)]
    english = " ".join(c.text for c in out).lower()
    assert sum(word in english for word in ("good", "morning", "today", "weather", "city")) >= 2


def test_the_translate_task_runs_on_the_model_the_user_chose(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    chosen: list[str | None] = []

    def load_model(settings: object, choice: str | None, env: object) -> None:
        chosen.append(choice)
        raise SkillError("model_missing", model=str(choice), reason="load_failed", detail="")

    monkeypatch.setattr("skill_runtime.local.translate.whisper.load_model", load_model)
    monkeypatch.setattr("skill_runtime.local.translate.whisper.probe", lambda path, ext: None)
    monkeypatch.setattr("skill_runtime.local.translate.whisper.load_audio", lambda info: None)
    cues = [Cue(start=0.0, end=1.0, lines=["hola"])]
    with pytest.raises(SkillError):
        translate_cues(
            cues,
            "es",
            "en",
            audio=tmp_path / "a.wav",
            rules=config().local.cues,
            config=config(),
            env=Environment.read(config()),
            provider="whisper",
            model="small",
        )
    assert chosen == ["small"]

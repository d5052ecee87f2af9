"""A local Ollama server is used when nothing else can translate; only on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from skill_runtime.captions import Cue
from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local.translate import ollama
from skill_runtime.local.translate.service import choose, translate_cues
from skill_runtime.settings.skill import SkillConfig

from .conftest import KEY
from .fake_openai import FakeOpenAI, serve
from .test_service import _job

PROBE = ollama.detect.__wrapped__


@pytest.fixture
def local_ollama(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeOpenAI, SkillConfig]]:
    """The fake endpoint, standing where the configuration looks for Ollama."""
    with serve() as fake:
        root = fake.base_url.removesuffix("/v1")
        settings = config().translation.openai.model_copy(update={"ollama_url": root})
        translation = config().translation.model_copy(update={"openai": settings})
        monkeypatch.setattr("skill_runtime.local.translate.ollama.detect", PROBE)
        yield fake, config().model_copy(update={"translation": translation})


def test_a_local_ollama_translates_when_nothing_else_can(
    local_ollama: tuple[FakeOpenAI, SkillConfig], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, cfg = local_ollama
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    cues = [Cue(start=0.0, end=1.5, lines=["hello world"])]
    out = translate_cues(
        cues, "en", "es", audio=None, rules=cfg.local.cues, config=cfg, env=Environment.read(cfg)
    )
    assert out[0].text == "hola mundo"
    (sent,) = fake.requests
    assert sent.body["model"] == "fake-llm"
    assert "Authorization" not in sent.headers


def test_it_comes_after_whisper_for_english(
    local_ollama: tuple[FakeOpenAI, SkillConfig],
) -> None:
    _, cfg = local_ollama
    names = [
        p.name for p in choose(_job("de", "en", audio=Path("talk.mp4")), cfg, Environment.read(cfg))
    ]
    assert names == ["whisper", "ollama"]


@pytest.mark.parametrize("url", ["http://192.168.1.20:11434", "https://ollama.example.com"])
def test_only_loopback_is_ever_probed(url: str) -> None:
    assert PROBE(url, "AI_SUBTITLES_TRANSLATION_MODEL", 0.2) is None

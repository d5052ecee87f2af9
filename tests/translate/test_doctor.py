"""`doctor` names the translation pairs that work now and how to add others."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local.translate.doctor import translation_check
from skill_runtime.local.translate.setup import install_pair
from skill_runtime.progress import Progress

from .argos_pack import build_pack, serve_index


def test_with_nothing_installed_it_says_how_to_add_a_pair() -> None:
    check = translation_check(config().translation, Environment.read(config()))
    assert not check.ok and not check.required
    assert "ai-subtitles setup --translation en-es" in check.detail
    assert "any spoken language → English with Whisper" in check.detail


def test_installed_packs_and_a_named_endpoint_are_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve_index(tmp_path) as index:
        index.offer("en", "es", build_pack(tmp_path, "en", "es", {"hello": "hola"}))
        monkeypatch.setenv("AI_SUBTITLES_ARGOS_INDEX", index.url)
        install_pair(
            "en-es", config().translation, Progress(quiet=True), Environment.read(config())
        )
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    check = translation_check(config().translation, Environment.read(config()))
    assert check.ok
    assert "offline packs en→es" in check.detail
    assert "OpenAI-compatible endpoint (127.0.0.1:11434)" in check.detail

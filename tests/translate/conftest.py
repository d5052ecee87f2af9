from __future__ import annotations

from pathlib import Path

import pytest

KEY = "sk-test-0123456789abcdef"


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No translator configured unless a test says so; state in a temporary home."""
    monkeypatch.setenv("AI_SUBTITLES_HOME", str(tmp_path / "home"))
    for name in (
        "OPENAI_BASE_URL",
        "OPENAI_API_KEY",
        "AI_SUBTITLES_TRANSLATOR",
        "AI_SUBTITLES_TRANSLATION_MODEL",
        "AI_SUBTITLES_GLOSSARY",
    ):
        monkeypatch.delenv(name, raising=False)
    # An Ollama server that happens to run on this machine must not change the outcome.
    monkeypatch.setattr(
        "skill_runtime.local.translate.ollama.detect", lambda url, wanted, timeout_s: None
    )

from __future__ import annotations

from pathlib import Path

import pytest

from skill_runtime.config import config
from skill_runtime.settings.skill import SkillConfig


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("AI_SUBTITLES_HOME", str(home))
    return home


@pytest.fixture
def cfg() -> SkillConfig:
    return config()

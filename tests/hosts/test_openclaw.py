"""The real OpenClaw client loads the skill folder and offers its uv installer.

Runs only where `openclaw` (npm package, Node 24+) is on PATH; CI has none, so
it skips there with the reason. The full install (OpenClaw's own uv installer
with UV_FIND_LINKS at a built wheel, then `ai-subtitles` through OpenClaw's
exec tool) is recorded in the issue-9 report.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from skill_runtime.manifest import manifest

ROOT = Path(__file__).resolve().parents[2]
OPENCLAW = shutil.which("openclaw")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(OPENCLAW is None, reason="no openclaw client (npm, Node 24+) on PATH"),
]


def _openclaw(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    assert OPENCLAW is not None
    env = {**os.environ, "HOME": str(home)}
    return subprocess.run(
        [OPENCLAW, *args], capture_output=True, text=True, env=env, timeout=300, check=True
    )


def test_openclaw_installs_the_skill_and_offers_the_uv_installer(tmp_path: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    skill = tmp_path / "src" / manifest().name
    for name in files:
        (skill / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, skill / name)
    home = tmp_path / "home"
    home.mkdir()

    _openclaw("skills", "install", str(skill), home=home)
    info = json.loads(_openclaw("skills", "info", manifest().name, "--json", home=home).stdout)

    assert info["description"] == manifest().description
    assert info["requirements"]["bins"] == ["ai-subtitles"]
    assert info["install"] == [
        {
            "id": "uv",
            "kind": "uv",
            "label": "Install the ai-subtitles CLI (uv)",
            "bins": ["ai-subtitles"],
        }
    ]
    if shutil.which("ai-subtitles", path=os.environ.get("PATH")) is None:
        assert info["eligible"] is False
        assert info["missing"]["bins"] == ["ai-subtitles"]

"""X-Skill-Platform comes from where the skill is installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill_runtime.platform import attribution_headers, detect_platform

LAYOUTS = [
    # (install folder relative to a fake home or root, expected platform)
    ("home/.clawhub/skills/ai-subtitles-for-video", "clawhub"),
    ("home/.openclaw/skills/ai-subtitles-for-video", "clawhub"),
    ("home/.openclaw/workspace/skills/ai-subtitles-for-video", "clawhub"),
    ("home/.cursor/skills/ai-subtitles-for-video", "cursor"),
    ("projects/app/.cursor/skills/ai-subtitles-for-video", "cursor"),
    ("home/.claude/skills/ai-subtitles-for-video", "unknown"),
    ("projects/app/skills/ai-subtitles-for-video", "unknown"),
]


@pytest.mark.parametrize(("folder", "expected"), LAYOUTS)
def test_install_path(tmp_path: Path, folder: str, expected: str) -> None:
    install = tmp_path / folder
    install.mkdir(parents=True)
    assert detect_platform(install, home=tmp_path / "home") == expected


def test_clawhub_origin_file_marks_any_folder(tmp_path: Path) -> None:
    install = tmp_path / "anywhere" / "ai-subtitles-for-video"
    (install / ".clawhub").mkdir(parents=True)
    (install / ".clawhub" / "origin.json").write_text("{}")
    assert detect_platform(install, home=tmp_path / "home") == "clawhub"


def test_openclaw_workspace_skills_folder(tmp_path: Path) -> None:
    workspace = tmp_path / "work"
    install = workspace / "skills" / "ai-subtitles-for-video"
    install.mkdir(parents=True)
    (workspace / "AGENTS.md").write_text("# agents")
    assert detect_platform(install, home=tmp_path / "home") == "clawhub"


def test_attribution_headers() -> None:
    assert attribution_headers("1.2.3", "cursor") == {
        "X-Skill-Source": "ai-subtitles-for-video",
        "X-Skill-Version": "1.2.3",
        "X-Skill-Platform": "cursor",
    }

"""The agent host comes from what it sets in the environment, then from the install folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.errors import SkillError
from skill_runtime.platform import attribution_headers, detect_host

# What each host puts in the environment of the commands it runs (see skill.yaml `hosts`).
ENVIRONMENTS = [
    ({"OPENCLAW_SHELL": "exec"}, "openclaw", "clawhub"),
    ({"OPENCLAW_SHELL": "tui-local"}, "openclaw", "clawhub"),
    ({"OPENCLAW_CLI": "1"}, "openclaw", "clawhub"),
    ({"CLAUDECODE": "1", "CLAUDE_CODE_ENTRYPOINT": "cli"}, "claude-code", "unknown"),
    ({"CURSOR_AGENT": "1"}, "cursor", "cursor"),
    ({"CURSOR_EXTENSION_HOST_ROLE": "agent-exec"}, "cursor", "cursor"),
    # A person's own Cursor terminal is not the agent.
    ({"CURSOR_TRACE_ID": "abc", "TERM_PROGRAM": "vscode"}, "unknown", "unknown"),
    ({"CLAUDECODE": "0"}, "unknown", "unknown"),
    ({}, "unknown", "unknown"),
    # The override wins over markers, in any letter case.
    ({"AI_SUBTITLES_PLATFORM": "Cursor", "OPENCLAW_SHELL": "exec"}, "cursor", "cursor"),
    ({"AI_SUBTITLES_PLATFORM": "unknown", "CLAUDECODE": "1"}, "unknown", "unknown"),
]


@pytest.mark.parametrize(("environ", "name", "header"), ENVIRONMENTS)
def test_host_from_environment(
    tmp_path: Path, environ: dict[str, str], name: str, header: str
) -> None:
    host = detect_host(
        config().hosts,
        Environment.read(config(), environ),
        install_dir=tmp_path,
        home=tmp_path / "home",
    )
    assert (host.rule.name, host.header) == (name, header)


def test_an_unknown_override_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SkillError) as caught:
        detect_host(
            config().hosts,
            Environment.read(config(), {"AI_SUBTITLES_PLATFORM": "vscode"}),
            install_dir=tmp_path,
        )
    assert caught.value.code == "platform_unknown"
    assert config().exit_status("platform_unknown") == 2


LAYOUTS = [
    # (install folder relative to a fake home or root, expected host)
    ("home/.clawhub/skills/ai-subtitles-for-video", "openclaw"),
    ("home/.openclaw/skills/ai-subtitles-for-video", "openclaw"),
    ("home/.openclaw/workspace/skills/ai-subtitles-for-video", "openclaw"),
    ("home/.cursor/skills/ai-subtitles-for-video", "cursor"),
    ("projects/app/.cursor/skills/ai-subtitles-for-video", "cursor"),
    ("home/.claude/skills/ai-subtitles-for-video", "unknown"),
    ("projects/app/skills/ai-subtitles-for-video", "unknown"),
]


@pytest.mark.parametrize(("folder", "expected"), LAYOUTS)
def test_install_path_without_markers(tmp_path: Path, folder: str, expected: str) -> None:
    install = tmp_path / folder
    install.mkdir(parents=True)
    host = detect_host(
        config().hosts, Environment.read(config(), {}), install_dir=install, home=tmp_path / "home"
    )
    assert host.rule.name == expected


def test_clawhub_origin_file_marks_any_folder(tmp_path: Path) -> None:
    install = tmp_path / "anywhere" / "ai-subtitles-for-video"
    (install / ".clawhub").mkdir(parents=True)
    (install / ".clawhub" / "origin.json").write_text("{}")
    host = detect_host(
        config().hosts, Environment.read(config(), {}), install_dir=install, home=tmp_path / "home"
    )
    assert (host.rule.name, host.found_by) == ("openclaw", "install path")


def test_openclaw_workspace_skills_folder(tmp_path: Path) -> None:
    workspace = tmp_path / "work"
    install = workspace / "skills" / "ai-subtitles-for-video"
    install.mkdir(parents=True)
    (workspace / "AGENTS.md").write_text("# agents")
    host = detect_host(
        config().hosts, Environment.read(config(), {}), install_dir=install, home=tmp_path / "home"
    )
    assert host.rule.name == "openclaw"


def test_attribution_headers() -> None:
    assert attribution_headers("1.2.3", "cursor") == {
        "X-Skill-Source": "ai-subtitles-for-video",
        "X-Skill-Version": "1.2.3",
        "X-Skill-Platform": "cursor",
    }

"""doctor's host line and its line on how the `ai-subtitles` command was found."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.messages import render
from skill_runtime.platform import command_found, detect_host


@pytest.mark.parametrize(
    ("environ", "says", "never"),
    [
        ({"CLAUDECODE": "1"}, "no attribution value for Claude Code", "X-Skill-Platform"),
        ({"OPENCLAW_SHELL": "exec"}, "X-Skill-Platform: clawhub", "no attribution value"),
        ({}, "no agent host found", "X-Skill-Platform"),
    ],
)
def test_the_host_line_says_plainly_what_is_sent(
    tmp_path: Path, environ: dict[str, str], says: str, never: str
) -> None:
    host = detect_host(
        config().hosts,
        Environment.read(config(), environ),
        install_dir=tmp_path,
        home=tmp_path / "home",
    )
    line = render("doctor_host", host=host)
    assert says in line and never not in line


def _script(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "ai-subtitles"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    return script


def test_a_link_on_path_to_the_running_script_is_the_same_command(tmp_path: Path) -> None:
    script = _script(tmp_path / "venv" / "bin")
    (tmp_path / "bin").mkdir()
    os.symlink(script, tmp_path / "bin" / "ai-subtitles")
    found = command_found(str(script), sys.executable, path=str(tmp_path / "bin"))
    assert (found.on_path, found.target, found.same) == (
        str(tmp_path / "bin" / "ai-subtitles"),
        str(script.resolve()),
        True,
    )
    assert "is on PATH" in render("doctor_command", command=found)


def test_another_copy_on_path_is_named(tmp_path: Path) -> None:
    running = _script(tmp_path / "a")
    other = _script(tmp_path / "b")
    found = command_found(str(running), sys.executable, path=str(other.parent))
    assert not found.same
    assert "another copy" in render("doctor_command", command=found)


def test_a_command_off_path_says_how_to_link_it(tmp_path: Path) -> None:
    running = _script(tmp_path / "venv" / "bin")
    found = command_found(str(running), sys.executable, path=str(tmp_path / "empty"))
    line = render("doctor_command", command=found)
    assert found.on_path is None
    assert "not on PATH" in line and str(running.resolve()) in line and "install.sh" in line


def test_python_dash_m_from_the_same_environment_is_the_same_install(tmp_path: Path) -> None:
    bin_dir = tmp_path / "venv" / "bin"
    _script(bin_dir)
    found = command_found("/x/skill_runtime/__main__.py", str(bin_dir / "python"), str(bin_dir))
    assert found.same and found.running == f"{bin_dir / 'python'} -m skill_runtime"

"""install.sh's linking: the command lands in a folder on PATH, or the answer says it is not.

A stand-in `uv` (on PATH first) "installs" a script, so only install.sh's own logic
runs; the full install without uv was checked on a fresh Debian 12 root (see the
issue 26 report), too slow and networked for the suite.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FAKE_UV = """#!/bin/sh
if [ "$1 $2" = "tool dir" ]; then echo "$UV_BIN"; exit 0; fi
mkdir -p "$UV_BIN"
printf '#!/bin/sh\\necho "ai-subtitles 9.9.9"\\n' > "$UV_BIN/ai-subtitles"
chmod +x "$UV_BIN/ai-subtitles"
echo "$*" > "$UV_BIN/uv-args"
"""


def _install(tmp_path: Path, path_dirs: list[Path]) -> subprocess.CompletedProcess[str]:
    tools = tmp_path / "tools"
    tools.mkdir(exist_ok=True)
    (tools / "uv").write_text(FAKE_UV)
    (tools / "uv").chmod(0o755)
    path = os.pathsep.join([str(tools), *map(str, path_dirs), "/usr/bin", "/bin"])
    env = {"HOME": str(tmp_path / "home"), "PATH": path, "UV_BIN": str(tmp_path / "uvbin")}
    return subprocess.run(
        ["sh", str(ROOT / "install.sh")], env=env, capture_output=True, text=True, timeout=60
    )


def test_uv_installs_this_folder_and_the_command_is_linked_onto_path(tmp_path: Path) -> None:
    local_bin = tmp_path / "home" / ".local" / "bin"
    done = _install(tmp_path, [local_bin])
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "uvbin" / "uv-args").read_text().split() == [
        "tool", "install", "--force", f"{ROOT}[local]",
    ]  # fmt: skip
    assert (local_bin / "ai-subtitles").resolve() == tmp_path / "uvbin" / "ai-subtitles"
    assert "ai-subtitles 9.9.9" in done.stdout
    assert "not on PATH" not in done.stdout


def test_a_folder_off_path_gets_a_clear_line(tmp_path: Path) -> None:
    done = _install(tmp_path, [])
    assert done.returncode == 0, done.stderr
    local_bin = tmp_path / "home" / ".local" / "bin"
    assert (local_bin / "ai-subtitles").is_symlink()
    assert f"{local_bin} is not on PATH: run the CLI as {local_bin}/ai-subtitles" in done.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_an_unwritable_folder_on_path_is_passed_over(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    done = _install(tmp_path, [locked])
    assert done.returncode == 0, done.stderr
    assert not (locked / "ai-subtitles").exists()

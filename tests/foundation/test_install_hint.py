"""Install hints name a command that works where this copy of the CLI runs."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from skill_runtime import install_hint, launcher
from skill_runtime.config import config
from skill_runtime.messages import render

PY = shlex.quote(sys.executable)
SPEC = "'ai-subtitles-for-video[local]'"

CASES = [
    # (uv tool env, source folder, editable, externally managed, has pip, expected)
    (True, None, False, False, False, f"uv tool install --reinstall {SPEC}"),
    (True, "/src/subs", False, False, False, "uv tool install --reinstall '/src/subs[local]'"),
    (False, None, False, False, True, f"{PY} -m pip install {SPEC}"),
    (False, None, False, False, False, f"uv pip install --python {PY} {SPEC}"),
    (False, "/src/ai subs", True, False, True, f"{PY} -m pip install -e '/src/ai subs[local]'"),
    (False, "/src/ai-subs", False, False, True, f"{PY} -m pip install '/src/ai-subs[local]'"),
    (False, None, False, True, True, f"uv tool install {SPEC}"),
    (
        False, "/src/ai-subs", False, True, True,
        "uv tool install 'ai-subtitles-for-video[local] @ file:///src/ai-subs'",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("uv_tool", "source", "editable", "managed", "pip", "expected"), CASES)
def test_install_command_for_each_kind_of_install(
    monkeypatch: pytest.MonkeyPatch,
    uv_tool: bool,
    source: str | None,
    editable: bool,
    managed: bool,
    pip: bool,
    expected: str,
) -> None:
    monkeypatch.setattr(install_hint, "_in_uv_tool", lambda: uv_tool)
    folder = (Path(source), editable) if source else None
    monkeypatch.setattr(install_hint, "_source_folder", lambda: folder)
    monkeypatch.setattr(install_hint, "_externally_managed", lambda: managed)
    monkeypatch.setattr(install_hint, "find_spec", lambda name: object() if pip else None)
    assert install_hint.install_command() == expected


@pytest.mark.parametrize(
    ("template", "context"),
    [
        ("errors/backend_missing", {"backend": "local", "missing": "faster_whisper"}),
        ("errors/ffmpeg_missing", {"tried": []}),
        ("errors/font_missing", {"family": "Noto Sans", "packages": ["x"], "chars": ""}),
        ("local/doctor_no_ffmpeg", {}),
        ("local/doctor_no_font", {}),
    ],
)
def test_missing_pieces_name_the_install_command(template: str, context: dict[str, object]) -> None:
    text = render(template, **context)
    assert install_hint.install_command() in text
    assert 'pip install "ai-subtitles-for-video' not in text  # the bare form PEP 668 refuses


def test_the_printed_command_is_valid_shell() -> None:
    out = subprocess.run(
        ["bash", "-n", "-c", install_hint.install_command()], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr


def test_unsupported_python_gets_one_line_and_exit_4(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "version_info", (3, 9, 2, "final", 0))
    assert launcher.main() == config().exit_codes["unavailable"] == 4
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "Python 3.9.2" in err
    assert 'uv tool install --python 3.12 "ai-subtitles-for-video[local]"' in err


def test_supported_python_runs_the_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["ai-subtitles", "--version"])
    with pytest.raises(SystemExit) as done:
        launcher.main()
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("ai-subtitles ")

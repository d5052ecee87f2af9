"""The publishable skill bundle: what .clawhubignore keeps, within the stores' caps, valid."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_bundle", ROOT / "scripts" / "build_bundle.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bundle_is_what_the_agent_reads_and_no_source() -> None:
    names = {str(p) for p in _script().bundle_files()}
    assert names == {"SKILL.md", "LICENSE", "skill.yaml", "install.sh"}


def test_without_git_the_bundle_is_the_same_files(monkeypatch: pytest.MonkeyPatch) -> None:
    script = _script()

    def no_git(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError("git")

    monkeypatch.setattr(script.subprocess, "run", no_git)
    names = {str(p) for p in script.bundle_files()}
    assert names == {"SKILL.md", "LICENSE", "skill.yaml", "install.sh"}


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({f"p{i}.j2": "x" for i in range(41)}, "41 files, more than 40"),
        ({"big.txt": "x" * (8 * 1024 * 1024 + 1)}, "more than 8388608"),
        ({"logo.png": b"\x89PNG\r\n\x1a\n\xff\xfe"}, "logo.png is not text"),
    ],
)
def test_a_bundle_over_a_cap_is_refused(
    tmp_path: Path, files: dict[str, str | bytes], expected: str
) -> None:
    for name, body in files.items():
        path = tmp_path / name
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding="utf-8")
    assert any(expected in p for p in _script().problems(tmp_path))


@pytest.mark.slow
def test_the_built_bundle_passes_the_caps_and_agentskills_validate(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_bundle.py"), str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    print(built.stdout.strip())  # the file count and size, for the record (pytest -s)
    found = re.search(r": (\d+) files, (\d+) bytes", built.stdout)
    assert found is not None
    count, size = int(found.group(1)), int(found.group(2))
    assert 0 < count <= 40 and size < 8 * 1024 * 1024
    folder = tmp_path / "ai-subtitles-for-video"
    validate = Path(sys.executable).parent / "agentskills"
    checked = subprocess.run(
        [str(validate), "validate", str(folder)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Valid skill" in checked.stdout

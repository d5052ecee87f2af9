"""Hostile input through the real CLI in separate processes, and a tally of what held.

Every test here is one attack; the summary line at the end of the run says how
many were tried, how many held, and how many could not run here (with why).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from skill_runtime.local.sample import make_clip

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emulator import Emulator, EmulatorState

SRC = Path(__file__).resolve().parents[2] / "src"


@dataclass
class Tally:
    held: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


TALLY = Tally()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "tests/hostile/" not in report.nodeid.replace(os.sep, "/"):
        return
    if report.skipped and report.when in ("setup", "call"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else "skipped"
        TALLY.skipped.append(f"{report.nodeid.split('::')[-1]} ({reason})")
    elif report.when == "call":
        (TALLY.held if report.passed else TALLY.failed).append(report.nodeid)
    elif report.failed:
        TALLY.failed.append(report.nodeid)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    tried = len(TALLY.held) + len(TALLY.failed)
    if not tried and not TALLY.skipped:
        return
    terminalreporter.write_line(
        f"hostile inputs: {tried} tried, {len(TALLY.held)} held, "
        f"{len(TALLY.failed)} broke, {len(TALLY.skipped)} could not run here"
    )
    for line in TALLY.skipped:
        terminalreporter.write_line(f"  not run: {line}")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def media(self) -> list[Path]:
        return [Path(x[7:]) for x in self.stdout.splitlines() if x.startswith("MEDIA: ")]


def cli(
    *args: str | Path,
    home: Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> Run:
    """`ai-subtitles ARGS` in its own process, with its own state folder."""
    full = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "AI_SUBTITLES_HOME": str(home),
        **(env or {}),
    }
    full.pop("AI_SUBTITLES_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "skill_runtime", *map(str, args)],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def held(run: Run, code: int) -> None:
    """The documented exit, no traceback, and every MEDIA line a real file."""
    assert run.code == code, (run.code, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr + run.stdout
    for path in run.media:
        assert path.is_file(), path


@pytest.fixture(scope="session")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="session")
def talk(hostile_root: Path) -> Path:
    """A short spoken clip with a long silent tail (Whisper's cost does not grow with it,
    an encode's does), so a signal can arrive mid-encode."""
    return make_clip(
        hostile_root / "clips" / "talk.mp4",
        "Hello there. This is a test.",
        size="320x180",
        pattern="color=c=0x2050a0",
        tail_s=5.0,
    )


@pytest.fixture(scope="session")
def model_home(hostile_root: Path, talk: Path) -> tuple[Path, Run]:
    """One real caption run; its state folder (with the assembled model) seeds the others."""
    home = hostile_root / "model-home"
    run = cli("caption", talk, "--out", hostile_root / "first-out", "--quiet", home=home)
    held(run, 0)
    return home, run


@pytest.fixture
def fresh_home(tmp_path: Path, model_home: tuple[Path, Run]) -> Path:
    """A state folder of its own that shares the assembled model."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "models").symlink_to(model_home[0] / "models", target_is_directory=True)
    return home


@pytest.fixture
def captioned_home(tmp_path: Path, model_home: tuple[Path, Run]) -> Path:
    """A state folder holding the captioned session of `talk` (export needs no recognition)."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "models").symlink_to(model_home[0] / "models", target_is_directory=True)
    session = model_home[0] / "local_jobs.json"
    (home / "local_jobs.json").write_bytes(session.read_bytes())
    return home


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    server = Emulator(EmulatorState(no_text_rate=0.0)).start()
    yield server
    server.stop()


def can_mount() -> str | None:
    """Why a tmpfs cannot be mounted here, or None when it can."""
    if sys.platform != "linux" or os.geteuid() != 0:
        return "mounting a tmpfs needs root on Linux"
    return None

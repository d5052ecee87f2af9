"""A fresh emulator per test, and a cloud backend pointed at it."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emulator import Emulator, EmulatorState
from skill_runtime.backends.cloud import CloudBackend
from skill_runtime.config import config
from skill_runtime.context import Context
from skill_runtime.environment import Environment
from skill_runtime.progress import Progress
from skill_runtime.store import Store


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    server = Emulator(EmulatorState(no_text_rate=0.0)).start()
    yield server
    server.stop()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulator: Emulator) -> Path:
    root = tmp_path / "home"
    monkeypatch.setenv("AI_SUBTITLES_HOME", str(root))
    monkeypatch.setenv("NEMO_API_BASE", emulator.url)
    monkeypatch.setenv("NEMO_POLL_INTERVAL_S", "0.01")
    monkeypatch.setenv("NEMO_RETRY_AFTER_S", "0.01")
    monkeypatch.delenv("NEMO_TOKEN", raising=False)
    return root


class Harness:
    def __init__(self, home: Path, out: Path) -> None:
        self.stderr = io.StringIO()
        self.ctx = Context(
            config=config(),
            store=Store(home),
            out_dir=out,
            progress=Progress(stream=self.stderr),
            version="1.0.0",
            platform="unknown",
            env=Environment.read(config()),
            language="en",
        )
        self.sleeps: list[float] = []

    def backend(self) -> CloudBackend:
        # Each backend is a new run: it sees the variables the test has set by now.
        self.ctx.env = Environment.read(config())
        return CloudBackend(self.ctx, sleep=self.sleeps.append)


@pytest.fixture
def harness(home: Path, tmp_path: Path) -> Harness:
    return Harness(home, tmp_path / "out")


@pytest.fixture
def video(tmp_path: Path) -> Path:
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x01" * 200_000)
    return path

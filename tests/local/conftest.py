"""Shared, expensive things built once: a store home with the assembled model,
short spoken clips, and one full caption run that several tests inspect."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from skill_runtime.backends.local import LocalBackend
from skill_runtime.config import config
from skill_runtime.context import CaptionRequest, Context
from skill_runtime.environment import Environment
from skill_runtime.local.asr import Transcript, transcribe
from skill_runtime.local.audio import load_audio
from skill_runtime.local.probe import probe
from skill_runtime.local.sample import make_clip
from skill_runtime.progress import Progress
from skill_runtime.results import Result
from skill_runtime.settings.local import LocalSettings
from skill_runtime.store import Store

SPEECH = (
    "Good morning everyone. Today we will learn how to cook fresh pasta at home. "
    "First, mix the flour with three eggs, then knead the dough for ten minutes."
)
BACKGROUND = "color=c=0x2050a0"
BACKGROUND_RGB = (0x20, 0x50, 0xA0)
FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture(scope="session")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One store home for the local suite, so the model is assembled once."""
    root = tmp_path_factory.mktemp("home")
    before = os.environ.get("AI_SUBTITLES_HOME")
    os.environ["AI_SUBTITLES_HOME"] = str(root)
    yield root
    if before is None:
        os.environ.pop("AI_SUBTITLES_HOME", None)
    else:
        os.environ["AI_SUBTITLES_HOME"] = before


@pytest.fixture(autouse=True)
def isolated_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AI_SUBTITLES_HOME", str(home))
    monkeypatch.delenv("AI_SUBTITLES_MODEL", raising=False)
    return home


def make_ctx(home: Path, out_dir: Path) -> Context:
    return Context(
        config=config(),
        store=Store(home / f"store-{out_dir.name}"),
        out_dir=out_dir,
        progress=Progress(quiet=True),
        version="test",
        platform="test",
        env=Environment.read(config()),
    )


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("clips")


# Every character that breaks a naive ffmpeg filter string, plus non-ASCII.
AWKWARD_NAME = "my talk, [take 2]: it's 'café' 字幕.mp4"


@pytest.fixture(scope="session")
def talk_clip(clips: Path) -> Path:
    """About 11 s (2.5 s of silence at the end) of espeak speech over a flat colour, 320x180."""
    return make_clip(clips / AWKWARD_NAME, SPEECH, size="320x180", pattern=BACKGROUND, tail_s=2.5)


@pytest.fixture(scope="session")
def captioned(
    home: Path, talk_clip: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Result, LocalBackend]:
    """One full burn-in run through the backend, inspected by several tests."""
    backend = LocalBackend(make_ctx(home, tmp_path_factory.mktemp("out")))
    return backend.caption(CaptionRequest(path=talk_clip)), backend


@pytest.fixture(scope="session")
def recording() -> Path:
    """A real human recording (Beckett quote), shipped in tests/fixtures with its licence."""
    return FIXTURES / "beckett.wav"


def transcribe_file(
    model: Any, path: Path, language: str | None, settings: LocalSettings | None = None
) -> Transcript:
    """What recognition makes of a media file, with skill.yaml's settings unless given."""
    chosen = settings or config().local
    info = probe(path, chosen.media_extensions)
    return transcribe(
        model,
        load_audio(info),
        duration=info.duration,
        language=language,
        model_settings=chosen.model,
        settings=chosen.recognition,
        progress=Progress(quiet=True),
    )


def frame_at(path: Path, t: float) -> np.ndarray:
    """RGB frame shown at time t (first frame whose timestamp reaches t)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            if frame.time is not None and frame.time >= t:
                return frame.to_ndarray(format="rgb24")
    raise AssertionError(f"no frame at {t}s in {path}")

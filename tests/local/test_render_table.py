"""Every value skill.yaml names renders: each colour, position, style and frame preset is
burned into a short clip and the pixels where the captions are carry it."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from skill_runtime.captions import CaptionSettings, Cue
from skill_runtime.config import config
from skill_runtime.local import pipeline
from skill_runtime.local.probe import probe
from skill_runtime.local.render.ffmpeg import locate
from skill_runtime.local.session import CaptionJob

from .conftest import frame_at, make_ctx

# Each case burns captions into a clip with ffmpeg.
pytestmark = pytest.mark.slow

GREY = 0x80
CUE = Cue(start=0.2, end=0.9, lines=["Hello there"])
COLORS = config().edits.colors
# Big enough that a glyph stroke keeps its colour through 4:2:0 chroma subsampling.
BIG = 150


@pytest.fixture(scope="module")
def grey_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1 s of flat mid-grey with a quiet tone, 640x360 at 10 fps."""
    out = tmp_path_factory.mktemp("table") / "grey.mp4"
    subprocess.run(
        [locate().exe, "-v", "error", "-y",
         "-f", "lavfi", "-i", "color=c=0x808080:size=640x360:rate=10:d=1",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=1",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(out)],
        check=True,
    )  # fmt: skip
    return out


def _burn(clip: Path, tmp_path: Path, home: Path, **settings: Any) -> Path:
    captioned = CaptionJob(
        media=probe(clip, config().local.media_extensions),
        settings=CaptionSettings(languages=["en"], **settings),
        source_language="en",
        tracks={"en": [CUE]},
    )
    media = pipeline.render_outputs(captioned, make_ctx(home, tmp_path / "out")).media
    (video,) = [m.path for m in media if m.kind == "video"]
    return video


def _changed(video: Path) -> np.ndarray:
    """Pixels that differ from the caption-free frame, by more than compression noise."""
    before = frame_at(video, 0.0).astype(int)
    during = frame_at(video, 0.5).astype(int)
    mask: np.ndarray = np.abs(during - before).sum(axis=2) > 60
    return mask


def _near(video: Path, hex_colour: str) -> np.ndarray:
    rgb = np.array([int(hex_colour[k : k + 2], 16) for k in (1, 3, 5)])
    during = frame_at(video, 0.5).astype(int)
    close: np.ndarray = np.abs(during - rgb).sum(axis=2) < 90
    return close & _changed(video)


@pytest.mark.parametrize("name", sorted(COLORS))
def test_every_named_colour_burns_in(
    grey_clip: Path, tmp_path: Path, home: Path, name: str
) -> None:
    video = _burn(grey_clip, tmp_path, home, color=COLORS[name].hex, font_size=BIG)
    assert _near(video, COLORS[name].hex).sum() > 200


@pytest.mark.parametrize("position", ["top", "bottom"])
def test_every_position_puts_captions_there(
    grey_clip: Path, tmp_path: Path, home: Path, position: str
) -> None:
    video = _burn(grey_clip, tmp_path, home, position=position, font_size=BIG)
    rows = np.flatnonzero(_changed(video).any(axis=1))
    assert rows.size
    height = frame_at(video, 0.0).shape[0]
    assert (rows.max() < height / 2) if position == "top" else (rows.min() > height / 2)


@pytest.mark.parametrize("style", sorted(config().local.styles))
def test_every_style_draws_captions(
    grey_clip: Path, tmp_path: Path, home: Path, style: str
) -> None:
    video = _burn(grey_clip, tmp_path, home, style=style)
    assert _changed(video).sum() > 100


@pytest.mark.parametrize(("aspect", "height"), [("16:9", 720), ("9:16", 720), ("1:1", 720)])
def test_every_frame_preset_has_its_size_and_captions(
    grey_clip: Path, tmp_path: Path, home: Path, aspect: str, height: int
) -> None:
    video = _burn(grey_clip, tmp_path, home, aspect=aspect, height=height)
    shape = config().local.shapes[aspect]
    frame = frame_at(video, 0.0)
    assert (frame.shape[1], frame.shape[0]) == (
        round(shape.width * height / 1080 / 2) * 2,
        round(shape.height * height / 1080 / 2) * 2,
    )
    assert _changed(video).sum() > 100

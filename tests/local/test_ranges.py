"""A video burned in frame ranges and joined by stream copy matches the one-pass burn.

Captions at the same places at the same times (a cue crossing the range border
included), the same frames, and the sound in sync.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pysubs2
import pytest

from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local.probe import MediaInfo, probe
from skill_runtime.local.render.fonts import fonts_dir
from skill_runtime.local.render.ranges import encode_range, join_ranges
from skill_runtime.local.render.video import burn
from skill_runtime.local.sample import make_clip
from skill_runtime.progress import Progress

from .conftest import BACKGROUND, BACKGROUND_RGB, frame_at

LOCAL = config().local
SHAPE = LOCAL.shapes["16:9"].model_copy(
    update={"width": 320, "height": 180, "margin_bottom": 10, "margin_top": 10, "margin_side": 10}
)
BORDER = 75  # frame 75 = 3.0 s at 25 fps
CUES = [(0.5, 2.9, "First caption"), (2.9, 5.0, "Across the border")]


@pytest.fixture(scope="module")
def renders(tmp_path_factory: pytest.TempPathFactory) -> tuple[MediaInfo, Path, Path]:
    """The same clip and captions, burned in one pass and in two ranges."""
    folder = tmp_path_factory.mktemp("ranges")
    clip = make_clip(
        folder / "clip.mp4",
        "One two three four five six.",
        size="320x180",
        pattern=BACKGROUND,
        tail_s=4.0,
    )
    info = probe(clip, LOCAL.media_extensions)
    subs = pysubs2.SSAFile()
    subs.info.update({"PlayResX": "320", "PlayResY": "180"})
    subs.styles["Default"].fontname = LOCAL.fonts.family
    subs.styles["Default"].fontsize = 16
    for start, end, text in CUES:
        subs.append(pysubs2.SSAEvent(start=int(start * 1000), end=int(end * 1000), text=text))
    ass = folder / "captions.ass"
    subs.save(str(ass))
    fonts = fonts_dir(LOCAL.fonts, Environment.read())
    common = {"ass_file": ass, "fonts": fonts, "shape": SHAPE, "fit": "pad"}
    whole = burn(
        info, **common, tracks=[], out=folder / "whole.mp4", video=LOCAL.video,
        progress=Progress(quiet=True),
    )  # fmt: skip
    total = round((info.video_duration or info.duration) * info.fps)
    parts = [
        encode_range(info, span, **common, video=LOCAL.video, out=folder / f"part{k}.mp4")
        for k, span in enumerate([(0, BORDER), (BORDER, total)])
    ]
    joined = join_ranges(info, parts, tracks=[], video=LOCAL.video, out=folder / "joined.mp4")
    return info, whole, joined


def _text_mask(frame: np.ndarray) -> np.ndarray:
    """Pixels far from the flat background: the drawn caption."""
    return np.abs(frame.astype(int) - np.array(BACKGROUND_RGB)).sum(axis=2) > 150


@pytest.mark.slow
@pytest.mark.parametrize("t", [1.0, 2.84, 2.96, 3.0, 3.04, 4.5, 5.2])
def test_captions_sit_in_the_same_place_at_the_same_time(
    renders: tuple[MediaInfo, Path, Path], t: float
) -> None:
    _, whole, joined = renders
    a, b = _text_mask(frame_at(whole, t)), _text_mask(frame_at(joined, t))
    shown = any(start <= t < end for start, end, _ in CUES)
    assert bool(a.sum() > 50) == shown
    assert (a ^ b).sum() <= 0.05 * max(1, (a | b).sum())


def _streams(path: Path) -> dict[str, tuple[float, float, int]]:
    """Per stream kind: start, duration (s), and the video's decoded frame count."""
    out: dict[str, tuple[float, float, int]] = {}
    with av.open(str(path)) as container:
        for stream in container.streams:
            tb = float(stream.time_base or 0)
            start = (stream.start_time or 0) * tb
            duration = (stream.duration or 0) * tb
            frames = sum(1 for _ in container.decode(stream)) if stream.type == "video" else 0
            container.seek(0)
            out[stream.type] = (start, duration, frames)
    return out


@pytest.mark.slow
def test_the_joined_video_has_every_frame_and_its_sound_in_sync(
    renders: tuple[MediaInfo, Path, Path],
) -> None:
    info, whole, joined = renders
    a, b = _streams(whole), _streams(joined)
    frame = 1 / info.fps
    assert b["video"][2] == a["video"][2]
    assert abs(b["video"][1] - a["video"][1]) < frame
    assert abs(b["audio"][1] - a["audio"][1]) < frame
    assert abs((b["audio"][0] - b["video"][0]) - (a["audio"][0] - a["video"][0])) < frame

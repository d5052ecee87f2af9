"""The answer names the fit (blurred fill, crop, bars) only when the frame's shape differs
from the picture's: a 16:9 talk rendered 16:9 has nothing filled."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from skill_runtime.backends.local import _reframed
from skill_runtime.captions import CaptionSettings
from skill_runtime.config import config
from skill_runtime.local.probe import MediaInfo
from skill_runtime.local.render.ffmpeg import locate
from skill_runtime.local.render.layout import scale_filter
from skill_runtime.local.session import CaptionJob
from skill_runtime.messages import render


def _job(width: int, height: int, aspect: str) -> CaptionJob:
    media = MediaInfo(
        path=Path("/clips/talk.mp4"),
        duration=10.0,
        has_video=True,
        has_audio=True,
        width=width,
        height=height,
    )
    return CaptionJob(media=media, settings=CaptionSettings(aspect=aspect))


@pytest.mark.parametrize(
    ("width", "height", "aspect", "reframed"),
    [
        (640, 360, "16:9", False),
        (1920, 1080, "16:9", False),
        (640, 360, "source", False),
        (640, 360, "9:16", True),
        (640, 360, "1:1", True),
        (1080, 1920, "9:16", False),
        (1080, 1920, "16:9", True),
        (0, 0, "9:16", False),  # audio only: no picture to fill around
    ],
)
def test_a_frame_is_reframed_only_when_its_shape_differs(
    width: int, height: int, aspect: str, reframed: bool
) -> None:
    assert _reframed(_job(width, height, aspect), config().local) is reframed


def test_the_answer_says_blurred_only_for_a_reframed_picture() -> None:
    context = {
        "file_name": "talk.mp4", "source_language": "en", "tracks": {"en": 3}, "burn": True,
        "burned": ["en"], "style": "clean", "aspect": "16:9", "fit": "blur", "action": "caption",
        "carried": None, "changes": [], "unchanged": False, "names": {"en": "English"},
        "rendition": "youtube", "renditions": ["youtube"], "folder": "/out", "stem": None,
        "reason": None,
    }  # fmt: skip
    same = render("local/captioned", **context, reframed=False)
    other = render("local/captioned", **context, reframed=True)
    assert "blurred" not in same and "filled with a blurred copy" in other


def _raw_frames(clip: Path, chain: str) -> bytes:
    out = subprocess.run(
        [locate().exe, "-v", "error", "-i", str(clip), "-vf", chain + ",format=yuv420p",
         "-frames:v", "3", "-f", "rawvideo", "-"],
        capture_output=True, check=True,
    )  # fmt: skip
    return out.stdout


@pytest.mark.parametrize(("width", "height", "fills"), [(640, 360, True), (480, 360, False)])
def test_the_blurred_fill_is_drawn_only_where_it_shows(
    tmp_path: Path, width: int, height: int, fills: bool
) -> None:
    """A picture of the frame's own shape skips the fill (a sixth of a 1080p burn) and looks
    the same: every pixel equals the one the full blur-and-overlay chain draws."""
    clip = tmp_path / "clip.mp4"
    subprocess.run(
        [locate().exe, "-v", "error", "-f", "lavfi", "-i", f"testsrc2=s={width}x{height}:r=25:d=1",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", str(clip)],
        check=True,
    )  # fmt: skip
    shape = config().local.shapes["16:9"].model_copy(update={"width": 640, "height": 360})
    info = MediaInfo(
        path=clip, duration=1.0, has_video=True, has_audio=False, width=width, height=height
    )
    chain = scale_filter(shape, "blur", info)
    assert ("boxblur" not in chain) is fills
    other_shape = info.model_copy(update={"width": 360, "height": 640})
    with_fill = scale_filter(shape, "blur", other_shape)
    assert "boxblur" in with_fill
    assert _raw_frames(clip, chain) == _raw_frames(clip, with_fill)

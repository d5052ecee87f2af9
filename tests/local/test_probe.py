"""Probing reads the frame a viewer sees, not the one stored on disk."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from skill_runtime.config import config
from skill_runtime.local.probe import probe
from skill_runtime.local.render.ffmpeg import locate


def _clip(path: Path, rotate: int | None) -> Path:
    """A landscape recording; with `rotate`, tagged the way phones tag portrait video."""
    plain = path.with_name("plain.mp4")
    subprocess.run(
        [locate().exe, "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=10",
         "-f", "lavfi", "-i", "sine=frequency=440", "-t", "1", "-c:v", "libx264",
         "-c:a", "aac", "-y", str(plain)],
        check=True,
    )  # fmt: skip
    if rotate is None:
        return plain
    # The display matrix is written on a stream copy (as a phone's muxer does). ffmpeg 6+
    # (Ubuntu 24.04) takes it as an input option and ignores the older `rotate` tag.
    ffmpeg = locate().exe
    modern = subprocess.run(
        [ffmpeg, "-v", "error", "-display_rotation:v:0", str(rotate), "-i", str(plain),
         "-c", "copy", "-y", str(path)],
        capture_output=True,
        check=False,
    )  # fmt: skip
    if modern.returncode != 0:
        subprocess.run(
            [ffmpeg, "-v", "error", "-i", str(plain), "-c", "copy",
             "-metadata:s:v:0", f"rotate={rotate}", "-y", str(path)],
            check=True,
        )  # fmt: skip
    return path


@pytest.mark.parametrize(
    ("rotate", "size"), [(None, (320, 180)), (90, (180, 320)), (270, (180, 320)), (180, (320, 180))]
)
def test_phone_rotation_gives_the_upright_size(
    tmp_path: Path, rotate: int | None, size: tuple[int, int]
) -> None:
    info = probe(_clip(tmp_path / "phone.mp4", rotate), config().local.media_extensions)
    assert (info.width, info.height) == size
    assert info.has_audio and info.duration > 0.9

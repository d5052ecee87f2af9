"""Media as it is: sound that ends before the picture (a silent outro) or runs past it is
accepted; the video keeps its own length; a soundtrack that is really cut short is not."""

from __future__ import annotations

import subprocess
from pathlib import Path

import av
import pytest

from skill_runtime.captions import CaptionSettings, Cue
from skill_runtime.config import config
from skill_runtime.errors import SkillError
from skill_runtime.local import pipeline
from skill_runtime.local.audio import SAMPLE_RATE, load_audio
from skill_runtime.local.probe import probe
from skill_runtime.local.render.ffmpeg import locate
from skill_runtime.local.session import CaptionJob

from .conftest import make_ctx

EXTS = config().local.media_extensions


def _clip(out: Path, picture_s: float, sound_s: float) -> Path:
    subprocess.run(
        [locate().exe, "-v", "error", "-y",
         "-f", "lavfi", "-i", f"color=c=0x2050a0:size=160x90:rate=10:d={picture_s}",
         "-f", "lavfi", "-i", f"sine=frequency=300:duration={sound_s}",
         "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-pix_fmt", "yuv420p",
         "-c:a", "aac", str(out)],
        check=True,
    )  # fmt: skip
    return out


def _stream_seconds(path: Path, kind: str) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.video[0] if kind == "video" else container.streams.audio[0]
        assert stream.duration is not None and stream.time_base is not None
        return float(stream.duration * stream.time_base)


# Burns each clip with ffmpeg.
@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "picture_s", "sound_s"),
    [("silent outro", 8.0, 4.3), ("sound past the picture", 3.0, 5.0)],
)
def test_sound_and_picture_of_different_lengths_are_accepted(
    tmp_path: Path, home: Path, name: str, picture_s: float, sound_s: float
) -> None:
    clip = _clip(tmp_path / "clip.mp4", picture_s, sound_s)
    info = probe(clip, EXTS)
    samples = load_audio(info)
    assert len(samples) / SAMPLE_RATE == pytest.approx(sound_s, abs=0.1)
    captioned = CaptionJob(
        media=info,
        settings=CaptionSettings(languages=["en"]),
        source_language="en",
        tracks={"en": [Cue(start=0.5, end=min(sound_s, picture_s) - 0.5, lines=["Hi"])]},
    )
    media = pipeline.render_outputs(captioned, make_ctx(home, tmp_path / "out")).media
    (video,) = [m.path for m in media if m.kind == "video"]
    assert _stream_seconds(video, "video") == pytest.approx(picture_s, abs=0.15)
    assert _stream_seconds(video, "audio") == pytest.approx(min(sound_s, picture_s), abs=0.15)


def test_a_soundtrack_cut_short_is_still_refused(tmp_path: Path) -> None:
    whole = _clip(tmp_path / "whole.mp4", 6.0, 6.0)
    moov_first = tmp_path / "faststart.mp4"
    subprocess.run(
        [locate().exe, "-v", "error", "-y", "-i", str(whole), "-c", "copy",
         "-movflags", "+faststart", str(moov_first)],
        check=True,
    )  # fmt: skip
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(moov_first.read_bytes()[: moov_first.stat().st_size // 2])
    with pytest.raises(SkillError) as err:
        load_audio(probe(cut, EXTS))
    assert err.value.code == "corrupt_media"
    assert config().exit_status(err.value.code) == 3

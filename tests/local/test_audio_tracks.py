"""Speech on another audio track than the first (OBS, cameras, dubbed files) is found and
captioned, and `--audio-track N` picks one; a track the file lacks is refused at once."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import av
import numpy as np
import pytest

from skill_runtime.backends.local import LocalBackend
from skill_runtime.config import config
from skill_runtime.context import CaptionRequest
from skill_runtime.errors import SkillError
from skill_runtime.local.audio import load_audio
from skill_runtime.local.probe import probe
from skill_runtime.local.render.ffmpeg import locate
from skill_runtime.progress import Progress

from .conftest import make_ctx

# Builds files with ffmpeg; one test runs Whisper.
pytestmark = pytest.mark.slow

EXTENSIONS = config().local.media_extensions


@pytest.fixture(scope="module")
def second_track_speaks(talk_clip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The talk's picture with a silent first audio track and the speech on the second."""
    out = tmp_path_factory.mktemp("tracks") / "obs recording.mp4"
    subprocess.run(
        [locate().exe, "-v", "error", "-y", "-i", str(talk_clip),
         "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo",
         "-map", "0:v", "-map", "1:a", "-map", "0:a", "-c:v", "copy", "-c:a", "aac",
         "-shortest", str(out)],
        check=True,
    )  # fmt: skip
    return out


def _loudness(samples: np.ndarray) -> float:
    return float(np.abs(samples).max()) if samples.size else 0.0


def test_the_first_track_with_speech_is_used_when_the_first_is_silent(
    second_track_speaks: Path,
) -> None:
    info = probe(second_track_speaks, EXTENSIONS)
    stream = io.StringIO()
    samples = load_audio(info, None, Progress(stream=stream))
    assert (info.audio_tracks, info.audio_track) == (2, 1)
    assert _loudness(samples) > 0.1
    assert "audio track 2" in stream.getvalue()


def test_audio_track_n_picks_that_track(second_track_speaks: Path) -> None:
    info = probe(second_track_speaks, EXTENSIONS)
    assert _loudness(load_audio(info, 0)) == 0.0
    assert _loudness(load_audio(probe(second_track_speaks, EXTENSIONS), 1)) > 0.1


def test_a_track_the_file_lacks_is_refused_before_decoding(second_track_speaks: Path) -> None:
    with pytest.raises(SkillError) as err:
        load_audio(probe(second_track_speaks, EXTENSIONS), 2)
    assert err.value.code == "usage" and "2 audio track" in err.value.context["problem"]


def test_speech_on_the_second_track_is_captioned_and_kept_in_the_video(
    second_track_speaks: Path, home: Path, tmp_path: Path
) -> None:
    ctx = make_ctx(home, tmp_path / "out")
    result = LocalBackend(ctx).caption(CaptionRequest(path=second_track_speaks, burn=False))
    (srt,) = [m.path for m in result.media if m.path.suffix == ".srt"]
    assert "pasta" in srt.read_text(encoding="utf-8").lower()
    (video,) = [m.path for m in result.media if m.kind == "video"]
    with av.open(str(video)) as container:
        sound = np.concatenate([f.to_ndarray().ravel() for f in container.decode(audio=0)])
    assert _loudness(sound) > 0.1

"""A file the chat can carry: size targets, the plan that meets them, and a real encode under one;
plus the contact sheet, the look before any video is encoded."""

from __future__ import annotations

import subprocess
from pathlib import Path

import av
import numpy as np
import pytest

from skill_runtime import cli
from skill_runtime.backends.local import LocalBackend
from skill_runtime.captions import Cue, Word
from skill_runtime.cli import main
from skill_runtime.config import config
from skill_runtime.errors import SkillError
from skill_runtime.local.deliver import plan, size_target
from skill_runtime.local.probe import probe
from skill_runtime.local.render.ffmpeg import locate
from skill_runtime.messages import render
from skill_runtime.sizes import parse_size
from skill_runtime.store import Store

from .conftest import BACKGROUND_RGB, make_ctx

LOCAL = config().local
DELIVERY = LOCAL.delivery


@pytest.mark.parametrize(
    ("text", "size"),
    [("16MB", 16_000_000), ("16 mb", 16_000_000), ("50M", 50_000_000), ("1.5GB", 1_500_000_000),
     ("800k", 800_000), ("20", 20_000_000)],
)  # fmt: skip
def test_sizes_are_read_in_decimal_units(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "big", "-3MB", "0", "16 TB"])
def test_a_size_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(SkillError) as caught:
        parse_size(text)
    assert caught.value.code == "bad_size"


@pytest.mark.parametrize(
    ("channel", "megabytes"), [("whatsapp", 16), ("telegram", 50), ("email", 18)]
)
def test_channels_carry_their_limits(channel: str, megabytes: int) -> None:
    target = size_target(DELIVERY, channel=channel)
    assert target.max_bytes == megabytes * 1_000_000
    assert target.source


@pytest.mark.parametrize(
    ("seconds", "megabytes", "short_side"),
    [(60, 16, 1080), (180, 16, 540), (180, 50, 1080), (600, 16, 360)],
    ids=["1 min", "3 min", "3 min telegram", "10 min"],
)
def test_resolution_drops_only_below_the_legible_floor(
    seconds: float, megabytes: int, short_side: int
) -> None:
    chosen = plan(DELIVERY, seconds, 1080, megabytes * 1_000_000)
    assert chosen.short_side == short_side
    total_kbit = (chosen.video_kbps + chosen.audio_kbps) * seconds
    assert total_kbit <= megabytes * 8_000 * DELIVERY.aim


def test_an_impossible_size_says_so() -> None:
    with pytest.raises(SkillError) as caught:
        plan(DELIVERY, 3600, 1080, 5_000_000)
    assert caught.value.code == "size_unreachable"


@pytest.mark.parametrize(
    ("args", "code"),
    [(["export", "--for", "fax"], 2), (["export", "--max-size", "huge"], 2)],
)
def test_bad_targets_fail_before_any_work(
    args: list[str], code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--quiet", *args]) == code
    assert "MEDIA:" not in capsys.readouterr().out


@pytest.fixture(scope="module")
def busy_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """4 s of a noisy picture (hard to compress) with a tone: 0.4 MB at 1080x1920 needs a cap."""
    out = tmp_path_factory.mktemp("busy") / "busy.mp4"
    subprocess.run(
        [locate().exe, "-v", "error", "-y",
         "-f", "lavfi", "-i", "testsrc2=size=540x960:rate=25:duration=3,noise=alls=30:allf=t",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=3",
         "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-c:a", "aac", "-shortest",
         str(out)],
        check=True,
    )  # fmt: skip
    return out


def _open(backend: LocalBackend, clip: Path, cues: list[Cue] | None = None) -> None:
    """Make `clip` the current job, already transcribed, framed 9:16."""
    words = [
        Word(text=t, start=0.3 + 0.4 * k, end=0.3 + 0.4 * k + 0.35)
        for k, t in enumerate(["Mix", "3", "eggs", "with", "the", "flour"])
    ]
    cue = Cue(start=0.3, end=3.5, lines=["Mix 3 eggs", "with the flour"], words=words)
    with backend.jobs() as session:
        job = session.open(probe(clip, LOCAL.media_extensions)).job
        job.source_language, job.words, job.tracks = "en", words, {"en": cues or [cue]}
        job.settings.languages = ["en"]
        job.settings.aspect = "9:16"


@pytest.mark.slow
def test_max_size_export_fits_and_states_what_was_traded(
    home: Path, tmp_path: Path, busy_clip: Path
) -> None:
    backend = LocalBackend(make_ctx(home, tmp_path))
    _open(backend, busy_clip)
    result = backend.export_sized(max_bytes=400_000)
    video = next(m.path for m in result.media if m.kind == "video")
    size = video.stat().st_size
    assert size <= 400_000
    report = result.data["size"]
    assert report["size_bytes"] == size
    written = probe(video, LOCAL.media_extensions)
    assert (written.width, written.height) == (report["width"], report["height"])
    assert written.width * written.height < 1080 * 1920, "1 Mbit/s is below the floor for 1080x1920"
    answer = render(result.template, **result.context)
    assert f"{size / 1e6:.1f} MB" in answer
    assert f"{written.width}x{written.height}" in answer


def _tiles(png: Path) -> np.ndarray:
    with av.open(str(png)) as container:
        return next(container.decode(video=0)).to_ndarray(format="rgb24")


@pytest.fixture(scope="module")
def blue_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("blue") / "blue.mp4"
    r, g, b = BACKGROUND_RGB
    subprocess.run(
        [locate().exe, "-v", "error", "-y",
         "-f", "lavfi", "-i", f"color=c=0x{r:02x}{g:02x}{b:02x}:size=640x360:rate=25:duration=6",
         "-f", "lavfi", "-i", "sine=duration=6", "-c:v", "libx264", "-preset", "ultrafast",
         "-c:a", "aac", "-shortest", str(out)],
        check=True,
    )  # fmt: skip
    return out


def test_preview_is_one_png_of_four_captioned_moments(
    home: Path, tmp_path: Path, blue_clip: Path
) -> None:
    backend = LocalBackend(make_ctx(home, tmp_path))
    cues = [
        Cue(start=0.5 + k * 1.2, end=1.5 + k * 1.2, lines=[f"Moment {k + 1}"]) for k in range(5)
    ]
    _open(backend, blue_clip, cues)
    result = backend.preview()
    assert [m.kind for m in result.media] == ["preview"]
    assert list(tmp_path.glob("*.mp4")) == [], "no video is encoded for a preview"
    pixels = _tiles(result.media[0].path)
    frame_w = LOCAL.video.sheet_frame_width
    assert pixels.shape[1] >= 4 * frame_w, "four 9:16 frames side by side"
    for k in range(4):
        tile = pixels[:, 8 + k * (frame_w + 8) : 8 + k * (frame_w + 8) + frame_w]
        assert (tile.min(axis=2) > 200).sum() > 50, f"frame {k + 1} shows its caption"


def test_show_me_how_it_looks_answers_with_the_contact_sheet(
    home: Path, tmp_path: Path, blue_clip: Path
) -> None:
    backend = LocalBackend(make_ctx(home, tmp_path))
    _open(backend, blue_clip)
    result = backend.chat("make it like TikTok and show me how it looks")
    assert [m.format for m in result.media] == ["png"]
    settings = backend.current_job().settings
    assert (settings.style, settings.platform, settings.aspect) == ("pop", "tiktok", "9:16")


@pytest.mark.slow
def test_caption_preview_transcribes_and_stops_at_the_picture(
    tmp_path: Path,
    talk_clip: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Its own session store, so the 9:16 TikTok settings stay out of other CLI tests.
    monkeypatch.setattr(cli.commands, "Store", lambda *_: Store(tmp_path / "store"))
    status = main(
        ["--quiet", "--out", str(tmp_path), "caption", str(talk_clip), "--preview",
         "--style", "pop", "--platform", "tiktok"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert status == 0, out
    media = [line.removeprefix("MEDIA: ") for line in out.splitlines() if line.startswith("MEDIA:")]
    assert len(media) == 1 and media[0].endswith(".contact-sheet.png")
    assert list(tmp_path.glob("*.mp4")) == []
    assert list(tmp_path.glob("*.srt")), "the captions themselves are written"

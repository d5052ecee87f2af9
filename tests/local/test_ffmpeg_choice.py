"""With no usable system ffmpeg, the bundled imageio-ffmpeg build does the whole job."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import av
import pytest

from skill_runtime.cli import main
from skill_runtime.local.render.ffmpeg import locate


@pytest.fixture
def ffmpeg_without_libass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An `ffmpeg` first on PATH that, like many distro builds, has no libass."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "ffmpeg"
    fake.write_text("#!/bin/sh\necho 'ffmpeg version 0.0-no-libass'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    locate.cache_clear()
    yield
    locate.cache_clear()


@pytest.mark.usefixtures("ffmpeg_without_libass")
def test_a_system_ffmpeg_without_libass_is_passed_over() -> None:
    chosen = locate()
    assert chosen.source == "imageio-ffmpeg"


@pytest.mark.slow
@pytest.mark.usefixtures("ffmpeg_without_libass")
def test_the_bundled_ffmpeg_burns_captions(
    tmp_path: Path, talk_clip: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["--json", "--quiet", "--out", str(out), "caption", str(talk_clip), "--burn"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 0, payload
    video = next(m["path"] for m in payload["media"] if m["kind"] == "video")
    with av.open(video) as container:
        stream = container.streams.video[0]
        assert (stream.width, stream.height) == (1920, 1080)
        assert [s.language for s in container.streams.subtitles] == ["eng"]

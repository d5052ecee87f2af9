"""Video links: yt-dlp's generic extractor against a web server on 127.0.0.1.

A direct MP4 and an HLS playlist caption end to end; what is too large is refused
before it has all come; sites' refusals read as our sentences with our exit codes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill_runtime.config import config
from skill_runtime.errors import SkillError
from skill_runtime.local.links import check_link, download
from skill_runtime.local.render.ffmpeg import locate
from skill_runtime.local.sample import make_clip
from skill_runtime.progress import Progress
from skill_runtime.settings.local import LocalSettings

from .link_server import LinkServer, serve

SPEECH = "Good morning. This video came from a link."


def _settings(max_mb: float) -> LocalSettings:
    local = config().local
    return local.model_copy(
        update={"links": local.links.model_copy(update={"max_mb": max_mb, "timeout_s": 10})}
    )


def _refusal(server: LinkServer, path: str, root: Path, max_mb: float = 50) -> SkillError:
    with pytest.raises(SkillError) as caught:
        download(server.url(path), root, _settings(max_mb), Progress(quiet=True))
    return caught.value


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LinkServer]:
    folder = tmp_path_factory.mktemp("site")
    (folder / "index.html").write_text("<html><body><p>No video here.</p></body></html>")
    (folder / "noise.mp4").write_bytes(os.urandom(200_000))
    with serve(folder) as server:
        yield server


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ("ftp://127.0.0.1/talk.mp4", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("https:///talk.mp4", "scheme"),
        ("https://someone:secret@127.0.0.1/talk.mp4", "credentials"),
    ],
)
def test_links_that_are_not_public_web_addresses_are_refused_before_any_request(
    link: str, reason: str
) -> None:
    with pytest.raises(SkillError) as caught:
        check_link(link)
    assert (caught.value.code, caught.value.context["reason"]) == ("link_unsupported", reason)
    assert "secret" not in caught.value.context["url"]


def test_a_page_without_a_video_is_unsupported(site: LinkServer, tmp_path: Path) -> None:
    error = _refusal(site, "index.html", tmp_path)
    assert (error.code, error.context["reason"]) == ("link_unsupported", "no_video")


def test_a_forbidden_video_reads_as_private(site: LinkServer, tmp_path: Path) -> None:
    assert _refusal(site, "private/talk.mp4", tmp_path).code == "link_private"


def test_a_missing_video_names_the_sites_answer(site: LinkServer, tmp_path: Path) -> None:
    error = _refusal(site, "gone.mp4", tmp_path)
    assert (error.code, error.context["status"]) == ("link_failed", 404)
    assert config().exit_status("link_failed") == config().exit_codes["network"]


def test_bytes_that_are_not_media_are_refused_and_not_kept(
    site: LinkServer, tmp_path: Path
) -> None:
    assert _refusal(site, "noise.mp4", tmp_path).code == "link_not_video"
    assert list(tmp_path.iterdir()) == []


def test_a_stated_size_over_the_cap_is_refused_before_the_body(
    site: LinkServer, tmp_path: Path
) -> None:
    path = f"big/{40_000_000}"
    error = _refusal(site, path, tmp_path, max_mb=1)
    assert error.code == "link_too_large"
    assert site.sent[f"/{path}"] < 40_000_000 // 4  # at most what socket buffers took
    assert list(tmp_path.iterdir()) == []


def test_an_unsized_stream_is_cut_off_once_it_passes_the_cap(
    site: LinkServer, tmp_path: Path
) -> None:
    path = f"stream/{40_000_000}"
    error = _refusal(site, path, tmp_path, max_mb=1)
    assert error.code == "link_too_large"
    assert site.sent[f"/{path}"] < 40_000_000 // 4
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def media_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LinkServer]:
    """talk.mp4 and the same clip as an HLS playlist (hls/talk.m3u8, 1 s segments).

    The first request for each served path is this module's, since the fixture is its own.
    """
    folder = tmp_path_factory.mktemp("media")
    clip = make_clip(folder / "talk.mp4", SPEECH, size="320x180", lead_s=0.3, tail_s=0.5)
    (folder / "hls").mkdir()
    subprocess.run(
        [locate().exe, "-loglevel", "error", "-i", str(clip), "-c:v", "libx264",
         "-force_key_frames", "expr:gte(t,n_forced)", "-c:a", "aac", "-f", "hls",
         "-hls_time", "1", "-hls_playlist_type", "vod", str(folder / "hls" / "talk.m3u8")],
        check=True,
    )  # fmt: skip
    with serve(folder) as server:
        yield server


@pytest.mark.slow
def test_an_hls_stream_over_the_cap_stops_before_its_last_segments(
    media_site: LinkServer, tmp_path: Path
) -> None:
    segments = sorted((media_site.folder / "hls").glob("*.ts"))
    assert len(segments) >= 3
    half = sum(s.stat().st_size for s in segments) / 2
    error = _refusal(media_site, "hls/talk.m3u8", tmp_path, max_mb=half / 1e6)
    assert error.code == "link_too_large"
    fetched = [s for s in segments if media_site.requested[f"/hls/{s.name}"]]
    assert len(fetched) < len(segments)
    assert list(tmp_path.iterdir()) == []


def _caption(link: str, root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AI_SUBTITLES_HOME": str(root / "home")}
    env.pop("AI_SUBTITLES_MODEL", None)
    return subprocess.run(
        [sys.executable, "-m", "skill_runtime", "--out", str(root / "out"), "caption", link],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow
@pytest.mark.parametrize("path", ["talk.mp4", "hls/talk.m3u8"])
def test_a_video_link_captions_end_to_end(
    media_site: LinkServer, tmp_path: Path, path: str
) -> None:
    done = _caption(media_site.url(path), tmp_path)
    assert done.returncode == 0, done.stderr
    media = [Path(line[7:]) for line in done.stdout.splitlines() if line.startswith("MEDIA: ")]
    assert {m.suffix for m in media} >= {".mp4", ".srt", ".vtt"}
    assert all(m.is_file() and m.parent == tmp_path / "out" for m in media)
    srt = next(m for m in media if m.suffix == ".srt").read_text(encoding="utf-8").lower()
    assert "link" in srt or "morning" in srt
    assert "Downloading the video from 127.0.0.1" in done.stderr
    downloaded = list((tmp_path / "home" / "links").glob("*/talk.mp4"))
    assert len(downloaded) == 1

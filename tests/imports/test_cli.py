"""The command line's checks for subtitles from elsewhere, before any work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skill_runtime.cli import main


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AI_SUBTITLES_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)  # the default --out folder, were anything written


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    status = main(["--quiet", "--json", *args])
    return status, json.loads(capsys.readouterr().out)


def test_the_cloud_backend_says_it_cannot_take_a_subtitle_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "v.mp4").write_bytes(b"")
    (tmp_path / "v.en.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nHi.\n")
    status, answer = _run(
        capsys,
        "--backend",
        "cloud",
        "caption",
        str(tmp_path / "v.mp4"),
        "--subtitles",
        str(tmp_path / "v.en.srt"),
    )
    assert status == 4 and answer["error"] == "not_available"


def test_a_subtitle_file_needs_a_video_to_join(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "talk.es.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nHola.\n")
    status, answer = _run(capsys, "upload", str(tmp_path / "talk.es.srt"))
    assert status == 3 and answer["error"] == "no_upload"


@pytest.mark.parametrize(
    "args",
    [["translate", "es"], ["translate", "es", "--handoff", "--from", "x.json"], ["proofread"]],
)
def test_a_hand_off_needs_exactly_one_way(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    status, answer = _run(capsys, *args)
    assert status == 2 and answer["error"] == "usage"


def test_an_unknown_language_is_refused_before_any_work(capsys: pytest.CaptureFixture[str]) -> None:
    status, answer = _run(capsys, "translate", "klingon", "--handoff")
    assert status == 2 and answer["error"] == "unknown_language"


def test_a_hand_off_needs_a_captioned_video(capsys: pytest.CaptureFixture[str]) -> None:
    status, answer = _run(capsys, "translate", "es", "--handoff")
    assert status == 3 and answer["error"] == "no_upload"

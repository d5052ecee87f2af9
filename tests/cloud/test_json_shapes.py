"""One `--json` shape per action: the local and the cloud backend answer with the same keys."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from skill_runtime import cli
from skill_runtime.local.render.ffmpeg import locate
from skill_runtime.results import ANSWER_KEYS

# A local caption from the user's own subtitles (no recognition) muxed as soft tracks.
pytestmark = pytest.mark.slow

SRT = (
    "1\n00:00:00,200 --> 00:00:01,500\nHello there.\n\n2\n00:00:01,600 --> 00:00:02,800\nBye now.\n"
)
BASE = {"ok", "action", "message", "media"}


def _clip(path: Path) -> Path:
    """Two seconds of colour and a tone: enough for a job; nothing has to be recognised."""
    subprocess.run(
        [
            locate().exe, "-v", "error", "-f", "lavfi", "-i", "color=c=blue:s=160x90:d=3",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-shortest",
            "-c:v", "libx264", "-c:a", "aac", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


def _answers(
    backend: str, steps: list[list[str]], out: Path, capsys: pytest.CaptureFixture[str]
) -> dict[str, dict[str, Any]]:
    """Each step's JSON answer, by the action it reports."""
    answers = {}
    for step in steps:
        capsys.readouterr()
        status = cli.main(["--backend", backend, "--json", "--quiet", "--out", str(out), *step])
        answer = json.loads(capsys.readouterr().out)
        assert status == 0, answer
        answers[answer["action"]] = answer
    return answers


def test_each_action_answers_with_the_same_keys_on_both_backends(
    home: Path, video: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = _clip(tmp_path / "talk.mp4")
    srt = tmp_path / "talk.en.srt"
    srt.write_text(SRT, encoding="utf-8")
    common = [["state"], ["credits"]]
    local = _answers(
        "local",
        [
            ["upload", str(clip)],
            ["caption", str(clip), "--subtitles", str(srt), "--soft"],
            ["chat", "make them yellow"],
            ["export"],
            *common,
        ],
        tmp_path / "local",
        capsys,
    )
    cloud = _answers(
        "cloud",
        [
            ["upload", str(video)],
            ["caption", str(video), "--languages", "en"],
            ["chat", "make the captions bigger"],
            ["export"],
            *common,
        ],
        tmp_path / "cloud",
        capsys,
    )
    assert set(local) == set(cloud) == set(ANSWER_KEYS)
    for action, keys in ANSWER_KEYS.items():
        assert set(local[action]) == set(cloud[action]) == BASE | set(keys), action

"""Sentences about many videos route to `batch`, which takes the attached folder itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from skill_runtime.router import route
from skill_runtime.settings.skill import SkillConfig

BATCH_ROUTES = [
    ("caption all the videos in this folder", 1, ["batch"]),
    ("add English subtitles to every video here", 1, ["batch"]),
    ("subtitle the whole folder and export", 1, ["batch"]),
    ("给这个文件夹里的所有视频加字幕", 1, ["batch"]),
    ("批量加字幕", 0, ["batch"]),
    # One file is still one job.
    ("add captions", 1, ["upload", "sse"]),
    ("caption this video", 1, ["upload", "sse"]),
]


@pytest.mark.parametrize(("text", "attachments", "expected"), BATCH_ROUTES)
def test_batch_route(cfg: SkillConfig, text: str, attachments: int, expected: list[str]) -> None:
    assert route(text, cfg, attachments).actions == expected


# Starts the CLI in a fresh interpreter.
@pytest.mark.slow
def test_batch_without_a_folder_asks_for_one() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "skill_runtime", "--json", "say", "caption all the videos"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"] == "batch_no_sources"
    assert "--file FOLDER" in done.stderr

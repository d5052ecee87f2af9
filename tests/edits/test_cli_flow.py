"""The iterative local flow through the CLI, one process per step, sharing one home.

upload -> "add captions in English and Spanish" (Spanish from an OpenAI-compatible
endpoint on 127.0.0.1) -> "make them yellow and move them to the top" -> export.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill_runtime.local.render.ffmpeg import locate
from skill_runtime.local.sample import make_clip
from translate.fake_openai import serve

pytestmark = pytest.mark.slow

SPEECH = "Hello world. Welcome to this short demo."


class Flow:
    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root, self.env = root, env
        self.out = root / "out"
        self.steps: dict[str, subprocess.CompletedProcess[str]] = {}

    def run(self, name: str, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "skill_runtime", "--out", str(self.out), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        self.steps[name] = done
        return done


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flow]:
    root = tmp_path_factory.mktemp("flow")
    clip = make_clip(root / "talk.mp4", SPEECH, size="320x180", lead_s=0.3, tail_s=0.5)
    with serve() as endpoint:
        env = {
            **os.environ,
            "AI_SUBTITLES_HOME": str(root / "home"),
            "OPENAI_BASE_URL": endpoint.base_url,
            "OPENAI_API_KEY": "sk-flow-0123456789",
        }
        for name in ("AI_SUBTITLES_TRANSLATOR", "AI_SUBTITLES_MODEL", "AI_SUBTITLES_GLOSSARY"):
            env.pop(name, None)
        steps = Flow(root, env)
        steps.run("upload", "upload", str(clip))
        steps.run("caption", "chat", "add captions in English and Spanish")
        steps.run("edit", "chat", "make them yellow and move them to the top")
        steps.run("state", "--json", "state")
        steps.run("export", "export")
        yield steps


def _ok(flow: Flow, step: str) -> str:
    done = flow.steps[step]
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_every_step_succeeds(flow: Flow) -> None:
    for step in flow.steps:
        _ok(flow, step)


def test_asking_for_two_languages_makes_an_english_and_a_spanish_track(flow: Flow) -> None:
    out = _ok(flow, "caption")
    assert "cues in en" in out and "cues in es" in out
    spanish = (flow.out / "talk.es.srt").read_text(encoding="utf-8").lower()
    assert "hola" in spanish or "bienvenidos" in spanish


def test_the_edit_answer_says_what_changed(flow: Flow) -> None:
    out = _ok(flow, "edit")
    assert "Colour: default → #FFE600" in out
    assert "Position: bottom → top" in out
    assert "Timeline" in out


def test_a_later_process_sees_both_caption_tracks(flow: Flow) -> None:
    state = json.loads(_ok(flow, "state"))
    labels = [t["label"] for t in state["timeline"]["tracks"]]
    assert labels.count("Captions (en)") == 1 and labels.count("Captions (es)") == 1
    assert state["timeline"]["languages"] == ["en", "es"]


def test_export_renders_an_mp4_with_the_edited_style(flow: Flow) -> None:
    out = _ok(flow, "export")
    media = [
        Path(line.removeprefix("MEDIA: "))
        for line in out.splitlines()
        if line.startswith("MEDIA: ")
    ]
    videos = [p for p in media if p.suffix == ".mp4"]
    assert videos and videos[0].is_file()
    ass = (flow.out / "talk.en.ass").read_text(encoding="utf-8")
    style = next(line for line in ass.splitlines() if line.startswith("Style: Main"))
    assert "&H0000E6FF" in style  # yellow, in ASS's BGR order
    assert style.split(",")[18] == "8"  # top-centre alignment


def test_the_exported_mp4_carries_both_languages_as_tracks(flow: Flow) -> None:
    out = _ok(flow, "export")
    video = next(
        Path(line.removeprefix("MEDIA: "))
        for line in out.splitlines()
        if line.startswith("MEDIA: ") and line.endswith(".mp4")
    )
    probe = subprocess.run(
        [locate().exe, "-hide_banner", "-i", str(video)], capture_output=True, text=True
    )
    subtitles = [line for line in probe.stderr.splitlines() if "Subtitle:" in line]
    assert len(subtitles) == 2
    assert any("(eng)" in line for line in subtitles) and any("(spa)" in line for line in subtitles)

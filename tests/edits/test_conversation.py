"""The five-turn conversation through the CLI, one process per step, sharing one home.

caption --languages en,es (the YouTube version) -> "yellow, at the top" -> "also a
vertical TikTok version with pop captions" -> export it -> "send the TikTok one on
WhatsApp" + export -> "undo the yellow" -> export every version. Spanish comes from
an OpenAI-compatible endpoint on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pysubs2
import pytest

from skill_runtime.local.render.ffmpeg import locate
from skill_runtime.local.sample import make_clip
from translate.fake_openai import serve

pytestmark = pytest.mark.slow

SPEECH = (
    "Good morning everyone. Today we will learn how to cook fresh pasta at home. "
    "First, mix the flour with three eggs."
)


class Talk:
    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root, self.env = root, env
        self.out = root / "out"
        self.steps: dict[str, subprocess.CompletedProcess[str]] = {}
        self.srt_after_caption = ""

    def run(self, name: str, *args: str) -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, "-m", "skill_runtime", "--json", "--out", str(self.out), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        self.steps[name] = done
        assert done.returncode == 0, done.stdout + done.stderr
        answer: dict[str, Any] = json.loads(done.stdout)
        return answer


@pytest.fixture(scope="module")
def talk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Talk]:
    root = tmp_path_factory.mktemp("talk")
    clip = make_clip(root / "talk.mp4", SPEECH, size="640x360", lead_s=0.3, tail_s=0.5)
    with serve() as endpoint:
        env = {
            **os.environ,
            "AI_SUBTITLES_HOME": str(root / "home"),
            "OPENAI_BASE_URL": endpoint.base_url,
            "OPENAI_API_KEY": "sk-talk-0123456789",
        }
        for name in ("AI_SUBTITLES_TRANSLATOR", "AI_SUBTITLES_MODEL", "AI_SUBTITLES_GLOSSARY"):
            env.pop(name, None)
        steps = Talk(root, env)
        steps.run("caption", "caption", str(clip), "--languages", "en,es")
        steps.srt_after_caption = (steps.out / "talk.en.srt").read_text(encoding="utf-8")
        steps.run("yellow", "chat", "yellow, at the top")
        steps.run("export_youtube", "export")
        steps.run("tiktok", "chat", "also a vertical TikTok version with pop captions")
        steps.run("export_tiktok", "export")
        steps.run("whatsapp_said", "chat", "send the TikTok one on WhatsApp")
        steps.run("whatsapp", "export")
        steps.run("undo", "chat", "undo the yellow")
        steps.run("state", "state")
        yield steps


def _json(talk: Talk, step: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(talk.steps[step].stdout)
    return result


def _subtitle_streams(path: Path) -> list[str]:
    probe = subprocess.run(
        [locate().exe, "-hide_banner", "-i", str(path)], capture_output=True, text=True
    )
    return [line for line in probe.stderr.splitlines() if "Subtitle:" in line]


def test_both_renditions_files_are_side_by_side(talk: Talk) -> None:
    names = {p.name for p in talk.out.iterdir()}
    youtube = {"talk.captioned.mp4", "talk.en.srt", "talk.es.srt", "talk.preview.png"}
    tiktok = {"talk.tiktok.captioned.mp4", "talk.tiktok.en.srt", "talk.tiktok.es.srt"}
    assert youtube | tiktok | {"talk.tiktok.captioned.whatsapp.mp4"} <= names


def test_the_youtube_srt_stays_sentence_cues(talk: Talk) -> None:
    srt = (talk.out / "talk.en.srt").read_text(encoding="utf-8")
    assert srt == talk.srt_after_caption
    cues = pysubs2.SSAFile.from_string(srt)
    assert max(len(e.plaintext.split()) for e in cues) > 3


def test_the_tiktok_srt_has_the_same_words_in_readable_cues(talk: Talk) -> None:
    main = pysubs2.load(str(talk.out / "talk.en.srt"))
    tiktok = pysubs2.load(str(talk.out / "talk.tiktok.en.srt"))
    assert (
        " ".join(e.plaintext.replace("\n", " ") for e in main).split()
        == " ".join(e.plaintext.replace("\n", " ") for e in tiktok).split()
    )
    assert max(len(e.plaintext.split()) for e in tiktok) > 3


def test_the_tiktok_render_is_vertical_and_the_youtube_one_is_not(talk: Talk) -> None:
    assert _json(talk, "export_tiktok")["settings"]["aspect"] == "9:16"
    assert _json(talk, "export_youtube")["settings"]["aspect"] == "source"


def test_the_whatsapp_copy_is_the_render_as_it_is(talk: Talk) -> None:
    answer = _json(talk, "whatsapp")
    size = answer["size"]
    copy = talk.out / "talk.tiktok.captioned.whatsapp.mp4"
    render = talk.out / "talk.tiktok.captioned.mp4"
    assert size["attempts"] == 0
    assert copy.stat().st_size == size["size_bytes"] <= 16_000_000
    assert copy.read_bytes() == render.read_bytes()
    assert "nothing was encoded again" in answer["message"]


def test_a_burned_mp4_has_no_default_subtitle_track(talk: Talk) -> None:
    for name in ("talk.captioned.mp4", "talk.tiktok.captioned.mp4"):
        streams = _subtitle_streams(talk.out / name)
        assert len(streams) == 2
        assert not any("(default)" in line for line in streams)


def test_undo_the_yellow_restores_white_and_keeps_the_vertical_frame(talk: Talk) -> None:
    job = _json(talk, "state")["job"]
    looks = {r["name"]: r["settings"] for r in job["renditions"]}
    assert looks["tiktok"]["color"] is None and looks["tiktok"]["aspect"] == "9:16"
    assert looks["tiktok"]["style"] == "pop" and looks["tiktok"]["position"] == "top"
    assert looks["main"]["color"] is None
    undone = _json(talk, "undo")["renditions"]
    assert undone["tiktok"] == [{"field": "color", "before": "#FFE600", "after": None}]

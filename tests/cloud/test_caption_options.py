"""`caption`'s options reach NemoVideo in its instruction, or are refused; never dropped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from emulator import Emulator
from skill_runtime.cloud.instruction import caption_instruction
from skill_runtime.config import config
from skill_runtime.context import CaptionRequest
from skill_runtime.errors import SkillError
from skill_runtime.messages import render

from .conftest import Harness

USAGE = 2
WORDS = config().cloud.caption_instruction


def test_every_option_becomes_part_of_the_instruction(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    request = CaptionRequest(path=video, burn=True, aspect="9:16", fit="crop", style="karaoke")
    result = harness.backend().caption(request)
    assert result.data["instruction"] == [
        "add captions in English",
        WORDS.burn,
        WORDS.aspect["9:16"],
        WORDS.fit["crop"],
        WORDS.style["karaoke"],
    ]
    (session,) = emulator.state.sessions.values()
    draft = session["draft"]
    assert (draft["m"]["width"], draft["m"]["height"]) == (1080, 1920)
    assert [t["m"]["burned"] for t in draft["t"] if t["tt"] == 7] == [True]
    answer = render(result.template, **result.context)
    assert f"Asked NemoVideo to: add captions in English; {WORDS.burn}; " in answer


def test_soft_captions_are_asked_for_as_a_separate_track(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    harness.backend().caption(CaptionRequest(path=video, burn=False))
    (session,) = emulator.state.sessions.values()
    assert [t["m"]["burned"] for t in session["draft"]["t"] if t["tt"] == 7] == [False]


@pytest.mark.parametrize(
    "option",
    [{"burn": True}, {"burn": False}, {"aspect": "1:1"}, {"fit": "pad"}, {"style": "boxed"}],
)
def test_each_option_alone_is_worded(option: dict[str, object], tmp_path: Path) -> None:
    parts = caption_instruction(CaptionRequest(path=tmp_path / "x.mp4", **option), "English", WORDS)
    assert len(parts) == 2


def test_every_local_style_and_frame_has_cloud_wording() -> None:
    assert set(WORDS.style) == set(config().local.styles)
    assert set(WORDS.aspect) == {"16:9", "9:16", "1:1", "source"}
    assert set(WORDS.platform) == set(config().local.platforms)


def test_an_unknown_style_is_refused_before_anything_is_uploaded(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    with pytest.raises(SkillError) as caught:
        harness.backend().caption(CaptionRequest(path=video, style="neon"))
    assert caught.value.code == "unknown_style"
    assert config().exit_status("unknown_style") == USAGE
    assert not emulator.state.calls("/api/upload-video")


# Starts the CLI in a fresh interpreter.
@pytest.mark.slow
def test_the_cli_exits_with_a_usage_error_for_an_unknown_style(
    emulator: Emulator, home: Path, video: Path
) -> None:
    env = {**os.environ, "NEMO_API_BASE": emulator.url, "AI_SUBTITLES_HOME": str(home)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "skill_runtime",
            "--backend",
            "cloud",
            "caption",
            str(video),
            "--style",
            "neon",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == USAGE
    assert "neon" in done.stderr


def test_a_named_version_maps_its_frame_and_style_and_says_it_is_not_kept(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    request = CaptionRequest(path=video, aspect="9:16", style="pop", rendition="tiktok")
    result = harness.backend().caption(request)
    assert result.data["instruction"][1:] == [WORDS.aspect["9:16"], WORDS.style["pop"]]
    answer = render(result.template, **result.context)
    assert 'not kept as a separate "tiktok" version' in answer


@pytest.mark.parametrize("call", ["chat", "export"])
def test_picking_a_named_version_is_refused_before_anything_is_sent(
    harness: Harness, emulator: Emulator, call: str
) -> None:
    harness.ctx.rendition = "tiktok"
    backend = harness.backend()
    with pytest.raises(SkillError) as caught:
        backend.chat("make them red") if call == "chat" else backend.export()
    assert caught.value.code == "not_available"
    assert "named versions" in render("errors/not_available", **caught.value.context)
    assert emulator.state.sessions == {}


def test_a_caption_link_is_handed_to_nemovideo_as_a_link(
    harness: Harness, emulator: Emulator
) -> None:
    link = "https://example.com/media/talk.mp4"
    harness.backend().caption(CaptionRequest(path=Path(link), url=link))
    (call,) = emulator.state.calls("/upload-video/")
    assert call["headers"]["content-type"] == "application/json"

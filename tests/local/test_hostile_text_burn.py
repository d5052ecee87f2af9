"""A burn of hostile caption text delivers, with the text drawn as written.

One clip holds the whole hostile table as consecutive cues; the full render
(glyph check, preview, burn, every subtitle file) must succeed, each cue must
put text on the picture, and the ASS that was burned reads back as the text.
The glyph check never refuses text in a script the packaged fonts cover,
whatever markup-like characters surround it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skill_runtime.caption_text import clean
from skill_runtime.captions import CaptionSettings, Cue
from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local import pipeline
from skill_runtime.local.probe import probe
from skill_runtime.local.render.ffmpeg import locate
from skill_runtime.local.render.fonts import fonts_dir
from skill_runtime.local.render.video import check_drawn
from skill_runtime.local.session import CaptionJob
from skill_runtime.local.subtitles import make_ass

from .caption_readers import ass_lines, srt_lines, vtt_lines
from .conftest import frame_at, make_ctx
from .test_bad_input import LOOK
from .test_caption_text_formats import HOSTILE

pytestmark = pytest.mark.slow

SPAN = 1.0


def _words(cues: list[list[str]]) -> list[str]:
    return " ".join(line for lines in cues for line in lines).split()


@pytest.fixture(scope="module")
def grey_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    seconds = len(HOSTILE) * SPAN + 1
    out = tmp_path_factory.mktemp("hostile") / "grey.mp4"
    subprocess.run(
        [locate().exe, "-v", "error", "-y",
         "-f", "lavfi", "-i", f"color=c=0x808080:size=640x360:rate=10:d={seconds}",
         "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(out)],
        check=True,
    )  # fmt: skip
    return out


def test_the_hostile_table_burns_and_every_format_shows_it(
    grey_clip: Path, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only the packaged fonts: no system font has the emoji, which must not stop the burn.
    empty = tmp_path / "empty.conf"
    empty.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n', encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    cues = [
        Cue(start=k * SPAN + 0.5, end=(k + 1) * SPAN + 0.4, lines=[clean(text)])
        for k, text in enumerate(HOSTILE.values())
    ]
    captioned = CaptionJob(
        media=probe(grey_clip, config().local.media_extensions),
        settings=CaptionSettings(languages=["en"]),
        source_language="en",
        tracks={"en": cues},
    )
    media = {
        m.path.name.split(".", 1)[1]: m.path
        for m in pipeline.render_outputs(captioned, make_ctx(home, tmp_path / "out")).media
    }
    expected = [cue.lines for cue in cues]
    # Each file re-fits the cues to its rules; the words come out the same, in order.
    assert _words(srt_lines(media["en.srt"])) == _words(expected)
    assert _words(vtt_lines(media["en.vtt"])) == _words(expected)
    assert _words(ass_lines(media["en.ass"])) == _words(expected)
    blank = frame_at(media["captioned.mp4"], 0.2).astype(int)
    for cue in cues:
        shown = frame_at(media["captioned.mp4"], cue.start + 0.3).astype(int)
        assert (np.abs(shown - blank).sum(axis=2) > 60).sum() > 100, cue.lines


SCRIPTS = {
    "latin": "abcdefghijklmnopqrstuvwxyzÀÉÎØÜßñ",
    "devanagari": "नमस्तेदुनिया",
    "arabic": "مرحبابالعالم",
    "thai": "สวัสดีครับภาษาไทย",
}
MARKUP = "\\{}<>&-/ "


@settings(max_examples=12, deadline=None)
@given(
    st.sampled_from(sorted(SCRIPTS)).flatmap(
        lambda s: st.text(alphabet=SCRIPTS[s] + MARKUP, min_size=1, max_size=40)
    )
)
def test_text_in_a_covered_script_always_passes_the_glyph_check(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    line = clean(text) or "a"
    ass = tmp_path_factory.mktemp("g") / "check.ass"
    ass.write_text(make_ass([[Cue(start=0, end=1, lines=[line])]], LOOK).to_string("ass"))
    check_drawn(
        ass,
        fonts=fonts_dir(config().local.fonts, Environment.read()),
        shape=LOOK.shape,
        at=0.5,
        chars=line,
    )

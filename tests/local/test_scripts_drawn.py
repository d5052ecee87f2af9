"""Scripts the caption font lacks are drawn from the packaged fonts, not refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill_runtime.captions import Cue
from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local.render.fonts import fonts_dir
from skill_runtime.local.render.video import check_drawn
from skill_runtime.local.subtitles import make_ass

from .test_bad_input import LOOK


@pytest.mark.parametrize(
    ("script", "line"),
    [("thai", "สวัสดีครับ ภาษาไทย"), ("devanagari", "नमस्ते दुनिया"), ("arabic", "مرحبا بالعالم")],
)
def test_a_script_noto_sans_lacks_is_drawn_from_the_packaged_fonts(
    script: str, line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No system fonts at all: only what the package installs may draw the line.
    empty = tmp_path / "empty.conf"
    empty.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n', encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    ass = tmp_path / f"{script}.ass"
    ass.write_text(make_ass([[Cue(start=0, end=1, lines=[line])]], LOOK).to_string("ass"))
    check_drawn(
        ass,
        fonts=fonts_dir(config().local.fonts, Environment.read()),
        shape=LOOK.shape,
        at=0.5,
        chars=line,
    )

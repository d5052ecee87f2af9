"""Two burned-in languages sit on their own rows, the primary larger and nearest the edge."""

from __future__ import annotations

import subprocess
from pathlib import Path

import av
import numpy as np
import pytest

from skill_runtime.captions import CaptionSettings, Cue
from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local.render.ffmpeg import escape_filter_value, locate
from skill_runtime.local.render.fonts import fonts_dir
from skill_runtime.local.subtitles import AssLook, make_ass

PRIMARY = [Cue(start=0, end=2, lines=["Hello, and welcome", "to this short demo."])]
SECOND = [Cue(start=0, end=2, lines=["Hola y bienvenidos", "a esta breve demostración."])]


def _text_rows(ass_text: str, size: tuple[int, int], tmp: Path) -> tuple[int, int]:
    """First and last pixel row holding caption text, on a black frame."""
    ass, png = tmp / "frame.ass", tmp / "frame.png"
    ass.write_text(ass_text, encoding="utf-8")
    fonts = fonts_dir(config().local.fonts, Environment.read())
    subprocess.run(
        [locate().exe, "-v", "error", "-f", "lavfi",
         "-i", f"color=c=black:size={size[0]}x{size[1]}",
         "-vf", f"ass={escape_filter_value(str(ass))}:fontsdir={escape_filter_value(str(fonts))}",
         "-frames:v", "1", "-y", str(png)],
        check=True,
    )  # fmt: skip
    with av.open(str(png)) as container:
        pixels = next(container.decode(video=0)).to_ndarray(format="gray")
    rows = np.flatnonzero(pixels.max(axis=1) > 128)
    assert rows.size, "nothing was drawn"
    return int(rows[0]), int(rows[-1])


@pytest.mark.parametrize(
    ("aspect", "position"), [("16:9", "bottom"), ("16:9", "top"), ("9:16", "bottom")]
)
def test_languages_do_not_overlap(tmp_path: Path, aspect: str, position: str) -> None:
    local = config().local
    shape = local.shapes[aspect]
    look = AssLook(
        shape=shape,
        preset=local.styles["clean"],
        settings=CaptionSettings(position=position),  # type: ignore[arg-type]
        font=local.fonts.family,
        short_form=local.short_form,
    )
    subs = make_ass([PRIMARY, SECOND], look)
    assert subs.styles["Main"].fontsize > subs.styles["Extra1"].fontsize
    rows = {}
    for style in ("Main", "Extra1"):
        alone = make_ass([PRIMARY, SECOND], look)
        alone.events = [e for e in alone.events if e.style == style]
        rows[style] = _text_rows(alone.to_string("ass"), (shape.width, shape.height), tmp_path)
    (main_top, main_bottom), (extra_top, extra_bottom) = rows["Main"], rows["Extra1"]
    if position == "bottom":
        assert extra_bottom < main_top
    else:
        assert main_bottom < extra_top

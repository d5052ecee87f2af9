"""A caption line's width is what libass draws, not how many code points it has.

The line limits (42 columns, 16 for vertical styles) assume a column is about one
Latin letter wide. Thai and Devanagari put vowel and tone marks on their letters,
so counting code points measured those lines far wider than drawn and broke them
too early.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pysubs2
import pytest
import wcwidth

from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local.cues.text import display_width
from skill_runtime.local.render.fonts import fonts_dir

LATIN = "The quick brown fox jumps over the lazy dog today"
# (text, font family libass draws it with): Noto Sans carries Devanagari itself,
# Thai comes from the Noto Sans Thai package.
SCRIPTS = {
    "thai": ("สวัสดีครับ ยินดีต้อนรับสู่บ้านของเรา วันนี้เราจะทำอาหาร", "Noto Sans Thai"),
    "hindi": ("नमस्ते, आज हम घर पर ताज़ा पास्ता बनाना सीखेंगे", "Noto Sans"),
}
_W, _H = 3000, 200


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("hello world", 11),
        ("字幕 test", 9),
        ("e\u0301", 1),  # e + combining acute: one column
        ("\u200b", 0),  # zero-width space
        ("👍🏽", 2),  # emoji with a skin-tone modifier: one wide grapheme
    ],
)
def test_width_counts_columns_per_grapheme(text: str, width: int) -> None:
    assert display_width(text) == width


def _drawn_px(text: str, font: str, tmp: Path) -> int:
    """Pixel width of `text` as libass draws it with the caption fonts, at 60 px."""
    subs = pysubs2.SSAFile()
    subs.info.update({"PlayResX": str(_W), "PlayResY": str(_H)})
    style = subs.styles["Default"]
    style.fontname, style.fontsize, style.outline, style.shadow = font, 60, 0, 0
    style.alignment = pysubs2.Alignment.MIDDLE_CENTER
    subs.append(pysubs2.SSAEvent(start=0, end=5000, text=text))
    ass, raw = tmp / "line.ass", tmp / "frame.gray"
    subs.save(str(ass))
    fonts = fonts_dir(config().local.fonts, Environment.read())
    done = subprocess.run(
        [
            "ffmpeg", "-v", "warning", "-y", "-f", "lavfi",
            "-i", f"color=c=black:s={_W}x{_H}:r=1:d=1",
            "-vf", f"ass=filename={ass}:fontsdir={fonts},format=gray",
            "-frames:v", "1", "-f", "rawvideo", str(raw),
        ],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "fallback" not in done.stderr, done.stderr
    inked = np.flatnonzero((np.fromfile(raw, dtype=np.uint8).reshape(_H, _W) > 64).any(axis=0))
    return int(inked[-1] - inked[0] + 1)


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_a_column_is_drawn_as_wide_as_a_latin_letter(script: str, tmp_path: Path) -> None:
    text, font = SCRIPTS[script]
    latin_px = _drawn_px(LATIN, "Noto Sans", tmp_path) / display_width(LATIN)
    drawn = _drawn_px(text, font, tmp_path)

    assert display_width(text) == wcwidth.width(text)
    # Within 10 % of a Latin column; counting code points was off by a fifth or more.
    assert abs(drawn / display_width(text) / latin_px - 1) < 0.10
    assert abs(drawn / len(text) / latin_px - 1) > 0.15

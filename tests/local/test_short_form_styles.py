"""Short-form looks, as drawn by libass: pop groups, the spoken word lit, keywords in colour,
all inside a platform's safe area and never flashing."""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

import av
import numpy as np
import pytest

from skill_runtime.captions import CaptionSettings, Cue, Word
from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local.render.ffmpeg import escape_filter_value, locate
from skill_runtime.local.render.fonts import fonts_dir
from skill_runtime.local.render.layout import output_shape
from skill_runtime.local.subtitles import AssLook, make_ass
from skill_runtime.local.subtitles.shortform import group_words, highlight_spans, pop_groups
from skill_runtime.settings.local import Shape

LOCAL = config().local
ACCENT_RGB = (0xFF, 0xE5, 0x00)  # the presets' accent colour, &H0000E5FF


def _words(text: str, start: float, step: float) -> list[Word]:
    return [
        Word(text=w, start=round(start + k * step, 3), end=round(start + (k + 0.9) * step, 3))
        for k, w in enumerate(text.split())
    ]


def _cue(lines: list[str], start: float, step: float) -> Cue:
    words = _words(" ".join(lines), start, step)
    return Cue(start=start, end=words[-1].end + 0.3, lines=lines, words=words)


def _look(style: str, shape: Shape, **settings: object) -> AssLook:
    return AssLook(
        shape=shape,
        preset=LOCAL.styles[style],
        settings=CaptionSettings(style=style, **settings),  # type: ignore[arg-type]
        font=LOCAL.fonts.family,
        short_form=LOCAL.short_form,
    )


def _frame(cues: list[Cue], look: AssLook, at: float, tmp: Path) -> np.ndarray:
    """The RGB frame libass draws at `at` on black, at the shape's full size."""
    ass, png = tmp / "look.ass", tmp / "look.png"
    ass.write_text(make_ass([cues], look, ["en"]).to_string("ass"), encoding="utf-8")
    fonts = fonts_dir(LOCAL.fonts, Environment.read())
    w, h = look.shape.width, look.shape.height
    subprocess.run(
        [locate().exe, "-v", "error", "-y",
         "-f", "lavfi", "-i", f"color=c=black:s={w}x{h}:r=25:d=30",
         "-vf", f"ass={escape_filter_value(ass)}:fontsdir={escape_filter_value(fonts)}",
         "-ss", f"{at:.3f}", "-frames:v", "1", str(png)],
        check=True,
    )  # fmt: skip
    with av.open(str(png)) as container:
        return next(container.decode(video=0)).to_ndarray(format="rgb24")


def _accent(pixels: np.ndarray) -> np.ndarray:
    r, g, b = (pixels[..., k].astype(int) for k in range(3))
    return (r > 200) & (g > 170) & (b < 90)


def _white(pixels: np.ndarray) -> np.ndarray:
    return pixels.min(axis=2) > 200


def _box(mask: np.ndarray) -> tuple[int, int, int, int]:
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    assert rows.size, "nothing was drawn"
    return int(cols[0]), int(rows[0]), int(cols[-1]), int(rows[-1])


def _tiktok() -> Shape:
    return output_shape(LOCAL, "9:16", None, 1080, "tiktok")


SPEECH = [
    _cue(["Today Anna will mix", "three eggs with flour."], 0.5, 0.3),
    _cue(["Then knead the dough", "for ten minutes."], 4.0, 0.3),
]


@pytest.mark.parametrize("style", ["pop", "pop-word"])
def test_pop_shows_one_to_three_words_at_a_time(style: str) -> None:
    timing = LOCAL.short_form.pop[LOCAL.styles[style].pop or ""]
    groups = pop_groups(SPEECH, timing)
    said = [w.text for g, _ in groups for w in g.words]
    assert said == [w.text for c in SPEECH for w in c.words]
    assert all(1 <= len(g.words) <= 3 for g, _ in groups)
    assert all(g.end - g.start >= timing.min_s - 1e-9 for g, _ in groups)
    assert all(a.end <= b.start + 1e-9 for (a, _), (b, _) in itertools.pairwise(groups))


@pytest.mark.parametrize(
    ("step", "min_words"),
    [(0.05, 3), (0.1, 3), (0.2, 2), (0.4, 1)],
    ids=["gabbled", "fast", "normal", "slow"],
)
def test_one_word_at_a_time_merges_words_too_short_to_read(step: float, min_words: int) -> None:
    """Words faster than the minimum time share a group; slow speech gets one word each."""
    timing = LOCAL.short_form.pop["word"]
    groups = group_words(_words("go now run far and see the big sun", 0, step), timing)
    assert all(len(g) >= min_words for g in groups[:-1])
    assert all(len(g) <= timing.max_words for g in groups)


def test_highlight_never_lights_a_word_for_less_than_the_minimum() -> None:
    words = _words("a b c d e f", 0.0, 0.08)
    spans = highlight_spans(words, 0.25)
    assert len(spans) == len(words)
    assert all(end - start >= 0.25 - 1e-9 for start, end in spans)


def test_pop_is_drawn_large_scaled_in_and_centred_in_tiktoks_safe_area(tmp_path: Path) -> None:
    shape, zone = _tiktok(), LOCAL.platforms["tiktok"]
    look = _look("pop", shape, platform="tiktok")
    events = make_ass([SPEECH], look, ["en"]).events
    assert all("\\t(0," in e.text and "\\fscx100" in e.text for e in events)
    first = events[0]
    x0, y0, x1, y1 = _box(_white(_frame(SPEECH, look, first.start / 1000 + 0.3, tmp_path)))
    assert y1 - y0 >= 0.05 * shape.width  # large: letters taller than 5 % of the frame's width
    assert zone.left <= x0 and x1 <= shape.width - zone.right
    assert zone.top <= y0 and y1 <= shape.height - zone.bottom
    safe_middle = (zone.top + shape.height - zone.bottom) / 2
    assert abs((y0 + y1) / 2 - safe_middle) < 0.1 * shape.height


def test_highlight_lights_the_spoken_word_and_moves_with_speech(tmp_path: Path) -> None:
    shape = LOCAL.shapes["9:16"]
    look = _look("highlight", shape)
    cue = SPEECH[0]
    lit = []
    for word in (cue.words[0], cue.words[3]):
        pixels = _frame([cue], look, (word.start + word.end) / 2, tmp_path)
        assert _white(pixels).sum() > 2000, "the rest of the phrase is drawn in white"
        lit.append(_box(_accent(pixels)))
    (ax0, ay0, ax1, _), (bx0, by0, bx1, _) = lit
    assert (ax0, ay0) != (bx0, by0), "the highlight moved to the spoken word"
    assert ax1 - ax0 < shape.width / 3 and bx1 - bx0 < shape.width / 3, "one word, not the line"


@pytest.mark.parametrize(
    ("lines", "listed", "coloured"),
    [
        (["Mix 3 eggs with the flour"], [], True),
        (["Then Anna kneads the dough"], [], True),
        (["then knead the dough well"], [], False),
        (["then knead the dough well"], ["dough"], True),
    ],
    ids=["number", "name", "plain", "listed word"],
)
def test_keywords_are_drawn_in_the_accent_colour(
    tmp_path: Path, lines: list[str], listed: list[str], coloured: bool
) -> None:
    look = _look("keywords", LOCAL.shapes["9:16"], keywords=listed)
    cue = Cue(start=0.0, end=2.0, lines=lines)
    pixels = _frame([Cue(start=0, end=0.5, lines=["Hello."]), cue], look, 1.0, tmp_path)
    assert _white(pixels).sum() > 1000
    assert bool(_accent(pixels).sum() > 150) == coloured


def test_platform_zones_come_from_data_and_scale_with_the_frame() -> None:
    zone, pad = LOCAL.platforms["reels"], LOCAL.safe_padding
    full = output_shape(LOCAL, "9:16", None, 1080, "reels")
    small = output_shape(LOCAL, "9:16", None, 720, "reels")
    assert (full.margin_top, full.margin_bottom) == (zone.top + pad, zone.bottom + pad)
    assert (full.left, full.right) == (zone.left + pad, zone.right + pad)
    assert small.margin_bottom == round(full.margin_bottom * 720 / 1080)
    assert output_shape(LOCAL, "16:9", None, 1080, "reels") == LOCAL.shapes["16:9"]
    assert all(z.source for z in LOCAL.platforms.values())

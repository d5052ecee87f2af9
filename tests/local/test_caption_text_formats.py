"""Caption text is data: every writer shows it literally, whatever it contains.

A hostile table (markup of every kind a player or libass obeys, bidi overrides,
zero-width characters, a 2,000-character line, emoji) and arbitrary Unicode
(hypothesis) are written as SRT, WebVTT and ASS; independent parsers read each
file back and the visible text is the cleaned text, line for line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skill_runtime.caption_text import clean
from skill_runtime.captions import Cue
from skill_runtime.local.subtitles import make_ass
from skill_runtime.local.subtitles.files import write_text_subs

from .caption_readers import ass_lines, srt_lines, vtt_lines, vtt_raw
from .test_bad_input import LOOK

HOSTILE = {
    "backslash": "C:\\new\\Names\\h folder\\",
    "braces": "{curly} and {\\fs200}huge \\{ \\}",
    "drawing": "{\\p1}m 0 0 l 100 0 100 100 0 100{\\p0}",
    "html": '<font color="red">red</font> <b>bold</b> &amp; & <i>',
    "arrow": "a --> b -> c",
    "rtl_override": "abc \u202edcba\u202c xyz",
    "zero_width": "zero\u200bwidth\u2060join\ufeff",
    "long": ("word " * 400).strip() + "!",
    "emoji": "emoji 😀 👩\u200d💻 🇫🇷",
    "number_line": "42",
}


def _cues(texts: list[str]) -> list[Cue]:
    return [Cue(start=k, end=k + 0.9, lines=[clean(t)]) for k, t in enumerate(texts)]


def _written(tmp_path: Path, cues: list[Cue]) -> dict[str, list[list[str]]]:
    srt = write_text_subs(cues, tmp_path / "t.srt", "srt")
    vtt = write_text_subs(cues, tmp_path / "t.vtt", "vtt")
    ass = tmp_path / "t.ass"
    ass.write_text(make_ass([cues], LOOK).to_string("ass"), encoding="utf-8")
    return {"srt": srt_lines(srt), "vtt": vtt_lines(vtt), "ass": ass_lines(ass)}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_shown_literally_in_every_format(tmp_path: Path, name: str) -> None:
    cues = _cues([HOSTILE[name]])
    for fmt, shown in _written(tmp_path, cues).items():
        assert shown == [cues[0].lines], fmt


def test_webvtt_cues_never_carry_an_arrow_or_a_tag(tmp_path: Path) -> None:
    vtt = write_text_subs(_cues(list(HOSTILE.values())), tmp_path / "t.vtt", "vtt")
    for payload in vtt_raw(vtt):
        assert "-->" not in payload
        assert "<" not in payload


def test_the_2000_character_line_is_written_whole(tmp_path: Path) -> None:
    cues = _cues([HOSTILE["long"]])
    assert len(cues[0].lines[0]) == 2000
    assert all(shown == [cues[0].lines] for shown in _written(tmp_path, cues).values())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.text(min_size=1), min_size=1, max_size=3), min_size=1, max_size=4))
def test_any_unicode_text_round_trips_through_every_writer(
    tmp_path_factory: pytest.TempPathFactory, texts: list[list[str]]
) -> None:
    cues = [
        Cue(start=k, end=k + 0.5, lines=lines)
        for k, raw in enumerate(texts)
        if (lines := [line for line in (clean(t) for t in raw) if line])
    ]
    expected = [cue.lines for cue in cues]
    for fmt, shown in _written(tmp_path_factory.mktemp("u"), cues).items():
        assert shown == expected, fmt

"""Cues re-wrapped to tighter limits never end up with more lines than allowed."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skill_runtime.captions import Cue
from skill_runtime.config import config
from skill_runtime.local.cues import display_width, refit_cues

RULES = config().local.cues
LONG = "the quick brown fox jumps over the lazy dog while the cat watches from the window"


def test_a_cue_that_fits_keeps_its_times_and_text() -> None:
    cue = Cue(start=1.0, end=3.0, lines=["short and sweet"])
    assert refit_cues([cue], "en", RULES) == [cue]


@pytest.mark.parametrize("max_chars", [16, 20, 28])
def test_a_cue_too_long_for_two_lines_is_split_within_its_time(max_chars: int) -> None:
    words = LONG.split()
    cue = Cue(start=10.0, end=16.0, lines=[" ".join(words[:8]), " ".join(words[8:])])
    out = refit_cues([cue], "en", RULES, max_chars)
    assert len(out) > 1
    assert all(len(c.lines) <= RULES.max_lines for c in out)
    assert all(display_width(line) <= max_chars for c in out for line in c.lines)
    assert " ".join(" ".join(c.lines) for c in out) == LONG
    assert out[0].start == 10.0 and out[-1].end == 16.0
    gap = RULES.min_gap_frames / RULES.default_fps
    assert all(b.start - a.end >= gap - 1e-6 for a, b in itertools.pairwise(out))


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(st.text("abcdefghij", min_size=1, max_size=9), min_size=1, max_size=40),
    max_chars=st.integers(min_value=12, max_value=42),
)
def test_refit_never_exceeds_the_line_rules(words: list[str], max_chars: int) -> None:
    cue = Cue(start=0.0, end=7.0, lines=[" ".join(words)])
    out = refit_cues([cue], "en", RULES, max_chars)
    assert all(1 <= len(c.lines) <= RULES.max_lines for c in out)
    assert all(display_width(line) <= max_chars for c in out for line in c.lines)
    assert [w for c in out for line in c.lines for w in line.split()] == words
    assert all(c.start < c.end for c in out)


def test_a_wall_of_text_in_a_short_cue_stays_inside_it_in_order() -> None:
    cue = Cue(start=7.5, end=8.4, lines=[" ".join(["word"] * 240)])
    out = refit_cues([cue], "en", RULES, 40)
    assert len(out) == 15  # 240 words, 8 a line, 2 lines a cue
    assert out[0].start == 7.5 and out[-1].end == 8.4
    assert all(c.start < c.end for c in out)
    assert all(a.end <= b.start for a, b in itertools.pairwise(out))

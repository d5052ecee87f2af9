"""A translated cue on its source cue's window: one cue when it fits, clause splits inside it."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skill_runtime.captions import Cue
from skill_runtime.config import config
from skill_runtime.local.cues.text import display_width
from skill_runtime.local.translate.fit import budget, fit_cue

RULES = config().local.cues
SOURCE = Cue(start=10.0, end=16.0, lines=["source"])


def _check_within_window(pieces: list[Cue], source: Cue) -> None:
    assert pieces[0].start == source.start
    assert pieces[-1].end == source.end
    for piece in pieces:
        assert piece.end - piece.start >= RULES.min_duration_s - 1e-9
        assert len(piece.lines) <= RULES.max_lines
        assert all(display_width(line) <= RULES.max_chars_per_line for line in piece.lines)
    for before, after in itertools.pairwise(pieces):
        assert after.start > before.end


@pytest.mark.parametrize(
    ("duration", "expected"),
    [(1.0, 20), (3.0, 60), (10.0, 85)],
)
def test_the_budget_is_reading_speed_capped_at_two_lines(duration: float, expected: int) -> None:
    assert budget(duration, RULES) == expected


def test_a_translation_that_fits_keeps_the_source_cue_exactly() -> None:
    (cue,) = fit_cue(SOURCE, "Buenos días a todos.", "es", RULES)
    assert (cue.start, cue.end, cue.lines) == (10.0, 16.0, ["Buenos días a todos."])


def test_a_long_translation_splits_at_its_sentence_end_inside_the_window() -> None:
    text = (
        "Hoy vamos a aprender a cocinar pasta fresca en casa con nuestros amigos. "
        "Primero mezclamos la harina con tres huevos y amasamos diez minutos."
    )
    pieces = fit_cue(SOURCE, text, "es", RULES)
    assert len(pieces) == 2
    assert pieces[0].text.endswith("amigos.")
    _check_within_window(pieces, SOURCE)


def test_a_clause_mark_is_preferred_to_a_word_break() -> None:
    text = (
        "Cuando llegamos a la estación de tren, ya se había ido el último "
        "tren de la noche hacia la ciudad y tuvimos que esperar"
    )
    pieces = fit_cue(SOURCE, text, "es", RULES)
    assert pieces[0].text.endswith("tren,")
    _check_within_window(pieces, SOURCE)


def test_no_piece_is_shorter_than_the_minimum_even_in_a_short_window() -> None:
    short = Cue(start=0.0, end=1.5, lines=["x"])
    text = "Una frase larga, muy larga, que no cabe en dos líneas, por mucho que lo intente."
    pieces = fit_cue(short, text, "es", RULES)
    assert len(pieces) == 1
    assert (pieces[0].start, pieces[0].end) == (0.0, 1.5)


def test_without_a_clause_mark_the_best_word_break_is_used() -> None:
    text = " ".join(["palabra"] * 14)
    pieces = fit_cue(SOURCE, text, "es", RULES)
    assert len(pieces) == 2
    assert " ".join(p.text.replace("\n", " ") for p in pieces) == text
    _check_within_window(pieces, SOURCE)


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(
        st.text("abcdefghij", min_size=1, max_size=9).map(lambda w: w + st_punct(w)),
        min_size=1,
        max_size=30,
    ),
    start=st.floats(min_value=0, max_value=100, allow_nan=False),
    duration=st.floats(min_value=0.9, max_value=7.0, allow_nan=False),
)
def test_fitted_pieces_stay_in_the_window_keep_every_word_and_the_minimum(
    words: list[str], start: float, duration: float
) -> None:
    source = Cue(start=round(start, 3), end=round(start + duration, 3), lines=["x"])
    pieces = fit_cue(source, " ".join(words), "es", RULES)
    assert [w for p in pieces for line in p.lines for w in line.split()] == words
    assert pieces[0].start == source.start and pieces[-1].end == source.end
    assert all(source.start <= p.start < p.end <= source.end for p in pieces)
    if len(pieces) > 1:
        assert all(p.end - p.start >= RULES.min_duration_s for p in pieces)
        assert all(len(p.lines) <= RULES.max_lines for p in pieces)
        assert all(b.start > a.end for a, b in itertools.pairwise(pieces))


def st_punct(word: str) -> str:
    """Every third word (by its letters) ends a clause, so clause splits get exercised."""
    return "," if sum(map(ord, word)) % 3 == 0 else ""

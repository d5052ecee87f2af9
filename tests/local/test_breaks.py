"""Line breaks that respect grammar, per language, with the word lists from skill.yaml."""

from __future__ import annotations

import pytest

from skill_runtime.captions import Word
from skill_runtime.config import config
from skill_runtime.local.cues import build_cues, wrap_text
from skill_runtime.local.cues.text import dangles

from .test_cues import assert_in_times, assert_rules, words_from

RULES = config().local.cues


@pytest.mark.parametrize(
    ("language", "limit", "text", "lines"),
    [
        # a preposition stays with its phrase
        (
            "en",
            26,
            "the period was so far like the present period",
            ["the period was so far", "like the present period"],
        ),
        # a negation stays with its verb
        (
            "en",
            22,
            "And so my fellow Americans ask not what",
            ["And so my fellow", "Americans ask not what"],
        ),
        # a possessive stays with what it owns
        (
            "en",
            28,
            "We finally found my brother's old red bicycle",
            ["We finally found", "my brother's old red bicycle"],
        ),
        # a clause mark is the best break, even when lines come out uneven
        (
            "en",
            42,
            "I waited for hours at the station, but the train never came back.",
            ["I waited for hours at the station,", "but the train never came back."],
        ),
        # Spanish: break before the conjunction, not after the article
        (
            "es",
            32,
            "Mañana visitamos la casa de mis abuelos y comemos juntos",
            ["Mañana visitamos la casa", "de mis abuelos y comemos juntos"],
        ),
    ],
)
def test_grammar_chooses_the_break(language: str, limit: int, text: str, lines: list[str]) -> None:
    assert wrap_text(text, RULES, language, limit) == lines


@pytest.mark.parametrize(
    ("language", "word", "hangs"),
    [
        ("en", "the", True),
        ("en", "of", True),
        ("en", "like", True),
        ("en", "and", True),
        ("en", "brother's", True),
        ("en", "their", True),
        ("en", "station,", False),
        ("en", "the.", False),
        ("en", "period", False),
        ("es", "la", True),
        ("es", "de", True),
        ("es", "hacia", True),
        ("es", "casa", False),
    ],
)
def test_dangling_words_by_language(language: str, word: str, hangs: bool) -> None:
    assert dangles(word, language, RULES) is hangs


def test_two_lines_are_bottom_heavy_when_they_cannot_be_equal() -> None:
    assert wrap_text("Maria bakes fresh bread daily", RULES, "en", 18) == [
        "Maria bakes",
        "fresh bread daily",
    ]


@pytest.mark.parametrize("limit", [42, 26])
def test_no_line_or_cue_ends_on_a_dangling_word_in_a_long_reading(limit: int) -> None:
    text = (
        "In short, the period was so far like the present period that some of its "
        "noisiest authorities insisted on its being received for good or for evil "
        "in the superlative degree of comparison only."
    )
    cues = build_cues(words_from(text), "en", RULES.with_overrides(max_chars_per_line=limit))
    ends = [line.split()[-1] for cue in cues for line in cue.lines]
    assert not [end for end in ends if dangles(end, "en", RULES)], [c.lines for c in cues]


def test_fast_speech_on_a_vertical_frame_moves_the_next_cue_in_late_rather_than_dangle() -> None:
    """Endgame's "Laugh less heartily so we have still that resource." in 2.35 s at 26 characters
    a line: the only splits that leave nothing hanging need the second cue to come in a
    little after its first word, which the timing allows (max_late_in_s)."""
    timed = [
        ("Laugh", 8.75, 8.98),
        ("less", 8.98, 9.1),
        ("heartily", 9.1, 9.5),
        ("so", 9.5, 9.74),
        ("we", 9.74, 10.16),
        ("have", 10.16, 10.3),
        ("still", 10.3, 10.54),
        ("that", 10.54, 10.7),
        ("resource.", 10.7, 11.1),
    ]
    words = [Word(text=text, start=start, end=end) for text, start, end in timed]
    vertical = RULES.with_overrides(max_chars_per_line=26)
    cues = build_cues(words, "en", vertical, fps=25.0)
    ends = [line.split()[-1] for cue in cues for line in cue.lines]
    assert not [end for end in ends if dangles(end, "en", RULES)], [c.lines for c in cues]
    assert_rules(cues, vertical, 25.0)
    assert_in_times(cues, vertical)

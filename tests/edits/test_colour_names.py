"""Colour names live in one table, skill.yaml `edits.colors`: what a phrase asks for is what
the captions are drawn in, and a colour named after keywords is never taken for one."""

from __future__ import annotations

import pytest

from skill_runtime.config import config
from skill_runtime.local.edits.interpret import interpret
from skill_runtime.local.subtitles.ass import user_colour
from skill_runtime.settings.edit_models import Color, Keywords

COLORS = config().edits.colors
PHRASES = [(name, phrase) for name, colour in COLORS.items() for phrase in colour.phrases]


@pytest.mark.parametrize(("name", "phrase"), PHRASES)
def test_a_colour_phrase_draws_the_tables_colour(name: str, phrase: str) -> None:
    hex_value = COLORS[name].hex

    assert interpret(f"make them {phrase}", config().edits, config().translation.languages) == [
        Color(color=hex_value, name=name)
    ]
    drawn = user_colour(hex_value)
    assert drawn is not None
    assert f"#{drawn.r:02X}{drawn.g:02X}{drawn.b:02X}" == hex_value.upper()


@pytest.mark.parametrize(("name", "phrase"), PHRASES)
def test_a_colour_after_the_keywords_is_not_a_keyword(name: str, phrase: str) -> None:
    said = f"highlight the words pasta and eggs in {phrase}"
    assert interpret(said, config().edits, config().translation.languages) == [
        Keywords(words=["pasta", "eggs"])
    ]


def test_a_colour_name_alone_is_not_drawn_without_the_table() -> None:
    assert user_colour("yellow") is None
    assert user_colour("#ffe600") is not None

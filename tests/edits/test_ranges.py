"""Edits outside their range are refused with the allowed range, before anything changes."""

from __future__ import annotations

import pytest

from skill_runtime.captions import CaptionSettings, Cue
from skill_runtime.config import config
from skill_runtime.errors import SkillError
from skill_runtime.local.cues.shift import shifted
from skill_runtime.local.edits.apply import Outcome, apply_edits
from skill_runtime.local.edits.interpret import interpret
from skill_runtime.messages import render
from skill_runtime.settings.edit_models import Color, Edit, FontSize, MaxChars, Shift
from skill_runtime.settings.local import CueRules

DURATION = 5.0  # the video; speech runs from 0.5 s to 4.0 s, so shifts fit in [-0.5, +1.0]


def _tracks() -> dict[str, list[Cue]]:
    return {"en": [Cue(start=0.5, end=2.0, lines=["one"]), Cue(start=2.5, end=4.0, lines=["two"])]}


def _rules(settings: CaptionSettings) -> CueRules:
    return config().local.cues.with_overrides(max_chars_per_line=settings.max_chars)


def _apply(edits: list[Edit], settings: CaptionSettings, tracks: dict[str, list[Cue]]) -> Outcome:
    return apply_edits(
        edits,
        settings,
        tracks,
        rules_for=_rules,
        styles=config().local.styles,
        presets=config().edits.presets,
        limits=config().edits.limits,
        duration=DURATION,
    )


REFUSED: dict[str, tuple[list[Edit], str]] = {
    "shift -5 s": ([Shift(seconds=-5)], "from -0.50 s to +1.00 s"),
    "shift +5 s": ([Shift(seconds=5)], "from -0.50 s to +1.00 s"),
    "shift -999 s": ([Shift(seconds=-999)], "-999 s"),
    "shift +999 s": ([Shift(seconds=999)], "+999 s"),
    "font size 900": ([FontSize(size=900)], "24 to 160"),
    "font size 10": ([FontSize(size=10)], "24 to 160"),
    "max 0 characters": ([MaxChars(chars=0)], "10 to 80"),
    "max 200 characters": ([MaxChars(chars=200)], "10 to 80"),
    "a good edit with a bad one": ([Color(color="#FF0000"), Shift(seconds=-5)], "outside"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_out_of_range_edit_is_refused_and_nothing_changes(case: str) -> None:
    edits, says = REFUSED[case]
    settings, tracks = CaptionSettings(languages=["en"]), _tracks()
    before = (settings.model_dump(), {k: [c.model_dump() for c in v] for k, v in tracks.items()})
    with pytest.raises(SkillError) as err:
        _apply(edits, settings, tracks)
    assert err.value.code == "edit_out_of_range"
    assert config().exit_status(err.value.code) == config().exit_codes["usage"]
    message = render("errors/edit_out_of_range", **err.value.context)
    assert says in message and "Nothing was changed" in message
    after = (settings.model_dump(), {k: [c.model_dump() for c in v] for k, v in tracks.items()})
    assert after == before


@pytest.mark.parametrize("seconds", [-0.5, 1.0, 0.25])
def test_shifts_inside_the_video_are_applied(seconds: float) -> None:
    outcome = _apply([Shift(seconds=seconds)], CaptionSettings(languages=["en"]), _tracks())
    assert outcome.settings.shift_s == pytest.approx(seconds)
    moved = shifted(outcome.tracks["en"], outcome.settings.shift_s)
    assert moved[0].start == pytest.approx(0.5 + seconds)


def test_bigger_stops_at_the_largest_readable_size() -> None:
    settings = CaptionSettings(languages=["en"], font_size=150)
    with pytest.raises(SkillError) as err:
        _apply([FontSize(scale=1.25)], settings, _tracks())
    assert err.value.context["high"] == 160


def test_a_cue_ending_before_it_starts_is_refused() -> None:
    tracks = {"en": [Cue(start=2.0, end=1.0, lines=["backwards"])]}
    with pytest.raises(SkillError) as err:
        _apply([Color(color="#FF0000")], CaptionSettings(languages=["en"]), tracks)
    assert err.value.context["field"] == "cue_end"


@pytest.mark.parametrize(
    "sentence",
    ["shift captions by -999 s", "font size 9000", "字号 900", "max 0 characters per line"],
)
def test_what_a_user_says_reaches_the_range_check(sentence: str) -> None:
    with pytest.raises(SkillError) as err:
        _apply(
            interpret(sentence, config().edits, config().translation.languages),
            CaptionSettings(languages=["en"]),
            _tracks(),
        )
    assert err.value.code == "edit_out_of_range"

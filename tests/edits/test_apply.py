"""Applying edits to a caption session: settings, tracks, and the report of changes."""

from __future__ import annotations

import pytest

from skill_runtime.captions import CaptionSettings, Cue, Word
from skill_runtime.config import config
from skill_runtime.local.cues.shift import shifted
from skill_runtime.local.edits.apply import Outcome, apply_edits
from skill_runtime.settings.edit_models import (
    AddLanguages,
    AspectEdit,
    Bilingual,
    Color,
    Edit,
    FontSize,
    MaxChars,
    OnlyLanguages,
    OutOfScope,
    Preset,
    RemoveLanguages,
    Replace,
    Shift,
)
from skill_runtime.settings.local import CueRules


def _cue(start: float, end: float, text: str) -> Cue:
    words = [Word(text=w, start=start, end=end) for w in text.split()]
    return Cue(start=start, end=end, lines=[text], words=words)


def _tracks() -> dict[str, list[Cue]]:
    return {
        "en": [_cue(0.5, 2.0, "the colour of teh sky"), _cue(2.5, 4.0, "is blue today")],
    }


def _translated(language: str) -> list[Cue]:
    return [_cue(c.start, c.end, f"[{language}] {c.text}") for c in _tracks()["en"]]


def _rules(settings: CaptionSettings) -> CueRules:
    return config().local.cues.with_overrides(max_chars_per_line=settings.max_chars)


def _apply(
    edits: list[Edit],
    settings: CaptionSettings | None = None,
    tracks: dict[str, list[Cue]] | None = None,
) -> Outcome:
    local = config().local
    return apply_edits(
        edits,
        settings or CaptionSettings(languages=["en"]),
        tracks if tracks is not None else _tracks(),
        rules_for=_rules,
        styles=local.styles,
        presets=config().edits.presets,
        limits=config().edits.limits,
        translate=_translated,
    )


def test_a_setting_edit_reports_before_and_after() -> None:
    outcome = _apply([Color(color="#FFE600", name="yellow")])
    assert outcome.settings.color == "#FFE600"
    assert [(c.field, c.before, c.after) for c in outcome.changes] == [("color", None, "#FFE600")]


def test_an_edit_that_changes_nothing_reports_nothing() -> None:
    outcome = _apply(
        [Color(color="#FFE600")], settings=CaptionSettings(languages=["en"], color="#FFE600")
    )
    assert outcome.changes == []


def test_the_input_session_is_not_mutated() -> None:
    settings, tracks = CaptionSettings(languages=["en"]), _tracks()
    _apply([Shift(seconds=1.0), Color(color="#FFE600")], settings=settings, tracks=tracks)
    assert settings.color is None
    assert tracks["en"][0].start == 0.5


def test_adding_a_language_translates_a_track_for_it() -> None:
    outcome = _apply([AddLanguages(languages=["es"])])
    assert outcome.settings.languages == ["en", "es"]
    assert outcome.tracks["es"][0].text.startswith("[es]")


def test_adding_a_language_without_a_translator_is_refused() -> None:
    local = config().local
    outcome = apply_edits(
        [AddLanguages(languages=["es"])],
        CaptionSettings(languages=["en"]),
        _tracks(),
        rules_for=_rules,
        styles=local.styles,
        presets={},
        limits=config().edits.limits,
    )
    assert outcome.refused == ["es"]
    assert outcome.settings.languages == ["en"]


def test_removing_a_language_drops_it_and_its_track() -> None:
    settings = CaptionSettings(languages=["en", "es"], burn_languages=["en", "es"])
    tracks = {**_tracks(), "es": _translated("es")}
    outcome = _apply([RemoveLanguages(languages=["es"])], settings=settings, tracks=tracks)
    assert outcome.settings.languages == ["en"]
    assert outcome.settings.burn_languages == ["en"]
    assert list(outcome.tracks) == ["en"]


def test_the_last_language_cannot_be_removed() -> None:
    outcome = _apply([RemoveLanguages(languages=["en"])])
    assert outcome.settings.languages == ["en"]
    assert outcome.refused == ["en"]


def test_only_keeps_exactly_the_named_languages_in_that_order() -> None:
    settings = CaptionSettings(languages=["en", "es"])
    tracks = {**_tracks(), "es": _translated("es")}
    outcome = _apply([OnlyLanguages(languages=["fr", "en"])], settings=settings, tracks=tracks)
    assert outcome.settings.languages == ["fr", "en"]


def test_bilingual_burns_two_languages_primary_first() -> None:
    outcome = _apply([Bilingual(enabled=True, languages=["es", "en"])])
    assert outcome.settings.languages == ["es", "en"]
    assert outcome.settings.burn is True
    assert outcome.settings.burn_languages == ["es", "en"]


def test_relative_font_size_scales_the_style_default() -> None:
    default = round(config().local.styles["clean"].font_size * 1080)
    outcome = _apply([FontSize(scale=1.25)])
    assert outcome.settings.font_size == round(default * 1.25)


def test_shift_adds_to_the_total_and_leaves_the_recognised_times_alone() -> None:
    outcome = _apply([Shift(seconds=-1.0)], CaptionSettings(languages=["en"], shift_s=0.25))
    assert outcome.settings.shift_s == -0.75
    assert outcome.tracks == _tracks()
    assert [(c.field, c.before, c.after) for c in outcome.changes] == [("shift", 0.25, -0.75)]


def test_shifted_cues_move_with_their_words_and_never_before_zero() -> None:
    first, second = shifted(_tracks()["en"], -1.0)
    assert first.start == 0.0 and first.end == 1.0
    assert (second.start, second.end) == (1.5, 3.0)
    assert second.words[0].start == 1.5


def test_replace_changes_every_occurrence_and_rewraps() -> None:
    outcome = _apply([Replace(old="teh", new="the")])
    assert outcome.tracks["en"][0].text == "the colour of the sky"
    assert [c.field for c in outcome.changes] == ["replace"]


def test_replace_of_a_missing_word_says_so() -> None:
    outcome = _apply([Replace(old="purple", new="green")])
    assert [c.field for c in outcome.changes] == ["replace_none"]


def test_max_chars_rewraps_every_cue_to_the_new_limit() -> None:
    outcome = _apply([MaxChars(chars=12)])
    assert outcome.settings.max_chars == 12
    assert all(len(line) <= 12 for cue in outcome.tracks["en"] for line in cue.lines)
    assert outcome.tracks["en"][0].lines == ["the colour", "of teh sky"]


def test_a_tighter_limit_splits_cues_that_no_longer_fit_in_two_lines() -> None:
    long = "we walked along the river until the lights of the town came on"
    outcome = _apply([MaxChars(chars=14)], tracks={"en": [_cue(0.0, 6.0, long)]})
    cues = outcome.tracks["en"]
    assert len(cues) > 1
    assert all(len(cue.lines) <= 2 for cue in cues)
    assert " ".join(" ".join(cue.lines) for cue in cues) == long


@pytest.mark.parametrize(("aspect", "style"), [("source", "clean"), ("9:16", "vertical-bold")])
def test_look_better_preset_depends_on_the_frame(aspect: str, style: str) -> None:
    outcome = _apply([AspectEdit(aspect=aspect), Preset(name="better")])  # type: ignore[arg-type]
    assert outcome.settings.style == style


def test_out_of_scope_requests_are_collected_not_applied() -> None:
    outcome = _apply([OutOfScope(topic="music")])
    assert outcome.out_of_scope == ["music"]
    assert outcome.changes == []


def test_a_session_without_a_language_list_uses_its_tracks() -> None:
    outcome = _apply([AddLanguages(languages=["es"])], settings=CaptionSettings())
    assert outcome.settings.languages == ["en", "es"]

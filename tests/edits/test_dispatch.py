"""Edits dispatch through a table keyed by type: each Edit type has a handler, and the setting
edits share one that copies their values onto the caption settings."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from skill_runtime.captions import CaptionSettings
from skill_runtime.config import config
from skill_runtime.local.edits.apply import _apply_one, apply_edits
from skill_runtime.settings.edit_models import (
    AspectEdit,
    Box,
    Burn,
    Color,
    Deliver,
    Edit,
    Fit,
    Highlight,
    Outline,
    Position,
    Resolution,
    SettingEdit,
    Style,
)
from skill_runtime.settings.local import CueRules

EDIT_TYPES: tuple[type, ...] = get_args(get_args(Edit)[0])
NO_HANDLER = _apply_one.dispatch(object)

# (edit, the settings it changes: field -> value after), from a new job's settings.
SETTING_EDITS: list[tuple[SettingEdit, dict[str, Any]]] = [
    (Burn(enabled=False), {"burn": False}),
    (Color(color="#FF3B30", name="red"), {"color": "#FF3B30"}),
    (Outline(enabled=False), {"outline": False}),
    (Box(enabled=True), {"box": True}),
    (Position(position="top"), {"position": "top"}),
    (AspectEdit(aspect="9:16"), {"aspect": "9:16"}),
    (Fit(fit="crop"), {"fit": "crop"}),
    (Resolution(height=720), {"height": 720}),
    (Highlight(enabled=True), {"highlight": True}),
    (Style(style="boxed"), {"style": "boxed"}),
    (Deliver(channel="whatsapp"), {"deliver": "whatsapp"}),
    (Deliver(max_mb=16), {"max_mb": 16}),
]


def _rules(_settings: CaptionSettings) -> CueRules:
    return config().local.cues


@pytest.mark.parametrize("edit_type", EDIT_TYPES, ids=lambda t: t.__name__)
def test_every_edit_type_has_a_handler(edit_type: type) -> None:
    assert _apply_one.dispatch(edit_type) is not NO_HANDLER


def test_a_type_without_a_handler_is_refused_loudly() -> None:
    with pytest.raises(TypeError, match="no handler"):
        _apply_one(CaptionSettings(), None)


@pytest.mark.parametrize(("edit", "after"), SETTING_EDITS, ids=lambda v: type(v).__name__)
def test_a_setting_edit_copies_its_values_onto_the_settings(
    edit: SettingEdit, after: dict[str, Any]
) -> None:
    before = CaptionSettings(languages=["en"])
    outcome = apply_edits(
        [edit],
        before,
        {},
        rules_for=_rules,
        styles=config().local.styles,
        presets=config().edits.presets,
        limits=config().edits.limits,
    )
    changes = [(c.field, c.before, c.after) for c in outcome.changes]
    assert changes == [(field, getattr(before, field), value) for field, value in after.items()]


def test_the_table_covers_every_setting_edit() -> None:
    assert {type(edit) for edit, _ in SETTING_EDITS} == set(SettingEdit.__subclasses__())


@pytest.mark.parametrize("edit_type", SettingEdit.__subclasses__(), ids=lambda t: t.__name__)
def test_a_setting_edit_names_real_fields(edit_type: type[SettingEdit]) -> None:
    assert edit_type in EDIT_TYPES
    assert set(edit_type.sets) <= set(CaptionSettings.model_fields)
    assert set(edit_type.sets.values()) <= set(edit_type.model_fields)

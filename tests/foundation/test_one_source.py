"""Every setting value is written once: skill.yaml gives it, no model default repeats it.

A model may keep a default only where it is structural (None, False, an empty collection:
something absent or switched off) or where skill.yaml never sets that key.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, Field

from skill_runtime.settings.skill import SkillConfig
from skill_runtime.skill_files import skill_root


def _structural(default: object) -> bool:
    if default is None or default is False:
        return True
    return isinstance(default, (str, list, dict, tuple)) and not default


def _type_tag(annotation: object, default: object) -> bool:
    """A discriminator such as `kind: Literal["burn"] = "burn"` names a type, not a value."""
    return get_origin(annotation) is Literal and get_args(annotation) == (default,)


def _member(models: list[type[BaseModel]], data: dict[str, Any]) -> type[BaseModel] | None:
    if len(models) == 1:
        return models[0]
    for model in models:
        kind = model.model_fields.get("kind")
        if kind is not None and kind.default == data.get("kind"):
            return model
    return None


def _walk(
    annotation: object, data: object, where: str, seen: set[type[BaseModel]]
) -> Iterator[str]:
    """Each place where data sets a key whose model field already has a non-structural default."""
    origin = get_origin(annotation)
    if origin is Annotated:
        yield from _walk(get_args(annotation)[0], data, where, seen)
    elif origin in (Union, types.UnionType):
        models = [
            a for a in get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)
        ]
        chosen = _member(models, data) if isinstance(data, dict) and models else None
        if chosen is not None:
            yield from _walk(chosen, data, where, seen)
    elif origin is dict and isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(get_args(annotation)[1], value, f"{where}.{key}", seen)
    elif origin is list and isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk(get_args(annotation)[0], value, f"{where}.{index}", seen)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if not isinstance(data, dict):
            return
        seen.add(annotation)
        for name, field in annotation.model_fields.items():
            if name not in data:
                continue
            if not field.is_required():
                default = field.get_default(call_default_factory=True)
                if not _structural(default) and not _type_tag(field.annotation, default):
                    yield f"{where}.{name} (model default {default!r})"
            yield from _walk(field.annotation, data[name], f"{where}.{name}", seen)


def _skill_yaml() -> dict[str, Any]:
    loaded = yaml.safe_load((skill_root() / "skill.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_no_setting_is_defined_twice() -> None:
    twice = list(_walk(SkillConfig, _skill_yaml(), "skill.yaml", set()))
    assert twice == []


def test_the_walk_reaches_every_settings_model() -> None:
    seen: set[type[BaseModel]] = set()
    list(_walk(SkillConfig, _skill_yaml(), "skill.yaml", seen))
    names = {model.__name__ for model in seen}
    sections = {
        "LocalSettings", "CueRules", "StylePreset", "Shape", "PopTiming", "ModelSettings",
        "BeamEscalation", "ThreadSplit", "RecognitionSettings", "VideoSettings",
        "DeliverySettings", "LinkSettings", "SafeZone", "CloudSettings", "ReplyLimits",
        "TranslationSettings", "OpenAISettings", "ArgosSettings", "EditsConfig", "EditLimits",
        "UndoWords", "RenditionWords", "PresetSpec", "CaptionPatch", "PhraseRule", "Burn",
        "Bilingual", "Suppress", "ErrorSpec", "HostRule",
    }  # fmt: skip
    assert sections <= names


class _Planted(BaseModel):
    limit: int = 5
    note: str | None = None
    tag: Literal["planted"] = "planted"


class _Holder(BaseModel):
    entries: dict[str, _Planted] = Field(default_factory=dict)


def test_a_default_that_skill_yaml_also_sets_is_reported() -> None:
    data = {"entries": {"a": {"limit": 7, "note": "x", "tag": "planted"}, "b": {}}}
    assert list(_walk(_Holder, data, "y", set())) == ["y.entries.a.limit (model default 5)"]

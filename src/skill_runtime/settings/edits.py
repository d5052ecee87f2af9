"""The typed `edits:` section of skill.yaml: the phrase tables the interpreter reads."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from .base import Aspect, Strict
from .edit_models import Edit


class PhraseRule(Strict):
    """Any of `phrases` means `edit`; an on/off edit flips when a negation precedes it."""

    phrases: list[str] = Field(min_length=1)
    edit: Edit


class PatternRule(Strict):
    """A regular expression whose named groups fill the fields of an edit of `kind`."""

    kind: Literal["font_size", "max_chars", "replace", "color", "keywords", "deliver"]
    regex: str

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        re.compile(value)
        return value


class NamedColor(Strict):
    hex: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    phrases: list[str] = Field(min_length=1)


class LanguageVerbs(Strict):
    """Words before a language name that decide whether it is added, removed or kept alone."""

    add: list[str]
    remove: list[str]
    only: list[str]


class ShiftWords(Strict):
    """A time quantity is a shift only next to one of `context`; direction from later/earlier."""

    quantity: str
    context: list[str]
    later: list[str]
    earlier: list[str]
    milliseconds: list[str]


class UndoWords(Strict):
    """Phrases for stepping back through a job's edit history, or undoing one thing named.

    `aimed` patterns capture in `what` the thing to undo ("undo the yellow",
    "put the colour back", "撤销颜色"); `fillers` are words that name no
    thing ("that", "it"), leaving a plain step back. `attributes` are words for
    a setting, `fields` the setting each kind of edit changes.
    """

    count: list[str]
    everything: list[str]
    one: list[str]
    numbers: dict[str, int]
    aimed: list[str]
    fillers: list[str]
    attributes: dict[str, list[str]]
    fields: dict[str, list[str]]

    @field_validator("aimed")
    @classmethod
    def _aimed_patterns_compile(cls, value: list[str]) -> list[str]:
        for regex in value:
            if "(?P<what>" not in regex:
                raise ValueError("each aimed pattern needs a (?P<what>...) group")
            re.compile(regex)
        return value

    @field_validator("count")
    @classmethod
    def _count_patterns_compile(cls, value: list[str]) -> list[str]:
        for regex in value:
            if "(?P<count>" not in regex:
                raise ValueError("each count pattern needs a (?P<count>...) group")
            re.compile(regex)
        return value


class RenditionName(Strict):
    """Words that name a version ("the TikTok one"), and the frame a version by that name has."""

    phrases: list[str] = Field(min_length=1)
    frame: Literal["landscape", "portrait", "square"] | None = None


class RenditionWords(Strict):
    """How a chat names versions of one video: new ones, existing ones, all of them."""

    names: dict[str, RenditionName]
    # A version named by none of `names` is called by its platform, else by its frame.
    by_aspect: dict[Aspect, str]
    # Words after a name that make it a version ("the TikTok one", "抖音版").
    nouns: list[str]
    every: list[str]
    new: list[str]

    @field_validator("new")
    @classmethod
    def _new_patterns_compile(cls, value: list[str]) -> list[str]:
        for regex in value:
            re.compile(regex)
        return value


class CaptionPatch(Strict):
    """Settings a preset sets; unset fields are left alone."""

    style: str | None = None
    font_size: int | None = None
    color: str | None = None
    outline: bool | None = None
    box: bool | None = None
    position: Literal["bottom", "top"] | None = None
    highlight: bool | None = None
    max_chars: int | None = None
    aspect: Aspect | None = None
    platform: str | None = None


class PresetSpec(Strict):
    default: CaptionPatch
    by_aspect: dict[Aspect, CaptionPatch] = Field(default_factory=dict)


class EditLimits(Strict):
    """Values an edit may set: outside them it is refused, with the range, before anything changes.

    Font sizes are pixels of a 1080-pixel short side, like `font_size` itself.
    """

    font_size: tuple[int, int]
    max_chars: tuple[int, int]


class EditsConfig(Strict):
    rules: list[PhraseRule]
    patterns: list[PatternRule]
    colors: dict[str, NamedColor]
    language_verbs: LanguageVerbs
    negations: list[str]
    negations_after: list[str]
    clause_breaks: list[str]
    shift: ShiftWords
    numerals: dict[str, float]
    font_scale_step: float = Field(gt=1)
    presets: dict[str, PresetSpec]
    caption_request: list[str]
    limits: EditLimits
    undo: UndoWords
    renditions: RenditionWords
    # Settings only burned-in captions show; soft tracks are drawn by the player.
    burned_only: list[str]

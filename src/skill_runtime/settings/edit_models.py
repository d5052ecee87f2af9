"""Typed edits: what a chat sentence can change about local captions."""

from __future__ import annotations

import re
from typing import Annotated, ClassVar, Literal

from pydantic import Field, TypeAdapter, field_validator

from .base import Aspect, Strict


class SettingEdit(Strict):
    """An edit that only copies its own values onto caption settings (one generic handler).

    `sets` maps each `CaptionSettings` field to the attribute of the edit it takes.
    """

    sets: ClassVar[dict[str, str]]


class AddLanguages(Strict):
    kind: Literal["add_languages"] = "add_languages"
    languages: list[str]


class RemoveLanguages(Strict):
    kind: Literal["remove_languages"] = "remove_languages"
    languages: list[str]


class OnlyLanguages(Strict):
    """Keep exactly these languages ("only English", "只要中文")."""

    kind: Literal["only_languages"] = "only_languages"
    languages: list[str]


class Bilingual(Strict):
    """Burn two languages stacked (primary larger), or go back to one."""

    kind: Literal["bilingual"] = "bilingual"
    enabled: bool
    languages: list[str] = Field(default_factory=list)


class Burn(SettingEdit):
    kind: Literal["burn"] = "burn"
    sets: ClassVar[dict[str, str]] = {"burn": "enabled"}
    enabled: bool


class FontSize(Strict):
    """An absolute size in pixels of the output frame, or a relative scale.

    Any number said is kept: the readable range (skill.yaml `edits.limits`) is
    checked when it is applied, so the user hears the range instead of nothing.
    """

    kind: Literal["font_size"] = "font_size"
    size: int | None = Field(None, ge=0, le=9999)
    scale: float | None = Field(None, gt=0)


class Color(SettingEdit):
    kind: Literal["color"] = "color"
    sets: ClassVar[dict[str, str]] = {"color": "color"}
    color: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    name: str | None = None


class Outline(SettingEdit):
    kind: Literal["outline"] = "outline"
    sets: ClassVar[dict[str, str]] = {"outline": "enabled"}
    enabled: bool


class Box(SettingEdit):
    kind: Literal["box"] = "box"
    sets: ClassVar[dict[str, str]] = {"box": "enabled"}
    enabled: bool


class Position(SettingEdit):
    kind: Literal["position"] = "position"
    sets: ClassVar[dict[str, str]] = {"position": "position"}
    position: Literal["top", "bottom"]


class AspectEdit(SettingEdit):
    kind: Literal["aspect"] = "aspect"
    sets: ClassVar[dict[str, str]] = {"aspect": "aspect"}
    aspect: Aspect


class Fit(SettingEdit):
    """How a frame of another shape is filled: a blurred copy behind, a centre crop, or bars."""

    kind: Literal["fit"] = "fit"
    sets: ClassVar[dict[str, str]] = {"fit": "fit"}
    fit: Literal["blur", "crop", "pad"]


class Resolution(SettingEdit):
    kind: Literal["height"] = "height"
    sets: ClassVar[dict[str, str]] = {"height": "height"}
    height: Literal[720, 1080]


class Highlight(SettingEdit):
    kind: Literal["highlight"] = "highlight"
    sets: ClassVar[dict[str, str]] = {"highlight": "enabled"}
    enabled: bool


class Shift(Strict):
    """Move every cue by `seconds` (positive = later)."""

    kind: Literal["shift"] = "shift"
    seconds: float


class Replace(Strict):
    kind: Literal["replace"] = "replace"
    old: str = Field(min_length=1)
    new: str


class MaxChars(Strict):
    kind: Literal["max_chars"] = "max_chars"
    chars: int = Field(ge=0, le=999)


class Style(SettingEdit):
    kind: Literal["style"] = "style"
    sets: ClassVar[dict[str, str]] = {"style": "style"}
    style: str


class Preset(Strict):
    """A named bundle of settings from skill.yaml ("make it look better")."""

    kind: Literal["preset"] = "preset"
    name: str


class Keywords(Strict):
    """Words to draw in the accent colour ("highlight the words pasta and eggs")."""

    kind: Literal["keywords"] = "keywords"
    words: list[str] = Field(min_length=1)

    @field_validator("words", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            parts = re.split(r"\s*(?:,|;|&|\band\b|\bor\b|、|和)\s*", value)
            return [p.strip(" \"'“”‘’") for p in parts if p.strip(" \"'“”‘’")]
        return value


class Deliver(SettingEdit):
    """Fit the exported MP4 for a channel or under a size; neither set means no limit."""

    kind: Literal["deliver"] = "deliver"
    sets: ClassVar[dict[str, str]] = {"deliver": "channel", "max_mb": "max_mb"}
    channel: str | None = None
    max_mb: float | None = Field(None, gt=0, le=4000)


class Retime(Strict):
    """ "Fix the timing": every track brought within the cue rules (imported files keep theirs)."""

    kind: Literal["retime"] = "retime"


class LookFirst(Strict):
    """ "Show me how it looks": a contact sheet of four captioned moments, no video encoded."""

    kind: Literal["preview"] = "preview"


class OutOfScope(Strict):
    """Something only the cloud backend does (music, titles, cuts)."""

    kind: Literal["out_of_scope"] = "out_of_scope"
    topic: str


Edit = Annotated[
    AddLanguages
    | RemoveLanguages
    | OnlyLanguages
    | Bilingual
    | Burn
    | FontSize
    | Color
    | Outline
    | Box
    | Position
    | AspectEdit
    | Fit
    | Resolution
    | Highlight
    | Shift
    | Replace
    | MaxChars
    | Style
    | Preset
    | Keywords
    | Deliver
    | LookFirst
    | Retime
    | OutOfScope,
    Field(discriminator="kind"),
]

EDIT: TypeAdapter[Edit] = TypeAdapter(Edit)

ON_OFF = (Bilingual, Burn, Outline, Box, Highlight)
"""Edits with an `enabled` switch, which a negation ("no", "不要") flips."""

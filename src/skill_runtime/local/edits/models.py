"""Typed edits: what a chat sentence can change about local captions."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator

from ...captions import Aspect


class _Edit(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AddLanguages(_Edit):
    kind: Literal["add_languages"] = "add_languages"
    languages: list[str]


class RemoveLanguages(_Edit):
    kind: Literal["remove_languages"] = "remove_languages"
    languages: list[str]


class OnlyLanguages(_Edit):
    """Keep exactly these languages ("only English", "只要中文")."""

    kind: Literal["only_languages"] = "only_languages"
    languages: list[str]


class Bilingual(_Edit):
    """Burn two languages stacked (primary larger), or go back to one."""

    kind: Literal["bilingual"] = "bilingual"
    enabled: bool = True
    languages: list[str] = Field(default_factory=list)


class Burn(_Edit):
    kind: Literal["burn"] = "burn"
    enabled: bool


class FontSize(_Edit):
    """An absolute size in pixels of the output frame, or a relative scale.

    Any number said is kept: the readable range (skill.yaml `edits.limits`) is
    checked when it is applied, so the user hears the range instead of nothing.
    """

    kind: Literal["font_size"] = "font_size"
    size: int | None = Field(None, ge=0, le=9999)
    scale: float | None = Field(None, gt=0)


class Color(_Edit):
    kind: Literal["color"] = "color"
    color: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    name: str | None = None


class Outline(_Edit):
    kind: Literal["outline"] = "outline"
    enabled: bool


class Box(_Edit):
    kind: Literal["box"] = "box"
    enabled: bool


class Position(_Edit):
    kind: Literal["position"] = "position"
    position: Literal["top", "bottom"]


class AspectEdit(_Edit):
    kind: Literal["aspect"] = "aspect"
    aspect: Aspect


class Resolution(_Edit):
    kind: Literal["height"] = "height"
    height: Literal[720, 1080]


class Highlight(_Edit):
    kind: Literal["highlight"] = "highlight"
    enabled: bool


class Shift(_Edit):
    """Move every cue by `seconds` (positive = later)."""

    kind: Literal["shift"] = "shift"
    seconds: float


class Replace(_Edit):
    kind: Literal["replace"] = "replace"
    old: str = Field(min_length=1)
    new: str


class MaxChars(_Edit):
    kind: Literal["max_chars"] = "max_chars"
    chars: int = Field(ge=0, le=999)


class Style(_Edit):
    kind: Literal["style"] = "style"
    style: str


class Preset(_Edit):
    """A named bundle of settings from skill.yaml ("make it look better")."""

    kind: Literal["preset"] = "preset"
    name: str


class Keywords(_Edit):
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


class Deliver(_Edit):
    """Fit the exported MP4 for a channel or under a size; neither set means no limit."""

    kind: Literal["deliver"] = "deliver"
    channel: str | None = None
    max_mb: float | None = Field(None, gt=0, le=4000)


class LookFirst(_Edit):
    """ "Show me how it looks": a contact sheet of four captioned moments, no video encoded."""

    kind: Literal["preview"] = "preview"


class OutOfScope(_Edit):
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
    | OutOfScope,
    Field(discriminator="kind"),
]

EDIT: TypeAdapter[Edit] = TypeAdapter(Edit)

ON_OFF = (Bilingual, Burn, Outline, Box, Highlight)
"""Edits with an `enabled` switch, which a negation ("no", "不要") flips."""

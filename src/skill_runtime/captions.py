"""Caption data shared by the recogniser, the cue builder, translators and renderers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .settings.base import Aspect, FitMode


class Word(BaseModel):
    text: str
    start: float
    end: float
    probability: float = 1.0
    # The first word of another speaker's turn (dialogue in one cue gets dashes).
    turn: bool = False


class Cue(BaseModel):
    """One subtitle event; times in seconds, text already broken into lines."""

    start: float
    end: float
    lines: list[str]
    words: list[Word] = Field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class CaptionSettings(BaseModel):
    """What the user asked for; chat edits change these, the renderer reads them."""

    languages: list[str] = Field(default_factory=list)
    burn: bool = True
    burn_languages: list[str] = Field(default_factory=list)
    style: str = "clean"
    font_size: int | None = None
    color: str | None = None
    outline: bool = True
    box: bool = False
    position: Literal["bottom", "top"] = "bottom"
    aspect: Aspect = "source"
    # A frame of another shape than the source: a blurred copy fills it, or crop, or pad (bars).
    fit: FitMode = "blur"
    height: Literal[720, 1080] = 1080
    highlight: bool = False
    # A user's own line limit (chat: "30 characters per line"); None keeps skill.yaml's cue rules.
    max_chars: int | None = None
    # Total shift of every caption, in seconds; applied to the recognised times on output.
    shift_s: float = 0.0
    # Short-form: a platform's safe zones, words to colour, a size the file must fit.
    platform: str | None = None
    keywords: list[str] = Field(default_factory=list)
    deliver: str | None = None
    max_mb: float | None = None


class CaptionOptions(BaseModel):
    """What a user can ask of a caption run, the same for one file (`caption`) and many."""

    languages: list[str] = Field(default_factory=list)
    burn_languages: list[str] = Field(default_factory=list)
    source_language: str | None = None
    burn: bool | None = None
    aspect: Aspect | None = None
    fit: FitMode | None = None
    style: str | None = None
    platform: str | None = None
    model: str | None = None
    # The audio stream with the speech, 0-based (--audio-track N is N-1); None: the first
    # that has speech.
    audio_track: int | None = None

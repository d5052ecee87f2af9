"""What a handler hands back: a message template, its data, and files for the user."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

MediaKind = Literal["video", "audio", "subtitles", "transcript", "preview"]


class MediaFile(BaseModel):
    path: Path
    kind: MediaKind
    language: str | None = None
    format: str | None = None


class Result(BaseModel):
    """One action's outcome. `template` names a file under prompts/.

    `ok` is False for an answer that is not an error but means "cannot work
    yet" (doctor finding a missing part): the CLI then exits non-zero.
    """

    action: str
    template: str
    ok: bool = True
    context: dict[str, Any] = Field(default_factory=dict)
    media: list[MediaFile] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)


class Check(BaseModel):
    """One line of `doctor`: required checks failing make doctor exit non-zero."""

    name: str
    ok: bool
    detail: str
    required: bool = True

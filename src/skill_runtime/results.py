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


# Each action's `--json` keys, the same on every backend: what one backend has and the
# other has not is null there. Keys of answers beside these actions are their own.
_RENDERED = ("file", "rendition", "settings", "burned", "soft_tracks", "tracks", "size")
ANSWER_KEYS: dict[str, tuple[str, ...]] = {
    "upload": ("files", "imported"),
    "sse": (
        *_RENDERED,
        "reply",
        "follow_ups",
        "changes",
        "not_shown_in_export",
        "undone",
        "renditions",
        "problem",
        "choices",
    ),
    "state": ("timeline", "job", "other_files"),
    "credits": ("available", "frozen", "total"),
    "export": (*_RENDERED, "files", "resumed", "cancelled", "renditions"),
    "caption": (*_RENDERED, "files", "resumed", "languages", "instruction", "imported"),
}


def answer_data(result: Result) -> dict[str, Any]:
    """The result's data with every key of its action's shape (null when it has none)."""
    return dict.fromkeys(ANSWER_KEYS.get(result.action, ())) | result.data


class Check(BaseModel):
    """One line of `doctor`: required checks failing make doctor exit non-zero."""

    name: str
    ok: bool
    detail: str
    required: bool = True

"""One exception type for every failure a user should hear about.

The code names a row in skill.yaml's `errors` table, which gives the exit
status; the sentence comes from `prompts/errors/<code>.j2`, so no handler ever
formats a user-facing message itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .results import MediaFile


class SkillError(Exception):
    """A failure with a known cause, rendered through its template.

    `media` lists files that were finished before the failure and are still
    worth handing to the user (subtitles of an audio-only file, say).
    """

    def __init__(self, code: str, **context: Any) -> None:
        super().__init__(code)
        self.code = code
        self.context = context
        self.media: list[MediaFile] = []

    def with_media(self, media: list[MediaFile]) -> SkillError:
        self.media = list(media)
        return self

    def __repr__(self) -> str:
        return f"SkillError({self.code!r})"

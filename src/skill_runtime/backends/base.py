"""The interface both backends implement; handlers only ever call this."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from ..batch.models import BatchOptions, OnFile
from ..context import CaptionRequest, Context
from ..errors import SkillError
from ..results import Check, Result


class Backend:
    """Default methods say plainly that this backend cannot do the action."""

    name: ClassVar[str] = "base"

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def _unavailable(self, action: str) -> SkillError:
        return SkillError("not_available", backend=self.name, action=action)

    def setup(self) -> Result:
        raise self._unavailable("setup")

    def setup_translation(self, pair: str) -> Result:
        raise self._unavailable("setup --translation")

    def upload(
        self, files: list[Path], urls: list[str], *, captioning_next: bool = False
    ) -> Result:
        """Add media; `captioning_next` means the same command captions it right after."""
        raise self._unavailable("upload")

    def chat(self, text: str) -> Result:
        raise self._unavailable("chat")

    def state(self) -> Result:
        raise self._unavailable("state")

    def credits(self) -> Result:
        raise self._unavailable("credits")

    def export(self, *, resume: bool = False, cancel: bool = False) -> Result:
        raise self._unavailable("export")

    def caption(self, request: CaptionRequest) -> Result:
        raise self._unavailable("caption")

    def preview(self) -> Result:
        raise self._unavailable("preview")

    def export_sized(self, *, channel: str | None = None, max_bytes: int | None = None) -> Result:
        raise self._unavailable("export --max-size")

    def batch(self, options: BatchOptions, on_file: OnFile | None = None) -> Result:
        raise self._unavailable("batch")

    def translate(self, language: str, *, handoff: bool, answers: Path | None) -> Result:
        """Hand a translation to the host agent (`handoff`) or import its filled work file."""
        raise self._unavailable("translate")

    def proofread(self, language: str | None, *, handoff: bool, answers: Path | None) -> Result:
        """Hand the captions to the host agent to proofread, or import its corrections."""
        raise self._unavailable("proofread")

    def doctor(self) -> list[Check]:
        return []

"""What a batch is asked to do and what it says about each file (light: no pipeline imports)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ..captions import CaptionOptions, Word
from ..results import MediaFile


class FileReport(BaseModel):
    """One line of `--json` output: a file's end state in this run."""

    file: Path
    name: str
    state: Literal["done", "failed", "skipped"]
    error: str | None = None
    message: str | None = None
    seconds: float | None = None
    media: list[MediaFile] = Field(default_factory=list)


OnFile = Callable[[FileReport], None]


class BatchOptions(CaptionOptions):
    """`caption`'s options for every file, plus where to run."""

    sources: list[str]
    ray: str | None = None
    workers: int | None = None

    def caption_fields(self) -> dict[str, object]:
        return self.model_dump(include=set(CaptionOptions.model_fields))


class FileRecord(BaseModel):
    """What is known of one file after a run: the manifest keeps it, a worker reports it."""

    path: Path
    name: str
    recognise_key: str | None = None
    render_key: str | None = None
    language: str | None = None
    words: list[Word] | None = None
    outputs: list[MediaFile] = Field(default_factory=list)
    error: str | None = None
    message: str | None = None

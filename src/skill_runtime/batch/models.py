"""What a batch is asked to do and what it says about each file (light: no pipeline imports)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ..captions import Aspect
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


class BatchOptions(BaseModel):
    """`caption`'s options for every file, plus where to run."""

    sources: list[str]
    languages: list[str] = Field(default_factory=list)
    burn_languages: list[str] = Field(default_factory=list)
    source_language: str | None = None
    burn: bool | None = None
    aspect: Aspect | None = None
    fit: str | None = None
    style: str | None = None
    platform: str | None = None
    model: str | None = None
    ray: str | None = None
    workers: int | None = None

    def caption_fields(self) -> dict[str, object]:
        return self.model_dump(exclude={"sources", "ray", "workers"})

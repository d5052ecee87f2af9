"""The runtime's state: small JSON documents, each replaced atomically, mode 0600.

Tokens, sessions and drafts live here. `AI_SUBTITLES_HOME` moves the whole
store, so tests and users can isolate it.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import filelock
import platformdirs
from pydantic import BaseModel, ValidationError

from . import atomic
from .errors import SkillError

M = TypeVar("M", bound=BaseModel)

LOCK_TIMEOUT_S = 600.0

APP_NAME = "ai-subtitles-for-video"


def home() -> Path:
    override = os.environ.get("AI_SUBTITLES_HOME")
    if override:
        return Path(override).expanduser().resolve()
    return platformdirs.user_data_path(APP_NAME)


class Store:
    """Named documents under one folder; a missing or unreadable one reads as None."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or home()

    def path(self, name: str) -> Path:
        return self.root / f"{name}.json"

    def load(self, name: str, model: type[M]) -> M | None:
        try:
            raw = self.path(name).read_text(encoding="utf-8")
            return model.model_validate(json.loads(raw))
        except (FileNotFoundError, json.JSONDecodeError, ValidationError):
            return None

    def save(self, name: str, value: BaseModel) -> None:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic.write_text(self.path(name), value.model_dump_json(indent=2), mode=0o600)

    def delete(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)

    @contextlib.contextmanager
    def locked(self, name: str, timeout_s: float = LOCK_TIMEOUT_S) -> Iterator[None]:
        """Hold `name`'s lock for one load-modify-save, so concurrent commands never lose an edit.

        The lock is an OS file lock: a command killed while holding it frees it.
        """
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = filelock.FileLock(self.root / f"{name}.lock", timeout=timeout_s, mode=0o600)
        try:
            lock.acquire()
        except filelock.Timeout as exc:
            raise SkillError("store_busy", seconds=round(timeout_s)) from exc
        try:
            yield
        finally:
            lock.release()

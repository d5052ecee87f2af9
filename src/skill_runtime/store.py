"""The runtime's state: small JSON documents, each replaced atomically, mode 0600.

Tokens, sessions and drafts live here. `AI_SUBTITLES_HOME` moves the whole
store, so tests and users can isolate it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import sys
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

import filelock
import platformdirs
from pydantic import BaseModel, ValidationError

from . import atomic
from .environment import Environment
from .errors import SkillError
from .messages import render

M = TypeVar("M", bound=BaseModel)

LOCK_TIMEOUT_S = 600.0

APP_NAME = "ai-subtitles-for-video"


def home(env: Environment | None = None) -> Path:
    """The state folder; code that runs before a `Context` exists reads the variable here."""
    override = (env or Environment.read()).home
    if override:
        return Path(override).expanduser().resolve()
    return platformdirs.user_data_path(APP_NAME)


_READ_ONLY = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


def state_error(exc: OSError) -> SkillError | None:
    """A write into the state folder that the folder refused, as the user's answer (exit 3):
    read-only or not ours (`state_unwritable`), or full (`state_full`). None for other faults."""
    root = home()
    where = Path(str(exc.filename)) if exc.filename else None
    if where is None or not where.is_relative_to(root):
        return None
    if exc.errno in _READ_ONLY:
        return SkillError("state_unwritable", folder=str(root), reason=exc.strerror or "")
    if exc.errno == errno.ENOSPC:
        return SkillError("state_full", folder=str(root))
    return None


class _Damaged(Exception):
    """A stored document that is unreadable, not UTF-8, not JSON or not the expected shape."""


class Store:
    """Named documents under one folder; a missing or unreadable one reads as None."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or home()

    def path(self, name: str) -> Path:
        return self.root / f"{name}.json"

    def _read(self, name: str, model: type[M]) -> M | None:
        """The document, None when absent; raises _Damaged when it cannot be read as `model`."""
        try:
            raw = self.path(name).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise _Damaged from exc
        try:
            return model.model_validate(json.loads(raw.decode("utf-8")))
        except (UnicodeDecodeError, ValueError, ValidationError, RecursionError, TypeError) as exc:
            raise _Damaged from exc

    def load(self, name: str, model: type[M]) -> M | None:
        """A damaged document is moved aside (kept, and named on stderr) and reads as None."""
        try:
            return self._read(name, model)
        except _Damaged:
            kept = self._set_aside(name)
            notice = render("state_damaged", what=self.path(name).name, kept=str(kept))
            print(notice, file=sys.stderr)
            return None

    def load_kept(self, name: str, model: type[M]) -> M | None:
        """Like `load`, but a damaged document stays where it is and the caller hears of it."""
        try:
            return self._read(name, model)
        except _Damaged as exc:
            raise SkillError("identity_damaged", path=str(self.path(name))) from exc

    def _set_aside(self, name: str) -> Path:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        kept = self.root / f"{name}.damaged-{stamp}-{secrets.token_hex(2)}.json"
        try:
            os.replace(self.path(name), kept)
        except OSError:
            return self.path(name)
        return kept

    def save(self, name: str, value: BaseModel) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            atomic.write_text(self.path(name), value.model_dump_json(indent=2), mode=0o600)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise SkillError("disk_full", folder=str(self.root)) from exc
            if exc.errno in _READ_ONLY:
                raise SkillError(
                    "state_unwritable", folder=str(self.root), reason=exc.strerror or ""
                ) from exc
            raise

    def delete(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)

    @contextlib.contextmanager
    def locked(self, name: str, timeout_s: float = LOCK_TIMEOUT_S) -> Iterator[None]:
        """Hold `name`'s lock for one load-modify-save, so concurrent commands never lose an edit.

        The lock is an OS file lock: a command killed while holding it frees it.
        """
        lock = filelock.FileLock(self.root / f"{name}.lock", timeout=timeout_s, mode=0o600)
        try:
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            lock.acquire()
        except filelock.Timeout as exc:
            raise SkillError("store_busy", seconds=round(timeout_s)) from exc
        except OSError as exc:
            if exc.errno in _READ_ONLY:
                raise SkillError(
                    "state_unwritable", folder=str(self.root), reason=exc.strerror or ""
                ) from exc
            raise
        try:
            yield
        finally:
            lock.release()

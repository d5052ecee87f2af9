"""The batch's memory: one SQLite row per source file, in the output folder.

A row holds the file's output name and identity (size, mtime), its state, the
keys of the options each stage ran with, the recognised words (so a render-only
change never recognises again) and the outputs. Every change is its own
committed transaction, so killing the batch loses only the files in flight.
Only the driver writes it (workers return results), so no cross-process locking.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from ..captions import Word
from ..messages import render
from ..results import MediaFile
from .models import FileRecord

FILE_NAME = "ai-subtitles-batch.sqlite"

State = Literal["pending", "done", "failed"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    size INTEGER NOT NULL DEFAULT 0,
    mtime_ns INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'pending',
    recognise_key TEXT,
    render_key TEXT,
    language TEXT,
    words TEXT,
    outputs TEXT NOT NULL DEFAULT '[]',
    error TEXT,
    message TEXT,
    seconds REAL,
    updated REAL NOT NULL
)
"""

# What a file that is not (or no longer) this manifest raises when it is opened and read.
_DAMAGED = (sqlite3.DatabaseError, ValidationError, ValueError, IndexError, KeyError, TypeError)
_WORDS = TypeAdapter(list[Word])
_MEDIA = TypeAdapter(list[MediaFile])


def options_key(*parts: Any) -> str:
    """A stable digest of the options a stage ran with (JSON, sorted keys)."""
    text = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Entry(FileRecord):
    size: int = 0
    mtime_ns: int = 0
    state: State = "pending"
    seconds: float | None = None


class Manifest:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / FILE_NAME
        try:
            self._db = self._open()
        except _DAMAGED:
            # Like damaged state: kept for a look, named on stderr, and the batch starts afresh.
            kept = self._set_aside()
            print(render("state_damaged", what=self.path.name, kept=str(kept)), file=sys.stderr)
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        """The database, every row read once: a file that is not this manifest raises."""
        db = sqlite3.connect(self.path, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            db.execute(_SCHEMA)
            for row in db.execute("SELECT * FROM files"):
                self._entry(row)
            # Only a file known to be the manifest is switched to WAL (it rewrites the header).
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
        except BaseException:
            db.close()
            raise
        return db

    def _set_aside(self) -> Path:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        kept = self.path.with_name(f"{FILE_NAME}.damaged-{stamp}-{secrets.token_hex(2)}")
        os.replace(self.path, kept)
        for suffix in ("-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        return kept

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @staticmethod
    def _entry(row: sqlite3.Row) -> Entry:
        return Entry(
            path=Path(row["path"]),
            name=row["name"],
            size=row["size"],
            mtime_ns=row["mtime_ns"],
            state=row["state"],
            recognise_key=row["recognise_key"],
            render_key=row["render_key"],
            language=row["language"],
            words=_WORDS.validate_json(row["words"]) if row["words"] else None,
            outputs=_MEDIA.validate_json(row["outputs"]),
            error=row["error"],
            message=row["message"],
            seconds=row["seconds"],
        )

    def entries(self) -> dict[Path, Entry]:
        rows = self._db.execute("SELECT * FROM files").fetchall()
        return {Path(r["path"]): self._entry(r) for r in rows}

    def get(self, path: Path) -> Entry | None:
        row = self._db.execute("SELECT * FROM files WHERE path = ?", (str(path),)).fetchone()
        return self._entry(row) if row else None

    def names(self) -> dict[Path, str]:
        return {Path(p): n for p, n in self._db.execute("SELECT path, name FROM files")}

    def add(self, path: Path, name: str, size: int, mtime_ns: int) -> None:
        """Register a file (or note its current size and time); its state is left alone."""
        self._db.execute(
            "INSERT INTO files (path, name, size, mtime_ns, updated) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns",
            (str(path), name, size, mtime_ns, time.time()),
        )

    def record(
        self,
        path: Path,
        *,
        state: State,
        recognise_key: str | None,
        render_key: str | None,
        language: str | None,
        words: list[Word] | None,
        outputs: list[MediaFile],
        error: str | None = None,
        message: str | None = None,
        seconds: float | None = None,
    ) -> None:
        """One file's outcome, committed at once."""
        self._db.execute(
            "UPDATE files SET state = ?, recognise_key = ?, render_key = ?, language = ?, "
            "words = ?, outputs = ?, error = ?, message = ?, seconds = ?, updated = ? "
            "WHERE path = ?",
            (
                state,
                recognise_key,
                render_key,
                language,
                _WORDS.dump_json(words).decode() if words is not None else None,
                _MEDIA.dump_json(outputs).decode(),
                error,
                message,
                seconds,
                time.time(),
                str(path),
            ),
        )

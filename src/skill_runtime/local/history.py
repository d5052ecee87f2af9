"""A job's edits as a history: what was said, what changed where, and the exact state before.

Each entry keeps, for every rendition it touched, that rendition's settings as
they were before (None: the entry created it), and the shared caption tracks,
so undoing restores them exactly (no re-translation, no re-recognition).
Tracks are stored once per distinct content in a pool keyed by a digest: a
colour edit adds no track copy, a shift or replacement adds one per language
it touched.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, Field, model_validator

from ..captions import CaptionSettings, Cue
from ..settings.edit_models import Edit
from .edits.apply import Change

# The name a job saved before renditions existed gives its one rendition.
FIRST = "main"


class Snapshot(BaseModel):
    """Each touched rendition's settings (None: it did not exist) and the shared tracks' ids."""

    renditions: dict[str, CaptionSettings | None] = Field(default_factory=dict)
    tracks: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _one_rendition(cls, data: Any) -> Any:
        """A snapshot saved before renditions held one job's settings."""
        if isinstance(data, dict) and "settings" in data and "renditions" not in data:
            rest = {k: v for k, v in data.items() if k != "settings"}
            return rest | {"renditions": {FIRST: data["settings"]}}
        return data


class HistoryEntry(BaseModel):
    said: str
    changes: list[Change] = Field(default_factory=list)
    edits: list[Edit] = Field(default_factory=list)
    before: Snapshot
    # The changes made to each rendition, in the order they were made.
    by_rendition: dict[str, list[Change]] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _one_rendition(cls, data: Any) -> Any:
        if isinstance(data, dict) and "by_rendition" not in data:
            data = {**data, "by_rendition": {FIRST: data.get("changes", [])}}
        return data

    def changed(self, rendition: str, field: str) -> Change | None:
        """The last change this entry made to `field` of `rendition`, if any."""
        found = [c for c in self.by_rendition.get(rendition, []) if c.field == field]
        return found[-1] if found else None

    def created(self, rendition: str) -> bool:
        return rendition in self.before.renditions and self.before.renditions[rendition] is None


class Undone(BaseModel):
    """The state before some entries: each rendition's settings (None: remove it) and tracks."""

    renditions: dict[str, CaptionSettings | None]
    tracks: dict[str, list[Cue]]
    entries: list[HistoryEntry]


def _track_id(cues: list[Cue]) -> str:
    raw = json.dumps([c.model_dump(mode="json") for c in cues], sort_keys=True)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


class EditHistory(BaseModel):
    entries: list[HistoryEntry] = Field(default_factory=list)
    pool: dict[str, list[Cue]] = Field(default_factory=dict)

    def record(
        self,
        said: str,
        by_rendition: dict[str, list[Change]],
        edits: list[Edit],
        before: dict[str, CaptionSettings | None],
        tracks: dict[str, list[Cue]],
    ) -> None:
        """Append an entry whose `before` is the given (pre-edit) state of each rendition."""
        ids: dict[str, str] = {}
        for language, cues in tracks.items():
            ids[language] = _track_id(cues)
            self.pool.setdefault(ids[language], [c.model_copy(deep=True) for c in cues])
        snapshot = Snapshot(
            renditions={
                name: None if s is None else s.model_copy(deep=True) for name, s in before.items()
            },
            tracks=ids,
        )
        flat = [c for changes in by_rendition.values() for c in changes]
        self.entries.append(
            HistoryEntry(
                said=said,
                changes=flat,
                edits=list(edits),
                before=snapshot,
                by_rendition={k: list(v) for k, v in by_rendition.items()},
            )
        )

    def undo(self, count: int) -> Undone:
        """The state before the last `count` entries, and those entries (newest first).

        The entries are removed; `count` larger than the history undoes all of it.
        A rendition takes the settings it had before the oldest undone entry
        that touched it.
        """
        count = min(count, len(self.entries))
        if count <= 0:
            raise ValueError("nothing to undo")
        undone = self.entries[-count:]
        del self.entries[-count:]
        renditions: dict[str, CaptionSettings | None] = {}
        for entry in reversed(undone):
            for name, settings in entry.before.renditions.items():
                renditions[name] = None if settings is None else settings.model_copy(deep=True)
        tracks = {
            lang: [c.model_copy(deep=True) for c in self.pool[i]]
            for lang, i in undone[0].before.tracks.items()
        }
        self._prune()
        return Undone(renditions=renditions, tracks=tracks, entries=list(reversed(undone)))

    def rename(self, old: str, new: str) -> None:
        """A rendition named once the job is first captioned keeps its history."""
        for entry in self.entries:
            entry.before.renditions = {
                new if k == old else k: v for k, v in entry.before.renditions.items()
            }
            entry.by_rendition = {new if k == old else k: v for k, v in entry.by_rendition.items()}

    def _prune(self) -> None:
        used = {i for entry in self.entries for i in entry.before.tracks.values()}
        self.pool = {i: cues for i, cues in self.pool.items() if i in used}


def diff_settings(before: CaptionSettings, after: CaptionSettings) -> list[Change]:
    """One Change per setting that differs, in the settings' own order."""
    old, new = before.model_dump(), after.model_dump()
    return [Change(field=k, before=old[k], after=new[k]) for k in new if old[k] != new[k]]

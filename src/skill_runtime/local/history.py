"""A job's edits as a history: what was said, what changed, and the exact state before.

Each entry keeps the settings and caption tracks as they were before its edit,
so undoing restores them exactly (no re-translation, no re-recognition). Tracks
are stored once per distinct content in a pool keyed by a digest: a colour edit
adds no track copy, a shift or replacement adds one per language it touched.
"""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel, Field

from ..captions import CaptionSettings, Cue
from ..settings.edit_models import Edit
from .edits.apply import Change


class Snapshot(BaseModel):
    """A job's editable state: settings and, per language, the id of its track in the pool."""

    settings: CaptionSettings
    tracks: dict[str, str] = Field(default_factory=dict)


class HistoryEntry(BaseModel):
    said: str
    changes: list[Change] = Field(default_factory=list)
    edits: list[Edit] = Field(default_factory=list)
    before: Snapshot


def _track_id(cues: list[Cue]) -> str:
    raw = json.dumps([c.model_dump(mode="json") for c in cues], sort_keys=True)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


class EditHistory(BaseModel):
    entries: list[HistoryEntry] = Field(default_factory=list)
    pool: dict[str, list[Cue]] = Field(default_factory=dict)

    def record(
        self,
        said: str,
        changes: list[Change],
        edits: list[Edit],
        settings: CaptionSettings,
        tracks: dict[str, list[Cue]],
    ) -> None:
        """Append an entry whose `before` is the given (pre-edit) state."""
        ids: dict[str, str] = {}
        for language, cues in tracks.items():
            ids[language] = _track_id(cues)
            self.pool.setdefault(ids[language], [c.model_copy(deep=True) for c in cues])
        before = Snapshot(settings=settings.model_copy(deep=True), tracks=ids)
        self.entries.append(
            HistoryEntry(said=said, changes=list(changes), edits=list(edits), before=before)
        )

    def undo(self, count: int) -> tuple[CaptionSettings, dict[str, list[Cue]], list[HistoryEntry]]:
        """The state before the last `count` entries, and those entries (newest first).

        The entries are removed; `count` larger than the history undoes all of it.
        """
        count = min(count, len(self.entries))
        if count <= 0:
            raise ValueError("nothing to undo")
        undone = self.entries[-count:]
        del self.entries[-count:]
        before = undone[0].before
        tracks = {
            lang: [c.model_copy(deep=True) for c in self.pool[i]]
            for lang, i in before.tracks.items()
        }
        self._prune()
        return before.settings.model_copy(deep=True), tracks, list(reversed(undone))

    def _prune(self) -> None:
        used = {i for entry in self.entries for i in entry.before.tracks.values()}
        self.pool = {i: cues for i, cues in self.pool.items() if i in used}


def diff_settings(before: CaptionSettings, after: CaptionSettings) -> list[Change]:
    """One Change per setting that differs, in the settings' own order."""
    old, new = before.model_dump(), after.model_dump()
    return [Change(field=k, before=old[k], after=new[k]) for k in new if old[k] != new[k]]

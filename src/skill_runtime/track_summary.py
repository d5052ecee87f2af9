"""What `state` shows of a timeline, in the same shape whichever backend holds it.

The cloud fills it from NemoVideo's draft (`cloud/draft.py`), the local backend
from its caption job; prompts/timeline.j2 and `state --json` read only this.
"""

from __future__ import annotations

from pydantic import BaseModel, computed_field


class TrackSummary(BaseModel):
    """One track: a line of prompts/timeline.j2, times in seconds."""

    index: int
    label: str
    name: str
    quoted: bool
    start_s: float
    end_s: float
    volume_pct: int | None = None
    # A text track's cues (None for picture and sound); one cue is shown by its text, quoted.
    cues: int | None = None
    language: str | None = None


class TimelineSummary(BaseModel):
    """The tracks of a project or job, its length, and what its captions hold."""

    tracks: list[TrackSummary]
    duration_s: float

    @computed_field  # type: ignore[prop-decorator]
    @property
    def languages(self) -> list[str]:
        return list(dict.fromkeys(t.language for t in self.tracks if t.language))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def cue_count(self) -> int:
        """Every text cue on the timeline, titles included."""
        return sum(t.cues or 0 for t in self.tracks)

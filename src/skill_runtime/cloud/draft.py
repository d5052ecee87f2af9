"""The timeline draft in NemoVideo's short-key shape: the cloud project's wire format.

t = tracks, tt = track type (0 video, 1 audio, 7 text), sg = segments,
d = duration in ms, m = metadata. Unknown keys are kept, so a cloud draft
round-trips unchanged into an export. `summarize` turns it into the neutral
`TimelineSummary` that `state` shows for either backend.
"""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from ..track_summary import TimelineSummary, TrackSummary

VIDEO, AUDIO, TEXT = 0, 1, 7


class Segment(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    s: int = Field(0, validation_alias=AliasChoices("s", "st", "start"))
    d: int = 0
    m: dict[str, Any] = Field(default_factory=dict)

    @property
    def end(self) -> int:
        return self.s + self.d


class Track(BaseModel):
    model_config = ConfigDict(extra="allow")

    tt: int = VIDEO
    sg: list[Segment] = Field(default_factory=list)
    m: dict[str, Any] = Field(default_factory=dict)


class Draft(BaseModel):
    model_config = ConfigDict(extra="allow")

    t: list[Track] = Field(default_factory=list)
    d: int = 0
    m: dict[str, Any] = Field(default_factory=dict)


_LABELS = {VIDEO: "Video", AUDIO: "Audio", TEXT: "Text"}


def _name(track: Track) -> tuple[str, bool]:
    if track.tt == TEXT and len(track.sg) == 1:
        text = track.sg[0].m.get("text") or track.m.get("name") or ""
        return " ".join(str(text).split()), True
    for source in (track.m, *(seg.m for seg in track.sg)):
        for key in ("name", "title", "label"):
            if source.get(key):
                return str(source[key]), False
    return "", False


def summarize(draft: Draft) -> TimelineSummary:
    rows = []
    for i, track in enumerate(draft.t, start=1):
        name, quoted = _name(track)
        start = min((seg.s for seg in track.sg), default=0)
        end = max((seg.end for seg in track.sg), default=track.m.get("d", 0) or 0)
        volume = track.m.get("volume", track.sg[0].m.get("volume") if track.sg else None)
        label = track.m.get("kind") or _LABELS.get(track.tt, f"Track type {track.tt}")
        if track.tt == TEXT and len(track.sg) == 1 and "kind" not in track.m:
            label = "Title"
        language = track.m.get("language")
        rows.append(
            TrackSummary(
                index=i,
                label=str(label),
                name=name,
                quoted=quoted,
                start_s=start / 1000,
                end_s=end / 1000,
                volume_pct=round(float(volume) * 100) if volume is not None else None,
                cues=len(track.sg) if track.tt == TEXT else None,
                language=str(language) if track.tt == TEXT and language else None,
            )
        )
    length = max((row.end_s for row in rows), default=0.0)
    return TimelineSummary(tracks=rows, duration_s=max(draft.d / 1000, length))

"""The local session: what was uploaded, the caption tracks, the settings, the last outputs.

Persisted through the Store, so `state`, chat edits and `export` see the same
work across CLI calls; `to_draft` gives the cloud-shaped timeline.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from ..captions import CaptionSettings, Cue, Word
from ..draft import TEXT, VIDEO, Draft, Segment, Track
from ..results import MediaFile
from ..store import Store
from .probe import MediaInfo

STORE_NAME = "local_session"


class LocalSession(BaseModel):
    media: list[MediaInfo] = Field(default_factory=list)
    settings: CaptionSettings = Field(default_factory=CaptionSettings)
    source_language: str | None = None
    words: list[Word] = Field(default_factory=list)
    tracks: dict[str, list[Cue]] = Field(default_factory=dict)
    outputs: list[MediaFile] = Field(default_factory=list)

    @property
    def current(self) -> MediaInfo | None:
        """The file being worked on: the most recent upload."""
        return self.media[-1] if self.media else None

    def use(self, info: MediaInfo) -> None:
        """Make `info` current; switching files drops the previous file's captions."""
        if self.current is None or self.current.path != info.path:
            self.words, self.tracks, self.outputs, self.source_language = [], {}, [], None
        self.media = [m for m in self.media if m.path != info.path] + [info]

    def to_draft(self) -> Draft:
        """Video track (tt=0) plus one text track (tt=7) per language, one segment per cue."""
        info = self.current
        if info is None:
            return Draft()
        total = round(info.duration * 1000)
        tracks: list[Track] = []
        if info.has_video or info.has_audio:
            tracks.append(
                Track(
                    tt=VIDEO,
                    sg=[Segment(s=0, d=total, m={"name": info.path.name, "path": str(info.path)})],
                    m={"name": info.path.name},
                )
            )
        for language, cues in self.tracks.items():
            segments = [
                Segment(
                    s=round(c.start * 1000), d=round((c.end - c.start) * 1000), m={"text": c.text}
                )
                for c in cues
            ]
            tracks.append(
                Track(
                    tt=TEXT, sg=segments, m={"kind": f"Captions ({language})", "language": language}
                )
            )
        return Draft(t=tracks, d=total, m={"backend": "local"})


def load_session(store: Store) -> LocalSession:
    return store.load(STORE_NAME, LocalSession) or LocalSession()


def save_session(store: Store, session: LocalSession) -> None:
    store.save(STORE_NAME, session)

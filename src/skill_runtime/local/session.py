"""The local session: one caption job per source file, and which one is current.

A job holds everything about one file. What every version of it shares: the
recognised words, the caption tracks on the recognised times (with the user's
corrections and translations) and the edit history. And its renditions: named
versions (`youtube`, `tiktok`...), each with its own frame and look (the
settings: defaults plus the options and chat edits given for it) and its own
last outputs. `job.settings` and `job.outputs` are those of the rendition
being worked on (`job.rendition`). Nothing leaks from one file's job into
another's. Every change goes through `edit_session`, which holds the store's
lock from load to save, so concurrent commands never lose an edit and a
command killed midway leaves the previous state as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field, model_validator

from ..captions import CaptionSettings, Cue, Word
from ..results import MediaFile
from ..settings.edit_models import Replace
from ..store import Store
from ..track_summary import TimelineSummary, TrackSummary
from .cues.shift import shifted
from .edits.apply import Change
from .history import FIRST, EditHistory
from .probe import MediaInfo

STORE_NAME = "local_jobs"


def fingerprint(info: MediaInfo) -> str:
    """Size and modification time: a file replaced under the same name is a new recording."""
    stat = info.path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


class Rendition(BaseModel):
    """One version of a source: its frame and look, and the files last rendered for it."""

    settings: CaptionSettings = Field(default_factory=CaptionSettings)
    outputs: list[MediaFile] = Field(default_factory=list)
    # The stem its last files were published under (`OutputSet.commit()` chose it).
    stem: str = ""
    # The rendition it was made from: an attribute it never changed has that one's history.
    parent: str | None = None
    # What its last full render drew (see pipeline.look_digest); the same look is not drawn again.
    rendered: str | None = None


class CaptionJob(BaseModel):
    media: MediaInfo
    fingerprint: str = ""
    source_language: str | None = None
    words: list[Word] = Field(default_factory=list)
    tracks: dict[str, list[Cue]] = Field(default_factory=dict)
    history: EditHistory = Field(default_factory=EditHistory)
    renditions: dict[str, Rendition] = Field(default_factory=lambda: {FIRST: Rendition()})
    rendition: str = FIRST

    @model_validator(mode="before")
    @classmethod
    def _one_rendition(cls, data: Any) -> Any:
        """A job saved before renditions existed becomes one rendition with its settings."""
        if isinstance(data, dict) and "renditions" not in data:
            rest = {k: v for k, v in data.items() if k not in ("settings", "outputs")}
            first = {"settings": data.get("settings", {}), "outputs": data.get("outputs", [])}
            return rest | {"renditions": {FIRST: first}, "rendition": FIRST}
        return data

    @property
    def key(self) -> str:
        return str(self.media.path)

    @property
    def settings(self) -> CaptionSettings:
        return self.renditions[self.rendition].settings

    @settings.setter
    def settings(self, value: CaptionSettings) -> None:
        self.renditions[self.rendition].settings = value

    @property
    def outputs(self) -> list[MediaFile]:
        return self.renditions[self.rendition].outputs

    @outputs.setter
    def outputs(self, value: list[MediaFile]) -> None:
        self.renditions[self.rendition].outputs = value

    def select(self, name: str) -> CaptionJob:
        """A copy working on rendition `name`."""
        return self.model_copy(deep=True, update={"rendition": name})

    def tag(self, name: str | None = None) -> str:
        """What output names carry for a rendition: nothing for the first, else its name.

        The first rendition keeps the plain names it was first written under,
        so a new rendition never replaces (or renames) another's files.
        """
        name = name or self.rendition
        return "" if name == next(iter(self.renditions)) else name

    def add_rendition(self, name: str, parent: str) -> Rendition:
        """A new rendition with `parent`'s look and no outputs yet."""
        made = Rendition(
            settings=self.renditions[parent].settings.model_copy(deep=True), parent=parent
        )
        self.renditions[name] = made
        return made

    def rename_first(self, name: str) -> None:
        """Name the only rendition by what the first caption asked for (`tiktok`, `vertical`)."""
        old = self.rendition
        if name == old or len(self.renditions) != 1:
            return
        self.renditions = {name: self.renditions[old]}
        self.rendition = name
        self.history.rename(old, name)

    def timed_tracks(self) -> dict[str, list[Cue]]:
        """The tracks as they will be written: the recognised times moved by the job's shift."""
        return {lang: shifted(cues, self.settings.shift_s) for lang, cues in self.tracks.items()}

    def carried_over(self) -> list[Change]:
        """What this job keeps from before: settings off their defaults, and word replacements."""
        defaults = CaptionSettings().model_dump()
        kept = [
            Change(field=name, before=defaults[name], after=value)
            for name, value in self.settings.model_dump().items()
            if value != defaults[name] and name != "burn_languages"
        ]
        for edit in self.replacements():
            kept.append(Change(field="replace", before=edit.old, after=edit.new))
        return kept

    def replacements(self) -> list[Replace]:
        return [e for entry in self.history.entries for e in entry.edits if isinstance(e, Replace)]

    def timeline(self) -> TimelineSummary:
        """The file's picture and sound as one track, then a caption track per language."""
        info = self.media
        rows: list[TrackSummary] = []
        if info.has_video or info.has_audio:
            rows.append(
                TrackSummary(
                    index=1,
                    label="Video",
                    name=info.path.name,
                    quoted=False,
                    start_s=0.0,
                    end_s=info.duration,
                )
            )
        for language, cues in self.timed_tracks().items():
            one = cues[0].text if len(cues) == 1 else ""
            rows.append(
                TrackSummary(
                    index=len(rows) + 1,
                    label=f"Captions ({language})",
                    name=" ".join(one.split()),
                    quoted=len(cues) == 1,
                    start_s=min((c.start for c in cues), default=0.0),
                    end_s=max((c.end for c in cues), default=0.0),
                    cues=len(cues),
                    language=language,
                )
            )
        return TimelineSummary(tracks=rows, duration_s=info.duration)

    def describe(self) -> dict[str, Any]:
        """The job in readable keys, for `state --json`."""
        return {
            "file": str(self.media.path),
            "duration_s": self.media.duration,
            "spoken_language": self.source_language,
            "rendition": self.rendition,
            "renditions": [
                {
                    "name": name,
                    "settings": r.settings.model_dump(mode="json"),
                    "outputs": [str(m.path) for m in r.outputs],
                }
                for name, r in self.renditions.items()
            ],
            "settings": self.settings.model_dump(mode="json"),
            "tracks": [
                {
                    "language": language,
                    "cues": [{"start_s": c.start, "end_s": c.end, "text": c.text} for c in cues],
                }
                for language, cues in self.timed_tracks().items()
            ],
            "history": [
                {
                    "step": i,
                    "said": entry.said,
                    "renditions": list(entry.by_rendition),
                    "changes": [c.model_dump(mode="json") for c in entry.changes],
                }
                for i, entry in enumerate(self.history.entries, start=1)
            ],
            "outputs": [str(m.path) for m in self.outputs],
        }


@dataclass
class Opened:
    """What opening a file found: a new job, a known one, or a known file that has changed.

    `job` is the session's own job object, so changing it changes the session.
    """

    job: CaptionJob
    new: bool
    changed: bool = False


class LocalSession(BaseModel):
    jobs: dict[str, CaptionJob] = Field(default_factory=dict)
    current_key: str | None = None

    @property
    def current(self) -> CaptionJob | None:
        """The file being worked on: the one uploaded or captioned last."""
        return self.jobs.get(self.current_key) if self.current_key else None

    def open(self, info: MediaInfo) -> Opened:
        """Make `info`'s job current, creating it with the defaults if the file is new.

        A known file whose content changed keeps its settings but loses captions
        that no longer match it.
        """
        key, mark = str(info.path), fingerprint(info)
        self.current_key = key
        job = self.jobs.get(key)
        if job is None:
            job = self.jobs[key] = CaptionJob(media=info, fingerprint=mark)
            return Opened(job=job, new=True)
        changed = job.fingerprint != mark and bool(job.tracks)
        if changed:
            job.words, job.tracks = [], {}
            for rendition in job.renditions.values():
                rendition.outputs, rendition.rendered = [], None
            job.source_language, job.history = None, EditHistory()
        job.media, job.fingerprint = info, mark
        return Opened(job=job, new=False, changed=changed)


def load_session(store: Store) -> LocalSession:
    """A read-only view; changes go through `edit_session`."""
    return store.load(STORE_NAME, LocalSession) or LocalSession()


@contextmanager
def edit_session(store: Store) -> Iterator[LocalSession]:
    """Load under the store's lock and save when the block succeeds; an error saves nothing."""
    with store.locked(STORE_NAME):
        session = load_session(store)
        yield session
        store.save(STORE_NAME, session)

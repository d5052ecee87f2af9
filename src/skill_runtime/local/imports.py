"""Subtitles from elsewhere brought into a job as a language track.

Functions here take the job and plain tracks and change only the job, so any
pipeline can call them: a user's file (`upload talk.es.srt`, `caption VIDEO
--subtitles FILE`), and tracks the host agent completes (translate hand-off).
A track added to a captioned job is one history entry, undone like any edit.
The first track of a job becomes its spoken language's track: no recognition
is needed for it.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from ..captions import CaptionSettings, Cue
from ..context import Context
from ..errors import SkillError
from ..language_tags import canonical
from ..settings.local import CueRules
from .edits.apply import Change
from .pipeline import effective_rules, keep_made, shared_rules, translate_into
from .session import CaptionJob
from .subtitles.read import RuleBreak, read_subtitles, rule_breaks


class Imported(BaseModel):
    """What one file brought: its language, how many cues, which fall outside the rules."""

    path: Path
    language: str
    cues: int
    spoken: bool
    replaced: bool
    breaks: list[RuleBreak]


def job_rules(job: CaptionJob, ctx: Context, settings: CaptionSettings | None = None) -> CueRules:
    """The cue rules for this job's frame and style (what its captions are wrapped to); with
    several versions, the widest one's (each version's drawing narrows them)."""
    return shared_rules(job, settings or job.settings, ctx.config.local, effective_rules)


def language_of(path: Path, given: str | None, ctx: Context) -> str:
    """The language tag in the file's name (`talk.es.srt`), else `--language`."""
    tag = Path(path.stem).suffix.lstrip(".")
    settings = ctx.config.translation
    if tag:
        try:
            return canonical(tag, settings, option="the file name")
        except SkillError:
            pass
    if given:
        return canonical(given, settings, option="--language")
    raise SkillError("subtitles_language", path=str(path))


def add_track(job: CaptionJob, language: str, cues: list[Cue], said: str) -> bool:
    """Put `cues` in the job as `language`; mutates `job`. True when it replaced a track.

    A job without tracks takes it as its spoken language (no recognition runs);
    otherwise the change is one history entry, so "undo" takes it back.
    """
    replaced = language in job.tracks
    if not job.tracks:
        job.source_language = language
        job.words = [w for c in cues for w in c.words]
    else:
        job.history.record(
            said,
            {job.rendition: [Change(field="imported", before=None, after=[language])]},
            [],
            {job.rendition: job.settings},
            job.tracks,
        )
    if language not in job.settings.languages:
        # No languages chosen means "the tracks there are": the new one joins them.
        job.settings.languages = [*(job.settings.languages or job.tracks), language]
        job.settings.languages = list(dict.fromkeys(job.settings.languages))
    job.tracks[language] = cues
    return replaced


def import_file(job: CaptionJob, path: Path, language: str, ctx: Context) -> Imported:
    """Read a subtitle file into the job as `language`; mutates `job`."""
    rules = job_rules(job, ctx)
    cues = read_subtitles(path.expanduser(), language, rules)
    spoken = not job.tracks or job.source_language == language
    replaced = add_track(job, language, cues, f"upload {path.name}")
    return Imported(
        path=path,
        language=language,
        cues=len(cues),
        spoken=spoken,
        replaced=replaced,
        breaks=rule_breaks(cues, rules),
    )


def translate_missing(job: CaptionJob, ctx: Context) -> list[SkillError]:
    """Each language the job asks for and lacks, translated from its spoken track; mutates `job`.

    A language no translator can make is dropped from the job's choice and
    returned with its error, so the others are still delivered.
    """
    source = job.source_language or next(iter(job.tracks))
    missing = translate_into(
        job.tracks,
        source,
        job.settings.languages,
        audio=job.media.path if job.media.has_audio else None,
        rules=job_rules(job, ctx),
        ctx=ctx,
    )
    if missing:
        keep_made(job)
    return missing

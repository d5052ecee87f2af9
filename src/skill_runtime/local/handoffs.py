"""Hand-offs of the current job to the host agent: write the work file, import its answers.

`translate es --handoff` writes one work file for Spanish and keeps the open
hand-off (the cues as handed out) in the store; `translate es --from FILE`
keeps the answers that pass and, once every id is in, adds the track to the
job as one undoable history entry. Proofreading (`local.proofread`) shares the
work file and the store. The open hand-offs are read and written only under
the session's lock, so they never disagree with the job.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from pydantic import BaseModel, Field

from .. import atomic
from ..context import Context
from ..errors import SkillError
from ..language_names import language_name
from ..language_tags import canonical
from ..messages import render
from ..outputs import prepare_folder, safe_stem
from ..results import Result
from ..store import Store
from .imports import add_track, job_rules
from .session import CaptionJob, edit_session
from .translate.handoff import (
    Kind,
    Pending,
    WorkFile,
    check_answers,
    dump,
    read_work_file,
    translated_track,
    work_file,
)

STORE_NAME = "handoffs"


class OpenHandoffs(BaseModel):
    open: dict[str, Pending] = Field(default_factory=dict)


def _key(kind: Kind, job: CaptionJob, language: str) -> str:
    return f"{kind}|{job.key}|{language}"


def load_open(store: Store) -> OpenHandoffs:
    return store.load(STORE_NAME, OpenHandoffs) or OpenHandoffs()


def command(kind: Kind, language: str, path: Path) -> str:
    """The exact command that imports the filled work file."""
    if kind == "translate":
        return f"ai-subtitles translate {language} --from {shlex.quote(str(path))}"
    return f"ai-subtitles proofread --from {shlex.quote(str(path))}"


def read_filled(path: Path, kind: Kind) -> tuple[Path, WorkFile]:
    """The filled work file at `path` (resolved), refused unless it is a `kind` one."""
    given = path.expanduser().resolve()
    work = read_work_file(given)
    if work.kind != kind:
        raise SkillError(
            "handoff_invalid",
            path=str(given),
            problem="other_kind",
            kind=work.kind,
            command=command(work.kind, work.language, given),
        )
    return given, work


def current_job(session_job: CaptionJob | None) -> CaptionJob:
    if session_job is None:
        raise SkillError("no_upload")
    if not session_job.tracks:
        path = session_job.media.path
        raise SkillError("no_captions", file_name=path.name, path=str(path))
    return session_job


def start(ctx: Context, kind: Kind, language: str | None) -> Result:
    """Write the work file for the current job and open its hand-off (replacing an older one)."""
    with edit_session(ctx.store) as session:
        job = current_job(session.current)
        folder = prepare_folder(ctx.out_dir)
        source = job.source_language or next(iter(job.tracks))
        if kind == "translate":
            assert language is not None
            target = language
            cues = job.tracks[source]
        else:
            target = language or source
            if target not in job.tracks:
                raise SkillError("handoff_invalid", path="", problem="no_track", detail=target)
            cues = job.tracks[target]
        stem = safe_stem(job.media.path.stem)
        path = (folder / f"{stem}.{target}.{kind}.json").resolve()
        pending = Pending(
            kind=kind,
            file=job.key,
            source_language=source if kind == "translate" else target,
            language=target,
            path=str(path),
            source=[c.model_copy(deep=True) for c in cues],
        )
        names = {"source_name": language_name(source), "language_name": language_name(target)}
        run_back = command(kind, target, path)
        instructions = render(f"local/handoff_{kind}_instructions", **names)
        atomic.write_text(
            path, dump(work_file(pending, job_rules(job, ctx), instructions, run_back))
        )
        handoffs = load_open(ctx.store)
        handoffs.open[_key(kind, job, target)] = pending
        ctx.store.save(STORE_NAME, handoffs)
        file_name = job.media.path.name
    return Result(
        action=kind,
        template="local/handoff_written",
        context={
            "kind": kind,
            "path": str(path),
            "command": run_back,
            "cues": len(pending.source),
            "file_name": file_name,
            **names,
        },
        data={"work_file": str(path), "command": run_back, "cues": len(pending.source)},
    )


def opened(
    handoffs: OpenHandoffs, job: CaptionJob, kind: Kind, path: Path, language: str
) -> Pending:
    """The open hand-off a work file answers; refused when it belongs to another job or language."""
    work_path = str(path)
    pending = handoffs.open.get(_key(kind, job, language))
    if pending is None:
        others = [p for p in handoffs.open.values() if p.kind == kind and p.path == work_path]
        context = {"path": work_path, "file_name": job.media.path.name, "kind": kind}
        if others and others[0].file != job.key:
            raise SkillError(
                "handoff_invalid",
                problem="other_job",
                detail=Path(others[0].file).name,
                command=command(kind, language, path),
                **context,
            )
        raise SkillError(
            "handoff_invalid",
            problem="no_handoff",
            language=language_name(language),
            command=f"ai-subtitles translate {language} --handoff"
            if kind == "translate"
            else "ai-subtitles proofread --handoff",
            **context,
        )
    return pending


def import_translation(ctx: Context, path: Path, language: str) -> Result:
    """Keep the answers that pass; add the track once every id is in (exit 3 names the rest)."""
    given, work = read_filled(path, "translate")
    target = canonical(language, ctx.config.translation, option="translate")
    if canonical(work.language, ctx.config.translation, option="the work file") != target:
        raise SkillError(
            "handoff_invalid",
            path=str(given),
            problem="other_language",
            detail=language_name(work.language),
            language=language_name(target),
            command=command("translate", work.language, given),
        )
    with edit_session(ctx.store) as session:
        job = current_job(session.current)
        handoffs = load_open(ctx.store)
        pending = opened(handoffs, job, "translate", given, target)
        accepted, refused = check_answers(work, pending, ctx.config.translation)
        pending.accepted |= accepted
        complete = not pending.missing()
        if complete:
            track = translated_track(pending, job_rules(job, ctx))
            replaced = add_track(job, target, track, f"translate {target} --from {given.name}")
            del handoffs.open[_key("translate", job, target)]
        ctx.store.save(STORE_NAME, handoffs)
        remaining = len(pending.missing())
        summary = {
            "tracks": {lang: len(cues) for lang, cues in job.tracks.items()},
            "file_name": job.media.path.name,
        }
    if refused:
        raise SkillError(
            "handoff_refused",
            kind="translate",
            language=language_name(target),
            path=str(given),
            accepted=len(accepted),
            remaining=remaining,
            refused=[r.model_dump() for r in refused],
            command=command("translate", target, given),
        )
    return Result(
        action="translate",
        template="local/translation_imported",
        context={
            "kind": "translate",
            "complete": complete,
            "replaced": complete and replaced,
            "accepted": len(accepted),
            "remaining": remaining,
            "language_name": language_name(target),
            "command": command("translate", target, given),
            "names": {lang: language_name(lang) for lang in summary["tracks"]},
            **summary,
        },
        data={"complete": complete, "accepted": len(accepted), "remaining": remaining},
    )

"""The local `sse` action: a chat sentence captions the current file, edits it, or undoes.

Everything applies to the current job (the file uploaded or captioned last).
Without captions yet, a request for captions runs the whole job in the
languages it names. With captions, a request for captions renders them (after
adding any language it names); other sentences become edits, applied under the
session lock, kept as an entry in the job's history, and answered with what the
next export will show. "undo ..." steps back through that history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..backends.base import CaptionRequest
from ..captions import CaptionSettings, Cue
from ..draft import summarize
from ..errors import SkillError
from ..results import Result
from .cues import build_cues
from .edits.apply import Change, Outcome, RulesFor, apply_edits
from .edits.interpret import asks_for_captions, interpret
from .edits.models import (
    AddLanguages,
    AspectEdit,
    Bilingual,
    Burn,
    Edit,
    LookFirst,
    OnlyLanguages,
)
from .edits.undo import UndoRequest, interpret_undo
from .history import HistoryEntry
from .job import burn_languages, effective_rules
from .preview import contact_sheet
from .render.layout import output_shape
from .session import CaptionJob
from .settings import CueRules
from .translate.service import translate_cues

if TYPE_CHECKING:
    from ..backends.local import LocalBackend

_LANGUAGE_EDITS = (AddLanguages, OnlyLanguages, Bilingual)
# Edits a first request for captions turns into the job's options ("中英双语字幕，竖屏").
_FIRST_CAPTION_OPTIONS = (*_LANGUAGE_EDITS, Burn, AspectEdit, LookFirst)


def _languages(edits: list[Edit]) -> list[str]:
    found: list[str] = []
    for edit in edits:
        if isinstance(edit, _LANGUAGE_EDITS):
            found += [lang for lang in edit.languages if lang not in found]
    return found


def _first_caption(backend: LocalBackend, text: str, edits: list[Edit]) -> Result:
    """Settings from the same sentence go into the job first; then the whole job.

    Languages are set on the job rather than the request, so a bilingual
    burn-in asked for in the same sentence survives into the first render.
    """
    languages = _languages(edits)
    bilingual = any(isinstance(e, Bilingual) and e.enabled for e in edits)
    rest: list[Edit] = [e for e in edits if not isinstance(e, _FIRST_CAPTION_OPTIONS)]
    with backend.jobs() as session:
        job = session.current
        assert job is not None
        if languages:
            job.settings.languages = languages
            job.settings.burn_languages = languages[:2] if bilingual else []
        if rest:
            job.settings = _outcome(backend, job, rest, translate=False).settings
        path = job.media.path
    request = CaptionRequest(path=path, said=text)
    for edit in edits:
        if isinstance(edit, Burn):
            request.burn = edit.enabled
        elif isinstance(edit, AspectEdit):
            request.aspect = edit.aspect
        elif isinstance(edit, LookFirst):
            request.preview = True
    return backend.caption(request).model_copy(update={"action": "sse"})


def _rules_for(backend: LocalBackend, job: CaptionJob) -> RulesFor:
    local = backend.ctx.config.local

    def rules_for(settings: CaptionSettings) -> CueRules:
        shape = output_shape(
            local, settings.aspect, job.media, settings.height, settings.platform
        )
        return effective_rules(local, settings, shape)

    return rules_for


def _translator(backend: LocalBackend, job: CaptionJob) -> Callable[[str], list[Cue]]:
    """Translate from the spoken language's track, rebuilt from the words if it was removed."""
    info = job.media
    source = job.source_language or next(iter(job.tracks))
    rules = _rules_for(backend, job)(job.settings)

    def translate(target: str) -> list[Cue]:
        cues = job.tracks.get(source) or build_cues(job.words, source, rules, fps=info.fps or None)
        backend.ctx.progress.status("progress/translating", source=source, target=target)
        audio = info.path if info.has_audio else None
        return translate_cues(
            cues, source, target, audio=audio, rules=rules, model=backend.ctx.model
        )

    return translate


def _outcome(backend: LocalBackend, job: CaptionJob, edits: list[Edit], translate: bool) -> Outcome:
    config = backend.ctx.config
    return apply_edits(
        edits,
        job.settings,
        job.tracks,
        rules_for=_rules_for(backend, job),
        styles=config.local.styles,
        presets=config.edits.presets,
        translate=_translator(backend, job) if translate and job.tracks else None,
        limits=config.edits.limits,
        duration=job.media.duration,
    )


def _truthful(before: CaptionJob, after: CaptionJob, changes: list[Change]) -> list[Change]:
    """Burned-in languages as the render will burn them, not as the raw setting reads.

    An empty setting means "the first language", so "none → English, Spanish"
    would be false when English was burned all along.
    """
    shown = [c for c in changes if c.field != "burn_languages"]
    old = burn_languages(before) if before.settings.burn and before.tracks else []
    new = burn_languages(after) if after.settings.burn and after.tracks else []
    if new and old != new:
        at = next((i for i, c in enumerate(changes) if c.field == "burn_languages"), len(shown))
        shown.insert(min(at, len(shown)), Change(field="burn_languages", before=old, after=new))
    return shown


def _unseen(backend: LocalBackend, job: CaptionJob, changes: list[Change]) -> list[Change]:
    """Changes the next export will not show: looks on soft tracks, size on a copied picture."""
    if job.settings.burn:
        return []
    hidden = set(backend.ctx.config.edits.burned_only)
    if job.settings.aspect == "source":
        hidden.add("height")
    return [c for c in changes if c.field in hidden]


def _entries(entries: list[HistoryEntry]) -> list[dict[str, Any]]:
    return [
        {"said": e.said, "changes": [c.model_dump(mode="json") for c in e.changes]} for e in entries
    ]


def _answer(
    backend: LocalBackend,
    job: CaptionJob,
    outcome: Outcome | None,
    changes: list[Change],
    undone: list[HistoryEntry],
    undo_asked: UndoRequest | None = None,
) -> Result:
    config = backend.ctx.config
    unseen = _unseen(backend, job, changes)
    refused = outcome.refused if outcome else []
    codes = {*job.tracks, *job.settings.languages, *refused}
    for change in [*changes, *(c for e in undone for c in e.changes)]:
        for value in (change.before, change.after):
            if isinstance(value, list):
                codes |= {str(v) for v in value}
    shown = [c for c in changes if c not in unseen]
    burned_now = any(c.field == "burn" and c.after is True for c in changes)
    looks = set(config.edits.burned_only) | {"height"}
    revealed = [c for c in job.carried_over() if c.field in looks] if burned_now else []
    preview = bool(outcome and outcome.preview)
    sheet = [contact_sheet(job, backend.ctx)] if preview else []
    return Result(
        action="sse",
        template="local/edits/changed",
        context={
            "changes": [c.model_dump(mode="json") for c in shown],
            "unseen": [c.model_dump(mode="json") for c in unseen],
            "revealed": [c.model_dump(mode="json") for c in revealed],
            "undone": _entries(undone),
            "undo_asked": undo_asked.model_dump() if undo_asked else None,
            "edits_left": len(job.history.entries),
            "out_of_scope": outcome.out_of_scope if outcome else [],
            "refused": refused,
            "names": {code: config.translation.name(code) for code in codes},
            "tracks": summarize(job.to_draft()),
            "preview": preview,
        },
        media=sheet,
        data={
            "changes": [c.model_dump(mode="json") for c in changes],
            "not_shown_in_export": [c.field for c in unseen],
            "undone": _entries(undone),
            "settings": job.settings.model_dump(mode="json"),
        },
    )


def _apply(
    backend: LocalBackend,
    text: str,
    edits: list[Edit],
    undone: list[HistoryEntry] | None = None,
    undo_asked: UndoRequest | None = None,
) -> Result:
    """Apply the edits to the current job under the lock, and record them in its history."""
    with backend.jobs() as session:
        job = session.current
        assert job is not None
        before = job.model_copy(deep=True)
        outcome = _outcome(backend, job, edits, translate=True)
        job.settings, job.tracks = outcome.settings, outcome.tracks
        changes = _truthful(before, job, outcome.changes)
        if changes:
            job.history.record(text, changes, edits, before.settings, before.tracks)
        result_job = job.model_copy(deep=True)
    return _answer(backend, result_job, outcome, changes, undone or [], undo_asked)


def _undo(backend: LocalBackend, text: str, asked: UndoRequest, rest: str) -> Result:
    """Step back through the history; the rest of the sentence, if it edits, applies after."""
    with backend.jobs() as session:
        job = session.current
        assert job is not None
        undone: list[HistoryEntry] = []
        if job.history.entries:
            count = len(job.history.entries) if asked.everything else asked.count
            job.settings, job.tracks, undone = job.history.undo(count)
        result_job = job.model_copy(deep=True)
    edits = interpret(rest) if rest.strip() and result_job.tracks else []
    if edits:
        return _apply(backend, text, edits, undone, asked)
    return _answer(backend, result_job, None, [], undone, asked)


def _render_request(backend: LocalBackend, text: str, edits: list[Edit]) -> Result:
    """Captions asked for on a captioned job: add the languages it names, then render."""
    changes: list[dict[str, Any]] = []
    if edits:
        applied = _apply(backend, text, edits)
        changes = applied.context["changes"]
    result = backend.render(backend.current_job(), action="sse")
    result.context["changes"] = changes
    return result


def respond(backend: LocalBackend, text: str) -> Result:
    """Answer one chat sentence in local mode, for the current job."""
    job = backend.load_session().current
    if job is None:
        raise SkillError("no_upload")
    if job.tracks:
        asked, rest = interpret_undo(text)
        if asked is not None:
            return _undo(backend, text, asked, rest)
    edits = interpret(text)
    wants_captions = asks_for_captions(text)
    if not job.tracks and (wants_captions or _languages(edits)):
        return _first_caption(backend, text, edits)
    if job.tracks and wants_captions and all(isinstance(e, _LANGUAGE_EDITS) for e in edits):
        return _render_request(backend, text, edits)
    if not edits:
        return Result(
            action="sse",
            template="local/edits/unknown",
            context={"text": text, "captioned": bool(job.tracks), "file_name": job.media.path.name},
        )
    if not job.tracks and not all(e.kind == "out_of_scope" for e in edits):
        raise SkillError("no_captions", file_name=job.media.path.name, path=str(job.media.path))
    return _apply(backend, text, edits)

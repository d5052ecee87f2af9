"""The local `sse` action: a chat sentence captions the current file, edits it, or undoes.

Everything applies to the current job (the file uploaded or captioned last),
on the renditions the sentence names ("the TikTok one", "both") or
`--rendition` picks, else the one worked on last; "also a vertical TikTok
version" makes a new rendition from the current one. "undo the yellow"
undoes that one thing (`aimed`).
Without captions yet, a request for captions runs the whole job in the
languages it names. With captions, a request for captions renders them (after
adding any language it names); other sentences become edits, applied under the
session lock, kept as an entry in the job's history, and answered with what the
next export will show. "undo ..." steps back through that history.

It answers with a Result, or with what the backend should do next (`CaptionNext`,
`RenderNext`): rendering belongs to the backend, which this layer never calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..captions import CaptionSettings, Cue
from ..context import CaptionRequest, Context
from ..errors import SkillError
from ..language_names import language_name
from ..results import Result
from ..settings.edit_models import (
    AddLanguages,
    AspectEdit,
    Bilingual,
    Burn,
    Edit,
    LookFirst,
    OnlyLanguages,
)
from .aimed import Aim, aim, last_change
from .cues import build_cues
from .edits.apply import Change, Outcome, RulesFor, apply_edits
from .edits.interpret import asks_for_captions, interpret
from .edits.undo import UndoRequest, interpret_undo
from .history import HistoryEntry, diff_settings
from .pipeline import burn_languages, shared_rules, text_rules
from .preview import contact_sheet
from .renditions import asks_for_new, checked, new_name, pointed, said_name
from .session import CaptionJob, Rendition, edit_session, load_session
from .translate.service import translate_cues

_LANGUAGE_EDITS = (AddLanguages, OnlyLanguages, Bilingual)
# Edits a first request for captions turns into the job's options ("中英双语字幕，竖屏").
_FIRST_CAPTION_OPTIONS = (*_LANGUAGE_EDITS, Burn, AspectEdit, LookFirst)


@dataclass(frozen=True)
class CaptionNext:
    """Caption the current file with this request and answer with its result."""

    request: CaptionRequest


@dataclass(frozen=True)
class RenderNext:
    """Render the current job as it now stands; the answer lists these changes."""

    changes: list[dict[str, Any]] = field(default_factory=list)


Reply = Result | CaptionNext | RenderNext


def _languages(edits: list[Edit]) -> list[str]:
    found: list[str] = []
    for edit in edits:
        if isinstance(edit, _LANGUAGE_EDITS):
            found += [lang for lang in edit.languages if lang not in found]
    return found


def _first_caption(ctx: Context, text: str, edits: list[Edit]) -> CaptionNext:
    """Settings from the same sentence go into the job first; then the whole job.

    Languages are set on the job rather than the request, so a bilingual
    burn-in asked for in the same sentence survives into the first render.
    """
    languages = _languages(edits)
    bilingual = any(isinstance(e, Bilingual) and e.enabled for e in edits)
    rest: list[Edit] = [e for e in edits if not isinstance(e, _FIRST_CAPTION_OPTIONS)]
    with edit_session(ctx.store) as session:
        job = session.current
        assert job is not None
        if languages:
            job.settings.languages = languages
            job.settings.burn_languages = languages[:2] if bilingual else []
        if rest:
            job.settings = _outcome(ctx, job, rest, translate=False).settings
        path = job.media.path
    request = CaptionRequest(
        path=path, said=text, rendition=said_name(text, ctx.config.edits.renditions)
    )
    for edit in edits:
        if isinstance(edit, Burn):
            request.burn = edit.enabled
        elif isinstance(edit, AspectEdit):
            request.aspect = edit.aspect
        elif isinstance(edit, LookFirst):
            request.preview = True
    return CaptionNext(request)


def _rules_for(ctx: Context, job: CaptionJob) -> RulesFor:
    """What an edit lays the shared tracks out with: the widest of the job's versions."""
    return lambda settings: shared_rules(job, settings, ctx.config.local, text_rules)


def _translator(ctx: Context, job: CaptionJob) -> Callable[[str], list[Cue]]:
    """Translate from the spoken language's track, rebuilt from the words if it was removed."""
    info = job.media
    source = job.source_language or next(iter(job.tracks))
    rules = _rules_for(ctx, job)(job.settings)

    def translate(target: str) -> list[Cue]:
        cues = job.tracks.get(source) or build_cues(job.words, source, rules, fps=info.fps or None)
        ctx.progress.status("progress/translating", source=source, target=target)
        audio = info.path if info.has_audio else None
        return translate_cues(
            cues,
            source,
            target,
            audio=audio,
            rules=rules,
            config=ctx.config,
            env=ctx.env,
            model=ctx.model,
        )

    return translate


def _outcome(
    ctx: Context,
    job: CaptionJob,
    edits: list[Edit],
    translate: bool,
    shared: set[str] | None = None,
) -> Outcome:
    config = ctx.config
    return apply_edits(
        edits,
        job.settings,
        job.tracks,
        rules_for=_rules_for(ctx, job),
        styles=config.local.styles,
        presets=config.edits.presets,
        translate=_translator(ctx, job) if translate and job.tracks else None,
        limits=config.edits.limits,
        duration=job.media.duration,
        shared=shared or set(),
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


def _unseen(ctx: Context, job: CaptionJob, changes: list[Change]) -> list[Change]:
    """Changes the next export will not show: looks on soft tracks, size on a copied picture."""
    if job.settings.burn:
        return []
    hidden = set(ctx.config.edits.burned_only)
    if job.settings.aspect == "source":
        hidden.add("height")
    return [c for c in changes if c.field in hidden]


def _entries(entries: list[HistoryEntry]) -> list[dict[str, Any]]:
    return [
        {
            "said": e.said,
            "renditions": list(e.by_rendition),
            "changes": [c.model_dump(mode="json") for c in e.changes],
        }
        for e in entries
    ]


def _answer(
    ctx: Context,
    job: CaptionJob,
    outcome: Outcome | None,
    changes: list[Change],
    undone: list[HistoryEntry],
    undo_asked: UndoRequest | None = None,
    touched: dict[str, list[Change]] | None = None,
) -> Result:
    config = ctx.config
    unseen = _unseen(ctx, job, changes)
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
    sheet = [contact_sheet(job, ctx)] if preview else []
    touched = touched or {job.rendition: changes}
    by_rendition = {
        name: [c.model_dump(mode="json") for c in found] for name, found in touched.items()
    }
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
            "names": {code: language_name(code) for code in codes},
            "tracks": job.timeline().tracks,
            "preview": preview,
            "rendition": job.rendition,
            "renditions": list(job.renditions),
            "by_rendition": by_rendition if len(touched) > 1 else {},
        },
        media=sheet,
        data={
            "changes": [c.model_dump(mode="json") for c in changes],
            "not_shown_in_export": [c.field for c in unseen],
            "undone": _entries(undone),
            "settings": job.settings.model_dump(mode="json"),
            "rendition": job.rendition,
            "renditions": by_rendition,
        },
    )


def _apply(
    ctx: Context,
    text: str,
    edits: list[Edit],
    undone: list[HistoryEntry] | None = None,
    undo_asked: UndoRequest | None = None,
    targets: list[str] | None = None,
    new: str | None = None,
) -> Result:
    """Apply the edits to each target rendition under the lock, as one entry in the history.

    `new` makes a rendition from the current one first and edits only it.
    The last rendition edited becomes the one worked on.
    """
    with edit_session(ctx.store) as session:
        job = session.current
        assert job is not None
        tracks_before = {k: list(v) for k, v in job.tracks.items()}
        before: dict[str, CaptionSettings | None] = {}
        touched: dict[str, list[Change]] = {}
        names = targets or [job.rendition]
        if new is not None:
            parent = job.rendition
            job.add_rendition(new, parent)
            before[new] = None
            touched[new] = [Change(field="rendition", before=parent, after=new)]
            names = [new]
        outcome: Outcome | None = None
        for name in names:
            job.rendition = name
            previous = job.model_copy(deep=True)
            before.setdefault(name, previous.settings.model_copy(deep=True))
            shared = {
                lang
                for other, r in job.renditions.items()
                if other != name
                for lang in r.settings.languages
            }
            outcome = _outcome(ctx, job, edits, translate=True, shared=shared)
            job.settings, job.tracks = outcome.settings, outcome.tracks
            changes = _truthful(previous, job, outcome.changes)
            if changes:
                touched[name] = [*touched.get(name, []), *changes]
        flat = [c for found in touched.values() for c in found]
        if touched:
            job.history.record(text, touched, edits, before, tracks_before)
        result_job = job.model_copy(deep=True)
    return _answer(ctx, result_job, outcome, flat, undone or [], undo_asked, touched)


def _undo(ctx: Context, text: str, asked: UndoRequest, rest: str) -> Result:
    """Step back through the history; the rest of the sentence, if it edits, applies after."""
    with edit_session(ctx.store) as session:
        job = session.current
        assert job is not None
        undone: list[HistoryEntry] = []
        if job.history.entries:
            count = len(job.history.entries) if asked.everything else asked.count
            back = job.history.undo(count)
            restore(job, back.renditions)
            job.tracks, undone = back.tracks, back.entries
        result_job = job.model_copy(deep=True)
    edits = _interpret(ctx, rest) if rest.strip() and result_job.tracks else []
    if edits:
        return _apply(ctx, text, edits, undone, asked)
    return _answer(ctx, result_job, None, [], undone, asked)


def restore(job: CaptionJob, renditions: dict[str, CaptionSettings | None]) -> None:
    """Each rendition back to its settings (None: it did not exist, so it goes)."""
    for name, settings in renditions.items():
        if settings is None:
            job.renditions.pop(name, None)
        elif name in job.renditions:
            job.renditions[name].settings = settings
        else:
            job.renditions[name] = Rendition(settings=settings)
    if job.rendition not in job.renditions:
        job.rendition = next(reversed(renditions), next(iter(job.renditions)))
        if job.rendition not in job.renditions:
            job.rendition = next(iter(job.renditions))


def _aimed(
    ctx: Context, text: str, asked: UndoRequest, rest: str, targets: list[str] | None
) -> Result:
    """Undo the one thing named, on the renditions it shows on; ambiguous: change nothing."""
    assert asked.what is not None
    config = ctx.config
    with edit_session(ctx.store) as session:
        job = session.current
        assert job is not None
        found = aim(
            job, asked.what, targets, config.edits, config.translation.languages, config.local
        )
        if found.problem is not None:
            return _choices(ctx, job, asked.what, found)
        before: dict[str, CaptionSettings | None] = {}
        touched: dict[str, list[Change]] = {}
        for name in found.remove:
            if len(job.renditions) == 1:
                return _choices(ctx, job, asked.what, Aim(problem="last", remove=[name]))
            before[name] = job.renditions[name].settings.model_copy(deep=True)
            touched[name] = [Change(field="rendition", before=name, after=None)]
            del job.renditions[name]
        if job.rendition not in job.renditions:
            job.rendition = next(iter(job.renditions))
        for name, fields in found.fields.items():
            settings = job.renditions[name].settings
            before[name] = settings.model_copy(deep=True)
            updated = settings.model_copy(deep=True)
            for name_of in fields:
                change = last_change(job, name, name_of)
                assert change is not None
                setattr(updated, name_of, change.before)
            job.renditions[name].settings = updated
            touched[name] = diff_settings(before[name] or updated, updated)
            job.rendition = name
        touched = {k: v for k, v in touched.items() if v}
        if touched:
            job.history.record(text, touched, [], before, job.tracks)
        result_job = job.model_copy(deep=True)
    flat = [c for found_changes in touched.values() for c in found_changes]
    answer = _answer(ctx, result_job, None, flat, [], None, touched)
    edits = _interpret(ctx, rest) if rest.strip() else []
    if edits:
        after = _apply(ctx, text, edits)
        after.context["changes"] = answer.context["changes"] + after.context["changes"]
        return after
    return answer


def _choices(ctx: Context, job: CaptionJob, what: str, found: Aim) -> Result:
    """Nothing changed: the words named no one thing; say what they could mean."""
    choices = [
        {
            "kind": c.kind,
            "rendition": c.rendition,
            "field": c.field,
            "before": c.before,
            "after": c.after,
        }
        for c in found.choices
    ]
    return Result(
        action="sse",
        template="local/edits/choices",
        context={
            "what": what,
            "problem": found.problem,
            "choices": choices,
            "fields": found.fields,
            "remove": found.remove,
            "renditions": list(job.renditions),
            "rendition": job.rendition,
            "names": {code: language_name(code) for code in job.tracks},
            "words": {f: said[0] for f, said in ctx.config.edits.undo.attributes.items() if said},
        },
        data={"changes": [], "problem": found.problem, "choices": choices},
    )


def _render_request(ctx: Context, text: str, edits: list[Edit]) -> RenderNext:
    """Captions asked for on a captioned job: add the languages it names, then render."""
    changes: list[dict[str, Any]] = []
    if edits:
        applied = _apply(ctx, text, edits)
        changes = applied.context["changes"]
    return RenderNext(changes)


def _interpret(ctx: Context, text: str) -> list[Edit]:
    return interpret(text, ctx.config.edits, ctx.config.translation.languages)


def _new_rendition(ctx: Context, job: CaptionJob, text: str, edits: list[Edit]) -> str:
    """The new rendition's name: the one the user said, else from the options it will have."""
    words = ctx.config.edits.renditions
    look = _outcome(ctx, job, edits, translate=False).settings
    return new_name(job, text, look, words)


def respond(ctx: Context, text: str) -> Reply:
    """Answer one chat sentence in local mode, for the current job and the renditions it names."""
    job = load_session(ctx.store).current
    if job is None:
        raise SkillError("no_upload")
    words = ctx.config.edits.renditions
    said = pointed(job, text, words, ctx.config.local)
    targets = checked(job, ctx.rendition) or said.names or None
    if job.tracks:
        asked, rest = interpret_undo(text, ctx.config.edits)
        if asked is not None and asked.what is not None:
            return _aimed(ctx, text, asked, rest, checked(job, ctx.rendition))
        if asked is not None:
            return _undo(ctx, text, asked, rest)
    edits = _interpret(ctx, said.text)
    wants_captions = asks_for_captions(text, ctx.config.edits)
    if not job.tracks and (wants_captions or _languages(edits)):
        return _first_caption(ctx, text, edits)
    if job.tracks and wants_captions and all(isinstance(e, _LANGUAGE_EDITS) for e in edits):
        return _render_request(ctx, text, edits)
    if job.tracks and asks_for_new(text, words):
        return _apply(ctx, text, edits, new=_new_rendition(ctx, job, text, edits))
    if not edits:
        return Result(
            action="sse",
            template="local/edits/unknown",
            context={"text": text, "captioned": bool(job.tracks), "file_name": job.media.path.name},
        )
    if not job.tracks and not all(e.kind == "out_of_scope" for e in edits):
        raise SkillError("no_captions", file_name=job.media.path.name, path=str(job.media.path))
    return _apply(ctx, text, edits, targets=targets)

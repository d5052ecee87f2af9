"""The local `sse` action: a chat sentence becomes captions, or edits of them.

With media but no captions yet, a request for captions runs the whole job in
the languages it names. Otherwise the sentence is interpreted into edits,
applied to the persisted session, and answered with what changed and the
timeline. Nothing is rendered here: `export` renders the edited session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..backends.base import CaptionRequest
from ..captions import CaptionSettings, Cue
from ..draft import summarize
from ..errors import SkillError
from ..results import Result
from .cues import build_cues
from .edits.apply import RulesFor, apply_edits
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
from .job import effective_rules
from .preview import contact_sheet
from .render.layout import output_shape
from .session import LocalSession
from .settings import CueRules
from .translate.service import translate_cues

if TYPE_CHECKING:
    from ..backends.local import LocalBackend

_LANGUAGE_EDITS = (AddLanguages, OnlyLanguages, Bilingual)


def _languages(edits: list[Edit]) -> list[str]:
    found: list[str] = []
    for edit in edits:
        if isinstance(edit, _LANGUAGE_EDITS):
            found += [lang for lang in edit.languages if lang not in found]
    return found


def _first_caption(backend: LocalBackend, session: LocalSession, edits: list[Edit]) -> Result:
    """Settings from the same sentence go into the session first; then the whole job.

    Languages are set on the session rather than the request, so a bilingual
    burn-in asked for in the same sentence survives into the first render.
    """
    info = session.current
    assert info is not None
    languages = _languages(edits)
    bilingual = any(isinstance(e, Bilingual) and e.enabled for e in edits)
    if languages:
        session.settings.languages = languages
        session.settings.burn_languages = languages[:2] if bilingual else []
    request = CaptionRequest(path=info.path)
    for edit in edits:
        if isinstance(edit, Burn):
            request.burn = edit.enabled
        elif isinstance(edit, AspectEdit):
            request.aspect = edit.aspect
        elif isinstance(edit, LookFirst):
            request.preview = True
    skip = (*_LANGUAGE_EDITS, Burn, AspectEdit, LookFirst)
    rest: list[Edit] = [e for e in edits if not isinstance(e, skip)]
    if rest:
        _apply(backend, session, rest)
    else:
        backend.save_session(session)
    return backend.caption(request).model_copy(update={"action": "sse"})


def _rules_for(backend: LocalBackend, session: LocalSession) -> RulesFor:
    local = backend.ctx.config.local

    def rules_for(settings: CaptionSettings) -> CueRules:
        shape = output_shape(
            local, settings.aspect, session.current, settings.height, settings.platform
        )
        return effective_rules(local, settings, shape)

    return rules_for


def _translator(backend: LocalBackend, session: LocalSession) -> Callable[[str], list[Cue]]:
    """Translate from the spoken language's track, rebuilt from the words if it was removed."""
    info = session.current
    assert info is not None
    source = session.source_language or next(iter(session.tracks))
    rules = _rules_for(backend, session)(session.settings)

    def translate(target: str) -> list[Cue]:
        cues = session.tracks.get(source) or build_cues(
            session.words, source, rules, fps=info.fps or None
        )
        backend.ctx.progress.status("progress/translating", source=source, target=target)
        audio = info.path if info.has_audio else None
        return translate_cues(cues, source, target, audio=audio, rules=rules)

    return translate


def _apply(backend: LocalBackend, session: LocalSession, edits: list[Edit]) -> Result:
    config = backend.ctx.config
    outcome = apply_edits(
        edits,
        session.settings,
        session.tracks,
        rules_for=_rules_for(backend, session),
        styles=config.local.styles,
        presets=config.edits.presets,
        translate=_translator(backend, session) if session.tracks else None,
    )
    session.settings, session.tracks = outcome.settings, outcome.tracks
    backend.save_session(session)
    sheet = [contact_sheet(session, backend.ctx)] if outcome.preview else []
    names = {code: config.translation.name(code) for code in [*session.tracks, *outcome.refused]}
    return Result(
        action="sse",
        template="local/edits/changed",
        context={
            "changes": [c.model_dump(mode="json") for c in outcome.changes],
            "out_of_scope": outcome.out_of_scope,
            "refused": outcome.refused,
            "names": names,
            "tracks": summarize(session.to_draft()),
            "preview": outcome.preview,
        },
        media=sheet,
        data={
            "changes": [c.model_dump(mode="json") for c in outcome.changes],
            "settings": session.settings.model_dump(mode="json"),
        },
    )


def respond(backend: LocalBackend, text: str) -> Result:
    """Answer one chat sentence in local mode."""
    session = backend.load_session()
    info = session.current
    if info is None:
        raise SkillError("no_upload")
    edits = interpret(text)
    if not session.tracks and (asks_for_captions(text) or _languages(edits)):
        return _first_caption(backend, session, edits)
    if not edits:
        return Result(
            action="sse",
            template="local/edits/unknown",
            context={"text": text, "captioned": bool(session.tracks), "file_name": info.path.name},
        )
    if not session.tracks and not all(e.kind == "out_of_scope" for e in edits):
        raise SkillError("no_captions", file_name=info.path.name, path=str(info.path))
    return _apply(backend, session, edits)

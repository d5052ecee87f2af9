"""The host agent as translator or proofreader: a JSON work file out, its answers checked in.

An agent in a chat translates a few hundred cues in one turn and knows the
names and context; what it gets wrong is form (a cue over its reading budget,
one skipped, markup, the wrong language). So the work file gives each cue its
id, its text, its character budget and its neighbours, and the import checks
every answer: ids known, text non-empty, no markup, the expected script. Cues
that pass are kept; the others are named with their reason, so the agent fixes
only those and imports again. Over-budget translations go through the same
shorten/split rules as a machine translation (`fit.fit_cue`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ...caption_text import clean, markup
from ...captions import Cue
from ...errors import SkillError
from ...settings.local import CueRules
from ...settings.translation import TranslationSettings
from ..cues.text import join
from .fit import budget, fit_cue
from .language_check import script_name, wrong_script
from .openai import too_long

Kind = Literal["translate", "proofread"]
# A work file is a few hundred cues; anything far larger is not one.
MAX_BYTES = 20_000_000
# A translation equal to a source of this many words or more was not translated.
_UNCHANGED_WORDS = 3


class WorkCue(BaseModel):
    """One cue of a work file: the agent fills `translation` (or `correction`) only."""

    model_config = ConfigDict(extra="ignore")

    id: int
    text: str = ""
    max_chars: int | None = None
    translation: str | None = None
    correction: str | None = None
    before: str = ""
    after: str = ""

    def answer(self, kind: Kind) -> str:
        return (self.translation if kind == "translate" else self.correction) or ""


class WorkFile(BaseModel):
    """The whole work file: what it is for, how to give it back, and the cues."""

    model_config = ConfigDict(extra="ignore")

    kind: Kind
    file: str
    source_language: str
    language: str
    instructions: str = ""
    command: str = ""
    cues: list[WorkCue]


class Pending(BaseModel):
    """An open hand-off: the cues as handed out (id = position + 1) and answers kept so far."""

    kind: Kind
    file: str
    source_language: str
    language: str
    path: str
    source: list[Cue]
    accepted: dict[int, str] = Field(default_factory=dict)

    def missing(self) -> list[int]:
        return [i for i in range(1, len(self.source) + 1) if i not in self.accepted]


class Refusal(BaseModel):
    id: int
    reason: str
    detail: str = ""


def work_file(pending: Pending, rules: CueRules, instructions: str, command: str) -> WorkFile:
    """The work file for an open hand-off: every cue with its budget and neighbours."""
    texts = [join(c.lines, pending.source_language, rules) for c in pending.source]
    answer_field = "translation" if pending.kind == "translate" else "correction"
    cues = [
        WorkCue(
            id=i + 1,
            text=text,
            max_chars=budget(cue.end - cue.start, rules),
            before=texts[i - 1] if i else "",
            after=texts[i + 1] if i + 1 < len(texts) else "",
            **{answer_field: ""},
        )
        for i, (cue, text) in enumerate(zip(pending.source, texts, strict=True))
    ]
    return WorkFile(
        kind=pending.kind,
        file=pending.file,
        source_language=pending.source_language,
        language=pending.language,
        instructions=instructions,
        command=command,
        cues=cues,
    )


def dump(work: WorkFile) -> str:
    return json.dumps(work.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=1)


def read_work_file(path: Path) -> WorkFile:
    """The agent's work file, or a clear refusal of its shape (nothing imported)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise SkillError(
                "handoff_invalid", path=str(path), problem="shape", detail="it is far too large"
            )
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise SkillError("file_missing", path=str(path)) from exc
    except OSError as exc:
        raise SkillError("file_unreadable", path=str(path), reason=exc.strerror or "") from exc
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        detail = f"line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else "not UTF-8"
        raise SkillError(
            "handoff_invalid", path=str(path), problem="not_json", detail=detail
        ) from exc
    try:
        return WorkFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the top level"
        raise SkillError(
            "handoff_invalid", path=str(path), problem="shape", detail=f"{where}: {first['msg']}"
        ) from exc


def check_answers(
    work: WorkFile, pending: Pending, settings: TranslationSettings
) -> tuple[dict[int, str], list[Refusal]]:
    """The answers that pass (cleaned), and every refused id with its reason.

    An id the file leaves out is refused as missing only if no earlier import
    gave it, so a file holding just the fixed cues completes the hand-off.
    """
    kind, language = pending.kind, pending.language
    accepted: dict[int, str] = {}
    refused: list[Refusal] = []
    seen: set[int] = set()
    for cue in work.cues:
        seen.add(cue.id)
        if not 1 <= cue.id <= len(pending.source):
            refused.append(Refusal(id=cue.id, reason="unknown_id"))
            continue
        source = pending.source[cue.id - 1].text.replace("\n", " ")
        answer = cue.answer(kind)
        if not answer.strip():
            if kind == "translate" and cue.id not in pending.accepted:
                refused.append(Refusal(id=cue.id, reason="empty"))
            continue
        found = markup(answer)
        if found:
            refused.append(Refusal(id=cue.id, reason="markup", detail=found))
            continue
        text = clean(answer)
        script = wrong_script(text, language)
        if script:
            detail = f"{script}, not {script_name(language)}"
            refused.append(Refusal(id=cue.id, reason="script", detail=detail))
        elif kind == "translate" and too_long(text, source, settings):
            refused.append(Refusal(id=cue.id, reason="too_long", detail=f"{len(text)} characters"))
        elif (
            kind == "translate"
            and text.casefold() == source.casefold()
            and len(source.split()) >= _UNCHANGED_WORDS
        ):
            refused.append(Refusal(id=cue.id, reason="unchanged"))
        else:
            accepted[cue.id] = text
    if kind == "translate":
        for i in pending.missing():
            if i not in seen:
                refused.append(Refusal(id=i, reason="missing"))
    return accepted, sorted(refused, key=lambda r: r.id)


def translated_track(pending: Pending, rules: CueRules) -> list[Cue]:
    """The complete translation on the source timing, each cue fitted as machine output is."""
    return [
        piece
        for i, cue in enumerate(pending.source, start=1)
        for piece in fit_cue(cue, pending.accepted[i], pending.language, rules)
    ]

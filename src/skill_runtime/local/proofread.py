"""The host agent as proofreader: its corrections become word edits that keep the timing.

Each corrected cue is compared word by word with the cue as handed out; every
changed span becomes a `Replace` edit, the same edit as chat's "replace X with
Y", so it keeps every cue's start and end, is recorded in the job's history
(one entry per import, undone like any edit) and stays applied when the file
is captioned again. A replacement applies wherever its words appear, so one
whose words also stand in a cue the agent left as it was is refused for that
id rather than changing that cue too.
"""

from __future__ import annotations

import string
from difflib import SequenceMatcher
from pathlib import Path

from ..context import Context
from ..errors import SkillError
from ..keywords import pattern
from ..language_names import language_name
from ..results import Result
from ..settings.edit_models import Edit, Replace
from ..settings.local import CueRules
from .cues.text import join, tokens
from .edits.apply import Change, apply_edits
from .handoffs import command, current_job, load_open, opened, read_filled
from .imports import job_rules
from .session import edit_session
from .translate.handoff import Pending, Refusal, check_answers

_EDGE = string.punctuation + "¡¿«»“”‘’…—–"


def _trimmed(old: str, new: str) -> tuple[str, str]:
    """The span without punctuation both sides share at its ends ("Jon," → "John," is Jon→John)."""
    while old and new and old[-1] == new[-1] and old[-1] in _EDGE:
        old, new = old[:-1], new[:-1]
    while old and new and old[0] == new[0] and old[0] in _EDGE:
        old, new = old[1:], new[1:]
    return old.strip(), new.strip()


def cue_edits(original: str, corrected: str, language: str, rules: CueRules) -> list[Replace]:
    """The word spans that differ, each as a replacement of the original's words."""
    a, b = tokens(original, language, rules), tokens(corrected, language, rules)
    edits: list[Replace] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i1 == i2:  # words added: replace a neighbour with itself plus them
            if i1 > 0:
                i1, j1 = i1 - 1, j1 - 1
            else:
                i2, j2 = i2 + 1, j2 + 1
        old, new = _trimmed(join(a[i1:i2], language, rules), join(b[j1:j2], language, rules))
        if old and old != new:
            edits.append(Replace(old=old, new=new))
    return edits


def word_edits(
    pending: Pending, accepted: dict[int, str], rules: CueRules
) -> tuple[list[Edit], list[Refusal]]:
    """Replacements for every accepted correction, and the ids whose words stand elsewhere too."""
    language = pending.language
    texts = {i: join(c.lines, language, rules) for i, c in enumerate(pending.source, start=1)}
    intended = texts | accepted
    edits: list[Edit] = []
    refused: list[Refusal] = []
    for cue_id, corrected in sorted(accepted.items()):
        mine = cue_edits(texts[cue_id], corrected, language, rules)
        clash = next(
            (
                (edit, other)
                for edit in mine
                for other in texts
                if other != cue_id
                and pattern(edit.old).search(texts[other])
                and pattern(edit.old).search(intended[other])
            ),
            None,
        )
        if clash is not None:
            edit, other = clash
            detail = f'"{edit.old}" also stands in id {other}, which was not corrected'
            refused.append(Refusal(id=cue_id, reason="elsewhere", detail=detail))
            continue
        edits += [e for e in mine if e not in edits]
    return edits, refused


def import_corrections(ctx: Context, path: Path) -> Result:
    """Apply the corrections that pass as one history entry; exit 3 names the refused ids."""
    given, work = read_filled(path, "proofread")
    config = ctx.config
    with edit_session(ctx.store) as session:
        job = current_job(session.current)
        pending = opened(load_open(ctx.store), job, "proofread", given, work.language)
        rules = job_rules(job, ctx)
        accepted, refused = check_answers(work, pending, config.translation)
        edits, clashes = word_edits(pending, accepted, rules)
        refused = sorted([*refused, *clashes], key=lambda r: r.id)
        changes: list[Change] = []
        if edits:
            outcome = apply_edits(
                edits,
                job.settings,
                job.tracks,
                rules_for=lambda settings: job_rules(job, ctx, settings),
                styles=config.local.styles,
                presets=config.edits.presets,
                limits=config.edits.limits,
            )
            changes = outcome.changes
            job.history.record(
                f"proofread --from {given.name}",
                {job.rendition: changes},
                edits,
                {job.rendition: job.settings},
                job.tracks,
            )
            job.tracks = outcome.tracks
        edits_total = len(job.history.entries)
    if refused:
        raise SkillError(
            "handoff_refused",
            kind="proofread",
            language=language_name(pending.language),
            path=str(given),
            accepted=len(accepted) - len(clashes),
            remaining=0,
            refused=[r.model_dump() for r in refused],
            command=command("proofread", pending.language, given),
        )
    return Result(
        action="proofread",
        template="local/proofread_imported",
        context={
            "changes": [c.model_dump(mode="json") for c in changes],
            "edits": edits_total,
            "language_name": language_name(pending.language),
            "names": {},
        },
        data={"changes": [c.model_dump(mode="json") for c in changes]},
    )

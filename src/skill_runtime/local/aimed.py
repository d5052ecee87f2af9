"""An undo aimed at one thing: a setting ("the colour"), a value it took ("the yellow"), a version.

"Undo the yellow" puts the colour back to what it was before its last change,
on the versions where that change shows, and changes nothing else. "Undo the
TikTok version" removes that version. When the words fit more than one thing,
or nothing, nothing changes and the chat answers with the choices. A version
made from another one shares that one's history up to its making, so "undo
the yellow" on a TikTok version made from a yellow YouTube one finds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .. import keywords
from ..settings.edits import EditsConfig
from ..settings.local import LocalSettings
from ..settings.translation import Language
from .edits.apply import Change
from .edits.interpret import interpret
from .renditions import pointed, resolve
from .session import CaptionJob

# A shift is recorded as the total before and after, under the edit's own name.
_RECORDED_AS = {"shift_s": ("shift", "shift_s")}


@dataclass
class Choice:
    """One thing the words could mean: a setting on a version, or a whole version."""

    kind: str
    rendition: str
    field: str | None = None
    before: Any = None
    after: Any = None


@dataclass
class Aim:
    """What to undo: settings per version, or versions to remove; else the choices."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    remove: list[str] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    # Why nothing was done: "ambiguous" (choices given), "unknown" (no such thing), "unchanged".
    problem: str | None = None


def last_change(job: CaptionJob, rendition: str, name: str) -> Change | None:
    """The last change to setting `name` that `rendition` shows, its parents' before it was made."""
    recorded = _RECORDED_AS.get(name, (name,))
    current: str | None = rendition
    for entry in reversed(job.history.entries):
        if current is None:
            return None
        made = entry.by_rendition.get(current, [])
        found = [c for c in made if c.field in recorded]
        if found:
            return found[-1]
        if entry.created(current):
            current = job.renditions[current].parent if current in job.renditions else None
    return None


def _attributes(text: str, table: EditsConfig) -> list[str]:
    words = table.undo.attributes
    rows = sorted(((p, f) for f, ps in words.items() for p in ps), key=lambda r: -len(r[0]))
    found: list[str] = []
    for phrase, name in rows:
        match = keywords.pattern(phrase).search(text)
        if match is None:
            continue
        # "size limit" is the delivery, not the font size as well.
        text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
        if name not in found:
            found.append(name)
    return found


def _named(
    text: str, table: EditsConfig, languages: dict[str, Language]
) -> tuple[list[str], dict[str, Any]]:
    """Settings the words name through an edit ("the yellow", "the top"), with the values."""
    fields: list[str] = []
    values: dict[str, Any] = {}
    for edit in interpret(text, table, languages):
        for name in table.undo.fields.get(edit.kind, []):
            if name not in fields:
                fields.append(name)
            value = getattr(edit, name, None)
            if value is not None and name not in values:
                values[name] = value
    return fields, values


def aim(
    job: CaptionJob,
    what: str,
    targets: list[str] | None,
    table: EditsConfig,
    languages: dict[str, Language],
    settings: LocalSettings,
) -> Aim:
    """What `what` points at on `targets` (None: where the named value shows, else current)."""
    said = pointed(job, what, table.renditions, settings)
    names = said.names or targets
    fields = _attributes(said.text, table)
    named, values = _named(said.text, table, languages)
    fields += [f for f in named if f not in fields]
    if not fields:
        return _versions(job, said.names, what, settings, table)
    if names is None:
        names = _showing(job, fields, values) or [job.rendition]
    found: dict[str, list[str]] = {}
    for rendition in names:
        changed = [f for f in fields if last_change(job, rendition, f) is not None]
        if changed:
            found[rendition] = _preferred(job, rendition, changed, values)
    if found:
        return Aim(fields=found)
    elsewhere = [
        Choice(kind="field", rendition=r, field=f, before=c.before, after=c.after)
        for r in job.renditions
        if r not in names
        for f in fields
        if (c := last_change(job, r, f)) is not None
    ]
    if elsewhere:
        return Aim(choices=elsewhere, problem="ambiguous")
    return Aim(problem="unchanged", fields={n: fields for n in names})


def _preferred(
    job: CaptionJob, rendition: str, changed: list[str], values: dict[str, Any]
) -> list[str]:
    """Of the settings named, those whose named value is the one showing (or the only ones)."""
    current = job.renditions[rendition].settings
    showing = [f for f in changed if f in values and getattr(current, f, None) == values[f]]
    return showing or changed


def _showing(job: CaptionJob, fields: list[str], values: dict[str, Any]) -> list[str]:
    """The versions where a named value ("the yellow") shows now, if one was named."""
    if not values:
        return []
    return [
        name
        for name, r in job.renditions.items()
        if any(f in values and getattr(r.settings, f, None) == values[f] for f in fields)
    ]


def _versions(
    job: CaptionJob, names: list[str], what: str, settings: LocalSettings, table: EditsConfig
) -> Aim:
    """ "undo the TikTok version": remove it; the words naming no version give the choices."""
    bare = re.sub(r"^(?:the|my|that)\s+", "", what.strip(), flags=re.IGNORECASE)
    alone = resolve(job, bare, table.renditions, settings)
    if names or alone:
        return Aim(remove=names or [alone] if alone else names)
    choices = [Choice(kind="rendition", rendition=r) for r in list(job.renditions)[1:]]
    recent = job.history.entries[-3:]
    for entry in reversed(recent):
        for rendition, changes in entry.by_rendition.items():
            choices += [
                Choice(
                    kind="field", rendition=rendition, field=c.field, before=c.before, after=c.after
                )
                for c in changes
                if c.field not in ("rendition", "recognised")
            ]
    return Aim(choices=choices, problem="unknown")

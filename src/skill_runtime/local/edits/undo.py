"""Reading "undo", "undo the last two", "go back to the original", "undo the yellow", "撤销颜色".

Undo is not an edit of the captions but a step back through the job's history,
so it is read apart from the edit phrases: first counted forms, then "all the
way back" phrases, then an undo aimed at one thing ("the yellow", "the TikTok
version": its words are kept in `what` for the chat to resolve), then a plain
undo. The rest of the sentence is returned with the undo words blanked out,
so "undo that and make them red" still edits.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from ... import keywords
from ...settings.edits import EditsConfig
from .interpret import normalise


class UndoRequest(BaseModel):
    """Undo `count` edits, every edit back to the captions as first made, or `what` is named."""

    count: int = Field(1, ge=1)
    everything: bool = False
    what: str | None = None


def _count(word: str, table: EditsConfig) -> int | None:
    if word.isdigit():
        return int(word)
    return table.undo.numbers.get(word.lower())


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def interpret_undo(text: str, table: EditsConfig) -> tuple[UndoRequest | None, str]:
    """The undo the sentence asks for (or None), and the sentence without it."""
    text = normalise(text, table)
    words = table.undo
    for regex in words.count:
        match = re.search(regex, text, re.IGNORECASE)
        count = _count(match.group("count"), table) if match else None
        if match and count:
            return UndoRequest(count=count), _blank(text, *match.span())
    for phrase in sorted(words.everything, key=len, reverse=True):
        found = keywords.pattern(phrase).search(text)
        if found:
            return UndoRequest(everything=True), _blank(text, *found.span())
    fillers = {f.lower() for f in words.fillers}
    for regex in words.aimed:
        match = re.search(regex, text, re.IGNORECASE)
        if match is None:
            continue
        what = match.group("what").strip()
        if what.lower() in fillers:
            return UndoRequest(), _blank(text, *match.span())
        return UndoRequest(what=what), _blank(text, *match.span())
    for phrase in sorted(words.one, key=len, reverse=True):
        found = keywords.pattern(phrase).search(text)
        if found:
            return UndoRequest(), _blank(text, *found.span())
    return None, text

"""What a viewer sees in each written format, read by parsers that are not the writers.

pysubs2 and webvtt-py split the files into cues; the visible text of a cue is
then read the way the players do: ASS by libass's rules (an override block
`{...}` with its closing brace is hidden; `\\N` `\\n` `\\h` `\\{` `\\}` are
codes; any other backslash is drawn), WebVTT by its character references, SRT
as written. The word joiner the writers add is invisible everywhere.
"""

from __future__ import annotations

import html
from pathlib import Path

import pysubs2
import webvtt

WORD_JOINER = "\u2060"
_ASS_CODES = {"N": "\n", "n": " ", "h": "\u00a0", "{": "{", "}": "}"}


def libass_visible(text: str) -> str:
    """The characters libass draws for one event's text (WrapStyle 0)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "{" and "}" in text[i:]:
            i = text.index("}", i) + 1
            continue
        if ch == "\\" and text[i + 1 : i + 2] in _ASS_CODES:
            out.append(_ASS_CODES[text[i + 1]])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out).replace(WORD_JOINER, "")


def ass_lines(path: Path, style: str = "Main") -> list[list[str]]:
    """Each event of `style` as the lines libass shows."""
    subs = pysubs2.load(str(path))
    return [libass_visible(e.text).split("\n") for e in subs if e.style == style]


def srt_lines(path: Path) -> list[list[str]]:
    subs = pysubs2.load(str(path), format_="srt")
    return [[line.replace(WORD_JOINER, "") for line in e.text.split("\\N")] for e in subs]


def vtt_lines(path: Path) -> list[list[str]]:
    return [html.unescape(c.text).split("\n") for c in webvtt.read(str(path))]


def vtt_raw(path: Path) -> list[str]:
    """Each cue's payload as written (before character references are read)."""
    return [c.text for c in webvtt.read(str(path))]

"""Caption text written so each format shows it literally (the text is cleaned before).

ASS (libass): `\\{` and `\\}` draw braces; a backslash is drawn as itself
unless a tag letter, a brace or the end of a chunk follows, so every one is
followed by a WORD JOINER (U+2060), which the shaper hides and no font needs.
WebVTT: the character references its spec names (&amp; &lt; &gt;), which also
rules out a `-->` inside a cue. SRT has no escape: players (ffmpeg/libass, VLC,
mpv) read HTML-like tags, `{\\…}` blocks, entities and ASS backslash codes in
it, so a WORD JOINER after each `<`, `{`, `&` and `\\` (and inside `-->`) keeps
every one of them from starting markup while showing the same text. This
representation is documented in README ("Subtitle files").
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
_NUMBER = re.compile(r"\s*\d+\s*")

_ASS = str.maketrans({"\\": "\\" + WORD_JOINER, "{": "\\{", "}": "\\}"})
_VTT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_SRT = str.maketrans({ch: ch + WORD_JOINER for ch in "<{&\\"})


def ass(text: str) -> str:
    """One line of cleaned text as literal ASS event text."""
    return text.translate(_ASS)


def vtt(text: str) -> str:
    """One line of cleaned text as a WebVTT cue text line."""
    return text.translate(_VTT)


def srt(text: str) -> str:
    """One line of cleaned text that SRT players show as written.

    A line of digits alone is where lenient readers expect the next cue's
    number, so it carries a joiner too.
    """
    shown = text.translate(_SRT).replace("-->", "--" + WORD_JOINER + ">")
    return shown + WORD_JOINER if _NUMBER.fullmatch(text) else shown

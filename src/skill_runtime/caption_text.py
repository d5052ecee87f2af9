"""One policy for caption text, whoever writes it: recogniser, translator, import, agent, chat.

Caption text is data. Whatever it contains (tags, override blocks, arrows,
backslashes) is shown as written; no writer ever obeys it. This module only
makes text safe to hold: control characters and bidi overrides are dropped
(they would reorder or hide what is shown), line breaks become spaces, and runs
of spaces collapse. Escaping for a format is each writer's job, at the moment
it writes.
"""

from __future__ import annotations

import re
import unicodedata

# Explicit embeddings, overrides and isolates: they reorder the characters after them.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Joiners shape Arabic, Indic scripts and emoji sequences: dropping them changes what is shown.
_KEEP_FORMAT = frozenset("\u200c\u200d")
_SPACES = re.compile(r"\s+")
# What a player or renderer might obey: HTML-like tags, ASS override blocks, a WebVTT arrow.
_MARKUP = (
    ("tag", re.compile(r"</?[A-Za-z][^<>]*>")),
    ("override", re.compile(r"\{\\[^{}]*\}")),
    ("arrow", re.compile(r"-->")),
)


def _dropped(ch: str) -> bool:
    if ch in _KEEP_FORMAT:
        return False
    if ch in _BIDI_CONTROLS:
        return True
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") and not ch.isspace()


def clean(text: str) -> str:
    """The text as it may be held in a cue: no control characters, one line, single spaces."""
    kept = "".join(ch for ch in text if not _dropped(ch))
    return _SPACES.sub(" ", kept).strip()


def needs_font(ch: str) -> bool:
    """Whether a missing glyph for `ch` means a language's font is missing: letters, marks and
    digits. Symbols and emoji are not a language; a font without them is not a reason to
    deliver nothing."""
    return unicodedata.category(ch)[0] in "LMN"


def markup(text: str) -> str | None:
    """The kind of markup `text` carries ("tag", "override", "arrow"), or None.

    Used where text is refused rather than shown (an agent's hand-off answer):
    markup there is a mistake to report, not text to keep.
    """
    for kind, pattern in _MARKUP:
        if pattern.search(text):
            return kind
    return None

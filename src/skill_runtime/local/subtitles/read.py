"""A user's own subtitle file (SRT, WebVTT, ASS/SSA) read as caption cues.

pysubs2 parses every format; markup is read as the text it shows (its
`plaintext`), WebVTT entities are unescaped, NOTE and STYLE blocks and ASS
comments are left out, and each line goes through `caption_text.clean`. The
timing is kept exactly as the file gives it: cues outside the project's cue
rules are reported (`rule_breaks`), never silently changed.
"""

from __future__ import annotations

import codecs
import html
from collections.abc import Callable
from pathlib import Path

import charset_normalizer
import pysubs2
from pydantic import BaseModel

from ...caption_text import clean
from ...captions import Cue, Word
from ...errors import SkillError
from ...settings.local import CueRules
from ..cues.text import display_width, join, primary_language, tokens, wrap_text
from ..translate.language_check import script_of

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_FORMATS = {"srt": "srt", "vtt": "vtt", "ass": "ass", "ssa": "ssa"}
# The Windows code page a subtitle file in a script was most likely saved in when it is
# not Unicode: statistical detection alone confuses the Latin ones on short files.
_LEGACY = {
    "Latn": "cp1252",
    "Cyrl": "cp1251",
    "Grek": "cp1253",
    "Hebr": "cp1255",
    "Arab": "cp1256",
    "Thai": "cp874",
    "Hans": "gb18030",
    "Hant": "big5",
    "Jpan": "cp932",
    "Kore": "cp949",
}
# Latin-script languages whose Windows code page is not Western European.
_LEGACY_LATIN = {
    **dict.fromkeys(["pl", "cs", "sk", "hu", "sl", "hr", "bs", "ro", "sq"], "cp1250"),
    **dict.fromkeys(["tr", "az"], "cp1254"),
    **dict.fromkeys(["lt", "lv", "et"], "cp1257"),
    "vi": "cp1258",
}


class RuleBreak(BaseModel):
    """One kind of cue outside the rules: how many, and the first one as an example."""

    rule: str
    count: int
    example_start: float
    example_text: str


def decode(raw: bytes, language: str) -> str:
    """Text of a subtitle file: its BOM, else UTF-8, else the language's usual code page,
    else whatever encoding detection finds."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    script = script_of(language)
    legacy = _LEGACY_LATIN.get(primary_language(language)) or _LEGACY.get(script or "")
    if legacy:
        try:
            return raw.decode(legacy)
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(raw).best()
    if best is None:
        raise UnicodeDecodeError("unknown", raw, 0, len(raw), "no encoding fits")
    return str(best)


def _words(start: float, end: float, text: str, language: str, rules: CueRules) -> list[Word]:
    """Word times shared out by length: a file gives none, and word-level looks need them."""
    parts = tokens(text, language, rules)
    total = sum(len(p) for p in parts) or 1
    out: list[Word] = []
    at = start
    for part in parts:
        stop = at + (end - start) * len(part) / total
        out.append(Word(text=part, start=round(at, 3), end=round(stop, 3)))
        at = stop
    return out


def read_subtitles(path: Path, language: str, rules: CueRules) -> list[Cue]:
    """The file's cues in time order, lines wrapped to the rules, timing as given."""
    fmt = _FORMATS.get(path.suffix.lower().lstrip("."))
    if fmt is None:
        raise SkillError(
            "unsupported_type",
            path=str(path),
            ext=path.suffix or "(none)",
            supported=list(_FORMATS),
        )
    try:
        text = decode(path.read_bytes(), language)
    except OSError as exc:
        raise SkillError("file_unreadable", path=str(path), reason=exc.strerror or "") from exc
    except UnicodeDecodeError as exc:
        raise SkillError("subtitles_unreadable", path=str(path), reason="encoding") from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        subs = pysubs2.SSAFile.from_string(text, format_=fmt)
    except (pysubs2.exceptions.Pysubs2Error, ValueError) as exc:
        raise SkillError("subtitles_unreadable", path=str(path), reason="format") from exc
    cues: list[Cue] = []
    for event in subs:
        if event.is_comment or event.end <= event.start:
            continue
        shown = html.unescape(event.plaintext) if fmt == "vtt" else event.plaintext
        said = join([clean(line) for line in shown.split("\n")], language, rules)
        if not said:
            continue
        start, end = event.start / 1000, event.end / 1000
        cues.append(
            Cue(
                start=start,
                end=end,
                lines=wrap_text(said, rules, language),
                words=_words(start, end, said, language, rules),
            )
        )
    if not cues:
        raise SkillError("subtitles_unreadable", path=str(path), reason="empty")
    return sorted(cues, key=lambda c: (c.start, c.end))


def rule_breaks(cues: list[Cue], rules: CueRules) -> list[RuleBreak]:
    """Cues the project's cue rules would not have made, by rule (count and first example)."""
    gap = rules.min_gap_frames / rules.default_fps
    checks: dict[str, Callable[[int, Cue], bool]] = {
        "too_short": lambda i, c: c.end - c.start < rules.min_duration_s - 1e-6,
        "too_long": lambda i, c: c.end - c.start > rules.max_duration_s + 1e-6,
        "too_many_lines": lambda i, c: len(c.lines) > rules.max_lines,
        "line_too_wide": lambda i, c: any(
            display_width(line) > rules.max_chars_per_line for line in c.lines
        ),
        "too_fast": lambda i, c: (
            len(c.text.replace("\n", " ")) / max(c.end - c.start, 1e-3) > rules.max_cps
        ),
        "overlap": lambda i, c: i + 1 < len(cues) and cues[i + 1].start < c.end + gap - 1e-6,
    }
    found: list[RuleBreak] = []
    for rule, check in checks.items():
        hits = [c for i, c in enumerate(cues) if check(i, c)]
        if hits:
            first = hits[0]
            found.append(
                RuleBreak(
                    rule=rule,
                    count=len(hits),
                    example_start=first.start,
                    example_text=first.text.replace("\n", " "),
                )
            )
    return found

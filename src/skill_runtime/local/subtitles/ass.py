"""Styled ASS whose PlayRes equals the output size, so sizes and margins are in real pixels.

One style per burned language (the first larger, the rest scaled down);
libass stacks simultaneous bottom events, which gives the bilingual layout.
Karaoke cues carry one \\k tag per word, timed from the recognised words;
the short-form looks (pop, spoken-word highlight, keywords) come from `shortform`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pysubs2

from ...captions import CaptionSettings, Cue
from ...settings.local import Shape, ShortForm, StylePreset
from . import escape, shortform

_HEX_COLOUR = re.compile(r"^#?([0-9a-fA-F]{6})$")


@dataclass(frozen=True)
class AssLook:
    """Everything that shapes the picture: frame, margins, preset and the user's tweaks."""

    shape: Shape
    preset: StylePreset
    settings: CaptionSettings
    font: str
    short_form: ShortForm


def check_look(look: AssLook) -> AssLook:
    """The same font and size with every line drawn at once, for the glyph check frame.

    Drawn in white whatever the chosen colour, so a dark or saturated colour is
    never mistaken for a missing glyph.
    """
    plain = look.preset.model_copy(update={"pop": None, "highlight_word": False, "keywords": False})
    white = look.settings.model_copy(update={"color": "#FFFFFF"})
    return replace(look, preset=plain, settings=white)


def _ass_colour(value: str) -> pysubs2.Color:
    """&HAABBGGRR (ASS order, alpha 0 = opaque) to a pysubs2 Color."""
    raw = value.removeprefix("&H").rjust(8, "0")
    a, b, g, r = (int(raw[k : k + 2], 16) for k in range(0, 8, 2))
    return pysubs2.Color(r, g, b, a)


def user_colour(value: str) -> pysubs2.Color | None:
    """'#RRGGBB' (chat edits turn colour names into it by skill.yaml `edits.colors`);
    None when it is not one."""
    m = _HEX_COLOUR.match(value.strip())
    if m is None:
        return None
    hex_value = m.group(1)
    return pysubs2.Color(
        int(hex_value[0:2], 16), int(hex_value[2:4], 16), int(hex_value[4:6], 16), 0
    )


def _style(look: AssLook, scale: float, raise_by: int = 0) -> pysubs2.SSAStyle:
    shape, preset, user = look.shape, look.preset, look.settings
    short = min(shape.width, shape.height)
    size = (user.font_size * short / 1080 if user.font_size else preset.font_size * short) * scale
    if preset.max_chars_per_line is None:
        size *= shape.font_scale
    style = pysubs2.SSAStyle(
        fontname=look.font,
        fontsize=round(size),
        bold=preset.bold,
        primarycolor=_ass_colour(preset.primary_colour),
        secondarycolor=_ass_colour(preset.secondary_colour),
        outlinecolor=_ass_colour(preset.outline_colour),
        backcolor=_ass_colour(preset.back_colour),
        outline=round(preset.outline * short, 1) if user.outline or preset.boxed else 0,
        shadow=round(preset.shadow * short, 1),
        alignment=pysubs2.Alignment.TOP_CENTER
        if user.position == "top"
        else pysubs2.Alignment.BOTTOM_CENTER,
        marginl=shape.left,
        marginr=shape.right,
        marginv=(shape.margin_top if user.position == "top" else shape.margin_bottom) + raise_by,
        borderstyle=3 if (preset.boxed or user.box) else 1,
    )
    colour = user_colour(user.color) if user.color else None
    if colour is not None:
        style.primarycolor = colour
        if not (preset.karaoke or user.highlight):
            style.secondarycolor = colour
    return style


def _karaoke(cue: Cue) -> str | None:
    """Lines with a \\k tag per word, or None when the words no longer match the text."""
    words = list(cue.words)
    if not words:
        return None
    out_lines: list[str] = []
    cursor = cue.start
    k = 0
    for line in cue.lines:
        target = "".join(line.split())
        got = ""
        parts: list[str] = []
        while k < len(words) and len(got) < len(target):
            word = words[k]
            start = word.start
            nxt = words[k + 1].start if k + 1 < len(words) else max(word.end, start)
            lead = round(max(0.0, start - cursor) * 100)
            tag = f"{{\\k{lead}}}" if lead else ""
            length = max(1, round((nxt - start) * 100))
            parts.append(f"{tag}{{\\kf{length}}}{escape.ass(word.text)}")
            cursor = nxt
            got += word.text
            k += 1
        if got != target:
            return None
        out_lines.append((" " if " " in line else "").join(parts))
    return "\\N".join(out_lines) if k == len(words) else None


def _clearance(main: pysubs2.SSAStyle, cues: list[Cue]) -> int:
    """How far a second language sits from the edge: past the main track's tallest cue.

    A fixed offset (not libass's collision stacking) keeps each language on its
    own rows, so neither jumps when only one of them changes cue.
    """
    lines = max((len(c.lines) for c in cues), default=1)
    return round(lines * main.fontsize * 1.2 + 2 * main.outline + 0.3 * main.fontsize)


def _main_events(
    cues: list[Cue], look: AssLook, style: pysubs2.SSAStyle, language: str | None
) -> list[pysubs2.SSAEvent]:
    """The first track's events in the preset's look: pop groups, highlight, keywords, karaoke."""
    preset, user = look.preset, look.settings
    short = look.short_form
    accent = shortform.ass_colour(preset.accent_colour)
    primary = f"&H{style.primarycolor.b:02X}{style.primarycolor.g:02X}{style.primarycolor.r:02X}&"
    finder = shortform.KeywordFinder(
        rules=short.keywords,
        language=language,
        user_words=tuple(user.keywords),
        automatic=preset.keywords,
    )
    colour_words = preset.keywords or bool(user.keywords)

    def body(text: str, sentence_start: bool) -> str:
        if not colour_words:
            return escape.ass(text)
        return shortform.coloured(text, finder.spans(text, sentence_start), accent, primary)

    def event(start: float, end: float, text: str) -> pysubs2.SSAEvent:
        return pysubs2.SSAEvent(
            start=max(0, round(start * 1000)),
            end=max(0, round(end * 1000)),
            style="Main",
            text=text,
        )

    events: list[pysubs2.SSAEvent] = []
    if preset.pop:
        timing = short.pop[preset.pop]
        previous = ""
        for group, sep in shortform.pop_groups(cues, timing):
            said = sep.join(w.text.strip() for w in group.words)
            starts = not previous or previous[-1] in shortform.SENTENCE_END
            shown = shortform.pop_text(timing, look.shape, user.position, body(said, starts))
            events.append(event(group.start, group.end, shown))
            previous = said
        return events
    karaoke = preset.karaoke or user.highlight
    previous = ""
    for cue in cues:
        text = None
        if preset.highlight_word:
            text = shortform.highlight_text(cue, accent, primary, short.highlight_min_s)
        elif karaoke:
            text = _karaoke(cue)
        if text is None:
            starts = not previous or previous[-1] in shortform.SENTENCE_END
            text = "\\N".join(body(line, starts and k == 0) for k, line in enumerate(cue.lines))
        events.append(event(cue.start, cue.end, text))
        previous = cue.text.rstrip()
    return events


def make_ass(
    tracks: list[list[Cue]], look: AssLook, languages: list[str] | None = None
) -> pysubs2.SSAFile:
    """One file for burning: the first track in the main style, any second one smaller above it.

    `languages` names each track's language (for the keywords style's number words).
    """
    subs = pysubs2.SSAFile()
    subs.info["PlayResX"] = str(look.shape.width)
    subs.info["PlayResY"] = str(look.shape.height)
    subs.info["WrapStyle"] = "0"
    subs.info["ScaledBorderAndShadow"] = "yes"
    subs.styles.clear()
    for index, cues in enumerate(tracks):
        name = "Main" if index == 0 else f"Extra{index}"
        subs.styles[name] = _style(
            look,
            1.0 if index == 0 else look.preset.secondary_scale,
            _clearance(subs.styles["Main"], tracks[0]) if index else 0,
        )
        if index == 0:
            subs.events += _main_events(
                cues, look, subs.styles[name], languages[0] if languages else None
            )
            continue
        for cue in cues:
            event = pysubs2.SSAEvent(
                start=max(0, round(cue.start * 1000)),
                end=max(0, round(cue.end * 1000)),
                style=name,
                layer=index,
            )
            event.text = "\\N".join(escape.ass(line) for line in cue.lines)
            subs.append(event)
    return subs

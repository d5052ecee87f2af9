"""Apply typed edits to caption settings and tracks, and say exactly what changed.

Pure apart from `translate`, the one callback that makes a track for a newly
added language; nothing is persisted here, so a failed translation leaves the
caller's session untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import singledispatch
from typing import Any

from pydantic import BaseModel

from ... import keywords
from ...caption_text import clean
from ...captions import CaptionSettings, Cue
from ...errors import SkillError
from ...settings.base import Strict
from ...settings.edit_models import (
    AddLanguages,
    AspectEdit,
    Bilingual,
    Edit,
    FontSize,
    Keywords,
    LookFirst,
    MaxChars,
    OnlyLanguages,
    OutOfScope,
    Preset,
    RemoveLanguages,
    Replace,
    Retime,
    SettingEdit,
    Shift,
)
from ...settings.edits import CaptionPatch, EditLimits, PresetSpec
from ...settings.local import CueRules, StylePreset
from ..cues.refit import refit_cues
from ..cues.retime import fix_timing
from ..cues.text import join, wrap_text

Translate = Callable[[str], list[Cue]]
RulesFor = Callable[[CaptionSettings], CueRules]
# Edits that change the shared text. A frame or a style is fitted when a
# rendition is drawn (pipeline.drawing), so another rendition's lines stay as they were.
_REWRAP = {"max_chars", "replace"}


class Change(BaseModel):
    """One line of the answer: which setting, its value before and after."""

    field: str
    before: Any = None
    after: Any = None


class Outcome(BaseModel):
    settings: CaptionSettings
    tracks: dict[str, list[Cue]]
    changes: list[Change]
    out_of_scope: list[str]
    refused: list[str]
    preview: bool = False


class _State:
    """The working copy the edits mutate, plus the record of what they did."""

    def __init__(
        self,
        settings: CaptionSettings,
        tracks: dict[str, list[Cue]],
        rules_for: RulesFor,
        styles: dict[str, StylePreset],
        presets: dict[str, PresetSpec],
        translate: Translate | None,
        limits: EditLimits,
        duration: float | None,
        shared: set[str],
    ) -> None:
        self.limits = limits
        self.shared = shared
        self.duration = duration
        self.settings = settings.model_copy(deep=True)
        self.tracks = {k: [c.model_copy(deep=True) for c in v] for k, v in tracks.items()}
        self.rules_for = rules_for
        if not self.settings.languages:
            self.settings.languages = list(self.tracks)
        self.styles = styles
        self.presets = presets
        self.translate = translate
        self.changes: list[Change] = []
        self.out_of_scope: list[str] = []
        self.refused: list[str] = []
        self.preview = False

    def set(self, field: str, value: Any) -> None:
        before = getattr(self.settings, field)
        if before != value:
            setattr(self.settings, field, value)
            self.changes.append(Change(field=field, before=before, after=value))

    @property
    def rules(self) -> CueRules:
        return self.rules_for(self.settings)

    def wrap(self, text: str, language: str) -> list[str]:
        return wrap_text(text, self.rules, language)


def _font_base(state: _State) -> int:
    """The size the renderer uses now, in pixels of a 1080-pixel short side."""
    if state.settings.font_size:
        return state.settings.font_size
    preset = state.styles.get(state.settings.style)
    if preset is None:
        raise SkillError("unknown_style", style=state.settings.style, styles=sorted(state.styles))
    return round(preset.font_size * 1080)


def _add_languages(state: _State, languages: list[str]) -> None:
    current = list(state.settings.languages)
    for language in languages:
        if language in current:
            continue
        if language not in state.tracks:
            if state.translate is None:
                state.refused.append(language)
                continue
            state.tracks[language] = state.translate(language)
        current.append(language)
    state.set("languages", current)


def _remove_languages(state: _State, languages: list[str]) -> None:
    """Drop the languages, and their tracks unless another rendition shows them; one stays."""
    kept = [lang for lang in state.settings.languages if lang not in languages]
    if not kept:
        state.refused += [lang for lang in languages if lang in state.settings.languages]
        return
    for language in languages:
        if language in state.settings.languages and language not in state.shared:
            state.tracks.pop(language, None)
    state.set("languages", kept)
    state.set("burn_languages", [lang for lang in state.settings.burn_languages if lang in kept])


def _only_languages(state: _State, languages: list[str]) -> None:
    _add_languages(state, languages)
    _remove_languages(state, [lang for lang in state.settings.languages if lang not in languages])
    ordered = [lang for lang in languages if lang in state.settings.languages]
    state.set("languages", ordered)


def _bilingual(state: _State, edit: Bilingual) -> None:
    if edit.languages:
        _add_languages(state, edit.languages)
        ordered = [x for x in edit.languages if x in state.settings.languages]
        state.set("languages", ordered + [x for x in state.settings.languages if x not in ordered])
    if edit.enabled:
        state.set("burn", True)
        state.set("burn_languages", state.settings.languages[:2])
    else:
        state.set("burn_languages", state.settings.languages[:1])


def _within(field: str, value: int, allowed: tuple[int, int]) -> int:
    low, high = allowed
    if not low <= value <= high:
        raise SkillError("edit_out_of_range", field=field, value=value, low=low, high=high)
    return value


def _shift_range(state: _State) -> tuple[float, float] | None:
    """How far every caption can move and keep all speech inside the video (None: unknown)."""
    cues = [c for track in state.tracks.values() for c in track]
    if state.duration is None or not cues:
        return None
    earliest = min(c.start for c in cues)
    latest = max(c.end for c in cues)
    return -earliest, max(0.0, state.duration - latest)


def _shift(state: _State, seconds: float) -> None:
    """Add to the job's total shift; the cues keep their recognised times (see cues.shift).

    A shift that would push speech before the start or past the end of the
    video is refused with the range that fits, and nothing changes.
    """
    before = state.settings.shift_s
    total = round(before + seconds, 3)
    allowed = _shift_range(state)
    if allowed is not None and not allowed[0] - 1e-6 <= total <= allowed[1] + 1e-6:
        low, high = allowed
        raise SkillError(
            "edit_out_of_range",
            field="shift",
            value=f"{seconds:+g} s",
            low=f"{low - before:+.2f} s",
            high=f"{high - before:+.2f} s",
        )
    state.settings.shift_s = total
    state.changes.append(Change(field="shift", before=before, after=total))


def _check_timing(state: _State) -> None:
    """No edit may leave a cue that ends before it starts."""
    for cues in state.tracks.values():
        for cue in cues:
            if cue.end < cue.start:
                raise SkillError(
                    "edit_out_of_range",
                    field="cue_end",
                    value=f"{cue.end:.2f} s",
                    low=f"{cue.start:.2f} s",
                    high="",
                )


def _replace(state: _State, old: str, new: str) -> None:
    """Whole-word (CJK: substring) and case-insensitive, in every track; lines re-wrapped."""
    pattern = keywords.pattern(old)
    new = clean(new)
    count = 0
    for language, cues in state.tracks.items():
        for cue in cues:
            replaced, n = pattern.subn(lambda _m: new, join(cue.lines, language, state.rules))
            if n == 0 or not replaced.strip():
                continue
            count += n
            cue.lines = state.wrap(replaced, language)
            cue.words = [
                w.model_copy(update={"text": new}) if pattern.fullmatch(w.text) else w
                for w in cue.words
            ]
    state.changes.append(
        Change(field="replace" if count else "replace_none", before=old, after=new)
    )


def _retime(state: _State) -> None:
    """Each track within the cue rules; the change counts the cues that moved or split."""
    moved = 0
    for language, cues in state.tracks.items():
        fixed = fix_timing(cues, language, state.rules)
        before = {(c.start, c.end, tuple(c.lines)) for c in cues}
        moved += sum((c.start, c.end, tuple(c.lines)) not in before for c in fixed)
        state.tracks[language] = fixed
    state.changes.append(Change(field="retimed", before=None, after=moved))


def _rewrap(state: _State) -> None:
    for language, cues in state.tracks.items():
        state.tracks[language] = refit_cues(cues, language, state.rules)


def _patch(state: _State, patch: CaptionPatch) -> None:
    for field, value in patch.model_dump(exclude_none=True).items():
        state.set(field, value)


@singledispatch
def _apply_one(edit: Strict, state: _State) -> None:
    """One edit, dispatched on its type; every type in `Edit` registers a handler below."""
    raise TypeError(f"no handler for the {type(edit).__name__} edit")


@_apply_one.register
def _(edit: SettingEdit, state: _State) -> None:
    for field, attribute in edit.sets.items():
        state.set(field, getattr(edit, attribute))


@_apply_one.register
def _(edit: AddLanguages, state: _State) -> None:
    _add_languages(state, edit.languages)


@_apply_one.register
def _(edit: RemoveLanguages, state: _State) -> None:
    _remove_languages(state, edit.languages)


@_apply_one.register
def _(edit: OnlyLanguages, state: _State) -> None:
    _only_languages(state, edit.languages)


@_apply_one.register
def _(edit: Bilingual, state: _State) -> None:
    _bilingual(state, edit)


@_apply_one.register
def _(edit: FontSize, state: _State) -> None:
    size = edit.size or round(_font_base(state) * (edit.scale or 1.0))
    state.set("font_size", _within("font_size", size, state.limits.font_size))


@_apply_one.register
def _(edit: MaxChars, state: _State) -> None:
    state.set("max_chars", _within("max_chars", edit.chars, state.limits.max_chars))


@_apply_one.register
def _(edit: Shift, state: _State) -> None:
    _shift(state, edit.seconds)


@_apply_one.register
def _(edit: Replace, state: _State) -> None:
    _replace(state, edit.old, edit.new)


@_apply_one.register
def _(edit: Preset, state: _State) -> None:
    spec = state.presets[edit.name]
    _patch(state, spec.by_aspect.get(state.settings.aspect, spec.default))


@_apply_one.register
def _(edit: Keywords, state: _State) -> None:
    state.set("keywords", list(dict.fromkeys([*state.settings.keywords, *edit.words])))


@_apply_one.register
def _(edit: LookFirst, state: _State) -> None:
    state.preview = True


@_apply_one.register
def _(edit: Retime, state: _State) -> None:
    _retime(state)


@_apply_one.register
def _(edit: OutOfScope, state: _State) -> None:
    state.out_of_scope.append(edit.topic)


_FIRST = (AddLanguages, RemoveLanguages, OnlyLanguages, AspectEdit)


def apply_edits(
    edits: list[Edit],
    settings: CaptionSettings,
    tracks: dict[str, list[Cue]],
    *,
    rules_for: RulesFor,
    styles: dict[str, StylePreset],
    presets: dict[str, PresetSpec],
    limits: EditLimits,
    translate: Translate | None = None,
    duration: float | None = None,
    shared: set[str] | None = None,
) -> Outcome:
    """New settings and tracks after `edits`, with the list of real changes.

    Language and aspect edits go first, so "bilingual" and "make it look
    better" see the languages and frame the same sentence asked for. Lines are
    re-wrapped when the line limit changed or a word was replaced, by
    `rules_for` applied to the new settings. `shared` are languages other
    renditions show: removing one here keeps its track.
    """
    state = _State(
        settings,
        tracks,
        rules_for,
        styles,
        presets,
        translate,
        limits,
        duration,
        shared or set(),
    )

    def first(edit: Edit) -> bool:
        """Frame-setting presets ("for TikTok") count as aspect edits."""
        frame = isinstance(edit, Preset) and presets[edit.name].default.aspect is not None
        return frame or isinstance(edit, _FIRST)

    ordered = [e for e in edits if first(e)] + [e for e in edits if not first(e)]
    for edit in ordered:
        _apply_one(edit, state)
    if any(change.field in _REWRAP for change in state.changes):
        _rewrap(state)
    _check_timing(state)
    return Outcome(
        settings=state.settings,
        tracks=state.tracks,
        changes=state.changes,
        out_of_scope=state.out_of_scope,
        refused=state.refused,
        preview=state.preview,
    )

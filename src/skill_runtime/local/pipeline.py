"""One file to its outputs: audio, recognition, cues, then each rendition's files.

`recognise` makes a job's shared tracks from its file. `render_outputs` renders
the job's current rendition (after chat edits, or for `export`) from those
tracks without recognising again, and `render_sized` renders it to a size
limit (a chat's, a mail's); every file goes through one `OutputSet`. Both work
on a copy of the job; the backend saves the results under the session lock.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pysubs2

from .. import atomic
from ..caption_text import needs_font
from ..captions import CaptionSettings, Cue, Word
from ..context import CaptionRequest, Context
from ..errors import SkillError
from ..language_names import iso639_2, language_name
from ..outputs import LEDGER, Expect, Ledger, OutputSet, output_set
from ..results import MediaFile, MediaKind
from ..settings.local import CueRules, LocalSettings, Shape, StylePreset, VideoSettings
from .ahead import Ahead, Sketch
from .asr import load_model, transcribe
from .asr.onsets import snap_onsets
from .asr.transcribe import Partial
from .asr.turns import mark_turns
from .audio import SAMPLE_RATE, load_audio
from .cues import build_cues
from .cues.refit import refit_cues
from .cues.text import display_width
from .deliver import SizeReport, SizeTarget, encode_sized, measured, plan
from .edits.apply import apply_edits
from .probe import MediaInfo
from .render.fonts import fonts_dir
from .render.layout import output_shape
from .render.streamed import RangeBurner
from .render.video import SoftTrack, burn, check_drawn, preview, soft
from .session import CaptionJob
from .subtitles import AssLook, check_look, make_ass, write_json, write_text_subs
from .translate.service import LANGUAGE_FAILURES, translate_cues

_CHECK_LINE = 30


def effective_rules(settings: LocalSettings, caption: CaptionSettings, shape: Shape) -> CueRules:
    """The burn's cue rules: narrowed by the frame (vertical lines are shorter) and the style."""
    preset = style_preset(settings, caption.style)
    narrower = (caption.max_chars, shape.max_chars_per_line, preset.max_chars_per_line)
    limits = [settings.cues.max_chars_per_line, *(x for x in narrower if x)]
    return settings.cues.with_overrides(max_chars_per_line=min(limits))


def shared_rules(
    job: CaptionJob,
    settings: CaptionSettings,
    local: LocalSettings,
    rules: Callable[[LocalSettings, CaptionSettings, Shape], CueRules],
) -> CueRules:
    """The `rules` (text or effective) a track every version shares is laid out with: the
    widest version's.

    Each version's drawing narrows the cues to its own frame (`fitted`); a track
    laid out for a 9:16 version would leave a 16:9 one with half-empty lines.
    `settings` stand for the current version's (as an edit changes them).
    """

    def of(caption: CaptionSettings) -> CueRules:
        media = job.media
        shape = output_shape(local, caption.aspect, media, caption.height, caption.platform)
        return rules(local, caption, shape)

    others = [r.settings for name, r in job.renditions.items() if name != job.rendition]
    return max((of(s) for s in (settings, *others)), key=lambda r: r.max_chars_per_line)


def text_rules(settings: LocalSettings, caption: CaptionSettings, shape: Shape) -> CueRules:
    """The cue rules of the readable files: narrowed by the frame and the user, not the style."""
    narrower = (caption.max_chars, shape.max_chars_per_line)
    limits = [settings.cues.max_chars_per_line, *(x for x in narrower if x)]
    return settings.cues.with_overrides(max_chars_per_line=min(limits))


def platform_choice(settings: LocalSettings, platform: str, aspect: str | None) -> dict[str, Any]:
    """A platform's safe zones, on a 9:16 frame unless another frame was asked for."""
    if platform not in settings.platforms:
        raise SkillError(
            "unknown_platform", platform=platform, platforms=sorted(settings.platforms)
        )
    return {"platform": platform, "aspect": aspect or "9:16"}


def style_preset(settings: LocalSettings, name: str) -> StylePreset:
    if name not in settings.styles:
        raise SkillError("unknown_style", style=name, styles=sorted(settings.styles))
    return settings.styles[name]


def apply_request(
    caption: CaptionSettings, request: CaptionRequest, settings: LocalSettings
) -> CaptionSettings:
    changes: dict[str, Any] = {}
    if request.languages:
        changes["languages"] = list(dict.fromkeys(request.languages))
    if request.languages or request.burn_languages:
        changes["burn_languages"] = list(request.burn_languages)
    if request.burn is not None:
        changes["burn"] = request.burn
    if request.aspect is not None:
        changes["aspect"] = request.aspect
    if request.fit in ("blur", "crop", "pad"):
        changes["fit"] = request.fit
    if request.style is not None:
        style_preset(settings, request.style)
        changes["style"] = request.style
    if request.platform is not None:
        changes |= platform_choice(settings, request.platform, request.aspect)
    return caption.model_copy(update=changes)


def translate_into(
    tracks: dict[str, list[Cue]],
    source: str,
    targets: list[str],
    *,
    audio: Path | None,
    rules: CueRules,
    ctx: Context,
) -> list[SkillError]:
    """Each target `tracks` lacks, translated from `source`; mutates `tracks`.

    A language no translator can make (none installed, a failing or silent one)
    is returned with its error instead, so the others are still made.
    """
    missing: list[SkillError] = []
    for target in [lang for lang in targets if lang not in tracks]:
        ctx.progress.status("progress/translating", source=source, target=target)
        try:
            tracks[target] = translate_cues(
                tracks[source],
                source,
                target,
                audio=audio,
                rules=rules,
                config=ctx.config,
                env=ctx.env,
                model=ctx.model,
            )
        except SkillError as exc:
            if exc.code not in LANGUAGE_FAILURES:
                raise
            missing.append(exc)
    return missing


def keep_made(job: CaptionJob) -> None:
    """The job's language choices cut to the tracks it has (after some could not be made)."""
    made = [lang for lang in job.settings.languages if lang in job.tracks]
    job.settings.languages = made or list(job.tracks)
    job.settings.burn_languages = [
        lang for lang in job.settings.burn_languages if lang in job.tracks
    ]


def build_tracks(
    job: CaptionJob, info: MediaInfo, ctx: Context
) -> tuple[dict[str, list[Cue]], list[SkillError]]:
    """Cues for the spoken language, then each requested language translated from them.

    A language that cannot be made (no translator, a failing or silent one) is
    left out and returned with its error, so the others are still delivered.
    """
    settings = ctx.config.local
    source = job.source_language or "und"
    rules = shared_rules(job, job.settings, settings, text_rules)
    tracks = {source: build_cues(job.words, source, rules, fps=info.fps or None)}
    missing = translate_into(
        tracks, source, job.settings.languages, audio=info.path, rules=rules, ctx=ctx
    )
    replacements = job.replacements()
    if replacements:
        # Words the user corrected stay corrected when the file is captioned again.
        tracks = apply_edits(
            list(replacements),
            job.settings,
            tracks,
            rules_for=lambda _settings: rules,
            styles=settings.styles,
            presets=ctx.config.edits.presets,
            limits=ctx.config.edits.limits,
        ).tracks
    return tracks, missing


def burn_languages(job: CaptionJob) -> list[str]:
    """The languages chosen for burn-in, else the first two asked for, spoken language first.

    Asking for two languages means wanting to see both: phones and social
    uploads drop soft tracks, so they are burned stacked by default.
    """
    chosen = [lang for lang in job.settings.burn_languages if lang in job.tracks]
    if chosen:
        return chosen[:2]
    made = [lang for lang in job.settings.languages if lang in job.tracks]
    spoken = job.source_language
    if spoken in made:
        made = [spoken, *(lang for lang in made if lang != spoken)]
    return made[:2] or [next(iter(job.tracks))]


def _check_cue(tracks: list[list[Cue]]) -> list[list[Cue]]:
    """One cue per burned track holding every letter, mark and digit, to test font coverage."""
    out: list[list[Cue]] = []
    for cues in tracks:
        chars = "".join(sorted({ch for c in cues for ch in c.text if needs_font(ch)}))
        lines = [chars[k : k + _CHECK_LINE] for k in range(0, len(chars), _CHECK_LINE)] or ["Aa"]
        out.append([Cue(start=0.0, end=1.0, lines=lines)])
    return out


def _fits(cues: list[Cue], rules: CueRules) -> bool:
    limit = rules.max_chars_per_line
    return all(
        len(c.lines) <= rules.max_lines and all(display_width(line) <= limit for line in c.lines)
        for c in cues
    )


def fitted(cues: list[Cue], language: str, rules: CueRules) -> list[Cue]:
    """The cues as they are when they fit `rules`, else re-wrapped (and split) to fit."""
    return cues if _fits(cues, rules) else refit_cues(cues, language, rules)


def shown_languages(job: CaptionJob) -> list[str]:
    """The languages this rendition shows: its own choice among the job's tracks, else all."""
    chosen = [lang for lang in job.settings.languages if lang in job.tracks]
    return chosen or list(job.tracks)


@dataclass(frozen=True)
class Drawing:
    """What a rendition draws on a frame: the readable files' cues and the burned ones."""

    shape: Shape
    look: AssLook
    # Sentence cues per shown language, on the written times, fitted to the frame.
    text: dict[str, list[Cue]]
    # The burned languages and their cues, fitted to the style too.
    languages: list[str]
    burned: list[list[Cue]]


def drawing(job: CaptionJob, ctx: Context, height: int | None = None) -> Drawing:
    """The frame (at `height`, else the rendition's), its look and the cues on it.

    The readable subtitle files (SRT, VTT, JSON) keep sentence cues whatever the
    style: pop and word-by-word grouping belong to the burn only.
    """
    settings, caption, info = ctx.config.local, job.settings, job.media
    shape = output_shape(settings, caption.aspect, info, height or caption.height, caption.platform)
    look = AssLook(
        shape=shape,
        preset=style_preset(settings, caption.style),
        settings=caption,
        font=settings.fonts.family,
        short_form=settings.short_form,
    )
    timed = job.timed_tracks()
    words_rules = text_rules(settings, caption, shape)
    text = {lang: fitted(timed[lang], lang, words_rules) for lang in shown_languages(job)}
    burn_rules = effective_rules(settings, caption, shape)
    languages = burn_languages(job)
    burned = [fitted(text[lang], lang, burn_rules) for lang in languages]
    return Drawing(shape=shape, look=look, text=text, languages=languages, burned=burned)


def look_digest(job: CaptionJob) -> str:
    """What a full render of the rendition depends on: file, settings, tracks and its name."""
    raw = json.dumps(
        {
            "file": job.fingerprint,
            "tag": job.tag(),
            # Where a copy is sent is not part of the look.
            "settings": job.settings.model_dump(mode="json", exclude={"deliver", "max_mb"}),
            "tracks": {k: [c.model_dump(mode="json") for c in v] for k, v in job.tracks.items()},
        },
        sort_keys=True,
    )
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


def up_to_date(job: CaptionJob, ctx: Context) -> bool:
    """The rendition's last full render drew exactly this look, and its files are as written."""
    rendition = job.renditions[job.rendition]
    if rendition.rendered != look_digest(job) or not rendition.outputs:
        return False
    names = [m.path.name for m in rendition.outputs]
    if not all(any(n.endswith(sfx) for n in names) for sfx in _suffixes(job, video=True)):
        return False
    ledger = ctx.store.load(LEDGER, Ledger) or Ledger()
    return all(ledger.ours(m.path, job.media.path) for m in rendition.outputs)


def _suffixes(job: CaptionJob, video: bool) -> list[str]:
    pre = name_prefix(job)
    names = [
        f"{pre}.{lang}.{ext}"
        for lang in shown_languages(job)
        for ext in ("srt", "vtt", "ass", "json")
    ]
    if video and job.media.has_video:
        names += (
            [f"{pre}.captioned.mp4", f"{pre}.preview.png"]
            if job.settings.burn
            else [f"{pre}.subtitled.mp4"]
        )
    return names


def name_prefix(job: CaptionJob) -> str:
    """What output names carry after the stem: `.tiktok` for a rendition other than the first."""
    tag = job.tag()
    return f".{tag}" if tag else ""


@dataclass(frozen=True)
class Written:
    """A rendition's published files and the stem the output set chose for them."""

    media: list[MediaFile]
    stem: str


def render_outputs(
    job: CaptionJob, ctx: Context, *, video: bool = True, ahead: Ahead | None = None
) -> Written:
    """Every subtitle file, then the MP4 (burned or soft) and a preview PNG, as one set.

    With `ahead`, the ranges burned while recognition ran are kept where the
    final captions draw the same over them (`burning_ahead`).

    All are written under temporary names and renamed only when every one is
    verified, so the previous set stays whole if anything fails or is stopped.
    Names carry the rendition when it is not the job's first (`talk.tiktok.en.srt`).
    """
    info = job.media
    if not job.tracks:
        raise SkillError("no_captions", file_name=info.path.name, path=str(info.path))
    drawn = drawing(job, ctx)
    with output_set(
        ctx.out_dir, info.path, _suffixes(job, video), ctx.store, ctx.overwrite
    ) as outs:
        ctx.progress.status("progress/writing_files", folder=str(outs.folder))
        kinds, soft_tracks = _write_text(job, drawn, outs)
        if video and info.has_video:
            kinds += _render_video(job, drawn, ctx, soft_tracks, outs, ahead)
        done = outs.commit()
    media = [m.model_copy(update={"path": done.files[suffix]}) for suffix, m in kinds]
    if video and not info.has_video:
        raise SkillError("needs_video", path=str(info.path)).with_media(media)
    return Written(media, done.stem)


def render_sized(job: CaptionJob, ctx: Context, target: SizeTarget) -> tuple[Written, SizeReport]:
    """Subtitle files as usual, then one MP4 no larger than the target, with burned captions.

    A chat or a mail client never shows a subtitle track, so the captions are
    burned even when the rendition keeps them as tracks. A full burned render
    of the same look that already fits is delivered as it is (copied, no
    encode); otherwise the picture is encoded under the limit.
    """
    info = job.media
    if not job.tracks:
        raise SkillError("no_captions", file_name=info.path.name, path=str(info.path))
    if not info.has_video:
        raise SkillError("needs_video", path=str(info.path)).with_media(
            render_outputs(job, ctx, video=False).media
        )
    settings = ctx.config.local
    full = drawing(job, ctx)
    label = target.channel or f"{target.max_bytes / 1e6:g}MB"
    sized = f"{name_prefix(job)}.captioned.{label}.mp4"
    rendered = _rendered_burn(job, ctx)
    suffixes = [*_suffixes(job, video=False), sized]
    with output_set(ctx.out_dir, info.path, suffixes, ctx.store, ctx.overwrite) as outs:
        kinds, soft_tracks = _write_text(job, full, outs)
        out = outs.temp(sized, Expect("mp4"))
        if rendered is not None and rendered.stat().st_size <= target.max_bytes:
            ctx.progress.status("progress/copying_render", file_name=rendered.name)
            shutil.copyfile(rendered, out)
            report = measured(out, settings, target, full.shape, attempts=0)
        else:
            report = _encode_sized(job, ctx, target, full, soft_tracks, out)
        kinds.append((sized, _media(out, "video", None, "mp4")))
        done = outs.commit()
    report = report.model_copy(update={"burned_for_chat": not job.settings.burn})
    media = [m.model_copy(update={"path": done.files[suffix]}) for suffix, m in kinds]
    return Written(media, done.stem), report


def _rendered_burn(job: CaptionJob, ctx: Context) -> Path | None:
    """The rendition's burned MP4 when its last full render drew the look it has now."""
    if not job.settings.burn or not up_to_date(job, ctx):
        return None
    return next((m.path for m in job.outputs if m.path.name.endswith(".captioned.mp4")), None)


def _encode_sized(
    job: CaptionJob,
    ctx: Context,
    target: SizeTarget,
    full: Drawing,
    soft_tracks: list[SoftTrack],
    out: Path,
) -> SizeReport:
    settings, info = ctx.config.local, job.media
    chosen = plan(
        settings.delivery, info.duration, min(full.shape.width, full.shape.height), target.max_bytes
    )
    drawn = (
        drawing(job, ctx, height=chosen.short_side)
        if chosen.short_side < min(full.shape.width, full.shape.height)
        else full
    )
    fonts = fonts_dir(settings.fonts, ctx.env)
    with tempfile.TemporaryDirectory(prefix="ai-subtitles-") as tmp:
        ass_file = burn_file(drawn, fonts, Path(tmp))

        def encode(video: VideoSettings, into: Path) -> None:
            ctx.progress.status(
                "progress/encoding_start", width=drawn.shape.width, height=drawn.shape.height
            )
            burn(
                info,
                ass_file=ass_file,
                fonts=fonts,
                shape=drawn.shape,
                fit=job.settings.fit,
                tracks=soft_tracks,
                out=into,
                video=video,
                progress=ctx.progress,
            )

        return encode_sized(encode, out, settings, target, chosen, full.shape, info.duration)


def burn_subs(drawn: Drawing) -> pysubs2.SSAFile:
    """The captions a burn draws: every burned language, in the look."""
    return make_ass(drawn.burned, drawn.look, drawn.languages)


def burn_file(drawn: Drawing, fonts: Path, folder: Path) -> Path:
    """The ASS file to burn, after proving every character of it draws in the font."""
    ass_file = folder / "burn.ass"
    atomic.write_text(ass_file, burn_subs(drawn).to_string("ass"))
    check_file = folder / "check.ass"
    check_tracks = _check_cue(drawn.burned)
    atomic.write_text(check_file, make_ass(check_tracks, check_look(drawn.look)).to_string("ass"))
    chars = "".join(line for cues in check_tracks for line in cues[0].lines)
    check_drawn(check_file, fonts=fonts, shape=drawn.shape, at=0.5, chars=chars)
    return ass_file


def _write_text(
    job: CaptionJob, drawn: Drawing, outs: OutputSet
) -> tuple[list[tuple[str, MediaFile]], list[SoftTrack]]:
    """SRT, VTT, ASS and JSON per shown language, and the SRTs as tracks for the MP4."""
    pre = name_prefix(job)
    kinds: list[tuple[str, MediaFile]] = []
    soft_tracks: list[SoftTrack] = []
    for language, cues in drawn.text.items():
        for fmt in ("srt", "vtt"):
            path = outs.temp(f"{pre}.{language}.{fmt}", Expect(fmt, len(cues)))
            write_text_subs(cues, path, fmt)
            kinds.append((f"{pre}.{language}.{fmt}", _media(path, "subtitles", language, fmt)))
        ass_path = outs.temp(f"{pre}.{language}.ass", Expect("ass", len(cues)))
        atomic.write_text(ass_path, make_ass([cues], drawn.look, [language]).to_string("ass"))
        kinds.append((f"{pre}.{language}.ass", _media(ass_path, "subtitles", language, "ass")))
        json_path = outs.temp(f"{pre}.{language}.json", Expect("json", len(cues)))
        write_json(cues, json_path, language)
        kinds.append((f"{pre}.{language}.json", _media(json_path, "transcript", language, "json")))
        soft_tracks.append(
            SoftTrack(path=kinds[-4][1].path, language=language, iso639_2=iso639_2(language))
        )
    return kinds, soft_tracks


def _media(path: Path, kind: MediaKind, language: str | None, fmt: str) -> MediaFile:
    return MediaFile(path=path, kind=kind, language=language, format=fmt)


def _render_video(
    job: CaptionJob,
    drawn: Drawing,
    ctx: Context,
    soft_tracks: list[SoftTrack],
    outs: OutputSet,
    ahead: Ahead | None = None,
) -> list[tuple[str, MediaFile]]:
    settings, caption, info = ctx.config.local, job.settings, job.media
    pre = name_prefix(job)
    fonts = fonts_dir(settings.fonts, ctx.env)
    encode = functools.partial(
        burn,
        info,
        fonts=fonts,
        shape=drawn.shape,
        fit=caption.fit,
        tracks=soft_tracks,
        video=settings.video,
        progress=ctx.progress,
    )
    if not caption.burn:
        out = outs.temp(f"{pre}.subtitled.mp4", Expect("mp4"))
        if caption.aspect == "source":
            ctx.progress.status("progress/muxing_start")
            soft(info, tracks=soft_tracks, out=out, video=settings.video, progress=ctx.progress)
        else:
            encode(ass_file=None, out=out)
        return [(f"{pre}.subtitled.mp4", _media(out, "video", None, "mp4"))]
    with tempfile.TemporaryDirectory(prefix="ai-subtitles-") as tmp:
        ass_file = burn_file(drawn, fonts, Path(tmp))
        first = drawn.burned[0][0]
        at = min(
            max(0.0, (first.start + first.end) / 2),
            max(0.0, (info.video_duration or info.duration) - 0.05),
        )
        shot = preview(
            info,
            ass_file=ass_file,
            fonts=fonts,
            shape=drawn.shape,
            fit=caption.fit,
            at=at,
            out=outs.temp(f"{pre}.preview.png", Expect("png")),
            width=settings.video.preview_width,
        )
        ctx.progress.status(
            "progress/encoding_start", width=drawn.shape.width, height=drawn.shape.height
        )
        target = outs.temp(f"{pre}.captioned.mp4", Expect("mp4"))
        early = ahead.burner_for(drawn.shape, caption.fit) if ahead is not None else None
        joined = _joined(early, burn_subs(drawn), target, soft_tracks, ctx) if early else None
        video = joined or encode(ass_file=ass_file, out=target)
    return [
        (f"{pre}.captioned.mp4", _media(video, "video", None, "mp4")),
        (f"{pre}.preview.png", _media(shot, "preview", None, "png")),
    ]


def _joined(
    early: RangeBurner,
    subs: pysubs2.SSAFile,
    target: Path,
    tracks: list[SoftTrack],
    ctx: Context,
) -> Path | None:
    """The ranges burned ahead, joined; None when a disk filled up under them.

    Ranges and their join hold the video twice where a one-pass burn holds it
    once: on a full disk the ranges are removed and the burn done in one pass.
    """
    try:
        return early.finish(subs, target, tracks=tracks, progress=ctx.progress)
    except SkillError as exc:
        if exc.code != "disk_full":
            raise
    early.discard()
    ctx.progress.status("progress/one_pass_after_full_disk")
    return None


def recognise_words(
    info: MediaInfo, request: CaptionRequest, ctx: Context, ahead: Ahead | None = None
) -> tuple[list[Word], str]:
    """The spoken words of `info`, starts snapped to the sound, turns marked, and the language.

    Separate from the tracks so a batch can keep the words and render again
    from them when only caption options change. With `ahead`, the burn runs
    alongside on the other core and recognition keeps to one thread.
    """
    settings = ctx.config.local
    ctx.progress.status("progress/reading_audio", file_name=info.path.name)
    audio = load_audio(info, request.audio_track, ctx.progress)
    ctx.progress.status("progress/loading_model")
    model = load_model(
        settings.model, request.model or ctx.model, ctx.env, cores=1 if ahead else None
    )
    polish = functools.partial(_polished, audio=audio, info=info, settings=settings)
    heard = None
    if ahead is not None:
        heard = functools.partial(_heard, ahead=ahead, polish=polish)
    ctx.progress.status("progress/transcribing_start")
    transcript = transcribe(
        model,
        audio,
        duration=info.duration,
        language=request.source_language or ctx.language,
        model_settings=settings.model,
        settings=settings.recognition,
        progress=ctx.progress,
        offset_s=info.audio_offset_s,
        unspaced_languages=settings.cues.no_space_languages,
        heard=heard,
    )
    if not transcript.words:
        raise SkillError("no_speech", path=str(info.path), duration=info.duration)
    return polish(transcript.words), transcript.language


def _polished(
    words: list[Word], *, audio: npt.NDArray[np.float32], info: MediaInfo, settings: LocalSettings
) -> list[Word]:
    """Recognised words with their starts snapped to the sound and speaker turns marked."""
    words = snap_onsets(
        words,
        audio,
        sample_rate=SAMPLE_RATE,
        offset_s=info.audio_offset_s,
        settings=settings.recognition,
    )
    return mark_turns(
        words,
        audio,
        sample_rate=SAMPLE_RATE,
        offset_s=info.audio_offset_s,
        sentence_end=settings.cues.sentence_end,
        settings=settings.recognition,
    )


def _heard(partial: Partial, *, ahead: Ahead, polish: Callable[[list[Word]], list[Word]]) -> None:
    """The burn ahead told what recognition heard, as polished words."""
    ahead.heard(Partial(partial.until_s, partial.language, lambda: polish(partial.words())))


@contextmanager
def burning_ahead(job: CaptionJob, request: CaptionRequest, ctx: Context) -> Iterator[Ahead | None]:
    """A burn that runs while the job's speech is recognised, for a burned caption of a video.

    None when the render is not a burn, the picture's frame rate varies (frame
    numbers would not be times), or skill.yaml turns it off. Fonts and
    the ranges' folder are made with the first range; the ranges are removed
    when the block ends.
    """
    settings, caption, info = ctx.config.local, job.settings, job.media
    rules = settings.video.burn_ahead
    if rules is None or not caption.burn or not info.constant_rate or request.preview:
        yield None
        return
    with ExitStack() as stack:

        def start() -> RangeBurner:
            shape = output_shape(settings, caption.aspect, info, caption.height, caption.platform)
            fonts = fonts_dir(settings.fonts, ctx.env)
            ctx.store.root.mkdir(parents=True, exist_ok=True)  # a disk, where /tmp may be memory
            _drop_orphan_ranges(ctx.store.root)
            tmp = stack.enter_context(
                tempfile.TemporaryDirectory(prefix=f"ranges-{os.getpid()}-", dir=ctx.store.root)
            )
            return RangeBurner(
                info, fonts=fonts, shape=shape, fit=caption.fit, video=settings.video,
                folder=Path(tmp), split_tail_s=rules.split_tail_s,
            )  # fmt: skip

        sketch = functools.partial(_sketch, job, ctx)
        ahead = Ahead(start, info.fps, sketch, rules, settings.cues.sentence_end)
        try:
            yield ahead
        finally:
            ahead.close()


def _drop_orphan_ranges(root: Path) -> None:
    """Ranges left by a run that was killed outright (SIGKILL): as large as its video."""
    for folder in root.glob("ranges-*-*"):
        pid = folder.name.split("-")[1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sketch(job: CaptionJob, ctx: Context, words: list[Word], language: str) -> Sketch | None:
    """The burn's captions from the words so far; None if the burn shows another language."""
    if any(lang != language for lang in job.settings.languages):
        return None
    draft = job.model_copy(deep=True)
    draft.words, draft.source_language = words, language
    draft.tracks, _ = build_tracks(draft, draft.media, ctx)
    drawn = drawing(draft, ctx)
    return Sketch(burn_subs(drawn), drawn.burned[0])


@dataclass(frozen=True)
class Limits:
    """Slots a caller shares between files (a batch's workers): each stage waits for its own."""

    recognise: AbstractContextManager[object] = field(default_factory=nullcontext)
    encode: AbstractContextManager[object] = field(default_factory=nullcontext)


def caption_file(
    job: CaptionJob, request: CaptionRequest, ctx: Context, limits: Limits | None = None
) -> tuple[list[MediaFile], list[SkillError]]:
    """One file → outputs: words (unless the job has them), tracks, the full render; mutates `job`.

    Returns the files and the languages no translator could reach. A job that
    arrives with words (a batch re-render after only caption options changed)
    is not recognised again.
    """
    limits = limits or Limits()
    if not job.words:
        with limits.recognise:
            job.words, job.source_language = recognise_words(job.media, request, ctx)
    with limits.encode:
        missing = make_tracks(job, ctx)
        media = render_outputs(job, ctx).media
    return media, missing


def recognise(
    job: CaptionJob, request: CaptionRequest, ctx: Context, ahead: Ahead | None = None
) -> list[SkillError]:
    """Recognise speech in the job's file and build its tracks; mutates `job`.

    Returns the languages no translator could reach (the others are made).
    """
    job.words, job.source_language = recognise_words(job.media, request, ctx, ahead)
    return make_tracks(job, ctx)


def make_tracks(job: CaptionJob, ctx: Context) -> list[SkillError]:
    """The job's tracks from its recognised words; mutates `job`.

    Languages no translator reaches are dropped from the job's settings and
    returned (the others are made).
    """
    job.tracks, missing = build_tracks(job, job.media, ctx)
    if missing:
        keep_made(job)
    return missing


def missing_languages(
    missing: list[SkillError], job: CaptionJob, media: list[MediaFile], ctx: Context
) -> SkillError:
    """The first language that could not be made, naming the ones that were, with their files."""
    first = missing[0]
    first.context |= {
        "made": [language_name(lang) for lang in job.tracks],
        "also_missing": [language_name(e.context["target"]) for e in missing[1:]],
    }
    return first.with_media(media)

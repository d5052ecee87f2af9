"""The whole local job: probe, audio, recognition, cues, files, render.

`caption` runs it for a file; `render_outputs` re-renders a session (after chat
edits, or for `export`) from its stored tracks without recognising again.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import Any

from .. import atomic
from ..backends.base import CaptionRequest, Context
from ..captions import CaptionSettings, Cue, Word
from ..errors import SkillError
from ..results import MediaFile
from .asr import load_model, transcribe
from .asr.onsets import snap_onsets
from .audio import SAMPLE_RATE, load_audio
from .cues import build_cues
from .languages import iso639_2
from .probe import MediaInfo, probe
from .render.fonts import fonts_dir
from .render.layout import output_shape
from .render.video import SoftTrack, burn, check_drawn, preview, soft
from .session import LocalSession
from .settings import CueRules, LocalSettings, Shape, StylePreset
from .subtitles import AssLook, make_ass, subtitle_name, write_json, write_text_subs
from .translate.service import translate_cues

_CHECK_LINE = 30


def effective_rules(settings: LocalSettings, caption: CaptionSettings, shape: Shape) -> CueRules:
    """The cue rules narrowed by the frame (vertical lines are shorter) and the style."""
    preset = style_preset(settings, caption.style)
    limits = [settings.cues.max_chars_per_line, caption.max_chars]
    limits += [x for x in (shape.max_chars_per_line, preset.max_chars_per_line) if x]
    return settings.cues.with_overrides(max_chars_per_line=min(limits))


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
        changes["burn_languages"] = []
    if request.burn is not None:
        changes["burn"] = request.burn
    if request.aspect is not None:
        changes["aspect"] = request.aspect
    if request.fit in ("pad", "crop"):
        changes["fit"] = request.fit
    if request.style is not None:
        style_preset(settings, request.style)
        changes["style"] = request.style
    return caption.model_copy(update=changes)


def build_tracks(
    session: LocalSession, info: MediaInfo, ctx: Context
) -> tuple[dict[str, list[Cue]], list[SkillError]]:
    """Cues for the spoken language, then each requested language translated from them.

    A language no translator can reach is left out and returned with its error,
    so the languages that could be made are still delivered.
    """
    settings = ctx.config.local
    source = session.source_language or "und"
    shape = output_shape(settings, session.settings.aspect, info, session.settings.height)
    rules = effective_rules(settings, session.settings, shape)
    tracks = {source: build_cues(session.words, source, rules, fps=info.fps or None)}
    missing: list[SkillError] = []
    for target in session.settings.languages:
        if target in tracks:
            continue
        ctx.progress.status("progress/translating", source=source, target=target)
        try:
            tracks[target] = translate_cues(
                tracks[source], source, target, audio=info.path, rules=rules
            )
        except SkillError as exc:
            if exc.code != "translation_unavailable":
                raise
            missing.append(exc)
    return tracks, missing


def burn_languages(session: LocalSession) -> list[str]:
    chosen = [lang for lang in session.settings.burn_languages if lang in session.tracks]
    if chosen:
        return chosen[:2]
    first = next((lang for lang in session.settings.languages if lang in session.tracks), None)
    return [first or next(iter(session.tracks))]


def _check_cue(tracks: list[list[Cue]]) -> list[list[Cue]]:
    """One cue per burned track holding every distinct character, to test font coverage."""
    out: list[list[Cue]] = []
    for cues in tracks:
        chars = "".join(sorted({ch for c in cues for ch in c.text if not ch.isspace()}))
        lines = [chars[k : k + _CHECK_LINE] for k in range(0, len(chars), _CHECK_LINE)] or ["Aa"]
        out.append([Cue(start=0.0, end=1.0, lines=lines)])
    return out


def render_outputs(session: LocalSession, ctx: Context, *, video: bool = True) -> list[MediaFile]:
    """Write every subtitle file, then the MP4 (burned or soft) and a preview PNG."""
    info = session.current
    if info is None:
        raise SkillError("no_upload")
    if not session.tracks:
        raise SkillError("no_captions", file_name=info.path.name, path=str(info.path))
    settings, caption = ctx.config.local, session.settings
    shape = output_shape(settings, caption.aspect, info, caption.height)
    preset = style_preset(settings, caption.style)
    look = AssLook(shape=shape, preset=preset, settings=caption, font=settings.fonts.family)
    out_dir, stem = ctx.out_dir, info.path.stem
    ctx.progress.status("progress/writing_files", folder=str(out_dir))
    media: list[MediaFile] = []
    soft_tracks: list[SoftTrack] = []
    for language, cues in session.tracks.items():
        for fmt in ("srt", "vtt"):
            path = write_text_subs(cues, subtitle_name(out_dir, stem, language, fmt), fmt)
            media.append(MediaFile(path=path, kind="subtitles", language=language, format=fmt))
        ass_path = subtitle_name(out_dir, stem, language, "ass")
        atomic.write_text(ass_path, make_ass([cues], look).to_string("ass"))
        media.append(MediaFile(path=ass_path, kind="subtitles", language=language, format="ass"))
        json_path = write_json(cues, subtitle_name(out_dir, stem, language, "json"), language)
        media.append(MediaFile(path=json_path, kind="transcript", language=language, format="json"))
        soft_tracks.append(
            SoftTrack(path=media[-4].path, language=language, iso639_2=iso639_2(language))
        )
    if not video:
        return media
    if not info.has_video:
        raise SkillError("needs_video", path=str(info.path)).with_media(media)
    media.extend(_render_video(session, ctx, info, shape, look, soft_tracks))
    return media


def _render_video(
    session: LocalSession,
    ctx: Context,
    info: MediaInfo,
    shape: Shape,
    look: AssLook,
    soft_tracks: list[SoftTrack],
) -> list[MediaFile]:
    settings, caption = ctx.config.local, session.settings
    stem = info.path.stem
    fonts = fonts_dir(settings.fonts)
    encode = functools.partial(
        burn,
        info,
        fonts=fonts,
        shape=shape,
        fit=caption.fit,
        tracks=soft_tracks,
        video=settings.video,
        progress=ctx.progress,
    )
    if not caption.burn:
        if caption.aspect == "source":
            ctx.progress.status("progress/muxing_start")
            out = soft(
                info,
                tracks=soft_tracks,
                out=ctx.out_dir / f"{stem}.subtitled.mp4",
                video=settings.video,
                progress=ctx.progress,
            )
        else:
            out = encode(ass_file=None, out=ctx.out_dir / f"{stem}.subtitled.mp4")
        return [MediaFile(path=out, kind="video", format="mp4")]
    burned = [session.tracks[lang] for lang in burn_languages(session)]
    with tempfile.TemporaryDirectory(prefix="ai-subtitles-") as tmp:
        ass_file = Path(tmp) / "burn.ass"
        atomic.write_text(ass_file, make_ass(burned, look).to_string("ass"))
        check_file = Path(tmp) / "check.ass"
        check_tracks = _check_cue(burned)
        atomic.write_text(check_file, make_ass(check_tracks, look).to_string("ass"))
        chars = "".join(line for cues in check_tracks for line in cues[0].lines)
        check_drawn(check_file, fonts=fonts, shape=shape, at=0.5, chars=chars)
        first = burned[0][0]
        at = min(
            max(0.0, (first.start + first.end) / 2),
            max(0.0, info.duration - 0.05),
        )
        shot = preview(
            info,
            ass_file=ass_file,
            fonts=fonts,
            shape=shape,
            fit=caption.fit,
            at=at,
            out=ctx.out_dir / f"{stem}.preview.png",
            width=settings.video.preview_width,
        )
        ctx.progress.status("progress/encoding_start", width=shape.width, height=shape.height)
        out = encode(ass_file=ass_file, out=ctx.out_dir / f"{stem}.captioned.mp4")
    return [
        MediaFile(path=out, kind="video", format="mp4"),
        MediaFile(path=shot, kind="preview", format="png"),
    ]


def recognise(info: MediaInfo, request: CaptionRequest, ctx: Context) -> tuple[list[Word], str]:
    """The spoken words of `info`, their starts snapped to the sound, and the spoken language."""
    settings = ctx.config.local
    ctx.progress.status("progress/reading_audio", file_name=info.path.name)
    audio = load_audio(info)
    ctx.progress.status("progress/loading_model")
    model = load_model(settings.model, request.model or ctx.model)
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
    )
    if not transcript.words:
        raise SkillError("no_speech", path=str(info.path), duration=info.duration)
    words = snap_onsets(
        transcript.words,
        audio,
        sample_rate=SAMPLE_RATE,
        offset_s=info.audio_offset_s,
        settings=settings.recognition,
    )
    return words, transcript.language


def caption_words(session: LocalSession, info: MediaInfo, ctx: Context) -> list[MediaFile]:
    """Cues from the session's words, translations, then every output file.

    A language no translator reaches is dropped from the outputs and raised
    afterwards, carrying the files that were made.
    """
    session.tracks, missing = build_tracks(session, info, ctx)
    if missing:
        made = [lang for lang in session.settings.languages if lang in session.tracks]
        session.settings.languages = made or list(session.tracks)
        session.settings.burn_languages = [
            lang for lang in session.settings.burn_languages if lang in session.tracks
        ]
    media = render_outputs(session, ctx)
    if missing:
        names = ctx.config.translation.name
        first = missing[0]
        first.context |= {
            "made": [names(lang) for lang in session.tracks],
            "also_missing": [names(e.context["target"]) for e in missing[1:]],
        }
        raise first.with_media(media)
    return media


def caption(session: LocalSession, request: CaptionRequest, ctx: Context) -> list[MediaFile]:
    """Recognise speech in `request.path` and produce every output; mutates `session`."""
    settings = ctx.config.local
    info = probe(request.path, settings.media_extensions)
    session.use(info)
    session.settings = apply_request(session.settings, request, settings)
    session.words, session.source_language = recognise(info, request, ctx)
    return caption_words(session, info, ctx)

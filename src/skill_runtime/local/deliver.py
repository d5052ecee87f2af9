"""An MP4 a chat can carry: under a size limit, with the best quality that fits.

The bitrate comes from the duration and the limit; the encode is a capped CRF
(libx264 at the usual CRF, VBV-limited to that bitrate), so easy pictures stay
at full quality and hard ones are held under the cap. The resolution drops
only when the bitrate would fall below the legible floor for the frame. The
written file is measured: too large, it is encoded again at a lower cap.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import av
from pydantic import BaseModel

from .. import atomic
from ..context import Context
from ..errors import SkillError
from ..language_names import iso639_2
from ..results import MediaFile
from ..settings.local import DeliverySettings
from .job import _check_cue, burn_languages, render_outputs, style_preset
from .probe import probe
from .render.fonts import fonts_dir
from .render.layout import output_shape
from .render.video import SoftTrack, burn, check_drawn
from .session import CaptionJob
from .subtitles import AssLook, check_look, make_ass


class SizeTarget(BaseModel):
    """A limit in bytes (1 MB = 1,000,000 bytes) and who imposes it."""

    max_bytes: int
    channel: str | None = None
    name: str | None = None
    source: str | None = None


class SizePlan(BaseModel):
    short_side: int
    video_kbps: int
    audio_kbps: int


class SizeReport(BaseModel):
    """What the answer states: the size, the limit, and what was traded to meet it."""

    size_bytes: int
    max_bytes: int
    channel: str | None
    name: str | None
    width: int
    height: int
    full_width: int
    full_height: int
    video_kbps: int
    cap_kbps: int
    audio_kbps: int
    capped: bool
    attempts: int


def size_target(
    delivery: DeliverySettings, *, channel: str | None = None, max_bytes: int | None = None
) -> SizeTarget:
    """The explicit size wins over the channel's; an unknown channel is a usage error."""
    if channel is not None and channel not in delivery.channels:
        raise SkillError("unknown_channel", channel=channel, channels=sorted(delivery.channels))
    spec = delivery.channels[channel] if channel else None
    limit = max_bytes or (round(spec.max_mb * 1e6) if spec else None)
    if limit is None:
        raise SkillError("bad_size", value="")
    return SizeTarget(
        max_bytes=limit,
        channel=channel,
        name=spec.name if spec else None,
        source=spec.source if spec and not max_bytes else None,
    )


def plan(delivery: DeliverySettings, duration: float, full_short: int, max_bytes: int) -> SizePlan:
    """Bitrates that fill `aim` of the limit, and the largest frame whose floor they meet.

    A capped encode can overshoot its cap by one VBV buffer, so the picture's
    share is spread over the duration plus that buffer.
    """
    seconds = max(duration, 0.1)
    budget_kbit = max_bytes * 8 * delivery.aim / 1000
    audio = next((a for above, a in delivery.audio_kbps if budget_kbit / seconds >= above), 64)
    video = int((budget_kbit - audio * seconds) / (seconds + delivery.vbv_buffer_s))
    floors = delivery.floors_kbps
    rungs = [full_short, *sorted((s for s in floors if s < full_short), reverse=True)]

    def floor(side: int) -> int:
        above = [f for s, f in floors.items() if s >= side]
        return floors.get(side) or (min(above) if above else max(floors.values()))

    chosen = next((s for s in rungs if video >= floor(s)), None)
    if chosen is None and video >= floor(rungs[-1]) / 2:
        chosen = rungs[-1]
    if chosen is None:
        raise SkillError(
            "size_unreachable",
            limit_mb=round(max_bytes / 1e6, 1),
            minutes=round(duration / 60, 1),
            kbps=max(video, 0),
        )
    return SizePlan(short_side=chosen, video_kbps=video, audio_kbps=audio)


def _video_kbps(path: Path, size: int, duration: float) -> int:
    """The picture's average bitrate as the MP4 records it (else the whole file's)."""
    with av.open(str(path)) as container:
        rate = container.streams.video[0].bit_rate
    return round((rate or size * 8 / max(duration, 0.1)) / 1000)


def render_sized(
    job: CaptionJob, ctx: Context, target: SizeTarget
) -> tuple[list[MediaFile], SizeReport]:
    """Subtitle files as usual, then one MP4 no larger than the target, measured."""
    media = render_outputs(job, ctx, video=False)
    info = job.media
    if not info.has_video:
        raise SkillError("needs_video", path=str(info.path)).with_media(media)
    settings, caption = ctx.config.local, job.settings
    delivery = settings.delivery
    full = output_shape(settings, caption.aspect, info, caption.height, caption.platform)
    chosen = plan(delivery, info.duration, min(full.width, full.height), target.max_bytes)
    shape = output_shape(settings, caption.aspect, info, chosen.short_side, caption.platform)
    shape = shape if shape.width * shape.height < full.width * full.height else full
    look = AssLook(
        shape=shape,
        preset=style_preset(settings, caption.style),
        settings=caption,
        font=settings.fonts.family,
        short_form=settings.short_form,
    )
    fonts = fonts_dir(settings.fonts)
    tracks = [
        SoftTrack(path=m.path, language=m.language, iso639_2=iso639_2(m.language))
        for m in media
        if m.format == "srt" and m.language
    ]
    label = target.channel or f"{target.max_bytes / 1e6:g}MB"
    out = ctx.out_dir / f"{info.path.stem}.captioned.{label}.mp4"
    cap = chosen.video_kbps
    with tempfile.TemporaryDirectory(prefix="ai-subtitles-") as tmp:
        ass_file: Path | None = None
        if caption.burn:
            languages = burn_languages(job)
            timed = job.timed_tracks()
            burned = [timed[lang] for lang in languages]
            ass_file = Path(tmp) / "burn.ass"
            atomic.write_text(ass_file, make_ass(burned, look, languages).to_string("ass"))
            check_file = Path(tmp) / "check.ass"
            check = _check_cue(burned)
            atomic.write_text(check_file, make_ass(check, check_look(look)).to_string("ass"))
            chars = "".join(line for cues in check for line in cues[0].lines)
            check_drawn(check_file, fonts=fonts, shape=shape, at=0.5, chars=chars)
        attempts = 0
        for _ in range(delivery.attempts):
            attempts += 1
            video = settings.video.model_copy(
                update={
                    "crf": delivery.crf,
                    "maxrate_kbps": cap,
                    "vbv_buffer_s": delivery.vbv_buffer_s,
                    "audio_bitrate": f"{chosen.audio_kbps}k",
                    "copy_audio_codecs": [],
                }
            )
            ctx.progress.status("progress/encoding_start", width=shape.width, height=shape.height)
            burn(
                info,
                ass_file=ass_file,
                fonts=fonts,
                shape=shape,
                fit=caption.fit,
                tracks=tracks,
                out=out,
                video=video,
                progress=ctx.progress,
            )
            size = out.stat().st_size
            if size <= target.max_bytes:
                break
            cap = max(1, round(cap * target.max_bytes / size * 0.95))
        else:
            out.unlink(missing_ok=True)
            raise SkillError(
                "size_unreachable",
                limit_mb=round(target.max_bytes / 1e6, 1),
                minutes=round(info.duration / 60, 1),
                kbps=cap,
            ).with_media(media)
    written = probe(out, settings.media_extensions)
    video_kbps = _video_kbps(out, size, written.duration)
    report = SizeReport(
        size_bytes=size,
        max_bytes=target.max_bytes,
        channel=target.channel,
        name=target.name,
        width=written.width,
        height=written.height,
        full_width=full.width,
        full_height=full.height,
        video_kbps=video_kbps,
        cap_kbps=cap,
        audio_kbps=chosen.audio_kbps,
        capped=video_kbps >= 0.85 * cap,
        attempts=attempts,
    )
    return [*media, MediaFile(path=out, kind="video", format="mp4")], report

"""An MP4 a chat can carry: under a size limit, with the best quality that fits.

The bitrate comes from the duration and the limit; the encode is a capped CRF
(libx264 at the usual CRF, VBV-limited to that bitrate), so easy pictures stay
at full quality and hard ones are held under the cap. The resolution drops
only when the bitrate would fall below the legible floor for the frame. The
written file is measured: too large, it is encoded again at a lower cap.
Which file to deliver (a fitting render as it is, or this encode) and where it
is written is the pipeline's (`pipeline.render_sized`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import av
from pydantic import BaseModel

from ..errors import SkillError
from ..settings.local import DeliverySettings, LocalSettings, Shape, VideoSettings
from .probe import probe


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
    # 0: a full render that already fitted was delivered as it is, with no encode.
    attempts: int
    # The rendition keeps captions as tracks; a chat never shows one, so these are burned.
    burned_for_chat: bool = False


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


def _audio_kbps(path: Path) -> int:
    with av.open(str(path)) as container:
        rate = container.streams.audio[0].bit_rate if container.streams.audio else 0
    return round((rate or 0) / 1000)


def encode_sized(
    encode: Callable[[VideoSettings, Path], None],
    out: Path,
    settings: LocalSettings,
    target: SizeTarget,
    chosen: SizePlan,
    full: Shape,
    duration: float,
) -> SizeReport:
    """Encode (by `encode`) into `out` under the cap, measured; too large, again at a lower cap.

    A budget above what the full render spends (`delivery.full_quality_kbps`)
    is no limit at all: the picture is encoded as a full render is.
    """
    delivery = settings.delivery
    cap = min(chosen.video_kbps, delivery.full_quality_kbps)
    attempts = 0
    size = 0
    for _ in range(delivery.attempts):
        attempts += 1
        capped = cap < delivery.full_quality_kbps
        video = settings.video.model_copy(
            update={
                "crf": delivery.crf,
                "maxrate_kbps": cap if capped else None,
                "vbv_buffer_s": delivery.vbv_buffer_s,
                "audio_bitrate": f"{chosen.audio_kbps}k",
                "copy_audio_codecs": [],
            }
        )
        encode(video, out)
        size = out.stat().st_size
        if size <= target.max_bytes:
            break
        cap = max(1, round(cap * target.max_bytes / size * 0.95))
    else:
        raise SkillError(
            "size_unreachable",
            limit_mb=round(target.max_bytes / 1e6, 1),
            minutes=round(duration / 60, 1),
            kbps=cap,
        )
    return measured(out, settings, target, full, attempts, cap, chosen.audio_kbps)


def measured(
    out: Path,
    settings: LocalSettings,
    target: SizeTarget,
    full: Shape,
    attempts: int,
    cap: int | None = None,
    audio_kbps: int | None = None,
) -> SizeReport:
    """The written file as the answer states it: size, frame and bitrates, probed."""
    size = out.stat().st_size
    written = probe(out, settings.media_extensions)
    video_kbps = _video_kbps(out, size, written.duration)
    audio = audio_kbps or _audio_kbps(out)
    return SizeReport(
        size_bytes=size,
        max_bytes=target.max_bytes,
        channel=target.channel,
        name=target.name,
        width=written.width,
        height=written.height,
        full_width=full.width,
        full_height=full.height,
        video_kbps=video_kbps,
        cap_kbps=cap or video_kbps,
        audio_kbps=audio,
        capped=cap is not None and video_kbps >= 0.85 * cap,
        attempts=attempts,
    )

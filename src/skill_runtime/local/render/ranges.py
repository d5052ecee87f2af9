"""Burn a video in frame ranges, then join them without re-encoding.

The building block for starting the picture work before recognition ends: a
range whose cues are final can be burned while later speech is still being
recognised. Each range is its own H.264 encode, so it opens on an IDR frame
and the concat demuxer joins the ranges by stream copy. The captions are
drawn at the source's own times (the range is shifted back to its place on
the timeline before libass sees it), so a cue crossing a range border is drawn
the same on both sides; the sound is muxed once, from the source, at the end.

Ranges are whole frames, [first, stop) at the source's frame rate; the seek
asks for half a frame before `first`, so ffmpeg's exact seek keeps that frame
and no earlier one.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from ... import atomic
from ...progress import Progress
from ...settings.local import Shape, VideoSettings
from ..accel import encoder_args
from ..probe import MediaInfo
from .ffmpeg import escape_filter_value, file_arg, run
from .fonts import fontconfig_env
from .layout import scale_filter
from .video import SoftTrack, audio_args, disable_text_tracks, keep_picture_length, soft_args


def encode_range(
    info: MediaInfo,
    frames: tuple[int, int],
    *,
    ass_file: Path,
    fonts: Path,
    shape: Shape,
    fit: str,
    video: VideoSettings,
    out: Path,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Frames [first, stop) of the source, captions burned at their source times, no sound."""
    first, stop = frames
    fps = info.fps
    start = first / fps
    ass = f"ass=filename={escape_filter_value(ass_file)}:fontsdir={escape_filter_value(fonts)}"
    chain = (
        f"setpts=PTS-STARTPTS+{start:.6f}/TB,{scale_filter(shape, fit, info)},{ass},"
        "setpts=PTS-STARTPTS,format=yuv420p"
    )
    run(
        [
            "-ss",
            f"{max(0.0, (first - 0.5) / fps):.6f}",
            "-i",
            file_arg(info.path),
            "-map",
            "0:v:0",
            "-frames:v",
            str(stop - first),
            "-vf",
            chain,
            *encoder_args(video),
            "-an",
            "-f",
            "mp4",
            file_arg(out),
        ],
        duration=(stop - first) / fps,
        progress=progress,
        env=fontconfig_env(fonts),
        cancel=cancel,
    )
    return out


def join_ranges(
    info: MediaInfo,
    parts: Sequence[Path],
    *,
    tracks: Sequence[SoftTrack],
    video: VideoSettings,
    out: Path,
    progress: Progress | None = None,
) -> Path:
    """The ranges' pictures by stream copy, with the sound and text tracks of a one-pass burn.

    The same audio choice (the speech track, copied if it can be), the same length rule and
    the same text tracks, none shown by default over the burned captions.
    """
    inputs, maps = soft_args(list(tracks), 2, default=False)
    with tempfile.TemporaryDirectory(prefix="ai-subtitles-ranges-") as tmp:
        listing = Path(tmp) / "ranges.txt"
        lines = ["file '" + str(p.resolve()).replace("'", "'\\''") + "'" for p in parts]
        listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with atomic.atomic_path(out) as part:
            run(
                [
                    "-f", "concat", "-safe", "0", "-i", file_arg(listing),
                    "-i", file_arg(info.path),
                    *inputs,
                    "-map", "0:v:0", "-c:v", "copy",
                    *audio_args(info, video, copy=True, source=1),
                    *maps,
                    *keep_picture_length(info),
                    "-movflags", "+faststart",
                    "-f", "mp4", file_arg(part),
                ],
                duration=info.duration,
                progress=progress,
                template="progress/muxing",
            )  # fmt: skip
            if tracks:
                disable_text_tracks(part)
    return out

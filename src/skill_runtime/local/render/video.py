"""The ffmpeg jobs: burn-in (one pass: scale, fill/crop/pad, ass, encode), soft-track mux,
preview frame, and the font check that runs before a burn."""

from __future__ import annotations

import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ... import atomic
from ...errors import SkillError
from ...progress import Progress
from ...settings.local import Shape, VideoSettings
from ..accel import encoder_args
from ..probe import MediaInfo
from .ffmpeg import escape_filter_value, file_arg, run
from .fonts import fontconfig_env, missing_glyphs
from .layout import scale_filter


@dataclass(frozen=True)
class SoftTrack:
    path: Path
    language: str
    iso639_2: str


def _ass_filter(ass_file: Path, fonts: Path) -> str:
    return f"ass=filename={escape_filter_value(ass_file)}:fontsdir={escape_filter_value(fonts)}"


def soft_args(
    tracks: list[SoftTrack], first_input: int, default: bool
) -> tuple[list[str], list[str]]:
    """Inputs and maps for the text tracks; the first is shown by default only if asked.

    Over burned captions a default track would be drawn a second time by VLC
    and mpv, so a burned MP4 carries its tracks for search and accessibility
    with none flagged default.
    """
    inputs: list[str] = []
    maps: list[str] = []
    for k, track in enumerate(tracks):
        inputs += ["-i", file_arg(track.path)]
        maps += ["-map", f"{first_input + k}:0", f"-metadata:s:s:{k}", f"language={track.iso639_2}"]
    if tracks:
        maps += ["-c:s", "mov_text", "-disposition:s:0", "default" if default else "0"]
    return inputs, maps


def audio_args(info: MediaInfo, video: VideoSettings, copy: bool, source: int = 0) -> list[str]:
    """The speech track from input `source`: copied when asked and its codec allows, else AAC."""
    if not info.has_audio:
        return []
    track = f"{source}:a:{info.audio_track}"  # the track with the speech the captions are of
    if copy and info.audio_track == 0 and info.audio_codec in video.copy_audio_codecs:
        return ["-map", track, "-c:a", "copy"]
    return ["-map", track, "-c:a", "aac", "-b:a", video.audio_bitrate]


def keep_picture_length(info: MediaInfo) -> list[str]:
    """Sound running past the picture is cut there: the video keeps its own length."""
    if info.video_duration and info.audio_duration > info.video_duration + 0.05:
        return ["-t", f"{info.video_duration:.3f}"]
    return []


_TEXT_HANDLERS = (b"sbtl", b"text", b"subt")


def _boxes(data: bytes | bytearray, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """(type, payload start, box end) of each MP4 box between `start` and `end`."""
    found: list[tuple[bytes, int, int]] = []
    at = start
    while at + 8 <= end:
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        head = 8
        if size == 1:
            size, head = struct.unpack(">Q", data[at + 8 : at + 16])[0], 16
        elif size == 0:
            size = end - at
        if size < head or at + size > end:
            break
        found.append((kind, at + head, at + size))
        at += size
    return found


def _child(data: bytes | bytearray, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    return next(((s, e) for k, s, e in _boxes(data, start, end) if k == kind), None)


def disable_text_tracks(path: Path) -> int:
    """Clear the `enabled` flag of every text track in an MP4; how many were cleared.

    ffmpeg's MP4 muxer enables the first track of each kind when none is
    flagged default, and players read an enabled text track as one to show:
    over burned captions that draws them twice. The flag is one bit in each
    track header, changed in place.
    """
    with path.open("r+b") as f:
        head = f.read(16)
        offset = 0
        while len(head) >= 8:
            size, kind = struct.unpack(">I4s", head[:8])
            if size == 1:
                size = struct.unpack(">Q", head[8:16])[0]
            if kind == b"moov":
                break
            if size < 8:
                return 0
            offset += size
            f.seek(offset)
            head = f.read(16)
        else:
            return 0
        f.seek(offset)
        moov = bytearray(f.read(size))
        cleared = 0
        for kind, start, end in _boxes(moov, 8, len(moov)):
            if kind != b"trak":
                continue
            tkhd = _child(moov, start, end, b"tkhd")
            mdia = _child(moov, start, end, b"mdia")
            hdlr = _child(moov, *mdia, b"hdlr") if mdia else None
            if tkhd and hdlr and moov[hdlr[0] + 8 : hdlr[0] + 12] in _TEXT_HANDLERS:
                moov[tkhd[0] + 3] &= 0xFE
                cleared += 1
        f.seek(offset)
        f.write(moov)
    return cleared


def burn(
    info: MediaInfo,
    *,
    ass_file: Path | None,
    fonts: Path,
    shape: Shape,
    fit: str,
    tracks: list[SoftTrack],
    out: Path,
    video: VideoSettings,
    progress: Progress,
) -> Path:
    """One ffmpeg pass: decode, scale and fill/crop/pad, draw captions, H.264 + AAC, faststart.

    Soft tracks ride along in the same pass, so the burned MP4 also carries
    every language as a selectable track. With no ASS file it only reshapes.
    The sound is copied when its codec allows (a size-fitted encode sets no
    such codec, since its plan counts on `audio_bitrate`).
    """
    chain = scale_filter(shape, fit, info)
    if ass_file is not None:
        chain += "," + _ass_filter(ass_file, fonts)
    picture = ["-vf", chain + ",format=yuv420p", *encoder_args(video)]
    env = fontconfig_env(fonts) if ass_file is not None else None
    _write_mp4(
        info, picture, True, tracks, out, video, progress, "progress/encoding", env,
        default_track=ass_file is None,
    )  # fmt: skip
    if ass_file is not None:
        disable_text_tracks(out)
    return out


def soft(
    info: MediaInfo, *, tracks: list[SoftTrack], out: Path, video: VideoSettings, progress: Progress
) -> Path:
    """Copy the picture (no re-encode) and add one language-tagged mov_text track per language."""
    return _write_mp4(info, ["-c:v", "copy"], True, tracks, out, video, progress, "progress/muxing")


def _write_mp4(
    info: MediaInfo,
    picture: list[str],
    copy_audio: bool,
    tracks: list[SoftTrack],
    out: Path,
    video: VideoSettings,
    progress: Progress,
    template: str,
    env: dict[str, str] | None = None,
    default_track: bool = True,
) -> Path:
    """The source's picture (as `picture` says), its audio and the subtitle tracks, atomically."""
    inputs, maps = soft_args(tracks, 1, default_track)
    with atomic.atomic_path(out) as tmp:
        run(
            [
                "-i",
                file_arg(info.path),
                *inputs,
                "-map",
                "0:v:0",
                *picture,
                *audio_args(info, video, copy=copy_audio),
                *maps,
                *keep_picture_length(info),
                "-movflags",
                "+faststart",
                "-f",
                "mp4",
                file_arg(tmp),
            ],
            duration=info.duration,
            progress=progress,
            template=template,
            env=env,
        )
    return out


def preview(
    info: MediaInfo,
    *,
    ass_file: Path,
    fonts: Path,
    shape: Shape,
    fit: str,
    at: float,
    out: Path,
    width: int,
) -> Path:
    """A PNG of the captioned frame at `at`, scaled down for a chat message."""
    shift = f"setpts=PTS-STARTPTS+{at:.3f}/TB"
    drawn = f"{scale_filter(shape, fit, info)},{_ass_filter(ass_file, fonts)}"
    chain = f"{shift},{drawn},scale={width}:-2"
    with atomic.atomic_path(out) as tmp:
        run(
            [
                "-ss",
                f"{at:.3f}",
                "-i",
                file_arg(info.path),
                "-vf",
                chain,
                "-frames:v",
                "1",
                "-update",
                "1",
                "-f",
                "image2",
                file_arg(tmp),
            ],
            duration=0,
            env=fontconfig_env(fonts),
        )
    return out


def check_drawn(ass_file: Path, *, fonts: Path, shape: Shape, at: float, chars: str) -> None:
    """One frame of `ass_file` at `at` on black must show text, with no glyph missing."""
    w, h = shape.width, shape.height
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "frame.gray"
        stderr = run(
            [
                "-f",
                "lavfi",
                "-i",
                f"color=c=black:s={w}x{h}:r=1:d=1",
                "-vf",
                f"setpts=PTS+{at:.3f}/TB,{_ass_filter(ass_file, fonts)},format=gray",
                "-frames:v",
                "1",
                "-f",
                "rawvideo",
                file_arg(raw),
            ],
            duration=0,
            env=fontconfig_env(fonts),
        )
        pixels = np.fromfile(raw, dtype=np.uint8)
    if missing_glyphs(stderr) or pixels.size == 0 or int(pixels.max()) < 128:
        raise SkillError("font_missing", chars=chars, fonts=str(fonts))

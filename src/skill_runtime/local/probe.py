"""What a file holds (streams, size, duration), and the first line of bad-input defence."""

from __future__ import annotations

from pathlib import Path

import av
from pydantic import BaseModel

from ..errors import SkillError

# Leading bytes of containers we read: a file that starts like media but will
# not open is corrupt; one that does not is simply not media.
_SIGNATURES = (
    b"RIFF",
    b"\x1aE\xdf\xa3",
    b"ID3",
    b"OggS",
    b"fLaC",
    b"\xff\xfb",
    b"\xff\xf3",
    b"\xff\xf1",
)


class MediaInfo(BaseModel):
    path: Path
    duration: float
    has_video: bool
    has_audio: bool
    width: int = 0
    height: int = 0
    fps: float = 0.0
    # Every frame lasts 1/fps (the stream's base and average rates agree): frame
    # numbers are times, so the picture can be burned in frame ranges.
    constant_rate: bool = False
    video_codec: str = ""
    audio_codec: str = ""
    audio_offset_s: float = 0.0
    audio_duration: float = 0.0
    video_duration: float = 0.0
    rotation: int = 0
    # How many audio streams the file has, and which one (0-based) carries the speech.
    audio_tracks: int = 0
    audio_track: int = 0


def _looks_like_media(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(16)
    return head[4:8] == b"ftyp" or head.startswith(_SIGNATURES)


def _rotation(container: av.container.InputContainer) -> int:
    """The display rotation of the first frame (0 when it cannot be read)."""
    try:
        frame = next(container.decode(video=0))
    except (av.FFmpegError, StopIteration):
        return 0
    finally:
        container.seek(0)
    return int(frame.rotation or 0) % 360


def _stream_seconds(stream: av.stream.Stream) -> float:
    """The stream's own length (0 when the container does not say)."""
    if stream.duration is None or stream.time_base is None:
        return 0.0
    return float(stream.duration * stream.time_base)


def check_path(path: Path, extensions: list[str]) -> Path:
    """Resolve a user path; missing or unsupported ones fail before anything opens."""
    resolved = path.expanduser()
    if not resolved.is_file():
        raise SkillError("file_missing", path=str(path))
    try:
        with resolved.open("rb"):
            pass
    except OSError as exc:
        raise SkillError("file_unreadable", path=str(path), reason=exc.strerror or "") from exc
    ext = resolved.suffix.lower().lstrip(".")
    if ext not in extensions:
        raise SkillError(
            "unsupported_type", path=str(path), ext=ext or "(none)", supported=extensions
        )
    return resolved.resolve()


def media_error(exc: Exception) -> str:
    """FFmpeg's reason, without PyAV's errno number and the path again (noise to a user)."""
    reason = getattr(exc, "strerror", None)
    return str(reason) if reason else str(exc)


def probe(path: Path, extensions: list[str]) -> MediaInfo:
    resolved = check_path(path, extensions)
    try:
        container = av.open(str(resolved))
    except (av.FFmpegError, UnicodeDecodeError) as exc:
        raise SkillError(
            "corrupt_media" if _looks_like_media(resolved) else "not_media",
            path=str(path),
            detail=media_error(exc),
        ) from exc
    with container:
        video = next(iter(container.streams.video), None)
        audio = next(iter(container.streams.audio), None)
        if video is None and audio is None:
            raise SkillError("not_media", path=str(path), detail="no audio or video stream")
        duration = container.duration / av.time_base if container.duration else 0.0
        start = container.start_time / av.time_base if container.start_time else 0.0
        info = MediaInfo(
            path=resolved,
            duration=duration,
            has_video=video is not None,
            has_audio=audio is not None,
            audio_tracks=len(container.streams.audio),
        )
        if video is not None:
            rate = video.average_rate or video.guessed_rate
            info.width, info.height = video.codec_context.width, video.codec_context.height
            info.fps = float(rate) if rate else 0.0
            base = float(video.base_rate or 0)
            info.constant_rate = bool(base and rate and abs(base - info.fps) <= 1e-3 * base)
            info.video_codec = video.codec_context.name
            info.video_duration = _stream_seconds(video)
            if not info.width or not info.height:
                raise SkillError("corrupt_media", path=str(path), detail="video stream has no size")
            info.rotation = _rotation(container)
            if info.rotation % 180:
                # Phones store portrait video sideways; ffmpeg turns it upright when
                # decoding, so every size decision must use the upright frame.
                info.width, info.height = info.height, info.width
        if audio is not None:
            info.audio_codec = audio.codec_context.name
            info.audio_duration = _stream_seconds(audio)
            if audio.start_time is not None and audio.time_base is not None:
                info.audio_offset_s = max(0.0, float(audio.start_time * audio.time_base) - start)
    if info.duration <= 0:
        raise SkillError("corrupt_media", path=str(path), detail="no duration")
    return info

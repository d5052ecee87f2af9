"""Decode the soundtrack once, at the recogniser's rate, and catch truncated files.

A file may carry several audio tracks (OBS, cameras, dubbed films) with the
speech on any of them: the track asked for, else the first, else (when the
first has no speech, by Silero VAD) the first track that does.
"""

from __future__ import annotations

import av
import numpy as np
import numpy.typing as npt
from faster_whisper.audio import decode_audio
from faster_whisper.vad import VadOptions, get_speech_timestamps

from ..errors import SkillError
from ..progress import Progress
from .probe import MediaInfo, media_error

SAMPLE_RATE = 16000
# Decoded audio shorter than this share of the declared duration means the file
# was cut off (a truncated download still opens and decodes without an error).
_MIN_DECODED_SHARE = 0.9


def load_audio(
    info: MediaInfo, track: int | None = None, progress: Progress | None = None
) -> npt.NDArray[np.float32]:
    """The speech track's samples; `info.audio_track` is set to the track used.

    `track` is 0-based (the CLI's --audio-track N is N-1); a track the file
    does not have is refused before anything is decoded.
    """
    if not info.has_audio:
        raise SkillError("no_audio", path=str(info.path))
    if track is not None and not 0 <= track < max(1, info.audio_tracks):
        raise SkillError(
            "usage",
            problem=f"--audio-track {track + 1}: {info.path.name} has "
            f"{max(1, info.audio_tracks)} audio track(s)",
        )
    if track:
        info.audio_track = track
        return _decode(info, track)
    samples = _first_track(info)
    if track is None and info.audio_tracks > 1 and not _speaks(samples):
        for other in range(1, info.audio_tracks):
            candidate = _decode(info, other)
            if _speaks(candidate):
                info.audio_track = other
                if progress is not None:
                    progress.status(
                        "progress/audio_track", track=other + 1, file_name=info.path.name
                    )
                return candidate
    return samples


def _speaks(samples: npt.NDArray[np.float32]) -> bool:
    return bool(get_speech_timestamps(samples, VadOptions(), sampling_rate=SAMPLE_RATE))


def _decode(info: MediaInfo, track: int) -> npt.NDArray[np.float32]:
    """Audio stream `track` as 16 kHz mono float samples."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    chunks: list[npt.NDArray[np.generic]] = []
    try:
        with av.open(str(info.path), metadata_errors="ignore") as container:
            for frame in container.decode(audio=track):
                chunks += [out.to_ndarray().ravel() for out in resampler.resample(frame)]
            chunks += [out.to_ndarray().ravel() for out in resampler.resample(None)]
    except (av.FFmpegError, ValueError) as exc:
        raise SkillError("corrupt_media", path=str(info.path), detail=media_error(exc)) from exc
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32) / 32768.0


def _first_track(info: MediaInfo) -> npt.NDArray[np.float32]:
    try:
        samples: npt.NDArray[np.float32] = decode_audio(str(info.path), sampling_rate=SAMPLE_RATE)
    except (av.FFmpegError, ValueError) as exc:
        raise SkillError("corrupt_media", path=str(info.path), detail=media_error(exc)) from exc
    # The soundtrack may end before the picture (a silent outro) or run past it;
    # what must be there is the audio stream's own length, when it states one.
    declared = info.audio_duration or info.duration
    decoded = len(samples) / SAMPLE_RATE
    if decoded < declared * _MIN_DECODED_SHARE - 0.5:
        raise SkillError(
            "corrupt_media",
            path=str(info.path),
            detail=f"only {decoded:.1f} s of {declared:.1f} s of sound could be decoded",
        )
    return samples

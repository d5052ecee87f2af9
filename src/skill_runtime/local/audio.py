"""Decode the soundtrack once, at the recogniser's rate, and catch truncated files."""

from __future__ import annotations

import av
import numpy as np
import numpy.typing as npt
from faster_whisper.audio import decode_audio

from ..errors import SkillError
from .probe import MediaInfo, media_error

SAMPLE_RATE = 16000
# Decoded audio shorter than this share of the declared duration means the file
# was cut off (a truncated download still opens and decodes without an error).
_MIN_DECODED_SHARE = 0.9


def load_audio(info: MediaInfo) -> npt.NDArray[np.float32]:
    if not info.has_audio:
        raise SkillError("no_audio", path=str(info.path))
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

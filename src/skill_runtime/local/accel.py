"""The GPU, when the machine has one: Whisper on CUDA in float16, H.264 on NVENC.

Both are chosen automatically and only when they work: CUDA needs a device that
CTranslate2 can see; NVENC needs ffmpeg to list the encoder AND finish a tiny
test encode (a listed encoder without a driver or a free session fails at run time).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from functools import cache

from ..settings.local import VideoSettings

NVENC = "h264_nvenc"


@dataclass(frozen=True)
class Acceleration:
    cuda_devices: int
    nvenc: bool

    @property
    def encoder(self) -> str:
        return NVENC if self.nvenc else "libx264"


@cache
def cuda_devices() -> int:
    try:
        import ctranslate2

        return int(ctranslate2.get_cuda_device_count())
    except Exception:  # no CTranslate2, or a CUDA runtime that cannot start: no GPU for us
        return 0


@cache
def nvenc_works(exe: str) -> bool:
    """The encoder is listed and a 0.2 s test encode succeeds."""
    try:
        listed = subprocess.run(
            [exe, "-hide_banner", "-encoders"], capture_output=True, text=True, timeout=30
        )
        if NVENC not in listed.stdout:
            return False
        test = subprocess.run(
            [
                exe, "-hide_banner", "-nostdin", "-loglevel", "error",
                "-f", "lavfi", "-i", "color=c=black:s=256x256:r=25:d=0.2",
                "-c:v", NVENC, "-f", "null", "-",
            ],
            capture_output=True,
            timeout=60,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return False
    return test.returncode == 0


def detect() -> Acceleration:
    from .render.ffmpeg import locate

    try:
        exe = locate().exe
    except Exception:  # no usable ffmpeg: nothing to accelerate
        return Acceleration(cuda_devices=cuda_devices(), nvenc=False)
    return Acceleration(cuda_devices=cuda_devices(), nvenc=nvenc_works(exe))


def encoder_args(video: VideoSettings) -> list[str]:
    """H.264 settings for the burn-in pass: NVENC at the same quality target when it works.

    With `maxrate_kbps` the quality target is capped (VBV), so a file's size is
    at most cap x (duration + buffer): the size-fitted export relies on it.
    """
    cap = video.maxrate_kbps
    vbv = ["-maxrate", f"{cap}k", "-bufsize", f"{round(cap * video.vbv_buffer_s)}k"] if cap else []
    if detect().nvenc:
        return ["-c:v", NVENC, "-preset", "p5", "-rc", "vbr", "-cq", str(video.crf), "-b:v", "0",
                *vbv, "-pix_fmt", "yuv420p"]  # fmt: skip
    return ["-c:v", "libx264", "-preset", video.preset, "-crf", str(video.crf), *vbv,
            "-pix_fmt", "yuv420p"]  # fmt: skip
